/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * wire_handshake.c: one TCP connection to a real listener, every segment
 * built by hand (seg_encode) and sent through the wire layer, every segment
 * seen on the wire printed in packetdrill notation: handshake, data, FIN
 * both ways.  The integration tests use it to prove both addressing modes
 * and the guard; it is also the demo of what exists before the runner.
 *
 * This is deliberately not the peer's TCP (tester/tcp_*.c): a straight-line
 * client with go-back-N retransmission, enough to move N bytes reliably.
 */
#include "config.h"

#include <sys/random.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "link.h"
#include "segment.h"
#include "seq.h"
#include "wire.h"

#define EX_OK		0
#define EX_FAIL		1	/* the connection did not go as it must */
#define EX_SETUP	2	/* usage or set-up error */

#define RTO_MS		300
#define MAX_RETRIES	10
#define OUR_WSCALE	7
#define OUR_WINDOW	65535

struct opts {
	int		 phantom;
	int		 family;
	const char	*peer;
	const char	*target;
	const char	*ifname;
	const char	*peer_mac;
	const char	*target_mac;
	const char	*pcap;
	unsigned long	 port;
	unsigned long	 sport;
	unsigned long	 bytes;
	unsigned long	 mss;
	double		 hold;
	double		 timeout;
	int		 guard;
	int		 guard_no_owner;
};

struct conn {
	struct opts		*o;
	struct wire_config	 cfg;
	struct wire		*w;
	struct guard		*g;
	struct seg_encoder	*enc;
	struct wire_dump	*dump;
	uint16_t		 sport, dport;
	uint32_t		 iss, irs, snd_una, snd_nxt, rcv_nxt, snd_wnd;
	uint8_t			 snd_shift;	/* the target's window scale */
	uint16_t		 target_mss;
	int			 have_irs, got_fin, reset;
	struct timespec		 t0;
	int			 have_t0;
	unsigned		 nhost, nfixed, nbadcsum;
	uint8_t			*data;
	size_t			 datalen;
};

static void	usage(FILE *);
static int	fail(int, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	parse_opts(int, char **, struct opts *);
static int	check_opts(struct opts *);
static int	parse_num(const char *, const char *, unsigned long,
		    unsigned long, unsigned long *);
static int	setup(struct conn *);
static void	teardown(struct conn *);
static void	print_seg(struct conn *, const struct wire_pkt *,
		    const struct seg *);
static int	send_seg(struct conn *, uint16_t, uint32_t, const uint8_t *,
		    size_t);
static void	input(struct conn *, const struct seg *);
static int	pump(struct conn *, int);
static int	wait_until(struct conn *, int (*)(struct conn *), double);
static int	is_established(struct conn *);
static int	all_acked(struct conn *);
static int	closed(struct conn *);
static int	handshake(struct conn *);
static int	hold(struct conn *);
static int	send_data(struct conn *);
static int	close_conn(struct conn *);
static uint64_t	fnv1a(const uint8_t *, size_t);
static double	elapsed(const struct conn *, const struct timespec *);

static void
usage(FILE *f)
{
	fprintf(f,
"usage: wire_handshake [options] --port PORT\n"
"  --mode host|phantom  addressing mode (default host)\n"
"  -4 | -6              address family (default IPv4)\n"
"  --peer ADDR          the peer's address (host mode: 127.0.0.1 or ::1)\n"
"  --target ADDR        the listener's address (default: the peer's)\n"
"  --port PORT          the listener's port\n"
"  --sport PORT         the peer's port (default: random in 18000-18999)\n"
"  --ifname IF          capture (phantom: link) interface (host: lo)\n"
"  --peer-mac MAC       phantom: the peer's MAC (default 02:54:43:..)\n"
"  --target-mac MAC     phantom: the target's MAC (default: ARP / NS)\n"
"  --bytes N            bytes to send (default 1000)\n"
"  --mss N              MSS the peer announces (default 1460)\n"
"  --pcap FILE          write every segment seen to FILE (pcap)\n"
"  --hold SECONDS       wait after the handshake (for kill tests)\n"
"  --timeout SECONDS    give up waiting after this (default 5)\n"
"  --no-guard           host mode without the nftables guard\n"
"  --guard-no-owner     guard without \"flags owner\" (its fallback)\n");
}

static int
fail(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "wire_handshake: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static int
parse_num(const char *what, const char *s, unsigned long lo,
    unsigned long hi, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || *v < lo || *v > hi) {
		fail(EX_SETUP, "%s: \"%s\" is not a number in %lu..%lu", what,
		    s, lo, hi);
		return -1;
	}
	return 0;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "peer", required_argument, NULL, 'p' },
		{ "target", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'P' },
		{ "sport", required_argument, NULL, 's' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "peer-mac", required_argument, NULL, 'M' },
		{ "target-mac", required_argument, NULL, 'T' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "mss", required_argument, NULL, 'S' },
		{ "pcap", required_argument, NULL, 'w' },
		{ "hold", required_argument, NULL, 'H' },
		{ "timeout", required_argument, NULL, 'o' },
		{ "no-guard", no_argument, NULL, 'n' },
		{ "guard-no-owner", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, "46h", lo, NULL)) != -1) {
		switch (c) {
		case '4':
			o->family = AF_INET;
			break;
		case '6':
			o->family = AF_INET6;
			break;
		case 'm':
			if (strcmp(optarg, "host") != 0 &&
			    strcmp(optarg, "phantom") != 0)
				return fail(EX_SETUP, "--mode: \"%s\": use "
				    "host or phantom", optarg);
			o->phantom = strcmp(optarg, "phantom") == 0;
			break;
		case 'p':
			o->peer = optarg;
			break;
		case 't':
			o->target = optarg;
			break;
		case 'P':
			if (parse_num("--port", optarg, 1, 65535, &o->port))
				return EX_SETUP;
			break;
		case 's':
			if (parse_num("--sport", optarg, 1, 65535, &o->sport))
				return EX_SETUP;
			break;
		case 'i':
			o->ifname = optarg;
			break;
		case 'M':
			o->peer_mac = optarg;
			break;
		case 'T':
			o->target_mac = optarg;
			break;
		case 'b':
			if (parse_num("--bytes", optarg, 0, 1UL << 30,
			    &o->bytes))
				return EX_SETUP;
			break;
		case 'S':
			if (parse_num("--mss", optarg, 64, 65495, &o->mss))
				return EX_SETUP;
			break;
		case 'w':
			o->pcap = optarg;
			break;
		case 'H':
		case 'o':
			if (parse_num(c == 'H' ? "--hold" : "--timeout",
			    optarg, 0, 86400, &v))
				return EX_SETUP;
			*(c == 'H' ? &o->hold : &o->timeout) = (double)v;
			break;
		case 'n':
			o->guard = 0;
			break;
		case 'N':
			o->guard_no_owner = 1;
			break;
		case 'h':
			usage(stdout);
			exit(EX_OK);
		default:
			usage(stderr);
			return EX_SETUP;
		}
	}
	if (optind != argc)
		return fail(EX_SETUP, "unexpected argument \"%s\"",
		    argv[optind]);
	return check_opts(o);
}

/* What the options mean together; defaults that depend on the mode. */
static int
check_opts(struct opts *o)
{
	if (o->port == 0)
		return fail(EX_SETUP, "--port is required");
	if (o->peer == NULL) {
		if (o->phantom)
			return fail(EX_SETUP, "phantom mode needs --peer "
			    "(an unused address on the link)");
		o->peer = o->family == AF_INET6 ? "::1" : "127.0.0.1";
	}
	if (o->target == NULL)
		o->target = o->peer;
	if (o->phantom && o->ifname == NULL)
		return fail(EX_SETUP, "phantom mode needs --ifname");
	return EX_OK;
}

static uint64_t
fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static double
elapsed(const struct conn *c, const struct timespec *ts)
{
	return (double)(ts->tv_sec - c->t0.tv_sec) +
	    (double)(ts->tv_nsec - c->t0.tv_nsec) / 1e9;
}

/*
 * One line per segment, packetdrill style: "<" the peer sent it, ">" the
 * target did, "!" the host kernel did (the guard failed).  Sequence numbers
 * are relative to each side's ISN once it is known.
 */
static void
print_seg(struct conn *c, const struct wire_pkt *p, const struct seg *s)
{
	char fl[16], op[256];
	int ours = p->dir != WIRE_FROM_TARGET;
	uint32_t sbase = ours ? c->iss : c->irs, abase = ours ? c->irs : c->iss;

	if (!c->have_t0) {
		c->t0 = p->ts;
		c->have_t0 = 1;
	}
	if (!c->have_irs && !ours)
		sbase = s->seq;
	seg_flags_str(s->flags, fl, sizeof(fl));
	printf("%9.6f %s %s %u:%u(%zu)", elapsed(c, &p->ts),
	    p->dir == WIRE_FROM_TARGET ? ">" : p->dir == WIRE_FROM_PEER ?
	    "<" : "!", fl, s->seq - sbase, s->seq - sbase + (uint32_t)s->len,
	    s->len);
	if (s->flags & SEG_ACK)
		printf(" ack %u", s->ack - abase);
	printf(" win %u", s->win);
	if (s->nopts > 0)
		printf(" <%s>", seg_opts_str(s, op, sizeof(op)));
	if (p->dir == WIRE_FROM_HOST)
		printf("   (host kernel, from the peer's address)");
	if (s->warn & SEG_W_CSUM)
		printf("   (bad TCP checksum)");
	printf("\n");
	fflush(stdout);
}

static int
send_seg(struct conn *c, uint16_t flags, uint32_t seq, const uint8_t *data,
    size_t len)
{
	static uint8_t buf[40 + 65536];
	struct seg s;
	char *err = NULL;
	int n;

	seg_init(&s, c->cfg.family);
	memcpy(s.src, c->cfg.peer, 16);
	memcpy(s.dst, c->cfg.target, 16);
	s.sport = c->sport;
	s.dport = c->dport;
	s.seq = seq;
	s.flags = flags;
	s.ack = (flags & SEG_ACK) ? c->rcv_nxt : 0;
	s.win = (flags & SEG_SYN) ? OUR_WINDOW : OUR_WINDOW >> OUR_WSCALE;
	if (flags & SEG_SYN) {
		seg_add_mss(&s, (uint16_t)c->o->mss);
		seg_add_nop(&s);
		seg_add_wscale(&s, OUR_WSCALE);
		seg_add_nop(&s);
		seg_add_nop(&s);
		seg_add_sackok(&s);
	}
	s.data = data;
	s.len = len;
	if ((n = seg_encode(c->enc, &s, buf, sizeof(buf), &err)) == -1 ||
	    wire_send(c->w, buf, (size_t)n, &err) == -1) {
		fail(EX_FAIL, "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

/* What the target's segment does to our side of the connection. */
static void
input(struct conn *c, const struct seg *s)
{
	uint32_t end;

	if (s->flags & SEG_RST) {
		c->reset = 1;
		return;
	}
	if ((s->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK) &&
	    !c->have_irs && s->ack == c->iss + 1) {
		c->irs = s->seq;
		c->rcv_nxt = s->seq + 1;
		c->have_irs = 1;
		c->target_mss = (s->has & SEG_HAS_MSS) ? s->mss : 536;
		/* RFC 7323 2.2: scaling only when both SYNs carry it. */
		c->snd_shift = (s->has & SEG_HAS_WSCALE) ? s->wscale : 0;
		c->snd_una = s->ack;
		c->snd_wnd = s->win;	/* never scaled in a SYN */
		send_seg(c, SEG_ACK, c->snd_nxt, NULL, 0);
		return;
	}
	if (!c->have_irs)
		return;
	if ((s->flags & SEG_ACK) && seq_gt(s->ack, c->snd_una) &&
	    seq_le(s->ack, c->snd_nxt))
		c->snd_una = s->ack;
	if (s->flags & SEG_ACK)
		c->snd_wnd = (uint32_t)s->win << c->snd_shift;
	end = s->seq + seg_seqlen(s);
	if (seg_seqlen(s) > 0 && s->seq == c->rcv_nxt) {
		c->rcv_nxt = end;
		if (s->flags & SEG_FIN)
			c->got_fin = 1;
	}
	if (seg_seqlen(s) > 0)
		send_seg(c, SEG_ACK, c->snd_nxt, NULL, 0);
}

/* Read all that the capture holds; poll up to ms first.  -1 on error. */
static int
pump(struct conn *c, int ms)
{
	struct pollfd pfd = { .fd = wire_fd(c->w), .events = POLLIN };
	struct wire_pkt p;
	struct seg s;
	char *err = NULL;
	int rc;

	if (poll(&pfd, 1, ms) == -1 && errno != EINTR)
		return fail(EX_FAIL, "poll: %s", strerror(errno)), -1;
	while ((rc = wire_recv(c->w, &p, &err)) == 1) {
		if (seg_decode(p.data, p.len, &s, &err) == -1) {
			printf("          ? undecodable datagram: %s\n", err);
			free(err);
			err = NULL;
			continue;
		}
		c->nfixed += (p.flags & WIRE_PKT_CSUM_FIXED) != 0;
		c->nbadcsum += (s.warn & SEG_W_CSUM) != 0;
		c->nhost += p.dir == WIRE_FROM_HOST;
		if (c->dump != NULL &&
		    wire_dump_add(c->dump, &p.ts, p.data, p.len, &err) == -1)
			break;
		print_seg(c, &p, &s);
		if (p.dir == WIRE_FROM_TARGET)
			input(c, &s);
	}
	if (rc == -1) {
		fail(EX_FAIL, "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
wait_until(struct conn *c, int (*done)(struct conn *), double secs)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (done(c) || c->reset)
			return done(c) ? 0 : -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - start.tv_sec) +
		    (double)(now.tv_nsec - start.tv_nsec) / 1e9 >= secs)
			return -1;
		if (pump(c, 20) == -1)
			return -1;
	}
}

static int
is_established(struct conn *c)
{
	return c->have_irs;
}

static int
all_acked(struct conn *c)
{
	return c->snd_una == c->snd_nxt;
}

static int
closed(struct conn *c)
{
	return c->snd_una == c->snd_nxt && c->got_fin;
}

static int
handshake(struct conn *c)
{
	int tries;

	for (tries = 0; tries < MAX_RETRIES; tries++) {
		if (send_seg(c, SEG_SYN, c->iss, NULL, 0) == -1)
			return -1;
		c->snd_nxt = c->iss + 1;
		if (wait_until(c, is_established, 1.0) == 0)
			return 0;
		if (c->reset)
			return fail(EX_FAIL, "the target reset the handshake"),
			    -1;
	}
	return fail(EX_FAIL, "no SYN-ACK from the target after %d SYNs",
	    MAX_RETRIES), -1;
}

/* Keep the connection (and the guard) for a while, answering ARP/ND. */
static int
hold(struct conn *c)
{
	struct timespec start, now;

	if (c->o->hold <= 0)
		return 0;
	printf("holding %.0f s\n", c->o->hold);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		if (pump(c, 100) == -1)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((double)(now.tv_sec - start.tv_sec) < c->o->hold);
	return 0;
}

/* Go-back-N within the target's window, segments of its MSS at most. */
static int
send_data(struct conn *c)
{
	uint32_t base = c->iss + 1, una, wnd, room;
	size_t off, n;
	int retries = 0;

	while (seq_lt(c->snd_una, base + (uint32_t)c->datalen)) {
		una = c->snd_una;
		c->snd_nxt = una;
		/* A closed window still gets a one-byte probe. */
		wnd = c->snd_wnd > 0 ? c->snd_wnd : 1;
		while ((off = c->snd_nxt - base) < c->datalen &&
		    (room = wnd - (c->snd_nxt - una)) > 0 && room <= wnd) {
			n = c->datalen - off;
			n = n > c->target_mss ? c->target_mss : n;
			n = n > room ? room : n;
			if (send_seg(c, SEG_ACK | SEG_PSH, c->snd_nxt,
			    c->data + off, n) == -1)
				return -1;
			c->snd_nxt += (uint32_t)n;
		}
		wait_until(c, all_acked, RTO_MS / 1000.0);
		if (c->reset)
			return fail(EX_FAIL, "the target reset the connection"),
			    -1;
		if (c->snd_una == una && ++retries > MAX_RETRIES)
			return fail(EX_FAIL, "no progress after %d "
			    "retransmissions", MAX_RETRIES), -1;
		if (c->snd_una != una)
			retries = 0;
	}
	c->snd_nxt = base + (uint32_t)c->datalen;
	return 0;
}

/* Our FIN, then the listener's FIN after it read everything (EOF). */
static int
close_conn(struct conn *c)
{
	uint32_t fin = c->snd_nxt;
	int tries;

	for (tries = 0; tries < MAX_RETRIES; tries++) {
		if (send_seg(c, SEG_FIN | SEG_ACK, fin, NULL, 0) == -1)
			return -1;
		c->snd_nxt = fin + 1;
		if (wait_until(c, all_acked, RTO_MS / 1000.0) == 0)
			break;
		if (c->reset)
			return fail(EX_FAIL, "the target reset the connection"),
			    -1;
	}
	if (!all_acked(c))
		return fail(EX_FAIL, "our FIN was never acknowledged"), -1;
	if (wait_until(c, closed, c->o->timeout) == -1)
		return fail(EX_FAIL, "no FIN from the target within %.0f s",
		    c->o->timeout), -1;
	/* Let our last ACK reach the capture before we stop reading. */
	pump(c, 50);
	return 0;
}

static int
setup(struct conn *c)
{
	struct opts *o = c->o;
	struct guard_rule r;
	char *err = NULL, f[1024];
	uint32_t rnd[2];
	size_t i;

	wire_config_init(&c->cfg, o->family);
	c->cfg.ifname = o->ifname;
	c->cfg.want_own = 1;
	if (inet_pton(o->family, o->peer, c->cfg.peer) != 1 ||
	    inet_pton(o->family, o->target, c->cfg.target) != 1)
		return fail(EX_SETUP, "not IPv%d addresses: %s, %s",
		    o->family == AF_INET ? 4 : 6, o->peer, o->target);
	if ((o->peer_mac != NULL && link_mac_parse(o->peer_mac,
	    c->cfg.peer_mac) == -1) || (o->target_mac != NULL &&
	    link_mac_parse(o->target_mac, c->cfg.target_mac) == -1))
		return fail(EX_SETUP, "a MAC is written aa:bb:cc:dd:ee:ff");
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return fail(EX_SETUP, "getrandom: %s", strerror(errno));
	c->iss = rnd[0];
	c->sport = o->sport != 0 ? (uint16_t)o->sport : (uint16_t)
	    (c->cfg.port_lo + rnd[1] % (c->cfg.port_hi - c->cfg.port_lo + 1));
	if (c->sport < c->cfg.port_lo || c->sport > c->cfg.port_hi)
		c->cfg.port_lo = c->cfg.port_hi = c->sport;
	c->dport = (uint16_t)o->port;
	c->datalen = o->bytes;
	if ((c->data = malloc(c->datalen + 1)) == NULL)
		return fail(EX_SETUP, "out of memory");
	for (i = 0; i < c->datalen; i++)
		c->data[i] = (uint8_t)((i * 2654435761u) >> 13);
	if (!o->phantom && o->guard) {
		memset(&r, 0, sizeof(r));
		r.family = o->family;
		memcpy(r.peer, c->cfg.peer, 16);
		r.port_lo = c->cfg.port_lo;
		r.port_hi = c->cfg.port_hi;
		if ((c->g = guard_open(c->cfg.mark, o->guard_no_owner ?
		    GUARD_NO_OWNER : 0, &err)) == NULL ||
		    guard_add(c->g, &r, &err) == -1)
			goto fail;
		printf("guard: nftables table " GUARD_TABLE_FAMILY " "
		    GUARD_TABLE " verified (%s)\n", guard_owned(c->g) ?
		    "flags owner" : "no owner flag: reaper process");
		if (guard_note(c->g) != NULL)
			printf("%s\n", guard_note(c->g));
	}
	if ((c->w = o->phantom ? wire_open_phantom(&c->cfg, &err) :
	    wire_open_host(&c->cfg, &err)) == NULL)
		goto fail;
	if ((c->enc = seg_encoder_new(&err)) == NULL)
		goto fail;
	if (o->pcap != NULL && (c->dump = wire_dump_open(o->pcap, &err)) ==
	    NULL)
		goto fail;
	wire_filter_str(&c->cfg, o->phantom, f, sizeof(f));
	printf("%s mode, IPv%d, %s port %u > %s port %u on %s\n",
	    o->phantom ? "phantom" : "host", o->family == AF_INET ? 4 : 6,
	    o->peer, c->sport, o->target, c->dport,
	    o->ifname != NULL ? o->ifname : "lo");
	if (o->phantom) {
		printf("phantom MAC %s, ", link_mac_str(wire_peer_mac(c->w), f,
		    sizeof(f)));
		printf("target MAC %s\n", link_mac_str(wire_target_mac(c->w),
		    f, sizeof(f)));
	}
	fflush(stdout);
	return EX_OK;
fail:
	fail(EX_SETUP, "%s", err);
	free(err);
	return EX_SETUP;
}

static void
teardown(struct conn *c)
{
	char *err = NULL;

	if (c->dump != NULL && wire_dump_close(c->dump, 1, &err) == -1) {
		fail(EX_FAIL, "%s", err);
		free(err);
	}
	seg_encoder_free(c->enc);
	wire_close(c->w);
	guard_close(c->g);
	free(c->data);
}

int
main(int argc, char **argv)
{
	struct opts o = { .family = AF_INET, .bytes = 1000, .mss = 1460,
	    .timeout = 5, .guard = 1 };
	struct conn c;
	uint64_t recv = 0, drop = 0, dropped_rst = 0;
	char *err = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	c.o = &o;
	if ((rc = parse_opts(argc, argv, &o)) != EX_OK)
		return rc;
	if ((rc = setup(&c)) != EX_OK) {
		teardown(&c);
		return rc;
	}
	rc = EX_FAIL;
	if (handshake(&c) == 0 && hold(&c) == 0 && send_data(&c) == 0 &&
	    close_conn(&c) == 0)
		rc = EX_OK;
	if (wire_stats(c.w, &recv, &drop, &err) == -1) {
		fail(EX_FAIL, "%s", err);
		free(err);
	}
	if (c.g != NULL)
		guard_dropped(c.g, &dropped_rst, NULL);
	printf("sent %zu bytes fnv1a 0x%016llx\n", c.datalen,
	    (unsigned long long)fnv1a(c.data, c.datalen));
	printf("capture: %llu datagrams, %llu dropped; %u checksums completed "
	    "(offload), %u bad; %u from the host kernel; guard dropped %llu "
	    "RSTs\n", (unsigned long long)recv, (unsigned long long)drop,
	    c.nfixed, c.nbadcsum, c.nhost, (unsigned long long)dropped_rst);
	if (rc == EX_OK && (c.nhost > 0 || drop > 0 || c.nbadcsum > 0))
		rc = fail(EX_FAIL, "%u host-kernel segments, %llu capture "
		    "drops, %u bad checksums", c.nhost,
		    (unsigned long long)drop, c.nbadcsum);
	printf("%s\n", rc == EX_OK ? "result: ok" : "result: FAILED");
	teardown(&c);
	return rc;
}
