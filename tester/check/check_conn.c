/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * check_conn.c: check/'s own record of one connection of a case, as seen
 * on the wire in both directions: each side's ISN (what relative numbers
 * in case lines are relative to), its sequence space (the highest
 * sequence number sent, the highest acknowledgment), its last window, the
 * options its SYN offered and every option kind it used.  The runner feeds
 * it every segment the peer sends and every segment the target sends on
 * the connection (check_conn_seg()), and says when a side's ISN is known
 * (check_conn_isn()) or a new incarnation begins (check_conn_forget()), so
 * that a check that looks back at the connection needs no TCB.
 *
 * Uses the decoded segment (codec/) only.
 */
#include <string.h>

#include "check.h"
#include "seq.h"

void
check_conn_init(struct check_conn *cc)
{
	int i;

	memset(cc, 0, sizeof(*cc));
	for (i = 0; i < 2; i++)
		cc->side[i].wscale = -1;
}

/* The sender's ISN in direction dir (SEGDIR_*) is now known. */
void
check_conn_isn(struct check_conn *cc, int dir, uint32_t isn)
{
	struct check_side *sd = &cc->side[dir != 0];

	sd->isn = isn;
	sd->isn_known = 1;
	sd->data_end = 1;
}

/*
 * A new incarnation of the connection: what the sender in dir did on the
 * old one no longer counts.  Its ISN stays as it was, though not known,
 * until its next SYN: a '<' line written before that still numbers from
 * it.
 */
void
check_conn_forget(struct check_conn *cc, int dir)
{
	struct check_side *sd = &cc->side[dir != 0];
	uint32_t isn = sd->isn;

	memset(sd, 0, sizeof(*sd));
	sd->isn = isn;
	sd->wscale = -1;
}

/* What relative numbers are relative to, for segments sent in dir. */
void
check_conn_bases(const struct check_conn *cc, int dir, struct run_bases *b)
{
	const struct check_side *snd = &cc->side[dir != 0];
	const struct check_side *rcv = &cc->side[dir == 0];

	b->seq = snd->isn_known ? snd->isn : 0;
	b->ack = rcv->isn_known ? rcv->isn : 0;
	/* "data" is always the target's. */
	b->data = cc->side[1].isn_known ? cc->side[1].data_end : 1;
	b->mss = rcv->syn ? rcv->mss : 0;
	/* "edge" is the target's window, for what the peer sends. */
	b->edge_known = dir == 0 && cc->side[1].edge_known;
	b->edge = cc->side[1].edge;
}

/*
 * The right edge of the window a segment offers: SEG.ACK + SEG.WND, the
 * window scaled by its sender's shift when both SYNs offered one (RFC
 * 7323 2.2, 2.3: never in a SYN; a shift above 14 counts as 14).
 */
uint32_t
check_conn_edge(const struct check_conn *cc, int dir, const struct seg *s)
{
	int shift = (s->flags & SEG_SYN) ? 0 : cc->side[dir != 0].shift;

	return s->ack + ((uint32_t)s->win << shift);
}

/*
 * The sender's shift in dir, as the last SYN-ACK agreed it: a later SYN
 * alone (one a case sends into a synchronized connection) changes nothing.
 */
int
check_conn_shift(const struct check_conn *cc, int dir)
{
	return cc->side[dir != 0].shift;
}

/* One segment sent in direction dir, at t. */
void
check_conn_seg(struct check_conn *cc, int dir, const struct seg *s,
    uint64_t t)
{
	struct check_side *sd = &cc->side[dir != 0];
	uint32_t end = s->seq + seg_seqlen(s);
	int i;

	if (!sd->seen || seq_gt(end, sd->snd_max))
		sd->snd_max = end;
	if ((s->flags & SEG_ACK) && (!sd->ack_seen ||
	    seq_gt(s->ack, sd->ack_max))) {
		sd->ack_max = s->ack;
		sd->ack_seen = 1;
	}
	/* "data": the end of the furthest data, whatever its length. */
	if (sd->isn_known && s->len > 0 && !(s->flags & SEG_RST)) {
		uint32_t dend = s->seq - sd->isn + (s->flags & SEG_SYN ? 1 :
		    0) + (uint32_t)s->len;

		if ((int32_t)(dend - sd->data_end) > 0)
			sd->data_end = dend;
	}
	sd->seen = 1;
	sd->win = s->win;
	if (s->flags & SEG_SYN)
		sd->edge_known = 0;	/* a new incarnation may begin */
	if ((s->flags & (SEG_ACK | SEG_RST)) == SEG_ACK) {
		uint32_t edge = check_conn_edge(cc, dir, s);

		if (!sd->edge_known || seq_gt(edge, sd->edge_max))
			sd->edge_max = edge;
		sd->edge = edge;
		sd->edge_known = 1;
	}
	sd->nsegs++;
	sd->bytes += s->len;
	sd->last_t = t;
	if ((s->flags & (SEG_URG | SEG_RST)) == SEG_URG && (!sd->urg_seen ||
	    seq_gt(s->seq + s->urp, sd->urg_max))) {
		sd->urg_max = s->seq + s->urp;
		sd->urg_seen = 1;
	}
	if (s->flags & SEG_FIN)
		sd->fin = 1;
	if (s->flags & SEG_RST)
		sd->rst = 1;
	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].kind < 32)
			sd->opts_seen |= 1U << s->opts[i].kind;
	if (!(s->flags & SEG_SYN))
		return;
	/* The SYN's offers (RFC 9293 3.7.1, RFC 7323, RFC 2018). */
	sd->syn = 1;
	sd->mss = (s->has & SEG_HAS_MSS) ? s->mss : 0;
	sd->wscale = (s->has & SEG_HAS_WSCALE) ? s->wscale : -1;
	sd->sack_ok = (s->has & SEG_HAS_SACKOK) != 0;
	sd->sack_ever |= sd->sack_ok;
	sd->ts = (s->has & SEG_HAS_TS) != 0;
	if (s->flags & SEG_ACK) {
		/*
		 * A SYN-ACK: what both SYNs offered is now in force.  Not
		 * when it repeats the last one (the same ISN, the same SYN
		 * acknowledged): sent again, or the path's copy, it restates
		 * that handshake, whatever a later SYN of the other side
		 * offered (handshake/syn-in-established's SYN with no
		 * options, which a target still in SYN-RECEIVED, our ACK of
		 * the handshake lost on the path, answers with its SYN-ACK
		 * again: RFC 7323 2.2, the scale is fixed by the SYNs of the
		 * handshake).
		 */
		struct check_side *o = &cc->side[dir == 0];
		int ws = sd->wscale >= 0 && o->wscale >= 0;

		if (sd->synack && s->seq == sd->synack_seq &&
		    s->ack == sd->synack_ack)
			return;
		sd->synack = 1;
		sd->synack_seq = s->seq;
		sd->synack_ack = s->ack;
		sd->shift = ws ? (sd->wscale > 14 ? 14 : sd->wscale) : 0;
		o->shift = ws ? (o->wscale > 14 ? 14 : o->wscale) : 0;
		sd->ts_agreed = o->ts_agreed = sd->ts && o->ts;
	}
}
