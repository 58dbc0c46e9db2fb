/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_exec.c: one attempt of one case: its life (start, step, finish), its
 * connections, and the record of every segment in and out.
 *
 * A case is a program counter over its statements, advanced by
 * rcase_step() whenever something happened (a segment, a state change, an
 * agent reply, a timer); it runs statements until one blocks, and never
 * blocks the process.  A statement with a time waits for it first; then it
 * "acts" (sends, asks the agent, or starts waiting for a segment).  The
 * statements themselves are in run_stmt.c.
 *
 * Which of the target's segments a '>' line considers: those on its
 * connection that no earlier line took and that arrived since the last
 * statement that acts (a '<' line, a directive of the peer, an agent
 * action) acted.  Segments that came earlier, while the peer did routine
 * work no line describes (the handshake after "connect", ...), are recorded
 * but never judged; segments that came during that statement (an RST sent
 * while the agent's close was still being answered) are judged.
 */
#include <sys/socket.h>

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"
#include "seq.h"
#include "wire.h"

static void	conn_init(struct rcase *, int);
static void	conn_release(struct rconn *);
static void	record_fields(struct seg_rec *, const struct seg *,
		    const struct run_bases *);
static void	sort_segs(struct case_result *);
static int	cmp_rec(const void *, const void *);
static void	learn_target_isn(struct rconn *, const struct seg *);
static void	dump_add(struct rcase *, uint64_t, const uint8_t *, size_t);
static int	same_seg(const struct seg *, const struct seg *);
static int	path_signs(struct rconn *, const struct seg *, uint64_t, int *);
static int	answer_kind(const struct seg *);
static int	ours_drawn(struct rconn *, const struct seg *);
static int	used_drawn(const struct rcase *);
static int	echo_seg(const struct rcase *, long);
static int	hole_seg(const struct rcase *, long);
static int	sent_end(const struct rconn *, const struct rseg *, uint32_t *);
static int	repack_seg(const struct rcase *, long);
static int	short_ack(const struct rcase *, const struct finding *);
static int	twin_unanswered(const struct rcase *, long);
static int	late_resend(const struct rcase *, long);
static int	answers_syn_rst(const struct rcase *, long);
static int	answers_ours(const struct rcase *, long);
static int	syn_sent_since(const struct rcase *, uint32_t, uint64_t);
static const struct rseg *rec_seg(const struct rcase *, long,
		    const struct rconn **);
static int	ctl_fd(const struct rcase *);
static int	agent_gone(struct rcase *);
static void	gone_note(struct rcase *, const struct finding *);
static long	rec_missing(struct rcase *, const struct finding *);

struct rcase *
rcase_new(struct runner *rn, const struct run_case *rcs,
    struct case_result *res, int attempt)
{
	struct rcase *rc;
	int i;

	if ((rc = calloc(1, sizeof(*rc))) == NULL)
		abort();
	rc->rn = rn;
	rc->rcs = rcs;
	rc->prog = rcs->prog;
	rc->res = res;
	rc->attempt = attempt;
	rc->nconns = rc->prog->nconns > 0 ? rc->prog->nconns : 1;
	if (rc->nconns > CASE_CONN_MAX)
		rc->nconns = CASE_CONN_MAX;
	for (i = 0; i < rc->nconns; i++)
		conn_init(rc, i);
	check_best_init(&rc->best);
	rc->serial = ++rn->serial_next;
	return rc;
}

static void
conn_init(struct rcase *rc, int i)
{
	struct rconn *c = &rc->conns[i];
	const struct run_target *t = &rc->rn->tgt;

	c->rc = rc;
	c->idx = i;
	c->tuple.family = t->family;
	memcpy(c->tuple.laddr, t->peer, sizeof(c->tuple.laddr));
	memcpy(c->tuple.raddr, t->addr, sizeof(c->tuple.raddr));
	c->tuple.rport = run_target_port(t, rc->prog->needs);
	c->rport_set = c->tuple.rport != 0;
	c->nsynopts = -1;
	c->auto_read = 1;
	c->auto_fin = 1;
	c->segs_tail = &c->segs;
	check_conn_init(&c->obs);
}

/*
 * Let go of a connection's TCBs.  TIME-WAIT stays (the stack ends it);
 * anything else is aborted, which sends an RST in synchronized states and
 * frees the target's side.  user is cleared first: the case is going away.
 */
static void
conn_release(struct rconn *c)
{
	struct tcb *tp;
	struct rseg *r, *n;

	if ((tp = c->tcb) != NULL) {
		c->tcb = NULL;
		tp->user = NULL;
		tp->hooks.out_filter = NULL;
		if (tp->state != TCPS_TIME_WAIT)
			tcp_abort(tp);
	}
	if ((tp = c->listener) != NULL) {
		c->listener = NULL;
		tp->user = NULL;
		tp->hooks.out_filter = NULL;
		tcp_abort(tp);
	}
	for (r = c->segs; r != NULL; r = n) {
		n = r->next;
		free(r->data);
		free(r);
	}
	c->segs = NULL;
	c->segs_tail = &c->segs;
	check_conn_init(&c->obs);
}

void
rcase_free(struct rcase *rc)
{
	int i;

	if (rc == NULL)
		return;
	for (i = 0; i < rc->nconns; i++)
		conn_release(&rc->conns[i]);
	runner_forget(rc->rn, rc);
	if (rc->agent != NULL)
		rc->rn->agops->close(rc->agent);
	if (rc->dump != NULL)
		wire_dump_close(rc->dump, 0, NULL);
	rmeasure_free(rc->meas);
	free(rc->rs_dgram);
	free(rc->pcap_path);
	check_att_free(&rc->fnd);
	free(rc);
}

/* The case's service: the first it needs, in the order of this table. */
static const struct {
	unsigned	need;
	enum run_service svc;
	const char	*name;
} svc_needs[] = {
	{ CASE_NEED_HTTP, RUN_SVC_HTTP, "an HTTP server" },
	{ CASE_NEED_ECHO, RUN_SVC_ECHO, "an echo service" },
	{ CASE_NEED_DISCARD, RUN_SVC_DISCARD, "a discard service" },
	{ CASE_NEED_BANNER, RUN_SVC_BANNER, "a banner service" },
};

/*
 * The services of a run: each --service NAME:PORT, and --port as the one
 * that --service NAME names.  Cases that need only an open port use
 * --port, else (without the agent, which opens a listener for each) a
 * service that reads what it is sent and closes only after the peer
 * (HTTP, discard, echo; a banner closes at once, last resort).
 */
void
run_target_services(const struct run_opts *o, struct run_target *t)
{
	static const enum run_service pref[] = { RUN_SVC_HTTP,
	    RUN_SVC_DISCARD, RUN_SVC_ECHO, RUN_SVC_BANNER };
	size_t i;

	memcpy(t->svc_port, o->svc_port, sizeof(t->svc_port));
	t->port = (uint16_t)o->port;
	/* With the agent, such cases get a listener of their own. */
	for (i = 0; t->port == 0 && o->agent == NULL &&
	    i < sizeof(pref) / sizeof(pref[0]); i++)
		t->port = t->svc_port[pref[i]];
}

/* The target port of a case's connections; 0 when the agent gives one. */
uint16_t
run_target_port(const struct run_target *t, unsigned needs)
{
	size_t i;

	for (i = 0; i < sizeof(svc_needs) / sizeof(svc_needs[0]); i++)
		if (needs & svc_needs[i].need)
			return t->svc_port[svc_needs[i].svc];
	return t->port;
}

/*
 * Needs the target cannot meet make the case not applicable: an agent, a
 * port for agentless cases (the agent can open one), a service, a family.
 */
int
rcase_needs_met(const struct runner *rn, const struct case_prog *p,
    char *why, size_t cap)
{
	const struct run_target *t = &rn->tgt;
	size_t i;
	int j;

	/*
	 * A probe that may crash or wedge a fragile stack (malformed
	 * options, forged ICMP) goes to a host of this machine's own, or
	 * to another host only when the user asked for it.
	 */
	for (j = 0; j < p->ntags; j++)
		if (strcmp(p->tags[j], RUN_TAG_INTRUSIVE) == 0 &&
		    !t->loopback && !rn->opts->intrusive)
			return snprintf(why, cap, "intrusive: it could crash "
			    "or wedge a fragile stack; --intrusive runs it "
			    "against a remote target"), 0;
	if ((p->needs & CASE_NEED_AGENT) && !t->has_agent)
		return snprintf(why, cap, "needs the agent (--agent)"), 0;
	if ((p->needs & CASE_NEED_ANY_PORT) && t->port == 0 && !t->has_agent)
		return snprintf(why, cap, "needs an open port (--port or "
		    "--agent)"), 0;
	for (i = 0; i < sizeof(svc_needs) / sizeof(svc_needs[0]); i++)
		if ((p->needs & svc_needs[i].need) &&
		    t->svc_port[svc_needs[i].svc] == 0)
			return snprintf(why, cap, "needs %s (--service "
			    "%s:PORT)", svc_needs[i].name, run_service_name(
			    svc_needs[i].svc)), 0;
	if ((p->needs & CASE_NEED_IPV4) && t->family != AF_INET)
		return snprintf(why, cap, "runs over IPv4 only"), 0;
	if ((p->needs & CASE_NEED_IPV6) && t->family != AF_INET6)
		return snprintf(why, cap, "runs over IPv6 only"), 0;
	if ((p->needs & CASE_NEED_SAME_LINK) && !t->same_link)
		return snprintf(why, cap, "needs the tester on the target's "
		    "link"), 0;
	return 1;
}

/*
 * Start the attempt: check its needs, give each connection a port, open the
 * pcap and the agent's control connection.  Returns -1 when the case is
 * already over (not applicable, or an error).
 */
int
rcase_start(struct rcase *rc)
{
	struct runner *rn = rc->rn;
	char why[160], *err = NULL;
	int i;

	rc->t0 = rc->tprev = rc->act_prev = rc->act_cur = rc->scope =
	    runner_now(rn);
	if (rc->not_before > rn->now) {
		rc->pre = RC_PRE_GAP;	/* rcase_step() starts it then */
		return 0;
	}
	rc->cap_drop0 = 0;
	if (rn->net.ops->stats != NULL) {
		uint64_t rcv;

		rn->net.ops->stats(rn->net.arg, &rcv, &rc->cap_drop0);
	}
	if (!rcase_needs_met(rn, rc->prog, why, sizeof(why))) {
		rcase_finish(rc, FIND_NA, "%s", why);
		return -1;
	}
	if (rc->na_why != NULL) {
		rcase_finish(rc, FIND_NA, "this kind of target "
		    "cannot show it (the baseline: %s)", rc->na_why);
		return -1;
	}
	for (i = 0; i < rc->nconns; i++) {
		if (runner_port_alloc(rn, &rc->conns[i].tuple.lport) == -1) {
			rcase_finish(rc, FIND_ERROR, "no free "
			    "port for the peer");
			return -1;
		}
		runner_port_bind(rn, rc->conns[i].tuple.lport, &rc->conns[i]);
	}
	if (rc->pcap_path != NULL &&
	    (rc->dump = wire_dump_open(rc->pcap_path, &err)) == NULL) {
		rcase_finish(rc, FIND_ERROR, "pcap: %s", err);
		free(err);
		return -1;
	}
	if (rn->tgt.has_agent && rcase_uses_agent(rc)) {
		rc->pre = RC_PRE_AGENT;
		rc->deadline = rc->t0 + RUN_AGENT_BUSY_US;
		return 0;
	}
	return rcase_pre_start(rc);
}

/*
 * The case's control connection, made without blocking: on a lossy path
 * the kernel's SYN or the greeting may be lost, and a connect that
 * blocked would stop every case of the run for a second or more (their
 * answers late: Linux's timers that restart at our answer then run
 * long).  An agent that serves its maximum of control connections (-m)
 * refuses more with EBUSY, also for a moment after a case closed one; the
 * case then waits for a free one.  A connect that drew no answer, or
 * whose greeting drew no reply, is tried again too: the kernel's SYN and
 * its retransmissions, or the greeting and its, can all be lost within
 * one try.
 */
int
rcase_agent_open(struct rcase *rc)
{
	struct runner *rn = rc->rn;
	char *err = NULL;
	int r = -1;

	if (rc->agent != NULL ||
	    (rc->agent = rn->agops->start(rn->agarg, &err)) != NULL) {
		if ((r = rn->agops->ready(rc->agent, &err)) == 0) {
			/* Under way: the loop goes on meanwhile. */
			rc->wake = rn->now + RUN_AGENT_POLL_US;
			return RS_BLOCK;
		}
		if (r == -1) {
			rn->agops->close(rc->agent);
			rc->agent = NULL;
		}
	}
	if (r == 1) {
		rc->pre = 0;
		rc->t0 = rc->tprev = rc->act_prev = rc->act_cur = rc->scope =
		    rn->now;
		return rcase_pre_start(rc) == -1 ? RS_END : RS_DONE;
	}
	if (err != NULL && (strstr(err, "EBUSY") != NULL ||
	    strstr(err, "no answer") != NULL ||
	    strstr(err, "no reply") != NULL) && runner_now(rn) < rc->deadline) {
		free(err);
		rc->wake = rn->now + 20000;
		return RS_BLOCK;
	}
	rcase_finish(rc, FIND_ERROR, "agent unreachable: %s",
	    err != NULL ? err : "?");
	free(err);
	return RS_END;
}

/* Run statements until one blocks or the case ends. */
void
rcase_step(struct rcase *rc)
{
	const struct case_stmt *st;
	int r;

	rc->wake = 0;
	while (!rc->done) {
		if (rc->pre == RC_PRE_GAP) {
			if (rc->rn->now < rc->not_before) {
				rc->wake = rc->not_before;
				return;
			}
			rc->pre = 0;
			rc->not_before = 0;
			if (rcase_start(rc) == -1)
				return;
			continue;
		}
		if (rc->pre == RC_PRE_AGENT) {
			if (rcase_agent_open(rc) != RS_DONE)
				return;
			continue;
		}
		if (rc->pre) {
			if (rcase_pre_step(rc) != RS_DONE)
				return;
			continue;
		}
		if (rc->pc >= rc->prog->nstmts) {
			/* Its last datagrams belong in its record. */
			if (rc->nqueued > 0) {
				rc->wake = runner_out_next(rc->rn);
				return;
			}
			rcase_end(rc);
			return;
		}
		st = &rc->prog->stmts[rc->pc];
		if (!rc->begun) {
			rc->begun = 1;
			rc->acted = 0;
			rc->wait_for = RW_NONE;
		}
		r = rstmt_run(rc, st);
		if (r != RS_DONE)
			return;
		rc->pc++;
		rc->begun = 0;
	}
}

/*
 * The one place the runner records a finding: it joins the attempt's
 * list (check_verdict() reads it), its differences and the segment it
 * names go into the attempt's record, and a finding that ends the attempt
 * ends it.  The first of those decides: anything after the end is dropped.
 */
void
rcase_record(struct rcase *rc, struct finding *f)
{
	long idx;
	int i, ends;

	if (rc->done) {
		check_finding_free(f);
		return;
	}
	if (f->expect != NULL && (idx = rec_missing(rc, f)) >= 0 &&
	    f->seg < 0)
		f->seg = idx;
	for (i = 0; rc->res != NULL && i < f->ndiffs && i < RUN_DIFF_MAX;
	    i++)
		result_diff_add(rc->res, f->diffs[i].field, f->diffs[i].exp,
		    f->diffs[i].obs);
	if (f->seg >= 0 || f->expect != NULL) {
		if (rc->res != NULL)
			rc->res->mismatch_seg = f->seg;
		if (f->st != NULL)
			rcase_rec_line(rc, f->seg, f->st);
	}
	ends = check_finding_ends(f);
	/* The finding that decides names its line for the summary. */
	if (ends && f->st != NULL && rc->res != NULL)
		rc->res->line = f->st->loc.line;
	check_att_add(&rc->fnd, f);
	if (ends)
		rcase_end(rc);
}

/* The runner's own finding without a line: an error, needs not met. */
void
rcase_finish(struct rcase *rc, enum find_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rcase_vfail(rc, NULL, kind, -1, fmt, ap);
	va_end(ap);
}

/* The finding that ended the attempt, or NULL (none yet, or a pass). */
const struct finding *
rcase_decided(const struct rcase *rc)
{
	size_t i;

	for (i = 0; i < rc->fnd.n; i++)
		if (check_finding_ends(&rc->fnd.v[i]))
			return &rc->fnd.v[i];
	return NULL;
}

/* Whether a finding of this kind was recorded. */
int
rcase_found(const struct rcase *rc, enum find_kind kind)
{
	size_t i;

	for (i = 0; i < rc->fnd.n; i++)
		if (rc->fnd.v[i].kind == kind)
			return 1;
	return 0;
}

/* The host kernel sent an RST from one of the peer's ports. */
void
rcase_host_rst(struct rcase *rc)
{
	if (rc->done || rcase_found(rc, FIND_HOSTRST))
		return;
	rcase_finish(rc, FIND_HOSTRST, "the host kernel sent an RST from the "
	    "peer's port: the guard did not hold");
}

/* A measurement was recorded (a pass becomes info). */
void
rcase_measured(struct rcase *rc)
{
	struct finding f;

	if (rc->done || rcase_found(rc, FIND_MEASURED))
		return;
	check_finding(&f, FIND_MEASURED, rc->prog, NULL, NULL);
	rcase_record(rc, &f);
}

/*
 * Whether the segment of the target recorded at rec is a bare ACK that
 * acknowledges nothing its earlier segments on the connection did not (a
 * duplicate ACK, RFC 5681 2), or the first ACK of all (the answer to a
 * copy of our SYN, where the SYN-ACK was lost): what a copy of a segment
 * of ours draws.
 */
static int
dup_ack(const struct rcase *rc, long rec)
{
	const struct rconn *c;
	const struct rseg *r, *p;
	uint32_t hi = 0;
	int acked = 0;

	if ((r = rec_seg(rc, rec, &c)) == NULL)
		return 0;
	if ((r->seg.flags & (SEG_SYN | SEG_FIN | SEG_RST | SEG_ACK)) !=
	    SEG_ACK || r->seg.len != 0)
		return 0;
	for (p = c->segs; p != r; p = p->next)
		if ((p->seg.flags & SEG_ACK) && (!acked ||
		    seq_gt(p->seg.ack, hi))) {
			hi = p->seg.ack;
			acked = 1;
		}
	return !acked || !seq_gt(r->seg.ack, hi);
}

/*
 * Whether the segment of the target recorded at rec is the reset that
 * answers the last '<' line's segment (an ACK, a SYN-ACK) where it found
 * no connection: "<SEQ=SEG.ACK><CTL=RST>" (RFC 9293 3.10.7.1).  That
 * segment arrived, so its loss cannot explain what the target did, nor
 * the loss of an answer the target would have sent instead.  (An RST to
 * a path copy of ours that came after the first had closed the
 * connection is RUN_TR_ECHO's, path_signs().)
 */
static int
answers_ours(const struct rcase *rc, long rec)
{
	const struct rseg *r;

	return rc->rs_ok &&
	    (rc->rs_seg.flags & (SEG_ACK | SEG_RST)) == SEG_ACK &&
	    (r = rec_seg(rc, rec, NULL)) != NULL &&
	    (r->seg.flags & (SEG_RST | SEG_ACK | SEG_SYN)) == SEG_RST &&
	    r->seg.seq == rc->rs_seg.ack && r->seg.sport == rc->rs_seg.dport &&
	    r->seg.dport == rc->rs_seg.sport;
}

/*
 * Whether the last '<' line sent an ACK alone (no data, SYN, FIN or RST),
 * which nothing answers: its loss shows only in what the target does next.
 */
static int
ack_alone(const struct rcase *rc)
{
	return rc->rs_ok && rc->rs_seg.len == 0 &&
	    (rc->rs_seg.flags & (SEG_SYN | SEG_FIN | SEG_RST | SEG_ACK)) ==
	    SEG_ACK;
}

/*
 * Whether the segment of the target recorded at rec acknowledges the SYN
 * of a SYN with RST of ours (handshake/listen-syn-rst): it answers that
 * very segment, which therefore arrived; its loss cannot explain it.
 */
static int
answers_syn_rst(const struct rcase *rc, long rec)
{
	const struct rseg *r;

	return rc->rst_syn && (r = rec_seg(rc, rec, NULL)) != NULL &&
	    (r->seg.flags & SEG_ACK) && r->seg.ack == rc->rst_syn_ack;
}

/*
 * Whether the segment of the target recorded at rec starts beyond the end
 * of everything the target sent before it on the connection (its SYN
 * included): the target sent the sequence numbers between, and the
 * capture never saw them.  With the capture's own drops aside, the path
 * lost them (the first data segment, say, where a case expects it and
 * the second comes).
 */
static int
hole_seg(const struct rcase *rc, long rec)
{
	const struct rconn *c;
	const struct rseg *r;
	uint32_t end = 0;

	return (r = rec_seg(rc, rec, &c)) != NULL && sent_end(c, r, &end) &&
	    seq_gt(r->seg.seq, end);
}

/*
 * The end of all the target sent on connection c before its segment r
 * (copies aside), into *end; 0 when it sent nothing before.
 */
static int
sent_end(const struct rconn *c, const struct rseg *r, uint32_t *end)
{
	const struct rseg *p;
	uint32_t e;
	int seen = 0;

	for (p = c->segs; p != r; p = p->next) {
		if (p->dup)
			continue;
		e = p->seg.seq + seg_seqlen(&p->seg);
		if (!seen || seq_gt(e, *end))
			*end = e;
		seen = 1;
	}
	return seen;
}

/*
 * Whether the segment of the target recorded at rec carries data the
 * target sent before on the connection and goes on beyond the end of all
 * it sent (more data, or its FIN): a retransmission that repacketized
 * what it sends again (RFC 1122 4.2.2.15), the path having lost the
 * segment that went beyond before (Linux sends its data and FIN again as
 * one segment when its FIN alone was lost).
 */
static int
repack_seg(const struct rcase *rc, long rec)
{
	const struct rconn *c;
	const struct rseg *r;
	uint32_t end = 0;

	return (r = rec_seg(rc, rec, &c)) != NULL && r->seg.len > 0 &&
	    !(r->seg.flags & (SEG_SYN | SEG_RST)) && sent_end(c, r, &end) &&
	    seq_lt(r->seg.seq, end) &&
	    seq_gt(r->seg.seq + seg_seqlen(&r->seg), end);
}

/*
 * Whether failure f was decided by the ACK field of a segment of the
 * target's (no RST) that acknowledges all we sent before a data or FIN
 * segment of ours, sent before it on the connection, and nothing of that
 * segment: it stops where ours begins, and none of the target's earlier
 * segments acknowledged more.  What the target shows when the path lost
 * that segment of ours.
 */
static int
short_ack(const struct rcase *rc, const struct finding *f)
{
	const struct rconn *c;
	const struct rseg *r, *p;
	const struct seg_rec *o;
	long i;
	int j;

	if ((r = rec_seg(rc, f->seg, &c)) == NULL || rc->res == NULL ||
	    (r->seg.flags & (SEG_ACK | SEG_RST)) != SEG_ACK ||
	    !c->our_seen || !seq_lt(r->seg.ack, c->our_end))
		return 0;
	for (j = 0; j < f->ndiffs; j++)
		if (strcmp(f->diffs[j].field, "ack") == 0)
			break;
	if (j == f->ndiffs)
		return 0;
	for (p = c->segs; p != r; p = p->next)
		if ((p->seg.flags & SEG_ACK) && seq_gt(p->seg.ack, r->seg.ack))
			return 0;
	/* Ours, recorded before it (rcase_end() sorts them later). */
	for (i = 0; i < f->seg && (size_t)i < rc->res->nsegs; i++) {
		o = rc->res->segs[i];
		if (o->dir == SEGDIR_TO_TARGET && o->kind == SEGK_OBSERVED &&
		    (o->len > 0 || (o->flags & SEGF_FIN)) &&
		    !(o->flags & (SEGF_SYN | SEGF_RST)) &&
		    o->seq_abs == r->seg.ack)
			return 1;
	}
	return 0;
}

/*
 * Whether the segment of the target's recorded at rec is a resend (not a
 * path's copy) of a SYN, data or FIN it sent before the last statement of
 * ours that acted late was due, and came after that statement acted or
 * its datagram left, by less than its lateness.  The target's own timer
 * sent it, not our segment, and ours, on time, would have reached the
 * target that much before: before the timer fired, where the case counts
 * on it to stop the timer or to be answered first (our new SYN 1.02 s
 * late behind the rate limit, Linux's SYN-ACK resent by its 1 s timer
 * 2.4 ms after it, where handshake/syn-received-new-syn forbids one).
 */
static int
late_resend(const struct rcase *rc, long rec)
{
	const struct rconn *c;
	const struct rseg *r, *p;

	if (rc->late_act == 0 || (r = rec_seg(rc, rec, &c)) == NULL ||
	    r->dup || seg_seqlen(&r->seg) == 0 || r->t <= rc->late_act ||
	    r->t - rc->late_act >= rc->late_act - rc->late_due)
		return 0;
	for (p = c->segs; p != r; p = p->next)
		if (!p->dup && p->t < rc->late_due &&
		    p->seg.seq == r->seg.seq && p->seg.len == r->seg.len &&
		    (p->seg.flags & (SEG_SYN | SEG_FIN | SEG_RST)) ==
		    (r->seg.flags & (SEG_SYN | SEG_FIN | SEG_RST)))
			return 1;
	return 0;
}

/* What a recorded segment takes of the sequence space. */
static uint32_t
rec_seqlen(const struct seg_rec *o)
{
	return o->len + ((o->flags & SEGF_SYN) != 0) +
	    ((o->flags & SEGF_FIN) != 0);
}

/*
 * Whether the segment of the target's recorded at rec acknowledges all of
 * a segment of ours (SYN, data or FIN) that repeats an earlier one of ours
 * (the same sequence number, flags and length) with nothing of the
 * target's recorded between the two: the first drew no answer, and may
 * never have arrived.
 */
static int
twin_unanswered(const struct rcase *rc, long rec)
{
	const struct seg_rec *o, *l = NULL;
	const struct rseg *r;
	long i;

	if ((r = rec_seg(rc, rec, NULL)) == NULL || rc->res == NULL ||
	    !(r->seg.flags & SEG_ACK) || (size_t)rec > rc->res->nsegs)
		return 0;
	for (i = rec - 1; i >= 0; i--) {
		o = rc->res->segs[i];
		if (o->kind != SEGK_OBSERVED)
			continue;
		if (l == NULL) {
			if (o->dir == SEGDIR_TO_TARGET && rec_seqlen(o) > 0 &&
			    !(o->flags & SEGF_RST) &&
			    o->seq_abs + rec_seqlen(o) == r->seg.ack)
				l = o;
			continue;
		}
		if (o->dir != SEGDIR_TO_TARGET)
			return 0;
		if (o->seq_abs == l->seq_abs && o->flags == l->flags &&
		    o->len == l->len)
			return 1;
	}
	return 0;
}

/*
 * End the attempt: note what the capture lost meanwhile, let go of its
 * ports and connections, put its segments in time order.
 */
void
rcase_end(struct rcase *rc)
{
	struct runner *rn = rc->rn;
	const struct finding *d, *fail;
	struct finding f;
	uint64_t rcv, drop;
	unsigned tr = 0;
	char trs[512];
	int i, fails, gone, drawn;

	if (rc->done)
		return;
	if (rn->net.ops->stats != NULL &&
	    rn->net.ops->stats(rn->net.arg, &rcv, &drop) == 0 &&
	    drop > rc->cap_drop0) {
		check_finding(&f, FIND_CAPLOSS, rc->prog, NULL, "the capture "
		    "lost %llu datagrams", (unsigned long long)(drop -
		    rc->cap_drop0));
		f.count = drop - rc->cap_drop0;
		check_att_add(&rc->fnd, &f);
	}
	/*
	 * A miss while the agent went away (killed, its host rebooting) is
	 * the tester's side failing, not the target's: the target's kernel
	 * resets the connections of a dead application, which would read as
	 * an RST the case forbids.
	 */
	d = rcase_decided(rc);
	fails = d != NULL && check_finding_fails(d);
	gone = fails && agent_gone(rc);
	if (gone)
		gone_note(rc, d);
	else if (fails && ctl_fd(rc) >= 0 && rn->fatal == NULL)
		rc->gone_by = rn->now + RUN_AGENT_GONE_US;
	/*
	 * Path trouble counts when it came during the exchange that decided:
	 * since the statement before the deciding one acted (a lost SYN of
	 * the handshake, long answered, says nothing about a later line).
	 */
	for (i = 0; i < RUN_TR_N; i++)
		if (rc->tr_t[i] != 0 && rc->tr_t[i] >= rc->act_prev)
			tr |= 1U << i;
	/*
	 * What follows reads the failure that decided (none when the agent
	 * went away: that is the tester's side); the finding added above
	 * comes only then, so the deciding one stays the same.
	 */
	fail = fails && !gone ? d : NULL;
	/* The deciding segment seems to answer a copy of ours (path_signs());
	 * no path on loopback copies it. */
	if (fail != NULL && !rn->tgt.loopback && echo_seg(rc, fail->seg))
		tr |= RUN_TR_ECHO;
	/*
	 * On a path known to lose, copy or reorder datagrams, a miss may be
	 * its doing even with no sign of it here (a lost RST is never sent
	 * again): retried, and a failure only when every attempt fails alike.
	 * Not a segment that came and was wrong, or forbidden: loss takes
	 * segments away, it makes none (a copy or a reordered one shows in
	 * the attempt's own signs).  Off loopback, a segment that never came
	 * may have been lost on the way, or ours that it answers (a case
	 * with "set resend off" sends it once), before the run has seen any
	 * other sign of loss: the same.  Not where the target reset the
	 * last segment of ours (answers_ours()): that one arrived, and the
	 * reset stands for the answer a line waits for (the fault r2-63s's
	 * RST to our SYN-ACK after 3 minutes, retransmission/
	 * syn-retried-3min: five attempts alike every run); nor at a
	 * back-off step that came after about the interval before (3/4 to
	 * 9/8 of it, finding.flat): a lost resend makes a timer that
	 * doubles look 4/3 at least, and a path copy comes at once.
	 */
	if (fail != NULL && ((rn->lossy > 0 && fail->kind != FIND_MISMATCH &&
	    fail->kind != FIND_FORBIDDEN) || (!rn->tgt.loopback &&
	    fail->kind == FIND_MISSING)) && !answers_ours(rc, fail->seg) &&
	    !fail->flat)
		tr |= RUN_TR_PATH;
	/*
	 * Loss makes no segment, but a copy of one of ours does: the
	 * target answers it with a duplicate ACK (RFC 9293 3.10.7.4 first,
	 * for an old segment; RFC 5961 4.2, for a copied SYN), which the
	 * capture cannot tell from an answer to the case's own segment,
	 * since it sees ours once, before the path copies it.  Off
	 * loopback, a line that a duplicate ACK failed is tried again; a
	 * target that answers so every time still fails every attempt.
	 */
	if (fail != NULL && !rn->tgt.loopback &&
	    fail->kind == FIND_MISMATCH && dup_ack(rc, fail->seg))
		tr |= RUN_TR_DUPACK;
	/*
	 * Nor does loss make a segment, but it can take away the one a line
	 * waits for, and leave the next in its place (a lost first data
	 * segment: the second comes, one MSS on).  Off loopback, a line
	 * failed by a segment that starts beyond all the target sent before
	 * is tried again; a target that skips sequence numbers every time
	 * still fails every attempt.
	 */
	if (fail != NULL && !rn->tgt.loopback &&
	    fail->kind == FIND_MISMATCH && hole_seg(rc, fail->seg))
		tr |= RUN_TR_HOLE;
	/*
	 * Loss can also make the target send again, in one segment, data it
	 * sent before and what came after it (repack_seg()): its data and
	 * FIN as one segment where a line waits for the FIN alone
	 * (simultaneous-close/fins-with-data failed once in 4,920 results
	 * under 5 % loss so).  Off loopback, a line failed by such a segment
	 * is tried again; a target that sends its FIN only so does it in
	 * every attempt.
	 */
	if (fail != NULL && !rn->tgt.loopback &&
	    fail->kind == FIND_MISMATCH && repack_seg(rc, fail->seg))
		tr |= RUN_TR_RETRANS;
	/*
	 * An RST of ours draws no answer (RFC 9293 3.10.7: a reset is never
	 * answered), nor does an ACK alone, so a '<' line that sends one is
	 * never sent again and its loss shows only in what the target does
	 * next: an ACK where the reset was to end the connection
	 * (rst/rst-with-payload), new data where our last ACK shrank the
	 * window (window/peer-shrinks-window).  Off loopback, a segment that
	 * came and was wrong, or forbidden, after an RST of ours, or right
	 * after such an ACK, is tried again; a target that ignores the reset
	 * or the window does so in every attempt.  Not a segment that
	 * acknowledges the SYN of a SYN with RST of ours: it answers that
	 * segment, which arrived (a listener that takes it for a SYN); nor
	 * the reset of our ACK (answers_ours(): data-r2-100s's ACK that
	 * found the connection given up).
	 */
	if (fail != NULL && !rn->tgt.loopback && (rc->rst_out ||
	    ack_alone(rc)) && (fail->kind == FIND_MISMATCH ||
	    fail->kind == FIND_FORBIDDEN) && !answers_syn_rst(rc, fail->seg) &&
	    !answers_ours(rc, fail->seg))
		tr |= RUN_TR_RSTOUT;
	/*
	 * Data or a FIN of ours beyond what the target has received (beyond
	 * a hole: close/fin-beyond-hole's FIN) draws no answer of its own
	 * where the target holds it, so a line with "set resend off" sends
	 * it once, and its loss shows only later, in an ACK that stops where
	 * it begins (RFC 9293 3.10.7.4: the ACK names RCV.NXT).  Off
	 * loopback, a line failed by the ACK field of such a segment is
	 * tried again; a target that drops or forgets that segment does so
	 * in every attempt.
	 */
	if (fail != NULL && !rn->tgt.loopback &&
	    fail->kind == FIND_MISMATCH && short_ack(rc, fail))
		tr |= RUN_TR_SHORT;
	/*
	 * A case may send one segment twice, the first meant to draw no
	 * answer (a new SYN that returns a half-open connection to LISTEN,
	 * RFC 9293 3.10.7.4 fourth, then the same SYN to open a connection:
	 * handshake/syn-received-new-syn).  If the path lost the first, the
	 * second meets the state the first was to end, and the answer to it
	 * is that state's (Linux's RST for a new SYN in SYN-RECEIVED, where
	 * the case waits for a SYN-ACK).  Off loopback, a line failed by the
	 * answer to a segment of ours that repeats an earlier one with
	 * nothing of the target's between them is tried again; a target that
	 * answers so every time fails every attempt.
	 */
	if (fail != NULL && !rn->tgt.loopback &&
	    (fail->kind == FIND_MISMATCH || fail->kind == FIND_FORBIDDEN) &&
	    twin_unanswered(rc, fail->seg))
		tr |= RUN_TR_RESENT;
	/*
	 * Our own lateness (rcase_late()), on any path, loopback too: a
	 * segment of the target's came before a line of ours that acted
	 * late, or a resend of the target's timer came right after it
	 * (late_resend()).
	 */
	if (fail != NULL && (rc->late_seen || late_resend(rc, fail->seg)))
		tr |= RUN_TR_LATE;
	/*
	 * An attempt that would pass, where a line took an ACK that our
	 * segments drew out of order or twice (ours_drawn()): the target
	 * acknowledged the path's doing, not the exchange the case
	 * checks, so the pass shows nothing and the attempt is tried again
	 * (check_verdict()).  A target that keeps the rule passes another
	 * attempt; one that breaks it fails those the path leaves alone.
	 * No path on loopback reorders or copies.
	 */
	if (!gone && d == NULL && !rn->tgt.loopback && used_drawn(rc))
		tr |= RUN_TR_DRAWN;
	/*
	 * An attempt that failed after such a line got past that line on
	 * the path's doing, not the target's: a target that withholds the
	 * ACK a line waits for answers at once a path copy of the segment
	 * it waits on, old data by then (RFC 9293 3.10.7.4: an unacceptable
	 * segment draws an ACK), which its D-SACK block shows (the fault
	 * hole-fill-ack-delayed, ack/ooo-dup-ack-then-fill's first fill
	 * copied: its next fill missed the ACK).  The retries' verdict
	 * counts the attempt as failed no later than that line (the twins'
	 * last line, run_aggregate_retries()).
	 */
	if (fail != NULL && !rn->tgt.loopback && fail->st != NULL &&
	    (drawn = used_drawn(rc)) != 0 && drawn < fail->st->loc.line)
		tr |= RUN_TR_DRAWN;
	else
		drawn = 0;
	/*
	 * A pass that one lost segment fakes (check_fragile()): a back-off
	 * judged on one step (retransmission/syn-backoff: the second
	 * interval twice the first) against a timer that does not back
	 * off, when the path lost the resend that ends the step; one line
	 * that forbids a segment again at once (close/retransmitted-fin's
	 * FIN), against a target that sends it twice, when the path lost
	 * one of the two.  Off loopback, such a pass is tried again, and
	 * two make it (run_aggregate_retries()).
	 */
	if (!gone && d == NULL && !rn->tgt.loopback &&
	    check_fragile(rc->prog))
		tr |= RUN_TR_ONCE;
	if (tr != 0) {
		check_finding(&f, FIND_PATH, rc->prog, NULL, "%s: %s",
		    tr == RUN_TR_LATE ? "the tester" : (tr & RUN_TR_LATE) ?
		    "the path and the tester" : "the path",
		    run_trouble_str(tr, trs, sizeof(trs)));
		f.trouble = tr;
		f.drawn = drawn;
		check_att_add(&rc->fnd, &f);
	}
	rc->done = 1;
	for (i = 0; i < rc->nconns; i++)
		if (rc->conns[i].tuple.lport != 0)
			runner_port_bind(rn, rc->conns[i].tuple.lport, NULL);
	for (i = 0; i < rc->nconns; i++)
		conn_release(&rc->conns[i]);
	if (rc->res != NULL) {
		rc->res->duration_us = (int64_t)(runner_now(rn) - rc->t0);
		sort_segs(rc->res);
	}
}

/*
 * What was expected and never came, as a segment of the record (its
 * fields those the line wrote, its time when it was due).
 */
static long
rec_missing(struct rcase *rc, const struct finding *f)
{
	struct rconn *c = rcase_conn(rc, f->st);
	const struct case_seg *cs = f->expect;
	struct seg_rec *r;

	if (rc->res == NULL)
		return -1;
	r = result_seg_add(rc->res);
	r->t_us = (int64_t)(f->due - rc->t0);
	r->dir = SEGDIR_FROM_TARGET;
	r->kind = SEGK_MISSING;
	r->flags = cs->flags;
	r->seq_rel = cs->seq;
	r->ack_rel = cs->ack;
	r->seq_abs = cs->seq + (c->obs.side[SEGDIR_FROM_TARGET].isn_known ?
	    c->obs.side[SEGDIR_FROM_TARGET].isn : 0);
	r->ack_abs = cs->ack + c->obs.side[SEGDIR_TO_TARGET].isn;
	r->len = cs->len;
	r->win = cs->win;
	return (long)rc->res->nsegs - 1;
}

static void
record_fields(struct seg_rec *r, const struct seg *s,
    const struct run_bases *b)
{
	char opts[256];

	r->flags = s->flags & 0x1ff;
	r->seq_abs = s->seq;
	r->ack_abs = s->ack;
	r->seq_rel = s->seq - b->seq;
	r->ack_rel = s->ack - b->ack;
	r->len = (uint32_t)s->len;
	r->win = s->win;
	if (s->nopts > 0)
		result_set(&r->options, seg_opts_str(s, opts, sizeof(opts)));
	if (s->len > 0 && s->data != NULL)
		result_seg_payload(r, s->data, s->len);
}

/* The bases of a connection for one direction (dir: SEGDIR_*). */
void
rconn_bases(const struct rconn *c, int dir, struct run_bases *b)
{
	check_conn_bases(&c->obs, dir, b);
}

/* Append a segment to the attempt's record; returns its index. */
long
rcase_rec(struct rcase *rc, struct rconn *c, int dir, const struct seg *s,
    uint64_t t)
{
	struct case_result *res = rc->res;
	struct run_bases b;
	struct seg_rec *r;

	if (res == NULL)
		return -1;
	r = result_seg_add(res);
	r->t_us = t >= rc->t0 ? (int64_t)(t - rc->t0) : 0;
	r->dir = (enum seg_dir)dir;
	r->kind = SEGK_OBSERVED;
	rconn_bases(c, dir, &b);
	record_fields(r, s, &b);
	return (long)res->nsegs - 1;
}

/* Say which line a recorded segment belongs to. */
void
rcase_rec_line(struct rcase *rc, long idx, const struct case_stmt *st)
{
	char buf[512];
	struct seg_rec *r;

	if (rc->res == NULL || idx < 0 || (size_t)idx >= rc->res->nsegs)
		return;
	r = rc->res->segs[idx];
	result_set(&r->expect, case_stmt_fmt(rc->prog, st, buf, sizeof(buf)));
	result_set(&r->expect_file, st->loc.file);
	r->expect_line = st->loc.line;
}

static int
cmp_rec(const void *a, const void *b)
{
	const struct seg_rec *x = *(struct seg_rec *const *)a;
	const struct seg_rec *y = *(struct seg_rec *const *)b;

	return x->t_us < y->t_us ? -1 : x->t_us > y->t_us;
}

/*
 * Segments in time order (a missing segment is recorded when the case gives
 * up on it, with the time it was due); the mismatch index follows its
 * segment.  qsort is not stable, so ties keep their order by index first.
 */
static void
sort_segs(struct case_result *res)
{
	struct seg_rec *mis = NULL;
	size_t i, j;

	if (res->mismatch_seg >= 0 && (size_t)res->mismatch_seg < res->nsegs)
		mis = res->segs[res->mismatch_seg];
	for (i = 1; i < res->nsegs; i++)
		for (j = i; j > 0 && cmp_rec(&res->segs[j - 1],
		    &res->segs[j]) > 0; j--) {
			struct seg_rec *tmp = res->segs[j];

			res->segs[j] = res->segs[j - 1];
			res->segs[j - 1] = tmp;
		}
	for (i = 0; mis != NULL && i < res->nsegs; i++)
		if (res->segs[i] == mis)
			res->mismatch_seg = (long)i;
}

/*
 * The target's ISN is learned from its SYN whenever the peer's side of the
 * connection is not yet synchronized: a SYN-ACK to our SYN, its SYN to our
 * listener, a new incarnation.  A SYN in a synchronized connection is what
 * a case may be testing, and changes nothing.
 */
static void
learn_target_isn(struct rconn *c, const struct seg *s)
{
	if (!(s->flags & SEG_SYN))
		return;
	if (c->obs.side[SEGDIR_FROM_TARGET].isn_known && c->tcb != NULL &&
	    tcps_synchronized(c->tcb->state))
		return;
	check_conn_isn(&c->obs, SEGDIR_FROM_TARGET, s->seq);
}

static void
dump_add(struct rcase *rc, uint64_t t, const uint8_t *d, size_t len)
{
	struct timespec ts;
	char *err = NULL;

	if (rc->dump == NULL || d == NULL)
		return;
	ts.tv_sec = (time_t)(t / 1000000);
	ts.tv_nsec = (long)(t % 1000000) * 1000;
	if (wire_dump_add(rc->dump, &ts, d, len, &err) == -1) {
		wire_dump_close(rc->dump, 0, NULL);
		rc->dump = NULL;
		free(err);
	}
}

/* A segment of the target on one of the case's connections. */
void
rcase_seg_in(struct rconn *c, const struct seg *s, uint64_t t,
    const uint8_t *dgram, size_t len)
{
	struct rcase *rc = c->rc;
	struct finding pv[PV_N];
	struct rseg *r;
	int npv, i;

	if (rc->done)
		return;
	learn_target_isn(c, s);
	/* The passive checks see the connection as it was before s. */
	npv = check_passive_seg(&c->obs, s, -1, &rc->pv_fired, pv);
	check_conn_seg(&c->obs, SEGDIR_FROM_TARGET, s, t);
	if ((s->flags & (SEG_SYN | SEG_ACK)) == SEG_SYN && c->tcb == NULL) {
		/* The target opens: its port is the connection's now. */
		c->tuple.rport = s->sport;
		c->rport_set = 1;
	}
	if ((s->flags & (SEG_ACK | SEG_RST)) == SEG_ACK &&
	    (!c->their_ack_seen || seq_gt(s->ack, c->their_ack))) {
		c->their_ack = s->ack;
		c->their_ack_seen = 1;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		abort();
	r->dup = path_signs(c, s, t, &r->echo);
	/*
	 * Off loopback, the target's SYN-ACK or bare ACK again at once, with
	 * nothing of ours since, likely answers a path copy of ours (a copy
	 * of our FIN in its TIME-WAIT): the peer does not answer it with an
	 * RST, as it answers no copy of the target's (rn->dup_in), since
	 * that RST would end the state the case checks (the target's
	 * TIME-WAIT, RFC 9293 3.10.7.4) for a segment the case never sent.
	 */
	if (r->echo && !rc->rn->tgt.loopback)
		rc->rn->dup_in = 1;
	r->answer = !r->dup && answer_kind(s) && c->our_seen &&
	    s->ack == c->our_end;
	r->data_end = c->obs.side[SEGDIR_FROM_TARGET].data_end;
	r->drawn = !r->dup && ours_drawn(c, s);
	r->seg = *s;
	if (s->len > 0) {
		if ((r->data = malloc(s->len)) == NULL)
			abort();
		memcpy(r->data, s->data, s->len);
	}
	r->seg.data = r->data;
	r->t = t;
	if (!r->dup && rc->late_act != 0 && t > rc->late_due &&
	    t < rc->late_act)
		rc->late_seen = 1;	/* captured then, read only now */
	r->rec = rcase_rec(rc, c, SEGDIR_FROM_TARGET, s, t);
	*c->segs_tail = r;
	c->segs_tail = &r->next;
	dump_add(rc, t, dgram, len);
	rc->dirty = 1;
	for (i = 0; i < npv; i++) {
		pv[i].seg = r->rec;
		rcase_record(rc, &pv[i]);
	}
}

/*
 * Two segments of the target that are the same datagram: every field the
 * target would change in a segment it sends anew, the timestamps included
 * (a retransmission or a new ACK carries a later TSval or TSecr).
 */
static int
same_seg(const struct seg *a, const struct seg *b)
{
	return a->seq == b->seq && a->ack == b->ack && a->flags == b->flags &&
	    a->win == b->win && a->len == b->len && a->ip_id == b->ip_id &&
	    (a->has & SEG_HAS_TS) && (b->has & SEG_HAS_TS) &&
	    a->tsval == b->tsval && a->tsecr == b->tsecr &&
	    (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Is the attempt's segment rec one that path_signs() took for an echo? */
static int
echo_seg(const struct rcase *rc, long rec)
{
	const struct rseg *r = rec_seg(rc, rec, NULL);

	return r != NULL && r->echo;
}

/*
 * The target's segment recorded at rec in the attempt, and (c non-NULL)
 * the connection it came on; NULL when no connection holds it.
 */
static const struct rseg *
rec_seg(const struct rcase *rc, long rec, const struct rconn **c)
{
	const struct rseg *r;
	int i;

	if (rec < 0)
		return NULL;
	for (i = 0; i < rc->nconns; i++)
		for (r = rc->conns[i].segs; r != NULL; r = r->next)
			if (r->rec == rec) {
				if (c != NULL)
					*c = &rc->conns[i];
				return r;
			}
	return NULL;
}

/* A SYN-ACK, or an ACK with no data, FIN or RST. */
static int
answer_kind(const struct seg *s)
{
	return (s->flags & (SEG_SYN | SEG_ACK | SEG_FIN | SEG_RST)) ==
	    (SEG_SYN | SEG_ACK) || ((s->flags & (SEG_SYN | SEG_FIN |
	    SEG_RST | SEG_ACK)) == SEG_ACK && s->len == 0);
}

/*
 * Whether the attempt sent a SYN of ours with sequence number seq at or
 * after t.
 */
static int
syn_sent_since(const struct rcase *rc, uint32_t seq, uint64_t t)
{
	const struct seg_rec *o;
	size_t i;

	if (rc->res == NULL)
		return 1;
	for (i = 0; i < rc->res->nsegs; i++) {
		o = rc->res->segs[i];
		if (o->dir == SEGDIR_TO_TARGET && o->kind == SEGK_OBSERVED &&
		    (o->flags & SEGF_SYN) && o->seq_abs == seq &&
		    rc->t0 + (uint64_t)o->t_us >= t)
			return 1;
	}
	return 0;
}

/*
 * What a segment of the target says about the path (rcase.trouble).
 * With timestamps (RFC 7323), a copy of an earlier segment is one the path
 * duplicated (for a bare ACK, possibly the target's own second one within
 * a tick of its clock: judged by no line, but no sign of the path), and a
 * TSval below one already seen came out of order (a
 * target that sends anew always stamps anew, with a TSval that does not go
 * back); its SYN again, or data or a FIN below the highest sequence number
 * already seen, that we had acknowledged is a retransmission our ACK
 * should have stopped: our ACK was lost.  One we never acknowledged is the
 * target's own timer at work (a case that holds its ACKs watches it), not
 * a sign of the path.
 * Returns 1 for a copy: no '>' line judges it, and the peer does not answer
 * it with an RST (a copy of the target's FIN must not end its TIME-WAIT).
 * Without timestamps a copy cannot be told from a new segment.
 */
static int
path_signs(struct rconn *c, const struct seg *s, uint64_t t, int *echo)
{
	struct rcase *rc = c->rc;
	struct rseg *p;
	uint32_t end;
	int acked;

	for (p = c->segs; p != NULL; p = p->next)
		if (same_seg(&p->seg, s)) {
			/*
			 * Two bare ACKs alike within one tick of the
			 * timestamp clock may both be the target's own (the
			 * duplicate ACKs of two out-of-order segments, over
			 * IPv6 with no IP ID to tell them apart): not a sign
			 * that the path copies.  Either way no line judges
			 * the second.
			 */
			if (seg_seqlen(s) > 0)
				rcase_trouble(rc, RUN_TR_DUP);
			rc->rn->dup_in = 1;
			return 1;
		}
	/*
	 * The SYN-ACK (or bare ACK) that answered all we had sent, again
	 * within an RTT (and the path's jitter), with nothing of ours sent
	 * since: the answer to a copy of our SYN (data, FIN) that the path
	 * made, or the path's copy of it where there are no timestamps to
	 * tell one.  The tester cannot see its own segment copied, and the
	 * first attempt of a case that starts the run may end on it before
	 * any other sign of the path: off loopback, a failure this segment
	 * decides is the path's doing (rcase_end()), and a target that does
	 * it every time still fails every attempt.  A timer's
	 * retransmission comes an RTO later, and data or a FIN again at once
	 * is never taken for this.
	 */
	*echo = 0;
	if (answer_kind(s))
		for (p = c->segs; p != NULL; p = p->next)
			if (p->answer && p->seg.seq == s->seq &&
			    p->seg.ack == s->ack && p->seg.flags == s->flags &&
			    p->seg.len == s->len && c->our_t < p->t &&
			    t - p->t < (uint64_t)rc->rn->tol.late_us)
				*echo = 1;
	/*
	 * The same for the SYN-ACK again sooner than any retransmission
	 * timer (RUN_SYNACK_ECHO_US: RFC 6298 (2.1) starts it at 1 s, and no
	 * stack goes below a fifth of that), where nothing we sent since is
	 * the SYN it answers: the path held back or copied that SYN, and the
	 * target answered the copy while it was still half-open, or held
	 * back the answer (handshake/syn-received-new-syn on the lossy lab:
	 * its bridge held the answer to a copy of our first SYN until after
	 * our second SYN went out).
	 */
	if ((s->flags & (SEG_SYN | SEG_ACK | SEG_RST | SEG_FIN)) ==
	    (SEG_SYN | SEG_ACK))
		for (p = c->segs; p != NULL; p = p->next)
			if (p->answer && p->seg.seq == s->seq &&
			    p->seg.ack == s->ack && p->seg.flags == s->flags &&
			    t - p->t < RUN_SYNACK_ECHO_US &&
			    !syn_sent_since(rc, s->ack - 1, p->t))
				*echo = 1;
	/*
	 * A SYN-ACK of a new connection (another ISN than a SYN-ACK before
	 * it, which answered another SYN of ours) that answers our latest
	 * SYN: that SYN found LISTEN.  A new SYN that reaches a half-open
	 * connection returns it to LISTEN and is dropped (RFC 9293 3.10.7.4,
	 * fourth; Linux resets it too, as RFC 793 did), so where it found
	 * one, it is the path's copy of the SYN that found LISTEN (3.10.7.2)
	 * after the first had done that: a SYN-ACK where
	 * handshake/syn-received-new-syn forbids one.  The same as above:
	 * off loopback a failure it decides is tried again, and a target
	 * that opens a connection for such a SYN does so in every attempt.
	 */
	if ((s->flags & (SEG_SYN | SEG_ACK | SEG_RST | SEG_FIN)) ==
	    (SEG_SYN | SEG_ACK) && c->our_seen && s->ack == c->our_end)
		for (p = c->segs; p != NULL; p = p->next)
			if ((p->seg.flags & (SEG_SYN | SEG_ACK | SEG_RST)) ==
			    (SEG_SYN | SEG_ACK) && p->seg.seq != s->seq &&
			    p->seg.ack != s->ack)
				*echo = 1;
	/*
	 * An RST without ACK whose sequence number is the acknowledgment of
	 * the target's FIN that we sent: the reset for a segment of ours that
	 * found no connection (RFC 9293 3.10.7.1: "<SEQ=SEG.ACK><CTL=RST>").
	 * That ACK is what ends the target's LAST-ACK (3.10.7.4: "delete
	 * the TCB, enter the CLOSED state"), so it is a second copy of it
	 * that found none, the path's (rst-unread/only-fin-unread's false
	 * FAIL on the 5 % lossy path: an RST 20 ms after our last ACK, where
	 * none may come).  Off loopback a failure it decides is tried again,
	 * and a target that resets on that ACK does so in every attempt.
	 * Only a FIN that acknowledged ours, sent in CLOSE-WAIT: the target
	 * went on to LAST-ACK.  One that did not (it closed first, or the
	 * FINs crossed) leaves it in TIME-WAIT once acknowledged, where a
	 * copy of that ACK finds the connection (a target that skips
	 * TIME-WAIT resets our FIN sent again there:
	 * simultaneous-close/closing-time-wait-syn against no-time-wait was
	 * inconclusive in every attempt, and passed in 3 of 10 runs where
	 * the path lost our ACK in one).
	 */
	if ((s->flags & (SEG_RST | SEG_ACK | SEG_SYN)) == SEG_RST &&
	    c->ack_seen && s->seq == c->ack_hi && c->our_fin)
		for (p = c->segs; p != NULL; p = p->next)
			if ((p->seg.flags & (SEG_FIN | SEG_ACK | SEG_RST)) ==
			    (SEG_FIN | SEG_ACK) && p->seg.seq +
			    seg_seqlen(&p->seg) == s->seq &&
			    seq_ge(p->seg.ack, c->our_fin_end))
				*echo = 1;
	if (s->has & SEG_HAS_TS) {
		if (c->ts_seen && seq_lt(s->tsval, c->ts_max))
			rcase_trouble(rc, RUN_TR_REORDER);
		else
			c->ts_max = s->tsval;
		c->ts_seen = 1;
	}
	acked = c->ack_seen && seq_gt(c->ack_hi, s->seq);
	if ((s->flags & SEG_SYN) && c->obs.side[SEGDIR_FROM_TARGET].isn_known &&
	    s->seq == c->obs.side[SEGDIR_FROM_TARGET].isn && c->segs != NULL &&
	    acked)
		rcase_trouble(rc, RUN_TR_RETRANS);	/* its SYN again */
	if (seg_seqlen(s) > 0 && !(s->flags & SEG_SYN)) {
		end = s->seq + seg_seqlen(s);
		if (c->seq_seen && seq_le(end, c->seq_hi)) {
			if (acked)
				rcase_trouble(rc, RUN_TR_RETRANS);
		} else
			c->seq_hi = end;
		c->seq_seen = 1;
	}
	return 0;
}

/* How many of our data segments carried bytes of [l, r), and the index
 * of the first (-1: none). */
static int
ours_sent(const struct rconn *c, uint32_t l, uint32_t r, int *first)
{
	int i, n = 0;

	*first = -1;
	for (i = 0; i < c->nours; i++)
		if (seq_lt(c->ours[i].left, r) && seq_lt(l, c->ours[i].right)) {
			if (n++ == 0)
				*first = i;
		}
	return n;
}

/*
 * Whether one of our data segments sent before the one at index before
 * carried bytes of [l, r) that no SACK block of s holds: the target had
 * not received it when the later one came.
 */
static int
ours_missing(const struct rconn *c, const struct seg *s, uint32_t l,
    uint32_t r, int before)
{
	const struct seg_sack *o;
	int i, j, held;

	for (i = 0; i < before && i < c->nours; i++) {
		o = &c->ours[i];
		if (!seq_lt(o->left, r) || !seq_lt(l, o->right))
			continue;
		held = 0;
		for (j = 0; j < s->nsack && j < SEG_SACK_MAX; j++)
			if (seq_le(s->sack[j].left, o->left) &&
			    seq_le(o->right, s->sack[j].right))
				held = 1;
		if (!held)
			return 1;
	}
	return 0;
}

/*
 * Whether a segment of the target's is an ACK that the path's doing with
 * our data drew at once, by what its SACK blocks (RFC 2018) say.  A
 * receiver acknowledges at once a segment that arrives out of order, one
 * that fills a hole (RFC 5681 4.2: "A TCP receiver SHOULD send an
 * immediate duplicate ACK when an out-of-order segment arrives" and
 * "SHOULD send an immediate ACK when the incoming segment fills in all
 * or part of a gap") and one it already has (RFC 9293 3.10.7.4: not
 * acceptable, "an acknowledgment should be sent in reply"); such an ACK
 * says nothing of the rule a line checks (when to acknowledge in-order
 * data).  The capture sees ours once, in the order sent, before the
 * path; the target tells what arrived:
 *   - a block above its ACK, where we had sent data below the block,
 *     which no block holds, before the block's: that data came late or
 *     not at all (the path
 *     reordered or lost it); this ACK, and the next one that moves past
 *     the hole (the one its filling drew), are drawn;
 *   - a D-SACK block (RFC 2883 4: the first block, below the ACK or
 *     inside the second) over data we sent once, as new data: the path
 *     copied it.
 * A case that sends out of order on purpose (the hole's data after the
 * block's, or never), twice, or old data draws neither.
 */
static int
ours_drawn(struct rconn *c, const struct seg *s)
{
	const struct seg_sack *b;
	int i, fb, drawn = 0;

	if ((s->flags & (SEG_SYN | SEG_RST | SEG_ACK)) != SEG_ACK)
		return 0;
	if (c->hole_set && seq_gt(s->ack, c->hole_left)) {
		c->hole_set = 0;
		drawn = 1;
	}
	for (i = 0; i < s->nsack && i < SEG_SACK_MAX; i++) {
		b = &s->sack[i];
		if (!seq_lt(b->left, b->right))
			continue;
		if (i == 0 && (seq_le(b->right, s->ack) || (s->nsack > 1 &&
		    seq_ge(b->left, s->sack[1].left) &&
		    seq_le(b->right, s->sack[1].right)))) {
			if (ours_sent(c, b->left, b->right, &fb) == 1 &&
			    c->ours_fresh[fb])
				drawn = 1;
			continue;
		}
		if (!seq_gt(b->left, s->ack) ||
		    ours_sent(c, b->left, b->right, &fb) == 0 ||
		    !ours_missing(c, s, s->ack, b->left, fb))
			continue;
		if (!c->hole_set || seq_lt(s->ack, c->hole_left))
			c->hole_left = s->ack;
		c->hole_set = 1;
		drawn = 1;
	}
	return drawn;
}

/*
 * The first line (the lowest line number) that took an ACK that
 * ours_drawn() found drawn; 0 none.
 */
static int
used_drawn(const struct rcase *rc)
{
	const struct rseg *r;
	int i, first = 0;

	for (i = 0; i < rc->nconns; i++)
		for (r = rc->conns[i].segs; r != NULL; r = r->next)
			if (r->used && r->drawn && (first == 0 ||
			    r->used < first))
				first = r->used;
	return first;
}

/* A segment the peer sends on one of the case's connections. */
void
rcase_seg_out(struct rconn *c, const struct seg *s, uint64_t t,
    const uint8_t *dgram, size_t len)
{
	struct rcase *rc = c->rc;
	long idx;

	if (rc->done)
		return;
	if ((s->flags & SEG_ACK) && !(s->flags & SEG_RST) && (!c->ack_seen ||
	    seq_gt(s->ack, c->ack_hi))) {
		c->ack_hi = s->ack;
		c->ack_seen = 1;
	}
	/*
	 * New data: the bytes that fill a hole are new too, though data
	 * above them went first; data sent again, or below what the target
	 * acknowledged (old data on purpose), is not.
	 */
	if (s->len > 0 && c->nours < RUN_OURS_MAX) {
		struct seg_sack *o = &c->ours[c->nours];
		int fb;

		o->left = s->seq + ((s->flags & SEG_SYN) ? 1 : 0);
		o->right = o->left + s->len;
		c->ours_fresh[c->nours] = c->our_seen &&
		    ours_sent(c, o->left, o->right, &fb) == 0 &&
		    (!c->their_ack_seen || seq_ge(o->left, c->their_ack));
		c->nours++;
	}
	if ((s->flags & (SEG_FIN | SEG_RST)) == SEG_FIN) {
		c->our_fin = 1;
		c->our_fin_end = s->seq + seg_seqlen(s);
	}
	if (seg_seqlen(s) > 0 && (!c->our_seen ||
	    seq_gt(s->seq + seg_seqlen(s), c->our_end))) {
		c->our_end = s->seq + seg_seqlen(s);
		c->our_seen = 1;
	}
	c->our_t = t;
	if ((s->flags & SEG_SYN) && c->tcb != NULL && s->seq == c->tcb->iss)
		check_conn_isn(&c->obs, SEGDIR_TO_TARGET, s->seq);
	check_conn_seg(&c->obs, SEGDIR_TO_TARGET, s, t);
	idx = rcase_rec(rc, c, SEGDIR_TO_TARGET, s, t);
	if (rc->sending != NULL)
		rcase_rec_line(rc, idx, rc->sending);
	dump_add(rc, t, dgram, len);
}

/*
 * One of the case's datagrams left at t (queued at tq, by line or by the
 * peer's own work): record it with its wire time.  A '<' line that set the
 * time "+T" counts from (tprev) when it queued its datagram now sets it to
 * when the datagram left.  Other
 * waits (the peer's own ACKs, SYN-ACKs) are remembered: rcase_wait_adj()
 * takes them out of the time of the target's answers.
 */
void
rcase_sent(struct rcase *rc, const struct case_stmt *line, uint64_t tq,
    uint64_t t, const uint8_t *dgram, size_t len)
{
	const struct case_stmt *saved = rc->sending;
	struct rconn *c = NULL;
	struct seg s;
	char *err = NULL;
	int i;

	if (seg_decode(dgram, len, &s, &err) == -1) {
		free(err);
		return;
	}
	for (i = 0; i < rc->nconns && c == NULL; i++)
		if (rc->conns[i].tuple.lport == s.sport)
			c = &rc->conns[i];
	if (c == NULL)
		return;
	rc->sending = line;
	rcase_seg_out(c, &s, t, dgram, len);
	rc->sending = saved;
	/* The line's first datagram left late (the rate limit, or a busy
	 * host between the line's turn and the send): a resend later is
	 * meant to be. */
	if (line != NULL && rc->due_t != 0 && !rc->due_sent &&
	    line == &rc->prog->stmts[rc->due_pc]) {
		rc->due_sent = 1;
		rcase_late(rc, t);
	}
	if (t <= tq)
		return;
	rc->waits[rc->nwaits % RUN_WAITS].tq = tq;
	rc->waits[rc->nwaits++ % RUN_WAITS].t = t;
	if (line != NULL && (rc->tprev == tq || (rc->tprev_tq == tq &&
	    rc->tprev == rc->tprev_ts))) {
		rc->tprev = rc->tprev_ts = t;
		rc->tprev_tq = tq;
	}
}

/*
 * The timed statement that acted last (rc->due_t) acted, or its datagram
 * left, at act: if that is beyond the timing tolerance (the tester's host
 * was busy, or the rate limit held the datagram), the runner reads what
 * the target sent meanwhile as coming before the statement: out of the
 * next '>' line's scope, and too early for a line that counts from it (a
 * resend the target's timer made while our acknowledgment should already
 * have been on its way).  Any failure of the attempt from then on is the
 * tester's side, not the target's (RUN_TR_LATE): tried again, on any
 * path; a target that fails the line every time still fails every
 * attempt.
 */
void
rcase_late(struct rcase *rc, uint64_t act)
{
	const struct rseg *r;
	uint64_t due = rc->due_t;
	int i;

	if (due == 0 || act <= due ||
	    act - due <= (uint64_t)rc->rn->tol.abs_us || act <= rc->late_act)
		return;
	rc->late_due = due;
	rc->late_act = act;
	for (i = 0; i < rc->nconns; i++)
		for (r = rc->conns[i].segs; r != NULL; r = r->next)
			if (!r->dup && !r->used && r->t > due && r->t < act)
				rc->late_seen = 1;
}

/* The path did something (RUN_TR_*) now. */
void
rcase_trouble(struct rcase *rc, unsigned bit)
{
	int i;

	for (i = 0; i < RUN_TR_N; i++)
		if (bit & (1U << i))
			rc->tr_t[i] = rc->rn->now;
	if (bit & RUN_TR_IMPAIRED)
		rc->rn->lossy++;
}

/* The case's agent control connection's fd, or -1 (none, or none to
 * poll). */
static int
ctl_fd(const struct rcase *rc)
{
	return rc->agent != NULL ? rc->rn->agops->fd(rc->agent) : -1;
}

/*
 * Has the case's agent control connection closed?  Looked at without
 * waiting: rcase_settle() waits, in the loop.
 */
static int
agent_gone(struct rcase *rc)
{
	struct pollfd p;
	char c;
	int fd;

	if ((fd = ctl_fd(rc)) < 0)
		return 0;
	p.fd = fd;
	p.events = POLLIN | POLLRDHUP;
	p.revents = 0;
	if (poll(&p, 1, 0) <= 0)
		return 0;
	if (p.revents & (POLLHUP | POLLRDHUP | POLLERR))
		return 1;
	return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* The failure d came while the agent went away: the tester's error. */
static void
gone_note(struct rcase *rc, const struct finding *d)
{
	struct finding f;

	check_finding(&f, FIND_AGENTGONE, rc->prog, NULL, "the agent went "
	    "away during the case (its control connection closed), so this "
	    "says nothing about the target: %s",
	    d != NULL && d->text != NULL ? d->text : "");
	check_att_add(&rc->fnd, &f);
}

/*
 * May the ended attempt go back to the scheduler?  A failure first waits
 * a little (RUN_AGENT_GONE_US) for the end of the agent's control
 * connection, which comes at about the moment the target's kernel resets
 * a dead agent's test connection, in the loop (the agent's fd is in its
 * poll, rc->wake ends the wait): other cases' lines keep their times.
 * 1: yes (the attempt's findings are final); 0: not yet.
 */
int
rcase_settle(struct rcase *rc)
{
	struct runner *rn = rc->rn;

	if (rc->gone_by == 0)
		return 1;
	if (agent_gone(rc))
		gone_note(rc, rcase_decided(rc));
	else if (rn->now < rc->gone_by && rn->fatal == NULL) {
		rc->wake = rc->gone_by;
		return 0;
	}
	rc->gone_by = 0;
	return 1;
}

/* Keep the datagram of the '<' line at pc, to send again if need be. */
void
rcase_keep_line(struct rcase *rc, const uint8_t *d, size_t len)
{
	char *err = NULL;

	free(rc->rs_dgram);
	if ((rc->rs_dgram = malloc(len)) == NULL)
		abort();
	memcpy(rc->rs_dgram, d, len);
	rc->rs_len = len;
	rc->rs_pc = rc->pc;
	rc->resends = 0;
	rc->rs_ok = 0;
	if (seg_decode(rc->rs_dgram, len, &rc->rs_seg, &err) == -1) {
		free(err);
		return;
	}
	rc->rs_ok = 1;
	if (rc->rs_seg.flags & SEG_RST)
		rc->rst_out = 1;
	if ((rc->rs_seg.flags & (SEG_SYN | SEG_RST)) == (SEG_SYN | SEG_RST)) {
		rc->rst_syn = 1;
		rc->rst_syn_ack = rc->rs_seg.seq + 1;
	}
}

/*
 * How long the rate limit held back the case's datagrams that left after
 * tprev and by upto: the longest such wait after tprev.  A segment of the
 * target that came at upto is timed as if it came that much earlier, since
 * it may be the answer to one of them (the target's ACK of our SYN-ACK that
 * waited): the rate limit changes how long a case takes, not its verdict.
 * A segment that came before our datagram left owes it nothing.
 */
uint64_t
rcase_wait_adj(const struct rcase *rc, uint64_t upto)
{
	uint64_t adj = 0, from;
	int i, n = rc->nwaits < RUN_WAITS ? rc->nwaits : RUN_WAITS;

	for (i = 0; i < n; i++) {
		const struct rwaited *w = &rc->waits[i];

		from = w->tq > rc->tprev ? w->tq : rc->tprev;
		if (w->t <= upto && w->t > from && w->t - from > adj)
			adj = w->t - from;
	}
	return adj;
}

/*
 * What the peer's stack reports about a connection of this case: a child
 * of our listener, state changes, data for the application, the end.
 */
void
rcase_event(struct rconn *c, const struct tcp_event *ev)
{
	struct rcase *rc = c->rc;

	if (rc->done)
		return;
	rc->dirty = 1;
	switch (ev->type) {
	case TCP_EV_SEG_OUT:
		if (ev->what != NULL && strstr(ev->what, "retransmi") != NULL)
			rcase_trouble(rc, RUN_TR_OURS);
		break;
	case TCP_EV_NEW:
		rconn_adopt(c, ev->tcb);
		break;
	case TCP_EV_STATE:
		if (ev->tcb == c->tcb && ev->after < TCPS_N)
			c->st_time[ev->after] = ev->now_us;
		if (ev->tcb == c->tcb && ev->after == TCPS_ESTABLISHED)
			rconn_apply_window(c);
		break;
	case TCP_EV_RECV:
		if (ev->tcb == c->tcb)
			rconn_recv(c);
		break;
	case TCP_EV_CLOSED:
		if (ev->tcb == c->tcb) {
			c->rcvd = ev->tcb->stats.bytes_in;
			c->tcb = NULL;
			c->closed = 1;
			c->close_reason = ev->reason;
			c->st_time[TCPS_CLOSED] = ev->now_us;
			c->last_snd_max = ev->tcb->snd_max;
		} else if (ev->tcb == c->listener)
			c->listener = NULL;
		ev->tcb->user = NULL;
		break;
	default:
		break;
	}
}
