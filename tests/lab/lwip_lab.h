/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lwip_lab.h: the lwIP lab target's parts: the TAP interface
 * (lwip_tap.c), the agent engine's back end on lwIP's sockets (lwip_be.c)
 * and the loop that serves its control connections (lwip_agent.c).
 */
#ifndef TCPCONFORM_LWIP_LAB_H
#define TCPCONFORM_LWIP_LAB_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "agent_engine.h"

struct netif;

/* The TAP device lwip_tap_init() attaches a netif to (its state). */
struct lwip_tap {
	const char	*name;
	unsigned char	 mac[6];
	int		 fd;
};

/* netif_add()'s init function (lwip_tap.c); returns an err_t. */
signed char	lwip_tap_init(struct netif *);

/* The agent's settings. */
struct lwip_agent_cfg {
	uint16_t	 ctl_port;	/* never bound or connected to */
	int		(*trusted)(const struct sockaddr_storage *);
	int		 verbose;
	volatile int	*stop;		/* set by a signal: return */
};

#define LWIP_CTL_OUT	(4 * AGENT_REPLY_MAX)

/* A control connection: an lwIP socket and the engine's state for it. */
struct lwip_ctl {
	const struct lwip_agent_cfg *cfg;
	int		 s;
	char		 name[64];
	struct agent_ctl *ac;
	char		 out[LWIP_CTL_OUT];
	size_t		 outlen;
	size_t		 outoff;
	int		 peer_eof;
	int		 dead;
};

/* lwip_be.c: the back end; lwIP's poll bits for the engine's events. */
extern const struct agent_ops lwip_agent_ops;
short		lwip_be_events(int);

/* lwip_agent.c: what the back end's table needs of the control link. */
uint64_t	lwip_ctl_now(void *);
void		lwip_ctl_reply(void *, const char *, size_t);
int		lwip_ctl_can_reply(void *);
void		lwip_ctl_request(void *, const char *, size_t);

/* A listening lwIP socket (control port, services); -1 on failure. */
int		lwip_listen_on(int, uint16_t, int);
/*
 * Serve control connections on the listening sockets (up to two, -1 for
 * none) until *cfg->stop; 0, or -1 on a poll error.
 */
int		lwip_agent_serve(const struct lwip_agent_cfg *, const int *);

#endif /* TCPCONFORM_LWIP_LAB_H */
