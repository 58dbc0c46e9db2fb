/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * segment.c: the decoder of IPv4/IPv6 TCP segments into struct seg, and the
 * option builders that keep a hand-made struct seg reading like a decoded one.
 *
 * The codec in three files:
 *   segment.c         seg_init, seg_decode, seg_add_*, seg_optbytes
 *   segment_encode.c  seg_encoder_new/free, seg_encode (through libnet)
 *   segment_text.c    seg_flags_str, seg_opts_str, seg_addr_str
 *
 * Decoding.  The input is hostile: every read is preceded by a length check
 * against the end of the datagram, never against what a header claims.  What
 * cannot be a TCP segment is rejected with a reason (-1, *err malloc'ed);
 * what is a TCP segment with something wrong in it is decoded and flagged in
 * s->warn, so that a check can turn it into a verdict:
 *
 *   IPv4: IHL >= 5 and within the bytes; options skipped (not kept); total
 *     length honoured (more bytes than it says: SEG_W_IP_TRAIL, fewer:
 *     rejected as truncated); header checksum verified (SEG_W_IP_CSUM); a
 *     first fragment (MF set) is decoded and flagged SEG_W_FRAG and its TCP
 *     checksum is not verified (it covers bytes we do not have); a fragment
 *     with a non-zero offset is rejected (no TCP header in it).
 *   IPv6: payload length honoured the same way; hop-by-hop (0, first only,
 *     RFC 8200 4.1), routing (43), destination options (60) skipped by
 *     (len + 1) * 8, fragment (44) by its 8 bytes, with the same fragment
 *     rules as IPv4 (an atomic fragment, offset 0 and M clear, is whole and
 *     not flagged, RFC 6946); AH, ESP, no-next-header and anything else
 *     rejected with the header's name.  The TCP checksum uses the final
 *     destination: the IPv6 destination, or while a routing header still has
 *     segments left, its last address (RFC 8200 8.1).
 *   TCP: 20 bytes present, data offset >= 5 and within the datagram, else
 *     rejected; checksum over the pseudo-header verified (SEG_W_CSUM).
 *   Options, walked from byte 20 to the data offset (RFC 9293 3.1): EOL ends
 *     the list (non-zero bytes after it: SEG_W_EOL_PAD); NOP is one byte;
 *     any other kind needs a length byte >= 2 that stays inside the header,
 *     else SEG_W_OPT_TRUNC and the walk stops (the rest is dropped).  Every
 *     option walked is kept raw in s->opts, in order.  Known kinds with the
 *     right length fill the interpreted fields (first well-formed occurrence
 *     wins); a known kind with a wrong length sets SEG_W_OPT_LEN and fills
 *     nothing; unknown kinds, and kind 254 with a magic other than TFO's,
 *     set SEG_HAS_UNKNOWN.
 *
 * Cost.  One pass over the headers, the options copied once, the checksum
 * summed 32 bits at a time; no allocation unless the segment is rejected.
 * s->opts[i].data beyond opts[i].len - 2 is not cleared (it is never read).
 *
 * Building.  seg_add_* append an option and run it through the same
 * interpretation as the decoder, so has/mss/wscale/... (and SEG_W_OPT_LEN
 * for a deliberately wrong seg_add_opt) come out as decoding the encoded
 * segment would give.  They also raise s->doff to cover the options.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"
#include "errmsg.h"

#define IPPROTO_TCP_NUM	6

/* IPv6 extension headers and other next-header values (IANA). */
#define NH_HOPOPTS	0
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_ESP		50
#define NH_AH		51
#define NH_NONE		59
#define NH_DSTOPTS	60

/* Where the TCP header is and what its checksum must cover. */
struct seg_ip {
	const uint8_t	*tcp;		/* first byte of the TCP header */
	size_t		 tcplen;	/* TCP header + payload */
	const uint8_t	*csum_dst;	/* destination for the pseudo-header */
	int		 nocsum;	/* a fragment: no TCP checksum check */
};

static int	decode_ipv4(const uint8_t *, size_t, struct seg *,
		    struct seg_ip *, char **);
static int	decode_ipv6(const uint8_t *, size_t, struct seg *,
		    struct seg_ip *, char **);
static int	ipv6_ext(const uint8_t *, size_t, uint8_t *, struct seg *,
		    struct seg_ip *, char **);
static int	ipv6_frag(const uint8_t *, struct seg *, struct seg_ip *,
		    char **);
static const uint8_t *ipv6_final_dst(const uint8_t *, size_t);
static int	decode_tcp(struct seg_ip *, struct seg *, char **);
static void	decode_opts(const uint8_t *, size_t, struct seg *);
static void	opt_copy(uint8_t *, const uint8_t *, size_t);
static void	opt_interpret(struct seg *, uint8_t, uint8_t, const uint8_t *);
static int	opt_tfo(struct seg *, const uint8_t *, int);
static int	opt_append(struct seg *, uint8_t, const uint8_t *, uint8_t);
static uint64_t	sum_bytes(const uint8_t *, size_t);
static uint16_t	sum_fold(uint64_t);
static uint16_t	tcp_sum(const struct seg *, const struct seg_ip *);

static inline uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
seg_init(struct seg *s, int family)
{
	memset(s, 0, sizeof(*s));
	s->family = family;
	s->ttl = 64;
	s->doff = 5;
}

/*
 * Zero everything but the 1.6 KB option array: that is the bulk of the
 * struct and only opts[0 .. nopts) is ever read.
 */
static void
seg_clear(struct seg *s)
{
	memset(s, 0, offsetof(struct seg, opts));
	memset(&s->has, 0, sizeof(*s) - offsetof(struct seg, has));
}

int
seg_decode(const uint8_t *pkt, size_t len, struct seg *s, char **err)
{
	struct seg_ip	ip;

	seg_clear(s);
	memset(&ip, 0, sizeof(ip));
	if (len < 1)
		return tc_seterr(err, "empty packet");
	switch (pkt[0] >> 4) {
	case 4:
		if (decode_ipv4(pkt, len, s, &ip, err) == -1)
			return -1;
		break;
	case 6:
		if (decode_ipv6(pkt, len, s, &ip, err) == -1)
			return -1;
		break;
	default:
		return tc_seterr(err, "unknown IP version %d", pkt[0] >> 4);
	}
	return decode_tcp(&ip, s, err);
}

static int
decode_ipv4(const uint8_t *p, size_t len, struct seg *s, struct seg_ip *ip,
    char **err)
{
	size_t	hlen, tot;

	if (len < 20)
		return tc_seterr(err, "IPv4 header truncated (%zu bytes)", len);
	hlen = (size_t)(p[0] & 0x0f) * 4;
	tot = be16(p + 2);
	if (hlen < 20)
		return tc_seterr(err, "IPv4 header length %zu below 20", hlen);
	if (hlen > len)
		return tc_seterr(err, "IPv4 header length %zu beyond the %zu "
		    "bytes captured", hlen, len);
	/* Linux's BIG TCP (GSO beyond 64 KB) hands such packets to taps
	 * with a total length of 0. */
	if (tot == 0)
		return tc_seterr(err, "IPv4 total length 0 (a BIG TCP GSO "
		    "packet?): not supported");
	if (tot < hlen)
		return tc_seterr(err, "IPv4 total length %zu below its header "
		    "length %zu", tot, hlen);
	if (tot > len)
		return tc_seterr(err, "IPv4 total length %zu beyond the %zu "
		    "bytes "
		    "captured", tot, len);
	if (tot < len)
		s->warn |= SEG_W_IP_TRAIL;
	if (sum_fold(sum_bytes(p, hlen)) != 0xffff)
		s->warn |= SEG_W_IP_CSUM;

	s->family = AF_INET;
	s->tos = p[1];
	s->ip_id = be16(p + 4);
	s->ip_frag = be16(p + 6);
	s->ttl = p[8];
	memcpy(s->src, p + 12, 4);
	memcpy(s->dst, p + 16, 4);
	/* Offset in 8-byte units; a later fragment holds no TCP header. */
	if ((s->ip_frag & 0x1fff) != 0)
		return tc_seterr(err, "IPv4 fragment at offset %u (not the "
		    "first)",
		    (s->ip_frag & 0x1fff) * 8);
	if (s->ip_frag & 0x2000) {
		s->warn |= SEG_W_FRAG;
		ip->nocsum = 1;
	}
	if (p[9] != IPPROTO_TCP_NUM)
		return tc_seterr(err, "not TCP (IPv4 protocol %u)", p[9]);
	ip->tcp = p + hlen;
	ip->tcplen = tot - hlen;
	ip->csum_dst = p + 16;
	return 0;
}

static int
decode_ipv6(const uint8_t *p, size_t len, struct seg *s, struct seg_ip *ip,
    char **err)
{
	size_t		tot;
	uint32_t	vtf;
	uint8_t		nh;

	if (len < 40)
		return tc_seterr(err, "IPv6 header truncated (%zu bytes)", len);
	tot = 40 + (size_t)be16(p + 4);
	if (tot == 40 && len > 40)
		return tc_seterr(err, "IPv6 payload length 0 (a jumbogram, RFC "
		    "2675, or a BIG TCP GSO packet): not supported");
	if (tot > len)
		return tc_seterr(err, "IPv6 payload length %zu beyond the %zu "
		    "bytes captured", tot - 40, len - 40);
	if (tot < len)
		s->warn |= SEG_W_IP_TRAIL;

	vtf = be32(p);
	s->family = AF_INET6;
	s->tos = (uint8_t)(vtf >> 20);
	s->flowlabel = vtf & 0xfffff;
	s->ttl = p[7];
	memcpy(s->src, p + 8, 16);
	memcpy(s->dst, p + 24, 16);
	ip->csum_dst = p + 24;
	nh = p[6];
	return ipv6_ext(p, tot, &nh, s, ip, err);
}

/*
 * Walk the extension headers up to TCP.  Each is at least 8 bytes long, so
 * the walk ends within tot / 8 steps.
 */
static int
ipv6_ext(const uint8_t *p, size_t tot, uint8_t *nh, struct seg *s,
    struct seg_ip *ip, char **err)
{
	size_t	off = 40, hl;

	for (;;) {
		switch (*nh) {
		case IPPROTO_TCP_NUM:
			ip->tcp = p + off;
			ip->tcplen = tot - off;
			return 0;
		case NH_HOPOPTS:
			/* "The Hop-by-Hop Options header, when present,
			 * must immediately follow the IPv6 header" (RFC 8200
			 * 4.1). */
			if (off != 40)
				return tc_seterr(err, "IPv6 hop-by-hop options "
				    "header not first");
			/* FALLTHROUGH */
		case NH_ROUTING:
		case NH_DSTOPTS:
			if (tot - off < 8)
				return tc_seterr(err, "IPv6 extension header "
				    "%u "
				    "truncated", *nh);
			hl = ((size_t)p[off + 1] + 1) * 8;
			if (hl > tot - off)
				return tc_seterr(err, "IPv6 extension header "
				    "%u "
				    "length %zu beyond the datagram", *nh, hl);
			if (*nh == NH_ROUTING &&
			    ipv6_final_dst(p + off, hl) != NULL)
				ip->csum_dst = ipv6_final_dst(p + off, hl);
			break;
		case NH_FRAGMENT:
			if (tot - off < 8)
				return tc_seterr(err, "IPv6 fragment header "
				    "truncated");
			if (ipv6_frag(p + off, s, ip, err) == -1)
				return -1;
			hl = 8;
			break;
		case NH_AH:
			return tc_seterr(err, "IPv6 authentication header (AH) "
			    "not supported");
		case NH_ESP:
			return tc_seterr(err, "IPv6 ESP: the TCP header is "
			    "encrypted");
		case NH_NONE:
			return tc_seterr(err, "IPv6 no next header (59)");
		default:
			return tc_seterr(err, "not TCP (IPv6 next header %u)",
			    *nh);
		}
		*nh = p[off];
		off += hl;
	}
}

static int
ipv6_frag(const uint8_t *f, struct seg *s, struct seg_ip *ip, char **err)
{
	unsigned	offset = be16(f + 2) >> 3;

	if (offset != 0)
		return tc_seterr(err, "IPv6 fragment at offset %u (not the "
		    "first)",
		    offset * 8);
	if (f[3] & 1) {
		s->warn |= SEG_W_FRAG;
		ip->nocsum = 1;
	}
	return 0;
}

/*
 * "If the IPv6 packet contains a Routing header, the Destination Address
 * used in the pseudo-header is that of the final destination.  At the
 * originating node, that address will be in the last element of the Routing
 * header; at the recipient(s), that address will be in the Destination
 * Address field of the IPv6 header" (RFC 8200 8.1).  So only while segments
 * are left does the routing header hold it: for types 0 and 2 in the last
 * address, for the segment routing header (type 4, RFC 8754) in Segment
 * List[0], the first.  NULL: use the IPv6 destination.
 */
static const uint8_t *
ipv6_final_dst(const uint8_t *r, size_t hl)
{
	size_t	naddr = (hl - 8) / 16;

	if (r[3] == 0 || naddr == 0)
		return NULL;
	switch (r[2]) {
	case 0:
	case 2:
		return r + 8 + (naddr - 1) * 16;
	case 4:
		return r + 8;
	default:
		return NULL;
	}
}

static int
decode_tcp(struct seg_ip *ip, struct seg *s, char **err)
{
	const uint8_t	*t = ip->tcp;
	size_t		 hlen;

	if (ip->tcplen < 20)
		return tc_seterr(err, "TCP header truncated (%zu bytes)",
		    ip->tcplen);
	s->doff = t[12] >> 4;
	hlen = (size_t)s->doff * 4;
	if (s->doff < 5)
		return tc_seterr(err, "TCP data offset %u below 5", s->doff);
	if (hlen > ip->tcplen)
		return tc_seterr(err, "TCP data offset %u (%zu bytes) beyond "
		    "the "
		    "%zu bytes of the segment", s->doff, hlen, ip->tcplen);

	s->sport = be16(t);
	s->dport = be16(t + 2);
	s->seq = be32(t + 4);
	s->ack = be32(t + 8);
	/* AE is the low bit of the byte that holds the data offset. */
	s->flags = (uint16_t)(t[13] | (t[12] & 0x01) << 8);
	s->rsvd = (t[12] >> 1) & 0x07;
	s->win = be16(t + 14);
	s->csum = be16(t + 16);
	s->urp = be16(t + 18);
	s->data = t + hlen;
	s->len = ip->tcplen - hlen;
	decode_opts(t + 20, hlen - 20, s);
	if (!ip->nocsum && tcp_sum(s, ip) != 0xffff)
		s->warn |= SEG_W_CSUM;
	return 0;
}

static void
decode_opts(const uint8_t *o, size_t n, struct seg *s)
{
	struct seg_opt	*op;
	size_t		 i = 0, j;
	int		 k = 0;

	while (i < n) {
		op = &s->opts[k];
		op->kind = o[i];
		op->len = 1;
		op->size = 0;
		if (o[i] == TCPOPT_EOL) {
			/* RFC 9293 MUST-69: the padding after EOL is zero. */
			for (j = i + 1; j < n; j++)
				if (o[j] != 0)
					s->warn |= SEG_W_EOL_PAD;
			k++;
			break;
		}
		if (o[i] == TCPOPT_NOP) {
			i++;
			k++;
			continue;
		}
		if (n - i < 2 || o[i + 1] < 2 || o[i + 1] > n - i) {
			/* No length byte, a length that cannot be, or one
			 * that runs past the header: nothing after it can be
			 * trusted to start an option. */
			s->warn |= SEG_W_OPT_TRUNC;
			break;
		}
		op->len = o[i + 1];
		opt_copy(op->data, o + i + 2, op->len - 2u);
		opt_interpret(s, op->kind, op->len, o + i + 2);
		i += op->len;
		k++;
	}
	s->nopts = k;
}

/*
 * Copy an option's value.  Not memcpy(): with the size known to be small,
 * gcc inlines that as "rep movsq", whose start-up cost was a third of the
 * time of decoding a SYN.
 */
static void
opt_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	uint64_t	w;

	for (; n >= 8; n -= 8, src += 8, dst += 8) {
		memcpy(&w, src, 8);
		memcpy(dst, &w, 8);
	}
	while (n-- > 0)
		*dst++ = *src++;
}

/*
 * Fill the interpreted fields from one raw option.  A known kind with a
 * length its RFC does not allow sets SEG_W_OPT_LEN and nothing else.
 */
static void
opt_interpret(struct seg *s, uint8_t kind, uint8_t len, const uint8_t *d)
{
	unsigned	bit = 0;
	int		ok = 1, i;

	switch (kind) {
	case TCPOPT_EOL:
	case TCPOPT_NOP:
		return;
	case TCPOPT_MSS:		/* RFC 9293 3.2: length 4 */
		if ((ok = len == 4) && !(s->has & SEG_HAS_MSS))
			s->mss = be16(d);
		bit = SEG_HAS_MSS;
		break;
	case TCPOPT_WSCALE:		/* RFC 7323 2.2: length 3 */
		if ((ok = len == 3) && !(s->has & SEG_HAS_WSCALE))
			s->wscale = d[0];
		bit = SEG_HAS_WSCALE;
		break;
	case TCPOPT_SACK_PERM:		/* RFC 2018 2: length 2 */
		ok = len == 2;
		bit = SEG_HAS_SACKOK;
		break;
	case TCPOPT_SACK:		/* RFC 2018 3: 2 + 8n */
		ok = len >= 10 && len <= 2 + 8 * SEG_SACK_MAX &&
		    (len - 2) % 8 == 0;
		if (ok && !(s->has & SEG_HAS_SACK)) {
			s->nsack = (len - 2) / 8;
			for (i = 0; i < s->nsack; i++) {
				s->sack[i].left = be32(d + 8 * i);
				s->sack[i].right = be32(d + 8 * i + 4);
			}
		}
		bit = SEG_HAS_SACK;
		break;
	case TCPOPT_TIMESTAMP:		/* RFC 7323 3.2: length 10 */
		if ((ok = len == 10) && !(s->has & SEG_HAS_TS)) {
			s->tsval = be32(d);
			s->tsecr = be32(d + 4);
		}
		bit = SEG_HAS_TS;
		break;
	case TCPOPT_MD5:		/* RFC 2385: length 18 */
		ok = len == 18;
		bit = SEG_HAS_MD5;
		break;
	case TCPOPT_AO:			/* RFC 5925 2.2: KeyIDs, then MAC */
		ok = len >= 4;
		bit = SEG_HAS_AO;
		break;
	case TCPOPT_FASTOPEN:		/* RFC 7413 4.1.1 */
		ok = opt_tfo(s, d, len - 2) == 0;
		bit = SEG_HAS_TFO;
		break;
	case TCPOPT_EXP:		/* RFC 6994: a 16-bit ExID first */
		if (!(ok = len >= 4))
			break;
		if (be16(d) != 0xf989) {
			bit = SEG_HAS_UNKNOWN;
			break;
		}
		ok = opt_tfo(s, d + 2, len - 4) == 0;
		bit = SEG_HAS_TFO;
		break;
	default:
		bit = SEG_HAS_UNKNOWN;
		break;
	}
	if (!ok)
		s->warn |= SEG_W_OPT_LEN;
	else
		s->has |= bit;
}

/*
 * A Fast Open cookie: none (a cookie request) or 4 to 16 bytes (RFC 7413
 * 4.1.1).  Returns -1 for any other length.
 */
static int
opt_tfo(struct seg *s, const uint8_t *cookie, int len)
{
	if (len != 0 && (len < 4 || len > SEG_TFO_MAX))
		return -1;
	if (!(s->has & SEG_HAS_TFO)) {
		s->tfo_len = (uint8_t)len;
		memcpy(s->tfo_cookie, cookie, (size_t)len);
	}
	return 0;
}

/*
 * The Internet checksum (RFC 1071) summed in native byte order, 32 bits at a
 * time into 64: the one's complement sum does not depend on byte order as
 * long as every part is summed the same way, and the only question asked of
 * it here is whether it folds to 0xffff.  Chunks must start at even offsets
 * of the checksummed stream; an odd tail byte is padded with a zero after it.
 */
static uint64_t
sum_bytes(const uint8_t *p, size_t n)
{
	uint64_t	sum = 0, s2 = 0, a, b;
	uint32_t	w;
	uint16_t	h;
	uint8_t		last[2];

	/* Two independent 64-bit accumulators of 32-bit halves: no carry
	 * is lost below 2^32 words, far more than a datagram holds. */
	for (; n >= 16; p += 16, n -= 16) {
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		sum += (a & 0xffffffff) + (a >> 32);
		s2 += (b & 0xffffffff) + (b >> 32);
	}
	sum += s2;
	for (; n >= 4; p += 4, n -= 4) {
		memcpy(&w, p, 4);
		sum += w;
	}
	if (n >= 2) {
		memcpy(&h, p, 2);
		sum += h;
		p += 2;
		n -= 2;
	}
	if (n == 1) {
		last[0] = p[0];
		last[1] = 0;
		memcpy(&h, last, 2);
		sum += h;
	}
	return sum;
}

static uint16_t
sum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The TCP checksum over the pseudo-header (RFC 9293 3.1, RFC 8200 8.1). */
static uint16_t
tcp_sum(const struct seg *s, const struct seg_ip *ip)
{
	uint8_t		ph[40];
	size_t		alen = s->family == AF_INET ? 4 : 16;
	uint64_t	sum;

	memcpy(ph, s->src, alen);
	memcpy(ph + alen, ip->csum_dst, alen);
	sum = sum_bytes(ph, 2 * alen);
	/* Zero, protocol 6 and the TCP length, in network order. */
	ph[0] = 0;
	ph[1] = IPPROTO_TCP_NUM;
	ph[2] = (uint8_t)(ip->tcplen >> 8);
	ph[3] = (uint8_t)ip->tcplen;
	sum += sum_bytes(ph, 4);
	return sum_fold(sum + sum_bytes(ip->tcp, ip->tcplen));
}

/* Option bytes before padding: EOL and NOP take one byte, others their len. */
size_t
seg_optbytes(const struct seg *s)
{
	size_t	n = 0;
	int	i;

	for (i = 0; i < s->nopts; i++)
		n += s->opts[i].kind <= TCPOPT_NOP ? 1 : s->opts[i].size ?
		    s->opts[i].size : s->opts[i].len;
	return n;
}

/*
 * Append one option of kind with vlen value bytes; -1 when it would not fit
 * in the 40 option bytes.
 */
static int
opt_append(struct seg *s, uint8_t kind, const uint8_t *val, uint8_t vlen)
{
	struct seg_opt	*o;
	size_t		 sz = kind <= TCPOPT_NOP ? 1 : (size_t)vlen + 2;
	size_t		 total;

	if (s->nopts < 0 || s->nopts >= SEG_OPT_MAX ||
	    (kind <= TCPOPT_NOP && vlen != 0) ||
	    seg_optbytes(s) + sz > SEG_OPT_MAX)
		return -1;
	o = &s->opts[s->nopts++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->len = (uint8_t)sz;
	if (vlen > 0)
		memcpy(o->data, val, vlen);
	opt_interpret(s, o->kind, o->len, o->data);
	total = 20 + (seg_optbytes(s) + 3) / 4 * 4;
	if (s->doff < total / 4)
		s->doff = (uint8_t)(total / 4);
	return 0;
}

int
seg_add_nop(struct seg *s)
{
	return opt_append(s, TCPOPT_NOP, NULL, 0);
}

int
seg_add_eol(struct seg *s)
{
	return opt_append(s, TCPOPT_EOL, NULL, 0);
}

int
seg_add_mss(struct seg *s, uint16_t mss)
{
	uint8_t	v[2] = { (uint8_t)(mss >> 8), (uint8_t)mss };

	return opt_append(s, TCPOPT_MSS, v, sizeof(v));
}

int
seg_add_wscale(struct seg *s, uint8_t shift)
{
	return opt_append(s, TCPOPT_WSCALE, &shift, 1);
}

int
seg_add_sackok(struct seg *s)
{
	return opt_append(s, TCPOPT_SACK_PERM, NULL, 0);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int
seg_add_sack(struct seg *s, const struct seg_sack *blocks, int n)
{
	uint8_t	v[8 * SEG_SACK_MAX];
	int	i;

	if (n < 1 || n > SEG_SACK_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		put32(v + 8 * i, blocks[i].left);
		put32(v + 8 * i + 4, blocks[i].right);
	}
	return opt_append(s, TCPOPT_SACK, v, (uint8_t)(8 * n));
}

int
seg_add_ts(struct seg *s, uint32_t val, uint32_t ecr)
{
	uint8_t	v[8];

	put32(v, val);
	put32(v + 4, ecr);
	return opt_append(s, TCPOPT_TIMESTAMP, v, sizeof(v));
}

/* The IANA kind 34 form; a cookie request when len is 0. */
int
seg_add_tfo(struct seg *s, const uint8_t *cookie, uint8_t len)
{
	if (len > SEG_TFO_MAX)
		return -1;
	return opt_append(s, TCPOPT_FASTOPEN, cookie, len);
}

/*
 * Any option, raw: kind, length vlen + 2, then val.  Known kinds are
 * interpreted as the decoder would, wrong lengths included (SEG_W_OPT_LEN),
 * so that a case can send a malformed option on purpose.
 */
int
seg_add_opt(struct seg *s, uint8_t kind, const uint8_t *val, uint8_t vlen)
{
	if (vlen > sizeof(s->opts[0].data))
		return -1;
	return opt_append(s, kind, val, vlen);
}
