/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * wire_phantom.c: phantom-address mode.  The peer claims an address nobody
 * on the link uses, answers ARP and neighbour solicitations for it with a
 * MAC of its own, and sends whole Ethernet frames through a packet socket.
 * Frames to that MAC reach the host kernel as "other host" frames, which it
 * drops, so the host never answers for the peer and needs no guard.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wire_int.h"
#include "errmsg.h"

#define RESOLVE_MS_DEFAULT	3000
#define RESOLVE_RETRY_MS	500
#define PROBE_MS		300	/* how long an owner has to answer */

static const uint8_t zero_mac[6];
static const uint8_t all_nodes[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0x01 };

static int	frame_send(struct wire *, const uint8_t *, size_t, char **);
static int	packet_open(struct wire *, char **);
static int	arp_input(struct wire *, const uint8_t *, size_t, char **);
static int	nd_input(struct wire *, const uint8_t *, size_t, char **);
static void	conflict(struct wire *, const uint8_t *);
static int	solicit(struct wire *, char **);
static int	probe(struct wire *, char **);
static int	drain(struct wire *, char **);
static int	claim(struct wire *, char **);
static int	local_address(struct wire *, char **);

/*
 * The phantom's MAC: locally administered (RFC 7042 2.1), 02:54:43 ("TC"),
 * then the address's last three bytes, so one phantom keeps one MAC and
 * two phantoms on a link differ.
 */
void
wire_phantom_mac(const struct wire_config *cfg, uint8_t mac[6])
{
	const uint8_t *low = cfg->peer + (cfg->family == AF_INET6 ? 13 : 1);

	mac[0] = 0x02;
	mac[1] = 0x54;
	mac[2] = 0x43;
	memcpy(mac + 3, low, 3);
}

static int
frame_send(struct wire *w, const uint8_t *frame, size_t len, char **err)
{
	ssize_t n;

	if ((n = send(w->tx, frame, len, 0)) == -1) {
		tc_seterr(err, "wire: sending a %zu-byte frame on %s: %s", len,
		    w->ifname, strerror(errno));
		return -1;
	}
	if ((size_t)n != len) {
		tc_seterr(err, "wire: sent %zd of %zu frame bytes on %s", n,
		    len, w->ifname);
		return -1;
	}
	return 0;
}

int
wire_phantom_send(struct wire *w, const uint8_t *dgram, size_t len, char **err)
{
	if (!w->have_target_mac) {
		tc_seterr(err, "wire: the target's MAC is not known");
		return -1;
	}
	link_eth_header(w->frame, w->target_mac, w->peer_mac,
	    w->cfg.family == AF_INET6 ? LINK_ETHERTYPE_IPV6 :
	    LINK_ETHERTYPE_IP);
	memcpy(w->frame + LINK_ETH_HLEN, dgram, len);
	wire_own_add(w, dgram, len);
	return frame_send(w, w->frame, LINK_ETH_HLEN + len, err);
}

/* A packet socket that only sends (protocol 0: the kernel delivers it
 * nothing), bound to the interface. */
static int
packet_open(struct wire *w, char **err)
{
	struct sockaddr_ll sll;
	struct ifreq ifr;

	if ((w->ifindex = (int)if_nametoindex(w->ifname)) == 0) {
		tc_seterr(err, "wire: interface %s: %s", w->ifname,
		    strerror(errno));
		return -1;
	}
	if ((w->tx = socket(AF_PACKET, SOCK_RAW, 0)) == -1) {
		tc_seterr(err, "wire: packet socket: %s%s", strerror(errno),
		    errno == EPERM ? " (phantom mode needs root or "
		    "CAP_NET_RAW)" : "");
		return -1;
	}
	/* Loopback has no link layer to claim an address on (and Linux
	 * drops 127/8 frames arriving there as martians): use host mode. */
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, w->ifname, sizeof(ifr.ifr_name));
	if (ioctl(w->tx, SIOCGIFHWADDR, &ifr) == -1 ||
	    ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		tc_seterr(err, "wire: phantom mode needs an Ethernet "
		    "interface; "
		    "%s is not one (use host mode)", w->ifname);
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = w->ifindex;
	if (bind(w->tx, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		tc_seterr(err, "wire: binding a packet socket to %s: %s",
		    w->ifname, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * ARP (RFC 826): learn the target's MAC from anything it sends, and answer
 * requests for the phantom address, unicast to the asker.
 */
static int
arp_input(struct wire *w, const uint8_t *frame, size_t len, char **err)
{
	struct link_arp a, r;
	uint8_t out[LINK_FRAME_MAX];
	size_t n;

	if (link_arp_parse(frame, len, &a) == -1 ||
	    memcmp(a.sha, w->peer_mac, 6) == 0)
		return 1;		/* not ARP for us, or our own */
	if (memcmp(a.spa, w->cfg.peer, 4) == 0) {
		conflict(w, a.sha);	/* someone else has the address */
		return 1;
	}
	if (memcmp(a.spa, w->cfg.target, 4) == 0 &&
	    memcmp(a.sha, zero_mac, 6) != 0) {
		memcpy(w->target_mac, a.sha, 6);
		w->have_target_mac = 1;
	}
	if (a.op != LINK_ARP_REQUEST || memcmp(a.tpa, w->cfg.peer, 4) != 0)
		return 1;
	r.op = LINK_ARP_REPLY;
	memcpy(r.sha, w->peer_mac, 6);
	memcpy(r.spa, w->cfg.peer, 4);
	memcpy(r.tha, a.sha, 6);
	memcpy(r.tpa, a.spa, 4);
	n = link_arp_build(out, sizeof(out), &r, a.sha);
	return frame_send(w, out, n, err) == -1 ? -1 : 1;
}

/*
 * Neighbour discovery (RFC 4861): learn the target's MAC from its NS or
 * NA, and answer solicitations for the phantom address with a solicited,
 * overriding advertisement (7.2.4); to all-nodes when the solicitation
 * came from the unspecified address (duplicate address detection).
 */
static int
nd_input(struct wire *w, const uint8_t *frame, size_t len, char **err)
{
	struct link_nd nd;
	uint8_t out[LINK_FRAME_MAX], gmac[6];
	const uint8_t *dst, *eth_dst;
	uint32_t flags = LINK_NA_SOLICITED | LINK_NA_OVERRIDE;
	size_t n;

	if (link_nd_parse(frame, len, &nd) == -1)
		return 0;
	if (memcmp(nd.eth_src, w->peer_mac, 6) == 0)
		return 1;		/* our own */
	if ((nd.type == LINK_ND_NA && memcmp(nd.target, w->cfg.peer, 16) ==
	    0) || memcmp(nd.src, w->cfg.peer, 16) == 0) {
		conflict(w, nd.eth_src);
		return 1;
	}
	if (nd.has_lladdr && memcmp(nd.type == LINK_ND_NA ? nd.target :
	    nd.src, w->cfg.target, 16) == 0) {
		memcpy(w->target_mac, nd.lladdr, 6);
		w->have_target_mac = 1;
	}
	if (nd.type != LINK_ND_NS || memcmp(nd.target, w->cfg.peer, 16) != 0)
		return 1;
	dst = nd.src;
	eth_dst = nd.has_lladdr ? nd.lladdr : nd.eth_src;
	if (memcmp(nd.src, (uint8_t[16]){ 0 }, 16) == 0) {
		dst = all_nodes;
		link_mcast_mac(all_nodes, gmac);
		eth_dst = gmac;
		flags = LINK_NA_OVERRIDE;
	}
	n = link_na_build(out, sizeof(out), w->peer_mac, eth_dst, w->cfg.peer,
	    dst, flags);
	return frame_send(w, out, n, err) == -1 ? -1 : 1;
}

int
wire_phantom_input(struct wire *w, const uint8_t *frame, size_t len,
    char **err)
{
	uint16_t etype;

	if (len < LINK_ETH_HLEN)
		return 0;
	etype = (uint16_t)(frame[12] << 8 | frame[13]);
	if (etype == LINK_ETHERTYPE_ARP && w->cfg.family == AF_INET)
		return arp_input(w, frame, len, err);
	if (etype == LINK_ETHERTYPE_IPV6 && w->cfg.family == AF_INET6 &&
	    len > LINK_ETH_HLEN + 40 && frame[LINK_ETH_HLEN + 6] == 58)
		return nd_input(w, frame, len, err);
	return 0;
}

/*
 * Another host claims the phantom address: the target would send our
 * flows to it, or to both of us.  Noted here, reported by claim() and by
 * every later wire_recv().
 */
static void
conflict(struct wire *w, const uint8_t *mac)
{
	if (!w->conflict)
		memcpy(w->conflict_mac, mac, 6);
	w->conflict = 1;
}

/* Ask for the target's MAC: an ARP request or a neighbour solicitation. */
static int
solicit(struct wire *w, char **err)
{
	uint8_t out[LINK_FRAME_MAX];
	struct link_arp a;
	size_t n;

	if (w->cfg.family == AF_INET6)
		n = link_ns_build(out, sizeof(out), w->peer_mac, w->cfg.peer,
		    w->cfg.target);
	else {
		memset(&a, 0, sizeof(a));
		a.op = LINK_ARP_REQUEST;
		memcpy(a.sha, w->peer_mac, 6);
		memcpy(a.spa, w->cfg.peer, 4);
		memcpy(a.tpa, w->cfg.target, 4);
		n = link_arp_build(out, sizeof(out), &a, NULL);
	}
	return frame_send(w, out, n, err);
}

/*
 * Ask whether anyone owns the phantom address: an ARP probe (RFC 5227
 * 2.1.1: sender address zero) or a duplicate address detection
 * solicitation (RFC 4862 5.4.2: from the unspecified address).  An owner
 * answers with an ARP reply from the address, or an advertisement of it.
 */
static int
probe(struct wire *w, char **err)
{
	uint8_t out[LINK_FRAME_MAX];
	struct link_arp a;
	size_t n;

	if (w->cfg.family == AF_INET6)
		n = link_dad_build(out, sizeof(out), w->peer_mac, w->cfg.peer);
	else {
		memset(&a, 0, sizeof(a));
		a.op = LINK_ARP_REQUEST;
		memcpy(a.sha, w->peer_mac, 6);
		memcpy(a.tpa, w->cfg.peer, 4);
		n = link_arp_build(out, sizeof(out), &a, NULL);
	}
	return frame_send(w, out, n, err);
}

/* Read what the capture holds: ARP/ND is handled, the rest dropped (no
 * flow has started yet). */
static int
drain(struct wire *w, char **err)
{
	struct timespec ts;
	const uint8_t *p;
	size_t caplen, len;
	int rc;

	while ((rc = wire_rx(w, &ts, &p, &caplen, &len, err)) == 1)
		if (wire_phantom_input(w, p, caplen, err) == -1)
			return -1;
	return rc;
}

/* An error naming the host that answers for the phantom address. */
int
wire_phantom_conflict(struct wire *w, char **err)
{
	char a[INET6_ADDRSTRLEN], m[18];

	if (!w->conflict)
		return 0;
	inet_ntop(w->cfg.family, w->cfg.peer, a, sizeof(a));
	tc_seterr(err, "wire: %s is in use on %s (%s answers for it): the "
	    "phantom peer needs an unused address", a, w->ifname,
	    link_mac_str(w->conflict_mac, m, sizeof(m)));
	return -1;
}

/*
 * The tester host's own addresses never answer the probe (the kernel does
 * not hear what a packet socket sends), so look for the phantom address
 * among them directly.
 */
static int
local_address(struct wire *w, char **err)
{
	struct ifaddrs *ifa, *i;
	struct sockaddr_in6 *sin6;
	struct sockaddr_in *sin;
	const void *a;
	char s[INET6_ADDRSTRLEN];
	int found = 0;

	if (getifaddrs(&ifa) == -1)
		return 0;	/* cannot tell; the probe still runs */
	for (i = ifa; i != NULL && !found; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family !=
		    w->cfg.family)
			continue;
		sin6 = (struct sockaddr_in6 *)i->ifa_addr;
		sin = (struct sockaddr_in *)i->ifa_addr;
		a = w->cfg.family == AF_INET6 ? (const void *)&sin6->sin6_addr :
		    (const void *)&sin->sin_addr;
		if (memcmp(a, w->cfg.peer, w->cfg.family == AF_INET6 ? 16 :
		    4) == 0) {
			inet_ntop(w->cfg.family, w->cfg.peer, s, sizeof(s));
			tc_seterr(err, "wire: %s is in use on %s (an address "
			    "of "
			    "this host): the phantom peer needs an unused "
			    "address (host mode uses the host's own)", s,
			    i->ifa_name);
			found = 1;
		}
	}
	freeifaddrs(ifa);
	return found ? -1 : 0;
}

/*
 * Claim the address: probe for an owner for PROBE_MS, and resolve the
 * target's MAC (unless given) within cfg.resolve_ms, asking again every
 * RESOLVE_RETRY_MS.
 */
static int
claim(struct wire *w, char **err)
{
	struct pollfd pfd = { .fd = w->rx, .events = POLLIN };
	struct timespec start, now;
	int limit = w->cfg.resolve_ms > 0 ? w->cfg.resolve_ms :
	    RESOLVE_MS_DEFAULT, elapsed = 0, next = 0;

	if (local_address(w, err) == -1 || probe(w, err) == -1)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((!w->have_target_mac || elapsed < PROBE_MS) && !w->conflict &&
	    elapsed < limit) {
		if (elapsed >= next) {
			if (!w->have_target_mac && solicit(w, err) == -1)
				return -1;
			next = elapsed + RESOLVE_RETRY_MS;
		}
		if (poll(&pfd, 1, (w->have_target_mac ? PROBE_MS : next) -
		    elapsed) == -1 && errno != EINTR) {
			tc_seterr(err, "wire: poll: %s", strerror(errno));
			return -1;
		}
		if (drain(w, err) == -1)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (int)((now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000);
	}
	if (wire_phantom_conflict(w, err) == -1)
		return -1;
	if (!w->have_target_mac) {
		tc_seterr(err, "wire: the target did not answer %s on %s "
		    "within %d ms", w->cfg.family == AF_INET6 ?
		    "neighbour solicitation" : "ARP", w->ifname, limit);
		return -1;
	}
	return 0;
}

struct wire *
wire_open_phantom(const struct wire_config *cfg, char **err)
{
	struct wire *w;

	if (cfg->ifname == NULL) {
		tc_seterr(err, "wire: phantom mode needs an Ethernet "
		    "interface");
		return NULL;
	}
	if ((w = wire_new(cfg, WIRE_PHANTOM, err)) == NULL)
		return NULL;
	if (memcmp(cfg->peer_mac, zero_mac, 6) != 0)
		memcpy(w->peer_mac, cfg->peer_mac, 6);
	else
		wire_phantom_mac(cfg, w->peer_mac);
	if (memcmp(cfg->target_mac, zero_mac, 6) != 0) {
		memcpy(w->target_mac, cfg->target_mac, 6);
		w->have_target_mac = 1;
	}
	if (packet_open(w, err) == -1 || wire_capture_open(w, err) == -1 ||
	    claim(w, err) == -1)
		goto fail;
	return w;
fail:
	wire_close(w);
	return NULL;
}
