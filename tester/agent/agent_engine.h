/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_engine.h: the one engine of the agent's control protocol
 * (agent_proto.h), and the table of operations a back end gives it.
 *
 * The engine does everything that does not touch a socket: it puts the
 * runner's bytes back together into lines, parses each request
 * (agent_req.c), checks the handshake, the handles and their kinds, keeps
 * the handle table, runs reads and writes to their end (foreground or in
 * the background), parks a request that must wait (ACCEPT, CONNECT, a
 * foreground READ or WRITE, POLL) until the back end's progress or a
 * deadline finishes it, and formats every reply.  A back end only acts on
 * its sockets.  Three exist, one file each:
 *
 *	agent_posix.c		tcpconform-agent: POSIX sockets, libc only
 *	serve/serve_agent.c	tcpconform serve: the peer's own TCP
 *	tests/lab/lwip_be.c	the lwIP lab target: lwIP's socket API
 *
 * The call order, for one control connection:
 *
 *	agent_ctl_new()				when the runner connects
 *	agent_ctl_input()			bytes from the runner; requests
 *						run, replies leave by ops->reply
 *	agent_ctl_run(ctl, h)			a socket of handle h (0: any)
 *						may have news: retry what waits
 *	agent_ctl_timers()			at agent_ctl_deadline()
 *	agent_ctl_free()			the runner went away: every
 *						handle is closed, as close(2)
 *
 * Every entry may be called from inside an operation (a back end whose
 * close or write pokes the engine synchronously): the engine notes it and
 * finishes the work in the outer call, never in a nested one.
 *
 * The engine does not allocate beyond agent_ctl_new() and uses only
 * libc, so that tcpconform-agent can compile it in.
 */
#ifndef TCPCONFORM_AGENT_ENGINE_H
#define TCPCONFORM_AGENT_ENGINE_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "agent_proto.h"
#include "agent_req.h"

/* poll(2)'s events, in the engine's own bits (POLL, STATUS, wants). */
#define AGENT_EV_IN	0x01
#define AGENT_EV_OUT	0x02
#define AGENT_EV_HUP	0x04
#define AGENT_EV_ERR	0x08
#define AGENT_EV_RDHUP	0x10	/* the peer's FIN, not yet read */

#define AGENT_NO_DEADLINE	UINT64_MAX

/* A back end's socket, as a handle keeps it: a pointer or a descriptor. */
union agent_sock {
	void	*ptr;
	int	 fd;
};

/* STATUS: what a socket shows beyond its addresses. */
struct agent_sockinfo {
	unsigned long	 rcvbuf;
	unsigned long	 sndbuf;
	size_t		 unread;	/* bytes received, not yet read */
	const char	*state;		/* RFC 9293 name; NULL: unknown */
};

/* agent_ops.names() sets these bits for the addresses it filled in. */
#define AGENT_NAME_LOCAL	0x01
#define AGENT_NAME_PEER		0x02

/*
 * What a back end provides.  ctx is the pointer given to agent_ctl_new()
 * (one per control connection); s is a socket an earlier listen, accept or
 * connect returned.  Operations that fail fill *e (errno value and a
 * message for the ERR reply): agent_err_set() in agent_req.h.  The engine
 * checks the handle, its kind (listening or not) and the argument syntax
 * before any operation is called; limits of the back end's own (ports,
 * addresses a target may use) are the back end's to check.  A new back
 * end is one file that fills this table: tests/test_agent_engine.c has a
 * small fake one to start from.
 */
struct agent_ops {
	/* HELLO's agent=<name>/<version>, e.g. "tcpconform-agent". */
	const char	*name;
	/*
	 * Chunks of AGENT_IO_CHUNK bytes a read or write moves per call of
	 * agent_ctl_run() before it lets other sockets go (0: as many as
	 * the socket takes).  A back end driven by poll(2) sets a limit so
	 * that one fast socket cannot starve the others; one that is poked
	 * only when something changes must say 0.
	 */
	int		 io_burst;

	/* Now, in microseconds, on a clock that never goes back. */
	uint64_t	(*now)(void *ctx);
	/* One reply line (with its LF) for the runner. */
	void		(*reply)(void *ctx, const char *line, size_t len);
	/*
	 * Optional (NULL: always): nonzero when a whole reply line
	 * (AGENT_REPLY_MAX) can be taken now.  While zero, requests wait.
	 */
	int		(*can_reply)(void *ctx);
	/* Optional: each request line, before it runs (a log, a timer). */
	void		(*request)(void *ctx, const char *line, size_t len);
	/* HELLO's os=: one word, written into buf (size bytes). */
	void		(*os)(void *ctx, char *buf, size_t size);
	/*
	 * Optional: INFO's words, the target's identity and the settings
	 * that change verdicts, as blank-separated key=value written into
	 * buf (size bytes).  The engine makes each word safe to send.
	 */
	void		(*info)(void *ctx, char *buf, size_t size);

	/*
	 * LISTEN: a listening socket bound as r asks (r->family, r->port,
	 * 0 picks one, r->addr if r->addrlen, r->backlog, r->rcvbuf,
	 * r->sndbuf, r->reuse).  0 and *s, or -1 and *e.
	 */
	int		(*listen)(void *ctx, const struct agent_req *r,
			    union agent_sock *s, struct agent_err *e);
	/*
	 * ACCEPT: 1 and *s, a connection taken from listener l; 0 when
	 * none is queued yet (the engine waits and asks again); -1 and *e.
	 */
	int		(*accept)(void *ctx, union agent_sock l,
			    union agent_sock *s, struct agent_err *e);
	/*
	 * CONNECT: a socket that starts the handshake to r->addr (port in
	 * it), with r->lport, r->laddr, r->rcvbuf, r->sndbuf, r->nodelay,
	 * r->reuse.  0, *s, and *inprogress 1 while the handshake runs (0
	 * if it is done already); or -1 and *e.
	 */
	int		(*connect)(void *ctx, const struct agent_req *r,
			    union agent_sock *s, int *inprogress,
			    struct agent_err *e);
	/*
	 * Where a connect stands: 0 connected, EINPROGRESS still running,
	 * or the errno value it failed with (the engine closes the socket).
	 */
	int		(*connected)(void *ctx, union agent_sock s);
	/*
	 * read(2): bytes read (1..len), 0 at the end of file, or -1 and
	 * *err: EAGAIN when nothing is queued now (the engine waits), or
	 * the error the application would see (ECONNRESET ...).
	 */
	ssize_t		(*read)(void *ctx, union agent_sock s, void *buf,
			    size_t len, int *err);
	/* write(2): bytes taken (1..len), or -1 and *err (EAGAIN: full). */
	ssize_t		(*write)(void *ctx, union agent_sock s,
			    const void *buf, size_t len, int *err);
	/*
	 * SHUTDOWN (r->how: SHUT_RD, SHUT_WR, SHUT_RDWR), LINGER (r->on,
	 * r->seconds), NODELAY (r->on), KEEPALIVE (r->on; r->seconds, the
	 * idle time and the interval between probes), RCVBUF and SNDBUF
	 * (r->size; *value is the size now in force, for the reply).  0, or
	 * -1 and *e.
	 */
	int		(*setopt)(void *ctx, union agent_sock s,
			    const struct agent_req *r, int *value,
			    struct agent_err *e);
	/*
	 * The socket's own address and its peer's (a port in each), as
	 * AGENT_NAME_* bits of those filled in.  The peer is asked for
	 * only when the socket does not listen (peer NULL otherwise).
	 */
	int		(*names)(void *ctx, union agent_sock s,
			    struct sockaddr_storage *local,
			    struct sockaddr_storage *peer);
	/* STATUS: buffers, unread bytes, state. */
	void		(*status)(void *ctx, union agent_sock s, int listening,
			    struct agent_sockinfo *si);
	/*
	 * poll(2) with no wait: which of events (AGENT_EV_IN, _OUT) hold
	 * now, plus AGENT_EV_HUP, _ERR and _RDHUP whenever they hold.
	 */
	int		(*poll)(void *ctx, union agent_sock s, int events);
	/*
	 * Optional (NULL: URGENT answers ENOSYS): send(2) with MSG_OOB, all
	 * len bytes in one call, so that the last is the urgent one; bytes
	 * taken, or -1 and *err.
	 */
	ssize_t		(*write_urgent)(void *ctx, union agent_sock s,
			    const void *buf, size_t len, int *err);
	/* close(2), with the linger set before; s is gone afterwards. */
	void		(*close)(void *ctx, union agent_sock s);
};

#define AGENT_IO_CHUNK	16384	/* bytes per read or write call */

struct agent_ctl;

/* A control connection; NULL when out of memory. */
struct agent_ctl *agent_ctl_new(const struct agent_ops *ops, void *ctx);
/* Close every handle (no reply goes out any more) and free. */
void		 agent_ctl_free(struct agent_ctl *);

/*
 * Bytes from the runner, any split; the complete lines run at once while
 * nothing waits.  Returns how many bytes were taken: fewer than len only
 * when AGENT_LINE_MAX bytes of complete lines wait behind a request that
 * waits (agent_ctl_room() is then 0); give the rest again later.
 */
size_t		 agent_ctl_input(struct agent_ctl *, const char *buf,
		    size_t len);
/* How many bytes agent_ctl_input() takes now (at least 1, or 0). */
size_t		 agent_ctl_room(const struct agent_ctl *);
/*
 * A socket may have news (handle h; 0: any): retry what waits on it, then
 * serve the lines that have come meanwhile.  Also after can_reply turned
 * nonzero again.
 */
void		 agent_ctl_run(struct agent_ctl *, int h);
/* End the waits and activities whose deadline has passed, then run. */
void		 agent_ctl_timers(struct agent_ctl *);
/* The earliest deadline (ops->now's clock), or AGENT_NO_DEADLINE. */
uint64_t	 agent_ctl_deadline(const struct agent_ctl *);

/* A request waits (ACCEPT, CONNECT, a foreground READ or WRITE, POLL). */
int		 agent_ctl_busy(const struct agent_ctl *);
/* Nothing waits and no complete request line is buffered. */
int		 agent_ctl_idle(const struct agent_ctl *);
/* QUIT was answered: close the control connection once replies are out. */
int		 agent_ctl_done(const struct agent_ctl *);
/*
 * What the control connection's own socket waits for: AGENT_EV_OUT while
 * reply bytes are still to be written (out_pending), else AGENT_EV_IN when
 * a request can be taken (nothing waits, QUIT not answered, the runner's
 * side not at its end (peer_eof), room in the engine), else 0.
 */
int		 agent_ctl_events(const struct agent_ctl *, int out_pending,
		    int peer_eof);
/*
 * For a back end driven by poll(2): the AGENT_EV_IN/_OUT events handle h
 * waits for (0: none, or h not open), and its socket in *s.
 */
int		 agent_ctl_wants(const struct agent_ctl *, int h,
		    union agent_sock *s);

#endif /* TCPCONFORM_AGENT_ENGINE_H */
