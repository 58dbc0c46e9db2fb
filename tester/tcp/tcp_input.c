/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_input.c: SEGMENT ARRIVES, RFC 9293 section 3.10.7, in the RFC's own
 * order.  tcp_input() finds the TCB (connection table, then listeners) and
 * dispatches on its state through tcp_fsm[]: CLOSED (3.10.7.1), LISTEN
 * (3.10.7.2), SYN-SENT (3.10.7.3), and every other state (3.10.7.4), whose
 * steps are functions named for them: check_seq (first), check_rst
 * (second), check_syn (fourth), the per-state ACK handlers of ack_fsm[]
 * (fifth), check_urg (sixth), process_text (seventh) and tcp_fin_in
 * (eighth).  The third step, security, does not apply: the peer has no
 * compartments.
 *
 * With RFC 5961: RST and SYN are validated as its sections 3 and 4 say
 * (challenge ACKs), and the ACK value as its section 5 says (MAY-12).
 *
 * Every decision leaves a short phrase in st->in_what, which the report of
 * the segment carries (TCP_EV_SEG_IN): the peer never drops a segment
 * without saying so.
 */
#include <stdlib.h>
#include <string.h>

#include "seq.h"
#include "tcp_var.h"

/* What a step tells the one that called it. */
#define IN_CONT	0	/* go on with the next step */
#define IN_DROP	1	/* done with the segment; the TCB lives on */
#define IN_GONE	2	/* the TCB was deleted */

static void	 input_closed(struct tcp_stack *, struct tcb *, struct tcp_in *);
static void	 input_listen(struct tcp_stack *, struct tcb *, struct tcp_in *);
static void	 input_syn_sent(struct tcp_stack *, struct tcb *,
		    struct tcp_in *);
static void	 input_other(struct tcp_stack *, struct tcb *, struct tcp_in *);
static struct tcb *listen_fork(struct tcb *, const struct seg *);
static int	 acceptable(const struct tcb *, const struct tcp_in *);
static int	 check_seq(struct tcb *, struct tcp_in *);
static void	 unacceptable(struct tcb *, struct tcp_in *);
static void	 trim(struct tcb *, struct tcp_in *);
static int	 check_rst(struct tcb *, struct tcp_in *);
static int	 check_syn(struct tcb *, struct tcp_in *);
static int	 ack_syn_received(struct tcb *, struct tcp_in *);
static int	 ack_established(struct tcb *, struct tcp_in *);
static int	 ack_fin_wait_1(struct tcb *, struct tcp_in *);
static int	 ack_fin_wait_2(struct tcb *, struct tcp_in *);
static int	 ack_closing(struct tcb *, struct tcp_in *);
static int	 ack_last_ack(struct tcb *, struct tcp_in *);
static int	 ack_time_wait(struct tcb *, struct tcp_in *);
static int	 ack_5961(struct tcb *, struct tcp_in *);
static int	 our_fin_acked(const struct tcb *);
static void	 check_urg(struct tcb *, struct tcp_in *);
static void	 process_text(struct tcb *, struct tcp_in *);
static void	 ack_policy(struct tcb *);
static void	 ack_later(struct tcb *);
static void	 time_wait(struct tcb *);
static uint32_t	 choose_iss(struct tcb *);

/* SEGMENT ARRIVES, by state. */
static void (*const tcp_fsm[TCPS_N])(struct tcp_stack *, struct tcb *,
    struct tcp_in *) = {
	[TCPS_CLOSED] = input_closed,
	[TCPS_LISTEN] = input_listen,
	[TCPS_SYN_SENT] = input_syn_sent,
	[TCPS_SYN_RECEIVED] = input_other,
	[TCPS_ESTABLISHED] = input_other,
	[TCPS_FIN_WAIT_1] = input_other,
	[TCPS_FIN_WAIT_2] = input_other,
	[TCPS_CLOSE_WAIT] = input_other,
	[TCPS_CLOSING] = input_other,
	[TCPS_LAST_ACK] = input_other,
	[TCPS_TIME_WAIT] = input_other,
};

/* "Fifth, check the ACK field", by state (synchronized states only). */
static int (*const ack_fsm[TCPS_N])(struct tcb *, struct tcp_in *) = {
	[TCPS_SYN_RECEIVED] = ack_syn_received,
	[TCPS_ESTABLISHED] = ack_established,
	[TCPS_FIN_WAIT_1] = ack_fin_wait_1,
	[TCPS_FIN_WAIT_2] = ack_fin_wait_2,
	[TCPS_CLOSE_WAIT] = ack_established,
	[TCPS_CLOSING] = ack_closing,
	[TCPS_LAST_ACK] = ack_last_ack,
	[TCPS_TIME_WAIT] = ack_time_wait,
};

int
tcp_input(struct tcp_stack *st, const struct seg *s, uint64_t now)
{
	struct tcp_tuple	 t;
	struct tcp_evnode	*ev;
	struct tcb		*tp;
	struct tcp_in		 in;
	enum tcps		 before;

	tcp_enter(st, now);
	ev = tcp_ev_push(st, TCP_EV_SEG_IN, NULL, s, NULL);
	tcp_tuple_of_seg(s, &t);
	if ((tp = tcp_lookup(st, &t)) == NULL)
		tp = tcp_listener_lookup(st, &t);
	memset(&in, 0, sizeof(in));
	in.s = s;
	in.seq = s->seq;
	in.ack = s->ack;
	in.flags = s->flags;
	in.wnd = s->win;
	in.data = s->data;
	in.len = (uint32_t)s->len;
	before = tp != NULL ? tp->state : TCPS_CLOSED;
	/* "The window field in a SYN (i.e., a <SYN> or <SYN,ACK>) segment
	 * itself is never scaled" (RFC 7323 2.2); snd_scale is 0 unless
	 * scaling was negotiated. */
	if (tcps_synchronized(before) && !(s->flags & SEG_SYN))
		in.wnd = (uint32_t)s->win << tp->snd_scale;
	if (tp != NULL && before != TCPS_LISTEN) {
		tp->stats.segs_in++;
		tp->rcvtime = st->now;
		tp->keep_probes = 0;
	}
	st->in_tcb = tp;
	st->in_what = NULL;
	tcp_fsm[before](st, tp, &in);

	tp = st->in_tcb;
	if (tp != NULL && (tp->flags & (TF_RECV_PEND | TF_DEAD)) ==
	    TF_RECV_PEND) {
		tp->flags &= ~TF_RECV_PEND;
		tcp_ev_push(st, TCP_EV_RECV, tp, NULL, NULL)->ev.n =
		    tp->rcv.len;
	}
	ev->ev.tcb = tp;
	ev->ev.before = before;
	ev->ev.after = tp != NULL ? tp->state : TCPS_CLOSED;
	ev->ev.what = st->in_what != NULL ? st->in_what : "accepted";
	st->in_tcb = NULL;
	tcp_leave(st);
	return before != TCPS_CLOSED;
}

/*
 * RFC 9293 3.10.7.1: "If the state is CLOSED (i.e., TCB does not exist),
 * then all data in the incoming segment is discarded.  An incoming segment
 * containing a RST is discarded.  An incoming segment not containing a RST
 * causes a RST to be sent in response.  The acknowledgment and sequence
 * field values are selected to make the reset sequence acceptable to the
 * TCP endpoint that sent the offending segment."
 */
static void
input_closed(struct tcp_stack *st, struct tcb *tp, struct tcp_in *in)
{
	(void)tp;
	if (in->flags & SEG_RST) {
		st->in_what = "no connection: RST discarded";
		return;
	}
	if (st->cfg.no_rst) {
		st->in_what = "no connection: discarded (no RST: hook)";
		return;
	}
	tcp_send_rst_for(st, NULL, in->s, "no connection");
	st->in_what = "no connection: RST sent";
}

/*
 * RFC 9293 3.10.7.2: "If the state is LISTEN, then First, check for a RST
 * [...] An incoming RST should be ignored.  Second, check for an ACK [...]
 * An acceptable reset segment should be formed for any arriving ACK-bearing
 * segment [...] <SEQ=SEG.ACK><CTL=RST>.  Third, check for a SYN [...] Set
 * RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ, and any other control or
 * text should be queued for processing later.  ISS should be selected and a
 * SYN segment sent of the form: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> [...]
 * The connection state should be changed to SYN-RECEIVED.  Fourth, other
 * data or control: [...] Drop the segment and return."
 *
 * The listener stays: it forks a TCB for the new 4-tuple, which is where
 * "return this connection to LISTEN" later amounts to deleting the fork.
 */
static void
input_listen(struct tcp_stack *st, struct tcb *lp, struct tcp_in *in)
{
	struct tcb	*tp;

	if (in->flags & SEG_RST) {
		st->in_what = "LISTEN: RST ignored";
		return;
	}
	if (in->flags & SEG_ACK) {
		tcp_send_rst_for(st, lp, in->s, "ACK in LISTEN");
		st->in_what = "LISTEN: ACK answered with RST";
		return;
	}
	if (!(in->flags & SEG_SYN)) {
		st->in_what = "LISTEN: no SYN: dropped";
		return;
	}
	if ((tp = listen_fork(lp, in->s)) == NULL) {
		st->in_what = "LISTEN: no memory for a new connection: dropped";
		return;
	}
	st->in_tcb = tp;
	tp->stats.segs_in++;
	tp->rcvtime = st->now;
	tp->irs = in->seq;
	tp->rcv_nxt = in->seq + 1;
	tcp_opt_rcvd_syn(tp, in->s);
	tp->snd_wnd = in->wnd;		/* "never scaled" in a SYN */
	tp->max_snd_wnd = in->wnd;
	tp->snd_wl1 = in->seq;
	tp->iss = choose_iss(tp);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->iss;
	tp->recover = tp->iss;
	tp->state = TCPS_LISTEN;	/* so that the event reads LISTEN -> */
	tcp_set_state(tp, TCPS_SYN_RECEIVED);
	tcp_do_output(tp);
	/* Text or FIN on the SYN waits for ESTABLISHED, within our window. */
	if (in->len > 0 || (in->flags & SEG_FIN)) {
		uint32_t	wnd = tcp_rcv_wnd(tp), len = in->len;
		int		fin = (in->flags & SEG_FIN) != 0;

		if (len > wnd) {
			len = wnd;
			fin = 0;
		}
		tcp_reass_insert(tp, tp->rcv_nxt, in->data, len, fin);
	}
	st->in_what = "SYN: SYN-ACK sent";
}

/* A TCB for the new 4-tuple, with the listener's hooks and settings. */
static struct tcb *
listen_fork(struct tcb *lp, const struct seg *s)
{
	struct tcp_stack	*st = lp->stack;
	struct tcp_tuple	 t;
	struct tcb		*tp;
	size_t			 n;

	tcp_tuple_of_seg(s, &t);
	if ((tp = tcp_tcb_alloc(st, &t)) == NULL)
		return NULL;
	tp->hooks = lp->hooks;
	tp->hooks.syn_opts = NULL;
	if (lp->hooks.syn_opts_set && lp->hooks.syn_nopts > 0) {
		n = sizeof(*tp->hooks.syn_opts) * (size_t)lp->hooks.syn_nopts;
		if ((tp->hooks.syn_opts = malloc(n)) == NULL) {
			tp->hooks.syn_opts_set = 0;
			tp->hooks.syn_nopts = 0;
		} else
			memcpy(tp->hooks.syn_opts, lp->hooks.syn_opts, n);
	}
	tp->user = lp->user;
	tp->rcvbuf_max = lp->rcvbuf_max;
	tp->sndbuf_max = lp->sndbuf_max;
	tp->parent = lp;
	tp->flags |= TCPF_PASSIVE;
	tp->state = TCPS_SYN_RECEIVED;
	if (tcp_table_insert(tp, NULL) == -1) {
		tp->state = TCPS_CLOSED;
		tcp_delete(tp, TCP_R_ABORTED);
		return NULL;
	}
	tp->state = TCPS_CLOSED;
	tcp_ev_push(st, TCP_EV_NEW, tp, NULL, NULL);
	return tp;
}

/*
 * ISS: the case's, or RFC 6528 (RFC 9293 3.4.1, SHLD-1): "ISN = M + F(
 * localip, localport, remoteip, remoteport, secretkey)" where M is "a 4
 * microsecond timer" and F a keyed hash.
 */
static uint32_t
choose_iss(struct tcb *tp)
{
	if (tp->hooks.iss_set)
		return tp->hooks.iss;
	return (uint32_t)(tp->stack->now / 4) +
	    tcp_hash32(tp->stack, &tp->tuple, 0x697373);
}

uint32_t
tcp_choose_iss(struct tcb *tp)
{
	return choose_iss(tp);
}

/*
 * RFC 9293 3.10.7.3: "If the state is SYN-SENT, then First, check the ACK
 * bit: If the ACK bit is set, If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send
 * a reset (unless the RST bit is set, if so drop the segment and return)
 * <SEQ=SEG.ACK><CTL=RST> and discard the segment.  Return.  [...] Second,
 * check the RST bit: [...] If the ACK was acceptable, then signal to the
 * user "error: connection reset", drop the segment, enter CLOSED state,
 * delete TCB, and return.  Otherwise (no ACK), drop the segment and return.
 * [...] Fourth, check the SYN bit: [...] RCV.NXT is set to SEG.SEQ+1, IRS
 * is set to SEG.SEQ.  SND.UNA should be advanced to equal SEG.ACK (if there
 * is an ACK) [...] If SND.UNA > ISS (our SYN has been ACKed), change the
 * connection state to ESTABLISHED, form an ACK segment
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it. [...] If there are other
 * controls or text in the segment, then continue processing at the sixth
 * step under Section 3.10.7.4 [...] Otherwise, enter SYN-RECEIVED, form a
 * SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it. [...]
 * Fifth, if neither of the SYN or RST bits is set, then drop the segment
 * and return."
 *
 * RFC 5961's exact-sequence check for a RST in SYN-SENT (a SHOULD in the
 * second step) is not made: RCV.NXT is not known yet in SYN-SENT, and the
 * acceptable ACK already ties the RST to our SYN.
 */
static void
input_syn_sent(struct tcp_stack *st, struct tcb *tp, struct tcp_in *in)
{
	if ((in->flags & SEG_ACK) && (seq_le(in->ack, tp->iss) ||
	    seq_gt(in->ack, tp->snd_max))) {
		if (in->flags & SEG_RST) {
			st->in_what = "SYN-SENT: RST with bad ACK: dropped";
			return;
		}
		tcp_send_rst_for(st, tp, in->s, "bad ACK in SYN-SENT");
		st->in_what = "SYN-SENT: unacceptable ACK: RST sent";
		return;
	}
	if (in->flags & SEG_RST) {
		if (in->flags & SEG_ACK) {
			st->in_what = "SYN-SENT: RST: connection refused";
			tcp_delete(tp, TCP_R_REFUSED);
		} else
			st->in_what = "SYN-SENT: RST without ACK: dropped";
		return;
	}
	if (!(in->flags & SEG_SYN)) {
		st->in_what = "SYN-SENT: neither SYN nor RST: dropped";
		return;
	}
	tp->irs = in->seq;
	tp->rcv_nxt = in->seq + 1;
	tcp_opt_rcvd_syn(tp, in->s);
	in->seq++;
	in->flags &= ~SEG_SYN;
	if (!(in->flags & SEG_ACK)) {
		/* Simultaneous open (RFC 9293 3.5, Figure 8). */
		tp->flags |= TCPF_SIMOPEN;
		tp->snd_wnd = in->wnd;
		tp->max_snd_wnd = in->wnd;
		tp->snd_wl1 = in->s->seq;
		tp->snd_wl2 = in->ack;
		tcp_set_state(tp, TCPS_SYN_RECEIVED);
		if (in->len > 0 || (in->flags & SEG_FIN))
			tcp_reass_insert(tp, in->seq, in->data, in->len,
			    (in->flags & SEG_FIN) != 0);
		tcp_rexmit_syn(tp, "simultaneous open");
		st->in_what = "SYN in SYN-SENT: simultaneous open, SYN-ACK sent";
		return;
	}
	tcp_opt_negotiate(tp);
	tcp_ack_advance(tp, in->ack);
	tp->snd_wnd = in->wnd;
	tp->max_snd_wnd = in->wnd;
	tp->snd_wl1 = in->s->seq;
	tp->snd_wl2 = in->ack;
	/* The window our SYN offered, unscaled, is RCV.WND until our next
	 * segment says otherwise. */
	tp->rcv_adv = tp->rcv_nxt + tcp_win_field(tp, 1);
	tcp_set_state(tp, TCPS_ESTABLISHED);
	tp->flags |= TF_ACKNOW;
	st->in_what = "SYN-ACK: ESTABLISHED";
	tcp_established(tp);
	if (!(tp->flags & TF_DEAD) && (in->len > 0 ||
	    (in->flags & (SEG_URG | SEG_FIN)))) {
		trim(tp, in);
		check_urg(tp, in);
		process_text(tp, in);
	}
	tcp_do_output(tp);
}

/* RFC 9293 3.10.7.4 "Otherwise": the steps in order. */
static void
input_other(struct tcp_stack *st, struct tcb *tp, struct tcp_in *in)
{
	(void)st;
	if (check_seq(tp, in) != IN_CONT)
		return;
	if (check_rst(tp, in) != IN_CONT)
		return;
	if (check_syn(tp, in) != IN_CONT)
		return;
	if (!(in->flags & SEG_ACK)) {
		/* "if the ACK bit is off, drop the segment and return" */
		tp->stack->in_what = "no ACK bit: dropped";
		tp->stats.dropped++;
		return;
	}
	if (ack_fsm[tp->state](tp, in) != IN_CONT)
		return;
	check_urg(tp, in);
	process_text(tp, in);
	tcp_do_output(tp);
}

/*
 * Table 6, "Segment Acceptability Tests":
 *	len 0, wnd 0:	SEG.SEQ = RCV.NXT
 *	len 0, wnd >0:	RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *	len >0, wnd 0:	not acceptable
 *	len >0, wnd >0:	RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND or
 *			RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
 */
static int
acceptable(const struct tcb *tp, const struct tcp_in *in)
{
	uint32_t	len, wnd = tcp_rcv_wnd(tp);
	uint32_t	nxt = tp->rcv_nxt, seq = in->seq;

	len = in->len + ((in->flags & SEG_SYN) ? 1 : 0) +
	    ((in->flags & SEG_FIN) ? 1 : 0);

	if (len == 0 && wnd == 0)
		return seq == nxt;
	if (len == 0)
		return seq_ge(seq, nxt) && seq_lt(seq, nxt + wnd);
	if (wnd == 0)
		return 0;
	return (seq_ge(seq, nxt) && seq_lt(seq, nxt + wnd)) ||
	    (seq_ge(seq + len - 1, nxt) && seq_lt(seq + len - 1, nxt + wnd));
}

/*
 * "First, check sequence number", PAWS (RFC 7323 5.3) first.  "If the
 * RCV.WND is zero, no segments will be acceptable, but special allowance
 * should be made to accept valid ACKs, URGs, and RSTs": a segment that
 * starts at RCV.NXT into a zero window keeps its controls and loses its
 * text (and is acknowledged, RFC 9293 3.8.6.1).
 */
static int
check_seq(struct tcb *tp, struct tcp_in *in)
{
	int again = 0;

	if (tp->state == TCPS_SYN_RECEIVED && (in->flags & SEG_SYN) &&
	    !(in->flags & SEG_ACK) && in->seq == tp->irs) {
		/* Their SYN again: our SYN-ACK was lost.  It is acknowledged
		 * by the SYN-ACK, not by an ACK beyond our ISS. */
		tp->stats.dropped++;
		tcp_rexmit_syn(tp, "duplicate SYN");
		tp->stack->in_what = "duplicate SYN: SYN-ACK sent again";
		return IN_DROP;
	}
	if ((in->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK) &&
	    in->seq == tp->irs) {
		/* "If a segment's contents straddle the boundary between old
		 * and new, only the new parts are processed": the SYN is
		 * old, what follows it (an ACK, data) may be new.  This is
		 * how the SYN-ACK of a simultaneous open completes it (RFC
		 * 9293 Figure 8, line 6).  A SYN without ACK has nothing new
		 * to keep: it is an old duplicate, not acceptable, and gets
		 * its ACK from the first step (RFC 5961 4.2). */
		in->flags &= ~SEG_SYN;
		in->seq++;
		tp->flags |= TF_ACKNOW;
		/*
		 * Their SYN-ACK of our SYN again after our ACK of it went
		 * out: that ACK was lost, and they, still in SYN-RECEIVED,
		 * wait for it.  It goes again even with hooks.no_auto_ack,
		 * which a case turns on after the handshake to hold back its
		 * ACKs on an open connection: a target that never gets it
		 * resends its SYN-ACK and answers nothing else (an old SYN
		 * of handshake/syn-in-established drew a SYN-ACK, not the
		 * ACK the case waits for).  A case that never let that ACK
		 * go (retransmission/synack-backoff) still sees none; nor
		 * does a simultaneous open in SYN-RECEIVED.  Once PAWS has
		 * passed the segment.
		 */
		again = tp->state != TCPS_SYN_RECEIVED &&
		    in->ack == tp->iss + 1 && (tp->flags & TF_ACK_SENT);
	}
	if (tcp_paws_reject(tp, in->s)) {
		tp->stats.dropped++;
		tcp_send_challenge_ack(tp, "PAWS");
		tp->stack->in_what = "PAWS: TSval older than TS.Recent: "
		    "ACK sent, dropped";
		return IN_DROP;
	}
	if (again)
		tp->flags |= TF_ACKFORCE;
	if (!acceptable(tp, in)) {
		if (tcp_rcv_wnd(tp) == 0 && in->seq == tp->rcv_nxt) {
			in->len = 0;
			in->flags &= ~SEG_FIN;
			tp->flags |= TF_ACKNOW;
			tp->stack->in_what = "zero window: text dropped, "
			    "controls processed";
		} else {
			unacceptable(tp, in);
			return IN_DROP;
		}
	}
	tcp_ts_update(tp, in);
	trim(tp, in);
	return IN_CONT;
}

/*
 * "If an incoming segment is not acceptable, an acknowledgment should be
 * sent in reply (unless the RST bit is set, if so drop the segment and
 * return): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>".  In TIME-WAIT, a
 * retransmitted FIN also restarts the 2 MSL timeout (3.10.7.4 fifth,
 * "TIME-WAIT STATE").
 */
static void
unacceptable(struct tcb *tp, struct tcp_in *in)
{
	struct tcp_stack	*st = tp->stack;

	tp->stats.dropped++;
	if (in->flags & SEG_RST) {
		st->in_what = "RST out of window: dropped";
		return;
	}
	if (tp->state == TCPS_TIME_WAIT && (in->flags & SEG_FIN) &&
	    in->seq + seg_seqlen(in->s) == tp->rcv_nxt)
		time_wait(tp);
	/* RFC 2883 4: a receiver that reports duplicates puts the duplicate
	 * data first in the SACK option of the ACK it sends. */
	if (st->cfg.dsack && (tp->flags & TCPF_SACK) && in->len > 0 &&
	    seq_le(in->seq + in->len, tp->rcv_nxt)) {
		tp->dsack.left = in->seq;
		tp->dsack.right = in->seq + in->len;
		tp->dsack_set = 1;
	}
	tcp_send_challenge_ack(tp, "not acceptable");
	st->in_what = "not acceptable: ACK sent, dropped";
}

/*
 * "In the following it is assumed that the segment is the idealized
 * segment that begins at RCV.NXT and does not exceed the window.  One could
 * tailor actual segments to fit this assumption by trimming off any
 * portions that lie outside the window (including SYN and FIN)".
 */
static void
trim(struct tcb *tp, struct tcp_in *in)
{
	uint32_t	d, right = tp->rcv_nxt + tcp_rcv_wnd(tp);

	if (seq_lt(in->seq, tp->rcv_nxt)) {
		d = tp->rcv_nxt - in->seq;
		if (in->flags & SEG_SYN) {
			in->flags &= ~SEG_SYN;
			in->seq++;
			d--;
		}
		if (d >= in->len) {
			if (d > in->len)
				in->flags &= ~SEG_FIN;
			d = in->len;
		}
		in->data += d;
		in->len -= d;
		in->seq += d;
		tp->flags |= TF_ACKNOW;		/* a duplicate: ACK it */
	}
	if (seq_gt(in->seq + in->len, right)) {
		d = in->seq + in->len - right;
		in->len = d < in->len ? in->len - d : 0;
		in->flags &= ~SEG_FIN;
		tp->flags |= TF_ACKNOW;
	}
}

/*
 * "Second, check the RST bit", with RFC 5961 3: "1) If the RST bit is set
 * and the sequence number is outside the current receive window, silently
 * drop the segment [done by the first step].  2) If the RST bit is set and
 * the sequence number exactly matches the next expected sequence number
 * (RCV.NXT), then TCP endpoints MUST reset the connection in the manner
 * prescribed below according to the connection state.  3) If the RST bit
 * is set and the sequence number does not exactly match the next expected
 * sequence value, yet is within the current receive window, TCP endpoints
 * MUST send an acknowledgment (challenge ACK) [...] After sending the
 * challenge ACK, TCP endpoints MUST drop the unacceptable segment".
 */
static int
check_rst(struct tcb *tp, struct tcp_in *in)
{
	struct tcp_stack	*st = tp->stack;

	if (!(in->flags & SEG_RST))
		return IN_CONT;
	if (in->s->seq != tp->rcv_nxt) {
		tcp_send_challenge_ack(tp, "challenge ACK (RST)");
		st->in_what = "RST in window, not at RCV.NXT: challenge ACK";
		return IN_DROP;
	}
	switch (tp->state) {
	case TCPS_SYN_RECEIVED:
		/* "If this connection was initiated with a passive OPEN
		 * (i.e., came from the LISTEN state), then return this
		 * connection to LISTEN state and return. [...] If this
		 * connection was initiated with an active OPEN (i.e., came
		 * from SYN-SENT state), then the connection was refused". */
		if (tp->flags & TCPF_PASSIVE) {
			st->in_what = "RST in SYN-RECEIVED: back to LISTEN";
			tcp_set_state(tp, TCPS_LISTEN);
			tcp_delete(tp, TCP_R_LISTEN);
		} else {
			st->in_what = "RST in SYN-RECEIVED: connection refused";
			tcp_delete(tp, TCP_R_REFUSED);
		}
		break;
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_CLOSE_WAIT:
		/* "Users should also receive an unsolicited general
		 * "connection reset" signal.  Enter the CLOSED state, delete
		 * the TCB, and return." */
		st->in_what = "RST: connection reset";
		tcp_delete(tp, TCP_R_RESET);
		break;
	default:
		/* CLOSING, LAST-ACK, TIME-WAIT: "If the RST bit is set, then
		 * enter the CLOSED state, delete the TCB, and return." */
		st->in_what = "RST: connection closed";
		tcp_delete(tp, TCP_R_RESET);
		break;
	}
	return IN_GONE;
}

/*
 * "Fourth, check the SYN bit: SYN-RECEIVED STATE: If the connection was
 * initiated with a passive OPEN, then return this connection to the LISTEN
 * state and return.  Otherwise, handle per the directions for synchronized
 * states below. [...] If the SYN bit is set in these synchronized states
 * [...] irrespective of the sequence number, TCP endpoints MUST send a
 * "challenge ACK" to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
 * After sending the acknowledgment, TCP implementations MUST drop the
 * unacceptable segment and stop processing further."
 */
static int
check_syn(struct tcb *tp, struct tcp_in *in)
{
	struct tcp_stack	*st = tp->stack;

	if (!(in->flags & SEG_SYN))
		return IN_CONT;
	if (tp->state == TCPS_SYN_RECEIVED && (tp->flags & TCPF_PASSIVE)) {
		if (st->cfg.syn_rcvd_rst)
			tcp_send_rst_for(st, tp, in->s, "SYN in SYN-RECEIVED");
		st->in_what = "SYN in SYN-RECEIVED: back to LISTEN";
		tcp_set_state(tp, TCPS_LISTEN);
		tcp_delete(tp, TCP_R_LISTEN);
		return IN_GONE;
	}
	tcp_send_challenge_ack(tp, "challenge ACK (SYN)");
	st->in_what = "SYN in synchronized state: challenge ACK";
	return IN_DROP;
}

/*
 * RFC 5961 5 (RFC 9293 MAY-12, then MUST): "the ACK value is acceptable only
 * if it is in the range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT).
 * All incoming segments whose ACK value doesn't satisfy the above condition
 * MUST be discarded and an ACK sent back."
 */
static int
ack_5961(struct tcb *tp, struct tcp_in *in)
{
	if (seq_ge(in->ack, tp->snd_una - tp->max_snd_wnd) &&
	    seq_le(in->ack, tp->snd_max))
		return IN_CONT;
	tp->stats.dropped++;
	tcp_send_challenge_ack(tp, "ACK out of range");
	tp->stack->in_what = seq_gt(in->ack, tp->snd_max) ?
	    "ACK of unsent data: ACK sent, dropped" :
	    "ACK below SND.UNA - MAX.SND.WND: ACK sent, dropped";
	return IN_DROP;
}

/*
 * "SYN-RECEIVED STATE: If SND.UNA < SEG.ACK =< SND.NXT, then enter
 * ESTABLISHED state and continue processing with the variables below set
 * to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK.  If the
 * segment acknowledgment is not acceptable, form a reset segment
 * <SEQ=SEG.ACK><CTL=RST> and send it."  The RFC 5961 range check does not
 * come first here: SYN-RECEIVED is not synchronized for RST generation
 * (3.5.2: an ACK of something not yet sent draws a reset).
 */
static int
ack_syn_received(struct tcb *tp, struct tcp_in *in)
{
	if (!(seq_lt(tp->snd_una, in->ack) && seq_le(in->ack, tp->snd_max))) {
		tp->stats.dropped++;
		tcp_send_rst_for(tp->stack, tp, in->s, "bad ACK in SYN-RECEIVED");
		tp->stack->in_what = "SYN-RECEIVED: unacceptable ACK: RST sent";
		return IN_DROP;
	}
	tp->snd_wnd = in->wnd;
	tp->snd_wl1 = in->s->seq;
	tp->snd_wl2 = in->ack;
	if (tp->snd_wnd > tp->max_snd_wnd)
		tp->max_snd_wnd = tp->snd_wnd;
	tcp_set_state(tp, TCPS_ESTABLISHED);
	tp->stack->in_what = "ACK of SYN: ESTABLISHED";
	if (tcp_ack_input(tp, in) != 0)
		return IN_DROP;
	tcp_established(tp);
	return (tp->flags & TF_DEAD) ? IN_GONE : IN_CONT;
}

/*
 * "ESTABLISHED STATE: If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <-
 * SEG.ACK. [...] If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be
 * ignored.  If the ACK acks something not yet sent (SEG.ACK > SND.NXT),
 * then send an ACK, drop the segment, and return.  If SND.UNA =< SEG.ACK =<
 * SND.NXT, the send window should be updated." (tcp_ack.c).  CLOSE-WAIT:
 * "Do the same processing as for the ESTABLISHED state."
 */
static int
ack_established(struct tcb *tp, struct tcp_in *in)
{
	if (ack_5961(tp, in) != IN_CONT)
		return IN_DROP;
	return tcp_ack_input(tp, in) != 0 ? IN_DROP : IN_CONT;
}

static int
our_fin_acked(const struct tcb *tp)
{
	return (tp->flags & TF_FIN_SENT) && seq_gt(tp->snd_una, tp->fin_seq);
}

/* "FIN-WAIT-1 STATE: In addition to the processing for the ESTABLISHED
 * state, if the FIN segment is now acknowledged, then enter FIN-WAIT-2 and
 * continue processing in that state." */
static int
ack_fin_wait_1(struct tcb *tp, struct tcp_in *in)
{
	/*
	 * From SYN-RECEIVED (a CLOSE there sent the FIN): the first ACK of
	 * the SYN sets the send window as SYN-RECEIVED's would have.
	 */
	if (tp->snd_una == tp->iss && seq_gt(in->ack, tp->iss) &&
	    seq_le(in->ack, tp->snd_max)) {
		tp->snd_wnd = in->wnd;
		tp->snd_wl1 = in->s->seq;
		tp->snd_wl2 = in->ack;
		if (tp->snd_wnd > tp->max_snd_wnd)
			tp->max_snd_wnd = tp->snd_wnd;
	}
	if (ack_established(tp, in) != IN_CONT)
		return IN_DROP;
	if (our_fin_acked(tp))
		tcp_set_state(tp, TCPS_FIN_WAIT_2);
	return IN_CONT;
}

/* "FIN-WAIT-2 STATE: In addition to the processing for the ESTABLISHED
 * state, if the retransmission queue is empty, the user's CLOSE can be
 * acknowledged ("ok") but do not delete the TCB." */
static int
ack_fin_wait_2(struct tcb *tp, struct tcp_in *in)
{
	return ack_established(tp, in);
}

/* "CLOSING STATE: In addition to the processing for the ESTABLISHED state,
 * if the ACK acknowledges our FIN, then enter the TIME-WAIT state;
 * otherwise, ignore the segment." */
static int
ack_closing(struct tcb *tp, struct tcp_in *in)
{
	if (ack_established(tp, in) != IN_CONT)
		return IN_DROP;
	if (!our_fin_acked(tp)) {
		tp->stack->in_what = "CLOSING: FIN not acknowledged: ignored";
		return IN_DROP;
	}
	time_wait(tp);
	return IN_CONT;
}

/* "LAST-ACK STATE: The only thing that can arrive in this state is an
 * acknowledgment of our FIN.  If our FIN is now acknowledged, delete the
 * TCB, enter the CLOSED state, and return." */
static int
ack_last_ack(struct tcb *tp, struct tcp_in *in)
{
	if (ack_established(tp, in) != IN_CONT)
		return IN_DROP;
	if (!our_fin_acked(tp))
		return IN_CONT;
	tp->stack->in_what = "ACK of our FIN: closed";
	tcp_delete(tp, TCP_R_DONE);
	return IN_GONE;
}

/* "TIME-WAIT STATE: The only thing that can arrive in this state is a
 * retransmission of the remote FIN.  Acknowledge it, and restart the 2 MSL
 * timeout."  The retransmission lies below RCV.NXT, so the first step
 * already answered it (unacceptable()); a FIN at RCV.NXT is handled by the
 * eighth.  Anything else is left alone: acknowledging a bare ACK could
 * start an ACK loop. */
static int
ack_time_wait(struct tcb *tp, struct tcp_in *in)
{
	(void)tp;
	(void)in;
	return IN_CONT;
}

/*
 * "Sixth, check the URG bit: ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2: If the URG
 * bit is set, RCV.UP <- max(RCV.UP,SEG.UP), and signal the user that the
 * remote side has urgent data if the urgent pointer (RCV.UP) is in advance
 * of the data consumed.  If the user has already been signaled (or is still
 * in the "urgent mode") for this continuous sequence of urgent data, do not
 * signal the user again."  The pointer is SEG.SEQ + SEG.UP: "the sequence
 * number of the octet following the urgent data" (MUST-62).
 */
static void
check_urg(struct tcb *tp, struct tcp_in *in)
{
	uint32_t	up;

	if ((tp->flags & TF_DEAD) || !(in->flags & SEG_URG) ||
	    !tcps_receives_data(tp->state))
		return;
	up = in->s->seq + in->s->urp;
	if ((tp->flags & TF_URG_SEEN) && seq_le(tp->rcv_up, tp->rcv_nxt))
		tp->flags &= ~TF_URG_SEEN;	/* the last run is consumed */
	if (!seq_gt(up, tp->rcv_up) && (tp->flags & TF_URG_SEEN))
		return;
	if (seq_gt(up, tp->rcv_up) || tp->rcv_up == 0)
		tp->rcv_up = up;
	if (!(tp->flags & TF_URG_SEEN) && seq_gt(tp->rcv_up, tp->rcv_nxt)) {
		tp->flags |= TF_URG_SEEN;
		tcp_ev_push(tp->stack, TCP_EV_URG, tp, NULL, NULL);
	}
}

/*
 * "Seventh, process the segment text: ESTABLISHED STATE, FIN-WAIT-1 STATE,
 * FIN-WAIT-2 STATE: [...] Once the TCP endpoint takes responsibility for
 * the data, it advances RCV.NXT over the data accepted [...] Send an
 * acknowledgment of the form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> [...]
 * CLOSE-WAIT STATE, CLOSING STATE, LAST-ACK STATE, TIME-WAIT STATE: This
 * should not occur since a FIN has been received from the remote side.
 * Ignore the segment text."  Then the eighth step for a FIN in sequence.
 *
 * Out of order: held (SHLD-31) and acknowledged at once with SACK blocks, as
 * RFC 5681 4.2 asks ("A TCP receiver SHOULD send an immediate duplicate ACK
 * when an out-of-order segment arrives"), as does the ACK that fills a hole.
 */
static void
process_text(struct tcb *tp, struct tcp_in *in)
{
	int	fin = (in->flags & SEG_FIN) != 0, af = tp->hooks.ack_faults;

	if ((tp->flags & TF_DEAD) || (in->len == 0 && !fin))
		return;
	if (!tcps_receives_data(tp->state)) {
		if (in->len > 0)
			tp->stack->in_what = "text after the peer's FIN: ignored";
		if (fin && tp->state == TCPS_TIME_WAIT)
			time_wait(tp);
		if (fin)
			tp->flags |= TF_ACKNOW;
		return;
	}
	if (in->seq != tp->rcv_nxt) {
		if (af & TCP_AF_OOO_DROP) {
			tp->flags |= TF_ACKNOW;
			tp->stack->in_what = "out of order: dropped (fault), "
			    "ACK sent";
			return;
		}
		tcp_reass_insert(tp, in->seq, in->data, in->len, fin);
		tp->stats.ooo_segs++;
		if (af & TCP_AF_OOO_DELAY) {
			ack_later(tp);
			tp->stack->in_what = "out of order: queued, ACK "
			    "delayed (fault)";
			return;
		}
		tp->flags |= TF_ACKNOW;
		tp->stack->in_what = "out of order: queued, ACK sent";
		return;
	}
	tcp_deliver(tp, in->data, in->len);
	if (tp->flags & TF_DEAD)
		return;
	if (tp->reass != NULL) {
		/* The fault: this segment's ACK before the queue's. */
		if (af & TCP_AF_PIECEWISE)
			tcp_send_ctl(tp, tp->snd_max, tp->rcv_nxt, SEG_ACK,
			    "hole filled: ACK before the queue (fault)");
		/* A hole filled (or narrowed): ACK at once. */
		if (fin)
			tcp_reass_insert(tp, in->seq + in->len, NULL, 0, 1);
		tcp_reass_pull(tp);
		if (af & TCP_AF_FILL_DELAY)
			ack_later(tp);
		else
			tp->flags |= TF_ACKNOW;
		return;
	}
	if (fin)
		tcp_fin_in(tp);
	else if (in->len > 0)
		ack_policy(tp);
}

/*
 * ACK now, or delay: RFC 5681 4.2 and RFC 9293 3.8.6.3, "an ACK SHOULD be
 * generated for at least every second full-sized segment or 2*RMSS bytes
 * of new data" and the delay "MUST be less than 0.5 seconds" (MUST-40).
 */
static void
ack_policy(struct tcb *tp)
{
	if ((tp->flags & TF_DELACK) &&
	    !(tp->hooks.ack_faults & TCP_AF_NO_SECOND)) {
		tp->flags |= TF_ACKNOW;		/* the second segment */
		return;
	}
	ack_later(tp);
}

/*
 * An ACK on the delayed-ACK timer (this TCB's, or the stack's), started by
 * the first segment not yet acknowledged and never pushed back; at once
 * when there is no timer.
 */
static void
ack_later(struct tcb *tp)
{
	uint64_t	d = tp->hooks.delack_us != 0 ? tp->hooks.delack_us :
			    tp->stack->cfg.delack_us;

	if (d == 0) {
		tp->flags |= TF_ACKNOW;
		return;
	}
	if (tp->flags & TF_DELACK)
		return;
	tp->flags |= TF_DELACK;
	tcp_timer_set(tp, TT_DELACK, d);
}

/*
 * "Eighth, check the FIN bit: [...] If the FIN bit is set, signal the user
 * "connection closing" and return any pending RECEIVEs with same message,
 * advance RCV.NXT over the FIN, and send an acknowledgment for the FIN.
 * [...] SYN-RECEIVED STATE, ESTABLISHED STATE: Enter the CLOSE-WAIT state.
 * FIN-WAIT-1 STATE: If our FIN has been ACKed (perhaps in this segment),
 * then enter TIME-WAIT, start the time-wait timer, turn off the other
 * timers; otherwise, enter the CLOSING state.  FIN-WAIT-2 STATE: Enter the
 * TIME-WAIT state. [...] CLOSE-WAIT, CLOSING, LAST-ACK: Remain [...]
 * TIME-WAIT STATE: Remain in the TIME-WAIT state.  Restart the 2 MSL
 * time-wait timeout."
 */
void
tcp_fin_in(struct tcb *tp)
{
	tp->rcv_nxt++;
	tp->flags |= TCPF_RCVD_FIN | TF_ACKNOW | TF_RECV_PEND;
	switch (tp->state) {
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
		tcp_set_state(tp, TCPS_CLOSE_WAIT);
		break;
	case TCPS_FIN_WAIT_1:
		if (our_fin_acked(tp))
			time_wait(tp);
		else
			tcp_set_state(tp, TCPS_CLOSING);
		break;
	case TCPS_FIN_WAIT_2:
	case TCPS_TIME_WAIT:
		time_wait(tp);
		break;
	default:
		break;
	}
}

/*
 * Enter (or stay in) TIME-WAIT: other timers off, 2*MSL from now.  Both
 * directions are done, so the buffers go: a connection in TIME-WAIT costs
 * its TCB and nothing more (the application may still read what it has
 * not read).
 */
static void
time_wait(struct tcb *tp)
{
	int	i;

	tcp_buf_free(&tp->snd);
	if (tp->rcv.len == 0)
		tcp_buf_free(&tp->rcv);
	tcp_reass_free(tp);
	tcp_set_state(tp, TCPS_TIME_WAIT);
	for (i = 0; i < TCP_T_N; i++)
		if (i != TT_DELACK)
			tp->timer[i] = 0;
	tcp_timer_set(tp, TT_2MSL, tp->hooks.time_wait_us != 0 ?
	    tp->hooks.time_wait_us : 2 * tp->stack->cfg.msl_us);
}

/*
 * The handshake is over.  RFC 6298 (5.7): "If the timer expires awaiting
 * the ACK of a SYN segment and the TCP implementation is using an RTO less
 * than 3 seconds, the RTO MUST be re-initialized to 3 seconds when data
 * transmission begins"; the 3 s scale with the configured initial RTO, so
 * that a lab stack with short timers keeps them short.  Then what waited
 * for ESTABLISHED: text that came with the SYN, a held FIN, keep-alives.
 */
void
tcp_established(struct tcb *tp)
{
	const struct tcp_config	*c = &tp->stack->cfg;
	uint64_t		 three = 3 * c->rto_init_us;

	tp->rxtshift = 0;
	if ((tp->flags & TF_SYN_REXMT) && !(tp->flags & TF_RTT_VALID) &&
	    tp->rto < three)
		tp->rto = (uint32_t)(three < c->rto_max_us ? three : c->rto_max_us);
	if (tp->keep_idle_us != 0)
		tcp_timer_set(tp, TT_KEEP, tp->keep_idle_us);
	if (tp->reass != NULL)
		tcp_reass_pull(tp);
	if (tp->flags & TF_DEAD)
		return;
	if ((tp->flags & TF_FIN_HELD) && !tp->hooks.no_auto_fin)
		tcp_fin_release(tp);
}
