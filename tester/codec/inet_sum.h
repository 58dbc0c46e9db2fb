/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * inet_sum.h: the Internet checksum (RFC 1071), one implementation for the
 * datagrams the tester and serve build (TCP, ICMP, ICMPv6, IPv4 headers).
 */
#ifndef TC_INET_SUM_H
#define TC_INET_SUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * inet_sum() adds bytes as big-endian 16-bit words to a running 32-bit sum
 * (an odd last byte as the high half of a word), inet_fold() folds the
 * carries and returns the sum in host order, uncomplemented: the checksum
 * field holds its complement, and a datagram whose field is right sums to
 * 0xffff.  inet_pseudo_sum() is the sum of the IPv4 or IPv6 pseudo-header
 * (RFC 9293 3.1, RFC 8200 8.1) for family AF_INET or AF_INET6.
 */
uint32_t	inet_sum(const void *buf, size_t len, uint32_t sum);
uint16_t	inet_fold(uint32_t sum);
uint32_t	inet_pseudo_sum(int family, const uint8_t *src,
		    const uint8_t *dst, uint8_t proto, uint32_t len);

#endif
