/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * icmp.c: encode an ICMP or ICMPv6 error that quotes a TCP datagram (see
 * icmp.h).  Pure: no library but libc.
 */
#include "config.h"

#include <sys/socket.h>

#include <string.h>

#include "icmp.h"
#include "inet_sum.h"

#define IP4_HLEN	20
#define IP6_HLEN	40
#define ICMP_HLEN	8
#define IP4_MAX		576	/* RFC 1812 4.3.2.3 */
#define IP6_MAX		1280	/* RFC 4443 2.4 (c) */

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

int
icmp_err_encode(const struct icmp_err *e, uint8_t *buf, size_t cap)
{
	size_t		 hlen, max, q, tot;
	uint8_t		*icmp;
	uint32_t	 sum;

	if (e->family == AF_INET) {
		hlen = IP4_HLEN;
		max = IP4_MAX;
	} else if (e->family == AF_INET6) {
		hlen = IP6_HLEN;
		max = IP6_MAX;
	} else
		return -1;
	/* The quoted IP header's own length, then eight octets of TCP. */
	if (e->quote == NULL || e->quotelen < 1 ||
	    e->quotelen < (e->family == AF_INET ?
	    (size_t)(e->quote[0] & 0x0f) * 4 : IP6_HLEN) + 8 ||
	    (e->family == AF_INET && (e->quote[0] & 0x0f) < 5))
		return -1;
	q = e->quotelen;
	if (hlen + ICMP_HLEN + q > max)
		q = max - hlen - ICMP_HLEN;
	tot = hlen + ICMP_HLEN + q;
	if (cap < tot)
		return -1;
	memset(buf, 0, hlen + ICMP_HLEN);
	icmp = buf + hlen;
	if (e->family == AF_INET) {
		buf[0] = 0x45;
		put16(buf + 2, (uint32_t)tot);
		buf[8] = e->ttl ? e->ttl : 64;
		buf[9] = 1;
		memcpy(buf + 12, e->src, 4);
		memcpy(buf + 16, e->dst, 4);
		put16(buf + 10, (uint16_t)~inet_fold(inet_sum(buf, IP4_HLEN,
		    0)));
	} else {
		buf[0] = 0x60;
		put16(buf + 4, (uint32_t)(ICMP_HLEN + q));
		buf[6] = 58;
		buf[7] = e->ttl ? e->ttl : 64;
		memcpy(buf + 8, e->src, 16);
		memcpy(buf + 24, e->dst, 16);
	}
	icmp[0] = e->type;
	icmp[1] = e->code;
	put32(icmp + 4, e->word);
	memcpy(icmp + ICMP_HLEN, e->quote, q);
	sum = inet_sum(icmp, ICMP_HLEN + q, 0);
	if (e->family == AF_INET6) {
		/* RFC 4443 2.3: the IPv6 pseudo-header (RFC 8200 8.1). */
		sum += inet_pseudo_sum(AF_INET6, buf + 8, buf + 24, 58,
		    (uint32_t)(ICMP_HLEN + q));
	}
	put16(icmp + 2, (uint16_t)~inet_fold(sum));
	return (int)tot;
}
