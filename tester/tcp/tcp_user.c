/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_user.c: the calls of the application side (RFC 9293 3.10.1-3.10.5:
 * OPEN, SEND, RECEIVE, CLOSE, ABORT) and the hooks that act (raw segments,
 * a held FIN, an ACK on demand).  Each call brackets its work with
 * tcp_enter()/tcp_leave(), so that what it sends is reported and delivered
 * before it returns.
 */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "seq.h"
#include "tcp_var.h"

static int	 fail(char **err, const char *msg);
static int	 dead(struct tcb *, char **err);
static void	 window_update(struct tcb *);

static int
fail(char **err, const char *msg)
{
	if (err != NULL)
		*err = strdup(msg);
	return -1;
}

/* A TCB deleted earlier in this call is "connection does not exist". */
static int
dead(struct tcb *tp, char **err)
{
	if (!(tp->flags & TF_DEAD))
		return 0;
	return fail(err, "connection does not exist") == -1;
}

struct tcb *
tcp_new(struct tcp_stack *st, const struct tcp_tuple *t, char **err)
{
	struct tcp_tuple	 n = *t;
	struct tcb		*tp;

	if (t->family != AF_INET && t->family != AF_INET6) {
		fail(err, "tcp_new: family must be AF_INET or AF_INET6");
		return NULL;
	}
	if (t->family == AF_INET) {
		memset(n.laddr + 4, 0, 12);
		memset(n.raddr + 4, 0, 12);
	}
	if ((tp = tcp_tcb_alloc(st, &n)) == NULL) {
		fail(err, "insufficient resources");
		return NULL;
	}
	return tp;
}

/*
 * OPEN, active (RFC 9293 3.10.1): "An initial send sequence number (ISS) is
 * selected.  A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent.  Set
 * SND.UNA to ISS, SND.NXT to ISS+1, enter SYN-SENT state, and return."
 */
int
tcp_connect(struct tcb *tp, char **err)
{
	struct tcp_stack	*st = tp->stack;

	if (dead(tp, err))
		return -1;
	if (tp->state != TCPS_CLOSED)
		return fail(err, "connection already exists");
	if (tp->tuple.rport == 0)
		return fail(err, "remote socket unspecified");
	tcp_enter(st, st->now);
	tp->iss = tcp_choose_iss(tp);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->iss;
	tp->recover = tp->iss;
	tp->state = TCPS_SYN_SENT;
	if (tcp_table_insert(tp, err) == -1) {
		tp->state = TCPS_CLOSED;
		tcp_leave(st);
		return -1;
	}
	tp->state = TCPS_CLOSED;
	tcp_set_state(tp, TCPS_SYN_SENT);
	tcp_do_output(tp);
	tcp_leave(st);
	return 0;
}

/* OPEN, passive: "If passive, enter the LISTEN state and return." */
int
tcp_listen(struct tcb *tp, char **err)
{
	struct tcp_stack	*st = tp->stack;

	if (dead(tp, err))
		return -1;
	if (tp->state != TCPS_CLOSED)
		return fail(err, "connection already exists");
	tcp_enter(st, st->now);
	tp->state = TCPS_LISTEN;
	tcp_table_insert(tp, NULL);
	tp->state = TCPS_CLOSED;
	tcp_set_state(tp, TCPS_LISTEN);
	tcp_leave(st);
	return 0;
}

/*
 * SEND (RFC 9293 3.10.2): queued in SYN-SENT and SYN-RECEIVED, sent in
 * ESTABLISHED and CLOSE-WAIT; "error: connection closing" once our FIN is
 * queued.
 */
ssize_t
tcp_send(struct tcb *tp, const void *buf, size_t len, char **err)
{
	struct tcp_stack	*st = tp->stack;
	size_t			 room;

	if (dead(tp, err))
		return -1;
	if (tp->state == TCPS_CLOSED || tp->state == TCPS_LISTEN)
		return fail(err, "connection does not exist");
	if (!tcps_can_send(tp->state) || (tp->flags & TCPF_SHUT_WR))
		return fail(err, "connection closing");
	room = tp->sndbuf_max > tp->snd.len ? tp->sndbuf_max - tp->snd.len : 0;
	if (len > room)
		len = room;
	if (len == 0)
		return 0;
	if (tcp_buf_append(&tp->snd, buf, len) == -1)
		return fail(err, "insufficient resources");
	tcp_enter(st, st->now);
	tcp_do_output(tp);
	tcp_leave(st);
	return (ssize_t)len;
}

ssize_t
tcp_send_urgent(struct tcb *tp, const void *buf, size_t len, char **err)
{
	size_t	room;

	if (dead(tp, err))
		return -1;
	room = tp->sndbuf_max > tp->snd.len ? tp->sndbuf_max - tp->snd.len : 0;
	if (len > room)
		len = room;
	if (len > 0 && tcps_can_send(tp->state) &&
	    !(tp->flags & TCPF_SHUT_WR)) {
		tp->snd_up = tcp_data_base(tp) + (uint32_t)(tp->snd.len + len);
		tp->flags |= TF_SND_URG;
	}
	return tcp_send(tp, buf, len, err);
}

size_t
tcp_readable(const struct tcb *tp)
{
	return tp->rcv.len;
}

int
tcp_eof(const struct tcb *tp)
{
	return (tp->flags & TCPF_RCVD_FIN) && tp->rcv.len == 0;
}

/*
 * RECEIVE.  Reading frees buffer space; when the window we could offer has
 * grown by two segments or half the buffer since we last advertised it, a
 * window update goes out (RFC 9293 3.8.6.2.2, 3.8.6.3).
 */
size_t
tcp_recv(struct tcb *tp, void *buf, size_t len)
{
	struct tcp_stack	*st = tp->stack;

	if (tp->flags & TF_DEAD)
		return 0;
	if (len > tp->rcv.len)
		len = tp->rcv.len;
	if (len == 0)
		return 0;
	memcpy(buf, tp->rcv.p + tp->rcv.off, len);
	tcp_buf_consume(&tp->rcv, len);
	tcp_enter(st, st->now);
	window_update(tp);
	tcp_leave(st);
	return len;
}

static void
window_update(struct tcb *tp)
{
	uint32_t	adv, space, mss;

	if (!tcps_receives_data(tp->state) || tp->hooks.win_set)
		return;
	/* The fault of a TCP that ACKs only on its timer: no update either. */
	if (tp->hooks.ack_faults & TCP_AF_NO_WINUPD)
		return;
	adv = tcp_rcv_wnd(tp);
	space = tp->rcvbuf_max > tp->rcv.len ?
	    tp->rcvbuf_max - (uint32_t)tp->rcv.len : 0;
	mss = tp->t_maxseg;
	if (space > adv && (space - adv >= 2 * mss ||
	    space - adv >= tp->rcvbuf_max / 2)) {
		tp->flags |= TF_ACKNOW;
		tcp_do_output(tp);
	}
}

/*
 * CLOSE of the sending side.  RFC 9293 3.10.4: SYN-SENT and SYN-RECEIVED
 * queue it "for processing after entering ESTABLISHED state"; ESTABLISHED
 * "form[s] a FIN segment and send[s] it [...] enter FIN-WAIT-1";
 * CLOSE-WAIT "send a FIN segment, enter LAST-ACK state".
 */
int
tcp_shutdown(struct tcb *tp, char **err)
{
	struct tcp_stack	*st = tp->stack;

	if (dead(tp, err))
		return -1;
	if (tp->state == TCPS_CLOSED)
		return fail(err, "connection does not exist");
	if (tp->state == TCPS_LISTEN) {
		tcp_enter(st, st->now);
		tcp_delete(tp, TCP_R_DONE);
		tcp_leave(st);
		return 0;
	}
	if (tp->flags & TCPF_SHUT_WR)
		return 0;	/* "an "ok" response would be acceptable" */
	if (!tcps_can_send(tp->state))
		return fail(err, "connection closing");
	tcp_enter(st, st->now);
	tp->flags |= TCPF_SHUT_WR;
	/*
	 * RFC 9293 3.10.4, CLOSE in SYN-RECEIVED: "If no SENDs have been
	 * issued and there is no pending data to send, then form a FIN
	 * segment and send it, and enter FIN-WAIT-1 state; otherwise, queue
	 * for processing after entering ESTABLISHED state."  SYN-SENT has
	 * nothing to send a FIN with: it waits too.
	 */
	if (tp->hooks.no_auto_fin || (!tcps_have_established(tp->state) &&
	    !(tp->state == TCPS_SYN_RECEIVED && tp->snd.len == 0)))
		tp->flags |= TF_FIN_HELD;
	else {
		tcp_fin_release(tp);
		tcp_do_output(tp);
	}
	tcp_leave(st);
	return 0;
}

/*
 * CLOSE.  The application will read no more: unread data, or data that
 * arrives later, resets the connection ("If such a host issues a CLOSE call
 * while received data is still pending in TCP, or if new data is received
 * after CLOSE is called, its TCP SHOULD send a RST to show that data was
 * lost", RFC 1122 4.2.2.13; RFC 9293 SHLD-3).  SYN-SENT and LISTEN: "Delete
 * the TCB".
 */
int
tcp_close(struct tcb *tp, char **err)
{
	struct tcp_stack	*st = tp->stack;
	int			 rv;

	if (dead(tp, err))
		return -1;
	if (tp->state == TCPS_CLOSED)
		return fail(err, "connection does not exist");
	tcp_enter(st, st->now);
	tp->flags |= TCPF_APPCLOSED;
	if (tp->state == TCPS_SYN_SENT || tp->state == TCPS_LISTEN) {
		tcp_delete(tp, TCP_R_DONE);
		tcp_leave(st);
		return 0;
	}
	if (st->cfg.rst_unread && tcps_synchronized(tp->state) &&
	    (tp->rcv.len > 0 || tp->reass != NULL)) {
		if (!tp->hooks.no_rst)
			tcp_send_ctl(tp, tp->snd_max, 0, SEG_RST,
			    "close with unread data");
		tcp_delete(tp, TCP_R_ABORTED);
		tcp_leave(st);
		return 0;
	}
	tcp_buf_free(&tp->rcv);
	rv = 0;
	if (!(tp->flags & TCPF_SHUT_WR))
		rv = tcp_shutdown(tp, err);
	tcp_leave(st);
	return rv;
}

/*
 * ABORT (RFC 9293 3.10.5): in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1,
 * FIN-WAIT-2 and CLOSE-WAIT "Send a reset segment: <SEQ=SND.NXT><CTL=RST>";
 * in every state, delete the TCB.
 */
void
tcp_abort(struct tcb *tp)
{
	struct tcp_stack	*st = tp->stack;

	if (tp->flags & TF_DEAD)
		return;
	tcp_enter(st, st->now);
	if (tcps_synchronized(tp->state) && tp->state != TCPS_CLOSING &&
	    tp->state != TCPS_LAST_ACK && tp->state != TCPS_TIME_WAIT &&
	    !tp->hooks.no_rst)
		tcp_send_ctl(tp, tp->snd_max, 0, SEG_RST, "abort");
	tcp_delete(tp, TCP_R_ABORTED);
	tcp_leave(st);
}

int
tcp_pmtu(struct tcb *tp, uint32_t mtu)
{
	struct tcp_stack	*st = tp->stack;
	uint32_t		 hdr = tp->tuple.family == AF_INET6 ? 40 : 20;

	if (tp->flags & TF_DEAD)
		return 0;
	/* RFC 8201 4: IPv6 never below 1280; RFC 1191 3: IPv4 not below
	 * 68, the smallest datagram every link carries (RFC 791). */
	if (tp->tuple.family == AF_INET6 && mtu < 1280)
		mtu = 1280;
	if (mtu < 68)
		mtu = 68;
	if (mtu <= hdr + 20 || mtu - hdr - 20 >= tp->t_maxseg)
		return 0;
	tcp_enter(st, st->now);
	tp->t_maxseg = (uint16_t)(mtu - hdr - 20);
	/* What was sent at the old size was dropped on the path: send it
	 * again now, as a retransmission (no RTT sample, Karn). */
	if (tp->snd_una != tp->snd_max && tcps_have_established(tp->state)) {
		tp->flags &= ~TF_TIMING;
		tp->snd_nxt = tp->snd_una;
		st->out_what = "retransmission (path MTU)";
		tcp_do_output(tp);
		st->out_what = NULL;
	}
	tcp_leave(st);
	return 1;
}

/* With no_auto_fin: the FIN that tcp_shutdown() or tcp_close() held. */
int
tcp_send_fin(struct tcb *tp, char **err)
{
	struct tcp_stack	*st = tp->stack;

	if (dead(tp, err))
		return -1;
	if (tp->flags & TF_FIN_QUEUED)
		return fail(err, "FIN already sent");
	if (tp->state != TCPS_ESTABLISHED && tp->state != TCPS_CLOSE_WAIT)
		return fail(err, "FIN possible only in ESTABLISHED or CLOSE-WAIT");
	tcp_enter(st, st->now);
	tp->flags |= TCPF_SHUT_WR;
	tcp_fin_release(tp);
	tcp_do_output(tp);
	tcp_leave(st);
	return 0;
}

void
tcp_ack_now(struct tcb *tp)
{
	struct tcp_stack	*st = tp->stack;

	if ((tp->flags & TF_DEAD) || !tcps_synchronized(tp->state))
		return;
	tcp_enter(st, st->now);
	if (tp->state == TCPS_SYN_RECEIVED)
		tcp_rexmit_syn(tp, "ACK on demand");
	else {
		tp->flags |= TF_ACKNOW | TF_ACKFORCE;
		tcp_do_output(tp);
	}
	tcp_leave(st);
}

void
tcp_output(struct tcb *tp)
{
	struct tcp_stack	*st = tp->stack;

	tcp_enter(st, st->now);
	tcp_do_output(tp);
	tcp_leave(st);
}

int
tcp_set_syn_opts(struct tcb *tp, const struct seg_opt *opts, int n,
    char **err)
{
	struct seg_opt	*copy = NULL;

	if (n > SEG_OPT_MAX)
		return fail(err, "more than 40 options");
	if (n > 0) {
		if ((copy = calloc((size_t)n, sizeof(*copy))) == NULL)
			return fail(err, "insufficient resources");
		memcpy(copy, opts, sizeof(*copy) * (size_t)n);
	}
	free(tp->hooks.syn_opts);
	tp->hooks.syn_opts = copy;
	tp->hooks.syn_nopts = n > 0 ? n : 0;
	tp->hooks.syn_opts_set = n >= 0;
	return 0;
}

void
tcp_seg_template(struct tcb *tp, struct seg *s)
{
	tcp_seg_init(tp, s);
	if (!tcps_synchronized(tp->state))
		s->seq = tp->snd_max;
}

/*
 * TCP_RAW_ADVANCE: the TCB counts the segment as its own.  Allowed only at
 * the edge of what was sent, so that the payload can join the send buffer
 * where it belongs and be retransmitted like any data.
 */
static int
raw_advance(struct tcb *tp, const struct seg *s, char **err)
{
	uint32_t	end = s->seq + seg_seqlen(s);

	if (s->seq != tp->snd_max || tp->snd_nxt != tp->snd_max ||
	    (tcps_synchronized(tp->state) && seq_gt(tp->snd_una, tp->iss) &&
	    tcp_data_base(tp) + tp->snd.len != tp->snd_max) ||
	    (tp->flags & TF_FIN_SENT))
		return fail(err, "TCP_RAW_ADVANCE: segment must start at "
		    "SND.NXT with all queued data sent");
	if (s->len > 0 && tcp_buf_append(&tp->snd, s->data, s->len) == -1)
		return fail(err, "insufficient resources");
	if (s->flags & SEG_FIN) {
		tp->flags |= TF_FIN_QUEUED | TF_FIN_SENT | TCPF_SHUT_WR;
		tp->fin_seq = s->seq + (uint32_t)s->len;
		tcp_fin_release(tp);
	}
	tp->snd_nxt = tp->snd_max = end;
	if (end != s->seq && !tp->timer[TT_REXMT])
		tcp_timer_set(tp, TT_REXMT, tcp_rto_cur(tp));
	if (s->flags & SEG_ACK)
		tp->last_ack_sent = s->ack;
	return 0;
}

int
tcp_send_raw(struct tcb *tp, const struct seg *s, unsigned how, char **err)
{
	struct tcp_stack	*st = tp->stack;
	struct tcp_evnode	*n;
	struct seg		 r = *s;

	if (dead(tp, err))
		return -1;
	r.family = tp->tuple.family;
	memcpy(r.src, tp->tuple.laddr, sizeof(r.src));
	memcpy(r.dst, tp->tuple.raddr, sizeof(r.dst));
	r.sport = tp->tuple.lport;
	r.dport = tp->tuple.rport;
	tcp_enter(st, st->now);
	if ((how & TCP_RAW_ADVANCE) && raw_advance(tp, &r, err) == -1) {
		tcp_leave(st);
		return -1;
	}
	tp->stats.segs_out++;
	tp->stats.bytes_out += r.len;
	n = tcp_ev_push(st, TCP_EV_SEG_OUT, tp, &r, "raw");
	n->output = 1;
	tcp_leave(st);
	return 0;
}

void
tcp_stack_send_raw(struct tcp_stack *st, const struct seg *s)
{
	tcp_enter(st, st->now);
	tcp_ev_push(st, TCP_EV_SEG_OUT, NULL, s, "raw")->output = 1;
	tcp_leave(st);
}
