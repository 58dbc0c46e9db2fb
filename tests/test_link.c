/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_link.c: unit tests of the phantom peer's link-layer frames (link.h):
 * ARP and neighbour discovery built byte for byte and parsed back, invalid
 * frames refused as RFC 826 and RFC 4861 7.1 require, the Internet checksum.
 *
 * The golden frames were built by link.c and then checked by tshark 4.0
 * (ICMPv6 "Checksum Status: Good", flags, options, ARP fields), an
 * implementation that shares nothing with ours.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inet_sum.h"
#include "link.h"

static const uint8_t phantom_mac[6] = { 0x02, 0x54, 0x43, 0x00, 0x00, 0x03 };
static const uint8_t target_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/* NS from 2001:db8::3 for 2001:db8::2, to ff02::1:ff00:2. */
static const uint8_t golden_ns[] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x02, 0x02, 0x54, 0x43, 0x00, 0x00, 0x03,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0xff, 0x00, 0x00, 0x02, 0x87, 0x00, 0xd8, 0xce, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x02, 0x54, 0x43, 0x00,
	0x00, 0x03,
};

/* NA of 2001:db8::3 (solicited, override) to 2001:db8::2. */
static const uint8_t golden_na[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x54, 0x43, 0x00, 0x00, 0x03,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x88, 0x00, 0x47, 0x19, 0x60, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x02, 0x54, 0x43, 0x00,
	0x00, 0x03,
};

/* DAD probe for 2001:db8::3: from ::, no option, to ff02::1:ff00:3. */
static const uint8_t golden_dad[] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x03, 0x02, 0x54, 0x43, 0x00, 0x00, 0x03,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x18, 0x3a, 0xff, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0xff, 0x00, 0x00, 0x03, 0x87, 0x00, 0x4c, 0xe9, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
};

/* ARP reply: 198.18.0.3 is at 02:54:43:00:00:03, to 198.18.0.2. */
static const uint8_t golden_arp_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x54, 0x43, 0x00, 0x00, 0x03,
	0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x02, 0x54,
	0x43, 0x00, 0x00, 0x03, 0xc6, 0x12, 0x00, 0x03, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x02, 0xc6, 0x12, 0x00, 0x02,
};

static void
addr6(const char *s, uint8_t a[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
}

/* Parse from a heap copy of exactly len bytes, so ASan sees overreads. */
static int
nd_parse_copy(const uint8_t *f, size_t len, struct link_nd *nd)
{
	uint8_t *c = malloc(len);
	int rc;

	assert_non_null(c);
	memcpy(c, f, len);
	rc = link_nd_parse(c, len, nd);
	free(c);
	return rc;
}

/* RFC 1071 4.1's worked example: the sum of 0001 f203 f4f5 f6f7 is ddf2. */
static void
rfc1071_checksum_example(void **state)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
	    0xf6, 0xf7 };

	(void)state;
	assert_int_equal(inet_fold(inet_sum(b, sizeof(b), 0)), 0xddf2);
	/* An odd length pads the last byte with zero on the right. */
	assert_int_equal(inet_fold(inet_sum(b, 3, 0)), 0x0001 + 0xf200);
}

static void
rfc4861_7_2_2_ns_to_solicited_node_group(void **state)
{
	uint8_t src[16], target[16], f[LINK_FRAME_MAX];
	size_t n;

	(void)state;
	addr6("2001:db8::3", src);
	addr6("2001:db8::2", target);
	n = link_ns_build(f, sizeof(f), phantom_mac, src, target);
	assert_int_equal(n, sizeof(golden_ns));
	assert_memory_equal(f, golden_ns, n);
	assert_int_equal(link_ns_build(f, n - 1, phantom_mac, src, target), 0);
}

static void
rfc4861_7_2_4_na_solicited_override(void **state)
{
	uint8_t src[16], dst[16], f[LINK_FRAME_MAX];
	size_t n;

	(void)state;
	addr6("2001:db8::3", src);
	addr6("2001:db8::2", dst);
	n = link_na_build(f, sizeof(f), phantom_mac, target_mac, src, dst,
	    LINK_NA_SOLICITED | LINK_NA_OVERRIDE);
	assert_int_equal(n, sizeof(golden_na));
	assert_memory_equal(f, golden_na, n);
}

/*
 * "the Source Address is the unspecified address ... the Neighbor
 * Solicitation MUST NOT include a source link-layer address option"
 * (RFC 4862 5.4.2, RFC 4861 4.3).
 */
static void
rfc4862_5_4_2_dad_probe_from_unspecified(void **state)
{
	uint8_t target[16], f[LINK_FRAME_MAX];
	struct link_nd nd;
	size_t n;

	(void)state;
	addr6("2001:db8::3", target);
	n = link_dad_build(f, sizeof(f), phantom_mac, target);
	assert_int_equal(n, sizeof(golden_dad));
	assert_memory_equal(f, golden_dad, n);
	assert_int_equal(nd_parse_copy(f, n, &nd), 0);
	assert_int_equal(nd.type, LINK_ND_NS);
	assert_false(nd.has_lladdr);
	assert_memory_equal(nd.target, target, 16);
}

static void
rfc4861_nd_parse_reads_fields(void **state)
{
	struct link_nd nd;
	uint8_t a[16];

	(void)state;
	assert_int_equal(nd_parse_copy(golden_ns, sizeof(golden_ns), &nd), 0);
	assert_int_equal(nd.type, LINK_ND_NS);
	addr6("2001:db8::2", a);
	assert_memory_equal(nd.target, a, 16);
	addr6("2001:db8::3", a);
	assert_memory_equal(nd.src, a, 16);
	assert_true(nd.has_lladdr);
	assert_memory_equal(nd.lladdr, phantom_mac, 6);
	assert_memory_equal(nd.eth_src, phantom_mac, 6);

	assert_int_equal(nd_parse_copy(golden_na, sizeof(golden_na), &nd), 0);
	assert_int_equal(nd.type, LINK_ND_NA);
	assert_int_equal(nd.flags, LINK_NA_SOLICITED | LINK_NA_OVERRIDE);
	assert_memory_equal(nd.target, a, 16);
	assert_memory_equal(nd.lladdr, phantom_mac, 6);
}

/* "The IP Hop Limit field has a value of 255" (RFC 4861 7.1.1). */
static void
rfc4861_7_1_1_hop_limit_not_255_rejected(void **state)
{
	uint8_t f[sizeof(golden_ns)];
	struct link_nd nd;

	(void)state;
	memcpy(f, golden_ns, sizeof(f));
	f[LINK_ETH_HLEN + 7] = 254;
	assert_int_equal(nd_parse_copy(f, sizeof(f), &nd), -1);
}

/* "The ICMP checksum is valid" (RFC 4861 7.1.1). */
static void
rfc4861_7_1_1_bad_checksum_rejected(void **state)
{
	uint8_t f[sizeof(golden_ns)];
	struct link_nd nd;

	(void)state;
	memcpy(f, golden_ns, sizeof(f));
	f[LINK_ETH_HLEN + 40 + 3] ^= 1;
	assert_int_equal(nd_parse_copy(f, sizeof(f), &nd), -1);
}

/* "All included options have a length that is greater than zero." */
static void
rfc4861_7_1_1_option_length_zero_rejected(void **state)
{
	uint8_t f[sizeof(golden_ns)];
	struct link_nd nd;
	uint16_t sum;
	uint8_t *icmp = f + LINK_ETH_HLEN + 40;

	(void)state;
	memcpy(f, golden_ns, sizeof(f));
	icmp[25] = 0;
	/* Fix the checksum, so that only the option length is wrong. */
	icmp[2] = icmp[3] = 0;
	sum = inet_fold(inet_sum(icmp, 32, inet_pseudo_sum(AF_INET6,
	    f + LINK_ETH_HLEN + 8, f + LINK_ETH_HLEN + 24, 58, 32)));
	icmp[2] = (uint8_t)(~sum >> 8);
	icmp[3] = (uint8_t)~sum;
	assert_int_equal(nd_parse_copy(f, sizeof(f), &nd), -1);
}

static void
rfc4861_nd_truncated_rejected(void **state)
{
	struct link_nd nd;
	size_t n;

	(void)state;
	for (n = 0; n < LINK_ETH_HLEN + 40 + 24; n++)
		assert_int_equal(nd_parse_copy(golden_ns, n, &nd), -1);
	/* Payload length beyond the frame. */
	assert_int_equal(nd_parse_copy(golden_ns, sizeof(golden_ns) - 1, &nd),
	    -1);
}

static void
rfc826_arp_reply_bytes(void **state)
{
	struct link_arp a;
	uint8_t f[LINK_FRAME_MAX];
	size_t n;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.op = LINK_ARP_REPLY;
	memcpy(a.sha, phantom_mac, 6);
	inet_pton(AF_INET, "198.18.0.3", a.spa);
	memcpy(a.tha, target_mac, 6);
	inet_pton(AF_INET, "198.18.0.2", a.tpa);
	n = link_arp_build(f, sizeof(f), &a, target_mac);
	assert_int_equal(n, sizeof(golden_arp_reply));
	assert_memory_equal(f, golden_arp_reply, n);
}

static void
rfc826_arp_request_broadcast_and_parse(void **state)
{
	struct link_arp a, b;
	uint8_t f[LINK_FRAME_MAX];
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	(void)state;
	memset(&a, 0, sizeof(a));
	a.op = LINK_ARP_REQUEST;
	memcpy(a.sha, phantom_mac, 6);
	inet_pton(AF_INET, "198.18.0.3", a.spa);
	inet_pton(AF_INET, "198.18.0.2", a.tpa);
	assert_int_equal(link_arp_build(f, sizeof(f), &a, NULL),
	    LINK_ETH_HLEN + LINK_ARP_LEN);
	assert_memory_equal(f, bcast, 6);
	assert_int_equal(link_arp_parse(f, LINK_ETH_HLEN + LINK_ARP_LEN, &b),
	    0);
	assert_int_equal(b.op, LINK_ARP_REQUEST);
	assert_memory_equal(b.sha, a.sha, 6);
	assert_memory_equal(b.spa, a.spa, 4);
	assert_memory_equal(b.tpa, a.tpa, 4);
}

/* Only Ethernet/IPv4 ARP, complete, is read. */
static void
rfc826_arp_other_hardware_rejected(void **state)
{
	uint8_t f[sizeof(golden_arp_reply)];
	struct link_arp a;

	(void)state;
	memcpy(f, golden_arp_reply, sizeof(f));
	assert_int_equal(link_arp_parse(f, sizeof(f) - 1, &a), -1);
	f[LINK_ETH_HLEN + 1] = 6;			/* IEEE 802 */
	assert_int_equal(link_arp_parse(f, sizeof(f), &a), -1);
	memcpy(f, golden_arp_reply, sizeof(f));
	f[LINK_ETH_HLEN + 5] = 16;			/* plen 16 */
	assert_int_equal(link_arp_parse(f, sizeof(f), &a), -1);
	memcpy(f, golden_arp_reply, sizeof(f));
	f[13] = 0x00;					/* ethertype IP */
	assert_int_equal(link_arp_parse(f, sizeof(f), &a), -1);
}

/* RFC 4291 2.7.1 and RFC 2464 7. */
static void
rfc4291_solicited_node_group_and_mac(void **state)
{
	uint8_t a[16], g[16], want[16], mac[6];
	static const uint8_t want_mac[6] = { 0x33, 0x33, 0xff, 0xab, 0xcd,
	    0xef };

	(void)state;
	addr6("2001:db8::12ab:cdef", a);
	addr6("ff02::1:ffab:cdef", want);
	link_solicited_node(a, g);
	assert_memory_equal(g, want, 16);
	link_mcast_mac(g, mac);
	assert_memory_equal(mac, want_mac, 6);
}

static void
link_mac_text_round_trip(void **state)
{
	uint8_t mac[6];
	char buf[18];

	(void)state;
	assert_int_equal(link_mac_parse("02:54:43:0a:FF:03", mac), 0);
	assert_string_equal(link_mac_str(mac, buf, sizeof(buf)),
	    "02:54:43:0a:ff:03");
	assert_int_equal(link_mac_parse("02:54:43:0a:ff", mac), -1);
	assert_int_equal(link_mac_parse("02:54:43:0a:ff:03:04", mac), -1);
	assert_int_equal(link_mac_parse("zz:54:43:0a:ff:03", mac), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc1071_checksum_example),
		cmocka_unit_test(rfc4861_7_2_2_ns_to_solicited_node_group),
		cmocka_unit_test(rfc4861_7_2_4_na_solicited_override),
		cmocka_unit_test(rfc4862_5_4_2_dad_probe_from_unspecified),
		cmocka_unit_test(rfc4861_nd_parse_reads_fields),
		cmocka_unit_test(rfc4861_7_1_1_hop_limit_not_255_rejected),
		cmocka_unit_test(rfc4861_7_1_1_bad_checksum_rejected),
		cmocka_unit_test(rfc4861_7_1_1_option_length_zero_rejected),
		cmocka_unit_test(rfc4861_nd_truncated_rejected),
		cmocka_unit_test(rfc826_arp_reply_bytes),
		cmocka_unit_test(rfc826_arp_request_broadcast_and_parse),
		cmocka_unit_test(rfc826_arp_other_hardware_rejected),
		cmocka_unit_test(rfc4291_solicited_node_group_and_mac),
		cmocka_unit_test(link_mac_text_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
