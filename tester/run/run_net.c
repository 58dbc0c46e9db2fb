/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_net.c: the runner's network back end over the wire layer (wire.h):
 * working out the addresses of one target and family, opening the wire in
 * host-address or phantom-address mode, and the run_net operations (clock,
 * send, wait, receive, capture statistics) on top of it.
 *
 * The run clock is the capture's (CLOCK_REALTIME, in microseconds), so the
 * times of captured segments and of the peer's own can be compared; it is
 * kept from going back by the runner (runner_now()).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "run_int.h"
#include "wire.h"

struct run_wire {
	struct wire	*w;
	struct wire_pkt	 pkt;
};

static uint64_t	rw_now(void *);
static int	rw_send(void *, const uint8_t *, size_t, char **);
static int	rw_wait(void *, uint64_t, struct pollfd *, int, char **);
static int	rw_recv(void *, struct run_pkt *, char **);
static int	rw_stats(void *, uint64_t *, uint64_t *);
static int	rw_fd(void *);
static int	source_addr(int, const uint8_t *, uint8_t *, char **);

static const struct run_net_ops rw_ops = {
	.now = rw_now,
	.send = rw_send,
	.wait = rw_wait,
	.recv = rw_recv,
	.stats = rw_stats,
	.fd = rw_fd,
};

static uint64_t
rw_now(void *arg)
{
	struct timespec ts;

	(void)arg;
	wire_now(&ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int
rw_send(void *arg, const uint8_t *d, size_t len, char **err)
{
	struct run_wire *rw = arg;

	return wire_send(rw->w, d, len, err);
}

/* poll() the capture and the fds until deadline, to the microsecond. */
static int
rw_wait(void *arg, uint64_t deadline, struct pollfd *fds, int nfds,
    char **err)
{
	struct run_wire *rw = arg;
	struct pollfd all[RUN_POLL_FDS + 1];
	struct timespec ts;
	uint64_t now = rw_now(arg), left;
	int i, n = 0;

	for (i = 0; i < nfds && n < RUN_POLL_FDS; i++)
		all[n++] = fds[i];
	all[n].fd = wire_fd(rw->w);
	all[n].events = POLLIN;
	all[n++].revents = 0;
	left = deadline > now ? deadline - now : 0;
	ts.tv_sec = (time_t)(left / 1000000);
	ts.tv_nsec = (long)(left % 1000000) * 1000;
	if (ppoll(all, (nfds_t)n, &ts, NULL) == -1 && errno != EINTR)
		return tc_seterr(err, "poll: %s", strerror(errno));
	for (i = 0; i < nfds && i < RUN_POLL_FDS; i++)
		fds[i].revents = all[i].revents;
	return 0;
}

static int
rw_recv(void *arg, struct run_pkt *p, char **err)
{
	struct run_wire *rw = arg;
	int r;

	if ((r = wire_recv(rw->w, &rw->pkt, err)) != 1)
		return r;
	p->data = rw->pkt.data;
	p->len = rw->pkt.len;
	p->t = (uint64_t)rw->pkt.ts.tv_sec * 1000000 +
	    (uint64_t)rw->pkt.ts.tv_nsec / 1000;
	p->from_host = rw->pkt.dir == WIRE_FROM_HOST;
	p->gso_size = rw->pkt.gso_size;
	return 1;
}

static int
rw_stats(void *arg, uint64_t *received, uint64_t *dropped)
{
	struct run_wire *rw = arg;
	char *err = NULL;

	if (wire_stats(rw->w, received, dropped, &err) == -1) {
		free(err);
		return -1;
	}
	return 0;
}

static int
rw_fd(void *arg)
{
	struct run_wire *rw = arg;

	return wire_fd(rw->w);
}

/* The address this host sends from to reach dst (a UDP "connect"). */
static int
source_addr(int family, const uint8_t *dst, uint8_t *src, char **err)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd, rc = -1;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		memcpy(&s4->sin_addr, dst, 4);
		s4->sin_port = htons(9);
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		memcpy(&s6->sin6_addr, dst, 16);
		s6->sin6_port = htons(9);
		len = sizeof(*s6);
	}
	if ((fd = socket(family, SOCK_DGRAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&ss, len) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		tc_seterr(err, "no route to the target: %s", strerror(errno));
	} else {
		memcpy(src, family == AF_INET ?
		    (void *)&((struct sockaddr_in *)&ss)->sin_addr :
		    (void *)&((struct sockaddr_in6 *)&ss)->sin6_addr,
		    family == AF_INET ? 4 : 16);
		rc = 0;
	}
	if (fd != -1)
		close(fd);
	return rc;
}

/*
 * Work out the target's and peer's addresses for tgt->family and open the
 * wire.  --loopback: both are 127.0.0.1 or ::1 on lo.  Host mode: the
 * peer is the address this host sends from, captured on the interface
 * that holds it (lo when the target is the host itself).  Phantom mode:
 * the peer is --phantom-addr on --iface.
 */
int
run_wire_open(const struct run_opts *o, struct run_target *tgt,
    struct run_wire **out, struct run_net *net, char **err)
{
	static char ifname[IF_NAMESIZE];
	struct wire_config cfg;
	struct run_wire *rw;
	int fam = tgt->family;

	wire_config_init(&cfg, fam);
	if (o->loopback) {
		inet_pton(fam, fam == AF_INET ? "127.0.0.1" : "::1", tgt->addr);
		memcpy(tgt->peer, tgt->addr, sizeof(tgt->peer));
		cfg.ifname = "lo";
		tgt->loopback = tgt->same_link = 1;
	} else {
		inet_pton(fam, o->target, tgt->addr);
		if (o->mode == RUN_MODE_PHANTOM) {
			inet_pton(fam, o->phantom_addr, tgt->peer);
			tgt->same_link = 1;
		} else if (source_addr(fam, tgt->addr, tgt->peer, err) == -1)
			return -1;
		tgt->loopback = memcmp(tgt->peer, tgt->addr, 16) == 0;
		if (o->iface != NULL)
			snprintf(ifname, sizeof(ifname), "%s", o->iface);
		else if (tgt->loopback)
			snprintf(ifname, sizeof(ifname), "lo");
		else if (wire_iface_of(fam, tgt->peer, ifname,
		    sizeof(ifname)) == -1)
			snprintf(ifname, sizeof(ifname), "any");
		cfg.ifname = ifname;
	}
	memcpy(cfg.peer, tgt->peer, sizeof(cfg.peer));
	memcpy(cfg.target, tgt->addr, sizeof(cfg.target));
	if ((rw = calloc(1, sizeof(*rw))) == NULL)
		abort();
	rw->w = o->mode == RUN_MODE_PHANTOM && !o->loopback ?
	    wire_open_phantom(&cfg, err) : wire_open_host(&cfg, err);
	if (rw->w == NULL) {
		free(rw);
		return -1;
	}
	*out = rw;
	net->ops = &rw_ops;
	net->arg = rw;
	return 0;
}

void
run_wire_close(struct run_wire *rw)
{
	if (rw == NULL)
		return;
	wire_close(rw->w);
	free(rw);
}
