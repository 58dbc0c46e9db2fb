/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_client.h: the runner's side of the agent's control protocol
 * (agent_proto.h): connect to a tcpconform-agent and ask it to act on the
 * target's sockets.
 *
 * Two ways to use it:
 *
 * - Blocking: one function per request (agent_listen, agent_accept, ...).
 *   Each sends its request and waits for the reply, at most the request's
 *   own timeout_ms (how long the agent may wait on the target's socket)
 *   plus the slack given to agent_connect (the control path's delay).
 *
 * - Asynchronous, for the runner's event loop: the agent answers ACCEPT,
 *   CONNECT, READ, WRITE and POLL only once the target's socket has done
 *   it, and often that needs the peer to act first (send the SYN, the data,
 *   the FIN).  A runner that blocked on the reply would stop the peer, and
 *   both would wait until the timeout.  So: agent_send() the request, poll
 *   agent_fd() for POLLIN with the capture fd and timers, call
 *   agent_recv(a, 0, ...) when it is readable, and decode the reply with
 *   agent_reply_*().  One request at a time per agent; open one agent per
 *   case to have several outstanding (the agent serves them concurrently;
 *   handles belong to their connection).
 *
 * Errors: functions return 0 (or 1, see agent_recv) on success and -1 on
 * failure with a malloc'ed message in *err (the caller frees it).  When
 * the agent answered ERR, agent_last_error() gives the errno value on this
 * host (ECONNREFUSED, ETIMEDOUT, ...) and agent_last_errname() its name;
 * both are 0 and "" when the failure was the control connection itself.
 * A read or write that ended in an error on the target (end=error) is a
 * success: the result says how many bytes moved and which error ended it.
 * After a control-path failure (timeout, lost connection, a malformed
 * reply) the agent is broken and every later call fails: free it.
 */
#ifndef TCPCONFORM_AGENT_CLIENT_H
#define TCPCONFORM_AGENT_CLIENT_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "agent_proto.h"

struct agent;

/* One reply line, decoded. */
struct agent_reply {
	int	ok;				/* 1: OK; 0: ERR */
	int	error;				/* ERR: errno here, 0 unknown */
	char	errname[AGENT_ERRNAME_MAX];	/* ERR: "ECONNREFUSED" */
	char	text[AGENT_REPLY_MAX];		/* what follows OK or name */
};

/* The two ends of a target socket, as the agent sees them. */
struct agent_endpoints {
	char		addr[INET6_ADDRSTRLEN];	/* local */
	uint16_t	port;
	char		peer[INET6_ADDRSTRLEN];	/* "": none (listening) */
	uint16_t	peerport;
	int		inprogress;	/* CONNECT wait=0: handshake running */
};

struct agent_read_result {
	size_t		count;			/* bytes read */
	int		end;			/* enum agent_end */
	int		error;			/* end=error: errno here */
	char		errname[AGENT_ERRNAME_MAX];
	uint64_t	sum;			/* agent_sum() of all count */
	unsigned char	data[AGENT_HEX_MAX];	/* the first bytes */
	size_t		datalen;		/* min(count, AGENT_HEX_MAX) */
};

struct agent_write_result {
	size_t		count;			/* bytes written */
	int		end;			/* enum agent_end */
	int		error;
	char		errname[AGENT_ERRNAME_MAX];
};

/* A background READ or WRITE (bg=1), as STATUS reports it. */
struct agent_bg {
	int		running;
	int		end;		/* AGENT_END_NONE: none, or running */
	size_t		count;
	uint64_t	sum;		/* reads */
	int		error;
	char		errname[AGENT_ERRNAME_MAX];
};

struct agent_status {
	int			listening;
	struct agent_endpoints	ep;
	int			rcvbuf;
	int			sndbuf;
	int			unread;		/* bytes queued, not read */
	char			state[16];	/* "ESTABLISHED"; "": unknown */
	struct agent_bg		bgread;
	struct agent_bg		bgwrite;
};

/*
 * Connect to the agent at host (a numeric IPv4 or IPv6 address: no name
 * is looked up) and port, and exchange HELLO.  timeout_ms bounds the
 * connection and HELLO, and is the slack every later call adds to its own
 * timeout.
 */
struct agent	*agent_connect(const char *host, uint16_t port, int timeout_ms,
		    char **err);
/*
 * The same without blocking, for the runner's loop (on a lossy path the
 * kernel's SYN or the greeting may be lost, and a blocking connect would
 * stop every case for a second or more): agent_connect_start() starts the
 * connection; agent_connect_poll() moves it on and returns 1 once HELLO
 * is accepted, 0 while it is under way, -1 on failure (the messages are
 * agent_connect()'s: "connect: no answer in N ms", "no reply in N ms",
 * "refused HELLO: EBUSY ...").  Free the agent either way.
 */
struct agent	*agent_connect_start(const char *host, uint16_t port,
		    int timeout_ms, char **err);
int		 agent_connect_poll(struct agent *, char **err);
void		 agent_free(struct agent *);
int		 agent_last_error(const struct agent *);
const char	*agent_last_errname(const struct agent *);
const char	*agent_hello(const struct agent *);	/* HELLO's reply */

/* Blocking requests: see the protocol in agent_proto.h. */
int	agent_listen(struct agent *, int family, uint16_t port, int backlog,
	    int rcvbuf, int *handle, char **err);
int	agent_accept(struct agent *, int lhandle, int timeout_ms, int *handle,
	    struct agent_endpoints *, char **err);
int	agent_connect_to(struct agent *, const char *addr, uint16_t port,
	    uint16_t lport, int timeout_ms, int *handle,
	    struct agent_endpoints *, char **err);
int	agent_read(struct agent *, int handle, size_t max, int mode,
	    int timeout_ms, struct agent_read_result *, char **err);
int	agent_write(struct agent *, int handle, size_t count, int timeout_ms,
	    struct agent_write_result *, char **err);
int	agent_write_bytes(struct agent *, int handle, const void *, size_t,
	    int timeout_ms, struct agent_write_result *, char **err);
int	agent_shutdown(struct agent *, int handle, int how, char **err);
int	agent_close(struct agent *, int handle, char **err);
int	agent_linger(struct agent *, int handle, int on, int seconds,
	    char **err);
int	agent_rcvbuf(struct agent *, int handle, int bytes, int *actual,
	    char **err);
int	agent_sndbuf(struct agent *, int handle, int bytes, int *actual,
	    char **err);
int	agent_nodelay(struct agent *, int handle, int on, char **err);
int	agent_status(struct agent *, int handle, struct agent_status *,
	    char **err);
int	agent_poll(struct agent *, int handle, int events, int timeout_ms,
	    int *revents, char **err);

/*
 * Any request, blocking: format it, send it, wait up to timeout_ms plus
 * the slack for the reply.  Returns 0 with the reply (OK or ERR) in *r.
 */
int	agent_request(struct agent *, int timeout_ms, struct agent_reply *r,
	    char **err, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* Asynchronous use (see the top of this file). */
int	agent_fd(const struct agent *);
int	agent_send(struct agent *, char **err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* 1: *r holds the reply; 0: none yet after timeout_ms; -1: broken. */
int	agent_recv(struct agent *, int timeout_ms, struct agent_reply *r,
	    char **err);
int	agent_busy(const struct agent *);	/* a reply is awaited */

/*
 * Replies, decoded; these need no connection.  The typed decoders fail on
 * an ERR reply (with its message) and on a reply that lacks a field.
 */
int	agent_reply_parse(const char *line, struct agent_reply *, char **err);
int	agent_reply_get(const struct agent_reply *, const char *key,
	    char *buf, size_t size);		/* 0, or -1: no such key */
int	agent_reply_num(const struct agent_reply *, const char *key,
	    unsigned long long *);
int	agent_reply_endpoints(const struct agent_reply *, int *handle,
	    struct agent_endpoints *, char **err);
int	agent_reply_read(const struct agent_reply *,
	    struct agent_read_result *, char **err);
int	agent_reply_write(const struct agent_reply *,
	    struct agent_write_result *, char **err);
int	agent_reply_status(const struct agent_reply *, struct agent_status *,
	    char **err);
int	agent_reply_revents(const struct agent_reply *, int *revents,
	    char **err);

#endif /* TCPCONFORM_AGENT_CLIENT_H */
