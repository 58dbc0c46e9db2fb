/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_passive.c: the passive checks.  Every segment the target sends, in
 * every case, is held against rules that hold whatever the case is about:
 * a checksum that verifies, well-formed options, options only where they
 * are allowed, acknowledgment and sequence numbers inside what was sent
 * and offered, a window whose right edge does not move back, reserved
 * bits at zero, urgent pointers within the stream.  A broken rule is a
 * finding (FIND_PASSIVE) with the requirement's id and severity; it does
 * not end the attempt, and each rule fires at most once per case.
 *
 * The runner calls check_passive_seg() with the record of the connection
 * as it stood before the segment (check_conn.c), so "what was sent" is
 * what the peer had sent when the target's segment was captured.
 *
 * What is excused, and why:
 *   - a checksum the sender left to offload (Linux's CHECKSUM_PARTIAL on
 *     loopback or veth): the wire layer completes it only when the kernel
 *     says the datagram never crossed a link (wire.c), so a segment that
 *     came over a real link with a bad checksum is reported;
 *   - a window edge that moves back by less than one unit of the window
 *     scale: RFC 7323 2.4 says a scaled window may appear to shrink by the
 *     rounding of its granularity;
 *   - one octet beyond the offered window: the zero-window probe of RFC
 *     9293 3.8.6.1;
 *   - an urgent pointer beyond the data sent so far: urgent data may span
 *     several segments, each with URG and the pointer ahead, and urgency
 *     may be signalled before the window lets the data go (RFC 9293
 *     3.8.5); only a FIN shows the stream ended before the octet the
 *     pointer follows;
 *   - the options of a SYN-ACK after the target's own SYN (a simultaneous
 *     open repeats the SYN's offers).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "seq.h"

const struct check_passive_def check_passive_defs[PV_N] = {
	[PV_CSUM] = { "passive/checksum", "MUST-2",
	    "every segment the target sends carries a TCP checksum that "
	    "verifies", "bad-checksum-out" },
	[PV_OPT_LEN] = { "passive/option-length", "MUST-68",
	    "every option but EOL and NOP has a length byte that fits its "
	    "kind and the header", "option-bad-length" },
	[PV_EOL_PAD] = { "passive/eol-padding", "MUST-69",
	    "the header bytes after an EOL option are zero",
	    "eol-padding-nonzero" },
	[PV_MSS_SYN] = { "passive/mss-only-in-syn", "MUST-65",
	    "the MSS option is sent only in SYN segments", "mss-on-ack" },
	[PV_WSCALE] = { "passive/wscale-only-in-syn", "RFC7323-2.2",
	    "the Window Scale option is sent only in a SYN, and in a "
	    "SYN-ACK only when the SYN had one", "wscale-on-ack" },
	[PV_SACK] = { "passive/sack-negotiated", "RFC2018-2",
	    "SACK-permitted is sent only in a SYN (in a SYN-ACK only when "
	    "the SYN had it), and SACK blocks only when it was received",
	    "sackok-on-ack" },
	[PV_TS] = { "passive/timestamps-agreed", "RFC7323-3.2",
	    "timestamps: in a SYN-ACK only when the SYN had them, then on "
	    "every segment but an RST", "timestamps-dropped" },
	[PV_RSVD] = { "passive/reserved-bits", "RFC9293-3.1",
	    "the reserved header bits are zero", "reserved-bits" },
	[PV_ACK] = { "passive/ack-within-sent", "RFC9293-3.4",
	    "the target never acknowledges a sequence number the peer has "
	    "not sent", "ack-unsent-data" },
	[PV_SEQ_WIN] = { "passive/data-within-window", "RFC9293-3.8.6",
	    "the target sends no data beyond the right edge of the window "
	    "the peer offered (one octet may probe a zero window)",
	    "send-beyond-window" },
	[PV_WIN_EDGE] = { "passive/window-edge-kept", "SHLD-14",
	    "the right edge of the target's window never moves back",
	    "window-shrink" },
	[PV_URG] = { "passive/urgent-pointer", "MUST-62",
	    "every urgent pointer the target sent points at most one past "
	    "the last octet of its stream", "urgent-pointer-beyond" },
};

static int	fire(struct finding *, int *, unsigned *, enum check_pv, long,
		    const char *, ...) __attribute__((format(printf, 6, 7)));
static int	has_kind(const struct seg *, uint8_t);
static void	check_syntax(const struct seg *, long, unsigned *,
		    struct finding *, int *);
static void	check_options(const struct check_conn *, const struct seg *,
		    long, unsigned *, struct finding *, int *);
static void	check_numbers(const struct check_conn *, const struct seg *,
		    long, unsigned *, struct finding *, int *);

/*
 * One finding of check pv, unless it fired before in this attempt.  The
 * text names the check, its requirement and the segment.
 */
static int
fire(struct finding *out, int *n, unsigned *fired, enum check_pv pv,
    long rec, const char *fmt, ...)
{
	const struct check_passive_def *d = &check_passive_defs[pv];
	const struct case_req *q = case_req_find(d->req);
	struct finding *f;
	va_list ap;
	char *msg = NULL;

	if (*fired & (1U << pv))
		return 0;
	*fired |= 1U << pv;
	f = &out[(*n)++];
	memset(f, 0, sizeof(*f));
	f->kind = FIND_PASSIVE;
	f->sev = q != NULL ? q->level : CASE_SEV_MUST;
	f->seg = rec;
	f->req = d->req;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (asprintf(&f->text, "passive check %s (%s): %s", d->id, d->req,
	    msg != NULL ? msg : "out of memory") < 0)
		f->text = NULL;
	free(msg);
	return 1;
}

/* Whether the segment carries an option of this kind (raw, any length). */
static int
has_kind(const struct seg *s, uint8_t kind)
{
	int i;

	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].kind == kind)
			return 1;
	return 0;
}

/* What the decoder flagged, and the reserved bits (RFC 9293 3.1). */
static void
check_syntax(const struct seg *s, long rec, unsigned *fired,
    struct finding *out, int *n)
{
	if (s->warn & SEG_W_CSUM)
		fire(out, n, fired, PV_CSUM, rec, "the TCP checksum 0x%04x "
		    "does not verify", s->csum);
	if (s->warn & SEG_W_OPT_TRUNC)
		fire(out, n, fired, PV_OPT_LEN, rec, "an option has no length "
		    "byte, a length below 2, or runs past the header");
	else if (s->warn & SEG_W_OPT_LEN)
		fire(out, n, fired, PV_OPT_LEN, rec, "an option's length is "
		    "not the one its kind has");
	if (s->warn & SEG_W_EOL_PAD)
		fire(out, n, fired, PV_EOL_PAD, rec, "non-zero bytes follow "
		    "the EOL option");
	if (s->rsvd != 0)
		fire(out, n, fired, PV_RSVD, rec, "reserved bits 0x%x are set "
		    "(\"must be zero in generated segments\")", s->rsvd);
}

/*
 * Options only where they are allowed: MSS, WS and SACK-permitted in SYNs
 * (MUST-65, RFC 7323 2.2, RFC 2018 2), in a SYN-ACK only as answers to
 * what the SYN offered, SACK blocks only after SACK-permitted was
 * received; timestamps on every non-RST segment once both SYNs had them
 * (RFC 7323 3.2).
 */
static void
check_options(const struct check_conn *cc, const struct seg *s, long rec,
    unsigned *fired, struct finding *out, int *n)
{
	const struct check_side *peer = &cc->side[SEGDIR_TO_TARGET];
	const struct check_side *tgt = &cc->side[SEGDIR_FROM_TARGET];
	int syn = (s->flags & SEG_SYN) != 0;
	/* A SYN-ACK answering the peer's SYN, not repeating its own. */
	int answer = syn && (s->flags & SEG_ACK) && peer->syn && !tgt->syn;

	if (!syn && has_kind(s, TCPOPT_MSS))
		fire(out, n, fired, PV_MSS_SYN, rec, "an MSS option on a "
		    "segment without SYN");
	if (!syn && has_kind(s, TCPOPT_WSCALE))
		fire(out, n, fired, PV_WSCALE, rec, "a Window Scale option on "
		    "a segment without SYN");
	else if (answer && peer->wscale < 0 && has_kind(s, TCPOPT_WSCALE))
		fire(out, n, fired, PV_WSCALE, rec, "a Window Scale option in "
		    "a SYN-ACK to a SYN that had none");
	if (!syn && has_kind(s, TCPOPT_SACK_PERM))
		fire(out, n, fired, PV_SACK, rec, "SACK-permitted on a segment "
		    "without SYN");
	else if (answer && !peer->sack_ok && has_kind(s, TCPOPT_SACK_PERM))
		fire(out, n, fired, PV_SACK, rec, "SACK-permitted in a SYN-ACK "
		    "to a SYN that had none");
	else if (peer->syn && !peer->sack_ever && has_kind(s, TCPOPT_SACK))
		fire(out, n, fired, PV_SACK, rec, "SACK blocks, but the peer "
		    "never sent SACK-permitted");
	if (answer && !peer->ts && has_kind(s, TCPOPT_TIMESTAMP))
		fire(out, n, fired, PV_TS, rec, "a Timestamps option in a "
		    "SYN-ACK to a SYN that had none");
	else if (!syn && !(s->flags & SEG_RST) && tgt->ts_agreed &&
	    !has_kind(s, TCPOPT_TIMESTAMP))
		fire(out, n, fired, PV_TS, rec, "no Timestamps option, though "
		    "both SYNs agreed on them (\"MUST be sent in every "
		    "non-<RST> segment\")");
}

/*
 * Numbers inside what was sent and offered: the acknowledgment within the
 * peer's sequence space (RFC 9293 3.4: SEG.ACK is the receiver's
 * RCV.NXT), data within the window the peer offered (3.8.6), the target's
 * own right edge never moved back (SHLD-14), and no urgent pointer past
 * the end of the stream (MUST-62).
 */
static void
check_numbers(const struct check_conn *cc, const struct seg *s, long rec,
    unsigned *fired, struct finding *out, int *n)
{
	const struct check_side *peer = &cc->side[SEGDIR_TO_TARGET];
	const struct check_side *tgt = &cc->side[SEGDIR_FROM_TARGET];
	uint32_t end = s->seq + (uint32_t)s->len, edge, urg;
	int shift;

	if ((s->flags & SEG_ACK) && peer->seen && seq_gt(s->ack, peer->snd_max))
		fire(out, n, fired, PV_ACK, rec, "ack %u is %u beyond the last "
		    "sequence number the peer sent", s->ack - peer->isn,
		    s->ack - peer->snd_max);
	if (s->flags & (SEG_SYN | SEG_RST))
		return;
	/*
	 * An acknowledgment below the peer's ISN is of an older incarnation
	 * on the same four-tuple (a TIME-WAIT answer to the new SYN, or an
	 * old segment the path held back or copied): its window and data
	 * are not measured against the new connection's.
	 */
	if ((s->flags & SEG_ACK) && peer->isn_known && peer->syn &&
	    seq_lt(s->ack, peer->isn + 1))
		return;
	if (s->len > 0 && peer->edge_known && seq_gt(end, peer->edge_max + 1))
		fire(out, n, fired, PV_SEQ_WIN, rec, "data up to %u, %u octets "
		    "beyond the right edge of the window the peer offered",
		    end - tgt->isn, end - peer->edge_max);
	if ((s->flags & SEG_ACK) && tgt->edge_known) {
		edge = check_conn_edge(cc, SEGDIR_FROM_TARGET, s);
		shift = check_conn_shift(cc, SEGDIR_FROM_TARGET);
		if (seq_lt(edge + ((1U << shift) - 1), tgt->edge))
			fire(out, n, fired, PV_WIN_EDGE, rec, "the right edge of "
			    "its window moved back by %u octets (ack %u, "
			    "window %u)", tgt->edge - edge, s->ack -
			    peer->isn, s->win);
	}
	/*
	 * The urgent pointer is "the sequence number of the octet following
	 * the urgent data" (MUST-62): at the FIN, where the stream ends, no
	 * pointer sent may lie beyond its last octet.
	 */
	if (!(s->flags & SEG_FIN))
		return;
	urg = tgt->urg_seen ? tgt->urg_max : s->seq;
	if ((s->flags & SEG_URG) && seq_gt(s->seq + s->urp, urg))
		urg = s->seq + s->urp;
	if (seq_gt(urg, end))
		fire(out, n, fired, PV_URG, rec, "an urgent pointer points %u "
		    "octets past the end of the stream (its FIN at %u)",
		    urg - end, end - tgt->isn);
}

int
check_passive_seg(const struct check_conn *cc, const struct seg *s,
    long rec, unsigned *fired, struct finding out[PV_N])
{
	int n = 0;

	check_syntax(s, rec, fired, out, &n);
	check_options(cc, s, rec, fired, out, &n);
	check_numbers(cc, s, rec, fired, out, &n);
	return n;
}
