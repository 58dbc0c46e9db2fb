/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * segment_encode.c: struct seg to the bytes of an IP datagram, built by
 * libnet, which computes the IPv4 header and TCP checksums.
 *
 * One libnet context, initialised with LIBNET_NONE (build packets only: no
 * socket, no device, no root), serves every call; libnet_clear_packet()
 * empties it after each segment.  libnet 1.1.6 refuses
 * libnet_adv_cull_packet() unless the context is LIBNET_LINK_ADV, which
 * opens a device, so the datagram is taken with libnet_pblock_coalesce(),
 * the function cull calls (declared in libnet-functions.h); it writes the
 * checksums and returns a malloc'ed copy, freed here with
 * libnet_adv_free_packet() after it is copied into the caller's buffer.
 *
 * Two fields libnet 1.1.6 cannot express are patched into its header blocks
 * before the checksums are computed, so the checksums stay libnet's:
 *   - AE (RFC 9768): libnet_build_tcp() takes 8 flag bits and zeroes the
 *     reserved bits; AE is set in the TCP block's byte 12.
 *   - The IPv6 flow label: libnet_build_ipv6() 1.1.6 writes its middle byte
 *     as (fl & 0xff) (an operator precedence slip), so the version, traffic
 *     class and flow label word is written here.  It is not in the TCP
 *     pseudo-header, so no checksum depends on it.
 *
 * What a decode then encode does not reproduce (the struct has no field for
 * it): IPv4 options, IPv6 extension headers, bytes after the IP datagram,
 * non-zero bytes after EOL and option bytes
 * after a truncated option (SEG_W_EOL_PAD, SEG_W_OPT_TRUNC), and of course
 * bad checksums (s->csum_bad makes one, but not the one received).
 * Everything else comes back byte for byte, padding after EOL
 * included, because the options are padded with zeros up to s->doff words
 * when s->doff asks for more than the options need.
 *
 * s->csum_bad spoils the TCP checksum after libnet computed it (enc_spoil):
 * the field is XORed with a mask, so the sum misses by a non-zero amount
 * below 0xffff and never verifies, whichever of one's complement's two
 * zeros the right checksum was.  A mask whose result equals the
 * pseudo-header sum is skipped: the wire layer takes that value for an
 * offloaded checksum and completes it (wire_csum_complete), which would
 * turn the segment good again on the receiver's capture.
 */
#include "config.h"

#include <sys/socket.h>

#include <libnet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inet_sum.h"
#include "segment.h"
#include "errmsg.h"
#include "link.h"

struct seg_encoder {
	libnet_t	*l;
};

static int	enc_opts(const struct seg *, uint8_t *, size_t *, char **);
static int	enc_build(libnet_t *, const struct seg *, const uint8_t *,
		    size_t, size_t);
static int	enc_ip(libnet_t *, const struct seg *, size_t);
static int	enc_take(libnet_t *, uint8_t *, size_t, size_t, char **);
static void	enc_spoil(const struct seg *, uint8_t *, size_t);
static void	enc_rsvd(const struct seg *, uint8_t *);

struct seg_encoder *
seg_encoder_new(char **err)
{
	struct seg_encoder	*e;
	char			 ebuf[LIBNET_ERRBUF_SIZE];

	if ((e = calloc(1, sizeof(*e))) == NULL) {
		tc_seterr(err, "out of memory");
		return NULL;
	}
	ebuf[0] = '\0';
	if ((e->l = libnet_init(LIBNET_NONE, NULL, ebuf)) == NULL) {
		tc_seterr(err, "libnet_init: %s", ebuf);
		free(e);
		return NULL;
	}
	return e;
}

void
seg_encoder_free(struct seg_encoder *e)
{
	if (e == NULL)
		return;
	libnet_destroy(e->l);
	free(e);
}

int
seg_encode(struct seg_encoder *e, const struct seg *s, uint8_t *buf,
    size_t cap, char **err)
{
	uint8_t	opts[SEG_OPT_MAX];
	size_t	olen = 0, tcplen, iplen;
	int	rc;

	if (s->family != AF_INET && s->family != AF_INET6)
		return tc_seterr(err, "encode: address family %d is neither "
		    "IPv4 nor IPv6", s->family);
	if (enc_opts(s, opts, &olen, err) == -1)
		return -1;
	if (s->len > 65535)
		return tc_seterr(err, "encode: %zu payload bytes", s->len);
	tcplen = 20 + olen + s->len;
	iplen = (s->family == AF_INET ? 20 : 40) + tcplen;
	/* IPv4 counts its header in the 16-bit total, IPv6 does not. */
	if ((s->family == AF_INET ? iplen : tcplen) > 65535)
		return tc_seterr(err, "encode: datagram of %zu bytes exceeds "
		    "the IP length field", iplen);
	if (iplen > cap)
		return tc_seterr(err, "encode: %zu bytes do not fit in a "
		    "buffer of %zu", iplen, cap);
	if (enc_build(e->l, s, opts, olen, tcplen) == -1) {
		tc_seterr(err, "encode: libnet: %s", libnet_geterror(e->l));
		libnet_clear_packet(e->l);
		return -1;
	}
	rc = enc_take(e->l, buf, cap, iplen, err);
	libnet_clear_packet(e->l);
	if (rc > 0 && s->rsvd != 0)
		enc_rsvd(s, buf + (iplen - tcplen));
	if (rc > 0 && s->csum_bad)
		enc_spoil(s, buf + (iplen - tcplen), tcplen);
	return rc;
}

/*
 * The option bytes: s->opts in order, then zeros to a multiple of four, or
 * to s->doff words if that is more (and at most 15).
 */
static int
enc_opts(const struct seg *s, uint8_t *out, size_t *olen, char **err)
{
	const struct seg_opt	*o;
	size_t			 n = 0, sz, pad;
	int			 i;

	if (s->nopts < 0 || s->nopts > SEG_OPT_MAX)
		return tc_seterr(err, "encode: %d options", s->nopts);
	for (i = 0; i < s->nopts; i++) {
		o = &s->opts[i];
		sz = o->kind <= TCPOPT_NOP ? 1 : o->size ? o->size : o->len;
		if (sz < 2 && o->kind > TCPOPT_NOP)
			return tc_seterr(err, "encode: option kind %u with "
			    "length %u", o->kind, o->len);
		if (n + sz > SEG_OPT_MAX)
			return tc_seterr(err, "encode: options exceed %d "
			    "bytes", SEG_OPT_MAX);
		out[n] = o->kind;
		if (sz > 1) {
			out[n + 1] = o->len;
			memcpy(out + n + 2, o->data, sz - 2);
		}
		n += sz;
	}
	pad = (n + 3) / 4 * 4;
	if (s->doff > 5 && s->doff <= 15 && (size_t)(s->doff - 5) * 4 > pad)
		pad = (size_t)(s->doff - 5) * 4;
	memset(out + n, 0, pad - n);
	*olen = pad;
	return 0;
}

/* Build the blocks innermost first, as libnet wants: options, TCP, IP. */
static int
enc_build(libnet_t *l, const struct seg *s, const uint8_t *opts, size_t olen,
    size_t tcplen)
{
	libnet_pblock_t	*pb;
	libnet_ptag_t	 t;

	if (olen > 0 &&
	    libnet_build_tcp_options(opts, (uint32_t)olen, l, 0) == -1)
		return -1;
	t = libnet_build_tcp(s->sport, s->dport, s->seq, s->ack,
	    (uint8_t)s->flags, s->win, 0, s->urp, (uint16_t)tcplen,
	    s->len > 0 ? s->data : NULL, (uint32_t)s->len, l, 0);
	if (t == -1)
		return -1;
	if (s->flags & SEG_AE) {
		if ((pb = libnet_pblock_find(l, t)) == NULL || pb->b_len < 20)
			return -1;
		pb->buf[12] |= 0x01;
	}
	return enc_ip(l, s, tcplen);
}

static int
enc_ip(libnet_t *l, const struct seg *s, size_t tcplen)
{
	struct libnet_in6_addr	 src6, dst6;
	libnet_pblock_t		*pb;
	libnet_ptag_t		 t;
	uint32_t		 src, dst, vtf;

	if (s->family == AF_INET) {
		memcpy(&src, s->src, 4);
		memcpy(&dst, s->dst, 4);
		t = libnet_build_ipv4((uint16_t)(20 + tcplen), s->tos,
		    s->ip_id, s->ip_frag, s->ttl, IPPROTO_TCP, 0, src, dst,
		    NULL, 0, l, 0);
		return t == -1 ? -1 : 0;
	}
	memcpy(&src6, s->src, 16);
	memcpy(&dst6, s->dst, 16);
	t = libnet_build_ipv6(s->tos, s->flowlabel, (uint16_t)tcplen,
	    IPPROTO_TCP, s->ttl, src6, dst6, NULL, 0, l, 0);
	if (t == -1 || (pb = libnet_pblock_find(l, t)) == NULL ||
	    pb->b_len < 40)
		return -1;
	/* See the top of this file: libnet 1.1.6 garbles the flow label. */
	vtf = 6u << 28 | (uint32_t)s->tos << 20 | (s->flowlabel & 0xfffff);
	pb->buf[0] = (uint8_t)(vtf >> 24);
	pb->buf[1] = (uint8_t)(vtf >> 16);
	pb->buf[2] = (uint8_t)(vtf >> 8);
	pb->buf[3] = (uint8_t)vtf;
	return 0;
}

/* Let libnet write the checksums and copy the datagram out. */
static int
enc_take(libnet_t *l, uint8_t *buf, size_t cap, size_t want, char **err)
{
	uint8_t		*pkt = NULL;
	uint32_t	 n = 0;

	if (libnet_pblock_coalesce(l, &pkt, &n) == -1)
		return tc_seterr(err, "encode: libnet: %s", libnet_geterror(l));
	if (n != want || n > cap) {
		libnet_adv_free_packet(l, pkt);
		return tc_seterr(err, "encode: libnet built %u bytes, expected "
		    "%zu", n, want);
	}
	memcpy(buf, pkt, n);
	libnet_adv_free_packet(l, pkt);
	return (int)n;
}

/* Make the TCP checksum of tcp[0, tcplen) wrong; see the top of this file. */
static void
enc_spoil(const struct seg *s, uint8_t *tcp, size_t tcplen)
{
	static const uint16_t masks[] = { 0x5555, 0xaaaa, 0x0f0f };
	uint16_t good, bad = 0, partial;
	size_t i;

	partial = inet_fold(inet_pseudo_sum(s->family, s->src, s->dst,
	    IPPROTO_TCP, (uint32_t)tcplen));
	good = (uint16_t)(tcp[16] << 8 | tcp[17]);
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		bad = good ^ masks[i];
		if (bad != partial && !(bad == 0 && partial == 0xffff))
			break;
	}
	tcp[16] = (uint8_t)(bad >> 8);
	tcp[17] = (uint8_t)bad;
}

/*
 * The reserved bits (s->rsvd), which libnet has no argument for: set in
 * the header after the checksum was computed, and the checksum mended by
 * the change of the one 16-bit word that holds them (RFC 1624, eqn. 3:
 * HC' = ~(~HC + ~m + m')).
 */
static void
enc_rsvd(const struct seg *s, uint8_t *tcp)
{
	uint32_t old, new, sum;

	old = (uint32_t)tcp[12] << 8 | tcp[13];
	tcp[12] = (uint8_t)((tcp[12] & 0xf1) | (s->rsvd & 0x07) << 1);
	new = (uint32_t)tcp[12] << 8 | tcp[13];
	sum = (~((uint32_t)tcp[16] << 8 | tcp[17]) & 0xffff) +
	    (~old & 0xffff) + new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	tcp[16] = (uint8_t)(sum >> 8);
	tcp[17] = (uint8_t)sum;
}
