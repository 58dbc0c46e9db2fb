/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_icmp.c: unit tests of the ICMP error encoder (icmp.h): every header
 * field at its offset, the IPv4 header checksum and the ICMP and ICMPv6
 * checksums verified by a sum written here (RFC 1071, sharing no code with
 * the codec), the quote cut at 576 and 1280 octets, and the refusals.
 */
#include "config.h"

#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "icmp.h"

static const uint8_t v4_router[4] = { 198, 18, 0, 254 };
static const uint8_t v4_target[4] = { 198, 18, 0, 2 };
static const uint8_t v6_router[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xfe };
static const uint8_t v6_target[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };

/* Sum of 16-bit words folded to 16 bits; 0xffff when a checksum verifies. */
static unsigned
ref_verify(const uint8_t *p, size_t n, unsigned long sum)
{
	size_t	i;

	for (i = 0; i < n; i++)
		sum += (i % 2 == 0) ? (unsigned long)p[i] << 8 : p[i];
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned)sum;
}

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* A quoted TCP datagram: IPv4 or IPv6 header, 20 octets of TCP, payload. */
static size_t
make_quote(int family, uint8_t *q, size_t paylen)
{
	size_t	hlen = family == AF_INET ? 20 : 40, i;

	memset(q, 0, hlen + 20 + paylen);
	q[0] = family == AF_INET ? 0x45 : 0x60;
	q[hlen + 0] = 0x00; q[hlen + 1] = 0x50;		/* sport 80 */
	q[hlen + 2] = 0x9c; q[hlen + 3] = 0x40;		/* dport 40000 */
	q[hlen + 4] = 0x12; q[hlen + 5] = 0x34;		/* seq 0x12345678 */
	q[hlen + 6] = 0x56; q[hlen + 7] = 0x78;
	for (i = 0; i < paylen; i++)
		q[hlen + 20 + i] = (uint8_t)i;
	return hlen + 20 + paylen;
}

static void
test_v4_needfrag(void **state)
{
	uint8_t		q[100], buf[600];
	struct icmp_err	e = { .family = AF_INET, .type = ICMP4_UNREACH,
			    .code = ICMP4_UNREACH_NEEDFRAG, .word = 1280 };
	int		n;

	(void)state;
	memcpy(e.src, v4_router, 4);
	memcpy(e.dst, v4_target, 4);
	e.quote = q;
	e.quotelen = make_quote(AF_INET, q, 10);
	n = icmp_err_encode(&e, buf, sizeof(buf));
	assert_int_equal(n, 20 + 8 + 50);
	assert_int_equal(buf[0], 0x45);
	assert_int_equal(get16(buf + 2), 78);
	assert_int_equal(buf[8], 64);
	assert_int_equal(buf[9], 1);
	assert_memory_equal(buf + 12, v4_router, 4);
	assert_memory_equal(buf + 16, v4_target, 4);
	assert_int_equal(ref_verify(buf, 20, 0), 0xffff);
	assert_int_equal(buf[20], 3);
	assert_int_equal(buf[21], 4);
	assert_int_equal(get16(buf + 24), 0);		/* unused */
	assert_int_equal(get16(buf + 26), 1280);	/* next-hop MTU */
	assert_int_equal(ref_verify(buf + 20, 58, 0), 0xffff);
	assert_memory_equal(buf + 28, q, 50);
	/* A changed octet of the quote breaks the checksum. */
	buf[77] ^= 1;
	assert_int_not_equal(ref_verify(buf + 20, 58, 0), 0xffff);
}

static void
test_v6_toobig(void **state)
{
	uint8_t		q[100], buf[200];
	struct icmp_err	e = { .family = AF_INET6, .type = ICMP6_TOOBIG,
			    .word = 1280, .ttl = 255 };
	unsigned long	pseudo;
	int		n;

	(void)state;
	memcpy(e.src, v6_router, 16);
	memcpy(e.dst, v6_target, 16);
	e.quote = q;
	e.quotelen = make_quote(AF_INET6, q, 7);	/* odd length */
	n = icmp_err_encode(&e, buf, sizeof(buf));
	assert_int_equal(n, 40 + 8 + 67);
	assert_int_equal(buf[0], 0x60);
	assert_int_equal(get16(buf + 4), 75);
	assert_int_equal(buf[6], 58);
	assert_int_equal(buf[7], 255);
	assert_memory_equal(buf + 8, v6_router, 16);
	assert_memory_equal(buf + 24, v6_target, 16);
	assert_int_equal(buf[40], 2);
	assert_int_equal(buf[41], 0);
	assert_int_equal(get16(buf + 44), 0);
	assert_int_equal(get16(buf + 46), 1280);
	assert_memory_equal(buf + 48, q, 67);
	pseudo = ref_verify(buf + 8, 32, 0) + 75 + 58;
	assert_int_equal(ref_verify(buf + 40, 75, pseudo), 0xffff);
	/* Without the pseudo-header the sum must not verify. */
	assert_int_not_equal(ref_verify(buf + 40, 75, 0), 0xffff);
}

static void
test_quote_cut(void **state)
{
	uint8_t		q[1500], buf[1500];
	struct icmp_err	e = { .family = AF_INET, .type = ICMP4_TIMXCEED };
	int		n;

	(void)state;
	e.quote = q;
	e.quotelen = make_quote(AF_INET, q, 1400);
	n = icmp_err_encode(&e, buf, sizeof(buf));
	assert_int_equal(n, 576);
	assert_int_equal(ref_verify(buf + 20, 556, 0), 0xffff);
	assert_int_equal(icmp_err_encode(&e, buf, 575), -1);
	e.family = AF_INET6;
	e.type = ICMP6_TIMXCEED;
	e.quotelen = make_quote(AF_INET6, q, 1400);
	n = icmp_err_encode(&e, buf, sizeof(buf));
	assert_int_equal(n, 1280);
	assert_int_equal(get16(buf + 4), 1240);
}

static void
test_refused(void **state)
{
	uint8_t		q[100], buf[600];
	struct icmp_err	e = { .family = AF_INET, .type = ICMP4_SOURCEQUENCH };

	(void)state;
	e.quote = q;
	make_quote(AF_INET, q, 0);
	e.quotelen = 27;		/* seven octets of TCP: no sequence */
	assert_int_equal(icmp_err_encode(&e, buf, sizeof(buf)), -1);
	e.quotelen = 28;
	assert_int_equal(icmp_err_encode(&e, buf, sizeof(buf)), 56);
	q[0] = 0x46;			/* IHL 6: eight TCP octets need 32 */
	assert_int_equal(icmp_err_encode(&e, buf, sizeof(buf)), -1);
	q[0] = 0x44;			/* IHL below 5 */
	assert_int_equal(icmp_err_encode(&e, buf, sizeof(buf)), -1);
	e.quote = NULL;
	assert_int_equal(icmp_err_encode(&e, buf, sizeof(buf)), -1);
	e.quote = q;
	e.family = AF_UNIX;
	assert_int_equal(icmp_err_encode(&e, buf, sizeof(buf)), -1);
	e.family = AF_INET6;
	make_quote(AF_INET6, q, 0);
	e.quotelen = 47;
	assert_int_equal(icmp_err_encode(&e, buf, sizeof(buf)), -1);
	e.quotelen = 48;
	assert_int_equal(icmp_err_encode(&e, buf, sizeof(buf)), 96);
	assert_int_equal(icmp_err_encode(&e, buf, 95), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_needfrag),
		cmocka_unit_test(test_v6_toobig),
		cmocka_unit_test(test_quote_cut),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
