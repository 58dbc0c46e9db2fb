/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent.h: the internals of tcpconform-agent shared by agent.c (options,
 * trust, the event loop) and agent_posix.c (the protocol engine's back end
 * on the target's sockets).
 */
#ifndef TCPCONFORM_AGENT_H
#define TCPCONFORM_AGENT_H

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "agent_proto.h"
#include "agent_engine.h"
#include "agent_req.h"

#define ACL_MAX		32	/* -a and -C entries */
#define CTL_LISTEN_MAX	8	/* -l addresses */
#define CTL_MAX		64	/* -m: control connections at once */
#define CTL_DEFAULT	8
#define IDLE_DEFAULT	600	/* -i: seconds a control connection may idle */
#define OUT_MAX		(4 * AGENT_REPLY_MAX)	/* replies not yet sent */
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
	uint64_t	idle_us;
	int		maxctl;
	int		verbose;
};

struct ctl {
	int		 fd;
	char		 name[64];	/* "[::1]:40000" for the log */
	const struct agent_cfg *cfg;
	struct agent_ctl *ac;		/* the protocol engine's side */
	int		 peer_eof;	/* the runner shut down its side */
	int		 dead;		/* close now, replies or not */
	int		 verbose;	/* log requests and replies */
	char		 out[OUT_MAX];
	size_t		 outlen;
	size_t		 outoff;
	uint64_t	 idle_deadline;
};

/* agent_acl.c: 0, or -1 for a bad prefix or a full list. */
int	acl_parse(struct acl *, const char *);
int	acl_match(const struct acl *, const struct sockaddr *);
void	acl_print(const struct acl *, char *, size_t);

/* agent.c */
void	logmsg(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_line(struct ctl *, int, const char *, size_t);
void	ctl_put(struct ctl *, const char *, size_t);

/* agent_posix.c: the engine's back end on kernel sockets. */
extern const struct agent_ops agent_posix_ops;
uint64_t now_us(void);
short	agent_posix_events(int);

#endif /* TCPCONFORM_AGENT_H */
