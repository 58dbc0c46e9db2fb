/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_timer.c: the timer queue and what each timer does when it fires
 * (RFC 9293 3.10.8): retransmission (with the RFC 6298 RTO), zero-window
 * probes, delayed ACKs, keep-alives and the end of TIME-WAIT.
 *
 * Each TCB has a handful of absolute deadlines; the stack keeps the TCBs in
 * a binary min-heap on the earliest one, so that tcp_next_timer() is O(1)
 * and setting a timer O(log n) whatever the number of connections.
 */
#include <stdint.h>
#include <stdlib.h>

#include "seq.h"
#include "tcp_var.h"

#define TCP_PERSIST_MAXSHIFT	16

static void	 heap_swap(struct tcp_stack *, size_t, size_t);
static void	 heap_up(struct tcp_stack *, size_t);
static void	 heap_down(struct tcp_stack *, size_t);
static int	 heap_insert(struct tcp_stack *, struct tcb *);
static void	 reschedule(struct tcb *);
static void	 fire(struct tcb *, int which);
static void	 timer_rexmt(struct tcb *);
static void	 timer_persist(struct tcb *);
static void	 timer_keep(struct tcb *);

static void
heap_swap(struct tcp_stack *st, size_t a, size_t b)
{
	struct tcb	*t = st->heap[a];

	st->heap[a] = st->heap[b];
	st->heap[b] = t;
	st->heap[a]->heap_idx = a;
	st->heap[b]->heap_idx = b;
}

static void
heap_up(struct tcp_stack *st, size_t i)
{
	while (i > 0 && st->heap[(i - 1) / 2]->deadline > st->heap[i]->deadline) {
		heap_swap(st, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct tcp_stack *st, size_t i)
{
	size_t	l, m;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < st->nheap && st->heap[l]->deadline < st->heap[m]->deadline)
			m = l;
		if (l + 1 < st->nheap &&
		    st->heap[l + 1]->deadline < st->heap[m]->deadline)
			m = l + 1;
		if (m == i)
			return;
		heap_swap(st, i, m);
		i = m;
	}
}

static int
heap_insert(struct tcp_stack *st, struct tcb *tp)
{
	struct tcb	**nh;
	size_t		 cap;

	if (st->nheap == st->heapcap) {
		cap = st->heapcap ? st->heapcap * 2 : 64;
		if ((nh = realloc(st->heap, cap * sizeof(*nh))) == NULL)
			return -1;
		st->heap = nh;
		st->heapcap = cap;
	}
	tp->heap_idx = st->nheap;
	st->heap[st->nheap++] = tp;
	heap_up(st, tp->heap_idx);
	return 0;
}

void
tcp_heap_remove(struct tcb *tp)
{
	struct tcp_stack	*st = tp->stack;
	size_t			 i = tp->heap_idx;

	if (i == SIZE_MAX)
		return;
	tp->heap_idx = SIZE_MAX;
	if (--st->nheap == i)
		return;
	st->heap[i] = st->heap[st->nheap];
	st->heap[i]->heap_idx = i;
	heap_up(st, i);
	heap_down(st, st->heap[i]->heap_idx);
}

/* Recompute the TCB's earliest deadline and its place in the heap. */
static void
reschedule(struct tcb *tp)
{
	uint64_t	d = 0;
	int		i;

	for (i = 0; i < TCP_T_N; i++)
		if (tp->timer[i] != 0 && (d == 0 || tp->timer[i] < d))
			d = tp->timer[i];
	if (d == 0) {
		tcp_heap_remove(tp);
		tp->deadline = 0;
		return;
	}
	tp->deadline = d;
	if (tp->heap_idx == SIZE_MAX) {
		if (heap_insert(tp->stack, tp) == -1)
			abort();
		return;
	}
	heap_up(tp->stack, tp->heap_idx);
	heap_down(tp->stack, tp->heap_idx);
}

void
tcp_timer_set(struct tcb *tp, int which, uint64_t delay_us)
{
	uint64_t	at = tp->stack->now + delay_us;

	if (tp->flags & TF_DEAD)
		return;
	tp->timer[which] = at != 0 ? at : 1;
	reschedule(tp);
}

void
tcp_timer_clear(struct tcb *tp, int which)
{
	if (tp->timer[which] == 0)
		return;
	tp->timer[which] = 0;
	reschedule(tp);
}

void
tcp_timer_clear_all(struct tcb *tp)
{
	int	i;

	for (i = 0; i < TCP_T_N; i++)
		tp->timer[i] = 0;
	tcp_heap_remove(tp);
	tp->deadline = 0;
}

uint64_t
tcp_next_timer(const struct tcp_stack *st)
{
	return st->nheap > 0 ? st->heap[0]->deadline : TCP_NO_TIMER;
}

void
tcp_timers_run(struct tcp_stack *st, uint64_t now)
{
	struct tcb	*tp;
	int		 i;

	tcp_enter(st, now);
	while (st->nheap > 0 && st->heap[0]->deadline <= st->now) {
		tp = st->heap[0];
		for (i = 0; i < TCP_T_N && !(tp->flags & TF_DEAD); i++) {
			if (tp->timer[i] != 0 && tp->timer[i] <= st->now) {
				tp->timer[i] = 0;
				fire(tp, i);
			}
		}
		if (!(tp->flags & TF_DEAD))
			reschedule(tp);
	}
	tcp_leave(st);
}

static void
fire(struct tcb *tp, int which)
{
	switch (which) {
	case TT_REXMT:
		timer_rexmt(tp);
		break;
	case TT_PERSIST:
		timer_persist(tp);
		break;
	case TT_DELACK:
		tp->flags |= TF_ACKNOW;
		tcp_do_output(tp);
		break;
	case TT_KEEP:
		timer_keep(tp);
		break;
	case TT_2MSL:
		/* "If the time-wait timeout expires on a connection, delete
		 * the TCB, enter the CLOSED state, and return." */
		tcp_delete(tp, TCP_R_DONE);
		break;
	}
}

/*
 * RFC 6298 (2.2)-(2.4): the first measurement R sets SRTT <- R, RTTVAR <-
 * R/2; later ones RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'| (RTTVAR first) and
 * SRTT <- 7/8 SRTT + 1/8 R'; then RTO <- SRTT + max(G, 4*RTTVAR), no less
 * than the floor (1 s, SHOULD; lower for lab use) and no more than the cap.
 */
void
tcp_rtt_sample(struct tcb *tp, uint64_t r)
{
	const struct tcp_config	*c = &tp->stack->cfg;
	uint64_t		 delta, v, rto;

	/* Karn's rule times only segments never retransmitted, so a true
	 * sample stays below the RTO; one beyond the cap comes from a clock
	 * the caller did not keep (tcp_stack_clock()): ignore it. */
	if (r > c->rto_max_us)
		return;
	if (!(tp->flags & TF_RTT_VALID)) {
		tp->srtt = (uint32_t)r;
		tp->rttvar = (uint32_t)(r / 2);
		tp->flags |= TF_RTT_VALID;
	} else {
		delta = tp->srtt > r ? tp->srtt - r : r - tp->srtt;
		tp->rttvar = (uint32_t)((3 * (uint64_t)tp->rttvar + delta) / 4);
		tp->srtt = (uint32_t)((7 * (uint64_t)tp->srtt + r) / 8);
	}
	v = 4 * (uint64_t)tp->rttvar;
	rto = tp->srtt + (v > TCP_CLOCK_G_US ? v : TCP_CLOCK_G_US);
	if (rto < c->rto_min_us)
		rto = c->rto_min_us;
	if (rto > c->rto_max_us)
		rto = c->rto_max_us;
	tp->rto = (uint32_t)rto;
}

/* The RTO with back-off (RFC 6298 5.5): doubled per expiry, capped. */
uint64_t
tcp_rto_cur(const struct tcb *tp)
{
	uint64_t	rto = tp->rto, max = tp->stack->cfg.rto_max_us;
	int		i;

	for (i = 0; i < tp->rxtshift && rto < max && !tp->hooks.no_backoff;
	    i++)
		rto *= 2;
	return rto < max ? rto : max;
}

/*
 * RFC 9293 3.10.8: "send the segment at the front of the retransmission
 * queue again, reinitialize the retransmission timer".  Here everything
 * from SND.UNA is sent again as the congestion window allows (go-back-N,
 * minus what the peer SACKed, which the scoreboard forgets now).  After
 * max_rexmits expirations in a row (syn_rexmits in the handshake) the
 * connection is given up (R2, RFC 9293 3.8.3); with r2_us, also once the
 * segment at the front went first r2_us ago: RFC 1122 4.2.3.5 lets R2 be
 * "measured in time units or as a count of retransmissions".  The time
 * is taken at the first expiry as now less the RTO then (tp->rto: no
 * back-off yet), and the last wait is cut short to end at R2 exactly.
 */
static void
timer_rexmt(struct tcb *tp)
{
	const struct tcp_config	*c = &tp->stack->cfg;
	uint64_t		 now = tp->stack->now, d, left;
	int			 limit;

	if (tp->hooks.no_retransmit || tp->snd_una == tp->snd_max)
		return;
	if (tp->rxtshift == 0)
		tp->rxt_first = now > tp->rto ? now - tp->rto : 0;
	limit = tcps_have_established(tp->state) ? c->max_rexmits :
	    c->syn_rexmits;
	if (++tp->rxtshift > limit ||
	    (c->r2_us != 0 && now - tp->rxt_first >= c->r2_us)) {
		tp->rxtshift = tp->rxtshift > limit ? limit : tp->rxtshift;
		tcp_delete(tp, TCP_R_TIMEOUT);
		return;
	}
	tp->stats.rto_expiries++;
	if (!tcps_have_established(tp->state))
		tp->flags |= TF_SYN_REXMT;
	tcp_cc_rto(tp);
	tp->flags &= ~TF_TIMING;	/* Karn: no sample from this */
	tp->snd_nxt = seq_gt(tp->snd_una, tp->iss) ? tp->snd_una : tp->iss;
	d = tcp_rto_cur(tp);
	if (c->r2_us != 0) {
		left = tp->rxt_first + c->r2_us - now;
		if (left < d)
			d = left;
	}
	tcp_timer_set(tp, TT_REXMT, d);
	tp->stack->out_what = "retransmission (RTO)";
	tcp_do_output(tp);
	tp->stack->out_what = NULL;
}

/*
 * "The transmitting host SHOULD send the first zero-window probe when a
 * zero window has existed for the retransmission timeout period (SHLD-29)
 * [...] and SHOULD increase exponentially the interval between successive
 * probes (SHLD-30)" (RFC 9293 3.8.6.1).
 */
void
tcp_persist_set(struct tcb *tp)
{
	uint64_t	d = tp->rto, max = tp->stack->cfg.rto_max_us;
	int		i;

	for (i = 0; i < tp->pshift && d < max &&
	    !tp->hooks.no_persist_backoff; i++)
		d *= 2;
	tcp_timer_set(tp, TT_PERSIST, d < max ? d : max);
}

/*
 * A probe is one byte of the data waiting, at SND.UNA.  The connection is
 * kept for as long as the peer answers (MUST-37): probes never give up.
 * With a window open, the timer only ends what SWS avoidance held back
 * while nothing was in flight to clock it out (3.8.6.2.1, "override").
 */
static void
timer_persist(struct tcb *tp)
{
	if (tp->snd.len == 0)
		return;
	if (tp->snd_wnd != 0) {
		tp->flags |= TF_FORCE;
		tcp_do_output(tp);
		tp->flags &= ~TF_FORCE;
		return;
	}
	if (tp->pshift < TCP_PERSIST_MAXSHIFT)
		tp->pshift++;
	tcp_persist_set(tp);
	tp->snd_nxt = tcp_data_base(tp);
	tp->flags |= TF_FORCE;
	tp->stack->out_what = "zero-window probe";
	tcp_do_output(tp);
	tp->stack->out_what = NULL;
	tp->flags &= ~TF_FORCE;
}

/*
 * RFC 9293 3.8.4: keep-alives only when nothing has been received for the
 * idle interval and no data is outstanding (MUST-26); a probe is
 * <SEQ=SND.UNA-1><ACK=RCV.NXT>, which the peer must acknowledge; one missed
 * answer is not taken as death (MUST-29): keep_count of them are.
 */
static void
timer_keep(struct tcb *tp)
{
	const struct tcp_config	*c = &tp->stack->cfg;
	uint64_t		 idle = tp->stack->now - tp->rcvtime;

	if (tp->keep_idle_us == 0 || !tcps_have_established(tp->state))
		return;
	if (tp->keep_probes == 0 && idle < tp->keep_idle_us) {
		tcp_timer_set(tp, TT_KEEP, tp->keep_idle_us - idle);
		return;
	}
	if (tp->snd_max != tp->snd_una) {
		tcp_timer_set(tp, TT_KEEP, tp->keep_intvl_us);
		return;
	}
	if (tp->keep_probes >= c->keep_count) {
		tcp_delete(tp, TCP_R_TIMEOUT);
		return;
	}
	tp->keep_probes++;
	tcp_send_ctl(tp, tp->snd_una - 1, tp->rcv_nxt, SEG_ACK, "keep-alive");
	tcp_timer_set(tp, TT_KEEP, tp->keep_intvl_us);
}

void
tcp_set_keepalive(struct tcb *tp, uint64_t idle_us, uint64_t intvl_us)
{
	uint64_t	idle;

	tp->keep_idle_us = idle_us;
	tp->keep_intvl_us = intvl_us != 0 ? intvl_us : idle_us;
	tp->keep_probes = 0;
	if (idle_us == 0 || (tp->flags & TF_DEAD)) {
		tcp_timer_clear(tp, TT_KEEP);
		return;
	}
	if (!tcps_have_established(tp->state))
		return;		/* tcp_established() starts it */
	/* MUST-26: the idle time counts from the last segment received. */
	idle = tp->stack->now - tp->rcvtime;
	tcp_timer_set(tp, TT_KEEP, idle < idle_us ? idle_us - idle : 1);
}
