/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_output.c: everything the peer sends.  tcp_do_output() decides what a
 * TCB may send now (SYN, data within the send and congestion windows, FIN,
 * an ACK that is due) and sends it; the helpers below it send the segments
 * the RFC spells out literally (<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, the RSTs
 * of RFC 9293 3.5.2).  Every segment leaves through tcp_emit(), which keeps
 * RCV.ADV and Last.ACK.sent, applies the case's output filter and queues the
 * segment with its event.
 */
#include <string.h>

#include "seq.h"
#include "tcp_var.h"

static int	 output_one(struct tcb *);
static void	 send_syn(struct tcb *, uint16_t flags);
static void	 send_data(struct tcb *, uint32_t seq, uint32_t len, int fin,
		    const char *what);
static void	 seg_addrs(const struct tcb *, struct seg *);
static int	 zero_window(struct tcb *);
static int	 sws_ok(const struct tcb *, uint32_t len, uint32_t avail);

/* The first byte of tp->snd: SND.UNA, or ISS+1 while the SYN is unacked. */
uint32_t
tcp_data_base(const struct tcb *tp)
{
	return seq_gt(tp->snd_una, tp->iss) ? tp->snd_una : tp->iss + 1;
}

/* RCV.WND as the acceptability test sees it: what we last advertised. */
uint32_t
tcp_rcv_wnd(const struct tcb *tp)
{
	return seq_gt(tp->rcv_adv, tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0;
}

/* Payload of a full segment now: t_maxseg less the options (RFC 6691). */
static uint32_t
eff_mss(const struct tcb *tp)
{
	size_t	opt = tcp_opt_len_data(tp);

	return tp->t_maxseg > opt + 1 ? tp->t_maxseg - (uint32_t)opt : 1;
}

/*
 * The Window field.  RFC 9293 3.8.6.2.2, receiver SWS avoidance: "the
 * receiver SHOULD NOT advance the right window edge [...] unless it moves
 * by at least min(Fr * RCV.BUFF, Eff.snd.MSS)" (SHLD-14 with Fr = 1/2); and
 * 3.10.7.4: "The total of RCV.NXT and RCV.WND should not be reduced", so the
 * scaled field is rounded up rather than down when it must keep the edge.
 */
uint16_t
tcp_win_field(const struct tcb *tp, int syn)
{
	uint32_t	scale = syn ? 0 : tp->rcv_scale;
	uint32_t	space, adv, step, wf, wf_adv;

	if (tp->hooks.win_set)
		return tp->hooks.win;
	space = tp->rcvbuf_max > tp->rcv.len ?
	    tp->rcvbuf_max - (uint32_t)tp->rcv.len : 0;
	adv = tcp_rcv_wnd(tp);
	step = tp->rcvbuf_max / 2 < eff_mss(tp) ? tp->rcvbuf_max / 2 :
	    eff_mss(tp);
	wf = 0;
	if (space > adv && space - adv >= step)
		wf = space >> scale;
	wf_adv = (uint32_t)(((uint64_t)adv + (1u << scale) - 1) >> scale);
	if (wf < wf_adv)
		wf = wf_adv;
	return wf > 65535 ? 65535 : (uint16_t)wf;
}

static void
seg_addrs(const struct tcb *tp, struct seg *s)
{
	seg_init(s, tp->tuple.family);
	memcpy(s->src, tp->tuple.laddr, sizeof(s->src));
	memcpy(s->dst, tp->tuple.raddr, sizeof(s->dst));
	s->sport = tp->tuple.lport;
	s->dport = tp->tuple.rport;
}

/*
 * A segment as the TCB would send it now, without payload: addresses, SEQ
 * SND.NXT (snd_max), ACK RCV.NXT once synchronized, the window, timestamps
 * and SACK blocks.  Changes nothing in the TCB.
 */
void
tcp_seg_init(struct tcb *tp, struct seg *s)
{
	seg_addrs(tp, s);
	s->seq = tp->snd_max;
	/* The options and scaled window of data segments once past
	 * SYN-RECEIVED (its FIN-WAIT-1 too: RFC 9293 3.10.4). */
	if (tcps_synchronized(tp->state) && (seq_gt(tp->snd_una, tp->iss) ||
	    tp->state != TCPS_SYN_RECEIVED)) {
		s->flags = SEG_ACK;
		s->ack = tp->rcv_nxt;
		s->win = tcp_win_field(tp, 0);
		tcp_opt_data(tp, s);
	} else if (tcps_synchronized(tp->state)) {
		s->flags = SEG_ACK;
		s->ack = tp->rcv_nxt;
		s->win = tcp_win_field(tp, 1);
	}
}

/* Every segment of a TCB leaves here. */
void
tcp_emit(struct tcb *tp, struct seg *s, const char *what)
{
	struct tcp_stack	*st = tp->stack;
	struct tcp_evnode	*n;
	uint32_t		 edge, scale;

	if (s->flags & SEG_ACK) {
		tp->last_ack_sent = s->ack;
		scale = (s->flags & SEG_SYN) ? 0 : tp->rcv_scale;
		edge = s->ack + ((uint32_t)s->win << scale);
		if (seq_gt(edge, tp->rcv_adv) || tp->hooks.win_set ||
		    (s->flags & SEG_SYN))
			tp->rcv_adv = edge;
		tp->flags &= ~(TF_ACKNOW | TF_DELACK | TF_ACKFORCE);
		tp->dsack_set = 0;
		if (tp->timer[TT_DELACK])
			tcp_timer_clear(tp, TT_DELACK);
	}
	if (what == NULL)
		what = st->out_what;
	if (tp->hooks.out_filter != NULL &&
	    tp->hooks.out_filter(tp, s, tp->hooks.out_arg) != 0)
		return;
	if ((s->flags & (SEG_ACK | SEG_SYN | SEG_RST)) == SEG_ACK)
		tp->flags |= TF_ACK_SENT;
	tp->stats.segs_out++;
	tp->stats.bytes_out += s->len;
	n = tcp_ev_push(st, TCP_EV_SEG_OUT, tp, s, what);
	n->output = 1;
}

/* Send what the windows allow, and any ACK that is due. */
void
tcp_do_output(struct tcb *tp)
{
	int	i;

	if ((tp->flags & TF_DEAD) || tp->state == TCPS_CLOSED ||
	    tp->state == TCPS_LISTEN)
		return;
	/* Bounded, in case a hook keeps the loop from making progress. */
	for (i = 0; i < 100000; i++)
		if (!output_one(tp))
			break;
}

/*
 * A zero send window with data waiting: no retransmission then, but the
 * persist timer probes the window (RFC 9293 3.8.6.1, MUST-35/36).  Returns 1
 * when nothing but a forced probe may be sent.
 */
static int
zero_window(struct tcb *tp)
{
	if (tp->snd_wnd != 0 || tp->snd.len == 0 || (tp->flags & TF_FORCE))
		return 0;
	if (!tp->timer[TT_PERSIST]) {
		tcp_timer_clear(tp, TT_REXMT);
		tp->rxtshift = 0;
		tp->snd_nxt = tcp_data_base(tp);
		tcp_persist_set(tp);
	}
	return 1;
}

/*
 * Sender SWS avoidance, RFC 9293 3.8.6.2.1 (MUST-38): send "if a maximum-
 * sized segment can be sent", or "if the data is pushed and all queued data
 * can be sent now" (every SEND pushes here; with the Nagle hook, only when
 * nothing is outstanding, 3.7.4), or "if at least a fraction Fs of the
 * maximum window can be sent" (Fs = 1/2), or when the persist timer forces
 * it.  Retransmissions go as they are.
 */
static int
sws_ok(const struct tcb *tp, uint32_t len, uint32_t avail)
{
	if (len >= eff_mss(tp) || (tp->flags & TF_FORCE) ||
	    seq_lt(tp->snd_nxt, tp->snd_max))
		return 1;
	if (len == avail && (!tp->hooks.nagle || tp->snd_una == tp->snd_max))
		return 1;
	return tp->max_snd_wnd > 0 && len >= tp->max_snd_wnd / 2;
}

/* One segment; returns 1 when it sent data and more may follow. */
static int
output_one(struct tcb *tp)
{
	uint16_t	flags = tcp_outflags[tp->state];
	uint32_t	base, off, avail, win, usable, len, end, nx;
	int		fin, ack;

	if (flags & SEG_SYN) {
		if (tp->snd_nxt == tp->iss) {
			send_syn(tp, flags);
			return 0;
		}
		return 0;	/* nothing but the SYN before it is ACKed */
	}
	if (!seq_gt(tp->snd_una, tp->iss)) {
		/*
		 * Nothing but the SYN before it is ACKed, except the FIN of a
		 * CLOSE in SYN-RECEIVED (RFC 9293 3.10.4), which follows it
		 * at ISS+1; a retransmission from SND.UNA sends the SYN,ACK
		 * again first.
		 */
		if (!(tp->flags & TF_FIN_QUEUED) || tp->snd_max == tp->iss)
			return 0;
		if (tp->snd_nxt == tp->iss) {
			send_syn(tp, SEG_SYN | SEG_ACK);
			return 1;
		}
	}
	base = tcp_data_base(tp);
	if (seq_lt(tp->snd_nxt, base))
		tp->snd_nxt = base;
	if ((tp->flags & TCPF_SACK) && seq_lt(tp->snd_nxt, tp->snd_max))
		while (tcp_sacked(tp, tp->snd_nxt, &end))
			tp->snd_nxt = seq_min(end, tp->snd_max);
	off = tp->snd_nxt - base;
	avail = tp->snd.len > off ? (uint32_t)tp->snd.len - off : 0;
	win = tp->cwnd;
	/* Limited transmit (RFC 3042): on each of the first two duplicate
	 * ACKs one more new segment may go, "if the receiver's advertised
	 * window allows", so that a loss in a small window still draws the
	 * third duplicate ACK.  cwnd itself does not change. */
	if (!(tp->flags & TF_RECOVERY) && tp->dupacks > 0 &&
	    tp->dupacks < 3 && !tp->hooks.no_retransmit)
		win += (uint32_t)tp->dupacks * tp->t_maxseg;
	if (tp->snd_wnd < win)
		win = tp->snd_wnd;
	if (zero_window(tp))
		win = 0;
	else if ((tp->flags & TF_FORCE) && tp->snd_wnd == 0)
		win = 1;
	usable = seq_gt(tp->snd_una + win, tp->snd_nxt) ?
	    tp->snd_una + win - tp->snd_nxt : 0;
	len = avail < usable ? avail : usable;
	if (len > eff_mss(tp))
		len = eff_mss(tp);
	/* A retransmission stops where SACKed data starts (RFC 2018 5). */
	if ((tp->flags & TCPF_SACK) && seq_lt(tp->snd_nxt, tp->snd_max) &&
	    tcp_sack_next(tp, tp->snd_nxt, &nx) && nx - tp->snd_nxt < len)
		len = nx - tp->snd_nxt;
	if (len > 0 && !sws_ok(tp, len, avail)) {
		/* Held back; the persist timer sees that it goes some day
		 * if no ACK comes to clock it out. */
		len = 0;
		if (!tp->timer[TT_REXMT] && !tp->timer[TT_PERSIST])
			tcp_persist_set(tp);
	}
	fin = (flags & SEG_FIN) && (tp->flags & TF_FIN_QUEUED) &&
	    !(tp->flags & TF_FIN_HELD) && off + len == tp->snd.len;
	ack = (tp->flags & TF_ACKNOW) &&
	    (!tp->hooks.no_auto_ack || (tp->flags & TF_ACKFORCE));
	if (len == 0 && !fin && !ack) {
		tp->flags &= ~TF_ACKNOW;
		return 0;
	}
	send_data(tp, tp->snd_nxt, len, fin, NULL);
	tp->snd_nxt += len + (fin ? 1 : 0);
	tp->flags &= ~TF_FORCE;
	return len > 0 && !fin;
}

static void
send_syn(struct tcb *tp, uint16_t flags)
{
	struct seg	s;
	const char	*what = NULL;

	seg_addrs(tp, &s);
	s.seq = tp->iss;
	s.flags = flags;
	s.ack = (flags & SEG_ACK) ? tp->rcv_nxt : 0;
	s.win = tcp_win_field(tp, 1);
	tcp_opt_syn(tp, &s);
	if (tp->snd_max != tp->iss) {
		tp->stats.rexmits++;
		tp->flags &= ~TF_TIMING;	/* Karn */
		what = "retransmission";
	} else {
		tp->flags |= TF_TIMING;
		tp->rtt_start = tp->stack->now;
		tp->rtt_seq = tp->iss + 1;
	}
	tp->snd_nxt = tp->iss + 1;
	if (seq_gt(tp->snd_nxt, tp->snd_max))
		tp->snd_max = tp->snd_nxt;
	if (!tp->timer[TT_REXMT])
		tcp_timer_set(tp, TT_REXMT, tcp_rto_cur(tp));
	tcp_emit(tp, &s, what);
}

/*
 * A data (or FIN, or pure ACK) segment at seq.  Karn's rule (RFC 6298 3):
 * a retransmission ends the RTT measurement it overlaps; a measurement
 * starts only on new data.  RFC 6298 (5.1): the timer starts when a
 * segment with data goes out and it is not running.
 */
static void
send_data(struct tcb *tp, uint32_t seq, uint32_t len, int fin,
    const char *what)
{
	struct seg	s;
	uint32_t	off = seq - tcp_data_base(tp), end;
	int		rexmit = seq_lt(seq, tp->snd_max);

	tcp_seg_init(tp, &s);
	s.seq = seq;
	if (fin)
		s.flags |= SEG_FIN;
	/* MUST-61: PSH on the segment that empties the send buffer. */
	if (len > 0 && off + len == tp->snd.len)
		s.flags |= SEG_PSH;
	s.data = len > 0 ? tp->snd.p + tp->snd.off + off : NULL;
	s.len = len;
	/* RFC 9293 3.8.5: while urgent data lies ahead, every segment says
	 * where it ends (MUST-62: the octet following it). */
	if ((tp->flags & TF_SND_URG) && seq_gt(tp->snd_up, seq)) {
		s.flags |= SEG_URG;
		s.urp = tp->snd_up - seq > 65535 ? 65535 :
		    (uint16_t)(tp->snd_up - seq);
	}
	end = seq + len + (fin ? 1 : 0);
	if (rexmit && (len > 0 || fin)) {
		tp->stats.rexmits++;
		if (what == NULL && tp->stack->out_what == NULL)
			what = "retransmission";
		if ((tp->flags & TF_TIMING) && seq_lt(seq, tp->rtt_seq))
			tp->flags &= ~TF_TIMING;
	} else if ((len > 0 || fin) && !(tp->flags & TF_TIMING)) {
		tp->flags |= TF_TIMING;
		tp->rtt_start = tp->stack->now;
		tp->rtt_seq = end;
	}
	if (fin) {
		tp->flags |= TF_FIN_SENT;
		tp->fin_seq = seq + len;
	}
	if (seq_gt(end, tp->snd_max))
		tp->snd_max = end;
	if ((len > 0 || fin) && !tp->timer[TT_REXMT] && !tp->timer[TT_PERSIST])
		tcp_timer_set(tp, TT_REXMT, tcp_rto_cur(tp));
	tcp_emit(tp, &s, what);
}

/*
 * Retransmit one segment from seq (fast retransmit, recovery): at most a
 * full segment, stopping at SACKed data.  Returns the sequence number after
 * it, or seq when there was nothing to send.
 */
uint32_t
tcp_rexmit_one(struct tcb *tp, uint32_t seq, const char *what)
{
	uint32_t	base = tcp_data_base(tp), off, len, nx;
	int		fin;

	if (seq_lt(seq, base))
		seq = base;
	off = seq - base;
	len = tp->snd.len > off ? (uint32_t)tp->snd.len - off : 0;
	if (len > eff_mss(tp))
		len = eff_mss(tp);
	if ((tp->flags & TCPF_SACK) && tcp_sack_next(tp, seq, &nx) &&
	    nx - seq < len)
		len = nx - seq;
	fin = (tp->flags & TF_FIN_SENT) && seq + len == tp->fin_seq;
	if (len == 0 && !fin)
		return seq;
	send_data(tp, seq, len, fin, what);
	if (seq_lt(tp->snd_nxt, seq + len + (fin ? 1 : 0)))
		tp->snd_nxt = seq + len + (fin ? 1 : 0);
	return seq + len + (fin ? 1 : 0);
}

/* The SYN (or SYN-ACK) again, now. */
void
tcp_rexmit_syn(struct tcb *tp, const char *what)
{
	tp->snd_nxt = tp->iss;
	tp->stack->out_what = what;
	tcp_do_output(tp);
	tp->stack->out_what = NULL;
}

/* A control segment of the TCB with exactly these numbers and flags. */
void
tcp_send_ctl(struct tcb *tp, uint32_t seq, uint32_t ack, uint16_t flags,
    const char *what)
{
	struct seg	s;

	if (flags & SEG_RST) {
		seg_addrs(tp, &s);
		s.ack = (flags & SEG_ACK) ? ack : 0;
	} else
		tcp_seg_init(tp, &s);
	s.seq = seq;
	s.ack = ack;
	s.flags = flags;
	tcp_emit(tp, &s, what);
}

/*
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>: the answer to an unacceptable
 * segment (RFC 9293 3.10.7.4 first), the challenge ACK of RFC 5961 (second
 * and fourth), the answer to an ACK of unsent data (fifth).  RFC 5961 7
 * suggests rate-limiting challenge ACKs; a tester wants to see every one,
 * so none is throttled.
 */
void
tcp_send_challenge_ack(struct tcb *tp, const char *what)
{
	if (tp->hooks.no_auto_ack)
		return;
	tcp_send_ctl(tp, tp->snd_max, tp->rcv_nxt, SEG_ACK, what);
}

/*
 * The RST that answers s (RFC 9293 3.5.2): "If the incoming segment has an
 * ACK field, the reset takes its sequence number from the ACK field of the
 * segment; otherwise, the reset has sequence number zero and the ACK field
 * is set to the sum of the sequence number and segment length of the
 * incoming segment."  Never in answer to a RST ("In no case does receipt of
 * a segment containing RST give rise to a RST in response", section 4).
 */
/*
 * The reset that answers s from a port with no connection, RFC 9293
 * 3.10.7.1: "If the ACK bit is off, sequence number zero is used,
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.  If the ACK bit is on,
 * <SEQ=SEG.ACK><CTL=RST>".
 */
void
tcp_reset_for(struct seg *r, const struct seg *s)
{
	seg_init(r, s->family);
	memcpy(r->src, s->dst, sizeof(r->src));
	memcpy(r->dst, s->src, sizeof(r->dst));
	r->sport = s->dport;
	r->dport = s->sport;
	if (s->flags & SEG_ACK) {
		r->seq = s->ack;
		r->flags = SEG_RST;
	} else {
		r->seq = 0;
		r->ack = s->seq + seg_seqlen(s);
		r->flags = SEG_RST | SEG_ACK;
	}
}

void
tcp_send_rst_for(struct tcp_stack *st, struct tcb *tp, const struct seg *s,
    const char *what)
{
	struct seg		 r;
	struct tcp_evnode	*n;

	if (s->flags & SEG_RST)
		return;
	if (tp != NULL ? tp->hooks.no_rst : st->cfg.no_rst)
		return;
	tcp_reset_for(&r, s);
	if (tp != NULL)
		tp->stats.segs_out++;
	n = tcp_ev_push(st, TCP_EV_SEG_OUT, tp, &r, what);
	n->output = 1;
}

/*
 * The FIN is released: it follows the queued data, and the state moves as
 * RFC 9293 3.10.4 says for CLOSE ("enter FIN-WAIT-1", "enter LAST-ACK").
 */
void
tcp_fin_release(struct tcb *tp)
{
	tp->flags |= TF_FIN_QUEUED;
	tp->flags &= ~TF_FIN_HELD;
	if (tp->state == TCPS_ESTABLISHED || tp->state == TCPS_SYN_RECEIVED)
		tcp_set_state(tp, TCPS_FIN_WAIT_1);
	else if (tp->state == TCPS_CLOSE_WAIT)
		tcp_set_state(tp, TCPS_LAST_ACK);
}
