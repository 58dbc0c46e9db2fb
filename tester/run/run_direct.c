/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_direct.c: the peer's directives (connect, listen, send, read,
 * shutdown, close, abort, wait, sleep, set, http, measure), the switches
 * they set on a connection's TCBs, and the agent's part before the first
 * statement.  The defaults and meaning of each are in tcpconform-case(5);
 * where the runner adds to it, the comment says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"

static int	d_connect(struct rcase *, const struct case_stmt *);
static int	d_listen(struct rcase *, const struct case_stmt *);
static int	d_send(struct rcase *, const struct case_stmt *,
		    const uint8_t *, uint32_t);
static int	send_more(struct rcase *, const struct case_stmt *);
static int	finish_check(struct rcase *, int, struct finding *, enum rwait);
static int	d_http(struct rcase *, const struct case_stmt *);
static int	d_read(struct rcase *, const struct case_stmt *);
static int	recv_check(struct rcase *, const struct case_stmt *);
static int	d_close(struct rcase *, const struct case_stmt *);
static int	d_wait(struct rcase *, const struct case_stmt *);
static int	state_check(struct rcase *, const struct case_stmt *);
static int	d_set(struct rcase *, const struct case_stmt *);
static void	window_to(const struct rconn *, struct tcb *);
static int	d_measure(struct rcase *, const struct case_stmt *);
static int	script_synack(const struct rcase *, int);
static uint64_t	avail(const struct rconn *);
static void	take(struct rconn *, uint64_t);

static uint8_t	scratch[CASE_LEN_MAX + 1];

/* A directive acts. */
int
rdir_begin(struct rcase *rc, const struct case_stmt *st)
{
	switch (st->kind) {
	case CASE_S_CONNECT:
		return d_connect(rc, st);
	case CASE_S_LISTEN:
		return d_listen(rc, st);
	case CASE_S_SEND:
		return d_send(rc, st, st->u.data.bytes, st->u.data.count);
	case CASE_S_READ:
		return d_read(rc, st);
	case CASE_S_SHUTDOWN:
	case CASE_S_CLOSE:
	case CASE_S_ABORT:
		return d_close(rc, st);
	case CASE_S_WAIT:
		return d_wait(rc, st);
	case CASE_S_SLEEP:
		rc->deadline = rc->act_cur + (uint64_t)st->u.duration;
		return rdir_cont(rc, st);
	case CASE_S_SET:
		return d_set(rc, st);
	case CASE_S_HTTP:
		return d_http(rc, st);
	case CASE_S_MEASURE:
		return d_measure(rc, st);
	default:
		rcase_fail(rc, st, FIND_ERROR, "not a directive");
		return RS_END;
	}
}

/* A directive that waits checks again. */
int
rdir_cont(struct rcase *rc, const struct case_stmt *st)
{
	switch (rc->wait_for) {
	case RW_STATE:
		return state_check(rc, st);
	case RW_RECV:
		return recv_check(rc, st);
	case RW_SEND:
		return send_more(rc, st);
	default:
		break;
	}
	if (st->kind == CASE_S_SLEEP) {
		if (rc->rn->now < rc->deadline)
			return rcase_block(rc, RW_SLEEP, rc->deadline);
		rc->tprev = rc->rn->now;
	}
	return RS_DONE;
}

/*
 * Connections
 */

/* Apply the connection's switches to one of its TCBs. */
void
rconn_hooks(struct rconn *c, struct tcb *tp)
{
	tp->user = c;
	tp->hooks.no_auto_ack = c->no_auto_ack;
	tp->hooks.no_retransmit = c->no_retransmit;
	tp->hooks.nagle = c->nagle;
	if (c->mss != 0)
		tp->hooks.mss = c->mss;
	if (c->nsynopts >= 0)
		tcp_set_syn_opts(tp, c->synopts, c->nsynopts, NULL);
	tp->hooks.out_filter = rconn_out_filter;
	tp->hooks.out_arg = c;
	if (c->window_set && c->window > tp->rcvbuf_max)
		tp->rcvbuf_max = c->window;
	/* tp may not be c->tcb yet (an active open being set up): a "set
	 * window" before "connect" is the SYN's window too. */
	window_to(c, tp);
	rconn_apply_window(c);
}

/*
 * "set window N" is in bytes: the field carries it scaled once window
 * scaling is in use (never in a SYN), and at most 65535 otherwise.
 */
static void
window_to(const struct rconn *c, struct tcb *tp)
{
	uint32_t w;

	if (!c->window_set || tp == NULL)
		return;
	w = c->window;
	if ((tp->flags & TCPF_WS) && tcps_have_established(tp->state))
		w >>= tp->rcv_scale;
	tp->hooks.win_set = 1;
	tp->hooks.win = (uint16_t)(w > 65535 ? 65535 : w);
}

void
rconn_apply_window(struct rconn *c)
{
	window_to(c, c->tcb);
	window_to(c, c->listener);
}

/*
 * Every segment a TCB of the connection sends passes here: the listener's
 * automatic SYN-ACK is dropped when the case writes it itself, and the SYN
 * of an active open from a '<' line gets the line's window and flags.
 */
int
rconn_out_filter(struct tcb *tp, struct seg *s, void *arg)
{
	struct rconn *c = arg;
	const struct case_seg *cs;

	(void)tp;
	if (c == NULL || c->rc->done)
		return 0;
	if ((s->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK) &&
	    c->script_synack && !c->synack_sent)
		return 1;
	if (!(s->flags & SEG_SYN))
		rconn_ts_apply(c, s, c->rc->rn->now);
	if ((s->flags & (SEG_SYN | SEG_ACK)) != SEG_SYN ||
	    (cs = c->syn_line) == NULL)
		return 0;
	if (cs->given & CASE_G_WIN)
		s->win = cs->win;
	if (cs->given & CASE_G_URG)
		s->urp = cs->urg;
	if (cs->given & CASE_G_FLAGS)
		s->flags = cs->flags;
	if ((cs->given & CASE_G_SEQ) && cs->len > 0) {
		run_fill(scratch, cs->len, 0);
		s->data = scratch;
		s->len = cs->len;
	}
	return 0;
}

/*
 * Timestamps of a connection whose SYN line wrote "TS val V" (RFC 7323
 * 5.3: the target drops segments whose TSval is "older" than the last it
 * saw, so the peer's clock must go on from V).
 */
void
rconn_ts_start(struct rconn *c, const struct case_seg *cs, uint64_t now)
{
	int i;

	if (!(cs->given & CASE_G_OPTS))
		return;
	for (i = 0; i < cs->opts.n; i++)
		if (cs->opts.v[i].kind == CASE_O_TS &&
		    !(cs->opts.v[i].wild & CASE_OW_VAL)) {
			c->ts_map = 1;
			c->ts_base = cs->opts.v[i].val;
			c->ts_t0 = now;
		}
}

void
rconn_ts_apply(const struct rconn *c, struct seg *s, uint64_t now)
{
	uint32_t v;
	int i;

	if (!c->ts_map || !(s->has & SEG_HAS_TS))
		return;
	v = c->ts_base + (uint32_t)((now - c->ts_t0) / 1000);
	s->tsval = v;
	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].kind == TCPOPT_TIMESTAMP && s->opts[i].len == 10) {
			s->opts[i].data[0] = (uint8_t)(v >> 24);
			s->opts[i].data[1] = (uint8_t)(v >> 16);
			s->opts[i].data[2] = (uint8_t)(v >> 8);
			s->opts[i].data[3] = (uint8_t)v;
			break;
		}
}

/* A child of the connection's listener: it becomes the connection. */
void
rconn_adopt(struct rconn *c, struct tcb *tp)
{
	if (c->tcb != NULL && !c->closed) {
		tp->user = NULL;
		tp->hooks.out_filter = NULL;
		return;
	}
	c->tcb = tp;
	c->opened = 1;
	c->closed = 0;
	c->eof = 0;
	c->fin_done = 0;
	c->rcvd = 0;
	c->autoread = 0;
	c->tuple.rport = tp->tuple.rport;
	c->rport_set = 1;
	rconn_hooks(c, tp);
	if (tp->iss != 0) {
		check_conn_isn(&c->obs, SEGDIR_TO_TARGET, tp->iss);
	}
}

/* Data or the target's FIN reached the peer's application. */
void
rconn_recv(struct rconn *c)
{
	struct tcb *tp = c->tcb;
	size_t n;

	if (tp == NULL)
		return;
	c->rcvd = tp->stats.bytes_in;
	if (c->auto_read)
		while ((n = tcp_recv(tp, scratch, sizeof(scratch))) > 0)
			c->autoread += n;
	if (c->auto_read && tcp_eof(tp))
		c->eof = 1;
	if (c->auto_fin && (c->eof || (tp->flags & TCPF_RCVD_FIN)) &&
	    !c->fin_done) {
		c->fin_done = 1;
		tcp_close(tp, NULL);
	}
}

/*
 * Directives
 */

static int
d_connect(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	int r;

	if ((r = rconn_open(rc, c, st, NULL)) != RS_DONE)
		return r;
	rc->deadline = rc->rn->now + (uint64_t)(st->timeout >= 0 ?
	    st->timeout : RUN_WAIT_STMT_US);
	rc->wait_for = RW_STATE;
	return state_check(rc, st);
}

static int
script_synack(const struct rcase *rc, int conn)
{
	const struct case_stmt *st;
	int i;

	for (i = 0; i < rc->prog->nstmts; i++) {
		st = &rc->prog->stmts[i];
		if (st->kind == CASE_S_PACKET && st->conn == conn &&
		    st->u.pkt.dir == CASE_DIR_IN &&
		    (st->u.pkt.alt[0].flags & (SEG_SYN | SEG_ACK)) ==
		    (SEG_SYN | SEG_ACK))
			return 1;
	}
	return 0;
}

static int
d_listen(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	struct tcp_tuple t = c->tuple;
	struct tcb *tp;
	char *err = NULL;

	if (c->listener != NULL) {
		rcase_fail(rc, st, FIND_ERROR, "already listening");
		return RS_END;
	}
	runner_sync(rc->rn);
	rconn_forget(c);
	memset(t.raddr, 0, sizeof(t.raddr));
	t.rport = 0;
	c->script_synack = script_synack(rc, c->idx);
	c->synack_sent = 0;
	if ((tp = tcp_new(rc->rn->stack, &t, &err)) == NULL) {
		rcase_fail(rc, st, FIND_ERROR, "listen: %s", err);
		free(err);
		return RS_END;
	}
	c->listener = tp;
	c->opened = 1;
	rconn_hooks(c, tp);
	if (tcp_listen(tp, &err) == -1) {
		c->listener = NULL;
		tcp_abort(tp);
		rcase_fail(rc, st, FIND_ERROR, "listen: %s", err);
		free(err);
		return RS_END;
	}
	rc->tprev = rc->rn->now;
	return RS_DONE;
}

/* Queue bytes (or count bytes of the filler) on the connection. */
/*
 * The end of a waiting statement (send, receive, state), once check/ has
 * answered: OK moves the case's clock on and the statement is done; FOUND
 * records the finding and ends the case; otherwise wait until the deadline.
 */
static int
finish_check(struct rcase *rc, int r, struct finding *f, enum rwait wait)
{
	if (r == CHECK_OK) {
		rc->tprev = rc->rn->now;
		return RS_DONE;
	}
	if (r == CHECK_FOUND) {
		rcase_record(rc, f);
		return RS_END;
	}
	return rcase_block(rc, wait, rc->deadline);
}

static int
d_send(struct rcase *rc, const struct case_stmt *st, const uint8_t *bytes,
    uint32_t len)
{
	struct rconn *c = rcase_conn(rc, st);
	struct check_send o = { 0, 0, c->closed, NULL, NULL, 0, len, 0 };
	struct finding f;

	if (c->tcb == NULL) {
		check_send(rc->prog, st, &o, &f);
		rcase_record(rc, &f);
		return RS_END;
	}
	rc->send_bytes = bytes;
	rc->send_len = len;
	rc->send_done = 0;
	rc->deadline = rc->rn->now + RUN_WAIT_STMT_US;
	return send_more(rc, st);
}

/*
 * Give the send buffer what it takes; check_send() says whether all of it
 * went, the connection closed or failed, or the target's window stayed
 * closed too long.
 */
static int
send_more(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	struct check_send o;
	struct finding f;
	const uint8_t *p;
	char *err = NULL;
	uint32_t n;
	ssize_t k;
	int r;

	runner_sync(rc->rn);
	while (rc->send_done < rc->send_len && c->tcb != NULL) {
		n = rc->send_len - rc->send_done;
		if (n > sizeof(scratch) - 1)
			n = sizeof(scratch) - 1;
		if (rc->send_bytes != NULL)
			p = rc->send_bytes + rc->send_done;
		else {
			run_fill(scratch, n, c->sent_total);
			p = scratch;
		}
		if ((k = tcp_send(c->tcb, p, n, &err)) <= 0)
			break;
		rc->send_done += (uint32_t)k;
		c->sent_total += (uint64_t)k;
		rc->deadline = rc->rn->now + RUN_WAIT_STMT_US;
	}
	memset(&o, 0, sizeof(o));
	o.begun = 1;
	o.open = c->tcb != NULL;
	o.closed = c->closed;
	o.why_closed = tcp_reason_name(c->close_reason);
	o.err = err;
	o.done = rc->send_done;
	o.len = rc->send_len;
	o.expired = rc->rn->now >= rc->deadline;
	r = check_send(rc->prog, st, &o, &f);
	free(err);
	return finish_check(rc, r, &f, RW_SEND);
}

/* "http get PATH [close]" or "http request DATA": bytes to send. */
static int
d_http(struct rcase *rc, const struct case_stmt *st)
{
	const struct case_http *h = &st->u.http;
	char addr[64];
	int n;

	if (!h->get)
		return d_send(rc, st, h->request.bytes, h->request.count);
	seg_addr_str(rc->rn->tgt.family, rc->rn->tgt.addr, addr, sizeof(addr));
	n = snprintf((char *)scratch, sizeof(scratch), "GET %s HTTP/1.1\r\n"
	    "Host: %s%s%s\r\nUser-Agent: tcpconform\r\n%s\r\n", h->path,
	    rc->rn->tgt.family == AF_INET6 ? "[" : "", addr,
	    rc->rn->tgt.family == AF_INET6 ? "]" : "",
	    h->close ? "Connection: close\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(scratch)) {
		rcase_fail(rc, st, FIND_ERROR, "http: request too long");
		return RS_END;
	}
	/* send_more() reuses scratch for the filler only: bytes are safe. */
	return d_send(rc, st, scratch, (uint32_t)n);
}

/* Bytes the application may claim now. */
static uint64_t
avail(const struct rconn *c)
{
	if (c->auto_read)
		return c->autoread;
	return c->tcb != NULL ? tcp_readable(c->tcb) : 0;
}

static void
take(struct rconn *c, uint64_t n)
{
	size_t k;

	if (c->auto_read) {
		c->autoread -= n < c->autoread ? n : c->autoread;
		return;
	}
	while (n > 0 && c->tcb != NULL) {
		k = tcp_recv(c->tcb, scratch, n < sizeof(scratch) ?
		    (size_t)n : sizeof(scratch));
		if (k == 0)
			break;
		n -= k;
	}
}

static int
d_read(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);

	runner_sync(rc->rn);
	if (st->u.read.mode == CASE_RD_ALL) {
		take(c, avail(c));
		rc->tprev = rc->rn->now;
		return RS_DONE;
	}
	rc->deadline = rc->rn->now + (uint64_t)(st->timeout >= 0 ?
	    st->timeout : RUN_WAIT_STMT_US);
	rc->wait_for = RW_RECV;
	return recv_check(rc, st);
}

/* "read N", "read eof", "wait received N": check_recv() judges. */
static int
recv_check(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	struct check_recv o;
	struct finding f;
	int r;

	runner_sync(rc->rn);
	if (c->tcb != NULL)
		c->rcvd = c->tcb->stats.bytes_in;
	memset(&o, 0, sizeof(o));
	if (st->kind == CASE_S_WAIT) {
		o.want = st->u.wait.count;
		o.have = c->rcvd;
	} else if (st->u.read.mode == CASE_RD_EOF) {
		take(c, avail(c));
		o.want_eof = 1;
		o.eof = c->eof || (c->tcb != NULL && tcp_eof(c->tcb)) ||
		    (c->tcb == NULL && c->closed);
	} else {
		o.want = st->u.read.count;
		o.have = avail(c);
	}
	o.expired = rc->rn->now >= rc->deadline;
	o.waited_us = rc->deadline - rc->act_cur;
	r = check_recv(rc->prog, st, &o, &f);
	/* A read that was satisfied takes what it read. */
	if (r == CHECK_OK && st->kind == CASE_S_READ &&
	    st->u.read.mode != CASE_RD_EOF)
		take(c, o.want);
	return finish_check(rc, r, &f, RW_RECV);
}

/* shutdown, close, abort: on a connection that is gone, nothing to do. */
static int
d_close(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	struct tcb *tp = c->tcb;

	runner_sync(rc->rn);
	if (tp == NULL && c->listener != NULL && st->kind != CASE_S_SHUTDOWN) {
		tp = c->listener;
		c->listener = NULL;
		tp->user = NULL;
		tcp_abort(tp);
	} else if (tp == NULL && !c->closed) {
		rcase_fail(rc, st, FIND_ERROR, "the connection was never "
		    "opened");
		return RS_END;
	} else if (tp != NULL && st->kind == CASE_S_SHUTDOWN)
		tcp_shutdown(tp, NULL);
	else if (tp != NULL && st->kind == CASE_S_CLOSE)
		tcp_close(tp, NULL);
	else if (tp != NULL)
		tcp_abort(tp);
	rc->tprev = rc->rn->now;
	return RS_DONE;
}

static int
d_wait(struct rcase *rc, const struct case_stmt *st)
{
	rc->deadline = rc->rn->now + (uint64_t)(st->timeout >= 0 ?
	    st->timeout : RUN_WAIT_STMT_US);
	if (st->u.wait.received) {
		rc->wait_for = RW_RECV;
		return recv_check(rc, st);
	}
	rc->wait_for = RW_STATE;
	return state_check(rc, st);
}

/*
 * "wait STATE" and "connect": the state now, or entered since the last
 * statement that acts ("connect") or the scope ("wait"), so that a state
 * passed through quickly while the statements before ran is not missed.
 * check_state() judges; the peer's states are the case language's, in
 * the same order.
 */
_Static_assert(TCPS_N == CASE_ST_N && (int)TCPS_ESTABLISHED ==
    (int)CASE_ST_ESTABLISHED && (int)TCPS_TIME_WAIT == (int)CASE_ST_TIME_WAIT,
    "the peer's states and the case language's are in the same order");

static int
state_check(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	struct check_state o;
	struct finding f;
	enum tcps cur;
	uint64_t before;
	int r;

	cur = c->tcb != NULL ? c->tcb->state : c->listener != NULL ?
	    TCPS_LISTEN : TCPS_CLOSED;
	memset(&o, 0, sizeof(o));
	o.connect = st->kind == CASE_S_CONNECT;
	o.want = o.connect ? CASE_ST_ESTABLISHED : st->u.wait.state;
	o.cur = (enum case_state)cur;
	o.entered = c->st_time[o.want];
	o.since = o.connect ? rc->act_cur : rc->scope;
	o.gone = c->tcb == NULL && c->closed;
	o.why_gone = tcp_reason_name(c->close_reason);
	o.expired = rc->rn->now >= rc->deadline;
	o.waited_us = rc->deadline - rc->act_cur;
	r = check_state(rc->prog, st, &o, &f);
	before = rc->tprev;
	r = finish_check(rc, r, &f, RW_STATE);
	/* The next line counts from when the state was entered, if that
	 * was since the last statement's time: the runner may see it late
	 * (a busy host), after what the target sent on entering it (a
	 * banner service's line right after the handshake). */
	if (r == RS_DONE && o.entered > before && o.entered < rc->tprev)
		rc->tprev = o.entered;
	return r;
}

static int
d_set(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	const struct case_set *s = &st->u.set;
	char *err = NULL;

	switch (s->which) {
	case CASE_SET_AUTO_ACK:
		c->no_auto_ack = !s->on;
		break;
	case CASE_SET_AUTO_FIN:
		c->auto_fin = s->on;
		break;
	case CASE_SET_AUTO_READ:
		c->auto_read = s->on;
		break;
	case CASE_SET_RETRANSMIT:
		c->no_retransmit = !s->on;
		break;
	case CASE_SET_RESEND:
		c->no_resend = !s->on;
		break;
	case CASE_SET_NAGLE:
		c->nagle = s->on;
		break;
	case CASE_SET_SYN_OPENS:
		c->syn_no_open = !s->on;
		break;
	case CASE_SET_ISN:
		c->isn_set = 1;
		c->isn_rel = s->isn_rel;
		c->isn = s->value;
		break;
	case CASE_SET_WINDOW:
		c->window_set = 1;
		c->window = s->value;
		break;
	case CASE_SET_MSS:
		c->mss = (uint16_t)s->value;
		break;
	case CASE_SET_OPTIONS:
		if (run_opts_to_seg(s->opts, c->synopts, &c->nsynopts,
		    (uint32_t)(rc->rn->now / 1000), 0, 0, &err) == -1) {
			rcase_fail(rc, st, FIND_ERROR, "%s", err);
			free(err);
			return RS_END;
		}
		break;
	case CASE_SET_MATCH:
		c->match_any = s->match == CASE_MATCH_ANY;
		break;
	case CASE_SET_SEVERITY:
		break;
	}
	runner_sync(rc->rn);
	if (c->tcb != NULL)
		rconn_hooks(c, c->tcb);
	if (c->listener != NULL)
		rconn_hooks(c, c->listener);
	if (c->tcb != NULL && (s->which == CASE_SET_AUTO_READ ||
	    s->which == CASE_SET_AUTO_FIN))
		rconn_recv(c);
	return RS_DONE;
}

static int
d_measure(struct rcase *rc, const struct case_stmt *st)
{
	char *err = NULL;

	if (rmeasure_start(rc, rcase_conn(rc, st), &st->u.measure, st->timeout,
	    &err) == -1) {
		rcase_fail(rc, st, FIND_ERROR, "measure: %s", err);
		free(err);
		return RS_END;
	}
	rc->wait_for = RW_MEASURE;
	return rmeasure_step(rc);
}

/*
 * The agent: a case that uses it gets its own control connection; an
 * agentless case on a target without --port gets a listening socket from
 * the agent, whose port stands in for --port.
 */
int
rcase_uses_agent(const struct rcase *rc)
{
	int i;

	if ((rc->prog->needs & CASE_NEED_AGENT) ||
	    run_target_port(&rc->rn->tgt, rc->prog->needs) == 0)
		return 1;
	for (i = 0; i < rc->prog->nstmts; i++)
		if (rc->prog->stmts[i].kind == CASE_S_AGENT)
			return 1;
	return 0;
}

int
rcase_pre_start(struct rcase *rc)
{
	int i;

	if (run_target_port(&rc->rn->tgt, rc->prog->needs) != 0 ||
	    rc->agent == NULL)
		return 0;
	for (i = 0; i < rc->prog->nstmts; i++)
		if (rc->prog->stmts[i].kind == CASE_S_AGENT &&
		    rc->prog->stmts[i].u.agent.op == CASE_AG_LISTEN)
			return 0;
	/*
	 * Room for every half-open connection a case makes (isn-spacing's
	 * 64 SYNs, each reset by the peer only when the rate limit lets the
	 * RST go): a full SYN queue makes Linux answer with SYN cookies,
	 * whose ISNs follow no clock, and the case would blame the target.
	 */
	if (ragent_request(rc, "LISTEN %d 0 backlog=128",
	    rc->rn->tgt.family == AF_INET ? 4 : 6) == -1)
		return -1;
	rc->pre = RC_PRE_LISTEN;
	rc->deadline = rc->rn->now + RUN_AGENT_TIMEOUT_MS * 2000ULL;
	return 0;
}

int
rcase_pre_step(struct rcase *rc)
{
	struct agent_endpoints ep;
	char *err = NULL;
	int h, i;

	if (!rc->ag_have) {
		if (rc->rn->now < rc->deadline) {
			rc->wake = rc->deadline;
			return RS_BLOCK;
		}
		rcase_trouble(rc, RUN_TR_AGENT);
		rcase_finish(rc, FIND_ERROR, "the agent did "
		    "not answer LISTEN");
		return RS_END;
	}
	rc->ag_have = 0;
	if (agent_reply_endpoints(&rc->ag_reply, &h, &ep, &err) == -1) {
		rcase_finish(rc, FIND_ERROR, "the agent "
		    "could not listen: %s", err);
		free(err);
		return RS_END;
	}
	rc->anyport_handle = h;
	for (i = 0; i < rc->nconns; i++)
		if (!rc->conns[i].rport_set) {
			rc->conns[i].tuple.rport = ep.port;
			rc->conns[i].rport_set = 1;
		}
	rc->pre = 0;
	rc->t0 = rc->tprev = rc->act_prev = rc->act_cur = rc->scope =
	    rc->rn->now;
	return RS_DONE;
}
