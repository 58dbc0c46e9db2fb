/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_stmt.c: the statements of a case, as the peer carries them out:
 * packet lines, the peer's directives and switches.  Agent statements are in
 * run_agentst.c, measurements in run_probe.c.
 *
 * How '<' lines and the peer's own segments coexist (tcpconform(1)):
 *   - the peer is a complete TCP and does its routine work by itself
 *     (handshake, ACKs, retransmissions, answering stray segments) unless a
 *     switch turns a part off: "set auto-ack off", "set retransmit off";
 *   - a '<' line sends exactly one segment, built from what the peer's TCB
 *     would send now (tcp_seg_template) with every field the line gives put
 *     in its place; it leaves the TCB alone, except that data or a FIN that
 *     starts at SND.NXT is taken by the TCB as its own (and retransmitted);
 *   - a '<' SYN on a connection that does not exist yet is the active open
 *     itself: the TCB sends it, with the line's options, window and flags;
 *   - a connection whose case writes the peer's SYN-ACK ('<' S.) gets no
 *     automatic SYN-ACK from the listener: the line sends it.
 */
#include <sys/socket.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"
#include "run_int.h"

static int	begin(struct rcase *, const struct case_stmt *);
static int	cont(struct rcase *, const struct case_stmt *);
static int	stmt_is_expect(const struct case_stmt *);
static int	moves_scope(const struct case_stmt *);
static int	line_writes_tsval(const struct case_seg *);
static int	pkt_send(struct rcase *, const struct case_stmt *);
static int	icmp_send(struct rcase *, const struct case_stmt *);
static int	expect_begin(struct rcase *, const struct case_stmt *);
static int	expect_check(struct rcase *, const struct case_stmt *);
static int	negated_check(struct rcase *, const struct case_stmt *);
static void	line_ctx(struct rcase *, const struct case_stmt *,
		    struct run_bases *, struct check_line *);
static int	resend_ok(struct rcase *, const struct case_stmt *);
static int	forbids_reset(const struct case_stmt *);
static void	resend(struct rcase *);
static int	repeat(const struct rconn *, const struct rseg *);
static uint64_t	last_gap(const struct rcase *);
static int	line_before(const struct rcase *);
static int	ends_case(struct rcase *, const struct case_stmt *,
		    const struct rseg *, const struct run_bases *);

static uint8_t	scratch[CASE_LEN_MAX + 1];

/*
 * The statement at the program counter: wait for its time, act, then keep
 * checking what it waits for.  Returns RS_DONE, RS_BLOCK or RS_END.
 */
int
rstmt_run(struct rcase *rc, const struct case_stmt *st)
{
	uint64_t now = rc->rn->now, due = 0;

	if (rc->acted)
		return cont(rc, st);
	/* The previous statement's datagrams wait behind the rate limit:
	 * this one's time counts from when they leave. */
	if (rc->nqueued > 0)
		return rcase_block(rc, RW_DUE, runner_out_next(rc->rn));
	if (!stmt_is_expect(st) && (st->time.kind == CASE_T_ABS ||
	    st->time.kind == CASE_T_REL)) {
		due = (st->time.kind == CASE_T_ABS ? rc->t0 : rc->tprev) +
		    (uint64_t)st->time.lo;
		if (now < due)
			return rcase_block(rc, RW_DUE, due);
	}
	rc->acted = 1;
	rc->act_prev = rc->act_cur;
	rc->act_cur = now;
	if (moves_scope(st)) {
		rc->scope = now;
		/* The tester's host was busy: what came meanwhile came
		 * before this statement, not after it as the case means
		 * (and again when its datagram leaves: rcase_sent()). */
		rc->due_pc = rc->pc;
		rc->due_t = due;
		rc->due_sent = 0;
		rcase_late(rc, now);
	}
	return begin(rc, st);
}

/*
 * The statements after which the target may answer: a '>' line considers
 * only segments that came since the last of these acted.  Lines that only
 * look ('>', wait, sleep, set, read) leave the scope alone, so that two
 * '>' lines in a row see segments that came close together.
 */
static int
moves_scope(const struct case_stmt *st)
{
	switch (st->kind) {
	case CASE_S_PACKET:
		return st->u.pkt.dir == CASE_DIR_IN;
	case CASE_S_WAIT:
	case CASE_S_SLEEP:
	case CASE_S_SET:
	case CASE_S_READ:
		return 0;
	default:
		return 1;
	}
}

static int
stmt_is_expect(const struct case_stmt *st)
{
	return st->kind == CASE_S_PACKET && st->u.pkt.dir == CASE_DIR_OUT;
}

int
rcase_block(struct rcase *rc, enum rwait w, uint64_t wake)
{
	rc->wait_for = w;
	rc->wake = wake;
	return RS_BLOCK;
}

struct rconn *
rcase_conn(struct rcase *rc, const struct case_stmt *st)
{
	return &rc->conns[st->conn >= 0 && st->conn < rc->nconns ?
	    st->conn : 0];
}

static int
begin(struct rcase *rc, const struct case_stmt *st)
{
	if (st->kind == CASE_S_PACKET)
		return st->u.pkt.dir == CASE_DIR_IN ? pkt_send(rc, st) :
		    expect_begin(rc, st);
	if (st->kind == CASE_S_AGENT)
		return ragent_begin(rc, st);
	if (st->kind == CASE_S_ICMP)
		return icmp_send(rc, st);
	return rdir_begin(rc, st);
}

static int
cont(struct rcase *rc, const struct case_stmt *st)
{
	switch (rc->wait_for) {
	case RW_SEG:
		return expect_check(rc, st);
	case RW_NEG:
		return negated_check(rc, st);
	case RW_AGENT:
		return ragent_check(rc, st);
	case RW_MEASURE:
		return rmeasure_step(rc);
	default:
		return rdir_cont(rc, st);
	}
}

/*
 * A finding of the runner's own at statement st (NULL: none), ending the
 * attempt; sev >= 0 is a severity the check knows better than the
 * statement.
 */
void
rcase_vfail(struct rcase *rc, const struct case_stmt *st, enum find_kind kind,
    int sev, const char *fmt, va_list ap)
{
	struct finding f;
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	check_finding(&f, kind, rc->prog, st, "%s", msg != NULL ? msg :
	    "out of memory");
	if (sev >= 0)
		f.sev = (enum case_sev)sev;
	free(msg);
	rcase_record(rc, &f);
}

/* "line 12 (> . 1:1(0) ack 1001): MESSAGE" ends the attempt. */
void
rcase_fail(struct rcase *rc, const struct case_stmt *st, enum find_kind kind,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rcase_vfail(rc, st, kind, -1, fmt, ap);
	va_end(ap);
}

/*
 * The same, at a severity the check knows better than the statement (a
 * measurement whose findings break requirements of different keywords).
 */
void
rcase_fail_sev(struct rcase *rc, const struct case_stmt *st,
    enum find_kind kind, enum case_sev sev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rcase_vfail(rc, st, kind, (int)sev, fmt, ap);
	va_end(ap);
}

/*
 * Packet lines
 */

static int
pkt_send(struct rcase *rc, const struct case_stmt *st)
{
	struct runner *rn = rc->rn;
	struct rconn *c = rcase_conn(rc, st);
	const struct case_seg *cs = &st->u.pkt.alt[0];
	struct tcb *tp = c->tcb;
	struct run_bases b;
	struct seg s;
	char *err = NULL;
	unsigned how = 0;
	int r;

	/*
	 * A SYN where the peer's TCP has no connection is an active open,
	 * unless "set syn-opens off": then it is a probe of the target's
	 * connection, sent as the line says (our side in TIME-WAIT while the
	 * target's is in LAST-ACK).
	 */
	if ((cs->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN &&
	    c->listener == NULL && !c->syn_no_open && (tp == NULL ||
	    tp->state == TCPS_CLOSED || tp->state == TCPS_TIME_WAIT)) {
		/* A "csum bad" SYN opens too; out_cb() spoils its checksum
		 * while the line is the one sending. */
		if (!(cs->given & CASE_G_CSUM_BAD))
			return rconn_open(rc, c, st, cs);
		rc->sending = st;
		r = rconn_open(rc, c, st, cs);
		rc->sending = NULL;
		return r;
	}
	if (!c->rport_set) {
		rcase_fail(rc, st, FIND_ERROR, "the target's port is not "
		    "known (give --port, or \"agent listen\" first)");
		return RS_END;
	}
	runner_sync(rn);
	if (tp != NULL && tp->state != TCPS_LISTEN &&
	    tp->state != TCPS_CLOSED)
		tcp_seg_template(tp, &s);
	else {
		seg_init(&s, c->tuple.family);
		memcpy(s.src, c->tuple.laddr, sizeof(s.src));
		memcpy(s.dst, c->tuple.raddr, sizeof(s.dst));
		s.sport = c->tuple.lport;
		s.dport = c->tuple.rport;
		s.seq = c->obs.side[SEGDIR_TO_TARGET].isn + 1;
		s.ack = c->obs.side[SEGDIR_FROM_TARGET].isn + 1;
		s.win = 65535;
		tp = NULL;
	}
	rconn_bases(c, SEGDIR_TO_TARGET, &b);
	if ((cs->flags & SEG_SYN) && !(cs->given & CASE_G_SEQ))
		s.seq = b.seq;
	if (run_build_seg(cs, &s, &b, scratch, sizeof(scratch), &err) == -1) {
		rcase_fail(rc, st, FIND_ERROR, "%s", err);
		free(err);
		return RS_END;
	}
	if ((cs->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK))
		c->synack_sent = 1;
	if (cs->flags & SEG_SYN)
		rconn_ts_start(c, cs, rn->now);
	else if (!line_writes_tsval(cs))
		rconn_ts_apply(c, &s, rn->now);
	rc->sending = st;
	if (tp != NULL) {
		/* Data or a FIN at SND.NXT, acknowledging what the peer
		 * would: the peer's own.  With another ack it is a probe,
		 * and with a bad checksum it does not count as sent (the
		 * target must throw it away, RFC 9293 MUST-3). */
		if (seg_seqlen(&s) > 0 && !(s.flags & SEG_SYN) &&
		    !(cs->given & CASE_G_CSUM_BAD) &&
		    s.seq == tp->snd_max && tcps_synchronized(tp->state) &&
		    (!(s.flags & SEG_ACK) || s.ack == tp->rcv_nxt))
			how = TCP_RAW_ADVANCE;
		if (tcp_send_raw(tp, &s, how, &err) == -1 && how != 0) {
			free(err);
			err = NULL;
			tcp_send_raw(tp, &s, 0, &err);
		}
		free(err);
	} else
		tcp_stack_send_raw(rn->stack, &s);
	rc->sending = NULL;
	rc->tprev = rn->now;
	return RS_DONE;
}

/*
 * "< icmp": an ICMP error about the connection, from the peer's address
 * as if a router on the path sent it, quoting the last segment the target
 * sent (or that segment with "seq N" in its place): the datagram a router
 * would have thrown away, whose TCP header lets the target find the
 * connection and check the sequence number (RFC 5927 4.1).
 */
static int
icmp_send(struct rcase *rc, const struct case_stmt *st)
{
	static uint8_t quote[65535 + 120], out[65535 + 120];
	const struct case_icmp *ic = &st->u.icmp;
	struct runner *rn = rc->rn;
	struct rconn *c = rcase_conn(rc, st);
	const struct rseg *r, *last = NULL;
	struct icmp_err e;
	struct seg s;
	char *err = NULL;
	int v4 = c->tuple.family == AF_INET, n, q;

	for (r = c->segs; r != NULL; r = r->next)
		last = r;
	if (last == NULL) {
		rcase_fail(rc, st, FIND_ERROR, "no segment of the target's to "
		    "quote: the ICMP error needs one ('>' line first)");
		return RS_END;
	}
	s = last->seg;
	if (ic->seq_given)
		s.seq = c->obs.side[SEGDIR_FROM_TARGET].isn + ic->seq;
	if ((q = seg_encode(rn->enc, &s, quote, sizeof(quote), &err)) < 0) {
		rcase_fail(rc, st, FIND_ERROR, "cannot encode the quoted "
		    "segment: %s", err);
		free(err);
		return RS_END;
	}
	memset(&e, 0, sizeof(e));
	e.family = c->tuple.family;
	memcpy(e.src, c->tuple.laddr, sizeof(e.src));
	memcpy(e.dst, c->tuple.raddr, sizeof(e.dst));
	switch (ic->kind) {
	case CASE_IC_NET:
		e.type = v4 ? ICMP4_UNREACH : ICMP6_UNREACH;
		e.code = v4 ? ICMP4_UNREACH_NET : 0;	/* no route */
		break;
	case CASE_IC_HOST:
		e.type = v4 ? ICMP4_UNREACH : ICMP6_UNREACH;
		e.code = v4 ? ICMP4_UNREACH_HOST : 3;	/* address */
		break;
	case CASE_IC_PROTO:
		/* ICMPv6 says "unrecognized Next Header" (RFC 4443 3.4),
		 * pointing at the IPv6 header's Next Header field. */
		e.type = v4 ? ICMP4_UNREACH : ICMP6_PARAMPROB;
		e.code = v4 ? ICMP4_UNREACH_PROTO : 1;
		e.word = v4 ? 0 : 6;
		break;
	case CASE_IC_PORT:
		e.type = v4 ? ICMP4_UNREACH : ICMP6_UNREACH;
		e.code = v4 ? ICMP4_UNREACH_PORT : 4;
		break;
	case CASE_IC_SRCFAIL:
		e.type = ICMP4_UNREACH;
		e.code = ICMP4_UNREACH_SRCFAIL;
		break;
	case CASE_IC_ADMIN:
		/* RFC 1812 5.2.7.1 code 13; RFC 4443 3.1 code 1. */
		e.type = v4 ? ICMP4_UNREACH : ICMP6_UNREACH;
		e.code = v4 ? 13 : 1;
		break;
	case CASE_IC_TOOBIG:
		e.type = v4 ? ICMP4_UNREACH : ICMP6_TOOBIG;
		e.code = v4 ? ICMP4_UNREACH_NEEDFRAG : 0;
		e.word = v4 ? (ic->mtu & 0xffff) : ic->mtu;
		break;
	case CASE_IC_TIMXCEED:
		e.type = v4 ? ICMP4_TIMXCEED : ICMP6_TIMXCEED;
		break;
	case CASE_IC_PARAMPROB:
		/* Pointing at the first octet: the header itself. */
		e.type = v4 ? ICMP4_PARAMPROB : ICMP6_PARAMPROB;
		break;
	case CASE_IC_QUENCH:
		e.type = ICMP4_SOURCEQUENCH;
		break;
	}
	e.quote = quote;
	e.quotelen = (size_t)q;
	if ((n = icmp_err_encode(&e, out, sizeof(out))) < 0) {
		rcase_fail(rc, st, FIND_ERROR, "cannot encode the ICMP error");
		return RS_END;
	}
	runner_resend(rn, rc, st, out, (size_t)n);
	rc->tprev = rn->now;
	return RS_DONE;
}

/* The line gives the TS value itself (not "*", not left out). */
static int
line_writes_tsval(const struct case_seg *cs)
{
	int i;

	if (!(cs->given & CASE_G_OPTS))
		return 0;
	for (i = 0; i < cs->opts.n; i++)
		if (cs->opts.v[i].kind == CASE_O_TS &&
		    !(cs->opts.v[i].wild & CASE_OW_VAL))
			return 1;
	return 0;
}

/* Forget a finished incarnation: a new one is about to start. */
void
rconn_forget(struct rconn *c)
{
	struct tcb *tp = c->tcb;

	if (tp != NULL) {
		c->last_snd_max = tp->snd_max;
		c->tcb = NULL;
		tp->user = NULL;
		tp->hooks.out_filter = NULL;
		tp->hooks.no_rst = 1;
		tcp_abort(tp);
	}
	c->closed = 0;
	c->eof = 0;
	c->fin_done = 0;
	c->rcvd = 0;
	c->autoread = 0;
	check_conn_forget(&c->obs, SEGDIR_FROM_TARGET);
	memset(c->st_time, 0, sizeof(c->st_time));
}

/*
 * Active open, from "connect" or from a '<' SYN line (cs), whose options,
 * window and flags the SYN then carries.
 */
int
rconn_open(struct rcase *rc, struct rconn *c, const struct case_stmt *st,
    const struct case_seg *cs)
{
	struct runner *rn = rc->rn;
	struct seg_opt opts[SEG_OPT_MAX];
	struct tcb *tp;
	char *err = NULL;
	int n;

	if (!c->rport_set) {
		rcase_fail(rc, st, FIND_ERROR, "the target's port is not "
		    "known (give --port, or \"agent listen\" first)");
		return RS_END;
	}
	if (c->tcb != NULL && c->tcb->state != TCPS_TIME_WAIT &&
	    c->tcb->state != TCPS_CLOSED) {
		rcase_fail(rc, st, FIND_ERROR, "the connection is already "
		    "open (%s)", tcps_names[c->tcb->state]);
		return RS_END;
	}
	runner_sync(rn);
	rconn_forget(c);
	if ((tp = tcp_new(rn->stack, &c->tuple, &err)) == NULL)
		goto fail;
	c->syn_line = cs;
	rconn_hooks(c, tp);
	if (c->isn_set) {
		tp->hooks.iss_set = 1;
		tp->hooks.iss = c->isn_rel == 0 ? c->isn : c->last_snd_max +
		    (uint32_t)c->isn_rel * c->isn;
	}
	if (cs != NULL && (cs->given & CASE_G_OPTS) &&
	    (run_opts_to_seg(&cs->opts, opts, &n, (uint32_t)(rn->now / 1000),
	    0, 0, &err) == -1 || tcp_set_syn_opts(tp, opts, n, &err) == -1)) {
		tcp_abort(tp);
		goto fail;
	}
	c->tcb = tp;
	c->opened = 1;
	c->ts_map = 0;
	if (cs != NULL)
		rconn_ts_start(c, cs, rn->now);
	rc->sending = cs != NULL ? st : NULL;
	if (tcp_connect(tp, &err) == -1) {
		rc->sending = NULL;
		c->tcb = NULL;
		tcp_abort(tp);
		goto fail;
	}
	rc->sending = NULL;
	if (c->tcb == tp) {
		check_conn_isn(&c->obs, SEGDIR_TO_TARGET, tp->iss);
	}
	rc->tprev = rn->now;
	return RS_DONE;
fail:
	rcase_fail(rc, st, FIND_ERROR, "cannot open the connection: %s",
	    err != NULL ? err : "?");
	free(err);
	return RS_END;
}

/*
 * The "gap" unit: the time between the segments the last two '>' lines
 * matched (the parser sees to it that two came before).
 */
static uint64_t
last_gap(const struct rcase *rc)
{
	return rc->tmatch[1] != 0 && rc->tmatch[0] > rc->tmatch[1] ?
	    rc->tmatch[0] - rc->tmatch[1] : 0;
}

static int
expect_begin(struct rcase *rc, const struct case_stmt *st)
{
	run_window(&st->time, rc->t0, rc->tprev, last_gap(rc),
	    rc->rn->now, &rc->rn->tol, &rc->win);
	rc->win_base = rc->tprev;
	rc->win_lo0 = rc->win.lo;
	check_best_init(&rc->best);
	rc->wait_for = st->u.pkt.negate ? RW_NEG : RW_SEG;
	return cont(rc, st);
}

/*
 * A segment of the target that repeats an earlier one of the connection:
 * the same sequence number, length and SYN/FIN/RST (a retransmission, with
 * a new acknowledgment or timestamp perhaps), or for a bare ACK the same
 * acknowledgment too (a copy the path made, without timestamps to tell).
 */
static int
repeat(const struct rconn *c, const struct rseg *r)
{
	const struct rseg *p;
	const unsigned ctl = SEG_SYN | SEG_FIN | SEG_RST;

	for (p = c->segs; p != NULL && p != r; p = p->next) {
		if (p->seg.seq != r->seg.seq || p->seg.len != r->seg.len ||
		    (p->seg.flags & ctl) != (r->seg.flags & ctl))
			continue;
		if (seg_seqlen(&r->seg) > 0 || p->seg.ack == r->seg.ack)
			return 1;
	}
	return 0;
}

/* What the checks of a '>' line need to know. */
static void
line_ctx(struct rcase *rc, const struct case_stmt *st, struct run_bases *b,
    struct check_line *x)
{
	struct rconn *c = rcase_conn(rc, st);

	rconn_bases(c, SEGDIR_FROM_TARGET, b);
	x->prog = rc->prog;
	x->st = st;
	x->bases = b;
	x->win = &rc->win;
	x->tprev = rc->tprev;
	x->act_cur = rc->act_cur;
	x->match_any = c->match_any;
	x->ttl = rc->rn->ttl;
	x->routed = !rc->rn->tgt.same_link;
	x->unanswered = rc->resends >= RUN_RESENDS &&
	    rc->rs_pc == line_before(rc);
	x->resent = rc->resends > 0;
	x->first_lo = rc->win_lo0;
}

/*
 * A '>' line: its segments in scope (on its connection, since the last
 * statement that acts, not taken by an earlier line) go to
 * check_line_seg() in arrival order until one is the line's.
 */
static int
expect_check(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	struct check_line x;
	struct run_bases b;
	struct finding f;
	struct rseg *r;
	uint64_t adj, due;

	if (rc->win_base != rc->tprev) {
		/* The line was sent again: the window counts from then. */
		run_window(&st->time, rc->t0, rc->tprev, last_gap(rc),
		    rc->rn->now, &rc->rn->tol, &rc->win);
		rc->win_base = rc->tprev;
	}
	line_ctx(rc, st, &b, &x);
	for (r = c->segs; r != NULL; r = r->next) {
		if (r->used || r->dup || r->t < rc->scope)
			continue;
		b.data = r->data_end;
		switch (check_line_seg(&x, &r->seg, r->t, rcase_wait_adj(rc,
		    r->t), repeat(c, r), r->rec, &rc->best, &f)) {
		case CHECK_OK:
			r->used = st->loc.line > 0 ? st->loc.line : INT_MAX;
			rcase_rec_line(rc, r->rec, st);
			rc->tprev = r->t;
			rc->tmatch[1] = rc->tmatch[0];
			rc->tmatch[0] = r->t;
			return ends_case(rc, st, r, &b);
		case CHECK_FOUND:
			rcase_record(rc, &f);
			return RS_END;
		case CHECK_PASSBY:
			/* Sent again, or copied by the path: a line that
			 * does not take it passes it by. */
			r->dup = 1;
			rcase_trouble(rc, RUN_TR_RETRANS);
			break;
		case CHECK_WAIT:
			break;
		}
	}
	/* Not missing while our datagrams wait behind the rate limit. */
	if (rc->nqueued > 0)
		return rcase_block(rc, RW_SEG, runner_out_next(rc->rn));
	adj = rcase_wait_adj(rc, rc->rn->now);
	/*
	 * Not sooner than an answer to the last copy could still come: a
	 * delayed ACK "MUST be less than 0.5 seconds" (RFC 9293 MUST-40),
	 * and the path's round trip.  A target that answers on a timer within
	 * that bound (a duplicate ACK held 0.3 s, the fault no-dup-ack)
	 * would answer the first copy just after the second went, and that
	 * answer would pass for the second's, at once.  Waited for, it is
	 * late for the line.
	 */
	if (rc->rn->now >= rc->win.hi && resend_ok(rc, st)) {
		due = rc->win_base + RUN_RESEND_WAIT_US + rc->rn->tol.late_us;
		if (rc->rn->now < due)
			return rcase_block(rc, RW_SEG, due + adj);
		resend(rc);
		return expect_check(rc, st);
	}
	if (check_line_end(&x, rc->rn->now, adj, &rc->best, &f) ==
	    CHECK_FOUND) {
		/* Data or a FIN of ours still unacknowledged: it may be what
		 * the path lost, and the answer with it. */
		if (c->tcb != NULL && c->tcb->snd_una != c->tcb->snd_max)
			rcase_trouble(rc, RUN_TR_OURS);
		rcase_record(rc, &f);
		return RS_END;
	}
	return rcase_block(rc, RW_SEG, rc->win.give_up + adj);
}

/*
 * A '>' line matched the segment r.  When the first alternative that matches is
 * written with "end", the case ends here: "end not-applicable STRING"
 * makes it not applicable for that reason (a finding of its own, naming
 * the line), a bare "end" skips the statements after the line, so the
 * verdict is that of the lines before.  RS_DONE to go on with the next
 * statement, RS_END when the case is over.
 */
static int
ends_case(struct rcase *rc, const struct case_stmt *st, const struct rseg *r,
    const struct run_bases *b)
{
	const struct case_pkt *pk = &st->u.pkt;
	const struct case_seg *cs = NULL;
	struct run_diff d[1];
	struct finding f;
	int i;

	for (i = 0; i < pk->nalt && cs == NULL; i++)
		if (run_match_seg(&pk->alt[i], &r->seg, b, d, 1) == 0)
			cs = &pk->alt[i];
	if (cs == NULL || !(cs->given & CASE_G_END))
		return RS_DONE;
	if (cs->na_why == NULL) {
		rc->pc = rc->prog->nstmts - 1;	/* rcase_step() ends it */
		return RS_DONE;
	}
	/* The reason alone, as the runner's other reasons read; the
	 * finding still names its line. */
	check_finding(&f, FIND_NA, rc->prog, NULL, "%s", cs->na_why);
	f.st = st;
	f.sev = st->sev;
	rcase_record(rc, &f);
	return RS_END;
}

/*
 * Whether st is a "> !R" line: every alternative has RST.  It forbids a
 * reset for a while; it does not stand between a '<' line and the '>'
 * line that answers it (an old duplicate SYN, no reset within 0.3 s,
 * then its ACK: handshake/syn-in-established).  A "> !*" line does: it
 * says nothing at all comes.
 */
static int
forbids_reset(const struct case_stmt *st)
{
	const struct case_pkt *pk = &st->u.pkt;
	int i;

	if (st->kind != CASE_S_PACKET || pk->dir != CASE_DIR_OUT ||
	    !pk->negate)
		return 0;
	for (i = 0; i < pk->nalt; i++)
		if (!(pk->alt[i].flags & SEG_RST))
			return 0;
	return 1;
}

/*
 * The statement before the current one, "set" switches and "> !R" lines
 * aside: a '<' line followed by "set match any" still draws the '>' line
 * after it.
 */
static int
line_before(const struct rcase *rc)
{
	int i = rc->pc - 1;

	while (i >= 0 && (rc->prog->stmts[i].kind == CASE_S_SET ||
	    forbids_reset(&rc->prog->stmts[i])))
		i--;
	return i;
}

/*
 * The segment a '>' line waits for is late: if the line answers the '<'
 * line just before it (a "set" between them aside), and nothing at all
 * came since that line, our segment or the answer may have been lost
 * (unless "set resend off": the case wants each of its segments once).
 * Then the line's datagram may go again, as a TCP retransmits what draws
 * no answer, up to RUN_RESENDS times (resend()).
 */
static int
resend_ok(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	struct rseg *r;

	if (rc->rs_dgram == NULL || rc->rs_pc != line_before(rc) ||
	    c->no_resend ||
	    rc->resends >= RUN_RESENDS || st->time.kind == CASE_T_ABS ||
	    rcase_conn(rc, &rc->prog->stmts[rc->rs_pc]) != c)
		return 0;
	for (r = c->segs; r != NULL; r = r->next)
		if (!r->dup && r->t >= rc->scope)
			return 0;
	return 1;
}

/*
 * Send the '<' line's datagram again (resend_ok()); the line's window then
 * counts from the new send (a '+T' line only: an absolute time stays
 * where it is).
 */
static void
resend(struct rcase *rc)
{
	rc->resends++;
	rcase_trouble(rc, RUN_TR_RESENT);
	rc->tprev = rc->rn->now;
	runner_resend(rc->rn, rc, &rc->prog->stmts[rc->rs_pc], rc->rs_dgram,
	    rc->rs_len);
}

/*
 * "> !...": no segment like it within its span (check_negated_span()).
 * The next relative time counts from the span's end.
 */
static int
negated_check(struct rcase *rc, const struct case_stmt *st)
{
	struct rconn *c = rcase_conn(rc, st);
	struct check_line x;
	struct run_bases b;
	struct finding f;
	struct rseg *r;
	uint64_t lo, hi;

	line_ctx(rc, st, &b, &x);
	for (r = c->segs; r != NULL; r = r->next) {
		b.data = r->data_end;
		if (!r->used && !r->dup && check_negated_seg(&x, &r->seg, r->t,
		    rcase_wait_adj(rc, r->t), r->rec, &f) == CHECK_FOUND) {
			rcase_record(rc, &f);
			return RS_END;
		}
	}
	if (rc->nqueued > 0)
		return rcase_block(rc, RW_NEG, runner_out_next(rc->rn));
	check_negated_span(&x, &lo, &hi);
	hi += rcase_wait_adj(rc, rc->rn->now);
	if (rc->rn->now < hi)
		return rcase_block(rc, RW_NEG, hi);
	rc->tprev = hi;
	return RS_DONE;
}
