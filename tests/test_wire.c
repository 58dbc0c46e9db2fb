/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_wire.c: unit tests of the wire layer that need no network: the BPF
 * filter (compiled by libpcap and run on built frames), reading IP headers,
 * telling the target's datagrams from the peer's and the host's, completing
 * offloaded checksums, and pcap files written then read back by libpcap.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "icmp.h"
#include "inet_sum.h"
#include "link.h"
#include "segment.h"
#include "wire.h"
#include "wire_int.h"

#define V4_PEER		"198.18.0.3"
#define V4_TARGET	"198.18.0.2"
#define V6_PEER		"2001:db8::3"
#define V6_TARGET	"2001:db8::2"

/* Encode one TCP segment with the codec; returns its length. */
static size_t
mk(int family, const char *src, const char *dst, uint16_t sport,
    uint16_t dport, const char *payload, uint8_t *buf, size_t cap)
{
	struct seg_encoder *e;
	struct seg s;
	char *err = NULL;
	int n;

	seg_init(&s, family);
	assert_int_equal(inet_pton(family, src, s.src), 1);
	assert_int_equal(inet_pton(family, dst, s.dst), 1);
	s.sport = sport;
	s.dport = dport;
	s.seq = 1000;
	s.ack = 2000;
	s.flags = SEG_ACK | SEG_PSH;
	s.win = 512;
	s.data = (const uint8_t *)payload;
	s.len = strlen(payload);
	assert_non_null(e = seg_encoder_new(&err));
	n = seg_encode(e, &s, buf, cap, &err);
	if (n < 0)
		fail_msg("seg_encode: %s", err);
	seg_encoder_free(e);
	return (size_t)n;
}

static void
cfg_init(struct wire_config *cfg, int family, const char *peer,
    const char *target)
{
	wire_config_init(cfg, family);
	assert_int_equal(inet_pton(family, peer, cfg->peer), 1);
	assert_int_equal(inet_pton(family, target, cfg->target), 1);
}

/* Does the filter compiled for cfg pass this Ethernet frame? */
static int
passes(const struct wire_config *cfg, int phantom, const uint8_t *frame,
    size_t len)
{
	struct bpf_program prog;
	struct pcap_pkthdr ph;
	char f[1024];
	pcap_t *pc;
	int rc;

	assert_int_equal(wire_filter_str(cfg, phantom, f, sizeof(f)), 0);
	assert_non_null(pc = pcap_open_dead(DLT_EN10MB, 65535));
	if (pcap_compile(pc, &prog, f, 1, PCAP_NETMASK_UNKNOWN) == -1)
		fail_msg("filter \"%s\": %s", f, pcap_geterr(pc));
	memset(&ph, 0, sizeof(ph));
	ph.caplen = ph.len = (bpf_u_int32)len;
	rc = pcap_offline_filter(&prog, &ph, frame) != 0;
	pcap_freecode(&prog);
	pcap_close(pc);
	return rc;
}

/* A TCP datagram in an Ethernet frame. */
static size_t
frame_tcp(int family, const char *src, const char *dst, uint16_t sport,
    uint16_t dport, uint8_t *f, size_t cap)
{
	static const uint8_t m[6];

	link_eth_header(f, m, m, family == AF_INET6 ? LINK_ETHERTYPE_IPV6 :
	    LINK_ETHERTYPE_IP);
	return LINK_ETH_HLEN + mk(family, src, dst, sport, dport, "x",
	    f + LINK_ETH_HLEN, cap - LINK_ETH_HLEN);
}

/*
 * want_icmp (serve): ICMP and ICMPv6 errors to the peer's address pass the
 * filter, whoever sends them, quoting a TCP segment of the flows; an echo
 * request does not, nor an error to another address, nor any error without
 * want_icmp.
 */
static void
wire_filter_icmp_errors(void **state)
{
	static const uint8_t m[6];
	static const struct {
		int		 family;
		const char	*peer, *target, *router, *other;
		uint8_t		 err, echo;
	} t[] = {
		{ AF_INET, V4_PEER, V4_TARGET, "198.18.0.9", "198.18.0.7", 3,
		    8 },
		{ AF_INET6, V6_PEER, V6_TARGET, "2001:db8::9", "2001:db8::7",
		    1, 128 },
	};
	struct wire_config cfg;
	struct icmp_err e;
	uint8_t q[128], f[512];
	size_t i, k, ql;
	int n;

	(void)state;
	for (i = 0; i < 2; i++) {
		cfg_init(&cfg, t[i].family, t[i].peer, t[i].target);
		ql = mk(t[i].family, t[i].peer, t[i].target, 18001, 80, "x", q,
		    sizeof(q));
		for (k = 0; k < 4; k++) {
			memset(&e, 0, sizeof(e));
			e.family = t[i].family;
			inet_pton(t[i].family, t[i].router, e.src);
			inet_pton(t[i].family, k == 2 ? t[i].other :
			    t[i].peer, e.dst);
			e.type = k == 1 ? t[i].echo : t[i].err;
			e.quote = q;
			e.quotelen = ql;
			link_eth_header(f, m, m, t[i].family == AF_INET6 ?
			    LINK_ETHERTYPE_IPV6 : LINK_ETHERTYPE_IP);
			assert_true((n = icmp_err_encode(&e, f + LINK_ETH_HLEN,
			    sizeof(f) - LINK_ETH_HLEN)) > 0);
			cfg.want_icmp = k != 3;
			assert_int_equal(passes(&cfg, 0, f, LINK_ETH_HLEN +
			    (size_t)n), k == 0);
			assert_int_equal(passes(&cfg, 1, f, LINK_ETH_HLEN +
			    (size_t)n), k == 0);
		}
	}
}

static void
wire_filter_host_text(void **state)
{
	struct wire_config cfg;
	char f[1024];

	(void)state;
	cfg_init(&cfg, AF_INET, "127.0.0.1", "127.0.0.1");
	assert_int_equal(wire_filter_str(&cfg, 0, f, sizeof(f)), 0);
	assert_string_equal(f, "(ip and tcp and ((src host 127.0.0.1 and "
	    "dst host 127.0.0.1 and dst portrange 18000-18999) or "
	    "(src host 127.0.0.1 and dst host 127.0.0.1 and src portrange "
	    "18000-18999)))");
	assert_int_equal(wire_filter_str(&cfg, 0, f, 40), -1);
}

static void
wire_filter_passes_only_flows_under_test_ipv4(void **state)
{
	struct wire_config cfg;
	struct link_arp a;
	uint8_t f[256];
	size_t n;

	(void)state;
	cfg_init(&cfg, AF_INET, V4_PEER, V4_TARGET);
	n = frame_tcp(AF_INET, V4_TARGET, V4_PEER, 80, 18001, f, sizeof(f));
	assert_true(passes(&cfg, 1, f, n));
	assert_true(passes(&cfg, 0, f, n));
	n = frame_tcp(AF_INET, V4_PEER, V4_TARGET, 18999, 80, f, sizeof(f));
	assert_true(passes(&cfg, 1, f, n));
	n = frame_tcp(AF_INET, V4_TARGET, V4_PEER, 80, 17999, f, sizeof(f));
	assert_false(passes(&cfg, 1, f, n));
	n = frame_tcp(AF_INET, "198.18.0.9", V4_PEER, 80, 18001, f, sizeof(f));
	assert_false(passes(&cfg, 1, f, n));

	memset(&a, 0, sizeof(a));
	a.op = LINK_ARP_REQUEST;
	inet_pton(AF_INET, V4_TARGET, a.spa);
	inet_pton(AF_INET, V4_PEER, a.tpa);
	n = link_arp_build(f, sizeof(f), &a, NULL);
	assert_true(passes(&cfg, 1, f, n));
	assert_false(passes(&cfg, 0, f, n));	/* host mode: no ARP */
	inet_pton(AF_INET, "198.18.0.9", a.tpa);
	n = link_arp_build(f, sizeof(f), &a, NULL);
	assert_false(passes(&cfg, 1, f, n));
	/* Another owner's reply to the phantom's probe (RFC 5227). */
	a.op = LINK_ARP_REPLY;
	inet_pton(AF_INET, V4_PEER, a.spa);
	memset(a.tpa, 0, 4);
	n = link_arp_build(f, sizeof(f), &a, NULL);
	assert_true(passes(&cfg, 1, f, n));
}

static void
wire_filter_passes_only_flows_under_test_ipv6(void **state)
{
	struct wire_config cfg;
	uint8_t f[256], p[16], t[16], other[16];
	static const uint8_t m[6] = { 2, 0, 0, 0, 0, 2 };
	size_t n;

	(void)state;
	cfg_init(&cfg, AF_INET6, V6_PEER, V6_TARGET);
	inet_pton(AF_INET6, V6_PEER, p);
	inet_pton(AF_INET6, V6_TARGET, t);
	inet_pton(AF_INET6, "2001:db8::9", other);
	n = frame_tcp(AF_INET6, V6_TARGET, V6_PEER, 80, 18500, f, sizeof(f));
	assert_true(passes(&cfg, 1, f, n));
	n = frame_tcp(AF_INET6, V6_TARGET, V6_PEER, 80, 19000, f, sizeof(f));
	assert_false(passes(&cfg, 1, f, n));
	/* The target soliciting the phantom, and advertising to it. */
	n = link_ns_build(f, sizeof(f), m, t, p);
	assert_true(passes(&cfg, 1, f, n));
	assert_false(passes(&cfg, 0, f, n));
	n = link_ns_build(f, sizeof(f), m, t, other);
	assert_false(passes(&cfg, 1, f, n));
	n = link_na_build(f, sizeof(f), m, m, t, p, LINK_NA_SOLICITED);
	assert_true(passes(&cfg, 1, f, n));
	n = link_na_build(f, sizeof(f), m, m, t, other, LINK_NA_SOLICITED);
	assert_false(passes(&cfg, 1, f, n));
	/* Another owner's advertisement of the phantom's address, to all
	 * nodes, answering duplicate address detection (RFC 4862 5.4.3). */
	inet_pton(AF_INET6, "ff02::1", other);
	n = link_na_build(f, sizeof(f), m, m, p, other, LINK_NA_OVERRIDE);
	assert_true(passes(&cfg, 1, f, n));
}

static void
wire_hdr_parse_ipv4_options_and_fragments(void **state)
{
	uint8_t d[128], o[128];
	struct wire_hdr h;
	size_t n;

	(void)state;
	n = mk(AF_INET, V4_TARGET, V4_PEER, 80, 18001, "abc", d, sizeof(d));
	assert_int_equal(wire_hdr_parse(d, n, &h), 0);
	assert_int_equal(h.l4off, 20);
	assert_int_equal(h.l4len, n - 20);
	assert_int_equal(h.sport, 80);
	assert_int_equal(h.dport, 18001);
	/* Four NOP option bytes: IHL 6, TCP 24 bytes in. */
	memcpy(o, d, 20);
	memset(o + 20, 1, 4);
	memcpy(o + 24, d + 20, n - 20);
	o[0] = 0x46;
	o[3] += 4;
	assert_int_equal(wire_hdr_parse(o, n + 4, &h), 0);
	assert_int_equal(h.l4off, 24);
	assert_int_equal(h.dport, 18001);
	/* A later fragment has no TCP header. */
	d[7] = 0x10;
	assert_int_equal(wire_hdr_parse(d, n, &h), -1);
	d[7] = 0;
	assert_int_equal(wire_hdr_parse(d, 22, &h), -1);
	/* Every truncation, from a heap copy of exactly that length, so
	 * that ASan sees any read past the end (found by fuzz_wire). */
	for (n = 0; n < 24; n++) {
		uint8_t *c = malloc(n > 0 ? n : 1);

		assert_non_null(c);
		memcpy(c, d, n);
		assert_int_equal(wire_hdr_parse(c, n, &h), -1);
		free(c);
	}
}

/* RFC 8200 4.3: a hop-by-hop header before TCP is skipped. */
static void
wire_hdr_parse_ipv6_extension_header(void **state)
{
	uint8_t d[160], o[160];
	struct wire_hdr h;
	size_t n;

	(void)state;
	n = mk(AF_INET6, V6_TARGET, V6_PEER, 80, 18002, "abc", d, sizeof(d));
	memcpy(o, d, 40);
	memset(o + 40, 0, 8);
	o[40] = 6;		/* next: TCP */
	o[42] = 1;		/* PadN, 4 bytes */
	o[43] = 4;
	memcpy(o + 48, d + 40, n - 40);
	o[6] = 0;		/* hop-by-hop */
	o[5] += 8;
	assert_int_equal(wire_hdr_parse(o, n + 8, &h), 0);
	assert_int_equal(h.family, AF_INET6);
	assert_int_equal(h.l4off, 48);
	assert_int_equal(h.l4len, n - 40);
	assert_int_equal(h.sport, 80);
	assert_int_equal(h.dport, 18002);
	assert_int_equal(wire_hdr_parse(o, 50, &h), -1);
}

/*
 * On loopback peer and target share 127.0.0.1: the peer's own datagrams
 * are told by fingerprint (even when the kernel rewrote the IPv4 ID), the
 * target's by the peer's port range, and a datagram from the peer's port
 * that the peer did not send is the host kernel's.
 */
static void
wire_classify_own_target_host_on_loopback(void **state)
{
	struct wire_config cfg;
	struct wire_hdr h;
	struct wire *w;
	uint8_t d[128];
	size_t n;

	(void)state;
	cfg_init(&cfg, AF_INET, "127.0.0.1", "127.0.0.1");
	assert_non_null(w = wire_new(&cfg, WIRE_HOST, NULL));

	n = mk(AF_INET, "127.0.0.1", "127.0.0.1", 18001, 8080, "hi", d,
	    sizeof(d));
	wire_own_add(w, d, n);
	d[4] ^= 0x55;		/* kernel-chosen IP ID */
	d[10] ^= 0x55;		/* and so the header checksum */
	assert_int_equal(wire_hdr_parse(d, n, &h), 0);
	assert_int_equal(wire_classify(w, d, n, &h), WIRE_FROM_PEER);
	/* Seen once: the same bytes again were not sent again. */
	assert_int_equal(wire_classify(w, d, n, &h), WIRE_FROM_HOST);

	n = mk(AF_INET, "127.0.0.1", "127.0.0.1", 8080, 18001, "", d,
	    sizeof(d));
	assert_int_equal(wire_hdr_parse(d, n, &h), 0);
	assert_int_equal(wire_classify(w, d, n, &h), WIRE_FROM_TARGET);

	n = mk(AF_INET, "127.0.0.1", "127.0.0.1", 8080, 9999, "", d,
	    sizeof(d));
	assert_int_equal(wire_hdr_parse(d, n, &h), 0);
	assert_int_equal(wire_classify(w, d, n, &h), 0);
	wire_close(w);
}

static void
wire_classify_other_addresses_ignored(void **state)
{
	struct wire_config cfg;
	struct wire_hdr h;
	struct wire *w;
	uint8_t d[128];
	size_t n;

	(void)state;
	cfg_init(&cfg, AF_INET6, V6_PEER, V6_TARGET);
	assert_non_null(w = wire_new(&cfg, WIRE_PHANTOM, NULL));
	n = mk(AF_INET6, V6_TARGET, V6_PEER, 80, 18001, "", d, sizeof(d));
	assert_int_equal(wire_hdr_parse(d, n, &h), 0);
	assert_int_equal(wire_classify(w, d, n, &h), WIRE_FROM_TARGET);
	n = mk(AF_INET6, "2001:db8::9", V6_PEER, 80, 18001, "", d, sizeof(d));
	assert_int_equal(wire_hdr_parse(d, n, &h), 0);
	assert_int_equal(wire_classify(w, d, n, &h), 0);
	wire_close(w);
}

static void
wire_config_rejects_bad_ports_and_family(void **state)
{
	struct wire_config cfg;
	char *err = NULL;

	(void)state;
	cfg_init(&cfg, AF_INET, V4_PEER, V4_TARGET);
	cfg.port_lo = 20000;
	cfg.port_hi = 19999;
	assert_null(wire_new(&cfg, WIRE_HOST, &err));
	assert_string_equal(err, "wire: bad peer port range 20000-19999");
	free(err);
	cfg.family = AF_UNIX;
	assert_null(wire_new(&cfg, WIRE_HOST, &err));
	free(err);
	cfg_init(&cfg, AF_INET, V4_PEER, V4_TARGET);
	cfg.ifname = "an-interface-name-too-long";
	assert_null(wire_new(&cfg, WIRE_HOST, &err));
	free(err);
}

/* Linux's CHECKSUM_PARTIAL leaves the pseudo-header sum in the field. */
static void
check_partial(int family, const char *a, const char *b)
{
	uint8_t d[128], orig[128], out[WIRE_SNAPLEN];
	struct wire_hdr h;
	uint16_t partial;
	size_t n;

	n = mk(family, a, b, 8080, 18001, "payload", d, sizeof(d));
	memcpy(orig, d, n);
	assert_int_equal(wire_hdr_parse(d, n, &h), 0);
	assert_int_equal(wire_csum_complete(d, n, &h, out), 0);
	partial = inet_fold(inet_pseudo_sum(family, h.src, h.dst, 6,
	    (uint32_t)h.l4len));
	d[h.l4off + 16] = partial >> 8;
	d[h.l4off + 17] = partial & 0xff;
	assert_int_equal(wire_csum_complete(d, n, &h, out), 1);
	assert_memory_equal(out, orig, n);
	/* Any other wrong value is the sender's error, left to the decoder. */
	d[h.l4off + 17] ^= 1;
	assert_int_equal(wire_csum_complete(d, n, &h, out), 0);
}

static void
wire_csum_offloaded_partial_completed(void **state)
{
	(void)state;
	check_partial(AF_INET, "127.0.0.1", "127.0.0.1");
	check_partial(AF_INET6, V6_TARGET, V6_PEER);
}

static void
wire_dump_round_trip_nanoseconds(void **state)
{
	char dir[] = "/tmp/test_wire.XXXXXX", path[64], tmp[80], *err = NULL;
	struct timespec ts[2] = { { 1700000000, 123456789 },
	    { 1700000001, 999999999 } };
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const u_char *data;
	struct wire_dump *d;
	uint8_t dg[2][128];
	size_t n[2];
	struct stat st;
	pcap_t *pc;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/case.pcap", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	n[0] = mk(AF_INET, V4_PEER, V4_TARGET, 18001, 80, "one", dg[0], 128);
	n[1] = mk(AF_INET6, V6_TARGET, V6_PEER, 80, 18001, "two", dg[1], 128);
	assert_non_null(d = wire_dump_open(path, &err));
	for (i = 0; i < 2; i++)
		assert_int_equal(wire_dump_add(d, &ts[i], dg[i], n[i], &err),
		    0);
	assert_int_equal(stat(path, &st), -1);	/* not there until closed */
	assert_int_equal(wire_dump_close(d, 1, &err), 0);
	assert_int_equal(stat(tmp, &st), -1);

	pc = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, ebuf);
	assert_non_null(pc);
	assert_int_equal(pcap_datalink(pc), DLT_RAW);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pcap_next_ex(pc, &ph, &data), 1);
		assert_int_equal(ph->ts.tv_sec, ts[i].tv_sec);
		assert_int_equal(ph->ts.tv_usec, ts[i].tv_nsec);
		assert_int_equal(ph->caplen, n[i]);
		assert_memory_equal(data, dg[i], n[i]);
	}
	assert_int_equal(pcap_next_ex(pc, &ph, &data), PCAP_ERROR_BREAK);
	pcap_close(pc);
	unlink(path);

	/* Not kept: neither the file nor its temporary remain. */
	assert_non_null(d = wire_dump_open(path, &err));
	assert_int_equal(wire_dump_add(d, &ts[0], dg[0], n[0], &err), 0);
	assert_int_equal(wire_dump_close(d, 0, &err), 0);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(stat(tmp, &st), -1);
	assert_int_equal(rmdir(dir), 0);
}

static void
wire_dump_open_fails_with_path(void **state)
{
	char *err = NULL;

	(void)state;
	assert_null(wire_dump_open("/nonexistent-dir/x.pcap", &err));
	assert_non_null(strstr(err, "/nonexistent-dir/x.pcap.tmp"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wire_filter_host_text),
		cmocka_unit_test(wire_filter_passes_only_flows_under_test_ipv4),
		cmocka_unit_test(wire_filter_icmp_errors),
		cmocka_unit_test(wire_filter_passes_only_flows_under_test_ipv6),
		cmocka_unit_test(wire_hdr_parse_ipv4_options_and_fragments),
		cmocka_unit_test(wire_hdr_parse_ipv6_extension_header),
		cmocka_unit_test(wire_classify_own_target_host_on_loopback),
		cmocka_unit_test(wire_classify_other_addresses_ignored),
		cmocka_unit_test(wire_config_rejects_bad_ports_and_family),
		cmocka_unit_test(wire_csum_offloaded_partial_completed),
		cmocka_unit_test(wire_dump_round_trip_nanoseconds),
		cmocka_unit_test(wire_dump_open_fails_with_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
