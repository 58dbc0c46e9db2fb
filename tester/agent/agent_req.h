/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_req.h: the agent's side of the control protocol (agent_proto.h):
 * a request line parsed into a struct, and reply lines formatted.  No
 * socket is touched here, so that unit tests and a fuzzer can drive it.
 */
#ifndef TCPCONFORM_AGENT_REQ_H
#define TCPCONFORM_AGENT_REQ_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "agent_proto.h"

#define AGENT_MSG_MAX	256	/* the message of an ERR reply */

enum agent_verb {
	AV_NONE = 0,
	AV_HELLO,
	AV_LISTEN,
	AV_ACCEPT,
	AV_CONNECT,
	AV_READ,
	AV_WRITE,
	AV_WRITEHEX,
	AV_SHUTDOWN,
	AV_CLOSE,
	AV_LINGER,
	AV_RCVBUF,
	AV_SNDBUF,
	AV_NODELAY,
	AV_KEEPALIVE,
	AV_URGENT,
	AV_STATUS,
	AV_POLL,
	AV_INFO,
	AV_QUIT,
};

/* Why a request failed: an errno value and a message for the ERR reply. */
struct agent_err {
	int	code;
	char	msg[AGENT_MSG_MAX];
};

/* Fill *e; returns -1, for "return agent_err_set(e, ...)". */
int	agent_err_set(struct agent_err *e, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* One parsed request.  Fields a verb does not use keep their defaults. */
struct agent_req {
	enum agent_verb		verb;
	int			version;	/* HELLO */
	int			handle;		/* 1..AGENT_MAX_HANDLES */
	int			family;		/* AF_INET or AF_INET6 */
	struct sockaddr_storage	addr;		/* CONNECT to (port set), */
						/* LISTEN addr= (no port) */
	socklen_t		addrlen;	/* 0: none given */
	struct sockaddr_storage	laddr;		/* CONNECT laddr= */
	socklen_t		laddrlen;	/* 0: none given */
	uint16_t		port;		/* LISTEN, CONNECT */
	uint16_t		lport;		/* CONNECT lport=, 0: any */
	int			backlog;	/* LISTEN, default 16 */
	int			rcvbuf;		/* -1: leave the system's */
	int			sndbuf;		/* -1: leave the system's */
	int			nodelay;	/* -1: leave; 0 or 1 */
	int			reuse;		/* SO_REUSEADDR, default 1 */
	int			timeout_ms;
	int			wait;		/* CONNECT wait=, default 1 */
	int			bg;		/* READ, WRITE bg= */
	int			mode;		/* READ: enum agent_read_mode */
	size_t			count;		/* READ max, WRITE(HEX) bytes */
	int			how;		/* SHUTDOWN: SHUT_RD/WR/RDWR */
	int			on;		/* LINGER, NODELAY, KEEPALIVE */
	int			seconds;	/* LINGER, KEEPALIVE */
	int			size;		/* RCVBUF, SNDBUF */
	int			events;		/* POLL: POLLIN, POLLOUT */
	unsigned char		data[AGENT_LINE_MAX / 2];	/* WRITEHEX */
};

/* What a READ or WRITE did, for its reply. */
struct agent_io_report {
	int			 is_read;
	size_t			 n;
	int			 end;		/* enum agent_end */
	int			 error;		/* errno for AGENT_END_ERROR */
	uint64_t		 sum;		/* READ: agent_sum() of all n */
	const unsigned char	*data;		/* READ: the first bytes */
	size_t			 datalen;	/* at most AGENT_HEX_MAX */
};

/*
 * Parse one request line of len bytes (without its LF; it may hold any
 * byte, NUL included).  0 and *req filled, or -1 and *e says why.
 */
int	agent_req_parse(const char *line, size_t len, struct agent_req *req,
	    struct agent_err *e);
const char *agent_verb_name(enum agent_verb);

/*
 * Reply lines, always ending with LF and NUL-terminated in buf; a reply
 * that does not fit is cut short but keeps its LF.  They return the
 * length without the NUL.
 */
size_t	agent_fmt_ok(char *buf, size_t size, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
size_t	agent_fmt_err(char *buf, size_t size, int code, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
size_t	agent_fmt_io(char *buf, size_t size, const struct agent_io_report *);

/* Numeric address and port as " <key>=A <portkey>=P" appended to buf. */
int	agent_fmt_sockaddr(char *buf, size_t size, const char *key,
	    const char *portkey, const struct sockaddr *sa);

#endif /* TCPCONFORM_AGENT_REQ_H */
