/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent.h: the internals of tcpconform-agent shared by agent.c (options,
 * trust, the event loop) and agent_ops.c (the requests on target sockets).
 */
#ifndef TCPCONFORM_AGENT_H
#define TCPCONFORM_AGENT_H

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "agent_proto.h"
#include "agent_req.h"

#define ACL_MAX		32	/* -a and -C entries */
#define CTL_LISTEN_MAX	8	/* -l addresses */
#define CTL_MAX		64	/* -m: control connections at once */
#define CTL_DEFAULT	8
#define IDLE_DEFAULT	600	/* -i: seconds a control connection may idle */
#define OUT_MAX		(4 * AGENT_REPLY_MAX)	/* replies not yet sent */
#define IO_CHUNK	16384	/* bytes per read(2) or write(2) */
#define IO_BURST	64	/* chunks per wake-up, so one socket can't
				   starve the others */

/* An address prefix: 198.18.0.0/15, ::1/128. */
struct acl_entry {
	int		family;
	unsigned char	addr[16];
	int		plen;
};

struct acl {
	struct acl_entry e[ACL_MAX];
	int		 n;
};

struct agent_cfg {
	struct acl	trust;		/* -a: may open a control connection */
	struct acl	dest;		/* -C: where CONNECT may go */
	uint16_t	ctl_port;	/* never listened on or connected to */
	unsigned	port_lo;	/* -P: LISTEN port, CONNECT lport */
	unsigned	port_hi;
	int		idle_ms;
	int		maxctl;
	int		verbose;
};

/* A read or a write that runs until done, for a request or in background. */
struct io {
	int			 active;
	int			 fg;	/* the control connection waits */
	int			 mode;	/* READ: enum agent_read_mode */
	size_t			 want;
	size_t			 done;
	int			 end;	/* enum agent_end once finished */
	int			 error;
	uint64_t		 sum;
	int64_t			 deadline;
	const unsigned char	*data;	/* WRITEHEX bytes; NULL: pattern */
};

struct handle {
	int		fd;		/* -1: free */
	int		listening;
	uint64_t	wpos;		/* bytes written: pattern offset */
	struct io	rd;
	struct io	wr;
};

/* The request a control connection waits on (accept, connect, poll). */
struct wait {
	enum agent_verb	verb;		/* AV_NONE: nothing waits */
	int		handle;
	int		events;		/* POLL */
	int64_t		deadline;
};

struct ctl {
	int		fd;
	char		name[64];	/* "[::1]:40000" for the log */
	char		in[AGENT_LINE_MAX];
	size_t		inlen;
	int		overlong;	/* discarding up to the next LF */
	int		peer_eof;	/* the runner shut down its side */
	int		dead;		/* close now, replies or not */
	int		verbose;	/* log requests and replies */
	char		out[OUT_MAX];
	size_t		outlen;
	size_t		outoff;
	int64_t		idle_deadline;
	int		hello;
	int		closing;	/* close once the replies are out */
	struct handle	h[AGENT_MAX_HANDLES + 1];	/* h[0] unused */
	struct wait	wait;
	struct agent_req req;		/* the request being served */
	unsigned char	rdata[AGENT_HEX_MAX];	/* a READ's first bytes */
	size_t		rdatalen;
};

/* agent_acl.c: 0, or -1 for a bad prefix or a full list. */
int	acl_parse(struct acl *, const char *);
int	acl_match(const struct acl *, const struct sockaddr *);
void	acl_print(const struct acl *, char *, size_t);

/* agent.c */
int64_t	now_ms(void);
void	logmsg(const char *, ...) __attribute__((format(printf, 1, 2)));
void	ctl_put(struct ctl *, const char *, size_t);

/* agent_ops.c */
void	ops_init(struct ctl *);
void	ops_request(struct ctl *, const struct agent_cfg *, const char *,
	    size_t);
short	ops_pollevents(const struct ctl *, int);
void	ops_events(struct ctl *, int, short);
void	ops_timers(struct ctl *, int64_t);
int64_t	ops_deadline(const struct ctl *);
int	ops_busy(const struct ctl *);
void	ops_close_all(struct ctl *);

#endif /* TCPCONFORM_AGENT_H */
