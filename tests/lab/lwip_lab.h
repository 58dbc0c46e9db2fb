/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lwip_lab.h: the lwIP lab target's parts (lwip_target.c, lwip_be.c).
 */
#ifndef TCPCONFORM_LWIP_LAB_H
#define TCPCONFORM_LWIP_LAB_H

#include <stdint.h>

#include "lab_agent.h"

struct netif;

/* The TAP device lwip_tap_init() attaches a netif to (its state). */
struct lwip_tap {
	const char	*name;
	unsigned char	 mac[6];
	int		 fd;
};

/* netif_add()'s init function (lwip_tap.c); returns an err_t. */
signed char	lwip_tap_init(struct netif *);

extern const struct lab_be lwip_be;

/* A listening lwIP socket for control connections; -1 on failure. */
int	lwip_be_ctl_listen(int, uint16_t);

#endif /* TCPCONFORM_LWIP_LAB_H */
