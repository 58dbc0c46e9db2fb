/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * fuzz_segment.c: libFuzzer target for the segment decoder: arbitrary bytes
 * in; what decodes must satisfy the struct's invariants, encode, and decode
 * again to the same fields; a canonical input must re-encode byte for byte.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	check_invariants(const uint8_t *, size_t, const struct seg *);
static void	check_same(const struct seg *, const struct seg *);
static int	canonical(const uint8_t *, size_t, const struct seg *);
static void	text_forms(const struct seg *);

#define CHECK(c)	do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);	\
		abort();						\
	}								\
} while (0)

static struct seg_encoder	*enc;
static uint8_t			 out[65536 + 64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seg	 s, r;
	char		*err = NULL;
	int		 n;

	if (enc == NULL && (enc = seg_encoder_new(&err)) == NULL) {
		fprintf(stderr, "seg_encoder_new: %s\n", err);
		abort();
	}
	if (seg_decode(data, size, &s, &err) == -1) {
		CHECK(err != NULL);
		free(err);
		return 0;
	}
	CHECK(err == NULL);
	check_invariants(data, size, &s);
	text_forms(&s);

	n = seg_encode(enc, &s, out, sizeof(out), &err);
	if (n < 0) {
		fprintf(stderr, "encode of a decoded segment: %s\n", err);
		abort();
	}
	if (seg_decode(out, (size_t)n, &r, &err) == -1) {
		fprintf(stderr, "re-decode: %s\n", err);
		abort();
	}
	check_same(&s, &r);
	/* What the encoder wrote is clean, whatever the input was. */
	CHECK((r.warn & (SEG_W_CSUM | SEG_W_IP_CSUM | SEG_W_IP_TRAIL |
	    SEG_W_EOL_PAD | SEG_W_OPT_TRUNC)) == 0);
	if (canonical(data, size, &s))
		CHECK((size_t)n == size && memcmp(out, data, size) == 0);
	return 0;
}

static void
check_invariants(const uint8_t *p, size_t n, const struct seg *s)
{
	CHECK(s->family == AF_INET || s->family == AF_INET6);
	CHECK(s->data >= p && s->len <= n && s->data + s->len <= p + n);
	CHECK(s->doff >= 5 && s->doff <= 15);
	CHECK(s->nopts >= 0 && s->nopts <= SEG_OPT_MAX);
	CHECK(seg_optbytes(s) <= (size_t)(s->doff - 5) * 4);
	CHECK(s->nsack >= 0 && s->nsack <= SEG_SACK_MAX);
	CHECK((s->nsack > 0) == ((s->has & SEG_HAS_SACK) != 0));
	CHECK(s->tfo_len <= SEG_TFO_MAX);
	CHECK((s->flags & ~0x1ff) == 0);
}

/* The fields the encoder carries must survive encode + decode. */
static void
check_same(const struct seg *a, const struct seg *b)
{
	int	i;

	CHECK(a->family == b->family);
	CHECK(memcmp(a->src, b->src, 16) == 0);
	CHECK(memcmp(a->dst, b->dst, 16) == 0);
	CHECK(a->ttl == b->ttl && a->tos == b->tos);
	if (a->family == AF_INET)
		CHECK(a->ip_id == b->ip_id && a->ip_frag == b->ip_frag);
	else
		CHECK(a->flowlabel == b->flowlabel);
	CHECK(a->sport == b->sport && a->dport == b->dport);
	CHECK(a->seq == b->seq && a->ack == b->ack);
	CHECK(a->flags == b->flags && a->win == b->win && a->urp == b->urp);
	CHECK(a->doff == b->doff);
	/* After a truncated option the encoder's zero padding reads as EOL. */
	if ((a->warn & SEG_W_OPT_TRUNC) && b->nopts == a->nopts + 1)
		CHECK(b->opts[a->nopts].kind == TCPOPT_EOL);
	else
		CHECK(a->nopts == b->nopts);
	for (i = 0; i < a->nopts; i++) {
		CHECK(a->opts[i].kind == b->opts[i].kind);
		CHECK(a->opts[i].len == b->opts[i].len);
		if (a->opts[i].len > 2)
			CHECK(memcmp(a->opts[i].data, b->opts[i].data,
			    a->opts[i].len - 2u) == 0);
	}
	CHECK(a->has == b->has && a->mss == b->mss && a->wscale == b->wscale);
	CHECK(a->tsval == b->tsval && a->tsecr == b->tsecr);
	CHECK(a->nsack == b->nsack);
	CHECK(memcmp(a->sack, b->sack, sizeof(a->sack[0]) *
	    (size_t)a->nsack) == 0);
	CHECK(a->tfo_len == b->tfo_len);
	CHECK(memcmp(a->tfo_cookie, b->tfo_cookie, a->tfo_len) == 0);
	CHECK(a->len == b->len && memcmp(a->data, b->data, a->len) == 0);
	CHECK((a->warn & SEG_W_OPT_LEN) == (b->warn & SEG_W_OPT_LEN));
}

/*
 * Inputs the struct describes completely: no IPv4 options or IPv6
 * extension headers, no reserved TCP bits, nothing flagged but wrong option
 * lengths (which are kept raw).  These must come back byte for byte.
 * Except for a checksum of 0xffff: one's complement has two zeros, and
 * where the right checksum is 0x0000 a sender may write 0xffff, which
 * verifies too; libnet writes 0x0000.
 */
static int
canonical(const uint8_t *p, size_t n, const struct seg *s)
{
	size_t	iphl = s->family == AF_INET ? 20 : 40;

	(void)n;
	if (s->warn & ~SEG_W_OPT_LEN)
		return 0;
	if (s->family == AF_INET ? (p[0] & 0x0f) != 5 : p[6] != 6)
		return 0;
	if (s->csum == 0xffff ||
	    (s->family == AF_INET && p[10] == 0xff && p[11] == 0xff))
		return 0;
	return (p[iphl + 12] & 0x0e) == 0;
}

static void
text_forms(const struct seg *s)
{
	char	buf[600], small[7];

	seg_flags_str(s->flags, buf, sizeof(buf));
	seg_opts_str(s, buf, sizeof(buf));
	CHECK(strlen(buf) < sizeof(buf));
	seg_opts_str(s, small, sizeof(small));
	CHECK(strlen(small) < sizeof(small));
	seg_addr_str(s->family, s->src, buf, sizeof(buf));
	seg_addr_str(s->family, s->dst, small, sizeof(small));
}
