/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * inet_sum.c: the Internet checksum (see inet_sum.h).  segment.c verifies
 * received datagrams with a faster sum of its own (native byte order, 64
 * bits at a time): it only asks whether a sum folds to 0xffff.
 */
#include "config.h"

#include <sys/socket.h>

#include "inet_sum.h"

uint32_t
inet_sum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
		/* Fold early so that no length can overflow 32 bits. */
		if (sum & 0x80000000u)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t
inet_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t
inet_pseudo_sum(int family, const uint8_t *src, const uint8_t *dst,
    uint8_t proto, uint32_t len)
{
	size_t alen = family == AF_INET6 ? 16 : 4;
	uint32_t sum;

	/* The addresses, the upper-layer length and the protocol number. */
	sum = inet_sum(src, alen, 0);
	sum = inet_sum(dst, alen, sum);
	return sum + proto + (len >> 16) + (len & 0xffff);
}
