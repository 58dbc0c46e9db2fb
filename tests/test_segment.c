/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_segment.c: unit tests of the segment codec (segment.h): golden bytes
 * decoded field by field, decode then encode giving the same bytes back,
 * malformed input rejected or flagged with the exact reason, the option
 * builders, and the text forms.
 *
 * The golden segments below were written field by field (addresses from
 * 198.18.0.0/15 and 2001:db8::/32, option sets as Linux sends them); their
 * checksums are checked here by ref_csum(), a plain RFC 1071 sum that shares
 * no code with the codec, so a wrong array or a wrong decoder fails a test.
 * Every input is decoded from a heap copy of exactly its length, so that
 * AddressSanitizer catches any read past its end.
 */
#include "config.h"

#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inet_sum.h"
#include "segment.h"

/* IPv4 SYN 198.18.0.1:40000 > 198.18.0.2:80, DF, id 0x1c46, win 64240,
 * <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7> (Linux's order). */
static const uint8_t v4_syn_linux[] = {
	0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0x92, 0x4e,
	0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x9c, 0x40, 0x00, 0x50,
	0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0,
	0xbb, 0x46, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};
/* IPv4 SYN-ACK back, id 0,
 * <mss 1460,sackOK,TS val 300 ecr 100,nop,wscale 7>. */
static const uint8_t v4_synack_linux[] = {
	0x45, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xae, 0x94,
	0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x01, 0x00, 0x50, 0x9c, 0x40,
	0xab, 0xcd, 0xef, 0x01, 0x12, 0x34, 0x56, 0x79, 0xa0, 0x12, 0xfe, 0x88,
	0x1b, 0xa2, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0x00, 0x00, 0x01, 0x2c, 0x00, 0x00, 0x00, 0x64, 0x01, 0x03, 0x03, 0x07,
};
/* IPv4 P. with <nop,nop,TS val 400 ecr 300> and 13 bytes "hello, world\n". */
static const uint8_t v4_data_ts[] = {
	0x45, 0x00, 0x00, 0x41, 0x1c, 0x47, 0x40, 0x00, 0x40, 0x06, 0x92, 0x48,
	0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x9c, 0x40, 0x00, 0x50,
	0x12, 0x34, 0x56, 0x79, 0xab, 0xcd, 0xef, 0x02, 0x80, 0x18, 0x01, 0xf6,
	0xfb, 0x73, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x01, 0x90,
	0x00, 0x00, 0x01, 0x2c, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2c, 0x20, 0x77,
	0x6f, 0x72, 0x6c, 0x64, 0x0a,
};
/* IPv4 ACK, ECT(0), ack 0xfffffc19 (near the wrap),
 * <nop,nop,TS val 350 ecr 450,nop,nop,sack 1049:2001 2500:3501>. */
static const uint8_t v4_ack_sack[] = {
	0x45, 0x02, 0x00, 0x48, 0x03, 0xe8, 0x40, 0x00, 0x40, 0x06, 0xaa, 0x9e,
	0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x01, 0x00, 0x50, 0x9c, 0x40,
	0xab, 0xcd, 0xef, 0x02, 0xff, 0xff, 0xfc, 0x19, 0xd0, 0x10, 0x01, 0xfd,
	0x38, 0x7b, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x01, 0x5e,
	0x00, 0x00, 0x01, 0xc2, 0x01, 0x01, 0x05, 0x12, 0x00, 0x00, 0x04, 0x19,
	0x00, 0x00, 0x07, 0xd1, 0x00, 0x00, 0x09, 0xc4, 0x00, 0x00, 0x0d, 0xad,
};
/* IPv4 R. with no options and no payload, win 0. */
static const uint8_t v4_rst[] = {
	0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xae, 0xa8,
	0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x01, 0x00, 0x50, 0x9c, 0x41,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x50, 0x14, 0x00, 0x00,
	0x86, 0x16, 0x00, 0x00,
};
/* IPv4 ACK, TOS 0xb8, TTL 255, no DF, <kind 99 len 4, kind 254 with ExID
 * 0xabcd (not TFO), nop, nop>. */
static const uint8_t v4_unknown_opts[] = {
	0x45, 0xb8, 0x00, 0x34, 0x00, 0x07, 0x00, 0x00, 0xff, 0x06, 0x2e, 0xdd,
	0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x9c, 0x42, 0x1f, 0x90,
	0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x07, 0xd0, 0x80, 0x10, 0x04, 0x00,
	0x07, 0x06, 0x00, 0x00, 0x63, 0x04, 0x12, 0x34, 0xfe, 0x06, 0xab, 0xcd,
	0x01, 0x02, 0x01, 0x01,
};
/* IPv4 SYN with ECE, CWR and AE (RFC 9768 AccECN set-up), <mss 1460>. */
static const uint8_t v4_ecn_ae_syn[] = {
	0x45, 0x00, 0x00, 0x2c, 0x00, 0x09, 0x40, 0x00, 0x40, 0x06, 0xae, 0x9b,
	0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x9c, 0x43, 0x00, 0x50,
	0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x61, 0xc2, 0xff, 0xff,
	0x6d, 0xa4, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
};
/* IPv4 SYN, data offset 8: <mss 1460,eol> then 7 zero bytes of padding. */
static const uint8_t v4_eol_pad[] = {
	0x45, 0x00, 0x00, 0x34, 0x00, 0x0a, 0x40, 0x00, 0x40, 0x06, 0xae, 0x92,
	0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x9c, 0x44, 0x00, 0x50,
	0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x80, 0x02, 0x02, 0x00,
	0x4d, 0x5d, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* IPv6 SYN [2001:db8::1]:50000 > [2001:db8::2]:443, flow label 0xabcde,
 * Linux's option set. */
static const uint8_t v6_syn_linux[] = {
	0x60, 0x0a, 0xbc, 0xde, 0x00, 0x28, 0x06, 0x40, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0xc3, 0x50, 0x01, 0xbb, 0x89, 0xab, 0xcd, 0xef,
	0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfd, 0x20, 0xd2, 0x5f, 0x00, 0x00,
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x64,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};
/* IPv6 P. reply, traffic class 0x28, flow label 0x12345, hop limit 57,
 * 17 payload bytes (odd: the checksum pads one zero). */
static const uint8_t v6_data[] = {
	0x62, 0x81, 0x23, 0x45, 0x00, 0x25, 0x06, 0x39, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x01, 0xbb, 0xc3, 0x50, 0x01, 0x02, 0x03, 0x04,
	0x89, 0xab, 0xcd, 0xf0, 0x50, 0x18, 0x01, 0x00, 0xd3, 0x61, 0x00, 0x00,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62,
	0x63, 0x64, 0x65, 0x66, 0x30,
};
/* IPv6 SYN, hop limit 1, <FO 0102030405060708,nop,nop,md5 ...,nop,nop,
 * FOEXP deadbeef>. */
static const uint8_t v6_tfo_md5[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x06, 0x01, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x20, 0xc3, 0x51, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x4d,
	0x00, 0x00, 0x00, 0x00, 0xf0, 0x02, 0x03, 0xe8, 0x52, 0x2d, 0x00, 0x00,
	0x22, 0x0a, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01, 0x01,
	0x13, 0x12, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
	0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x01, 0xfe, 0x08, 0xf9, 0x89,
	0xde, 0xad, 0xbe, 0xef,
};

struct golden {
	const char	*name;
	const uint8_t	*pkt;
	size_t		 len;
};

#define GOLDEN(x)	{ #x, x, sizeof(x) }

static const struct golden goldens[] = {
	GOLDEN(v4_syn_linux), GOLDEN(v4_synack_linux), GOLDEN(v4_data_ts),
	GOLDEN(v4_ack_sack), GOLDEN(v4_rst), GOLDEN(v4_unknown_opts),
	GOLDEN(v4_ecn_ae_syn), GOLDEN(v4_eol_pad), GOLDEN(v6_syn_linux),
	GOLDEN(v6_data), GOLDEN(v6_tfo_md5),
};
#define NGOLDEN	(sizeof(goldens) / sizeof(goldens[0]))

/* ---- Reference helpers: independent of the codec. ---- */

/* RFC 1071, the obvious way: 16-bit big-endian words, end-around carry. */
static uint32_t
ref_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t	i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t
ref_csum(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The TCP checksum field a segment must carry (checksum field zeroed). */
static uint16_t
ref_tcp_csum(int v6, const uint8_t *src, const uint8_t *dst, uint8_t *tcp,
    size_t tcplen)
{
	size_t		alen = v6 ? 16 : 4;
	uint32_t	sum;

	tcp[16] = tcp[17] = 0;
	sum = ref_sum(src, alen, 0);
	sum = ref_sum(dst, alen, sum);
	sum += 6 + (uint32_t)tcplen;
	return ref_csum(ref_sum(tcp, tcplen, sum));
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* "02 04 05b4" -> bytes; returns the count. */
static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t		n = 0;
	unsigned	v;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		assert_true(sscanf(s, "%2x", &v) == 1);
		assert_true(n < cap);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* A TCP header + options (padded with zeros to 32 bits) + payload. */
static size_t
mk_tcp(uint8_t *t, uint16_t flags, const char *opthex, const char *data)
{
	size_t	olen = hex(opthex, t + 20, 40), dlen = strlen(data);

	memset(t + 20 + olen, 0, 3);
	olen = (olen + 3) / 4 * 4;
	memset(t, 0, 20);
	put16(t, 40000);
	put16(t + 2, 80);
	put32(t + 4, 1000);
	put32(t + 8, 2000);
	t[12] = (uint8_t)((5 + olen / 4) << 4 | (flags >> 8 & 1));
	t[13] = (uint8_t)flags;
	put16(t + 14, 8192);
	memcpy(t + 20 + olen, data, dlen);
	return 20 + olen + dlen;
}

static const uint8_t v4src[4] = { 198, 18, 0, 1 };
static const uint8_t v4dst[4] = { 198, 18, 0, 2 };
static const uint8_t v6src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

/* An IPv4 datagram around tcp, with optional IP options, checksums right. */
static size_t
mk_v4(uint8_t *p, const char *ipopthex, uint8_t *tcp, size_t tcplen)
{
	size_t	olen = hex(ipopthex, p + 20, 40), hl;

	hl = 20 + (olen + 3) / 4 * 4;
	memset(p + 20 + olen, 0, hl - 20 - olen);
	p[0] = (uint8_t)(0x40 | hl / 4);
	p[1] = 0;
	put16(p + 2, (uint16_t)(hl + tcplen));
	put16(p + 4, 0x4242);
	put16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = 6;
	p[10] = p[11] = 0;
	memcpy(p + 12, v4src, 4);
	memcpy(p + 16, v4dst, 4);
	put16(p + 10, ref_csum(ref_sum(p, hl, 0)));
	put16(tcp + 16, ref_tcp_csum(0, v4src, v4dst, tcp, tcplen));
	memcpy(p + hl, tcp, tcplen);
	return hl + tcplen;
}

/*
 * An IPv6 datagram: first next header nh, then the extension header bytes
 * ext (their own next-header bytes included), then tcp.  The TCP checksum
 * uses csum_dst (the final destination) or the IPv6 destination.
 */
static size_t
mk_v6(uint8_t *p, uint8_t nh, const char *exthex, uint8_t *tcp,
    size_t tcplen, const uint8_t *csum_dst)
{
	size_t	elen = hex(exthex, p + 40, 200);

	put32(p, 0x60000000);
	put16(p + 4, (uint16_t)(elen + tcplen));
	p[6] = nh;
	p[7] = 64;
	memcpy(p + 8, v6src, 16);
	memcpy(p + 24, v6dst, 16);
	put16(tcp + 16, ref_tcp_csum(1, v6src,
	    csum_dst != NULL ? csum_dst : v6dst, tcp, tcplen));
	memcpy(p + 40 + elen, tcp, tcplen);
	return 40 + elen + tcplen;
}

/* Decode from a heap copy of exactly len bytes (so ASan sees overreads). */
static int
decode_copy(const uint8_t *pkt, size_t len, struct seg *s, char **err)
{
	uint8_t	*copy = malloc(len > 0 ? len : 1);
	int	 rc;

	assert_non_null(copy);
	if (len > 0)
		memcpy(copy, pkt, len);
	rc = seg_decode(copy, len, s, err);
	/* s->data points into copy: callers only look at len and offsets. */
	if (rc == 0)
		s->data = pkt + (s->data - copy);
	free(copy);
	return rc;
}

static void
decode_ok(const uint8_t *pkt, size_t len, struct seg *s)
{
	char	*err = NULL;
	int	 rc = decode_copy(pkt, len, s, &err);

	if (rc != 0)
		fail_msg("decode failed: %s",
		    err != NULL ? err : "(no reason)");
	assert_null(err);
}

static void
decode_fails(const uint8_t *pkt, size_t len, const char *reason)
{
	struct seg	 s;
	char		*err = NULL;

	assert_int_equal(decode_copy(pkt, len, &s, &err), -1);
	assert_non_null(err);
	if (strstr(err, reason) == NULL)
		fail_msg("reason \"%s\" does not contain \"%s\"", err, reason);
	free(err);
}

/* ---- Golden segments: the arrays are right, and decode to the fields. ---- */

/* The arrays' checksums verify by the reference sum: they can be trusted. */
static void
golden_arrays_have_correct_checksums(void **state)
{
	uint8_t	buf[256];
	size_t	i, ihl, off;
	int	v6;

	(void)state;
	for (i = 0; i < NGOLDEN; i++) {
		const uint8_t	*p = goldens[i].pkt;
		size_t		 n = goldens[i].len;

		v6 = p[0] >> 4 == 6;
		ihl = v6 ? 40 : (size_t)(p[0] & 0xf) * 4;
		if (!v6)
			assert_int_equal(ref_csum(ref_sum(p, ihl, 0)), 0);
		/* Only the plain headers here: no extension headers. */
		off = ihl;
		memcpy(buf, p + off, n - off);
		assert_int_equal(ref_tcp_csum(v6, p + (v6 ? 8 : 12),
		    p + (v6 ? 24 : 16), buf, n - off),
		    p[off + 16] << 8 | p[off + 17]);
	}
}

static void
decode_v4_linux_syn_every_field(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v4_syn_linux, sizeof(v4_syn_linux), &s);
	assert_int_equal(s.family, AF_INET);
	assert_memory_equal(s.src, v4src, 4);
	assert_memory_equal(s.dst, v4dst, 4);
	assert_int_equal(s.ttl, 64);
	assert_int_equal(s.tos, 0);
	assert_int_equal(s.ip_id, 0x1c46);
	assert_int_equal(s.ip_frag, 0x4000);
	assert_int_equal(s.sport, 40000);
	assert_int_equal(s.dport, 80);
	assert_int_equal(s.seq, 0x12345678);
	assert_int_equal(s.ack, 0);
	assert_int_equal(s.flags, SEG_SYN);
	assert_int_equal(s.win, 64240);
	assert_int_equal(s.urp, 0);
	assert_int_equal(s.csum, 0xbb46);
	assert_int_equal(s.doff, 10);
	assert_int_equal(s.nopts, 5);
	assert_int_equal(s.opts[0].kind, TCPOPT_MSS);
	assert_int_equal(s.opts[3].kind, TCPOPT_NOP);
	assert_int_equal(s.opts[3].len, 1);
	assert_int_equal(s.has, SEG_HAS_MSS | SEG_HAS_SACKOK | SEG_HAS_TS |
	    SEG_HAS_WSCALE);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.wscale, 7);
	assert_int_equal(s.tsval, 100);
	assert_int_equal(s.tsecr, 0);
	assert_int_equal(s.len, 0);
	assert_int_equal(s.warn, 0);
	assert_int_equal(seg_seqlen(&s), 1);
}

static void
decode_v4_data_payload_points_after_options(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v4_data_ts, sizeof(v4_data_ts), &s);
	assert_int_equal(s.flags, SEG_PSH | SEG_ACK);
	assert_int_equal(s.doff, 8);
	assert_int_equal(s.len, 13);
	assert_ptr_equal(s.data, v4_data_ts + 20 + 32);
	assert_memory_equal(s.data, "hello, world\n", 13);
	assert_int_equal(s.has, SEG_HAS_TS);
	assert_int_equal(s.tsval, 400);
	assert_int_equal(s.tsecr, 300);
	assert_int_equal(s.ack, 0xabcdef02);
	assert_int_equal(seg_seqlen(&s), 13);
	assert_int_equal(s.warn, 0);
}

static void
decode_v4_sack_blocks(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v4_ack_sack, sizeof(v4_ack_sack), &s);
	assert_int_equal(s.tos, 0x02);
	assert_int_equal(s.has, SEG_HAS_TS | SEG_HAS_SACK);
	assert_int_equal(s.nsack, 2);
	assert_int_equal(s.sack[0].left, 0x419);
	assert_int_equal(s.sack[0].right, 0x7d1);
	assert_int_equal(s.sack[1].left, 0x9c4);
	assert_int_equal(s.sack[1].right, 0xdad);
	assert_int_equal(s.ack, 0xfffffc19);
	assert_int_equal(s.nopts, 6);
	assert_int_equal(s.warn, 0);
}

static void
decode_v4_rst_without_options(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v4_rst, sizeof(v4_rst), &s);
	assert_int_equal(s.flags, SEG_RST | SEG_ACK);
	assert_int_equal(s.doff, 5);
	assert_int_equal(s.nopts, 0);
	assert_int_equal(s.has, 0);
	assert_int_equal(s.len, 0);
	assert_int_equal(s.win, 0);
	assert_int_equal(s.warn, 0);
}

static void
decode_unknown_kinds_kept_raw(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v4_unknown_opts, sizeof(v4_unknown_opts), &s);
	assert_int_equal(s.ttl, 255);
	assert_int_equal(s.tos, 0xb8);
	assert_int_equal(s.ip_frag, 0);
	assert_int_equal(s.has, SEG_HAS_UNKNOWN);
	assert_int_equal(s.nopts, 4);
	assert_int_equal(s.opts[0].kind, 99);
	assert_int_equal(s.opts[0].len, 4);
	assert_memory_equal(s.opts[0].data, "\x12\x34", 2);
	/* Kind 254 with an ExID that is not TFO's: unknown, kept raw. */
	assert_int_equal(s.opts[1].kind, TCPOPT_EXP);
	assert_int_equal(s.opts[1].len, 6);
	assert_memory_equal(s.opts[1].data, "\xab\xcd\x01\x02", 4);
	assert_int_equal(s.warn, 0);
}

/* AE is the low bit of byte 12 (RFC 9768), ECE and CWR in byte 13. */
static void
decode_ecn_and_ae_flags(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v4_ecn_ae_syn, sizeof(v4_ecn_ae_syn), &s);
	assert_int_equal(s.flags, SEG_SYN | SEG_ECE | SEG_CWR | SEG_AE);
	assert_int_equal(s.doff, 6);
	assert_int_equal(s.warn, 0);
}

/* EOL then zero padding: the padding is not an option and is fine. */
static void
decode_eol_then_zero_padding(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v4_eol_pad, sizeof(v4_eol_pad), &s);
	assert_int_equal(s.doff, 8);
	assert_int_equal(s.nopts, 2);
	assert_int_equal(s.opts[1].kind, TCPOPT_EOL);
	assert_int_equal(seg_optbytes(&s), 5);
	assert_int_equal(s.has, SEG_HAS_MSS);
	assert_int_equal(s.warn, 0);
}

static void
decode_v6_linux_syn_every_field(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v6_syn_linux, sizeof(v6_syn_linux), &s);
	assert_int_equal(s.family, AF_INET6);
	assert_memory_equal(s.src, v6src, 16);
	assert_memory_equal(s.dst, v6dst, 16);
	assert_int_equal(s.ttl, 64);
	assert_int_equal(s.tos, 0);
	assert_int_equal(s.flowlabel, 0xabcde);
	assert_int_equal(s.sport, 50000);
	assert_int_equal(s.dport, 443);
	assert_int_equal(s.seq, 0x89abcdef);
	assert_int_equal(s.flags, SEG_SYN);
	assert_int_equal(s.win, 64800);
	assert_int_equal(s.has, SEG_HAS_MSS | SEG_HAS_SACKOK | SEG_HAS_TS |
	    SEG_HAS_WSCALE);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.warn, 0);
}

static void
decode_v6_traffic_class_flowlabel_hoplimit(void **state)
{
	struct seg	s;

	(void)state;
	decode_ok(v6_data, sizeof(v6_data), &s);
	assert_int_equal(s.tos, 0x28);
	assert_int_equal(s.flowlabel, 0x12345);
	assert_int_equal(s.ttl, 57);
	assert_int_equal(s.len, 17);	/* odd: the checksum pads a zero */
	assert_memory_equal(s.data, "0123456789abcdef0", 17);
	assert_int_equal(s.warn, 0);
}

/* TFO in both forms and MD5; the first TFO option wins. */
static void
decode_tfo_and_md5_recognised(void **state)
{
	static const uint8_t	cookie[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct seg		s;

	(void)state;
	decode_ok(v6_tfo_md5, sizeof(v6_tfo_md5), &s);
	assert_int_equal(s.has, SEG_HAS_TFO | SEG_HAS_MD5);
	assert_int_equal(s.tfo_len, 8);
	assert_memory_equal(s.tfo_cookie, cookie, 8);
	assert_int_equal(s.nopts, 7);
	assert_int_equal(s.opts[6].kind, TCPOPT_EXP);
	assert_int_equal(s.ttl, 1);
	assert_int_equal(s.warn, 0);
}

/* ---- Round trip: decode, encode, the same bytes. ---- */

static int
setup_encoder(void **state)
{
	char	*err = NULL;

	*state = seg_encoder_new(&err);
	if (*state == NULL) {
		fprintf(stderr, "seg_encoder_new: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
teardown_encoder(void **state)
{
	seg_encoder_free(*state);
	return 0;
}

static void
roundtrip(struct seg_encoder *e, const uint8_t *pkt, size_t len,
    const char *name)
{
	struct seg	 s;
	uint8_t		 out[2048];
	char		*err = NULL;
	int		 n;

	decode_ok(pkt, len, &s);
	n = seg_encode(e, &s, out, sizeof(out), &err);
	if (n < 0)
		fail_msg("%s: encode: %s", name, err);
	if ((size_t)n != len || memcmp(out, pkt, len) != 0) {
		for (int i = 0; i < n && (size_t)i < len; i++)
			if (out[i] != pkt[i])
				fprintf(stderr, "%s: byte %d: 0x%02x, want "
				    "0x%02x\n", name, i, out[i], pkt[i]);
		fail_msg("%s: re-encoded %d bytes differ from the %zu decoded",
		    name, n, len);
	}
}

/* Every golden segment (IPv4/IPv6, options or not, payload or not). */
static void
roundtrip_golden_segments_byte_exact(void **state)
{
	size_t	i, k;

	/* Twice over: the reused libnet context must not keep anything. */
	for (k = 0; k < 2; k++)
		for (i = 0; i < NGOLDEN; i++)
			roundtrip(*state, goldens[i].pkt, goldens[i].len,
			    goldens[i].name);
}

/* A SYN built with the seg_add_* calls is byte for byte Linux's. */
static void
encode_built_syn_matches_linux_bytes(void **state)
{
	struct seg	 s;
	uint8_t		 out[128];
	char		*err = NULL;

	seg_init(&s, AF_INET);
	memcpy(s.src, v4src, 4);
	memcpy(s.dst, v4dst, 4);
	s.ip_id = 0x1c46;
	s.ip_frag = 0x4000;
	s.sport = 40000;
	s.dport = 80;
	s.seq = 0x12345678;
	s.flags = SEG_SYN;
	s.win = 64240;
	assert_int_equal(seg_add_mss(&s, 1460), 0);
	assert_int_equal(seg_add_sackok(&s), 0);
	assert_int_equal(seg_add_ts(&s, 100, 0), 0);
	assert_int_equal(seg_add_nop(&s), 0);
	assert_int_equal(seg_add_wscale(&s, 7), 0);
	assert_int_equal(s.doff, 10);
	assert_int_equal(seg_encode(*state, &s, out, sizeof(out), &err),
	    sizeof(v4_syn_linux));
	assert_null(err);
	assert_memory_equal(out, v4_syn_linux, sizeof(v4_syn_linux));
}

static void
encode_built_v6_data_matches_bytes(void **state)
{
	struct seg	 s;
	uint8_t		 out[128];
	char		*err = NULL;

	seg_init(&s, AF_INET6);
	memcpy(s.src, v6dst, 16);
	memcpy(s.dst, v6src, 16);
	s.tos = 0x28;
	s.flowlabel = 0x12345;
	s.ttl = 57;
	s.sport = 443;
	s.dport = 50000;
	s.seq = 0x01020304;
	s.ack = 0x89abcdf0;
	s.flags = SEG_PSH | SEG_ACK;
	s.win = 256;
	s.data = (const uint8_t *)"0123456789abcdef0";
	s.len = 17;
	assert_int_equal(seg_encode(*state, &s, out, sizeof(out), &err),
	    sizeof(v6_data));
	assert_memory_equal(out, v6_data, sizeof(v6_data));
}

/*
 * csum_bad: the encoded segment is the good one but for the TCP checksum,
 * which the decoder flags (SEG_W_CSUM), IPv4 and IPv6.
 */
static void
encode_csum_bad_flagged_by_decoder(void **state)
{
	struct seg	 s, d;
	uint8_t		 good[128], bad[128];
	char		*err = NULL;
	int		 n, off, fam;

	for (fam = 0; fam < 2; fam++) {
		seg_init(&s, fam == 0 ? AF_INET : AF_INET6);
		memcpy(s.src, fam == 0 ? v4src : v6src, fam == 0 ? 4 : 16);
		memcpy(s.dst, fam == 0 ? v4dst : v6dst, fam == 0 ? 4 : 16);
		s.sport = 40000;
		s.dport = 80;
		s.seq = 1000;
		s.ack = 2000;
		s.flags = SEG_PSH | SEG_ACK;
		s.win = 512;
		s.data = (const uint8_t *)"0123456789";
		s.len = 10;
		n = seg_encode(*state, &s, good, sizeof(good), &err);
		assert_int_equal(n, (fam == 0 ? 20 : 40) + 20 + 10);
		decode_ok(good, (size_t)n, &d);
		assert_int_equal(d.warn & SEG_W_CSUM, 0);
		s.csum_bad = 1;
		assert_int_equal(seg_encode(*state, &s, bad, sizeof(bad), &err),
		    n);
		assert_null(err);
		decode_ok(bad, (size_t)n, &d);
		assert_int_equal(d.warn & SEG_W_CSUM, SEG_W_CSUM);
		assert_int_equal(d.csum_bad, 0);
		/* Only the two checksum bytes differ. */
		off = (fam == 0 ? 20 : 40) + 16;
		assert_memory_equal(good, bad, (size_t)off);
		assert_memory_equal(good + off + 2, bad + off + 2,
		    (size_t)n - (size_t)off - 2);
		assert_true(good[off] != bad[off] ||
		    good[off + 1] != bad[off + 1]);
	}
}

/*
 * A spoiled checksum is never the pseudo-header sum, which a capture takes
 * for an offloaded checksum and completes: over the 65536 values of the
 * sequence number's low word the right checksum takes every value, so the
 * first mask's result meets the pseudo-header sum for some of them.
 */
static void
encode_csum_bad_never_looks_offloaded(void **state)
{
	struct seg	 s, d;
	uint8_t		 out[128];
	char		*err = NULL;
	uint16_t	 partial, field;
	uint32_t	 lo;
	int		 n;

	seg_init(&s, AF_INET);
	memcpy(s.src, v4src, 4);
	memcpy(s.dst, v4dst, 4);
	s.sport = 40000;
	s.dport = 80;
	s.flags = SEG_RST;
	s.csum_bad = 1;
	partial = inet_fold(inet_pseudo_sum(AF_INET, s.src, s.dst, 6, 20));
	for (lo = 0; lo < 65536; lo++) {
		s.seq = 0x12340000u | lo;
		n = seg_encode(*state, &s, out, sizeof(out), &err);
		assert_int_equal(n, 40);
		field = (uint16_t)(out[36] << 8 | out[37]);
		if (field == partial || (field == 0 && partial == 0xffff))
			fail_msg("seq 0x%08x: checksum field 0x%04x is the "
			    "pseudo-header sum", s.seq, field);
		if ((lo & 0xfff) == 0) {
			decode_ok(out, (size_t)n, &d);
			assert_int_equal(d.warn & SEG_W_CSUM, SEG_W_CSUM);
		}
	}
}

static void
encode_rejects_small_buffer_and_bad_option(void **state)
{
	struct seg	 s;
	uint8_t		 out[128];
	char		*err = NULL;

	decode_ok(v4_syn_linux, sizeof(v4_syn_linux), &s);
	assert_int_equal(seg_encode(*state, &s, out, sizeof(v4_syn_linux) - 1,
	    &err), -1);
	assert_non_null(strstr(err, "do not fit"));
	free(err);
	err = NULL;
	/* A kind that needs a length, with length 1: cannot be encoded. */
	s.opts[0].len = 1;
	assert_int_equal(seg_encode(*state, &s, out, sizeof(out), &err), -1);
	assert_non_null(strstr(err, "length 1"));
	free(err);
	err = NULL;
	/* And the context still works afterwards. */
	decode_ok(v6_data, sizeof(v6_data), &s);
	assert_int_equal(seg_encode(*state, &s, out, sizeof(out), &err),
	    sizeof(v6_data));
	assert_memory_equal(out, v6_data, sizeof(v6_data));
}

/* ---- Malformed IP and TCP headers: rejected with a reason, or flagged. */

/* One byte changed (or the input cut), then checksums optionally fixed. */
struct mangle {
	const char	*name;
	const uint8_t	*base;
	size_t		 baselen;
	int		 off;		/* byte to change, -1 none */
	uint8_t		 val;
	int		 cut;		/* > 0: keep only this many bytes */
	int		 fix;		/* recompute the IPv4 header checksum */
	const char	*reason;	/* NULL: must decode */
	unsigned	 warn;		/* then exactly these warnings */
};

#define B(x)	x, sizeof(x)

static const struct mangle mangles[] = {
	{ "empty", B(v4_rst), -1, 0, -1, 0, "empty packet", 0 },
	{ "ip_version_5", B(v4_rst), 0, 0x55, 0, 0, "unknown IP version 5", 0 },
	{ "ipv4_19_bytes", B(v4_rst), -1, 0, 19, 0, "IPv4 header truncated",
	    0 },
	{ "ipv4_ihl_4", B(v4_rst), 0, 0x44, 0, 1, "IPv4 header length 16 "
	    "below 20", 0 },
	{ "ipv4_ihl_15_beyond_capture", B(v4_rst), 0, 0x4f, 0, 0,
	    "IPv4 header length 60 beyond the 40 bytes", 0 },
	{ "ipv4_total_length_beyond_capture", B(v4_rst), 3, 41, 0, 1,
	    "IPv4 total length 41 beyond the 40 bytes", 0 },
	{ "ipv4_total_length_below_header", B(v4_rst), 3, 19, 0, 1,
	    "IPv4 total length 19 below its header length 20", 0 },
	{ "ipv4_total_length_0_big_tcp", B(v4_rst), 3, 0, 0, 1,
	    "IPv4 total length 0 (a BIG TCP GSO packet?)", 0 },
	{ "ipv6_payload_length_0_jumbo", B(v6_data), 5, 0, 0, 0,
	    "IPv6 payload length 0 (a jumbogram", 0 },
	{ "ipv4_not_tcp", B(v4_rst), 9, 17, 0, 1, "not TCP (IPv4 protocol 17)",
	    0 },
	{ "ipv4_later_fragment", B(v4_rst), 7, 0x01, 0, 1,
	    "IPv4 fragment at offset 8 (not the first)", 0 },
	{ "ipv4_bad_header_checksum", B(v4_rst), 8, 63, 0, 0, NULL,
	    SEG_W_IP_CSUM },
	{ "ipv4_bad_tcp_checksum", B(v4_data_ts), 60, 'H', 0, 0, NULL,
	    SEG_W_CSUM },
	{ "ipv4_total_length_cuts_tcp_header", B(v4_rst), 3, 39, 0, 1,
	    "TCP header truncated (19 bytes)", 0 },
	{ "tcp_data_offset_4", B(v4_rst), 32, 0x40, 0, 0,
	    "TCP data offset 4 below 5", 0 },
	{ "tcp_data_offset_0", B(v4_rst), 32, 0x00, 0, 0,
	    "TCP data offset 0 below 5", 0 },
	{ "tcp_data_offset_beyond_datagram", B(v4_syn_linux), 32, 0xb0, 0, 0,
	    "TCP data offset 11 (44 bytes) beyond the 40 bytes", 0 },
	{ "tcp_data_offset_15_beyond_datagram", B(v4_rst), 32, 0xf0, 0, 0,
	    "TCP data offset 15 (60 bytes) beyond the 20 bytes", 0 },
	{ "ipv6_39_bytes", B(v6_data), -1, 0, 39, 0, "IPv6 header truncated",
	    0 },
	{ "ipv6_payload_length_beyond_capture", B(v6_data), 5, 38, 0, 0,
	    "IPv6 payload length 38 beyond the 37 bytes", 0 },
	{ "ipv6_next_header_udp", B(v6_data), 6, 17, 0, 0,
	    "not TCP (IPv6 next header 17)", 0 },
	{ "ipv6_ah", B(v6_data), 6, 51, 0, 0, "authentication header (AH)", 0 },
	{ "ipv6_esp", B(v6_data), 6, 50, 0, 0, "ESP", 0 },
	{ "ipv6_no_next_header", B(v6_data), 6, 59, 0, 0, "no next header", 0 },
	{ "ipv6_payload_length_cuts_tcp_header", B(v6_data), 5, 19, 0, 0,
	    "TCP header truncated (19 bytes)", 0 },
	{ "ipv6_bad_tcp_checksum", B(v6_data), 8, 0x21, 0, 0, NULL,
	    SEG_W_CSUM },
	{ "ipv6_traffic_class_not_in_checksum", B(v6_data), 1, 0x00, 0, 0, NULL,
	    0 },
};

static void
malformed_headers_rejected_or_flagged_exactly(void **state)
{
	uint8_t		 p[256];
	struct seg	 s;
	size_t		 i, n;
	char		*err;

	(void)state;
	for (i = 0; i < sizeof(mangles) / sizeof(mangles[0]); i++) {
		const struct mangle	*m = &mangles[i];

		memcpy(p, m->base, m->baselen);
		n = m->cut > 0 ? (size_t)m->cut : m->cut < 0 ? 0 : m->baselen;
		if (m->off >= 0)
			p[m->off] = m->val;
		if (m->fix) {
			p[10] = p[11] = 0;
			put16(p + 10, ref_csum(ref_sum(p, 20, 0)));
		}
		err = NULL;
		if (m->reason != NULL) {
			if (decode_copy(p, n, &s, &err) != -1 || err == NULL ||
			    strstr(err, m->reason) == NULL)
				fail_msg("%s: reason \"%s\", want \"%s\"",
				    m->name, err, m->reason);
			free(err);
			continue;
		}
		if (decode_copy(p, n, &s, &err) != 0)
			fail_msg("%s: %s", m->name, err);
		if (s.warn != m->warn)
			fail_msg("%s: warn 0x%x, want 0x%x", m->name, s.warn,
			    m->warn);
	}
}

/* IPv4 options are skipped; the TCP header follows them. */
static void
ipv4_options_skipped(void **state)
{
	uint8_t		t[80], p[160];
	struct seg	s;
	size_t		n;

	(void)state;
	n = mk_v4(p, "01 01 01 00 94 04 00 00", t,
	    mk_tcp(t, SEG_ACK, "01 01 08 0a 00000001 00000002", "xy"));
	decode_ok(p, n, &s);
	assert_int_equal(s.tsval, 1);
	assert_int_equal(s.tsecr, 2);
	assert_int_equal(s.len, 2);
	assert_memory_equal(s.data, "xy", 2);
	assert_int_equal(s.warn, 0);
}

/* Bytes after the datagram's total length: ignored and flagged. */
static void
ipv4_trailing_bytes_flagged_and_ignored(void **state)
{
	uint8_t		p[128];
	struct seg	s;

	(void)state;
	memcpy(p, v4_data_ts, sizeof(v4_data_ts));
	/* Zeros after the datagram, as Ethernet padding leaves them. */
	memcpy(p + sizeof(v4_data_ts), "\0\0\0\0\0\0", 6);
	decode_ok(p, sizeof(v4_data_ts) + 6, &s);
	assert_int_equal(s.warn, SEG_W_IP_TRAIL);
	assert_int_equal(s.len, 13);
	assert_int_equal(s.tsval, 400);
}

/* A first fragment (MF): decoded, flagged, its TCP checksum not judged. */
static void
ipv4_first_fragment_flagged_checksum_skipped(void **state)
{
	uint8_t		p[128];
	struct seg	s;

	(void)state;
	memcpy(p, v4_data_ts, sizeof(v4_data_ts));
	p[6] = 0x20;			/* MF, offset 0 */
	put16(p + 2, 56);		/* only 4 of the 13 payload bytes */
	p[10] = p[11] = 0;
	put16(p + 10, ref_csum(ref_sum(p, 20, 0)));
	decode_ok(p, 56, &s);
	assert_int_equal(s.warn, SEG_W_FRAG);
	assert_int_equal(s.ip_frag, 0x2000);
	assert_int_equal(s.len, 4);
}

static void
ipv6_extension_headers_skipped(void **state)
{
	uint8_t		t[80], p[300];
	struct seg	s;
	size_t		tl, n;

	(void)state;
	tl = mk_tcp(t, SEG_SYN, "02 04 05 a0", "");
	/* hop-by-hop (PadN) -> destination options (16 bytes) -> routing
	 * type 2 with no segment left -> atomic fragment -> TCP. */
	n = mk_v6(p, 0, "3c 00 01 04 00 00 00 00"
	    "2b 01 01 0c 00 00 00 00 00 00 00 00 00 00 00 00"
	    "2c 02 02 00 00 00 00 00 20010db8000000000000000000000009"
	    "06 00 00 00 12 34 56 78", t, tl, NULL);
	decode_ok(p, n, &s);
	assert_int_equal(s.mss, 1440);
	assert_int_equal(s.flags, SEG_SYN);
	assert_int_equal(s.warn, 0);
}

/* In flight, the routing header holds the final destination (RFC 8200 8.1). */
static void
ipv6_routing_header_final_destination_in_checksum(void **state)
{
	static const uint8_t	final[16] = { 0x20, 0x01, 0x0d, 0xb8,
	    [14] = 0x99, [15] = 0x99 };
	uint8_t			t[80], p[300];
	struct seg		s;
	size_t			tl, n;

	(void)state;
	tl = mk_tcp(t, SEG_ACK, "", "data");
	/* Type 0, one segment left, two addresses: the last is final. */
	n = mk_v6(p, 43, "06 04 00 01 00 00 00 00"
	    "20010db8000000000000000000000005"
	    "20010db8000000000000000000009999", t, tl, final);
	decode_ok(p, n, &s);
	assert_int_equal(s.warn, 0);
	assert_memory_equal(s.dst, v6dst, 16);
	/* Segment routing (type 4): Segment List[0] is the final one. */
	n = mk_v6(p, 43, "06 04 04 01 01 00 00 00"
	    "20010db8000000000000000000009999"
	    "20010db8000000000000000000000005", t, tl, final);
	decode_ok(p, n, &s);
	assert_int_equal(s.warn, 0);
	/* No segment left: the IPv6 destination is final; a checksum made
	 * for the routing header's address no longer verifies. */
	n = mk_v6(p, 43, "06 04 00 00 00 00 00 00"
	    "20010db8000000000000000000000005"
	    "20010db8000000000000000000009999", t, tl, final);
	decode_ok(p, n, &s);
	assert_int_equal(s.warn, SEG_W_CSUM);
}

static void
ipv6_fragments_flagged_or_rejected(void **state)
{
	uint8_t		t[80], p[300];
	struct seg	s;
	size_t		tl, n;

	(void)state;
	tl = mk_tcp(t, SEG_ACK, "", "some data");
	/* First fragment, M set: flagged, checksum not judged. */
	n = mk_v6(p, 44, "06 00 00 01 00 00 00 01", t, tl, NULL);
	p[n - 1] ^= 0xff;
	decode_ok(p, n, &s);
	assert_int_equal(s.warn, SEG_W_FRAG);
	/* Offset 8: no TCP header in it. */
	n = mk_v6(p, 44, "06 00 00 08 00 00 00 01", t, tl, NULL);
	decode_fails(p, n, "IPv6 fragment at offset 8 (not the first)");
}

static void
ipv6_malformed_extension_headers_rejected(void **state)
{
	uint8_t	t[80], p[300];
	size_t	tl, n;

	(void)state;
	tl = mk_tcp(t, SEG_ACK, "", "");
	/* Hop-by-hop after a destination options header. */
	n = mk_v6(p, 60, "00 00 01 04 00 00 00 00 06 00 01 04 00 00 00 00",
	    t, tl, NULL);
	decode_fails(p, n, "hop-by-hop options header not first");
	/* Extension header claiming more bytes than the datagram holds. */
	n = mk_v6(p, 60, "06 05 01 04 00 00 00 00", t, tl, NULL);
	decode_fails(p, n, "IPv6 extension header 60 length 48 beyond");
	/* Fewer than 8 bytes left for an extension header. */
	n = mk_v6(p, 60, "06 00 01", t, 0, NULL);
	decode_fails(p, n, "IPv6 extension header 60 truncated");
	n = mk_v6(p, 44, "06 00 00", t, 0, NULL);
	decode_fails(p, n, "IPv6 fragment header truncated");
	/* Destination options then ESP. */
	n = mk_v6(p, 60, "32 00 01 04 00 00 00 00", t, tl, NULL);
	decode_fails(p, n, "ESP");
}

/* ---- Options, one row per rule. ---- */

struct optcase {
	const char	*name;
	const char	*opts;		/* option bytes, padded with zeros */
	unsigned	 warn;
	unsigned	 has;
	int		 nopts;
};

static const struct optcase optcases[] = {
	{ "mss_len_3_wrong_length", "02 03 05 01", SEG_W_OPT_LEN, 0, 2 },
	{ "wscale_len_4_wrong_length", "03 04 07 07", SEG_W_OPT_LEN, 0, 1 },
	{ "sackok_len_3_wrong_length", "04 03 00 01", SEG_W_OPT_LEN, 0, 2 },
	{ "sack_len_2_no_block", "05 02 01 01", SEG_W_OPT_LEN, 0, 3 },
	{ "sack_len_9_not_2_plus_8n", "05 09 00000001 000000 01 01 01",
	    SEG_W_OPT_LEN, 0, 4 },
	{ "sack_4_blocks", "05 22 00000001 00000002 00000003 00000004"
	    "00000005 00000006 00000007 00000008 01 01", 0, SEG_HAS_SACK, 3 },
	{ "ts_len_8_wrong_length", "08 08 00000001 0000", SEG_W_OPT_LEN, 0, 1 },
	{ "md5_len_17_wrong_length", "13 11 000102030405060708090a0b0c0d0e",
	    SEG_W_OPT_LEN, 0, 2 },
	{ "md5_len_18", "13 12 000102030405060708090a0b0c0d0e0f", 0,
	    SEG_HAS_MD5, 2 },
	{ "ao_len_3_wrong_length", "1d 03 01 01", SEG_W_OPT_LEN, 0, 2 },
	{ "ao_keyid_rnext_mac", "1d 10 01 02 000102030405060708090a0b", 0,
	    SEG_HAS_AO, 1 },
	{ "tfo_cookie_request", "22 02 01 01", 0, SEG_HAS_TFO, 3 },
	{ "tfo_cookie_3_bytes_too_short", "22 05 aabbcc 01", SEG_W_OPT_LEN, 0,
	    3 },
	{ "tfo_cookie_17_bytes_too_long",
	    "22 13 000102030405060708090a0b0c0d0e0f10 01", SEG_W_OPT_LEN, 0,
	    2 },
	{ "tfo_exp_magic_f989", "fe 04 f9 89", 0, SEG_HAS_TFO, 1 },
	{ "tfo_exp_cookie_2_bytes", "fe 06 f9 89 aa bb 01 01", SEG_W_OPT_LEN, 0,
	    3 },
	{ "exp_len_3_no_exid", "fe 03 f9 01", SEG_W_OPT_LEN, 0, 2 },
	{ "exp_other_magic_unknown", "fe 04 12 34", 0, SEG_HAS_UNKNOWN, 1 },
	{ "unknown_kind_len_2", "63 02 01 01", 0, SEG_HAS_UNKNOWN, 3 },
	{ "len_0_stops", "02 00 05 b4", SEG_W_OPT_TRUNC, 0, 0 },
	{ "len_1_stops", "01 08 01 01", SEG_W_OPT_TRUNC, 0, 1 },
	{ "len_overruns_header", "01 01 08 0a 00 00 00 00", SEG_W_OPT_TRUNC, 0,
	    2 },
	{ "kind_without_length_byte", "01 01 01 02", SEG_W_OPT_TRUNC, 0, 3 },
	{ "eol_nonzero_padding", "00 01 00 00", SEG_W_EOL_PAD, 0, 1 },
	{ "eol_zero_padding", "02 04 05 b4 00 00 00 00", 0, SEG_HAS_MSS, 2 },
	{ "nop_only", "01 01 01 01", 0, 0, 4 },
	{ "wrong_length_then_valid_mss", "02 03 05 01 02 04 02 18",
	    SEG_W_OPT_LEN, SEG_HAS_MSS, 3 },
	{ "forty_nops", "0101010101010101010101010101010101010101"
	    "0101010101010101010101010101010101010101", 0, 0, 40 },
};

static void
option_rules_table(void **state)
{
	uint8_t		t[80], p[160];
	struct seg	s;
	size_t		i, n;

	(void)state;
	for (i = 0; i < sizeof(optcases) / sizeof(optcases[0]); i++) {
		const struct optcase	*c = &optcases[i];

		n = mk_v4(p, "", t, mk_tcp(t, SEG_ACK, c->opts, ""));
		decode_ok(p, n, &s);
		if (s.warn != c->warn || s.has != c->has ||
		    s.nopts != c->nopts)
			fail_msg("%s: warn 0x%x has 0x%x nopts %d, want 0x%x "
			    "0x%x %d", c->name, s.warn, s.has, s.nopts,
			    c->warn, c->has, c->nopts);
	}
}

/* Only the first well-formed occurrence fills the interpreted fields. */
static void
option_first_valid_occurrence_wins(void **state)
{
	uint8_t		t[80], p[160];
	struct seg	s;
	size_t		n;

	(void)state;
	n = mk_v4(p, "", t, mk_tcp(t, SEG_SYN, "02 04 05 b4 02 04 02 18 "
	    "03 03 0e 03 03 02 01 01", ""));
	decode_ok(p, n, &s);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.wscale, 14);
	n = mk_v4(p, "", t, mk_tcp(t, SEG_SYN, "02 03 05 01 02 04 02 18", ""));
	decode_ok(p, n, &s);
	assert_int_equal(s.mss, 536);
	assert_int_equal(s.warn, SEG_W_OPT_LEN);
	/* A window scale above 14 is kept as sent: the peer decides. */
	n = mk_v4(p, "", t, mk_tcp(t, SEG_SYN, "03 03 0f 01", ""));
	decode_ok(p, n, &s);
	assert_int_equal(s.wscale, 15);
	assert_int_equal(s.warn, 0);
}

static void
option_sack_four_blocks_values(void **state)
{
	uint8_t		t[80], p[160];
	struct seg	s;
	size_t		n;

	(void)state;
	n = mk_v4(p, "", t, mk_tcp(t, SEG_ACK, optcases[5].opts, ""));
	decode_ok(p, n, &s);
	assert_int_equal(s.nsack, 4);
	assert_int_equal(s.sack[0].left, 1);
	assert_int_equal(s.sack[0].right, 2);
	assert_int_equal(s.sack[3].left, 7);
	assert_int_equal(s.sack[3].right, 8);
}

/* ---- Hostile input: no read out of bounds (ASan), invariants hold. */

static void
check_invariants(const uint8_t *pkt, size_t len, const struct seg *s)
{
	assert_true(s->data >= pkt && s->data + s->len <= pkt + len);
	assert_true(s->nopts >= 0 && s->nopts <= SEG_OPT_MAX);
	assert_true(s->nsack >= 0 && s->nsack <= SEG_SACK_MAX);
	assert_true(seg_optbytes(s) <= (size_t)(s->doff - 5) * 4);
	assert_true(s->tfo_len <= SEG_TFO_MAX);
}

/* Every prefix of every golden segment: only the whole one decodes. */
static void
hostile_every_truncation_rejected(void **state)
{
	struct seg	 s;
	size_t		 i, n;
	char		*err;

	(void)state;
	for (i = 0; i < NGOLDEN; i++) {
		for (n = 0; n < goldens[i].len; n++) {
			err = NULL;
			assert_int_equal(decode_copy(goldens[i].pkt, n, &s,
			    &err), -1);
			assert_non_null(err);
			free(err);
		}
	}
}

/* Every byte of every golden segment set to a few values. */
static void
hostile_single_byte_mutations_stay_in_bounds(void **state)
{
	static const uint8_t	 vals[] = { 0x00, 0x01, 0x02, 0x05, 0x0a,
	    0x22, 0x3f, 0x40, 0x7f, 0x80, 0xfe, 0xff };
	uint8_t			*p;
	struct seg		 s;
	size_t			 i, j, k, n;
	char			*err;

	(void)state;
	for (i = 0; i < NGOLDEN; i++) {
		n = goldens[i].len;
		p = malloc(n);
		assert_non_null(p);
		for (j = 0; j < n; j++) {
			for (k = 0; k < sizeof(vals); k++) {
				memcpy(p, goldens[i].pkt, n);
				p[j] = vals[k];
				err = NULL;
				if (seg_decode(p, n, &s, &err) == 0)
					check_invariants(p, n, &s);
				else
					assert_non_null(err);
				free(err);
			}
		}
		free(p);
	}
}

/*
 * A checksum field of 0xffff where the computed one is 0x0000: one's
 * complement's other zero, which verifies (found by the fuzzer, which had
 * expected the re-encoded bytes to match).
 */
static void
tcp_checksum_negative_zero_verifies(void **state)
{
	static const uint8_t	p[] = {
		0x45, 0x00, 0x00, 0x2c, 0x00, 0x09, 0x40, 0x00, 0x40, 0x06,
		0xae, 0x9b, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02,
		0x9c, 0x43, 0x00, 0x50, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00,
		0x00, 0x00, 0x61, 0xc2, 0x6d, 0xa4, 0xff, 0xff, 0x00, 0x00,
		0x02, 0x04, 0x05, 0xb4,
	};
	uint8_t			t[64];
	struct seg		s;

	(void)state;
	memcpy(t, p + 20, sizeof(p) - 20);
	assert_int_equal(ref_tcp_csum(0, p + 12, p + 16, t, sizeof(p) - 20), 0);
	decode_ok(p, sizeof(p), &s);
	assert_int_equal(s.csum, 0xffff);
	assert_int_equal(s.warn, 0);
	assert_int_equal(s.flags, SEG_SYN | SEG_ECE | SEG_CWR | SEG_AE);
}

/* A NULL err is allowed: the caller only wants the verdict. */
static void
decode_with_null_err(void **state)
{
	struct seg	s;

	(void)state;
	assert_int_equal(seg_decode(v4_rst, 10, &s, NULL), -1);
	assert_int_equal(seg_decode(v4_rst, sizeof(v4_rst), &s, NULL), 0);
}

/* ---- Builders. ---- */

static void
builders_match_decoder_fields(void **state)
{
	static const struct seg_sack	blk[2] = { { 10, 20 }, { 30, 40 } };
	static const uint8_t		cookie[4] = { 9, 8, 7, 6 };
	struct seg			s, d;
	uint8_t				out[256];
	char				*err = NULL;
	int				n, i;

	seg_init(&s, AF_INET6);
	memcpy(s.src, v6src, 16);
	memcpy(s.dst, v6dst, 16);
	assert_int_equal(seg_add_ts(&s, 5, 6), 0);
	assert_int_equal(seg_add_sack(&s, blk, 2), 0);
	assert_int_equal(seg_add_tfo(&s, cookie, 4), 0);
	assert_int_equal(seg_add_eol(&s), 0);
	assert_int_equal(seg_optbytes(&s), 10 + 18 + 6 + 1);
	assert_int_equal(s.doff, 14);
	assert_int_equal(s.has, SEG_HAS_TS | SEG_HAS_SACK | SEG_HAS_TFO);
	assert_int_equal(s.nsack, 2);
	assert_int_equal(s.sack[1].right, 40);
	assert_int_equal(s.tfo_len, 4);
	n = seg_encode(*state, &s, out, sizeof(out), &err);
	assert_int_equal(n, 40 + 56);
	decode_ok(out, (size_t)n, &d);
	assert_int_equal(d.has, s.has);
	assert_int_equal(d.tsval, 5);
	assert_int_equal(d.tsecr, 6);
	assert_int_equal(d.nsack, 2);
	assert_memory_equal(d.sack, s.sack, sizeof(s.sack));
	assert_memory_equal(d.tfo_cookie, cookie, 4);
	assert_int_equal(d.nopts, s.nopts);
	for (i = 0; i < s.nopts; i++) {
		assert_int_equal(d.opts[i].kind, s.opts[i].kind);
		assert_int_equal(d.opts[i].len, s.opts[i].len);
	}
	assert_int_equal(d.doff, s.doff);
	assert_int_equal(d.warn, 0);
}

static void
builders_refuse_more_than_40_bytes(void **state)
{
	struct seg	s;
	int		i;

	(void)state;
	seg_init(&s, AF_INET);
	for (i = 0; i < 4; i++)
		assert_int_equal(seg_add_ts(&s, (uint32_t)i, 0), 0);
	assert_int_equal(seg_add_ts(&s, 9, 0), -1);	/* 50 > 40 */
	assert_int_equal(seg_add_mss(&s, 1), -1);	/* 44 > 40 */
	assert_int_equal(s.tsval, 0);			/* first wins */
	assert_int_equal(seg_add_nop(&s), -1);
	assert_int_equal(s.nopts, 4);
	assert_int_equal(s.doff, 15);
	seg_init(&s, AF_INET);
	for (i = 0; i < 40; i++)
		assert_int_equal(seg_add_nop(&s), 0);
	assert_int_equal(seg_add_eol(&s), -1);
	assert_int_equal(seg_optbytes(&s), 40);
}

static void
builders_reject_bad_arguments(void **state)
{
	struct seg_sack	blk[5] = { { 0, 0 } };
	struct seg	s;
	uint8_t		v[40] = { 0 };

	(void)state;
	seg_init(&s, AF_INET);
	assert_int_equal(seg_add_sack(&s, blk, 0), -1);
	assert_int_equal(seg_add_sack(&s, blk, 5), -1);
	assert_int_equal(seg_add_tfo(&s, v, 17), -1);
	assert_int_equal(seg_add_opt(&s, 99, v, 39), -1);
	assert_int_equal(seg_add_opt(&s, TCPOPT_NOP, v, 1), -1);
	assert_int_equal(s.nopts, 0);
	assert_int_equal(s.doff, 5);
}

/* seg_add_opt is raw but interpreted like the decoder, errors included. */
static void
builder_raw_option_interpreted_like_decoder(void **state)
{
	static const uint8_t	mss3[1] = { 5 }, mss4[2] = { 0x02, 0x18 },
				exp[6] = { 0xf9, 0x89, 1, 2, 3, 4 };
	struct seg		s;

	(void)state;
	seg_init(&s, AF_INET);
	assert_int_equal(seg_add_opt(&s, TCPOPT_MSS, mss3, 1), 0);
	assert_int_equal(s.warn, SEG_W_OPT_LEN);
	assert_int_equal(s.has, 0);
	assert_int_equal(seg_add_opt(&s, TCPOPT_MSS, mss4, 2), 0);
	assert_int_equal(s.has, SEG_HAS_MSS);
	assert_int_equal(s.mss, 536);
	assert_int_equal(seg_add_opt(&s, TCPOPT_EXP, exp, 6), 0);
	assert_int_equal(s.has, SEG_HAS_MSS | SEG_HAS_TFO);
	assert_int_equal(s.tfo_len, 4);
	assert_int_equal(seg_add_opt(&s, 200, NULL, 0), 0);
	assert_int_equal(s.has, SEG_HAS_MSS | SEG_HAS_TFO | SEG_HAS_UNKNOWN);
	assert_int_equal(seg_optbytes(&s), 3 + 4 + 8 + 2);
	assert_int_equal(s.doff, 10);
}

static void
seg_init_defaults(void **state)
{
	struct seg	s;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	seg_init(&s, AF_INET6);
	assert_int_equal(s.family, AF_INET6);
	assert_int_equal(s.ttl, 64);
	assert_int_equal(s.doff, 5);
	assert_int_equal(s.nopts, 0);
	assert_int_equal(s.has, 0);
	assert_int_equal(s.warn, 0);
	assert_int_equal(s.len, 0);
	assert_null(s.data);
}

/* ---- Text forms. ---- */

static void
flags_str_packetdrill_letters(void **state)
{
	static const struct {
		uint16_t	 f;
		const char	*want;
	} t[] = {
		{ SEG_SYN, "S" }, { SEG_SYN | SEG_ACK, "S." }, { SEG_ACK, "." },
		{ SEG_PSH | SEG_ACK, "P." }, { SEG_FIN | SEG_ACK, "F." },
		{ SEG_FIN | SEG_PSH | SEG_ACK, "FP." }, { SEG_RST, "R" },
		{ SEG_RST | SEG_ACK, "R." },
		{ SEG_SYN | SEG_ECE | SEG_CWR, "SEW" },
		{ SEG_SYN | SEG_ECE | SEG_ACK, "SE." }, { 0, "-" },
		{ SEG_URG | SEG_ACK, "U." }, { SEG_AE | SEG_ACK, "A." },
		{ 0x1ff, "FSRPUEWA." },
	};
	char	buf[16];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(seg_flags_str(t[i].f, buf, sizeof(buf)),
		    t[i].want);
	assert_string_equal(seg_flags_str(SEG_SYN | SEG_ACK, buf, 2), "S");
}

static void
opts_str_packetdrill_notation(void **state)
{
	struct seg	s;
	char		buf[512];

	(void)state;
	decode_ok(v4_syn_linux, sizeof(v4_syn_linux), &s);
	assert_string_equal(seg_opts_str(&s, buf, sizeof(buf)),
	    "mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7");
	decode_ok(v4_ack_sack, sizeof(v4_ack_sack), &s);
	assert_string_equal(seg_opts_str(&s, buf, sizeof(buf)),
	    "nop,nop,TS val 350 ecr 450,nop,nop,sack 1049:2001 2500:3501");
	decode_ok(v4_unknown_opts, sizeof(v4_unknown_opts), &s);
	assert_string_equal(seg_opts_str(&s, buf, sizeof(buf)),
	    "kind 99 len 4 0x1234,kind 254 len 6 0xabcd0102,nop,nop");
	decode_ok(v6_tfo_md5, sizeof(v6_tfo_md5), &s);
	assert_string_equal(seg_opts_str(&s, buf, sizeof(buf)),
	    "FO 0102030405060708,nop,nop,"
	    "md5 00112233445566778899aabbccddeeff,nop,nop,FOEXP deadbeef");
	decode_ok(v4_eol_pad, sizeof(v4_eol_pad), &s);
	assert_string_equal(seg_opts_str(&s, buf, sizeof(buf)),
	    "mss 1460,eol");
	decode_ok(v4_rst, sizeof(v4_rst), &s);
	assert_string_equal(seg_opts_str(&s, buf, sizeof(buf)), "");
}

/* A known kind with a wrong length is shown raw, so it is not hidden. */
static void
opts_str_malformed_shown_raw_and_truncated_safely(void **state)
{
	static const uint8_t	one[1] = { 5 }, ao[4] = { 1, 2, 0xaa, 0xbb };
	struct seg		s;
	char			buf[64];

	(void)state;
	seg_init(&s, AF_INET);
	seg_add_opt(&s, TCPOPT_MSS, one, 1);
	seg_add_opt(&s, 77, NULL, 0);
	seg_add_tfo(&s, NULL, 0);
	seg_add_opt(&s, TCPOPT_AO, ao, 4);
	assert_string_equal(seg_opts_str(&s, buf, sizeof(buf)),
	    "kind 2 len 3 0x05,kind 77 len 2,FO,ao keyid 1 rnext 2 mac aabb");
	assert_string_equal(seg_opts_str(&s, buf, 8), "kind 2 ");
	assert_string_equal(seg_opts_str(&s, buf, 1), "");
}

static void
addr_str_both_families(void **state)
{
	char	buf[64];

	(void)state;
	assert_string_equal(seg_addr_str(AF_INET, v4src, buf, sizeof(buf)),
	    "198.18.0.1");
	assert_string_equal(seg_addr_str(AF_INET6, v6dst, buf, sizeof(buf)),
	    "2001:db8::2");
	assert_string_equal(seg_addr_str(AF_INET6, v6dst, buf, 4), "?");
	assert_string_equal(seg_addr_str(12345, v6dst, buf, sizeof(buf)), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_arrays_have_correct_checksums),
		cmocka_unit_test(decode_v4_linux_syn_every_field),
		cmocka_unit_test(decode_v4_data_payload_points_after_options),
		cmocka_unit_test(decode_v4_sack_blocks),
		cmocka_unit_test(decode_v4_rst_without_options),
		cmocka_unit_test(decode_unknown_kinds_kept_raw),
		cmocka_unit_test(decode_ecn_and_ae_flags),
		cmocka_unit_test(decode_eol_then_zero_padding),
		cmocka_unit_test(decode_v6_linux_syn_every_field),
		cmocka_unit_test(decode_v6_traffic_class_flowlabel_hoplimit),
		cmocka_unit_test(decode_tfo_and_md5_recognised),
		cmocka_unit_test_setup_teardown(
		    roundtrip_golden_segments_byte_exact,
		    setup_encoder, teardown_encoder),
		cmocka_unit_test_setup_teardown(
		    encode_built_syn_matches_linux_bytes,
		    setup_encoder, teardown_encoder),
		cmocka_unit_test_setup_teardown(
		    encode_built_v6_data_matches_bytes,
		    setup_encoder, teardown_encoder),
		cmocka_unit_test_setup_teardown(
		    encode_csum_bad_flagged_by_decoder,
		    setup_encoder, teardown_encoder),
		cmocka_unit_test_setup_teardown(
		    encode_csum_bad_never_looks_offloaded,
		    setup_encoder, teardown_encoder),
		cmocka_unit_test_setup_teardown(
		    encode_rejects_small_buffer_and_bad_option,
		    setup_encoder, teardown_encoder),
		cmocka_unit_test(malformed_headers_rejected_or_flagged_exactly),
		cmocka_unit_test(ipv4_options_skipped),
		cmocka_unit_test(ipv4_trailing_bytes_flagged_and_ignored),
		cmocka_unit_test(ipv4_first_fragment_flagged_checksum_skipped),
		cmocka_unit_test(ipv6_extension_headers_skipped),
		cmocka_unit_test(
		    ipv6_routing_header_final_destination_in_checksum),
		cmocka_unit_test(ipv6_fragments_flagged_or_rejected),
		cmocka_unit_test(ipv6_malformed_extension_headers_rejected),
		cmocka_unit_test(option_rules_table),
		cmocka_unit_test(option_first_valid_occurrence_wins),
		cmocka_unit_test(option_sack_four_blocks_values),
		cmocka_unit_test(hostile_every_truncation_rejected),
		cmocka_unit_test(hostile_single_byte_mutations_stay_in_bounds),
		cmocka_unit_test(tcp_checksum_negative_zero_verifies),
		cmocka_unit_test(decode_with_null_err),
		cmocka_unit_test_setup_teardown(builders_match_decoder_fields,
		    setup_encoder, teardown_encoder),
		cmocka_unit_test(builders_refuse_more_than_40_bytes),
		cmocka_unit_test(builders_reject_bad_arguments),
		cmocka_unit_test(builder_raw_option_interpreted_like_decoder),
		cmocka_unit_test(seg_init_defaults),
		cmocka_unit_test(flags_str_packetdrill_letters),
		cmocka_unit_test(opts_str_packetdrill_notation),
		cmocka_unit_test(
		    opts_str_malformed_shown_raw_and_truncated_safely),
		cmocka_unit_test(addr_str_both_families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
