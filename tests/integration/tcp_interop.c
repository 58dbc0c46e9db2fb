/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_interop.c: the peer's TCP against the Linux stack, for the interop
 * tests (tcp_interop.sh) and the benchmark.  Two roles in one program:
 *
 *   tcp_interop peer SCENARIO [options]	the peer (tcp.h) on the wire
 *   tcp_interop linux SCENARIO [options]	plain sockets, in the target
 *
 * Scenarios:
 *   bulk	the peer connects; both sides send --bytes, the side named by
 *		--first sends all and half-closes before the other starts
 *		(half-close in that direction, data flowing the other way);
 *		each prints what it sent and received with an FNV-1a hash
 *   simopen	simultaneous open: each side connects to the other's port.
 *		The peer holds its SYN until the Linux SYN is seen, then sends
 *		it before taking the Linux SYN in, so that each side receives
 *		a bare SYN while in SYN-SENT (RFC 9293 Figure 8)
 *   simclose	simultaneous close: on "C" the Linux side shuts down; the
 *		peer, which closed just before, holds its FIN until the Linux
 *		FIN is seen and delays its ACK of it, so that each side
 *		receives a FIN while in FIN-WAIT-1 (Figure 13)
 *
 * The peer can also reorder (--reorder PCT: that share of segments, both
 * ways, is held back 1 ms so that later ones overtake it) and drop (--loss
 * PCT) on its side, for systems without tc netem.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "segment.h"
#include "tcp.h"
#include "wire.h"

#define CHUNK		65536
#define HOLD_US		1000	/* reordering delay */
#define FNV_INIT	0xcbf29ce484222325ULL

enum scen { S_BULK, S_SIMOPEN, S_SIMCLOSE };

struct opts {
	enum scen	 scen;
	int		 family;
	const char	*ifname;
	const char	*peer;
	const char	*target;
	uint16_t	 port;		/* the Linux side's port */
	uint16_t	 lport;		/* the peer's port */
	uint64_t	 bytes;
	int		 first_peer;
	int		 loss;		/* per mille */
	int		 reorder;	/* per mille */
	int		 timeout;	/* seconds */
	uint32_t	 rcvbuf;
};

/* A datagram held back (reordering). */
struct held {
	struct held	*next;
	uint64_t	 at;
	int		 out;		/* 1: to the wire, 0: to tcp_input */
	size_t		 len;
	uint8_t		 buf[];
};

struct drv {
	struct opts	 o;
	struct wire	*w;
	struct seg_encoder *enc;
	struct tcp_stack *st;
	struct tcb	*tp;
	uint32_t	 rng;
	struct held	*held;

	uint64_t	 sent, sent_hash, rcvd, rcvd_hash;
	int		 eof, shut, started, closed, established;
	uint64_t	 t0, t_est, t_end, t_first_rx, t_last_rx;
	char		 states[512];
	unsigned	 final_flags;
	struct tcp_stats stats;

	int		 hold_syn, hold_fin;	/* simopen, simclose */
	struct seg	 saved;
	int		 have_saved;
	uint64_t	 ack_at;
	uint64_t	 dropped_in, dropped_out, held_n;
};

static void	 usage(void) __attribute__((noreturn));
static void	 fatal(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));
static uint64_t	 now_us(void);
static uint64_t	 fnv1a(uint64_t, const uint8_t *, size_t);
static void	 pattern(uint8_t *, uint64_t, size_t);
static int	 run_peer(struct drv *);
static int	 run_linux(const struct opts *);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: tcp_interop peer bulk|simopen|simclose -4|-6 --ifname IF\n"
	    "           --peer ADDR --target ADDR --port P [--lport P]\n"
	    "           [--bytes N] [--first peer|linux] [--loss PERMILLE]\n"
	    "           [--reorder PERMILLE] [--timeout S] [--rcvbuf N]\n"
	    "       tcp_interop linux bulk|simclose -4|-6 --target ADDR"
	    " --port P\n"
	    "           [--bytes N] [--first peer|linux] [--timeout S]\n"
	    "       tcp_interop linux simopen -4|-6 --target ADDR --port P\n"
	    "           --peer ADDR --lport P [--timeout S]\n");
	exit(2);
}

static void
fatal(const char *fmt, ...)
{
	va_list	ap;

	fputs("tcp_interop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t
fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Byte i of the stream: not periodic over the sizes sent, cheap. */
static void
pattern(uint8_t *p, uint64_t off, size_t n)
{
	size_t		i;
	uint64_t	x;

	for (i = 0; i < n; i++) {
		x = (off + i) * 0x9e3779b97f4a7c15ULL;
		p[i] = (uint8_t)(x >> 56);
	}
}

/* The peer's side. */

static uint32_t
rnd(struct drv *d)
{
	d->rng ^= d->rng << 13;
	d->rng ^= d->rng >> 17;
	d->rng ^= d->rng << 5;
	return d->rng;
}

static void
hold(struct drv *d, int out, const uint8_t *buf, size_t len)
{
	struct held	*h, **pp;

	if ((h = malloc(sizeof(*h) + len)) == NULL)
		fatal("out of memory");
	h->at = now_us() + HOLD_US;
	h->out = out;
	h->len = len;
	memcpy(h->buf, buf, len);
	for (pp = &d->held; *pp != NULL && (*pp)->at <= h->at;
	    pp = &(*pp)->next)
		;
	h->next = *pp;
	*pp = h;
	d->held_n++;
}

/* Drop or hold (1), or let pass (0). */
static int
impair(struct drv *d, int out, const uint8_t *buf, size_t len)
{
	if (d->o.loss > 0 && (int)(rnd(d) % 1000) < d->o.loss) {
		if (out)
			d->dropped_out++;
		else
			d->dropped_in++;
		return 1;
	}
	if (d->o.reorder > 0 && (int)(rnd(d) % 1000) < d->o.reorder) {
		hold(d, out, buf, len);
		return 1;
	}
	return 0;
}

static void
send_dgram(struct drv *d, const uint8_t *buf, size_t len)
{
	char	*err = NULL;

	if (wire_send(d->w, buf, len, &err) == -1)
		fatal("wire_send: %s", err);
}

static void
peer_output(void *arg, const struct seg *s)
{
	struct drv	*d = arg;
	uint8_t		 buf[65536];
	char		*err = NULL;
	int		 n;

	if ((n = seg_encode(d->enc, s, buf, sizeof(buf), &err)) == -1)
		fatal("seg_encode: %s", err);
	if (!impair(d, 1, buf, (size_t)n))
		send_dgram(d, buf, (size_t)n);
}

/* Queue as much of the stream as the send buffer takes. */
static void
pump(struct drv *d)
{
	uint8_t	buf[CHUNK];
	size_t	n;
	ssize_t	k;

	while (d->tp != NULL && d->sent < d->o.bytes) {
		n = d->o.bytes - d->sent < CHUNK ? d->o.bytes - d->sent : CHUNK;
		pattern(buf, d->sent, n);
		if ((k = tcp_send(d->tp, buf, n, NULL)) <= 0)
			return;
		d->sent_hash = fnv1a(d->sent_hash, buf, (size_t)k);
		d->sent += (uint64_t)k;
	}
	if (d->tp != NULL && d->sent == d->o.bytes && !d->shut) {
		d->shut = 1;
		tcp_shutdown(d->tp, NULL);
	}
}

static void
drain(struct drv *d, struct tcb *tp)
{
	uint8_t	buf[CHUNK];
	size_t	n;

	while ((n = tcp_recv(tp, buf, sizeof(buf))) > 0) {
		if (d->rcvd == 0)
			d->t_first_rx = now_us();
		d->t_last_rx = now_us();
		d->rcvd_hash = fnv1a(d->rcvd_hash, buf, n);
		d->rcvd += n;
	}
	if (tcp_eof(tp) && !d->eof) {
		d->eof = 1;
		/* The other side half-closed first: now we send. */
		if (d->o.scen == S_BULK && !d->o.first_peer)
			pump(d);
		if (d->o.scen != S_BULK && !d->shut) {
			d->shut = 1;
			tcp_close(tp, NULL);
		}
	}
}

static void
on_state(struct drv *d, const struct tcp_event *e)
{
	size_t	len = strlen(d->states);

	snprintf(d->states + len, sizeof(d->states) - len, "%s%s",
	    len ? " " : "", tcps_names[e->after]);
	if (e->after != TCPS_ESTABLISHED || d->established)
		return;
	d->established = 1;
	d->t_est = now_us();
	if (d->o.scen == S_BULK && d->o.first_peer)
		pump(d);
	else if (d->o.scen == S_SIMOPEN) {
		d->o.bytes = 19;
		tcp_send(d->tp, "hello from the peer", 19, NULL);
		d->sent = 19;
		d->sent_hash = fnv1a(FNV_INIT, (const uint8_t *)
		    "hello from the peer", 19);
	} else if (d->o.scen == S_SIMCLOSE) {
		tcp_send(d->tp, "C", 1, NULL);
		d->hold_fin = 1;
		d->shut = 1;
		tcp_close(d->tp, NULL);
	}
}

static void
peer_event(void *arg, const struct tcp_event *e)
{
	struct drv	*d = arg;

	if (e->tcb == NULL || e->tcb != d->tp)
		return;
	switch (e->type) {
	case TCP_EV_STATE:
		on_state(d, e);
		break;
	case TCP_EV_RECV:
		drain(d, e->tcb);
		break;
	case TCP_EV_ACKED:
		if (d->o.scen == S_BULK && (d->o.first_peer || d->eof))
			pump(d);
		break;
	case TCP_EV_CLOSED:
		d->closed = 1;
		d->t_end = now_us();
		d->final_flags = e->tcb->flags;
		d->stats = e->tcb->stats;
		if (e->reason != TCP_R_DONE)
			printf("ended by %s in %s\n",
			    tcp_reason_name(e->reason), tcps_names[e->before]);
		d->tp = NULL;
		break;
	default:
		break;
	}
}

/* Hold our own SYN (simopen) or FIN (simclose) until the other's is seen. */
static int
peer_filter(struct tcb *tp, struct seg *s, void *arg)
{
	struct drv	*d = arg;

	(void)tp;
	if ((d->hold_syn && (s->flags & SEG_SYN)) ||
	    (d->hold_fin && (s->flags & SEG_FIN))) {
		d->saved = *s;
		d->saved.data = NULL;
		d->saved.len = 0;
		d->have_saved = 1;
		return 1;
	}
	return 0;
}

/* Before the stack sees s: release what was held for it. */
static void
before_input(struct drv *d, const struct seg *s)
{
	if (d->tp == NULL || !d->have_saved)
		return;
	if (d->hold_syn && (s->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN) {
		d->hold_syn = 0;
		tcp_send_raw(d->tp, &d->saved, 0, NULL);
		d->have_saved = 0;
	} else if (d->hold_fin && (s->flags & SEG_FIN)) {
		d->hold_fin = 0;
		tcp_send_raw(d->tp, &d->saved, 0, NULL);
		d->have_saved = 0;
		/* Leave the Linux side in CLOSING for a while. */
		d->tp->hooks.no_auto_ack = 1;
		d->ack_at = now_us() + 200000;
	}
}

static void
input_dgram(struct drv *d, const uint8_t *buf, size_t len)
{
	struct seg	 s;
	char		*err = NULL;

	if (seg_decode(buf, len, &s, &err) == -1) {
		fprintf(stderr, "tcp_interop: undecodable datagram: %s\n", err);
		free(err);
		return;
	}
	before_input(d, &s);
	tcp_input(d->st, &s, now_us());
}

static void
release_held(struct drv *d)
{
	struct held	*h;
	uint64_t	 t = now_us();

	while ((h = d->held) != NULL && h->at <= t) {
		d->held = h->next;
		if (h->out)
			send_dgram(d, h->buf, h->len);
		else
			input_dgram(d, h->buf, h->len);
		free(h);
	}
	if (d->ack_at != 0 && d->ack_at <= t) {
		d->ack_at = 0;
		if (d->tp != NULL) {
			d->tp->hooks.no_auto_ack = 0;
			tcp_ack_now(d->tp);
		}
	}
}

static int
poll_ms(const struct drv *d)
{
	uint64_t	t = now_us(), next = tcp_next_timer(d->st);

	if (d->held != NULL && d->held->at < next)
		next = d->held->at;
	if (d->ack_at != 0 && d->ack_at < next)
		next = d->ack_at;
	if (next <= t)
		return 0;
	if (next - t > 100000)
		return 100;
	return (int)((next - t + 999) / 1000);
}

static void
receive(struct drv *d)
{
	struct pollfd	 pfd = { .fd = wire_fd(d->w), .events = POLLIN };
	struct wire_pkt	 p;
	char		*err = NULL;
	int		 rc;

	if (poll(&pfd, 1, poll_ms(d)) == -1 && errno != EINTR)
		fatal("poll: %s", strerror(errno));
	while ((rc = wire_recv(d->w, &p, &err)) == 1) {
		if (p.dir != WIRE_FROM_TARGET)
			continue;
		if (!impair(d, 0, p.data, p.len))
			input_dgram(d, p.data, p.len);
	}
	if (rc == -1)
		fatal("wire_recv: %s", err);
}

static void
peer_open(struct drv *d)
{
	struct wire_config	 wc;
	struct tcp_config	 tc;
	struct tcp_tuple	 t;
	char			*err = NULL;

	wire_config_init(&wc, d->o.family);
	wc.ifname = d->o.ifname;
	if (inet_pton(d->o.family, d->o.peer, wc.peer) != 1 ||
	    inet_pton(d->o.family, d->o.target, wc.target) != 1)
		fatal("bad address");
	if ((d->w = wire_open_phantom(&wc, &err)) == NULL)
		fatal("wire: %s", err);
	if ((d->enc = seg_encoder_new(&err)) == NULL)
		fatal("seg_encoder_new: %s", err);
	tcp_config_default(&tc);
	tc.msl_us = 250000;		/* TIME-WAIT: 0.5 s in the lab */
	tc.rto_min_us = 200000;		/* RFC 6298 floor lowered for a LAN */
	tc.secret = (uint64_t)now_us();
	if (d->o.rcvbuf != 0)
		tc.rcvbuf = d->o.rcvbuf;
	if ((d->st = tcp_stack_new(&tc, peer_output, peer_event, d, &err)) ==
	    NULL)
		fatal("%s", err);
	memset(&t, 0, sizeof(t));
	t.family = d->o.family;
	memcpy(t.laddr, wc.peer, 16);
	memcpy(t.raddr, wc.target, 16);
	t.lport = d->o.lport;
	t.rport = d->o.port;
	if ((d->tp = tcp_new(d->st, &t, &err)) == NULL)
		fatal("%s", err);
	d->tp->hooks.out_filter = peer_filter;
	d->tp->hooks.out_arg = d;
	d->tp->hooks.nagle = d->o.scen == S_BULK;
}

static void
peer_report(struct drv *d)
{
	uint64_t	in, drop;
	double		secs;
	char		*err = NULL;

	printf("states: %s\n", d->states);
	if (d->final_flags & TCPF_SIMOPEN)
		printf("flags: simultaneous-open\n");
	printf("sent %llu bytes fnv1a 0x%016llx\n",
	    (unsigned long long)d->sent, (unsigned long long)d->sent_hash);
	printf("received %llu bytes fnv1a 0x%016llx\n",
	    (unsigned long long)d->rcvd, (unsigned long long)d->rcvd_hash);
	printf("stats: segs_in %llu segs_out %llu rexmits %llu rto %llu "
	    "fast_rexmits %llu ooo %llu; link: held %llu dropped in %llu "
	    "out %llu\n",
	    (unsigned long long)d->stats.segs_in,
	    (unsigned long long)d->stats.segs_out,
	    (unsigned long long)d->stats.rexmits,
	    (unsigned long long)d->stats.rto_expiries,
	    (unsigned long long)d->stats.fast_rexmits,
	    (unsigned long long)d->stats.ooo_segs,
	    (unsigned long long)d->held_n,
	    (unsigned long long)d->dropped_in,
	    (unsigned long long)d->dropped_out);
	if (wire_stats(d->w, &in, &drop, &err) == 0)
		printf("capture: %llu datagrams, %llu dropped\n",
		    (unsigned long long)in, (unsigned long long)drop);
	secs = (d->t_end - d->t_est) / 1e6;
	printf("elapsed %.3f s\n", secs);
	if (d->rcvd > 0 && d->t_last_rx > d->t_first_rx)
		printf("receive throughput %.1f Mbit/s\n", d->rcvd * 8.0 /
		    (double)(d->t_last_rx - d->t_first_rx));
}

/* What a stuck connection looks like, for the log. */
static void
dump_tcb(const struct tcb *tp)
{
	int	i;

	printf("tcb: %s una %u nxt %u max %u wnd %u cwnd %u ssthresh %u "
	    "rxtshift %d dupacks %d flags 0x%x snd.len %zu rcv_nxt %u "
	    "rcv_adv %u nsacked %d timers",
	    tcps_names[tp->state], tp->snd_una - tp->iss, tp->snd_nxt - tp->iss,
	    tp->snd_max - tp->iss, tp->snd_wnd, tp->cwnd, tp->ssthresh,
	    tp->rxtshift, tp->dupacks, tp->flags, tp->snd.len,
	    tp->rcv_nxt - tp->irs, tp->rcv_adv - tp->irs, tp->nsacked);
	for (i = 0; i < TCP_T_N; i++)
		printf(" %llu", (unsigned long long)tp->timer[i]);
	printf(" now %llu\n", (unsigned long long)tcp_stack_now(tp->stack));
	for (i = 0; i < tp->nsacked; i++)
		printf("  sacked %u-%u\n", tp->sacked[i].left - tp->iss,
		    tp->sacked[i].right - tp->iss);
}

static int
run_peer(struct drv *d)
{
	uint64_t	deadline;

	d->sent_hash = d->rcvd_hash = FNV_INIT;
	d->rng = (uint32_t)now_us() | 1;
	peer_open(d);
	if (d->o.scen == S_SIMOPEN)
		d->hold_syn = 1;
	d->t0 = now_us();
	tcp_stack_clock(d->st, d->t0);
	if (tcp_connect(d->tp, NULL) == -1)
		fatal("tcp_connect failed");
	printf("ready\n");
	fflush(stdout);
	deadline = d->t0 + (uint64_t)d->o.timeout * 1000000;
	while (!d->closed) {
		if (now_us() > deadline) {
			peer_report(d);
			if (d->tp != NULL)
				dump_tcb(d->tp);
			fatal("timeout in state %s", d->tp != NULL ?
			    tcps_names[d->tp->state] : "CLOSED");
		}
		receive(d);
		release_held(d);
		tcp_timers_run(d->st, now_us());
	}
	peer_report(d);
	tcp_stack_free(d->st);
	seg_encoder_free(d->enc);
	wire_close(d->w);
	return 0;
}

/* The Linux side: plain sockets. */

static void
on_alarm(int sig)
{
	static const char	msg[] = "tcp_interop linux: timeout\n";

	(void)sig;
	(void)write(2, msg, sizeof(msg) - 1);
	_exit(3);
}

static int
sock_for(int family, const char *addr, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *sl)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;
	int			 s, one = 1;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			fatal("bad address %s", addr);
		*sl = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			fatal("bad address %s", addr);
		*sl = sizeof(*s6);
	}
	if ((s = socket(family, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		fatal("socket: %s", strerror(errno));
	return s;
}

static int
linux_accept(const struct opts *o)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 s, c;

	s = sock_for(o->family, o->target, o->port, &ss, &sl);
	if (bind(s, (struct sockaddr *)&ss, sl) == -1 || listen(s, 4) == -1)
		fatal("listen: %s", strerror(errno));
	printf("listening\n");
	fflush(stdout);
	if ((c = accept(s, NULL, NULL)) == -1)
		fatal("accept: %s", strerror(errno));
	close(s);
	return c;
}

static uint64_t
linux_read_all(int c, uint64_t *hash)
{
	uint8_t		buf[CHUNK];
	uint64_t	total = 0;
	ssize_t		n;

	*hash = FNV_INIT;
	while ((n = read(c, buf, sizeof(buf))) > 0) {
		*hash = fnv1a(*hash, buf, (size_t)n);
		total += (uint64_t)n;
	}
	if (n == -1)
		fatal("read: %s", strerror(errno));
	return total;
}

static void
linux_send_all(int c, uint64_t bytes, uint64_t *hash)
{
	uint8_t		buf[CHUNK];
	uint64_t	off = 0;
	size_t		n;
	ssize_t		k;

	*hash = FNV_INIT;
	while (off < bytes) {
		n = bytes - off < CHUNK ? bytes - off : CHUNK;
		pattern(buf, off, n);
		if ((k = write(c, buf, n)) <= 0)
			fatal("write: %s", strerror(errno));
		*hash = fnv1a(*hash, buf, (size_t)k);
		off += (uint64_t)k;
	}
}

static void
linux_bulk(const struct opts *o)
{
	uint64_t	sh, rh, got;
	int		c = linux_accept(o);

	if (o->first_peer) {
		got = linux_read_all(c, &rh);
		linux_send_all(c, o->bytes, &sh);
		shutdown(c, SHUT_WR);
	} else {
		linux_send_all(c, o->bytes, &sh);
		shutdown(c, SHUT_WR);
		got = linux_read_all(c, &rh);
	}
	close(c);
	printf("sent %llu bytes fnv1a 0x%016llx\n",
	    (unsigned long long)o->bytes, (unsigned long long)sh);
	printf("received %llu bytes fnv1a 0x%016llx\n",
	    (unsigned long long)got, (unsigned long long)rh);
}

static const char *
tcpi_name(int s)
{
	static const char *const n[] = { "?", "ESTABLISHED", "SYN_SENT",
	    "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
	    "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING" };

	return s >= 0 && s < 12 ? n[s] : "?";
}

/* After shutdown: watch the socket's state until it is closed. */
static void
linux_watch(int c)
{
	struct tcp_info	ti;
	socklen_t	tl;
	int		last = -1, i;

	printf("linux states:");
	for (i = 0; i < 20000; i++) {
		tl = sizeof(ti);
		if (getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &tl) == -1)
			break;
		if (ti.tcpi_state != last) {
			last = ti.tcpi_state;
			printf(" %s", tcpi_name(last));
		}
		if (last == 7)		/* TCP_CLOSE */
			break;
		usleep(100);
	}
	printf("\n");
}

static void
linux_simclose(const struct opts *o)
{
	char	ch;
	int	c = linux_accept(o);

	if (read(c, &ch, 1) != 1 || ch != 'C')
		fatal("expected \"C\"");
	shutdown(c, SHUT_WR);
	linux_watch(c);
	close(c);
}

static void
linux_simopen(const struct opts *o)
{
	struct sockaddr_storage	 ss, ps;
	socklen_t		 sl, pl;
	uint64_t		 rh, got, sh;
	int			 s, p;

	s = sock_for(o->family, o->target, o->port, &ss, &sl);
	p = sock_for(o->family, o->peer, o->lport, &ps, &pl);
	close(p);
	if (bind(s, (struct sockaddr *)&ss, sl) == -1)
		fatal("bind: %s", strerror(errno));
	if (connect(s, (struct sockaddr *)&ps, pl) == -1)
		fatal("connect: %s", strerror(errno));
	printf("connected\n");
	if (write(s, "hello from linux", 16) != 16)
		fatal("write: %s", strerror(errno));
	sh = fnv1a(FNV_INIT, (const uint8_t *)"hello from linux", 16);
	shutdown(s, SHUT_WR);
	got = linux_read_all(s, &rh);
	close(s);
	printf("sent 16 bytes fnv1a 0x%016llx\n", (unsigned long long)sh);
	printf("received %llu bytes fnv1a 0x%016llx\n",
	    (unsigned long long)got, (unsigned long long)rh);
}

static int
run_linux(const struct opts *o)
{
	signal(SIGALRM, on_alarm);
	alarm((unsigned)o->timeout);
	switch (o->scen) {
	case S_BULK:
		linux_bulk(o);
		break;
	case S_SIMOPEN:
		linux_simopen(o);
		break;
	case S_SIMCLOSE:
		linux_simclose(o);
		break;
	}
	fflush(stdout);
	return 0;
}

static void
parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "ifname", required_argument, NULL, 'i' },
		{ "peer", required_argument, NULL, 'p' },
		{ "target", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'P' },
		{ "lport", required_argument, NULL, 'L' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "first", required_argument, NULL, 'f' },
		{ "loss", required_argument, NULL, 'l' },
		{ "reorder", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "rcvbuf", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "46", longopts, NULL)) != -1) {
		switch (ch) {
		case '4':
			o->family = AF_INET;
			break;
		case '6':
			o->family = AF_INET6;
			break;
		case 'i':
			o->ifname = optarg;
			break;
		case 'p':
			o->peer = optarg;
			break;
		case 't':
			o->target = optarg;
			break;
		case 'P':
			o->port = (uint16_t)atoi(optarg);
			break;
		case 'L':
			o->lport = (uint16_t)atoi(optarg);
			break;
		case 'b':
			o->bytes = strtoull(optarg, NULL, 0);
			break;
		case 'f':
			o->first_peer = strcmp(optarg, "peer") == 0;
			break;
		case 'l':
			o->loss = atoi(optarg);
			break;
		case 'r':
			o->reorder = atoi(optarg);
			break;
		case 'T':
			o->timeout = atoi(optarg);
			break;
		case 'R':
			o->rcvbuf = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
}

int
main(int argc, char **argv)
{
	static struct drv	d;
	int			peer;

	if (argc < 3)
		usage();
	peer = strcmp(argv[1], "peer") == 0;
	if (!peer && strcmp(argv[1], "linux") != 0)
		usage();
	if (strcmp(argv[2], "bulk") == 0)
		d.o.scen = S_BULK;
	else if (strcmp(argv[2], "simopen") == 0)
		d.o.scen = S_SIMOPEN;
	else if (strcmp(argv[2], "simclose") == 0)
		d.o.scen = S_SIMCLOSE;
	else
		usage();
	d.o.family = AF_INET;
	d.o.first_peer = 1;
	d.o.timeout = 60;
	d.o.lport = (uint16_t)(WIRE_PORT_LO_DEFAULT + getpid() % 1000);
	optind = 3;
	parse(argc, argv, &d.o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!peer)
		return d.o.target == NULL || d.o.port == 0 ? (usage(), 2) :
		    run_linux(&d.o);
	if (d.o.ifname == NULL || d.o.peer == NULL || d.o.target == NULL ||
	    d.o.port == 0)
		usage();
	return run_peer(&d);
}
