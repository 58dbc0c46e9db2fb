/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_ack.c: what an acceptable ACK does to the sending side (RFC 9293
 * 3.10.7.4 fifth, "ESTABLISHED STATE"): SND.UNA moves and acknowledged data
 * leaves the send buffer, the RTT is sampled (RFC 6298), the congestion
 * window grows (RFC 5681), duplicate ACKs trigger fast retransmit and
 * NewReno recovery (RFC 6582) steered by the SACK scoreboard (RFC 2018), and
 * the send window is updated.
 */
#include "seq.h"
#include "tcp_var.h"

#define TCP_DUPTHRESH	3	/* RFC 5681 3.2 */

static void	 ack_new(struct tcb *, uint32_t ack);
static void	 cc_ack(struct tcb *, uint32_t acked);
static int	 is_dupack(const struct tcb *, const struct tcp_in *);
static void	 dupack(struct tcb *);
static void	 rexmit_hole(struct tcb *, int partial);
static void	 rexmit_lost(struct tcb *);
static void	 wnd_update(struct tcb *, const struct tcp_in *);
static void	 board_add(struct tcb *, uint32_t left, uint32_t right);
static uint32_t	 sacked_bytes(const struct tcb *);
static void	 board_trim(struct tcb *);

static uint32_t
flight(const struct tcb *tp)
{
	return tp->snd_max - tp->snd_una;
}

static uint32_t
half_flight(const struct tcb *tp)
{
	uint32_t	h = flight(tp) / 2, two = 2u * tp->t_maxseg;

	/* RFC 5681 (4): ssthresh = max (FlightSize / 2, 2*SMSS) */
	return h > two ? h : two;
}

/*
 * The ESTABLISHED processing of an ACK whose value passed the RFC 5961
 * check.  Returns 0 to go on with the segment, 1 when it was dropped.
 */
int
tcp_ack_input(struct tcb *tp, const struct tcp_in *in)
{
	uint32_t	newly;

	if (seq_gt(in->ack, tp->snd_max)) {
		/* "If the ACK acks something not yet sent (SEG.ACK >
		 * SND.NXT), then send an ACK, drop the segment, and return." */
		tcp_send_challenge_ack(tp, "ACK of unsent data");
		tp->stack->in_what = "ACK of unsent data: ACK sent, dropped";
		return 1;
	}
	newly = 0;
	if ((tp->flags & TCPF_SACK) && (in->s->has & SEG_HAS_SACK))
		newly = tcp_sack_board_update(tp, in->s);
	if (seq_gt(in->ack, tp->snd_una))
		ack_new(tp, in->ack);
	else if (is_dupack(tp, in) || (newly > 0 && in->ack == tp->snd_una &&
	    in->s->len == 0))
		dupack(tp);
	wnd_update(tp, in);
	return 0;
}

/* Bytes the scoreboard holds above SND.UNA. */
static uint32_t
sacked_bytes(const struct tcb *tp)
{
	uint32_t	n = 0;
	int		i;

	for (i = 0; i < tp->nsacked; i++)
		n += tp->sacked[i].right - tp->sacked[i].left;
	return n;
}

/*
 * "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK.  Any
 * segments on the retransmission queue that are thereby entirely
 * acknowledged are removed."  The SYN and the FIN take a sequence number
 * each but no byte of the buffer.
 */
static void
ack_new(struct tcb *tp, uint32_t ack)
{
	uint32_t	acked = ack - tp->snd_una, data = acked;

	if (tp->snd_una == tp->iss)
		data--;			/* our SYN */
	if ((tp->flags & TF_FIN_SENT) && seq_le(tp->snd_una, tp->fin_seq) &&
	    seq_gt(ack, tp->fin_seq))
		data--;			/* our FIN */
	if (data > tp->snd.len)
		data = (uint32_t)tp->snd.len;
	tcp_buf_consume(&tp->snd, data);
	if ((tp->flags & TF_TIMING) && seq_ge(ack, tp->rtt_seq)) {
		tp->flags &= ~TF_TIMING;
		tcp_rtt_sample(tp, tp->stack->now - tp->rtt_start);
	}
	tp->snd_una = ack;
	if (seq_lt(tp->snd_nxt, ack))
		tp->snd_nxt = ack;
	tp->rxtshift = 0;
	board_trim(tp);

	if (tp->flags & TF_RECOVERY) {
		if (seq_ge(ack, tp->recover)) {
			/* Full acknowledgment (RFC 6582 3.2 (3)): cwnd =
			 * min(ssthresh, max(FlightSize, SMSS) + SMSS). */
			uint32_t f = flight(tp) > tp->t_maxseg ? flight(tp) :
			    tp->t_maxseg;
			tp->cwnd = tp->ssthresh < f + tp->t_maxseg ?
			    tp->ssthresh : f + tp->t_maxseg;
			tp->flags &= ~TF_RECOVERY;
			tp->dupacks = 0;
		} else {
			/* Partial acknowledgment (3.2 (4)): retransmit the
			 * next hole, deflate cwnd by what was acked, add back
			 * one SMSS if that was at least one SMSS. */
			rexmit_hole(tp, 1);
			tp->cwnd = tp->cwnd > data ? tp->cwnd - data : 0;
			if (data >= tp->t_maxseg)
				tp->cwnd += tp->t_maxseg;
			if (tp->cwnd < tp->t_maxseg)
				tp->cwnd = tp->t_maxseg;
		}
	} else {
		tp->dupacks = 0;
		cc_ack(tp, data);
	}

	/* RFC 6298 (5.2) and (5.3). */
	if (tp->snd_una == tp->snd_max)
		tcp_timer_clear(tp, TT_REXMT);
	else if (!tp->timer[TT_PERSIST])
		tcp_timer_set(tp, TT_REXMT, tcp_rto_cur(tp));
	if (data > 0) {
		struct tcp_evnode *n = tcp_ev_push(tp->stack, TCP_EV_ACKED,
		    tp, NULL, NULL);
		n->ev.n = data;
	}
}

/* SND.UNA moves to ack (SYN-SENT: our SYN acknowledged in a SYN-ACK). */
void
tcp_ack_advance(struct tcb *tp, uint32_t ack)
{
	if (seq_gt(ack, tp->snd_una))
		ack_new(tp, ack);
}

/*
 * RFC 5681 3.1: slow start adds min(acked, SMSS) per ACK (appropriate byte
 * counting, RFC 3465, with L = 1 SMSS); congestion avoidance about one SMSS
 * per RTT, "cwnd += SMSS*SMSS/cwnd" (equation 3).
 */
static void
cc_ack(struct tcb *tp, uint32_t acked)
{
	uint32_t	smss = tp->t_maxseg, inc;

	if (acked == 0)
		return;
	if (tp->cwnd < tp->ssthresh)
		inc = acked < smss ? acked : smss;
	else {
		inc = (uint32_t)((uint64_t)smss * smss / (tp->cwnd ? tp->cwnd : 1));
		if (inc == 0)
			inc = 1;
	}
	if (tp->cwnd + inc > tp->cwnd && tp->cwnd + inc < UINT32_MAX / 2)
		tp->cwnd += inc;
}

/*
 * RFC 5681 2: a duplicate ACK when "(a) the receiver of the ACK has
 * outstanding data, (b) the incoming acknowledgment carries no data, (c) the
 * SYN and FIN bits are both off, (d) the acknowledgment number is equal to
 * the greatest acknowledgment received on the given connection (SND.UNA)
 * and (e) the advertised window in the incoming acknowledgment equals the
 * advertised window in the last incoming acknowledgment."
 */
static int
is_dupack(const struct tcb *tp, const struct tcp_in *in)
{
	/* Answers to zero-window probes repeat SND.UNA too: not losses. */
	if (tp->timer[TT_PERSIST] != 0 || tp->snd_wnd == 0)
		return 0;
	return tp->snd_max != tp->snd_una && in->s->len == 0 &&
	    !(in->s->flags & (SEG_SYN | SEG_FIN)) && in->ack == tp->snd_una &&
	    in->wnd == tp->snd_wnd;
}

/* RFC 5681 3.2 with RFC 6582: enter recovery on the third, inflate after. */
static void
dupack(struct tcb *tp)
{
	tp->dupacks++;
	if (tp->hooks.no_retransmit)
		return;
	if (tp->flags & TF_RECOVERY) {
		tp->cwnd += tp->t_maxseg;
		rexmit_lost(tp);
		if (tp->flags & TCPF_SACK)
			rexmit_hole(tp, 0);
		return;
	}
	/* RFC 6582 3.2 (2): only when the ACK covers more than recover,
	 * so that duplicate ACKs caused by our own needless retransmissions
	 * (after an RTO) start no second recovery.  With SACK the sign is
	 * better: RFC 6675 4 counts "more than (DupThresh - 1) * SMSS bytes"
	 * SACKed above SND.UNA, whatever the duplicate ACKs said (a receiver
	 * whose window grows sends ACKs that are not duplicates by RFC 5681's
	 * definition), and SACKs of duplicates fall below SND.UNA (D-SACK),
	 * so that sign needs no guard. */
	if (!((tp->flags & TCPF_SACK) &&
	    sacked_bytes(tp) > (TCP_DUPTHRESH - 1) * (uint32_t)tp->t_maxseg) &&
	    (tp->dupacks != TCP_DUPTHRESH || !seq_gt(tp->snd_una, tp->recover)))
		return;
	tp->ssthresh = half_flight(tp);
	tp->recover = tp->snd_max;
	tp->flags |= TF_RECOVERY;
	tp->stats.fast_rexmits++;
	tp->rexmit_mark = tp->snd_max;
	tp->rexmit_hi = tcp_rexmit_one(tp, tp->snd_una, "fast retransmit");
	tp->cwnd = tp->ssthresh + TCP_DUPTHRESH * tp->t_maxseg;
}

/*
 * A lost retransmission, found the way RACK (RFC 8985) finds losses: data
 * sent after the hole at SND.UNA was last retransmitted has been SACKed,
 * yet the hole is still not acknowledged, so that retransmission was lost
 * too.  Without this only the RTO would repair it.
 */
static void
rexmit_lost(struct tcb *tp)
{
	if (!(tp->flags & TF_RECOVERY) || !(tp->flags & TCPF_SACK) ||
	    tp->nsacked == 0 || tp->hooks.no_retransmit ||
	    !seq_gt(tp->sacked[tp->nsacked - 1].right, tp->rexmit_mark) ||
	    !seq_lt(tp->snd_una, tp->rexmit_hi))
		return;
	tp->rexmit_mark = tp->snd_max;
	tcp_rexmit_one(tp, tp->snd_una, "lost retransmission");
}

/*
 * In recovery, retransmit the first hole not yet retransmitted: with SACK,
 * the first unSACKed sequence number below the highest SACKed one (one per
 * duplicate ACK); on a partial ACK, failing that, the first unSACKed byte
 * from SND.UNA on (NewReno, RFC 6582 3.2 (4), which without SACK is
 * SND.UNA itself).
 */
static void
rexmit_hole(struct tcb *tp, int partial)
{
	uint32_t	start, end, high;
	int		sack = (tp->flags & TCPF_SACK) && tp->nsacked > 0;

	if (tp->hooks.no_retransmit)
		return;
	start = sack ? seq_max(tp->snd_una, tp->rexmit_hi) : tp->snd_una;
	while (tcp_sacked(tp, start, &end))
		start = end;
	if (sack) {
		high = tp->sacked[tp->nsacked - 1].right;
		if (!seq_lt(start, high)) {
			if (!partial)
				return;
			start = tp->snd_una;
			while (tcp_sacked(tp, start, &end))
				start = end;
		}
	} else if (!partial)
		return;
	if (!seq_lt(start, tp->snd_max))
		return;
	if (start == tp->snd_una)
		tp->rexmit_mark = tp->snd_max;
	end = tcp_rexmit_one(tp, start, "fast recovery retransmission");
	tp->rexmit_hi = seq_max(tp->rexmit_hi, end);
}

/*
 * "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated.  If
 * (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)), set
 * SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK."
 */
static void
wnd_update(struct tcb *tp, const struct tcp_in *in)
{
	uint32_t	seq = in->s->seq;
	int		was_zero = tp->snd_wnd == 0;

	if (seq_lt(in->ack, tp->snd_una))
		return;
	if (!(seq_lt(tp->snd_wl1, seq) ||
	    (tp->snd_wl1 == seq && seq_le(tp->snd_wl2, in->ack))))
		return;
	tp->snd_wnd = in->wnd;
	tp->snd_wl1 = seq;
	tp->snd_wl2 = in->ack;
	if (tp->snd_wnd > tp->max_snd_wnd)
		tp->max_snd_wnd = tp->snd_wnd;
	if (was_zero && tp->snd_wnd > 0 && tp->timer[TT_PERSIST]) {
		/* The window opened: the probes end, sending resumes from
		 * the first byte not acknowledged. */
		tcp_timer_clear(tp, TT_PERSIST);
		tp->pshift = 0;
		tp->snd_nxt = tcp_data_base(tp);
	}
}

/*
 * RFC 6298 (5.5)-(5.6) and RFC 5681 (4)-(5) on a retransmission timeout:
 * ssthresh = max(FlightSize / 2, 2*SMSS), cwnd = one segment (the loss
 * window); recovery ends.  The SACK scoreboard is kept on a first timeout,
 * so that SACKed data is not sent again (RFC 6675 5.1), and forgotten from
 * the second in a row, in case the receiver reneged: "after a retransmit
 * timeout the data sender SHOULD turn off all of the SACKed bits" (RFC 2018
 * 8) was written for that case.
 */
void
tcp_cc_rto(struct tcb *tp)
{
	if (tp->t_maxseg != 0) {
		tp->ssthresh = half_flight(tp);
		tp->cwnd = tp->t_maxseg;
	}
	tp->flags &= ~TF_RECOVERY;
	tp->dupacks = 0;
	tp->recover = tp->snd_max;
	tp->rexmit_hi = tp->snd_una;
	if (tp->rxtshift > 1)
		tp->nsacked = 0;
}

/* Take the SACK blocks of an ACK into the scoreboard (RFC 2018 5);
 * returns how many bytes it did not hold before. */
uint32_t
tcp_sack_board_update(struct tcb *tp, const struct seg *s)
{
	uint32_t	l, r, before = sacked_bytes(tp);
	int		i;

	for (i = 0; i < s->nsack && i < SEG_SACK_MAX; i++) {
		l = s->sack[i].left;
		r = s->sack[i].right;
		/* Empty, already acknowledged (D-SACK, RFC 2883) or beyond
		 * what was sent: nothing to learn. */
		if (!seq_lt(l, r) || seq_le(r, tp->snd_una) ||
		    seq_gt(r, tp->snd_max))
			continue;
		if (seq_lt(l, tp->snd_una))
			l = tp->snd_una;
		board_add(tp, l, r);
	}
	r = sacked_bytes(tp);
	return r > before ? r - before : 0;
}

/* Insert [left, right) into the sorted, disjoint scoreboard. */
static void
board_add(struct tcb *tp, uint32_t left, uint32_t right)
{
	struct seg_sack	 out[TCP_SACKBOARD + 1];
	int		 i, n = 0, placed = 0;

	for (i = 0; i < tp->nsacked; i++) {
		struct seg_sack b = tp->sacked[i];

		if (seq_lt(b.right, left)) {
			out[n++] = b;
			continue;
		}
		if (seq_lt(right, b.left)) {
			if (!placed) {
				out[n].left = left;
				out[n++].right = right;
				placed = 1;
			}
			out[n++] = b;
			continue;
		}
		left = seq_min(left, b.left);	/* overlapping: merge */
		right = seq_max(right, b.right);
	}
	if (!placed) {
		out[n].left = left;
		out[n++].right = right;
	}
	/* Full: forget the highest range; it is reported again if true. */
	if (n > TCP_SACKBOARD)
		n = TCP_SACKBOARD;
	for (i = 0; i < n; i++)
		tp->sacked[i] = out[i];
	tp->nsacked = n;
}

static void
board_trim(struct tcb *tp)
{
	int	i, n = 0;

	for (i = 0; i < tp->nsacked; i++) {
		if (seq_le(tp->sacked[i].right, tp->snd_una))
			continue;
		tp->sacked[n] = tp->sacked[i];
		if (seq_lt(tp->sacked[n].left, tp->snd_una))
			tp->sacked[n].left = tp->snd_una;
		n++;
	}
	tp->nsacked = n;
}

/* Is seq SACKed?  If so, *end is where the SACKed range ends. */
int
tcp_sacked(const struct tcb *tp, uint32_t seq, uint32_t *end)
{
	int	i;

	for (i = 0; i < tp->nsacked; i++) {
		if (seq_ge(seq, tp->sacked[i].left) &&
		    seq_lt(seq, tp->sacked[i].right)) {
			*end = tp->sacked[i].right;
			return 1;
		}
	}
	return 0;
}

/* The start of the first SACKed range above seq, if any. */
int
tcp_sack_next(const struct tcb *tp, uint32_t seq, uint32_t *start)
{
	int	i;

	for (i = 0; i < tp->nsacked; i++) {
		if (seq_gt(tp->sacked[i].left, seq)) {
			*start = tp->sacked[i].left;
			return 1;
		}
	}
	return 0;
}
