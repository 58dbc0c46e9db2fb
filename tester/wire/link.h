/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * link.h: the link-layer frames the phantom-address peer builds and reads
 * itself (Ethernet II, ARP, IPv6 neighbour discovery), and the Internet
 * checksum they and the wire layer need.  Pure functions on byte buffers: no
 * sockets, so unit tests check every byte.
 */
#ifndef TCPCONFORM_LINK_H
#define TCPCONFORM_LINK_H

#include <stddef.h>
#include <stdint.h>

#define LINK_ETH_HLEN		14
#define LINK_ETHERTYPE_IP	0x0800
#define LINK_ETHERTYPE_ARP	0x0806
#define LINK_ETHERTYPE_IPV6	0x86dd

#define LINK_ARP_REQUEST	1
#define LINK_ARP_REPLY		2
#define LINK_ARP_LEN		28	/* Ethernet/IPv4 ARP body (RFC 826) */

#define LINK_ND_NS		135	/* neighbour solicitation (RFC 4861 4.3) */
#define LINK_ND_NA		136	/* neighbour advertisement (RFC 4861 4.4) */
#define LINK_NA_ROUTER		0x80000000u
#define LINK_NA_SOLICITED	0x40000000u
#define LINK_NA_OVERRIDE	0x20000000u

/* Largest frame the builders below produce (NS/NA with one option). */
#define LINK_FRAME_MAX		(LINK_ETH_HLEN + 40 + 32)

/* An ARP packet for IPv4 over Ethernet, fields in wire order. */
struct link_arp {
	uint16_t	op;		/* LINK_ARP_REQUEST or LINK_ARP_REPLY */
	uint8_t		sha[6];		/* sender hardware address */
	uint8_t		spa[4];		/* sender protocol address */
	uint8_t		tha[6];
	uint8_t		tpa[4];
};

/* A neighbour solicitation or advertisement, as the peer needs it. */
struct link_nd {
	uint8_t		type;		/* LINK_ND_NS or LINK_ND_NA */
	uint8_t		eth_src[6];	/* the frame's source MAC */
	uint8_t		src[16];	/* IPv6 source */
	uint8_t		dst[16];	/* IPv6 destination */
	uint8_t		target[16];	/* the address solicited or advertised */
	uint32_t	flags;		/* NA only: LINK_NA_* */
	int		has_lladdr;	/* a source (NS) or target (NA) link-layer option */
	uint8_t		lladdr[6];
};

/* Write an Ethernet II header at frame; returns LINK_ETH_HLEN. */
size_t	link_eth_header(uint8_t *frame, const uint8_t dst[6],
	    const uint8_t src[6], uint16_t type);

/*
 * Parse an Ethernet frame carrying an Ethernet/IPv4 ARP packet.  Returns 0,
 * or -1 when it is not one (wrong type, hardware or protocol, truncated).
 */
int	link_arp_parse(const uint8_t *frame, size_t len, struct link_arp *a);

/* Build an ARP frame (request: eth_dst broadcast, tha zero).  Returns its
 * length, or 0 when cap is too small. */
size_t	link_arp_build(uint8_t *frame, size_t cap, const struct link_arp *a,
	    const uint8_t eth_dst[6]);

/*
 * Parse an Ethernet frame carrying an IPv6 neighbour solicitation or
 * advertisement.  Returns 0, or -1 when it is not a valid one: RFC 4861 7.1.1
 * and 7.1.2 require hop limit 255, ICMP code 0, a verifying checksum and at
 * least 24 ICMP bytes; options of length 0 make it invalid too.
 */
int	link_nd_parse(const uint8_t *frame, size_t len, struct link_nd *nd);

/*
 * Build a neighbour solicitation for target from src (with our MAC as the
 * source link-layer option), sent to target's solicited-node multicast
 * group, or a neighbour advertisement of src (= the target field) to dst at
 * eth_dst.  Return the frame's length, or 0 when cap is too small.
 */
size_t	link_ns_build(uint8_t *frame, size_t cap, const uint8_t mac[6],
	    const uint8_t src[16], const uint8_t target[16]);
size_t	link_na_build(uint8_t *frame, size_t cap, const uint8_t mac[6],
	    const uint8_t eth_dst[6], const uint8_t src[16], const uint8_t dst[16],
	    uint32_t flags);

/* A duplicate address detection probe for target (RFC 4862 5.4.2): an NS
 * from the unspecified address without link-layer option. */
size_t	link_dad_build(uint8_t *frame, size_t cap, const uint8_t mac[6],
	    const uint8_t target[16]);

/* ff02::1:ffXX:XXXX for addr (RFC 4291 2.7.1) and its MAC 33:33:ff:XX:XX:XX
 * (RFC 2464 7). */
void	link_solicited_node(const uint8_t addr[16], uint8_t group[16]);
void	link_mcast_mac(const uint8_t group[16], uint8_t mac[6]);

/* "aa:bb:cc:dd:ee:ff" <-> bytes.  Parse returns 0 or -1. */
int	link_mac_parse(const char *s, uint8_t mac[6]);
char	*link_mac_str(const uint8_t mac[6], char *buf, size_t cap);

#endif /* TCPCONFORM_LINK_H */
