/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * bench_tcp.c: figures for the peer's TCP against Linux over veth, run by
 * bench_tcp.sh ("make bench").  Roles:
 *
 *   serve	Linux, in the target: accepts forever; each connection gets
 *		--send bytes and is closed, or (--send 0) is read to EOF and
 *		closed.  epoll, so that thousands of connections are cheap.
 *   kernel-recv  Linux, in the tester: connects, reads to EOF; the
 *		kernel-to-kernel baseline over the same link.
 *   peer-recv	the peer (tcp.h) in phantom-address mode: connects, reads to
 *		EOF; prints its receive throughput and the capture's drops.
 *   peer-conns	the peer opens --count connections, at most --parallel at a
 *		time; each sends 1 KiB and shuts down; a connection is done
 *		when the target's FIN has come (TIME-WAIT).
 *
 * Every role prints "key value" lines, and peer roles their peak RSS.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

#define CHUNK	65536
#define KIB	1024

struct opts {
	const char	*role;
	int		 family;
	const char	*ifname;
	const char	*peer;
	const char	*target;
	uint16_t	 port;
	uint64_t	 bytes;
	uint64_t	 send;
	int		 count;
	int		 parallel;
	int		 timeout;
};

struct bench {
	struct opts	 o;
	struct wire	*w;
	struct seg_encoder *enc;
	struct tcp_stack *st;
	uint8_t		 laddr[16];
	uint8_t		 raddr[16];
	uint64_t	 rcvd;
	int		 done;		/* connections finished */
	int		 opened;
	int		 active;
	int		 failed;
	size_t		 peak_tcbs;
	uint64_t	 t_first, t_last;
};

static void	 fatal(const char *, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));

static void
fatal(const char *fmt, ...)
{
	va_list	ap;

	fputs("bench_tcp: ", stderr);
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

static long
peak_rss_kib(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static socklen_t
sockaddr_of(int family, const char *addr, uint16_t port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			fatal("bad address %s", addr);
		return sizeof(*s4);
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
		fatal("bad address %s", addr);
	return sizeof(*s6);
}

/* serve: one epoll loop; a connection's state is its remaining bytes. */

struct sconn {
	int		fd;
	uint64_t	left;		/* to send; 0: reading */
};

static void
serve_close(int ep, struct sconn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c);
}

static void
serve_io(int ep, struct sconn *c)
{
	static uint8_t	buf[CHUNK];
	ssize_t		n;

	if (c->left == 0) {
		while ((n = read(c->fd, buf, sizeof(buf))) > 0)
			;
		if (n == 0 || (n == -1 && errno != EAGAIN))
			serve_close(ep, c);
		return;
	}
	while (c->left > 0) {
		n = write(c->fd, buf, c->left < CHUNK ? c->left : CHUNK);
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0) {
			serve_close(ep, c);
			return;
		}
		c->left -= (uint64_t)n;
	}
	serve_close(ep, c);
}

static void
serve_accept(int ep, int ls, uint64_t send)
{
	struct epoll_event	 ev;
	struct sconn		*c;
	int			 fd;

	while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) != -1) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			fatal("out of memory");
		c->fd = fd;
		c->left = send;
		ev.events = send ? EPOLLOUT : EPOLLIN;
		ev.data.ptr = c;
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	}
}

static int
role_serve(const struct opts *o)
{
	struct sockaddr_storage	ss;
	struct epoll_event	evs[256], ev;
	socklen_t		sl;
	int			ls, ep, n, i, one = 1;

	sl = sockaddr_of(o->family, o->target, o->port, &ss);
	if ((ls = socket(o->family, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1 ||
	    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
	    -1 || bind(ls, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(ls, 4096) == -1 || (ep = epoll_create1(0)) == -1)
		fatal("listen: %s", strerror(errno));
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if ((n = epoll_wait(ep, evs, 256, -1)) == -1 && errno != EINTR)
			fatal("epoll_wait: %s", strerror(errno));
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL)
				serve_accept(ep, ls, o->send);
			else
				serve_io(ep, evs[i].data.ptr);
		}
	}
}

static int
role_kernel_recv(const struct opts *o)
{
	struct sockaddr_storage	ss;
	static uint8_t		buf[CHUNK];
	socklen_t		sl;
	uint64_t		t0 = 0, t1, total = 0;
	ssize_t			n;
	int			s;

	sl = sockaddr_of(o->family, o->target, o->port, &ss);
	if ((s = socket(o->family, SOCK_STREAM, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&ss, sl) == -1)
		fatal("connect: %s", strerror(errno));
	while ((n = read(s, buf, sizeof(buf))) > 0) {
		if (total == 0)
			t0 = now_us();
		total += (uint64_t)n;
	}
	t1 = now_us();
	close(s);
	printf("bytes %llu\n", (unsigned long long)total);
	printf("mbit_s %.1f\n", total * 8.0 / (double)(t1 - t0));
	return total == o->bytes ? 0 : 1;
}

/* The peer's roles. */

static void
peer_output(void *arg, const struct seg *s)
{
	struct bench	*b = arg;
	uint8_t		 buf[65536];
	char		*err = NULL;
	int		 n;

	if ((n = seg_encode(b->enc, s, buf, sizeof(buf), &err)) == -1 ||
	    wire_send(b->w, buf, (size_t)n, &err) == -1)
		fatal("send: %s", err);
}

static void
conn_start(struct bench *b)
{
	static const uint8_t	kib[KIB];
	struct tcp_tuple	t;
	struct tcb		*tp;
	char			*err = NULL;

	memset(&t, 0, sizeof(t));
	t.family = b->o.family;
	memcpy(t.laddr, b->laddr, 16);
	memcpy(t.raddr, b->raddr, 16);
	t.lport = (uint16_t)(20000 + b->opened);
	t.rport = b->o.port;
	tcp_stack_clock(b->st, now_us());
	if ((tp = tcp_new(b->st, &t, &err)) == NULL ||
	    tcp_connect(tp, &err) == -1)
		fatal("connect: %s", err);
	if (b->o.role[5] == 'c') {	/* peer-conns: 1 KiB, then FIN */
		tcp_send(tp, kib, sizeof(kib), NULL);
		tcp_shutdown(tp, NULL);
	}
	b->opened++;
	b->active++;
	if (tcp_stack_count(b->st) > b->peak_tcbs)
		b->peak_tcbs = tcp_stack_count(b->st);
}

static void
peer_event(void *arg, const struct tcp_event *e)
{
	struct bench	*b = arg;
	static uint8_t	 buf[CHUNK];
	size_t		 n;

	if (e->type == TCP_EV_RECV) {
		while ((n = tcp_recv(e->tcb, buf, sizeof(buf))) > 0) {
			if (b->rcvd == 0)
				b->t_first = now_us();
			b->rcvd += n;
			b->t_last = now_us();
		}
		if (tcp_eof(e->tcb) && b->o.role[5] == 'r')
			tcp_close(e->tcb, NULL);
	}
	if (e->type == TCP_EV_STATE && e->after == TCPS_TIME_WAIT) {
		b->done++;
		b->active--;
	}
	if (e->type == TCP_EV_CLOSED && e->before != TCPS_TIME_WAIT &&
	    e->reason != TCP_R_DONE) {
		b->failed++;
		b->active--;
	}
	if (e->type == TCP_EV_CLOSED && b->o.role[5] == 'r')
		b->done++;
}

static void
peer_open(struct bench *b)
{
	struct wire_config	 wc;
	struct tcp_config	 tc;
	char			*err = NULL;

	wire_config_init(&wc, b->o.family);
	wc.ifname = b->o.ifname;
	wc.port_lo = 20000;
	wc.port_hi = 39999;
	if (inet_pton(b->o.family, b->o.peer, wc.peer) != 1 ||
	    inet_pton(b->o.family, b->o.target, wc.target) != 1)
		fatal("bad address");
	memcpy(b->laddr, wc.peer, 16);
	memcpy(b->raddr, wc.target, 16);
	if ((b->w = wire_open_phantom(&wc, &err)) == NULL)
		fatal("wire: %s", err);
	if ((b->enc = seg_encoder_new(&err)) == NULL)
		fatal("encoder: %s", err);
	tcp_config_default(&tc);
	tc.msl_us = 1000000;		/* TIME-WAIT 2 s */
	tc.rto_min_us = 200000;
	tc.delack_us = 40000;		/* an ACK per two segments */
	tc.rcvbuf = 1024 * KIB;
	tc.secret = now_us();
	if ((b->st = tcp_stack_new(&tc, peer_output, peer_event, b, &err)) ==
	    NULL)
		fatal("%s", err);
}

/* One turn of the event loop: capture, timers. */
static void
peer_turn(struct bench *b)
{
	struct pollfd	 pfd = { .fd = wire_fd(b->w), .events = POLLIN };
	struct wire_pkt	 p;
	struct seg	 s;
	uint64_t	 t = now_us(), next = tcp_next_timer(b->st);
	char		*err = NULL;
	int		 ms, rc;

	ms = next <= t ? 0 : next - t > 100000 ? 100 :
	    (int)((next - t + 999) / 1000);
	if (poll(&pfd, 1, ms) == -1 && errno != EINTR)
		fatal("poll: %s", strerror(errno));
	while ((rc = wire_recv(b->w, &p, &err)) == 1) {
		if (p.dir != WIRE_FROM_TARGET)
			continue;
		if (seg_decode(p.data, p.len, &s, &err) == -1) {
			free(err);
			err = NULL;
			continue;
		}
		tcp_input(b->st, &s, now_us());
	}
	if (rc == -1)
		fatal("wire_recv: %s", err);
	tcp_timers_run(b->st, now_us());
}

static void
peer_close(struct bench *b)
{
	uint64_t	in = 0, drop = 0;
	char		*err = NULL;

	wire_stats(b->w, &in, &drop, &err);
	printf("capture_datagrams %llu\n", (unsigned long long)in);
	printf("capture_drops %llu\n", (unsigned long long)drop);
	printf("peak_rss_kib %ld\n", peak_rss_kib());
	tcp_stack_free(b->st);
	seg_encoder_free(b->enc);
	wire_close(b->w);
}

static int
role_peer_recv(struct bench *b)
{
	uint64_t	deadline;

	peer_open(b);
	conn_start(b);
	deadline = now_us() + (uint64_t)b->o.timeout * 1000000;
	while (b->done == 0 && now_us() < deadline)
		peer_turn(b);
	printf("bytes %llu\n", (unsigned long long)b->rcvd);
	if (b->t_last > b->t_first)
		printf("mbit_s %.1f\n", b->rcvd * 8.0 /
		    (double)(b->t_last - b->t_first));
	peer_close(b);
	return b->rcvd == b->o.bytes ? 0 : 1;
}

static int
role_peer_conns(struct bench *b)
{
	uint64_t	t0, deadline;

	peer_open(b);
	t0 = now_us();
	deadline = t0 + (uint64_t)b->o.timeout * 1000000;
	while (b->done + b->failed < b->o.count && now_us() < deadline) {
		while (b->opened < b->o.count && b->active < b->o.parallel)
			conn_start(b);
		peer_turn(b);
	}
	printf("connections %d\n", b->done);
	printf("failed %d\n", b->failed);
	printf("seconds %.3f\n", (now_us() - t0) / 1e6);
	printf("conn_s %.0f\n", b->done / ((now_us() - t0) / 1e6));
	printf("peak_tcbs %zu\n", b->peak_tcbs);
	printf("tcb_bytes %zu\n", sizeof(struct tcb));
	peer_close(b);
	return b->done == b->o.count ? 0 : 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_tcp serve|kernel-recv|peer-recv|"
	    "peer-conns -4|-6 [--ifname IF] [--peer A]\n"
	    "           --target A --port P [--bytes N] [--send N] [--count N]"
	    " [--parallel N] [--timeout S]\n");
	exit(2);
}

static void
parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "ifname", required_argument, NULL, 'i' },
		{ "peer", required_argument, NULL, 'p' },
		{ "target", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'P' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "send", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "parallel", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "46", lo, NULL)) != -1) {
		if (ch == '4' || ch == '6')
			o->family = ch == '4' ? AF_INET : AF_INET6;
		else if (ch == 'i')
			o->ifname = optarg;
		else if (ch == 'p')
			o->peer = optarg;
		else if (ch == 't')
			o->target = optarg;
		else if (ch == 'P')
			o->port = (uint16_t)atoi(optarg);
		else if (ch == 'b')
			o->bytes = strtoull(optarg, NULL, 0);
		else if (ch == 's')
			o->send = strtoull(optarg, NULL, 0);
		else if (ch == 'c')
			o->count = atoi(optarg);
		else if (ch == 'j')
			o->parallel = atoi(optarg);
		else if (ch == 'T')
			o->timeout = atoi(optarg);
		else
			usage();
	}
}

int
main(int argc, char **argv)
{
	static struct bench	b;

	if (argc < 2)
		usage();
	b.o.role = argv[1];
	b.o.family = AF_INET;
	b.o.count = 10000;
	b.o.parallel = 1;
	b.o.timeout = 300;
	optind = 2;
	parse(argc, argv, &b.o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (b.o.target == NULL || b.o.port == 0)
		usage();
	if (strcmp(b.o.role, "serve") == 0)
		return role_serve(&b.o);
	if (strcmp(b.o.role, "kernel-recv") == 0)
		return role_kernel_recv(&b.o);
	if (b.o.ifname == NULL || b.o.peer == NULL)
		usage();
	if (strcmp(b.o.role, "peer-recv") == 0)
		return role_peer_recv(&b);
	if (strcmp(b.o.role, "peer-conns") == 0)
		return role_peer_conns(&b);
	usage();
}
