/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * segment.h: one TCP segment with its IPv4 or IPv6 header, decoded into
 * plain fields, and the encoder that turns such a structure back into bytes.
 *
 * Everything above the wire layer (the peer's TCP, the runner, the checks,
 * the report) works on struct seg and never on raw bytes.  The decoder treats
 * its input as hostile: it never reads outside [pkt, pkt + len), rejects what
 * cannot be a TCP segment, and flags (rather than rejects) what is a TCP
 * segment but breaks a rule the checks may want to report (bad checksum,
 * non-zero bytes after EOL, ...).
 */
#ifndef TCPCONFORM_SEGMENT_H
#define TCPCONFORM_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

/* TCP header flags (RFC 9293 3.1; ECE/CWR RFC 3168; AE RFC 9768). */
#define SEG_FIN		0x001
#define SEG_SYN		0x002
#define SEG_RST		0x004
#define SEG_PSH		0x008
#define SEG_ACK		0x010
#define SEG_URG		0x020
#define SEG_ECE		0x040
#define SEG_CWR		0x080
#define SEG_AE		0x100

/* TCP option kinds (IANA "TCP Option Kind Numbers"). */
#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MSS		2
#define TCPOPT_WSCALE		3
#define TCPOPT_SACK_PERM	4
#define TCPOPT_SACK		5
#define TCPOPT_TIMESTAMP	8
#define TCPOPT_MD5		19	/* RFC 2385 */
#define TCPOPT_AO		29	/* RFC 5925 */
#define TCPOPT_FASTOPEN		34	/* RFC 7413 */
#define TCPOPT_EXP		254	/* RFC 6994; TFO uses magic 0xf989 */

/* Bits of seg.has: which options the segment carried (first occurrence). */
#define SEG_HAS_MSS	0x001
#define SEG_HAS_WSCALE	0x002
#define SEG_HAS_SACKOK	0x004
#define SEG_HAS_SACK	0x008
#define SEG_HAS_TS	0x010
#define SEG_HAS_MD5	0x020
#define SEG_HAS_AO	0x040
#define SEG_HAS_TFO	0x080	/* kind 34, or kind 254 with magic 0xf989 */
#define SEG_HAS_UNKNOWN	0x100	/* a kind this decoder does not interpret */

/*
 * Bits of seg.warn: the segment was decoded, but something in it is wrong.
 * A check may turn any of these into a verdict; the peer ignores most.
 */
#define SEG_W_CSUM	0x001	/* TCP checksum does not verify */
#define SEG_W_EOL_PAD	0x002	/* non-zero bytes after EOL (RFC 9293 MUST-69) */
#define SEG_W_OPT_LEN	0x004	/* option length wrong for its kind (e.g. MSS len 3) */
#define SEG_W_OPT_TRUNC	0x008	/* option runs past the header; rest ignored */
#define SEG_W_IP_CSUM	0x010	/* IPv4 header checksum does not verify */
#define SEG_W_IP_TRAIL	0x020	/* bytes after the IP datagram's length (ignored) */
#define SEG_W_FRAG	0x040	/* IP fragment: TCP fields may be incomplete */

#define SEG_OPT_MAX	40	/* at most 40 option bytes, so at most 40 options */
#define SEG_SACK_MAX	4
#define SEG_TFO_MAX	16

/* One TCP option exactly as it was on the wire. */
struct seg_opt {
	uint8_t		kind;
	uint8_t		len;		/* the length byte; 1 for EOL and NOP */
	uint8_t		data[38];	/* len - 2 value bytes */
	uint8_t		size;		/* bytes on the wire when the length
					   byte lies (a case's "kind 99 len 0",
					   RFC 9293 MUST-7); 0: len */
};

struct seg_sack {
	uint32_t	left;
	uint32_t	right;
};

struct seg {
	/* Network layer.  Addresses in network byte order; IPv4 uses src[0..3]. */
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		src[16];
	uint8_t		dst[16];
	uint8_t		ttl;		/* IPv4 TTL or IPv6 hop limit */
	uint8_t		tos;		/* IPv4 TOS or IPv6 traffic class */
	uint16_t	ip_id;		/* IPv4 only */
	uint16_t	ip_frag;	/* IPv4 flags + fragment offset, host order */
	uint32_t	flowlabel;	/* IPv6 only */

	/* TCP header, host byte order. */
	uint16_t	sport;
	uint16_t	dport;
	uint32_t	seq;
	uint32_t	ack;
	uint16_t	flags;		/* SEG_* */
	uint16_t	win;		/* as on the wire, not scaled */
	uint16_t	urp;
	uint16_t	csum;		/* as received; the encoder computes its own */
	uint8_t		doff;		/* header length in 32-bit words, as received */
	uint8_t		rsvd;		/* the three reserved bits between the data
					 * offset and AE, as a number 0-7; zero in
					 * every segment sent (RFC 9293 3.1) */

	/* Options in wire order, EOL and NOP included.  Padding after an EOL is
	 * not an option: the encoder pads with zero bytes to 32 bits. */
	int		nopts;
	struct seg_opt	opts[SEG_OPT_MAX];

	/* The same options, interpreted (first occurrence of each kind). */
	unsigned	has;		/* SEG_HAS_* */
	uint16_t	mss;
	uint8_t		wscale;
	uint32_t	tsval;
	uint32_t	tsecr;
	int		nsack;
	struct seg_sack	sack[SEG_SACK_MAX];
	uint8_t		tfo_len;	/* cookie length; 0 = cookie request */
	uint8_t		tfo_cookie[SEG_TFO_MAX];

	/* Payload.  The decoder points into the caller's buffer, which must
	 * outlive the struct; for encoding, the caller points it anywhere. */
	const uint8_t	*data;
	size_t		len;
	/*
	 * Capture only (the decoder leaves it 0): the datagram is an offload
	 * aggregate of segments of this size at most (wire_pkt.gso_size);
	 * on a wire it would have been len / gso_size segments.
	 */
	uint16_t	gso_size;

	unsigned	warn;		/* SEG_W_* */

	/*
	 * Encoding only: write a TCP checksum that does not verify, to see
	 * that the target throws the segment away (RFC 9293 MUST-3).  The
	 * decoder leaves it 0 and reports a bad checksum in warn instead.
	 */
	uint8_t		csum_bad;
};

/*
 * The sequence space a segment occupies: its payload plus one for SYN and
 * one for FIN (RFC 9293 3.4, SEG.LEN).
 */
static inline uint32_t
seg_seqlen(const struct seg *s)
{
	return (uint32_t)s->len + ((s->flags & SEG_FIN) ? 1 : 0) +
	    ((s->flags & SEG_SYN) ? 1 : 0);
}

/* Zero *s and set the fields a segment always needs (family, ttl 64, doff 5). */
void	seg_init(struct seg *s, int family);

/*
 * Decode one IP datagram (the first byte is the IPv4 or IPv6 header) into *s.
 * IPv6 extension headers (hop-by-hop, routing, destination options, fragment)
 * are skipped.  Returns 0, or -1 with *err set to a malloc'ed reason (free it)
 * when the bytes are not a TCP segment: truncated headers, data offset below 5
 * or beyond the datagram, not TCP, unknown IP version.
 */
int	seg_decode(const uint8_t *pkt, size_t len, struct seg *s, char **err);

/*
 * Encode *s into buf (IP header first) with libnet, which computes the IP and
 * TCP checksums.  Options come from s->opts in order, padded with zero bytes.
 * With s->csum_bad the TCP checksum is then made wrong (see the encoder).
 * Returns the datagram's length, or -1 with *err set (free it).
 */
struct seg_encoder;
struct seg_encoder *seg_encoder_new(char **err);
void	seg_encoder_free(struct seg_encoder *);
int	seg_encode(struct seg_encoder *, const struct seg *s, uint8_t *buf,
	    size_t cap, char **err);

/*
 * Append one option to s->opts and update the interpreted fields (has, mss,
 * ...), so that a built segment reads the same as a decoded one.  Return -1
 * when the 40 option bytes would be exceeded or an argument is invalid.
 * Each call raises s->doff to cover the options.  The encoder pads the
 * options with zero bytes to a multiple of four, or up to s->doff words when
 * that is more (this is what lets padding after EOL round-trip): after
 * dropping the options of a decoded segment, set doff back to 5.  Bytes of
 * opts[i].data past len - 2 are not cleared.
 */
int	seg_add_nop(struct seg *s);
int	seg_add_eol(struct seg *s);
int	seg_add_mss(struct seg *s, uint16_t mss);
int	seg_add_wscale(struct seg *s, uint8_t shift);
int	seg_add_sackok(struct seg *s);
int	seg_add_sack(struct seg *s, const struct seg_sack *blocks, int n);
int	seg_add_ts(struct seg *s, uint32_t val, uint32_t ecr);
int	seg_add_tfo(struct seg *s, const uint8_t *cookie, uint8_t len);
int	seg_add_opt(struct seg *s, uint8_t kind, const uint8_t *val, uint8_t vlen);
size_t	seg_optbytes(const struct seg *s);	/* option bytes before padding */

/*
 * Text forms, for logs, errors and reports.  Each writes a NUL-terminated
 * string of at most cap bytes and returns buf.
 *   seg_flags_str:  packetdrill flag letters, "S.", "F.", "R", "P."
 *   seg_opts_str:   "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7"
 *   seg_addr_str:   "198.18.0.1" or "2001:db8::1"
 */
char	*seg_flags_str(uint16_t flags, char *buf, size_t cap);
char	*seg_opts_str(const struct seg *s, char *buf, size_t cap);
char	*seg_addr_str(int family, const uint8_t *addr, char *buf, size_t cap);

#endif /* TCPCONFORM_SEGMENT_H */
