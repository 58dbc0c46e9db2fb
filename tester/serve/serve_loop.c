/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve_loop.c: "tcpconform serve" on the network: the wire layer in host-
 * or phantom-address mode (with the guard in host mode), a kernel socket
 * listening for the runner's control connections, the clock, and one
 * poll(2) loop around the target of serve.c.  Everything that decides what
 * the target does is in the core; this file only moves bytes and time.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "serve_int.h"
#include "wire.h"
#include "errmsg.h"

#define LOOP_CTL_MAX	32		/* control connections at once */
#define LOOP_OUT_MAX	(64 * 1024)	/* replies not yet written */
#define LOOP_DGRAM_MAX	65535
#define LOOP_BURST_BYTES (256 * 1024)	/* datagrams waiting for one flush */

struct loop;

/* One burst held back by serve_out_delay(): it leaves at due. */
struct loop_held {
	struct loop_held *next;
	uint64_t	 due;
	size_t		 n;
	size_t		 len[WIRE_BURST_MAX];
	uint8_t		*bytes;		/* the n datagrams, end to end */
};

struct loop_ctl {
	struct loop	*lp;
	int		 fd;		/* -1: free slot */
	struct serve_ctl *ctl;
	char		*out;
	size_t		 outlen;
	int		 eof;		/* the runner shut down its side */
	int		 dead;
};

struct loop {
	struct serve	*sv;
	struct wire	*w;
	struct guard	*g;
	struct seg_encoder *enc;
	struct wire_dump *dump;
	int		 lfd;		/* control listener */
	struct loop_ctl	 ctls[LOOP_CTL_MAX];
	uint8_t		 dgram[LOOP_DGRAM_MAX];
	/*
	 * What the target sent in one step (an input, a request, its timers),
	 * sent together by out_flush(): a copy a fault sends "at once" then
	 * leaves at once, whatever the scheduler does to this process.
	 */
	uint8_t		 burst[LOOP_BURST_BYTES];
	size_t		 burst_off[WIRE_BURST_MAX];
	size_t		 burst_len[WIRE_BURST_MAX];
	size_t		 nburst;
	size_t		 burst_used;
	struct loop_held *held;		/* bursts waiting, oldest first */
	struct loop_held **held_tail;
	FILE		*log;
};

static volatile sig_atomic_t stop;

static void	 on_signal(int);
static uint64_t	 now_us(void);
static int	 open_wire(struct loop *, const struct serve_config *,
		    const struct serve_net *, char **);
static int	 open_listener(struct loop *, const struct serve_config *,
		    const struct serve_net *, char **);
static void	 out_seg(void *, const struct seg *);
static void	 out_flush(struct loop *);
static void	 out_send(struct loop *, const uint8_t **, const size_t *,
		    size_t);
static void	 held_flush(struct loop *, uint64_t now);
static void	 out_ctl(void *, const char *, size_t);
static void	 ctl_flush(struct loop_ctl *);
static void	 ctl_close(struct loop_ctl *);
static void	 ctl_accept(struct loop *);
static void	 ctl_read(struct loop_ctl *);
static int	 ctl_finished(const struct loop_ctl *);
static int	 wire_drain(struct loop *, char **);
static int	 loop_once(struct loop *, char **);
static void	 loop_close(struct loop *);

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * The wire sees the tester (cfg->client) and every port of ours: the
 * services, any open port, the agent's listeners and active opens.  Host
 * mode keeps the kernel's RSTs from all those ports off the wire.
 */
static int
open_wire(struct loop *lp, const struct serve_config *cfg,
    const struct serve_net *net, char **err)
{
	struct wire_config wc;
	struct guard_rule r;

	wire_config_init(&wc, cfg->family);
	wc.ifname = net->ifname;
	memcpy(wc.peer, cfg->addr, sizeof(wc.peer));
	memcpy(wc.target, cfg->client, sizeof(wc.target));
	wc.port_lo = 1;
	wc.port_hi = 65535;
	wc.want_icmp = 1;
	if (net->phantom) {
		lp->w = wire_open_phantom(&wc, err);
		return lp->w == NULL ? -1 : 0;
	}
	if ((lp->g = guard_open(wc.mark, 0, err)) == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	r.family = cfg->family;
	memcpy(r.peer, cfg->addr, sizeof(r.peer));
	r.port_lo = 1;
	r.port_hi = 65535;
	if (guard_add(lp->g, &r, err) == -1 || guard_verify(lp->g, err) == -1)
		return -1;
	lp->w = wire_open_host(&wc, err);
	return lp->w == NULL ? -1 : 0;
}

static int
open_listener(struct loop *lp, const struct serve_config *cfg,
    const struct serve_net *net, char **err)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int on = 1;

	memset(&ss, 0, sizeof(ss));
	if (net->agent_family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(cfg->agent_port);
		memcpy(&sin->sin_addr, net->agent_addr, 4);
		len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(cfg->agent_port);
		memcpy(&sin6->sin6_addr, net->agent_addr, 16);
		len = sizeof(*sin6);
	}
	if ((lp->lfd = socket(net->agent_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1 || setsockopt(lp->lfd, SOL_SOCKET,
	    SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(lp->lfd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(lp->lfd, 16) == -1) {
		tc_seterr(err, "agent control port %u: %s", cfg->agent_port,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* The target sends a segment: encode it into the burst of this step. */
static void
out_seg(void *arg, const struct seg *s)
{
	struct loop *lp = arg;
	char *err = NULL;
	int n;

	if ((n = seg_encode(lp->enc, s, lp->dgram, sizeof(lp->dgram),
	    &err)) == -1) {
		fprintf(stderr, "tcpconform serve: %s\n", err);
		free(err);
		return;
	}
	if (lp->nburst == WIRE_BURST_MAX ||
	    lp->burst_used + (size_t)n > sizeof(lp->burst))
		out_flush(lp);
	memcpy(lp->burst + lp->burst_used, lp->dgram, (size_t)n);
	lp->burst_off[lp->nburst] = lp->burst_used;
	lp->burst_len[lp->nburst++] = (size_t)n;
	lp->burst_used += (size_t)n;
}

/*
 * Put the burst on the wire, or, behind a slow path (serve_out_delay()),
 * in the queue of held bursts: each leaves whole, in order.
 */
static void
out_flush(struct loop *lp)
{
	const uint8_t *d[WIRE_BURST_MAX];
	struct loop_held *h;
	uint64_t delay;
	size_t i;

	if (lp->nburst == 0)
		return;
	delay = lp->sv != NULL ? serve_out_delay(lp->sv) : 0;
	if (delay == 0) {
		for (i = 0; i < lp->nburst; i++)
			d[i] = lp->burst + lp->burst_off[i];
		out_send(lp, d, lp->burst_len, lp->nburst);
	} else {
		if ((h = calloc(1, sizeof(*h))) == NULL ||
		    (h->bytes = malloc(lp->burst_used)) == NULL)
			abort();
		/* The datagrams lie end to end in the burst buffer. */
		memcpy(h->bytes, lp->burst, lp->burst_used);
		memcpy(h->len, lp->burst_len, lp->nburst * sizeof(h->len[0]));
		h->n = lp->nburst;
		h->due = now_us() + delay;
		*lp->held_tail = h;
		lp->held_tail = &h->next;
	}
	lp->nburst = 0;
	lp->burst_used = 0;
}

/* The held bursts due by now leave; all of them when now is UINT64_MAX. */
static void
held_flush(struct loop *lp, uint64_t now)
{
	const uint8_t *d[WIRE_BURST_MAX];
	struct loop_held *h;
	size_t i, off;

	while ((h = lp->held) != NULL && h->due <= now) {
		for (i = 0, off = 0; i < h->n; off += h->len[i++])
			d[i] = h->bytes + off;
		if (lp->w != NULL)
			out_send(lp, d, h->len, h->n);
		if ((lp->held = h->next) == NULL)
			lp->held_tail = &lp->held;
		free(h->bytes);
		free(h);
	}
}

/* Datagrams on the wire in one system call, then in the pcap. */
static void
out_send(struct loop *lp, const uint8_t **d, const size_t *len, size_t n)
{
	struct timespec ts;
	char *err = NULL;
	size_t i;

	if (wire_send_burst(lp->w, d, len, n, &err) == -1) {
		fprintf(stderr, "tcpconform serve: %s\n", err);
		free(err);
		return;
	}
	if (lp->dump == NULL)
		return;
	wire_now(&ts);
	for (i = 0; i < n; i++)
		if (wire_dump_add(lp->dump, &ts, d[i], len[i], &err) == -1) {
			fprintf(stderr, "tcpconform serve: %s\n", err);
			free(err);
			err = NULL;
		}
}

/* A reply line for a control connection. */
static void
out_ctl(void *arg, const char *line, size_t len)
{
	struct loop_ctl *lc = arg;
	char *p;

	if (lc->dead)
		return;
	if (lc->outlen + len > LOOP_OUT_MAX ||
	    (p = realloc(lc->out, lc->outlen + len)) == NULL) {
		lc->dead = 1;	/* a runner that does not read its replies */
		return;
	}
	memcpy(p + lc->outlen, line, len);
	lc->out = p;
	lc->outlen += len;
	if (lc->lp->log != NULL)
		fprintf(lc->lp->log, "serve: agent> %.*s", (int)len, line);
	ctl_flush(lc);
}

static void
ctl_flush(struct loop_ctl *lc)
{
	ssize_t n;

	while (lc->outlen > 0) {
		n = write(lc->fd, lc->out, lc->outlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			lc->dead = 1;
			return;
		}
		memmove(lc->out, lc->out + n, lc->outlen - (size_t)n);
		lc->outlen -= (size_t)n;
	}
}

static void
ctl_close(struct loop_ctl *lc)
{
	struct serve_ctl *ctl = lc->ctl;

	lc->ctl = NULL;
	serve_ctl_free(ctl);
	close(lc->fd);
	free(lc->out);
	memset(lc, 0, sizeof(*lc));
	lc->fd = -1;
}

static void
ctl_accept(struct loop *lp)
{
	struct loop_ctl *lc = NULL;
	int fd, i;

	if ((fd = accept4(lp->lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1)
		return;
	for (i = 0; i < LOOP_CTL_MAX; i++)
		if (lp->ctls[i].fd == -1) {
			lc = &lp->ctls[i];
			break;
		}
	if (lc == NULL) {
		close(fd);	/* too many runners at once */
		return;
	}
	lc->lp = lp;
	lc->fd = fd;
	if ((lc->ctl = serve_ctl_new(lp->sv, out_ctl, lc)) == NULL) {
		close(fd);
		lc->fd = -1;
	}
}

static void
ctl_read(struct loop_ctl *lc)
{
	char buf[4096];
	size_t room = serve_ctl_room(lc->ctl);
	ssize_t n;

	/* Lines wait behind a waiting request: read no further for now. */
	if (room == 0)
		return;
	n = read(lc->fd, buf, room < sizeof(buf) ? room : sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n == 0) {
		/* Answer what was asked, then close (as the agent does). */
		lc->eof = 1;
		return;
	}
	if (n < 0) {
		lc->dead = 1;
		return;
	}
	if (lc->lp->log != NULL)
		fprintf(lc->lp->log, "serve: agent< %.*s", (int)n, buf);
	serve_ctl_input(lc->ctl, buf, (size_t)n, now_us());
	out_flush(lc->lp);
}

/* Every captured datagram from the tester goes to the target. */
static int
wire_drain(struct loop *lp, char **err)
{
	struct wire_pkt pkt;
	struct seg s;
	char *derr = NULL;
	int r;

	while ((r = wire_recv(lp->w, &pkt, err)) == 1) {
		if (pkt.dir != WIRE_FROM_TARGET)
			continue;
		if (lp->dump != NULL && wire_dump_add(lp->dump, &pkt.ts,
		    pkt.data, pkt.len, &derr) == -1) {
			free(derr);
			derr = NULL;
		}
		if (pkt.flags & WIRE_PKT_ICMP) {
			serve_icmp_input(lp->sv, pkt.data, pkt.len, now_us());
			out_flush(lp);
			continue;
		}
		if (seg_decode(pkt.data, pkt.len, &s, &derr) == -1) {
			free(derr);
			derr = NULL;
			continue;
		}
		serve_input(lp->sv, &s, now_us());
		out_flush(lp);
	}
	return r;
}

static int
loop_once(struct loop *lp, char **err)
{
	struct pollfd pfd[2 + LOOP_CTL_MAX];
	struct loop_ctl *map[2 + LOOP_CTL_MAX];
	uint64_t next, now;
	int n = 0, i, timeout;

	pfd[n].fd = wire_fd(lp->w);
	pfd[n++].events = POLLIN;
	pfd[n].fd = lp->lfd;
	pfd[n++].events = POLLIN;
	for (i = 0; i < LOOP_CTL_MAX; i++) {
		if (lp->ctls[i].fd == -1)
			continue;
		map[n] = &lp->ctls[i];
		pfd[n].fd = lp->ctls[i].fd;
		pfd[n++].events = (lp->ctls[i].eof ||
		    serve_ctl_room(lp->ctls[i].ctl) == 0 ? 0 : POLLIN) |
		    (lp->ctls[i].outlen > 0 ? POLLOUT : 0);
	}
	next = serve_next_timer(lp->sv);
	if (lp->held != NULL && lp->held->due < next)
		next = lp->held->due;
	now = now_us();
	timeout = next == TCP_NO_TIMER ? 1000 : next <= now ? 0 :
	    (int)((next - now + 999) / 1000);
	if (timeout > 1000)
		timeout = 1000;
	if (poll(pfd, (nfds_t)n, timeout) == -1 && errno != EINTR) {
		tc_seterr(err, "poll: %s", strerror(errno));
		return -1;
	}
	if ((pfd[0].revents & POLLIN) && wire_drain(lp, err) == -1)
		return -1;
	if (pfd[1].revents & POLLIN)
		ctl_accept(lp);
	for (i = 2; i < n; i++) {
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			ctl_read(map[i]);
		if (pfd[i].revents & POLLOUT)
			ctl_flush(map[i]);
	}
	serve_timers_run(lp->sv, now_us());
	out_flush(lp);
	for (i = 0; i < LOOP_CTL_MAX; i++)
		if (lp->ctls[i].fd != -1 && ctl_finished(&lp->ctls[i]))
			ctl_close(&lp->ctls[i]);
	out_flush(lp);		/* what closing a control connection sent */
	held_flush(lp, now_us());
	return 0;
}

/* Broken, or done (QUIT, or the runner's EOF) with every reply out. */
static int
ctl_finished(const struct loop_ctl *lc)
{
	if (lc->dead)
		return 1;
	if (lc->outlen > 0)
		return 0;
	return serve_ctl_done(lc->ctl) || (lc->eof &&
	    !serve_ctl_busy(lc->ctl));
}

static void
loop_close(struct loop *lp)
{
	char *err = NULL;
	int i;

	for (i = 0; i < LOOP_CTL_MAX; i++)
		if (lp->ctls[i].fd != -1)
			ctl_close(&lp->ctls[i]);
	/* What a slow path still holds leaves now, before any last words. */
	if (lp->w != NULL)
		out_flush(lp);
	held_flush(lp, UINT64_MAX);
	serve_free(lp->sv);
	lp->sv = NULL;
	if (lp->w != NULL)
		out_flush(lp);
	if (lp->lfd != -1)
		close(lp->lfd);
	if (lp->dump != NULL && wire_dump_close(lp->dump, 1, &err) == -1) {
		fprintf(stderr, "tcpconform serve: %s\n", err);
		free(err);
	}
	seg_encoder_free(lp->enc);
	if (lp->w != NULL)
		wire_close(lp->w);
	if (lp->g != NULL)
		guard_close(lp->g);
}

int
serve_run(const struct serve_config *cfg0, const struct serve_net *net,
    char **err)
{
	struct serve_config cfg = *cfg0;
	struct sigaction sa;
	struct loop lp;
	int i, rc = -1;

	memset(&lp, 0, sizeof(lp));
	lp.lfd = -1;
	lp.held_tail = &lp.held;
	lp.log = cfg.log;
	for (i = 0; i < LOOP_CTL_MAX; i++)
		lp.ctls[i].fd = -1;
	if (cfg.tcp.secret == 0)
		cfg.tcp.secret = serve_random_secret();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((lp.enc = seg_encoder_new(err)) == NULL ||
	    open_wire(&lp, &cfg, net, err) == -1 ||
	    (cfg.agent_port != 0 && open_listener(&lp, &cfg, net, err) == -1) ||
	    (net->pcap != NULL && (lp.dump = wire_dump_open(net->pcap,
	    err)) == NULL) ||
	    (lp.sv = serve_new(&cfg, out_seg, &lp, err)) == NULL)
		goto out;
	fprintf(stderr, "tcpconform serve: ready\n");
	while (!stop)
		if (loop_once(&lp, err) == -1)
			goto out;
	rc = 0;
out:
	loop_close(&lp);
	return rc;
}
