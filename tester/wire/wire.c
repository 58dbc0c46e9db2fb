/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * wire.c: the capture side of the wire layer (a packet socket with a BPF
 * filter compiled by libpcap, telling the target's datagrams from the
 * peer's own and the host kernel's), and host-address mode's injection
 * through a raw IP socket with SO_MARK.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <netinet/in.h>
#include <time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <ifaddrs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inet_sum.h"
#include "wire_int.h"
#include "errmsg.h"

#define IPPROTO_TCP_NUM	6

static uint16_t	get16(const uint8_t *);
static int	addr_eq(const struct wire *, const uint8_t *,
		    const uint8_t *);
static int	in_range(const struct wire *, uint16_t);
static int	link_strip(const struct wire *, const uint8_t *, size_t,
		    size_t *, uint16_t *);
static int	hdr_parse4(const uint8_t *, size_t, struct wire_hdr *);
static int	hdr_parse6(const uint8_t *, size_t, struct wire_hdr *);
static int	take(struct wire *, const struct timespec *, const uint8_t *,
		    size_t, size_t, struct wire_pkt *, char **);
static int	filter_flows(const struct wire_config *, char *, size_t);
static int	filter_nd(const struct wire_config *, char *, size_t);
static int	capture_filter(struct wire *, char **);
static int	raw_open(struct wire *, char **);
static int	raw_send(struct wire *, const uint8_t *, size_t, char **);

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void
wire_config_init(struct wire_config *cfg, int family)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->family = family;
	cfg->port_lo = WIRE_PORT_LO_DEFAULT;
	cfg->port_hi = WIRE_PORT_HI_DEFAULT;
	cfg->mark = WIRE_MARK_DEFAULT;
}

void
wire_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

/*
 * The BPF filter.  Only TCP between the two addresses, to or from the
 * peer's ports, so that the capture buffer holds the flows under test and
 * nothing else the host does.  IPv6 datagrams whose TCP header follows an
 * extension header do not match "tcp" in BPF and are not captured.
 */
static int
filter_flows(const struct wire_config *cfg, char *buf, size_t cap)
{
	char p[INET6_ADDRSTRLEN], t[INET6_ADDRSTRLEN];

	int n;

	inet_ntop(cfg->family, cfg->peer, p, sizeof(p));
	inet_ntop(cfg->family, cfg->target, t, sizeof(t));
	n = snprintf(buf, cap, "(%s and tcp and "
	    "((src host %s and dst host %s and dst portrange %u-%u) or "
	    "(src host %s and dst host %s and src portrange %u-%u)))",
	    cfg->family == AF_INET6 ? "ip6" : "ip", t, p, cfg->port_lo,
	    cfg->port_hi, p, t, cfg->port_lo, cfg->port_hi);
	if (!cfg->want_icmp || n < 0 || (size_t)n >= cap)
		return n;
	/* The error types of RFC 792 and RFC 4443 (2.1: below 128), the
	 * ICMPv6 type read where it is without extension headers. */
	return n + snprintf(buf + n, cap - (size_t)n, cfg->family == AF_INET ?
	    " or (icmp and dst host %s and (icmp[0] = 3 or icmp[0] = 4 or "
	    "icmp[0] = 11 or icmp[0] = 12))" :
	    " or (icmp6 and dst host %s and ip6[40] >= 1 and ip6[40] <= 4)",
	    p);
}

/*
 * Phantom mode also needs ARP whose sender or target protocol address is
 * the peer's (requests for it, replies to its requests, another owner's
 * answer to its probe), and neighbour solicitations and advertisements
 * whose target is the peer's address or that are sent to it.
 */
static int
filter_nd(const struct wire_config *cfg, char *buf, size_t cap)
{
	const uint8_t *a = cfg->peer;
	char p[INET6_ADDRSTRLEN];

	if (cfg->family == AF_INET)
		return snprintf(buf, cap, " or (arp and (arp[14:4] = "
		    "0x%02x%02x%02x%02x or arp[24:4] = 0x%02x%02x%02x%02x))",
		    a[0], a[1], a[2], a[3], a[0], a[1], a[2], a[3]);
	inet_ntop(AF_INET6, a, p, sizeof(p));
	return snprintf(buf, cap, " or (icmp6 and (ip6[40] = 135 or "
	    "ip6[40] = 136) and ((ip6[48:4] = 0x%02x%02x%02x%02x and "
	    "ip6[52:4] = 0x%02x%02x%02x%02x and ip6[56:4] = 0x%02x%02x%02x%02x "
	    "and ip6[60:4] = 0x%02x%02x%02x%02x) or dst host %s))", a[0], a[1],
	    a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11],
	    a[12], a[13], a[14], a[15], p);
}

int
wire_filter_str(const struct wire_config *cfg, int phantom, char *buf,
    size_t cap)
{
	int n, m;

	n = filter_flows(cfg, buf, cap);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	if (!phantom)
		return 0;
	m = filter_nd(cfg, buf + n, cap - n);
	if (m < 0 || (size_t)m >= cap - n)
		return -1;
	return 0;
}

struct wire *
wire_new(const struct wire_config *cfg, int mode, char **err)
{
	struct wire *w;

	if (cfg->family != AF_INET && cfg->family != AF_INET6) {
		tc_seterr(err, "wire: family must be IPv4 or IPv6");
		return NULL;
	}
	if (cfg->port_lo == 0 || cfg->port_lo > cfg->port_hi) {
		tc_seterr(err, "wire: bad peer port range %u-%u", cfg->port_lo,
		    cfg->port_hi);
		return NULL;
	}
	if (cfg->ifname != NULL && strlen(cfg->ifname) >= IF_NAMESIZE) {
		tc_seterr(err, "wire: interface name too long: %s",
		    cfg->ifname);
		return NULL;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		tc_seterr(err, "wire: out of memory");
		return NULL;
	}
	w->mode = mode;
	w->cfg = *cfg;
	strcpy(w->ifname, cfg->ifname != NULL ? cfg->ifname : "lo");
	w->cfg.ifname = w->ifname;
	w->tx = -1;
	w->rx = -1;
	return w;
}

/*
 * The flows' filter, compiled by libpcap for what rx gives (Ethernet frames
 * in phantom mode, IP datagrams in host mode) and attached to the socket
 * before it is bound, so that no other packet is ever queued.
 */
static int
capture_filter(struct wire *w, char **err)
{
	struct bpf_program prog;
	struct sock_fprog fp;
	char filter[1024];
	pcap_t *dead;
	unsigned i;
	int rc = -1;

	if (wire_filter_str(&w->cfg, w->mode == WIRE_PHANTOM, filter,
	    sizeof(filter)) == -1) {
		tc_seterr(err, "wire: capture filter too long");
		return -1;
	}
	if ((dead = pcap_open_dead(w->linktype, WIRE_SNAPLEN)) == NULL) {
		tc_seterr(err, "wire: out of memory");
		return -1;
	}
	if (pcap_compile(dead, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) ==
	    -1) {
		tc_seterr(err, "wire: capture filter \"%s\": %s", filter,
		    pcap_geterr(dead));
		pcap_close(dead);
		return -1;
	}
	/*
	 * Host mode reads whole packets (SOCK_RAW, for the virtio_net_hdr
	 * that only such a socket gives) whose link header, if any, varies
	 * with the interface; the filter was compiled for IP datagrams, so
	 * its loads count from the network header (the kernel's SKF_NET_OFF
	 * area), whatever comes before it.
	 */
	if (w->mode != WIRE_PHANTOM)
		for (i = 0; i < prog.bf_len; i++) {
			struct bpf_insn *in = &prog.bf_insns[i];
			unsigned cls = BPF_CLASS(in->code);
			unsigned mode = BPF_MODE(in->code);

			if ((cls == BPF_LD || cls == BPF_LDX) &&
			    (mode == BPF_ABS || mode == BPF_IND ||
			    mode == BPF_MSH))
				in->k += (uint32_t)SKF_NET_OFF;
		}
	/* struct bpf_insn and struct sock_filter have one layout. */
	fp.len = (unsigned short)prog.bf_len;
	fp.filter = (struct sock_filter *)prog.bf_insns;
	if (setsockopt(w->rx, SOL_SOCKET, SO_ATTACH_FILTER, &fp,
	    sizeof(fp)) == -1)
		tc_seterr(err, "wire: setting the capture filter on %s: %s",
		    w->ifname, strerror(errno));
	else
		rc = 0;
	pcap_freecode(&prog);
	pcap_close(dead);
	return rc;
}

/*
 * The capture: a packet socket on the interface (every interface for
 * "any"), with kernel timestamps in nanoseconds taken as the packet
 * passes the interface (SO_TIMESTAMPNS), the same clock and the same
 * moment a libpcap capture reports.  Phantom mode reads whole Ethernet
 * frames (ARP and ND are its business) in promiscuous mode; host mode
 * reads whole packets too and keeps their IP datagrams (the network
 * header's offset comes with each, in its tpacket_auxdata).  Packets are
 * read one recvmsg(2) at a time, as soon as poll(2) says so: no ring, no
 * batching delay.
 */
int
wire_capture_open(struct wire *w, char **err)
{
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	int phantom = w->mode == WIRE_PHANTOM, one = 1, size = WIRE_BUFSIZE;
	int ifindex = 0;

	if (strcmp(w->ifname, "any") != 0 &&
	    (ifindex = (int)if_nametoindex(w->ifname)) == 0) {
		tc_seterr(err, "wire: capture on %s: %s", w->ifname,
		    strerror(errno));
		return -1;
	}
	if (phantom && ifindex == 0) {
		tc_seterr(err, "wire: phantom mode needs one interface, not "
		    "\"any\"");
		return -1;
	}
	w->lo_ifindex = (int)if_nametoindex("lo");
	w->linktype = phantom ? DLT_EN10MB : DLT_RAW;
	if ((w->rxbuf = malloc(WIRE_SNAPLEN)) == NULL) {
		tc_seterr(err, "wire: out of memory");
		return -1;
	}
	/* Protocol 0: nothing is queued until bind(2), after the filter. */
	if ((w->rx = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		tc_seterr(err, "wire: capture on %s: %s%s", w->ifname,
		    strerror(errno), errno == EPERM ? " (capturing needs root "
		    "or CAP_NET_RAW)" : "");
		return -1;
	}
	if (capture_filter(w, err) == -1)
		return -1;
	/* Beyond rmem_max with CAP_NET_ADMIN; else as much as allowed. */
	if (setsockopt(w->rx, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) == -1)
		(void)setsockopt(w->rx, SOL_SOCKET, SO_RCVBUF, &size,
		    sizeof(size));
	if (setsockopt(w->rx, SOL_SOCKET, SO_TIMESTAMPNS, &one,
	    sizeof(one)) == -1) {
		tc_seterr(err, "wire: capture timestamps on %s: %s", w->ifname,
		    strerror(errno));
		return -1;
	}
	/*
	 * tp_status: whether a checksum was left to offload (take()); tp_net:
	 * where the IP datagram starts (host mode needs it).
	 */
	if (setsockopt(w->rx, SOL_PACKET, PACKET_AUXDATA, &one,
	    sizeof(one)) == -1 && !phantom) {
		tc_seterr(err, "wire: capture metadata on %s: %s", w->ifname,
		    strerror(errno));
		return -1;
	}
	/*
	 * A virtio_net_hdr before each packet: its gso_size tells an offload
	 * aggregate (a sender's TSO or GSO frame on lo or a local veth, or
	 * what GRO merged on receipt) from one segment, so that a check of
	 * segment sizes judges the segments a wire carries.
	 */
	w->vnet = setsockopt(w->rx, SOL_PACKET, PACKET_VNET_HDR, &one,
	    sizeof(one)) == 0;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	if (bind(w->rx, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		tc_seterr(err, "wire: capture on %s: %s", w->ifname,
		    strerror(errno));
		return -1;
	}
	if (phantom) {
		/* The target's frames go to a MAC the NIC lacks. */
		memset(&mr, 0, sizeof(mr));
		mr.mr_ifindex = ifindex;
		mr.mr_type = PACKET_MR_PROMISC;
		if (setsockopt(w->rx, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		    sizeof(mr)) == -1) {
			tc_seterr(err, "wire: promiscuous mode on %s: %s",
			    w->ifname, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int
wire_rx(struct wire *w, struct timespec *ts, const uint8_t **data,
    size_t *caplen, size_t *len, char **err)
{
	union {
		struct cmsghdr	h;
		char		buf[CMSG_SPACE(sizeof(struct timespec)) +
				    CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct tpacket_auxdata aux;
	struct virtio_net_hdr vh;
	struct sockaddr_ll from;
	struct cmsghdr *c;
	struct msghdr mh;
	struct iovec iov[2];
	size_t net = 0;
	ssize_t n;

	for (;;) {
		memset(&mh, 0, sizeof(mh));
		memset(&vh, 0, sizeof(vh));
		iov[0].iov_base = &vh;
		iov[0].iov_len = sizeof(vh);
		iov[1].iov_base = w->rxbuf;
		iov[1].iov_len = WIRE_SNAPLEN;
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = w->vnet ? iov : iov + 1;
		mh.msg_iovlen = w->vnet ? 2 : 1;
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		/* MSG_TRUNC: the length on the wire, even if cut short. */
		if ((n = recvmsg(w->rx, &mh, MSG_TRUNC)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			tc_seterr(err, "wire: capture on %s: %s", w->ifname,
			    strerror(errno));
			return -1;
		}
		/*
		 * On lo every datagram passes twice, leaving and arriving;
		 * keep the arrival, as libpcap does.
		 */
		if (from.sll_pkttype == PACKET_OUTGOING &&
		    from.sll_ifindex == w->lo_ifindex)
			continue;
		if (w->vnet && (size_t)n < sizeof(vh))
			continue;
		break;
	}
	w->rx_gso = 0;
	if (w->vnet) {
		n -= (ssize_t)sizeof(vh);
		/* The header's fields are in this host's byte order. */
		if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE)
			w->rx_gso = vh.gso_size;
	}
	ts->tv_sec = 0;
	ts->tv_nsec = 0;
	w->rx_local = 1;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS)
			memcpy(ts, CMSG_DATA(c), sizeof(*ts));
		/*
		 * A datagram built on this host whose checksum the NIC was
		 * to fill (CHECKSUM_PARTIAL: CSUMNOTREADY), or one the kernel
		 * verified (CSUM_VALID), may show a partial checksum; one
		 * that came over a real link carries its checksum as sent.
		 */
		if (c->cmsg_level == SOL_PACKET &&
		    c->cmsg_type == PACKET_AUXDATA) {
			memcpy(&aux, CMSG_DATA(c), sizeof(aux));
			w->rx_local = (aux.tp_status & (TP_STATUS_CSUMNOTREADY |
			    TP_STATUS_CSUM_VALID)) != 0;
			net = aux.tp_net;
		}
	}
	if (ts->tv_sec == 0 && ts->tv_nsec == 0)
		clock_gettime(CLOCK_REALTIME, ts);
	*data = w->rxbuf;
	*len = (size_t)n;
	*caplen = (size_t)n < WIRE_SNAPLEN ? (size_t)n : WIRE_SNAPLEN;
	/* Host mode: the IP datagram, past whatever link header came. */
	if (w->mode != WIRE_PHANTOM) {
		if (net > *caplen)
			net = *caplen;
		*data += net;
		*len -= net;
		*caplen -= net;
	}
	return 1;
}

/*
 * A raw IP socket with the header included (implied by IPPROTO_RAW for
 * both families on Linux; IPV6_HDRINCL since 4.5), so the datagram leaves
 * exactly as seg_encode() built it.  SO_MARK labels it for the guard.
 */
static int
raw_open(struct wire *w, char **err)
{
	int one = 1;

	if ((w->tx = socket(w->cfg.family, SOCK_RAW, IPPROTO_RAW)) == -1) {
		tc_seterr(err, "wire: raw IP socket: %s%s", strerror(errno),
		    errno == EPERM ? " (host mode needs root or CAP_NET_RAW)" :
		    "");
		return -1;
	}
	if ((w->cfg.family == AF_INET ? setsockopt(w->tx, IPPROTO_IP,
	    IP_HDRINCL, &one, sizeof(one)) : setsockopt(w->tx, IPPROTO_IPV6,
	    IPV6_HDRINCL, &one, sizeof(one))) == -1) {
		tc_seterr(err, "wire: including the IP header: %s",
		    strerror(errno));
		return -1;
	}
	if (setsockopt(w->tx, SOL_SOCKET, SO_MARK, &w->cfg.mark,
	    sizeof(w->cfg.mark)) == -1) {
		tc_seterr(err, "wire: SO_MARK 0x%x: %s (needs CAP_NET_ADMIN)",
		    w->cfg.mark, strerror(errno));
		return -1;
	}
	return 0;
}

struct wire *
wire_open_host(const struct wire_config *cfg, char **err)
{
	struct wire *w;

	if ((w = wire_new(cfg, WIRE_HOST, err)) == NULL)
		return NULL;
	if (wire_capture_open(w, err) == -1 || raw_open(w, err) == -1) {
		wire_close(w);
		return NULL;
	}
	return w;
}

void
wire_close(struct wire *w)
{
	if (w == NULL)
		return;
	if (w->rx != -1)
		close(w->rx);
	free(w->rxbuf);
	if (w->tx != -1)
		close(w->tx);
	free(w);
}

int
wire_fd(const struct wire *w)
{
	return w->rx;
}

const uint8_t *
wire_target_mac(const struct wire *w)
{
	return w->mode == WIRE_PHANTOM ? w->target_mac : NULL;
}

const uint8_t *
wire_peer_mac(const struct wire *w)
{
	return w->mode == WIRE_PHANTOM ? w->peer_mac : NULL;
}

/*
 * FNV-1a over the datagram, leaving out the IPv4 identification and header
 * checksum, which the kernel may fill in on a raw socket (raw(7)).
 */
uint64_t
wire_fingerprint(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int v4 = len > 0 && (p[0] >> 4) == 4;
	size_t i;

	for (i = 0; i < len; i++) {
		if (v4 && (i == 4 || i == 5 || i == 10 || i == 11))
			continue;
		h = (h ^ p[i]) * 0x100000001b3ULL;
	}
	return h;
}

void
wire_own_add(struct wire *w, const uint8_t *p, size_t len)
{
	w->own[w->own_next] = wire_fingerprint(p, len);
	w->own_next = (w->own_next + 1) % WIRE_OWN_RING;
}

static int
raw_send(struct wire *w, const uint8_t *dgram, size_t len, char **err)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sslen;
	ssize_t n;

	memset(&ss, 0, sizeof(ss));
	if (w->cfg.family == AF_INET) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, dgram + 16, 4);
		sslen = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, dgram + 24, 16);
		sslen = sizeof(*sin6);
	}
	wire_own_add(w, dgram, len);
	if ((n = sendto(w->tx, dgram, len, 0, (struct sockaddr *)&ss,
	    sslen)) == -1) {
		tc_seterr(err, "wire: sending %zu bytes: %s", len,
		    strerror(errno));
		return -1;
	}
	if ((size_t)n != len) {
		tc_seterr(err, "wire: sent %zd of %zu bytes", n, len);
		return -1;
	}
	return 0;
}

static int
dgram_check(const struct wire *w, const uint8_t *dgram, size_t len,
    char **err)
{
	int v = w->cfg.family == AF_INET ? 4 : 6;
	size_t min = v == 4 ? 20 : 40, max = v == 4 ? 65535 : WIRE_DGRAM_MAX;

	if (len < min || len > max || (dgram[0] >> 4) != v) {
		tc_seterr(err, "wire: not an IPv%d datagram of %zu..%zu bytes "
		    "(%zu bytes)", v, min, max, len);
		return -1;
	}
	return 0;
}

int
wire_send(struct wire *w, const uint8_t *dgram, size_t len, char **err)
{
	if (dgram_check(w, dgram, len, err) == -1)
		return -1;
	if (w->mode == WIRE_PHANTOM)
		return wire_phantom_send(w, dgram, len, err);
	return raw_send(w, dgram, len, err);
}

/*
 * Host mode: one sendmmsg(2), so that the datagrams leave back to back,
 * with no return to user space (where the scheduler could put a gap of
 * its own) between them.
 */
static int
raw_send_burst(struct wire *w, const uint8_t *const *dgram,
    const size_t *len, size_t n, char **err)
{
	struct sockaddr_storage ss[WIRE_BURST_MAX];
	struct mmsghdr mh[WIRE_BURST_MAX];
	struct iovec iov[WIRE_BURST_MAX];
	size_t i, done = 0;
	int r;

	memset(ss, 0, sizeof(ss));
	memset(mh, 0, sizeof(mh));
	for (i = 0; i < n; i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss[i];
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss[i];

		if (w->cfg.family == AF_INET) {
			sin->sin_family = AF_INET;
			memcpy(&sin->sin_addr, dgram[i] + 16, 4);
			mh[i].msg_hdr.msg_namelen = sizeof(*sin);
		} else {
			sin6->sin6_family = AF_INET6;
			memcpy(&sin6->sin6_addr, dgram[i] + 24, 16);
			mh[i].msg_hdr.msg_namelen = sizeof(*sin6);
		}
		iov[i].iov_base = (void *)(uintptr_t)dgram[i];
		iov[i].iov_len = len[i];
		mh[i].msg_hdr.msg_name = &ss[i];
		mh[i].msg_hdr.msg_iov = &iov[i];
		mh[i].msg_hdr.msg_iovlen = 1;
		wire_own_add(w, dgram[i], len[i]);
	}
	while (done < n) {
		if ((r = sendmmsg(w->tx, mh + done, (unsigned)(n - done),
		    0)) == -1) {
			if (errno == EINTR)
				continue;
			tc_seterr(err, "wire: sending %zu datagrams: %s",
			    n - done, strerror(errno));
			return -1;
		}
		for (i = done; i < done + (size_t)r; i++)
			if (mh[i].msg_len != len[i]) {
				tc_seterr(err, "wire: sent %u of %zu bytes",
				    mh[i].msg_len, len[i]);
				return -1;
			}
		done += (size_t)r;
	}
	return 0;
}

int
wire_send_burst(struct wire *w, const uint8_t *const *dgram,
    const size_t *len, size_t n, char **err)
{
	size_t i;

	if (n > WIRE_BURST_MAX) {
		tc_seterr(err, "wire: a burst of %zu datagrams (at most %d)",
		    n, WIRE_BURST_MAX);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (dgram_check(w, dgram[i], len[i], err) == -1)
			return -1;
	if (w->mode != WIRE_PHANTOM)
		return raw_send_burst(w, dgram, len, n, err);
	/* Phantom mode: one frame buffer, so one frame after another. */
	for (i = 0; i < n; i++)
		if (wire_phantom_send(w, dgram[i], len[i], err) == -1)
			return -1;
	return 0;
}

/*
 * Find the IP datagram in a captured packet: the offset past the link
 * header and the ethertype (from the IP version where the link has none).
 */
static int
link_strip(const struct wire *w, const uint8_t *p, size_t caplen, size_t *off,
    uint16_t *etype)
{
	switch (w->linktype) {
	case DLT_EN10MB:
		if (caplen < LINK_ETH_HLEN)
			return -1;
		*etype = get16(p + 12);
		*off = LINK_ETH_HLEN;
		return 0;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return -1;
		*etype = get16(p + 14);
		*off = 16;
		return 0;
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			return -1;
		*etype = get16(p);
		*off = 20;
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		*off = 4;
		break;
	default:			/* DLT_RAW, DLT_IPV4, DLT_IPV6 */
		*off = 0;
		break;
	}
	if (caplen <= *off)
		return -1;
	*etype = (p[*off] >> 4) == 6 ? LINK_ETHERTYPE_IPV6 : LINK_ETHERTYPE_IP;
	return 0;
}

static int
hdr_parse4(const uint8_t *p, size_t len, struct wire_hdr *h)
{
	size_t hl = (size_t)(p[0] & 0x0f) * 4, tot;

	if (len < 20 || hl < 20 || hl > len)
		return -1;
	if ((tot = get16(p + 2)) < hl)
		return -1;
	h->family = AF_INET;
	h->src = p + 12;
	h->dst = p + 16;
	h->proto = p[9];
	h->l4off = hl;
	h->l4len = tot - hl;
	h->fragment = (get16(p + 6) & 0x1fff) != 0;
	return 0;
}

/* IPv6: skip the extension headers RFC 8200 4.1 lists before TCP. */
static int
hdr_parse6(const uint8_t *p, size_t len, struct wire_hdr *h)
{
	size_t off = 40, end;
	uint8_t nh;

	if (len < 40)
		return -1;
	h->family = AF_INET6;
	h->src = p + 8;
	h->dst = p + 24;
	end = 40 + (size_t)get16(p + 4);
	for (nh = p[6]; off + 8 <= len; ) {
		if (nh == 44) {				/* fragment */
			h->fragment = (get16(p + off + 2) & 0xfff8) != 0;
			nh = p[off];
			off += 8;
		} else if (nh == 0 || nh == 43 || nh == 60) {
			nh = p[off];
			off += ((size_t)p[off + 1] + 1) * 8;
		} else if (nh == 51) {			/* AH, RFC 4302 */
			nh = p[off];
			off += ((size_t)p[off + 1] + 2) * 4;
		} else
			break;
	}
	if (off > len || end < off)
		return -1;
	h->proto = nh;
	h->l4off = off;
	h->l4len = end - off;
	return 0;
}

int
wire_hdr_parse(const uint8_t *p, size_t len, struct wire_hdr *h)
{
	memset(h, 0, sizeof(*h));
	if (len < 1)
		return -1;
	if ((p[0] >> 4) == 4 ? hdr_parse4(p, len, h) :
	    (p[0] >> 4) == 6 ? hdr_parse6(p, len, h) : -1)
		return -1;
	if (h->proto != IPPROTO_TCP_NUM || h->fragment ||
	    h->l4off + 4 > len)
		return -1;
	h->sport = get16(p + h->l4off);
	h->dport = get16(p + h->l4off + 2);
	return 0;
}

static int
addr_eq(const struct wire *w, const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, w->cfg.family == AF_INET6 ? 16 : 4) == 0;
}

static int
in_range(const struct wire *w, uint16_t port)
{
	return port >= w->cfg.port_lo && port <= w->cfg.port_hi;
}

/*
 * Who sent this datagram?  The peer's own are recognised by fingerprint
 * first; anything else to the peer's address and ports is the target's;
 * anything else from them is the host's.  On loopback, where the two
 * addresses are the same, this only works if the target's ports lie
 * outside the peer's range.  Returns 0 for a datagram of no flow under test.
 */
int
wire_classify(struct wire *w, const uint8_t *p, size_t len,
    const struct wire_hdr *h)
{
	uint64_t fp = wire_fingerprint(p, len);
	unsigned i;

	if (h->family != w->cfg.family)
		return 0;
	for (i = 0; i < WIRE_OWN_RING; i++)
		if (w->own[i] == fp) {
			w->own[i] = 0;
			return WIRE_FROM_PEER;
		}
	if (addr_eq(w, h->dst, w->cfg.peer) && in_range(w, h->dport) &&
	    addr_eq(w, h->src, w->cfg.target))
		return WIRE_FROM_TARGET;
	if (addr_eq(w, h->src, w->cfg.peer) && in_range(w, h->sport) &&
	    addr_eq(w, h->dst, w->cfg.target))
		return WIRE_FROM_HOST;
	return 0;
}

/*
 * A sender that offloads the TCP checksum leaves the pseudo-header sum in
 * the field (Linux's CHECKSUM_PARTIAL), and a capture on loopback or before
 * the NIC sees it so.  When the checksum does not verify but the field holds
 * exactly that sum, write the completed datagram to out and return 1; the
 * segment was never wrong on the wire.  Return 0 when the checksum verifies
 * or is wrong in some other way (which the decoder then reports).
 */
int
wire_csum_complete(const uint8_t *p, size_t len, const struct wire_hdr *h,
    uint8_t *out)
{
	const uint8_t *tcp = p + h->l4off;
	uint32_t pseudo;
	uint16_t field, partial, sum;

	if (h->l4len < 20 || h->l4off + h->l4len > len)
		return 0;
	pseudo = inet_pseudo_sum(h->family, h->src, h->dst, IPPROTO_TCP_NUM,
	    (uint32_t)h->l4len);
	if (inet_fold(inet_sum(tcp, h->l4len, pseudo)) == 0xffff)
		return 0;
	field = get16(tcp + 16);
	partial = inet_fold(pseudo);
	if (field != partial && !(field == 0 && partial == 0xffff))
		return 0;
	memcpy(out, p, h->l4off + h->l4len);
	out[h->l4off + 16] = 0;
	out[h->l4off + 17] = 0;
	sum = (uint16_t)~inet_fold(inet_sum(out + h->l4off, h->l4len, pseudo));
	out[h->l4off + 16] = sum >> 8;
	out[h->l4off + 17] = sum & 0xff;
	return 1;
}

/* One captured packet: 1 when *pkt was filled, 0 when skipped, -1 error. */
/*
 * An ICMP or ICMPv6 error to the peer's address (want_icmp): handed on
 * whole, the quoted datagram inside, for the caller to judge.
 */
static int
icmp_take(struct wire *w, const struct timespec *ts, const uint8_t *p,
    size_t len, size_t wirelen, struct wire_pkt *pkt)
{
	struct wire_hdr h;

	memset(&h, 0, sizeof(h));
	if (len < 1 || ((p[0] >> 4) == 4 ? hdr_parse4(p, len, &h) :
	    (p[0] >> 4) == 6 ? hdr_parse6(p, len, &h) : -1) == -1)
		return 0;
	if (h.proto != (h.family == AF_INET ? 1 : 58) || h.fragment ||
	    h.family != w->cfg.family || !addr_eq(w, h.dst, w->cfg.peer))
		return 0;
	if (h.l4off + h.l4len < len)
		len = wirelen = h.l4off + h.l4len;
	memset(pkt, 0, sizeof(*pkt));
	w->ncaptured++;
	pkt->dir = WIRE_FROM_TARGET;
	pkt->flags = WIRE_PKT_ICMP;
	if (len < wirelen)
		pkt->flags |= WIRE_PKT_TRUNC;
	pkt->ts = *ts;
	pkt->data = p;
	pkt->len = len;
	pkt->wirelen = wirelen;
	pkt->gso_size = w->rx_gso;
	return 1;
}

static int
take(struct wire *w, const struct timespec *ts, const uint8_t *p,
    size_t caplen, size_t plen, struct wire_pkt *pkt, char **err)
{
	struct wire_hdr h;
	size_t off, len, wirelen;
	uint16_t etype;
	int rc;

	if (link_strip(w, p, caplen, &off, &etype) == -1)
		return 0;
	if (w->mode == WIRE_PHANTOM && w->linktype == DLT_EN10MB &&
	    (rc = wire_phantom_input(w, p, caplen, err)) != 0)
		return rc == -1 ? -1 : wire_phantom_conflict(w, err);
	if (etype != LINK_ETHERTYPE_IP && etype != LINK_ETHERTYPE_IPV6)
		return 0;
	p += off;
	len = caplen - off;
	wirelen = plen - off;
	if (w->cfg.want_icmp && icmp_take(w, ts, p, len, wirelen, pkt))
		return 1;
	if (wire_hdr_parse(p, len, &h) == -1)
		return 0;
	/* Ethernet pads short frames: the IP header says where it ends. */
	if (h.l4off + h.l4len < len)
		len = wirelen = h.l4off + h.l4len;
	memset(pkt, 0, sizeof(*pkt));
	if ((pkt->dir = wire_classify(w, p, len, &h)) == 0)
		return 0;
	w->ncaptured++;
	if (pkt->dir == WIRE_FROM_PEER && !w->cfg.want_own)
		return 0;
	pkt->ts = *ts;
	pkt->data = p;
	pkt->len = len;
	pkt->wirelen = wirelen;
	pkt->gso_size = w->rx_gso;
	/*
	 * Complete an offloaded checksum only where the kernel says the
	 * datagram never crossed a link: one that did is judged as it came
	 * (RFC 9293 MUST-2, the passive check passive/checksum).
	 */
	if (len < wirelen)
		pkt->flags |= WIRE_PKT_TRUNC;
	else if (w->rx_local && wire_csum_complete(p, len, &h, w->fixed)) {
		pkt->data = w->fixed;
		pkt->flags |= WIRE_PKT_CSUM_FIXED;
	}
	return 1;
}

int
wire_recv(struct wire *w, struct wire_pkt *pkt, char **err)
{
	struct timespec ts;
	const uint8_t *p;
	size_t caplen, len;
	int rc;

	for (;;) {
		if ((rc = wire_rx(w, &ts, &p, &caplen, &len, err)) != 1)
			return rc;
		if ((rc = take(w, &ts, p, caplen, len, pkt, err)) != 0)
			return rc;
	}
}

int
wire_stats(struct wire *w, uint64_t *received, uint64_t *dropped, char **err)
{
	struct tpacket_stats ts;
	socklen_t len = sizeof(ts);

	/* The kernel's counters restart at each read: keep the sum. */
	if (getsockopt(w->rx, SOL_PACKET, PACKET_STATISTICS, &ts,
	    &len) == -1) {
		tc_seterr(err, "wire: capture statistics on %s: %s", w->ifname,
		    strerror(errno));
		return -1;
	}
	w->drops += ts.tp_drops;
	*received = w->ncaptured;
	*dropped = w->drops;
	return 0;
}

int
wire_iface_of(int family, const uint8_t *addr, char *name, size_t cap)
{
	struct ifaddrs *ifa, *i;
	const void *a;
	int rc = -1;

	if (getifaddrs(&ifa) == -1)
		return -1;
	for (i = ifa; i != NULL && rc == -1; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != family)
			continue;
		a = family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		if (memcmp(a, addr, family == AF_INET ? 4 : 16) == 0) {
			snprintf(name, cap, "%s", i->ifa_name);
			rc = 0;
		}
	}
	freeifaddrs(ifa);
	return rc;
}
