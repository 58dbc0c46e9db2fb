/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * icmp.h: the bytes of an ICMP (IPv4) or ICMPv6 error message that quotes a
 * datagram of a connection, as a router on the path would send it to the
 * target: what a case's "< icmp" line sends (RFC 1122 4.2.3.9, RFC 5927,
 * RFC 1191, RFC 8201).
 */
#ifndef TCPCONFORM_ICMP_H
#define TCPCONFORM_ICMP_H

#include <stddef.h>
#include <stdint.h>

/* ICMP types and codes (RFC 792, RFC 1191). */
#define ICMP4_UNREACH		3
#define ICMP4_UNREACH_NET	0	/* soft (RFC 1122 4.2.3.9) */
#define ICMP4_UNREACH_HOST	1	/* soft */
#define ICMP4_UNREACH_PROTO	2	/* hard */
#define ICMP4_UNREACH_PORT	3	/* hard */
#define ICMP4_UNREACH_NEEDFRAG	4	/* hard, or PMTU with an MTU (RFC 1191) */
#define ICMP4_UNREACH_SRCFAIL	5	/* soft */
#define ICMP4_SOURCEQUENCH	4	/* ignored (RFC 6633, RFC 9293 MUST-55) */
#define ICMP4_TIMXCEED		11	/* soft */
#define ICMP4_PARAMPROB		12	/* soft */

/* ICMPv6 error types (RFC 4443). */
#define ICMP6_UNREACH		1
#define ICMP6_TOOBIG		2
#define ICMP6_TIMXCEED		3
#define ICMP6_PARAMPROB		4

/*
 * One error message.  src is the sender (a router on the path: any address
 * of the tester's side), dst the target; both in network byte order, IPv4 in
 * src[0..3].  word is the four octets after the checksum, host order: the
 * next-hop MTU in its low 16 bits for ICMP4_UNREACH_NEEDFRAG (RFC 1191 4),
 * the MTU for ICMP6_TOOBIG (RFC 4443 3.2), the pointer in the top octet for
 * ICMP4_PARAMPROB or all of it for ICMP6_PARAMPROB, else 0.  quote is the
 * offending datagram, IP header first, as the target sent it.
 */
struct icmp_err {
	int		 family;	/* AF_INET or AF_INET6 */
	uint8_t		 src[16];
	uint8_t		 dst[16];
	uint8_t		 ttl;		/* hop limit; 0 means 64 */
	uint8_t		 type;
	uint8_t		 code;
	uint32_t	 word;
	const uint8_t	*quote;
	size_t		 quotelen;
};

/*
 * Encode *e into buf: IPv4 header (protocol 1, header checksum) or IPv6
 * header (next header 58), the ICMP header with its checksum (ICMPv6's over
 * the pseudo-header, RFC 4443 2.3), and as much of the quote as fits in 576
 * octets for IPv4 (RFC 1812 4.3.2.3) or 1280 for IPv6 (RFC 4443 2.4 (c)).
 * Returns the datagram's length, or -1 when cap is too small, the family is
 * unknown or the quote is shorter than an IP header plus eight octets (the
 * ports and sequence number a TCP needs to find the connection, RFC 5927 4).
 */
int	icmp_err_encode(const struct icmp_err *e, uint8_t *buf, size_t cap);

#endif
