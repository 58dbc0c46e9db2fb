/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * wire.h: the wire layer, which puts the peer's IP datagrams on the network
 * and captures the target's, with timestamps, in one of the two addressing
 * modes of DESIGN.md, and writes what it saw to pcap files.
 *
 * Host-address mode (wire_open_host): the peer uses an address of the tester
 * host (loopback, or the host's own address).  Datagrams leave through a raw
 * IP socket with the header included, carrying the socket mark cfg.mark, so
 * that the guard (guard.h) can drop the host kernel's own RSTs from the
 * peer's ports while letting the peer's segments through.
 *
 * Phantom-address mode (wire_open_phantom): the peer claims an unused address
 * on an Ethernet link, answers ARP and IPv6 neighbour solicitations for it
 * itself, and sends whole frames through a packet socket.  The host kernel
 * never sees these flows, so no guard is needed.
 *
 * Both modes capture on cfg.ifname through a packet socket (read as soon as
 * a datagram arrives, kernel timestamps in nanoseconds), with a BPF filter
 * compiled by libpcap that passes only TCP between the two addresses to or
 * from the peer's port range (plus ARP and ND for the phantom address).
 * Only this module and the segment encoder include pcap.h or libnet.h.
 */
#ifndef TCPCONFORM_WIRE_H
#define TCPCONFORM_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The socket mark of the peer's datagrams in host mode ("tc"). */
#define WIRE_MARK_DEFAULT	0x7463

/*
 * The peer's ports.  Below Linux's ephemeral range (32768-60999), so that a
 * target on the same host never picks one of them for its own connections.
 */
#define WIRE_PORT_LO_DEFAULT	18000
#define WIRE_PORT_HI_DEFAULT	18999

struct wire_config {
	int		family;		/* AF_INET or AF_INET6 */
	const char	*ifname;	/* capture interface; host mode NULL = "lo" */
	uint8_t		peer[16];	/* the peer's address, network order */
	uint8_t		target[16];	/* the target's address */
	uint16_t	port_lo;	/* the peer's ports: [port_lo, port_hi] */
	uint16_t	port_hi;
	uint32_t	mark;		/* host mode: SO_MARK of sent datagrams */
	int		want_own;	/* also return the peer's own datagrams
					 * as captured (their wire timestamps,
					 * for the case's pcap file) */
	int		want_icmp;	/* also ICMP (ICMPv6) errors sent to
					 * the peer's address, from anyone:
					 * what a router says about the
					 * flows (WIRE_PKT_ICMP) */

	/* Phantom mode only; an all-zero MAC means "work it out". */
	uint8_t		peer_mac[6];	/* zero: 02:54:43 + low 3 address bytes */
	uint8_t		target_mac[6];	/* zero: resolve with ARP or NS; for
					 * a target behind a router, give the
					 * router's MAC */
	int		resolve_ms;	/* how long to try; 0 = 3000 */
};

/* Where a captured datagram came from. */
#define WIRE_FROM_TARGET	1	/* the target, to the peer */
#define WIRE_FROM_PEER		2	/* the peer's own datagram (want_own) */
#define WIRE_FROM_HOST		3	/* the peer's address and port, but not
					 * sent by the peer: the host kernel
					 * got past the guard, or another program
					 * uses the peer's ports */

/* Bits of wire_pkt.flags. */
#define WIRE_PKT_CSUM_FIXED	0x01	/* the TCP checksum was left to offload
					 * (it held the pseudo-header sum, as on
					 * Linux loopback); data has it completed */
#define WIRE_PKT_TRUNC		0x02	/* captured fewer bytes than were sent */
#define WIRE_PKT_ICMP		0x04	/* an ICMP or ICMPv6 error (want_icmp),
					   dir WIRE_FROM_TARGET */

struct wire_pkt {
	struct timespec	ts;		/* capture time, CLOCK_REALTIME */
	int		dir;		/* WIRE_FROM_* */
	unsigned	flags;		/* WIRE_PKT_* */
	const uint8_t	*data;		/* the IP datagram; valid until the next
					 * wire_recv() or wire_close() */
	size_t		len;		/* bytes in data */
	size_t		wirelen;	/* the datagram's length on the wire */
	uint16_t	gso_size;	/* 0, or: the datagram is an offload
					 * aggregate (the sender's TSO/GSO on
					 * this host, or GRO here) of TCP
					 * segments of this size at most */
};

struct wire;

/* Fill *cfg with the defaults: ports, mark, family; addresses zero. */
void	wire_config_init(struct wire_config *cfg, int family);

/*
 * Open the wire in one mode.  Return NULL with *err set (free it) when the
 * capture or the injection socket cannot be opened (not root, no such
 * interface, ...) or, in phantom mode, when another host answers an ARP
 * probe or duplicate address detection for the phantom address (RFC 5227,
 * RFC 4862; listened for 300 ms), or the target's MAC cannot be resolved
 * within cfg->resolve_ms.
 */
struct wire	*wire_open_host(const struct wire_config *cfg, char **err);
struct wire	*wire_open_phantom(const struct wire_config *cfg, char **err);
void		 wire_close(struct wire *w);

/* The name of the interface that holds addr (of family); -1 if none does. */
int		 wire_iface_of(int family, const uint8_t *addr, char *name,
		    size_t cap);

/*
 * Send one IP datagram (IP header first, checksums done: seg_encode()).
 * Returns 0, or -1 with *err set.
 */
int	wire_send(struct wire *w, const uint8_t *dgram, size_t len, char **err);

/*
 * Send n (at most WIRE_BURST_MAX) datagrams back to back: in host mode in
 * one system call, so that nothing of ours comes between them (a burst a
 * TCP sends at once stays one on the wire).  Returns 0, or -1 with *err
 * set.
 */
#define WIRE_BURST_MAX	16
int	wire_send_burst(struct wire *w, const uint8_t *const *dgram,
	    const size_t *len, size_t n, char **err);

/* A descriptor to poll() for POLLIN: something may be waiting. */
int	wire_fd(const struct wire *w);

/*
 * The next captured datagram for the flows under test.  ARP and ND for the
 * phantom address are answered here and not returned; so are the peer's own
 * datagrams unless cfg.want_own.  Returns 1 with *pkt filled, 0 when nothing
 * is pending, -1 with *err set when the capture failed or (phantom mode)
 * another host on the link answers for the phantom address.
 */
int	wire_recv(struct wire *w, struct wire_pkt *pkt, char **err);

/*
 * Capture counters since open: datagrams of the flows under test read
 * (the peer's own included), and packets lost before the tester read them
 * (kernel buffer and interface drops, pcap_stats).  Any drop makes timing
 * and "the target sent nothing" evidence unreliable.
 */
int	wire_stats(struct wire *w, uint64_t *received, uint64_t *dropped,
	    char **err);

/* The capture's clock (CLOCK_REALTIME), to stamp what the caller sends. */
void	wire_now(struct timespec *ts);

/* The BPF filter the wire compiles for cfg (for logs and tests). */
int	wire_filter_str(const struct wire_config *cfg, int phantom, char *buf,
	    size_t cap);

/* The target's and peer's MACs in phantom mode (NULL in host mode). */
const uint8_t	*wire_target_mac(const struct wire *w);
const uint8_t	*wire_peer_mac(const struct wire *w);

/*
 * A pcap file of raw IP datagrams (LINKTYPE_RAW, nanosecond timestamps),
 * which tcpdump, tshark and Wireshark read.  It is written to PATH.tmp and
 * renamed to PATH by wire_dump_close(d, 1), so a file at PATH is always
 * complete; wire_dump_close(d, 0) removes it.
 */
struct wire_dump;

struct wire_dump *wire_dump_open(const char *path, char **err);
int	wire_dump_add(struct wire_dump *d, const struct timespec *ts,
	    const uint8_t *dgram, size_t len, char **err);
int	wire_dump_close(struct wire_dump *d, int keep, char **err);

#endif /* TCPCONFORM_WIRE_H */
