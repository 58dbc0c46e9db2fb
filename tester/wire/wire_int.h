/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * wire_int.h: the wire layer's insides, shared by wire.c (capture, host
 * mode) and wire_phantom.c (phantom mode), and visible to the unit tests.
 */
#ifndef TCPCONFORM_WIRE_INT_H
#define TCPCONFORM_WIRE_INT_H

#include <net/if.h>

#include <pcap/pcap.h>

#include "link.h"
#include "wire.h"

#define WIRE_HOST	1
#define WIRE_PHANTOM	2

#define WIRE_SNAPLEN	262144		/* Linux loopback TSO: 64 KB segments */
/*
 * The capture socket's receive buffer.  It is kernel memory, charged per
 * queued packet (its true size), not mapped into the process: unlike a
 * libpcap ring, whose slots are each sized for the largest frame of the
 * interface (64 KB on lo) and all count in the tester's RSS, it costs
 * nothing while empty and holds thousands of small segments in a burst.
 */
#define WIRE_BUFSIZE	(8 << 20)
#define WIRE_OWN_RING	128		/* recently sent datagrams remembered */
#define WIRE_DGRAM_MAX	(40 + 65535)	/* IPv6 header + largest payload */

struct wire {
	int			mode;		/* WIRE_HOST or WIRE_PHANTOM */
	struct wire_config	cfg;
	char			ifname[IF_NAMESIZE];
	int			rx;		/* capture: a packet socket */
	int			linktype;	/* DLT_ of what rx gives */
	int			lo_ifindex;	/* lo: its outgoing copies are
						 * skipped (each datagram shows
						 * once, as it arrives) */
	uint64_t		drops;		/* PACKET_STATISTICS, summed */
	uint8_t			*rxbuf;		/* WIRE_SNAPLEN bytes */
	int			rx_local;	/* the kernel says the datagram
						 * last read never crossed a link
						 * (its checksum may be left to
						 * offload), or cannot tell */
	int			vnet;		/* rx gives a virtio_net_hdr
						 * first (PACKET_VNET_HDR) */
	uint16_t		rx_gso;		/* of the datagram last read:
						 * its segments' size when it
						 * is an offload aggregate */
	int			tx;		/* raw IP or packet socket */
	int			ifindex;

	/* Phantom mode. */
	uint8_t			peer_mac[6];
	uint8_t			target_mac[6];
	int			have_target_mac;
	int			conflict;	/* another host has our address */
	uint8_t			conflict_mac[6];

	/*
	 * Fingerprints of the last datagrams sent, so that the capture can
	 * tell the peer's own datagrams from the target's and the host's,
	 * even on loopback where peer and target share an address.
	 */
	uint64_t		own[WIRE_OWN_RING];
	unsigned		own_next;
	uint64_t		ncaptured;	/* datagrams of the flows */

	uint8_t			frame[LINK_ETH_HLEN + WIRE_DGRAM_MAX];
	uint8_t			fixed[WIRE_SNAPLEN];
};

/* Addresses and ports of a captured IP datagram (no copying). */
struct wire_hdr {
	int		family;
	const uint8_t	*src;
	const uint8_t	*dst;
	uint8_t		proto;		/* upper-layer protocol */
	size_t		l4off;		/* offset of the TCP header */
	size_t		l4len;		/* upper-layer bytes the IP header claims */
	int		fragment;	/* a non-first fragment: no ports */
	uint16_t	sport;
	uint16_t	dport;
};

/* wire.c */
int	wire_hdr_parse(const uint8_t *p, size_t len, struct wire_hdr *h);
uint64_t wire_fingerprint(const uint8_t *p, size_t len);
int	wire_classify(struct wire *w, const uint8_t *p, size_t len,
	    const struct wire_hdr *h);
void	wire_own_add(struct wire *w, const uint8_t *p, size_t len);
int	wire_csum_complete(const uint8_t *p, size_t len,
	    const struct wire_hdr *h, uint8_t *out);
struct wire *wire_new(const struct wire_config *cfg, int mode, char **err);
int	wire_capture_open(struct wire *w, char **err);
/* The next captured frame: 1 (ts, data, caplen, len set), 0 none, -1. */
int	wire_rx(struct wire *w, struct timespec *ts, const uint8_t **data,
	    size_t *caplen, size_t *len, char **err);

/* wire_phantom.c: answer ARP or ND for the phantom address in a captured
 * Ethernet frame; returns 1 when the frame was ARP/ND (consumed), else 0. */
int	wire_phantom_input(struct wire *w, const uint8_t *frame, size_t len,
	    char **err);
int	wire_phantom_send(struct wire *w, const uint8_t *dgram, size_t len,
	    char **err);
int	wire_phantom_conflict(struct wire *w, char **err);
void	wire_phantom_mac(const struct wire_config *cfg, uint8_t mac[6]);

#endif /* TCPCONFORM_WIRE_INT_H */
