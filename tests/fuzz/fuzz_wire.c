/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * fuzz_wire.c: libFuzzer target for what the wire layer reads off the
 * network before the segment decoder sees it: ARP and neighbour discovery
 * frames (the phantom answers them), IP headers (classification), and the
 * offloaded-checksum completion.  Arbitrary bytes in; nothing may read out
 * of bounds, and what parses must satisfy the invariants checked below.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inet_sum.h"
#include "link.h"
#include "wire_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	fuzz_link(const uint8_t *, size_t);
static void	fuzz_ip(const uint8_t *, size_t);

#define CHECK(c)	do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);	\
		abort();						\
	}								\
} while (0)

static uint8_t	out[WIRE_SNAPLEN];

static void
fuzz_link(const uint8_t *p, size_t n)
{
	struct link_arp a;
	struct link_nd nd;
	uint8_t f[LINK_FRAME_MAX];
	size_t m;

	if (link_arp_parse(p, n, &a) == 0) {
		/* What parses rebuilds to the same ARP body. */
		m = link_arp_build(f, sizeof(f), &a, p);
		CHECK(m == LINK_ETH_HLEN + LINK_ARP_LEN);
		CHECK(memcmp(f + LINK_ETH_HLEN, p + LINK_ETH_HLEN,
		    LINK_ARP_LEN) == 0);
	}
	if (link_nd_parse(p, n, &nd) == 0) {
		CHECK(nd.type == LINK_ND_NS || nd.type == LINK_ND_NA);
		/* A parsed NS answered, and the answer parses. */
		m = link_na_build(f, sizeof(f), nd.eth_src, nd.eth_src,
		    nd.target, nd.src, LINK_NA_SOLICITED);
		CHECK(m > 0 && link_nd_parse(f, m, &nd) == 0);
		CHECK(nd.type == LINK_ND_NA && nd.has_lladdr);
	}
}

static void
fuzz_ip(const uint8_t *p, size_t n)
{
	struct wire_hdr h;

	if (wire_hdr_parse(p, n, &h) == -1)
		return;
	CHECK(h.proto == 6 && !h.fragment);
	CHECK(h.l4off + 4 <= n);
	CHECK(h.src >= p && h.dst + (h.family == AF_INET6 ? 16 : 4) <= p + n);
	if (wire_csum_complete(p, n, &h, out) == 1) {
		CHECK(h.l4off + h.l4len <= n);
		/* The completed datagram verifies. */
		CHECK(inet_fold(inet_sum(out + h.l4off, h.l4len,
		    inet_pseudo_sum(h.family, out + (h.src - p),
		    out + (h.dst - p), 6, (uint32_t)h.l4len))) == 0xffff);
	}
	(void)wire_fingerprint(p, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p;

	/* A heap copy of exactly size bytes: ASan sees any overread. */
	if ((p = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(p, data, size);
	fuzz_link(p, size);
	fuzz_ip(p, size);
	if (size > LINK_ETH_HLEN)
		fuzz_ip(p + LINK_ETH_HLEN, size - LINK_ETH_HLEN);
	free(p);
	return 0;
}
