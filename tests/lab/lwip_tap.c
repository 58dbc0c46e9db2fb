/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lwip_tap.c: an lwIP network interface on a Linux TAP device.
 *
 * Debian's liblwip ships the unix port's TAP driver (tapif_init), but it
 * cannot be used here: it copies each frame into a pbuf from PBUF_POOL,
 * whose elements the library allocates at 616 bytes (memp_PBUF_POOL.size)
 * while the pbuf it hands out claims the room of a 1460-byte MSS, so every
 * full-size frame writes past its buffer (AddressSanitizer: a 1054-byte
 * write into a 616-byte region).  This driver copies into PBUF_RAM pbufs of
 * the frame's exact size instead, and reads in a thread of its own, handing
 * frames to the stack's thread with tcpip_input().
 */
#include <sys/ioctl.h>
#include <sys/types.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lwip/opt.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"

#include "lwip_lab.h"

#define FRAME_MAX	1518	/* an Ethernet frame with a VLAN tag */

static err_t
tap_output(struct netif *nif, struct pbuf *p)
{
	struct lwip_tap *t = nif->state;
	unsigned char buf[FRAME_MAX];

	if (p->tot_len > sizeof(buf))
		return ERR_IF;
	pbuf_copy_partial(p, buf, p->tot_len, 0);
	if (write(t->fd, buf, p->tot_len) != (ssize_t)p->tot_len)
		return ERR_IF;
	return ERR_OK;
}

static void *
tap_reader(void *arg)
{
	struct netif *nif = arg;
	struct lwip_tap *t = nif->state;
	unsigned char buf[FRAME_MAX];
	struct pbuf *p;
	ssize_t n;

	for (;;) {
		n = read(t->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "lwip_target: read from %s: %s\n",
			    t->name, n == 0 ? "end of file" : strerror(errno));
			return NULL;
		}
		if ((p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_RAM)) == NULL)
			continue;
		pbuf_take(p, buf, (u16_t)n);
		if (nif->input(p, nif) != ERR_OK)
			pbuf_free(p);
	}
}

/* netif_add()'s init function; nif->state is a struct lwip_tap. */
err_t
lwip_tap_init(struct netif *nif)
{
	struct lwip_tap *t = nif->state;
	struct ifreq ifr;
	pthread_t th;

	if ((t->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) == -1) {
		fprintf(stderr, "lwip_target: /dev/net/tun: %s\n",
		    strerror(errno));
		return ERR_IF;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(t->fd, TUNSETIFF, &ifr) == -1) {
		fprintf(stderr, "lwip_target: TUNSETIFF %s: %s\n", t->name,
		    strerror(errno));
		close(t->fd);
		return ERR_IF;
	}
	nif->name[0] = 't';
	nif->name[1] = 'p';
	nif->output = etharp_output;
	nif->output_ip6 = ethip6_output;
	nif->linkoutput = tap_output;
	nif->mtu = 1500;
	nif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(nif->hwaddr, t->mac, ETH_HWADDR_LEN);
	/* MLD6: without it lwIP joins no solicited-node group. */
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
	    NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP | NETIF_FLAG_MLD6 |
	    NETIF_FLAG_LINK_UP;
	if (pthread_create(&th, NULL, tap_reader, nif) != 0) {
		close(t->fd);
		return ERR_IF;
	}
	pthread_detach(th);
	return ERR_OK;
}
