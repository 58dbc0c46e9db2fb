/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * slirp_target.c: libslirp as a lab target of the integration tests.
 * libslirp is a user-space NAT proxy (QEMU's user networking): its TCP, a
 * BSD-derived one, faces a guest on an Ethernet link, and for every
 * connection the guest opens it opens a real socket on this host.  Here the
 * guest's link is a TAP device: tcpconform runs on it in phantom-address
 * mode and plays the guest, so the stack under test is slirp's own TCP.
 *
 *	tcpconform (guest, phantom 198.18.0.3) --TAP-- slirp (host 198.18.0.2)
 *	    slirp --connect(2) to 127.0.0.1 or ::1--> the "application"
 *
 * A connection the guest opens to the virtual host (198.18.0.2,
 * 2001:db8::2) is connected by slirp to the same port on this host's
 * loopback; slirp's SYN-ACK waits until that connect(2) succeeded.  With
 * -f LOW-HIGH, connections made on this host to the loopback ports
 * LOW..HIGH are forwarded by slirp to the guest's same port (slirp's
 * "hostfwd"): slirp's TCP then opens actively, so the agent's CONNECT
 * reaches the peer (the test redirects the phantom's address to loopback).
 *
 * Usage: slirp_target [-v] [-f LOW-HIGH] TAPNAME
 * It prints "slirp_target: ready" once slirp runs, and exits 0 on SIGINT or
 * SIGTERM.  Test-only: never installed.
 */
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libslirp.h>

/* The lab's addresses (RFC 2544 and RFC 3849 ranges only). */
#define V4_NET		"198.18.0.0"
#define V4_MASK		"255.255.255.0"
#define V4_HOST		"198.18.0.2"	/* slirp's own address: the target */
#define V4_NS		"198.18.0.4"	/* required by slirp; DNS is off */
#define V4_DHCP		"198.18.0.15"	/* required by slirp; DHCP is off */
#define V4_GUEST	"198.18.0.3"	/* the phantom peer */
#define V6_PREFIX	"2001:db8::"
#define V6_HOST		"2001:db8::2"
#define V6_NS		"2001:db8::4"
#define V6_GUEST	"2001:db8::3"

#define FRAME_MAX	65536
#define TIMERS_MAX	16
#define POLLFDS_MAX	8192

struct timer {
	int		 used;
	int64_t		 expire_ms;	/* -1: not armed */
	SlirpTimerId	 id;
	void		*cb_opaque;
};

struct target {
	Slirp		*slirp;
	int		 tap;
	int		 verbose;
	struct timer	 timers[TIMERS_MAX];
	struct pollfd	 pfd[POLLFDS_MAX];
	int		 npfd;
};

static volatile sig_atomic_t stop;

static void	die(const char *, ...);
static void	on_signal(int);
static int64_t	now_ns(void);
static int	tap_open(const char *);
static ssize_t	cb_send(const void *, size_t, void *);
static void	cb_guest_error(const char *, void *);
static int64_t	cb_clock(void *);
static void	*cb_timer_new(SlirpTimerId, void *, void *);
static void	cb_timer_free(void *, void *);
static void	cb_timer_mod(void *, int64_t, void *);
static void	cb_nop_fd(int, void *);
static void	cb_notify(void *);
static int	add_poll(int, int, void *);
static int	get_revents(int, void *);
static void	forward(struct target *, int, int);
static void	run_timers(struct target *);
static int	next_timer(struct target *, uint32_t);
static void	tap_read(struct target *);
static void	loop(struct target *);

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "slirp_target: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Attach to (or create) the TAP device NAME: whole Ethernet frames, no
 * packet information header, non-blocking. */
static int
tap_open(const char *name)
{
	struct ifreq ifr;
	int fd;

	if (strlen(name) >= IFNAMSIZ)
		die("%s: interface name too long", name);
	if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) == -1)
		die("/dev/net/tun: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) == -1)
		die("TUNSETIFF %s: %s", name, strerror(errno));
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1)
		die("%s: O_NONBLOCK: %s", name, strerror(errno));
	return fd;
}

/* slirp sends a frame to the guest: it goes out on the TAP.  A full TAP
 * queue drops it, as a real link would; slirp's TCP retransmits. */
static ssize_t
cb_send(const void *buf, size_t len, void *opaque)
{
	struct target *t = opaque;
	ssize_t n;

	if ((n = write(t->tap, buf, len)) == -1 && errno != EAGAIN &&
	    errno != EWOULDBLOCK)
		fprintf(stderr, "slirp_target: write to the TAP: %s\n",
		    strerror(errno));
	return (ssize_t)len;
}

static void
cb_guest_error(const char *msg, void *opaque)
{
	(void)opaque;
	fprintf(stderr, "slirp_target: guest error: %s\n", msg);
}

static int64_t
cb_clock(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static void *
cb_timer_new(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct target *t = opaque;
	int i;

	for (i = 0; i < TIMERS_MAX; i++)
		if (!t->timers[i].used) {
			t->timers[i].used = 1;
			t->timers[i].expire_ms = -1;
			t->timers[i].id = id;
			t->timers[i].cb_opaque = cb_opaque;
			return &t->timers[i];
		}
	die("more than %d timers", TIMERS_MAX);
	return NULL;
}

static void
cb_timer_free(void *timer, void *opaque)
{
	struct timer *tm = timer;

	(void)opaque;
	tm->used = 0;
}

/* expire_time is in milliseconds of cb_clock's clock. */
static void
cb_timer_mod(void *timer, int64_t expire_time, void *opaque)
{
	struct timer *tm = timer;

	(void)opaque;
	tm->expire_ms = expire_time;
}

static void
cb_nop_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void
cb_notify(void *opaque)
{
	(void)opaque;
}

static int
add_poll(int fd, int events, void *opaque)
{
	struct target *t = opaque;
	struct pollfd *p;

	if (t->npfd == POLLFDS_MAX)
		die("more than %d descriptors to poll", POLLFDS_MAX);
	p = &t->pfd[t->npfd];
	p->fd = fd;
	p->events = 0;
	p->revents = 0;
	if (events & SLIRP_POLL_IN)
		p->events |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		p->events |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		p->events |= POLLPRI;
	return t->npfd++;
}

static int
get_revents(int idx, void *opaque)
{
	struct target *t = opaque;
	short r = t->pfd[idx].revents;
	int ev = 0;

	if (r & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (r & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (r & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (r & POLLERR)
		ev |= SLIRP_POLL_ERR;
	if (r & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

/*
 * hostfwd for every port of LOW..HIGH: loopback's port P (127.0.0.1 and
 * ::1) is forwarded to the guest's port P.  slirp accepts the host
 * connection and then sends its own SYN to the guest (an active open).
 */
static void
forward(struct target *t, int low, int high)
{
	struct sockaddr_in h4, g4;
	struct sockaddr_in6 h6, g6;
	int p;

	memset(&h4, 0, sizeof(h4));
	memset(&g4, 0, sizeof(g4));
	memset(&h6, 0, sizeof(h6));
	memset(&g6, 0, sizeof(g6));
	h4.sin_family = g4.sin_family = AF_INET;
	h6.sin6_family = g6.sin6_family = AF_INET6;
	h4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h6.sin6_addr = in6addr_loopback;
	inet_pton(AF_INET, V4_GUEST, &g4.sin_addr);
	inet_pton(AF_INET6, V6_GUEST, &g6.sin6_addr);
	for (p = low; p <= high; p++) {
		h4.sin_port = g4.sin_port = htons((uint16_t)p);
		h6.sin6_port = g6.sin6_port = htons((uint16_t)p);
		if (slirp_add_hostxfwd(t->slirp, (struct sockaddr *)&h4,
		    sizeof(h4), (struct sockaddr *)&g4, sizeof(g4), 0) != 0 ||
		    slirp_add_hostxfwd(t->slirp, (struct sockaddr *)&h6,
		    sizeof(h6), (struct sockaddr *)&g6, sizeof(g6),
		    SLIRP_HOSTFWD_V6ONLY) != 0)
			die("hostfwd of port %d: %s", p, strerror(errno));
	}
}

static void
run_timers(struct target *t)
{
	int64_t now = now_ns() / 1000000;
	int i;

	for (i = 0; i < TIMERS_MAX; i++) {
		if (!t->timers[i].used || t->timers[i].expire_ms < 0 ||
		    t->timers[i].expire_ms > now)
			continue;
		t->timers[i].expire_ms = -1;
		slirp_handle_timer(t->slirp, t->timers[i].id,
		    t->timers[i].cb_opaque);
	}
}

/* The poll timeout: slirp's (its TCP timers) or the next timer's. */
static int
next_timer(struct target *t, uint32_t slirp_ms)
{
	int64_t now = now_ns() / 1000000, ms;
	int i, tmo = slirp_ms > 1000 ? 1000 : (int)slirp_ms;

	for (i = 0; i < TIMERS_MAX; i++) {
		if (!t->timers[i].used || t->timers[i].expire_ms < 0)
			continue;
		ms = t->timers[i].expire_ms - now;
		if (ms < tmo)
			tmo = ms < 0 ? 0 : (int)ms;
	}
	return tmo;
}

/* Frames from the guest (what tcpconform sends on the TAP) go to slirp. */
static void
tap_read(struct target *t)
{
	uint8_t buf[FRAME_MAX];
	ssize_t n;

	while ((n = read(t->tap, buf, sizeof(buf))) > 0) {
		if (t->verbose)
			fprintf(stderr, "slirp_target: frame of %zd bytes\n",
			    n);
		slirp_input(t->slirp, buf, (int)n);
	}
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR)
		die("read from the TAP: %s", strerror(errno));
}

static void
loop(struct target *t)
{
	uint32_t tmo;
	int tap_idx, rc;

	while (!stop) {
		t->npfd = 0;
		tmo = 1000;
		slirp_pollfds_fill(t->slirp, &tmo, add_poll, t);
		tap_idx = add_poll(t->tap, SLIRP_POLL_IN, t);
		rc = poll(t->pfd, (nfds_t)t->npfd, next_timer(t, tmo));
		if (rc == -1 && errno != EINTR)
			die("poll: %s", strerror(errno));
		slirp_pollfds_poll(t->slirp, rc == -1, get_revents, t);
		if (rc > 0 && (t->pfd[tap_idx].revents & POLLIN))
			tap_read(t);
		run_timers(t);
	}
}

int
main(int argc, char **argv)
{
	static const SlirpCb cb = {
		.send_packet = cb_send,
		.guest_error = cb_guest_error,
		.clock_get_ns = cb_clock,
		.timer_free = cb_timer_free,
		.timer_mod = cb_timer_mod,
		.register_poll_fd = cb_nop_fd,
		.unregister_poll_fd = cb_nop_fd,
		.notify = cb_notify,
		.timer_new_opaque = cb_timer_new,
	};
	static struct target t;
	struct sigaction sa;
	struct rlimit rl;
	SlirpConfig cfg;
	int c, low = 0, high = -1;

	while ((c = getopt(argc, argv, "f:v")) != -1) {
		switch (c) {
		case 'f':
			if (sscanf(optarg, "%d-%d", &low, &high) != 2 ||
			    low < 1 || high > 65535 || low > high ||
			    high - low >= 2000)
				die("-f LOW-HIGH: at most 2000 ports, 1-65535");
			break;
		case 'v':
			t.verbose = 1;
			break;
		default:
			die("usage: slirp_target [-v] [-f LOW-HIGH] TAPNAME");
		}
	}
	if (optind != argc - 1)
		die("usage: slirp_target [-v] [-f LOW-HIGH] TAPNAME");

	/* Two listening sockets per forwarded port, and the connections. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max &&
	    rl.rlim_cur < 8192) {
		rl.rlim_cur = rl.rlim_max < 8192 ? rl.rlim_max : 8192;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	t.tap = tap_open(argv[optind]);
	memset(&cfg, 0, sizeof(cfg));
	cfg.version = 4;
	cfg.in_enabled = true;
	inet_pton(AF_INET, V4_NET, &cfg.vnetwork);
	inet_pton(AF_INET, V4_MASK, &cfg.vnetmask);
	inet_pton(AF_INET, V4_HOST, &cfg.vhost);
	inet_pton(AF_INET, V4_NS, &cfg.vnameserver);
	inet_pton(AF_INET, V4_DHCP, &cfg.vdhcp_start);
	cfg.in6_enabled = true;
	inet_pton(AF_INET6, V6_PREFIX, &cfg.vprefix_addr6);
	cfg.vprefix_len = 64;
	inet_pton(AF_INET6, V6_HOST, &cfg.vhost6);
	inet_pton(AF_INET6, V6_NS, &cfg.vnameserver6);
	cfg.vhostname = "slirp-target";
	cfg.disable_dns = true;
	cfg.disable_dhcp = true;
	if ((t.slirp = slirp_new(&cfg, &cb, &t)) == NULL)
		die("slirp_new failed");
	if (high >= low)
		forward(&t, low, high);
	printf("slirp_target: ready: libslirp %s on %s, host %s %s, guest "
	    "%s %s, forwarding %d-%d\n", slirp_version_string(), argv[optind],
	    V4_HOST, V6_HOST, V4_GUEST, V6_GUEST, low, high);
	fflush(stdout);
	loop(&t);
	slirp_cleanup(t.slirp);
	close(t.tap);
	return 0;
}
