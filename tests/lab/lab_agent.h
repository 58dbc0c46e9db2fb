/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lab_agent.h: the agent control protocol (agent_proto.h) for a lab target
 * whose TCP is not the kernel's.  The protocol engine (lab_agent.c: control
 * connections, request lines, waits, replies) drives a back end through
 * struct lab_be, one function per request, on the back end's own sockets;
 * lwip_be.c is the back end on lwIP's socket API.
 *
 * The back end's sockets are small integers of its own (not kernel fds):
 * the engine only hands them back to the back end, and waits on them with
 * the back end's poll.  The control connections are back end sockets too,
 * so that one poll covers everything (lwIP's poll knows only lwIP's
 * sockets).
 */
#ifndef TCPCONFORM_LAB_AGENT_H
#define TCPCONFORM_LAB_AGENT_H

#include <sys/types.h>
#include <sys/socket.h>
#include <poll.h>

#include <stddef.h>
#include <stdint.h>

#include "agent_proto.h"
#include "agent_req.h"

/* What STATUS reports about a socket; -1 or "" where unknown. */
struct lab_sockinfo {
	int	rcvbuf;
	int	sndbuf;
	int	unread;
	char	state[16];	/* RFC 9293 name: "ESTABLISHED" */
};

/*
 * A back end.  Functions that can fail return -1 with *e (an errno value
 * and a message) filled; sockets are non-blocking.  read and write return
 * the count, 0 for end of file (read), or -1 with *err set (EAGAIN: try
 * again when poll says so).
 */
struct lab_be {
	const char *name;	/* agent= in HELLO's reply */
	const char *os;		/* os= in HELLO's reply */
	int	(*listen)(const struct agent_req *, int *, struct agent_err *);
	/* 1 and *s: a connection; 0: none queued yet; -1: an error. */
	int	(*accept)(int, int *, struct sockaddr_storage *,
		    struct agent_err *);
	/* *inprogress = 1: the handshake runs, poll for POLLOUT. */
	int	(*connect)(const struct agent_req *, int *, int *,
		    struct agent_err *);
	int	(*connect_result)(int, struct agent_err *);
	ssize_t	(*read)(int, void *, size_t, int *);
	ssize_t	(*write)(int, const void *, size_t, int *);
	int	(*shutdown)(int, int, struct agent_err *);
	void	(*close)(int);
	int	(*linger)(int, int, int, struct agent_err *);
	/* opt: SO_RCVBUF or SO_SNDBUF; *got: the size as read back. */
	int	(*setbuf)(int, int, int, int *, struct agent_err *);
	int	(*nodelay)(int, int, struct agent_err *);
	/* Local (peer = 0) or peer address; -1 when there is none. */
	int	(*sockname)(int, int, struct sockaddr_storage *);
	void	(*info)(int, struct lab_sockinfo *);
	int	(*poll)(struct pollfd *, nfds_t, int);
};

/* The engine's settings. */
struct lab_agent_cfg {
	const struct lab_be *be;
	int		ctl_listen[2];	/* back end sockets; -1: none */
	uint16_t	ctl_port;	/* never bound or connected to */
	int		(*trusted)(const struct sockaddr_storage *);
	int		verbose;
	volatile int	*stop;		/* set by a signal: return */
};

/* Serve control connections until *cfg->stop; 0, or -1 on a poll error. */
int	lab_agent_serve(const struct lab_agent_cfg *);

#endif /* TCPCONFORM_LAB_AGENT_H */
