/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * link.c: Ethernet, ARP and IPv6 neighbour discovery frames for the
 * phantom-address peer, and the Internet checksum.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "inet_sum.h"
#include "link.h"

#define ND_HOPLIMIT	255	/* RFC 4861 7.1: ND from off-link is dropped */
#define ND_OPT_SRC_LL	1	/* source link-layer address option */
#define ND_OPT_TGT_LL	2	/* target link-layer address option */
#define IP6_HLEN	40
#define ICMP6_PROTO	58

static void	put16(uint8_t *, uint16_t);
static void	put32(uint8_t *, uint32_t);
static uint16_t	get16(const uint8_t *);
static uint32_t	get32(const uint8_t *);
static size_t	nd_frame(uint8_t *, size_t, const uint8_t *,
		    const uint8_t *, const uint8_t *, const uint8_t *,
		    const uint8_t *, size_t, int);
static int	nd_options(const uint8_t *, size_t, struct link_nd *);

static const uint8_t eth_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

size_t
link_eth_header(uint8_t *frame, const uint8_t dst[6], const uint8_t src[6],
    uint16_t type)
{
	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	put16(frame + 12, type);
	return LINK_ETH_HLEN;
}

int
link_arp_parse(const uint8_t *frame, size_t len, struct link_arp *a)
{
	const uint8_t *p = frame + LINK_ETH_HLEN;

	if (len < LINK_ETH_HLEN + LINK_ARP_LEN ||
	    get16(frame + 12) != LINK_ETHERTYPE_ARP)
		return -1;
	/* htype Ethernet (1), ptype IPv4, hlen 6, plen 4. */
	if (get16(p) != 1 || get16(p + 2) != LINK_ETHERTYPE_IP ||
	    p[4] != 6 || p[5] != 4)
		return -1;
	a->op = get16(p + 6);
	memcpy(a->sha, p + 8, 6);
	memcpy(a->spa, p + 14, 4);
	memcpy(a->tha, p + 18, 6);
	memcpy(a->tpa, p + 24, 4);
	return 0;
}

size_t
link_arp_build(uint8_t *frame, size_t cap, const struct link_arp *a,
    const uint8_t eth_dst[6])
{
	uint8_t *p = frame + LINK_ETH_HLEN;

	if (cap < LINK_ETH_HLEN + LINK_ARP_LEN)
		return 0;
	link_eth_header(frame, eth_dst != NULL ? eth_dst : eth_bcast, a->sha,
	    LINK_ETHERTYPE_ARP);
	put16(p, 1);
	put16(p + 2, LINK_ETHERTYPE_IP);
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, a->op);
	memcpy(p + 8, a->sha, 6);
	memcpy(p + 14, a->spa, 4);
	memcpy(p + 18, a->tha, 6);
	memcpy(p + 24, a->tpa, 4);
	return LINK_ETH_HLEN + LINK_ARP_LEN;
}

/* Read the link-layer address options of an NS or NA (RFC 4861 4.6.1). */
static int
nd_options(const uint8_t *opt, size_t len, struct link_nd *nd)
{
	size_t olen;

	while (len >= 2) {
		olen = (size_t)opt[1] * 8;
		/* "Nodes MUST silently discard an ND packet that contains an
		 * option with length zero" (RFC 4861 4.6). */
		if (olen == 0 || olen > len)
			return -1;
		if ((opt[0] == ND_OPT_SRC_LL || opt[0] == ND_OPT_TGT_LL) &&
		    olen >= 8 && !nd->has_lladdr) {
			memcpy(nd->lladdr, opt + 2, 6);
			nd->has_lladdr = 1;
		}
		opt += olen;
		len -= olen;
	}
	return 0;
}

int
link_nd_parse(const uint8_t *frame, size_t len, struct link_nd *nd)
{
	const uint8_t *ip = frame + LINK_ETH_HLEN, *icmp = ip + IP6_HLEN;
	size_t plen;

	memset(nd, 0, sizeof(*nd));
	if (len < LINK_ETH_HLEN + IP6_HLEN + 24 ||
	    get16(frame + 12) != LINK_ETHERTYPE_IPV6 || (ip[0] >> 4) != 6)
		return -1;
	plen = get16(ip + 4);
	if (ip[6] != ICMP6_PROTO || ip[7] != ND_HOPLIMIT || plen < 24 ||
	    plen > len - LINK_ETH_HLEN - IP6_HLEN)
		return -1;
	if ((icmp[0] != LINK_ND_NS && icmp[0] != LINK_ND_NA) || icmp[1] != 0)
		return -1;
	if (inet_fold(inet_sum(icmp, plen, inet_pseudo_sum(AF_INET6, ip + 8,
	    ip + 24, ICMP6_PROTO, (uint32_t)plen))) != 0xffff)
		return -1;
	nd->type = icmp[0];
	memcpy(nd->eth_src, frame + 6, 6);
	memcpy(nd->src, ip + 8, 16);
	memcpy(nd->dst, ip + 24, 16);
	memcpy(nd->target, icmp + 8, 16);
	if (nd->type == LINK_ND_NA)
		nd->flags = get32(icmp + 4) & 0xe0000000u;
	return nd_options(icmp + 24, plen - 24, nd);
}

/*
 * One NS or NA frame: IPv6 header with hop limit 255, the 24-byte ICMPv6
 * body already in body[], one link-layer address option (unless lladdr is
 * 0), the checksum.
 */
static size_t
nd_frame(uint8_t *frame, size_t cap, const uint8_t *eth_dst,
    const uint8_t *mac, const uint8_t *src, const uint8_t *dst,
    const uint8_t *body, size_t blen, int lladdr)
{
	uint8_t *ip = frame + LINK_ETH_HLEN, *icmp = ip + IP6_HLEN;
	size_t plen = blen + (lladdr ? 8 : 0);
	uint16_t sum;

	if (cap < LINK_ETH_HLEN + IP6_HLEN + plen)
		return 0;
	link_eth_header(frame, eth_dst, mac, LINK_ETHERTYPE_IPV6);
	memset(ip, 0, IP6_HLEN);
	ip[0] = 0x60;
	put16(ip + 4, (uint16_t)plen);
	ip[6] = ICMP6_PROTO;
	ip[7] = ND_HOPLIMIT;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	memcpy(icmp, body, blen);
	if (lladdr) {
		icmp[blen] = body[0] == LINK_ND_NS ? ND_OPT_SRC_LL :
		    ND_OPT_TGT_LL;
		icmp[blen + 1] = 1;
		memcpy(icmp + blen + 2, mac, 6);
	}
	sum = inet_fold(inet_sum(icmp, plen, inet_pseudo_sum(AF_INET6, src,
	    dst, ICMP6_PROTO, (uint32_t)plen)));
	put16(icmp + 2, (uint16_t)~sum);
	return LINK_ETH_HLEN + IP6_HLEN + plen;
}

size_t
link_ns_build(uint8_t *frame, size_t cap, const uint8_t mac[6],
    const uint8_t src[16], const uint8_t target[16])
{
	uint8_t body[24] = { LINK_ND_NS }, group[16], gmac[6];

	memcpy(body + 8, target, 16);
	link_solicited_node(target, group);
	link_mcast_mac(group, gmac);
	return nd_frame(frame, cap, gmac, mac, src, group, body, sizeof(body),
	    1);
}

/*
 * Duplicate address detection (RFC 4862 5.4.2): a solicitation for target
 * from the unspecified address, without a source link-layer option (RFC
 * 4861 4.3), to target's solicited-node group.
 */
size_t
link_dad_build(uint8_t *frame, size_t cap, const uint8_t mac[6],
    const uint8_t target[16])
{
	static const uint8_t unspec[16];
	uint8_t body[24] = { LINK_ND_NS }, group[16], gmac[6];

	memcpy(body + 8, target, 16);
	link_solicited_node(target, group);
	link_mcast_mac(group, gmac);
	return nd_frame(frame, cap, gmac, mac, unspec, group, body,
	    sizeof(body), 0);
}

size_t
link_na_build(uint8_t *frame, size_t cap, const uint8_t mac[6],
    const uint8_t eth_dst[6], const uint8_t src[16], const uint8_t dst[16],
    uint32_t flags)
{
	uint8_t body[24] = { LINK_ND_NA };

	put32(body + 4, flags);
	memcpy(body + 8, src, 16);
	return nd_frame(frame, cap, eth_dst, mac, src, dst, body, sizeof(body),
	    1);
}

void
link_solicited_node(const uint8_t addr[16], uint8_t group[16])
{
	static const uint8_t prefix[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0x01, 0xff };

	memcpy(group, prefix, sizeof(prefix));
	memcpy(group + 13, addr + 13, 3);
}

void
link_mcast_mac(const uint8_t group[16], uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, group + 12, 4);
}

int
link_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
	    &b[4], &b[5], &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

char *
link_mac_str(const uint8_t mac[6], char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
