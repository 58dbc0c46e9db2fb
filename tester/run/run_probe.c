/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_probe.c: probes and measurements.  Before the cases: the path's RTT
 * and jitter, from bare SYNs to an open port (each answered SYN-ACK is
 * reset by the peer's stack, which has no connection for it).  In a case:
 * "measure isn-spacing" (the target's ISNs over many connections, each from
 * its own port), "measure time-wait" (how long the target keeps a 4-tuple
 * in TIME-WAIT) and "measure initial-window" (what the target sends before
 * it needs an ACK).
 *
 * ISNs: bare SYNs from COUNT ports, INTERVAL apart, then from the same
 * ports again in the same order, so that each four-tuple is seen twice a
 * while apart; each SYN-ACK is reset.  check_isn_spacing() judges them
 * (RFC 9293 3.4.1, RFC 6528): a clock for the same four-tuple, a keyed
 * function across four-tuples.
 *
 * TIME-WAIT: every second (or every eighth of the 2 MSL it is judged
 * against, if that is shorter), an old SYN (no ACK flag, a sequence number well
 * below the target's RCV.NXT) on the connection's 4-tuple.  While the
 * 4-tuple is in TIME-WAIT the target answers it with an ACK (an
 * unacceptable segment, RFC 9293 3.10.7.4; a SYN in a synchronized state,
 * RFC 5961 4); once TIME-WAIT is over, a listener on the port answers
 * with a SYN-ACK and a closed port with an RST.  Without the ACK flag and
 * with an old sequence number the probe neither restarts Linux's TIME-WAIT
 * timer nor reopens the connection (tcp_timewait_state_process).  The
 * target's answers are kept from the peer's stack, so the peer never
 * resets the TIME-WAIT it measures; the SYN-ACK that ends it gets an RST.
 * RFC 9293 3.6.1 (MUST-13): "it MUST linger in the TIME-WAIT state for a
 * time 2xMSL", with the MSL "taken to be 2 minutes" (3.4.2), or as
 * --target-msl says: a TIME-WAIT shorter than that (by more than 2 % for
 * a coarse timer) breaks the statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"
#include "seq.h"

#define PROBE_WAIT_US		1000000	/* a probe's answer, at most */
#define ISN_COUNT_DEFAULT	20
#define ISN_INTERVAL_DEFAULT	10000
#define TW_INTERVAL_US		1000000
#define TW_TIMEOUT_DEFAULT	(300ULL * 1000000)
#define TW_OLD_SYN		1000000	/* how far below RCV.NXT the probe is */
#define IW_QUIET_MIN_US		200000
#define IW_TIMEOUT_DEFAULT	(10ULL * 1000000)

struct rmeasure {
	enum case_measure_kind kind;
	struct rconn	*c;
	uint64_t	 deadline;
	/* isn-spacing */
	uint32_t	 count;
	uint64_t	 interval;
	uint32_t	 nsent;
	uint64_t	 next;
	struct rprobe	*probes;
	/* time-wait */
	uint64_t	 start;
	uint64_t	 end;
	int		 ended;
	uint64_t	 tw_interval;
	uint64_t	 tw_min;	/* 2 MSL */
	/* initial-window */
	uint64_t	 last_data;
	uint64_t	 quiet;
	int		 saved_no_ack;
};

static void	probe_send(struct runner *, struct rprobe *, uint16_t);
static int	agent_wait(struct runner *, void *, struct agent_reply *,
		    uint64_t, char **);
static int	path_port(struct runner *, void **, uint16_t *, char **);
static int	isn_step(struct rcase *, struct rmeasure *);
static int	isn_done(struct rcase *, struct rmeasure *);
static int	tw_step(struct rcase *, struct rmeasure *);
static void	tw_probe(struct rcase *, struct rmeasure *);
static int	iw_step(struct rcase *, struct rmeasure *);

/* A bare SYN from the probe's own port. */
static void
probe_send(struct runner *rn, struct rprobe *p, uint16_t dport)
{
	struct seg s;

	runner_sync(rn);
	seg_init(&s, rn->tgt.family);
	memcpy(s.src, rn->tgt.peer, sizeof(s.src));
	memcpy(s.dst, rn->tgt.addr, sizeof(s.dst));
	s.sport = p->port;
	s.dport = dport;
	s.seq = (uint32_t)random();
	s.flags = SEG_SYN;
	s.win = 65535;
	seg_add_mss(&s, rn->tgt.family == AF_INET ? 1460 : 1440);
	p->seq = s.seq;
	p->sent = rn->now;
	tcp_stack_send_raw(rn->stack, &s);
}

void
rprobe_input(struct runner *rn, struct rprobe *p, const struct seg *s,
    uint64_t t)
{
	(void)rn;
	if (p->answered != 0)
		return;
	/*
	 * An ISN probe takes only the answer to its own SYN: a port probed
	 * twice may still get the first SYN's SYN-ACK again (its
	 * retransmission, when the peer's RST waits behind the rate limit),
	 * which would pass for an ISN that went back.  An RTT probe takes
	 * any answer from the port, a target that acknowledges the wrong
	 * number included.
	 */
	if (p->strict && (s->flags & SEG_ACK) && s->ack != p->seq + 1)
		return;
	if ((s->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK)) {
		p->answered = t;
		p->isn = s->seq;
	} else if (s->flags & SEG_RST) {
		p->answered = t;
		p->rst = 1;
	}
}

/* Wait for the reply to one request, outside of any case. */
static int
agent_wait(struct runner *rn, void *ag, struct agent_reply *r,
    uint64_t deadline, char **err)
{
	struct pollfd pf;
	int k;

	for (;;) {
		if ((k = rn->agops->recv(ag, r, err)) != 0)
			return k == 1 ? 0 : -1;
		if (runner_now(rn) >= deadline) {
			*err = strdup("the agent did not answer in time");
			return -1;
		}
		pf.fd = rn->agops->fd(ag);
		pf.events = POLLIN;
		pf.revents = 0;
		if (rn->net.ops->wait(rn->net.arg, deadline, &pf,
		    pf.fd >= 0 ? 1 : 0, err) == -1)
			return -1;
	}
}

/* The port to probe: --port, or a listener the agent opens for it. */
static int
path_port(struct runner *rn, void **ag, uint16_t *port, char **err)
{
	struct agent_endpoints ep;
	struct agent_reply r;
	char line[64];
	int h;

	*port = rn->tgt.port;
	*ag = NULL;
	if (*port != 0 || !rn->tgt.has_agent)
		return 0;
	if ((*ag = rn->agops->open(rn->agarg, err)) == NULL)
		return -1;
	snprintf(line, sizeof(line), "LISTEN %d 0 backlog=32",
	    rn->tgt.family == AF_INET ? 4 : 6);
	if (rn->agops->send(*ag, line, err) == -1 ||
	    agent_wait(rn, *ag, &r, runner_now(rn) + 5000000, err) == -1 ||
	    agent_reply_endpoints(&r, &h, &ep, err) == -1)
		return -1;
	*port = ep.port;
	return 0;
}

/*
 * RUN_PROBES SYNs, one at a time, each from a fresh port: the RTT is the
 * median time to the SYN-ACK, the jitter the mean deviation from it.
 */
int
run_measure_path(struct runner *rn, char **err)
{
	int64_t samples[RUN_PROBES];
	struct rprobe p;
	uint16_t port;
	void *ag;
	int i, n = 0, rc = 0;

	if (path_port(rn, &ag, &port, err) == -1) {
		if (ag != NULL)
			rn->agops->close(ag);
		return -1;
	}
	for (i = 0; port != 0 && i < RUN_PROBES && rn->fatal == NULL; i++) {
		memset(&p, 0, sizeof(p));
		if (runner_port_alloc(rn, &p.port) == -1)
			break;
		runner_port_probe(rn, p.port, &p);
		probe_send(rn, &p, port);
		while (p.answered == 0 && rn->now < p.sent + PROBE_WAIT_US &&
		    rn->fatal == NULL)
			runner_poll(rn, p.sent + PROBE_WAIT_US);
		if (p.answered != 0 && !p.rst)
			samples[n++] = (int64_t)(p.answered - p.sent);
		runner_port_probe(rn, p.port, NULL);
	}
	run_path_compute(&rn->path, samples, n, port != 0 ? i : 0);
	if (n > 0 && n < i)
		rn->lossy++;	/* probes lost: the path loses datagrams */
	if (port != 0 && n == 0) {
		*err = strdup("no answer to any of the RTT probes (SYNs to "
		    "the target's port)");
		rc = -1;
	}
	run_tol_init(&rn->tol, &rn->path);
	rn->noisy = run_path_noisy(&rn->path);
	if (ag != NULL)
		rn->agops->close(ag);
	return rn->fatal != NULL ? -1 : rc;
}

int
rmeasure_start(struct rcase *rc, struct rconn *c,
    const struct case_measure *m, int64_t timeout, char **err)
{
	struct rmeasure *ms;
	uint64_t now = rc->rn->now;
	struct rseg *r;

	if (!c->rport_set) {
		*err = strdup("the target's port is not known");
		return -1;
	}
	if ((ms = calloc(1, sizeof(*ms))) == NULL)
		abort();
	ms->kind = m->kind;
	ms->c = c;
	switch (m->kind) {
	case CASE_M_ISN_SPACING:
		ms->count = m->count ? m->count : ISN_COUNT_DEFAULT;
		ms->interval = m->interval >= 0 ? (uint64_t)m->interval :
		    ISN_INTERVAL_DEFAULT;
		/* Each port twice: rounds of count probes. */
		if ((ms->probes = calloc(2 * (size_t)ms->count,
		    sizeof(*ms->probes))) == NULL)
			abort();
		ms->next = now;
		ms->deadline = now + (timeout >= 0 ? (uint64_t)timeout :
		    2 * ms->count * ms->interval + 3 * PROBE_WAIT_US);
		break;
	case CASE_M_TIME_WAIT:
		ms->start = now;
		for (r = c->segs; r != NULL; r = r->next)
			ms->start = r->t;
		ms->deadline = now + (timeout >= 0 ? (uint64_t)timeout :
		    TW_TIMEOUT_DEFAULT);
		ms->tw_min = 2 * rc->rn->opts->target_msl_us;
		ms->tw_interval = ms->tw_min / 8 < TW_INTERVAL_US ?
		    ms->tw_min / 8 : TW_INTERVAL_US;
		if (ms->tw_interval < 10000)
			ms->tw_interval = 10000;
		break;
	case CASE_M_INITIAL_WINDOW:
		if (c->tcb == NULL) {
			free(ms);
			*err = strdup("initial-window needs an open "
			    "connection");
			return -1;
		}
		ms->saved_no_ack = c->tcb->hooks.no_auto_ack;
		c->tcb->hooks.no_auto_ack = 1;
		ms->quiet = (uint64_t)(rc->rn->path.rtt_us > 0 ?
		    3 * rc->rn->path.rtt_us : 0);
		if (ms->quiet < IW_QUIET_MIN_US)
			ms->quiet = IW_QUIET_MIN_US;
		ms->last_data = now;
		ms->deadline = now + (timeout >= 0 ? (uint64_t)timeout :
		    IW_TIMEOUT_DEFAULT);
		break;
	}
	rmeasure_free(rc->meas);
	rc->meas = ms;
	return 0;
}

void
rmeasure_free(struct rmeasure *ms)
{
	if (ms == NULL)
		return;
	free(ms->probes);
	free(ms);
}

/* Segments of the measured connection: 1 keeps them from the peer. */
int
rmeasure_input(struct rcase *rc, struct rconn *c, const struct seg *s,
    uint64_t t)
{
	struct rmeasure *ms = rc->meas;

	if (ms == NULL || ms->c != c)
		return 0;
	if (ms->kind != CASE_M_TIME_WAIT || ms->ended)
		return 0;
	if ((s->flags & SEG_RST) || (s->flags & (SEG_SYN | SEG_ACK)) ==
	    (SEG_SYN | SEG_ACK)) {
		ms->ended = 1;
		ms->end = t;
	}
	if ((s->flags & (SEG_SYN | SEG_ACK)) == (SEG_SYN | SEG_ACK)) {
		struct seg r;

		tcp_reset_for(&r, s);	/* s has ACK: <SEQ=SEG.ACK><CTL=RST> */
		tcp_stack_send_raw(rc->rn->stack, &r);
	}
	rc->dirty = 1;
	return 1;
}

int
rmeasure_step(struct rcase *rc)
{
	struct rmeasure *ms = rc->meas;
	int r;

	switch (ms->kind) {
	case CASE_M_ISN_SPACING:
		r = isn_step(rc, ms);
		break;
	case CASE_M_TIME_WAIT:
		r = tw_step(rc, ms);
		break;
	default:
		r = iw_step(rc, ms);
		break;
	}
	if (r != RS_BLOCK) {
		rc->meas = NULL;
		rmeasure_free(ms);
	}
	return r;
}

static int
isn_step(struct rcase *rc, struct rmeasure *ms)
{
	struct runner *rn = rc->rn;
	struct rprobe *p;
	uint32_t i, open = 0;
	uint64_t wake;

	while (ms->nsent < 2 * ms->count && rn->now >= ms->next) {
		p = &ms->probes[ms->nsent];
		/* The second round: the first round's ports again. */
		if (ms->nsent >= ms->count)
			p->port = ms->probes[ms->nsent - ms->count].port;
		else if (runner_port_alloc(rn, &p->port) == -1)
			break;
		runner_port_probe(rn, p->port, p);
		p->strict = 1;
		probe_send(rn, p, ms->c->tuple.rport);
		ms->nsent++;
		ms->next += ms->interval;
	}
	for (i = 0; i < ms->nsent; i++)
		if (ms->probes[i].answered == 0 &&
		    rn->now < ms->probes[i].sent + PROBE_WAIT_US)
			open++;
	if ((ms->nsent == 2 * ms->count && open == 0) ||
	    rn->now >= ms->deadline)
		return isn_done(rc, ms);
	wake = ms->deadline;
	if (ms->nsent < 2 * ms->count && ms->next < wake)
		wake = ms->next;
	if (rn->now + 10000 < wake && open > 0)
		wake = rn->now + 10000;
	rc->wake = wake;
	return RS_BLOCK;
}

/* The ISNs collected, for check_isn_spacing() to judge. */
static int
isn_done(struct rcase *rc, struct rmeasure *ms)
{
	const struct case_stmt *st = &rc->prog->stmts[rc->pc];
	struct check_isn_probe *pr;
	struct check_isn out;
	struct finding f;
	uint32_t i;
	int found;

	if ((pr = calloc(ms->nsent + 1, sizeof(*pr))) == NULL)
		abort();
	for (i = 0; i < ms->nsent; i++) {
		struct rprobe *p = &ms->probes[i];

		runner_port_probe(rc->rn, p->port, NULL);
		pr[i].port = p->port;
		pr[i].t = p->sent;
		pr[i].answered = p->answered != 0 && !p->rst;
		pr[i].isn = p->isn;
	}
	found = check_isn_spacing(rc->prog, st, pr, ms->nsent, &out, &f) !=
	    CHECK_OK;
	free(pr);
	if (out.measured) {
		result_meas_add(rc->res, "isn_connections", out.n,
		    "connections");
		result_meas_add(rc->res, "isn_rate", out.rate, "per second");
		result_meas_add(rc->res, "isn_max_deviation", out.dev, NULL);
		result_meas_add(rc->res, "isn_tuples_twice", out.tuples,
		    "four-tuples");
		result_meas_add(rc->res, "isn_tuple_rate", out.tuple_rate,
		    "per second");
		rcase_measured(rc);
	}
	if (found) {
		rcase_record(rc, &f);
		return RS_END;
	}
	rc->tprev = rc->rn->now;
	return RS_DONE;
}

static void
tw_probe(struct rcase *rc, struct rmeasure *ms)
{
	struct rconn *c = ms->c;
	struct seg s;

	runner_sync(rc->rn);
	seg_init(&s, c->tuple.family);
	memcpy(s.src, c->tuple.laddr, sizeof(s.src));
	memcpy(s.dst, c->tuple.raddr, sizeof(s.dst));
	s.sport = c->tuple.lport;
	s.dport = c->tuple.rport;
	s.seq = (c->tcb != NULL ? c->tcb->snd_max : c->last_snd_max) -
	    TW_OLD_SYN;
	s.flags = SEG_SYN;
	s.win = 65535;
	tcp_stack_send_raw(rc->rn->stack, &s);
}

/*
 * One probe a second until TIME-WAIT is over.  Over at the first probe is
 * no TIME-WAIT at all, which breaks the statement (RFC 9293 MUST-13).
 */
static int
tw_step(struct rcase *rc, struct rmeasure *ms)
{
	uint64_t now = rc->rn->now;
	struct finding f;

	if (ms->ended || now >= ms->deadline) {
		result_meas_add(rc->res, ms->ended ? "time_wait" :
		    "time_wait_at_least", (double)((ms->ended ? ms->end :
		    now) - ms->start) / 1000.0, "ms");
		result_meas_add(rc->res, "time_wait_resolution",
		    ms->tw_interval / 1000.0, "ms");
		result_meas_add(rc->res, "time_wait_required",
		    ms->tw_min / 1000.0, "ms");
		rcase_measured(rc);
		rc->tprev = now;
		if (check_time_wait(rc->prog, &rc->prog->stmts[rc->pc],
		    ms->ended, ms->nsent, &f) == CHECK_FOUND) {
			rcase_record(rc, &f);
			return RS_END;
		}
		if (ms->ended && (ms->end - ms->start) + ms->tw_min / 50 +
		    (uint64_t)rc->rn->tol.abs_us < ms->tw_min) {
			char a[32], b[32];

			rcase_fail(rc, &rc->prog->stmts[rc->pc], FIND_STATE,
			    "measure time-wait: TIME-WAIT lasted at most %s, "
			    "where MUST-13 asks for 2 MSL = %s (--target-msl)",
			    run_usec_str((int64_t)(ms->end - ms->start), a,
			    sizeof(a)), run_usec_str((int64_t)ms->tw_min, b,
			    sizeof(b)));
			return RS_END;
		}
		return RS_DONE;
	}
	if (now >= ms->next) {
		tw_probe(rc, ms);
		ms->nsent++;
		ms->next = now + ms->tw_interval;
	}
	rc->wake = ms->next < ms->deadline ? ms->next : ms->deadline;
	return RS_BLOCK;
}

/*
 * New data at r, after a pause: a loss probe (RFC 8985 7.3: one segment,
 * then the sender waits for an ACK or its RTO), or the burst going on
 * after the sender's host paused it (a busy host: more new data within
 * gap of it).
 */
static int
iw_probe(const struct rseg *r, uint64_t gap)
{
	uint32_t end = r->seg.seq + (uint32_t)r->seg.len;
	const struct rseg *n;

	for (n = r->next; n != NULL; n = n->next) {
		if (n->seg.len == 0)
			continue;
		if (n->t > r->t + gap)
			return 1;
		if (seq_gt(n->seg.seq + (uint32_t)n->seg.len, end))
			return 0;
	}
	return 1;
}

/*
 * The initial window: the sequence space the target's data covers before
 * our first ACK, so that a retransmission (its RTO may run out while we
 * wait) counts once.  Its SMSS is the largest segment seen, but never more
 * than the MSS we offered less the options of every segment (RFC 5681 2:
 * "The size does not include the TCP/IP headers and options"): a capture
 * on loopback sees the kernel's segmentation-offload frames whole.
 */
static void
iw_span(struct rcase *rc, struct rconn *c, uint64_t *bytes, uint32_t *smss,
    uint64_t *last)
{
	uint32_t lo = 0, hi = 0, maxlen = 0, cap;
	/*
	 * The window leaves in one burst; a loss probe comes a pause
	 * later, 2 SRTT at the soonest (RFC 8985 7.2; Linux adds 2 ms on
	 * loopback, where SRTT is some microseconds), so a pause of one RTT,
	 * or of 1 ms on a faster path, followed by one segment alone ends
	 * the burst (iw_probe(): a busy sender's host may pause the burst
	 * itself, and more data follows at once).
	 */
	uint64_t gap = rc->rn->path.rtt_us > 1000 ?
	    (uint64_t)rc->rn->path.rtt_us : 1000;
	struct rseg *r;
	int seen = 0;

	for (r = c->segs; r != NULL; r = r->next) {
		if (r->t < rc->act_prev || r->seg.len == 0)
			continue;
		/* New data alone after a pause of a round trip is a loss
		 * probe (RFC 8985 7: a tail loss probe may send new data),
		 * not the initial window, which leaves in one burst. */
		if (seen && r->t > *last + gap &&
		    seq_gt(r->seg.seq + (uint32_t)r->seg.len, hi) &&
		    iw_probe(r, gap))
			break;
		if (!seen) {
			lo = r->seg.seq;
			hi = lo + (uint32_t)r->seg.len;
			*last = r->t;
			seen = 1;
		} else if (seq_gt(r->seg.seq + (uint32_t)r->seg.len, hi)) {
			hi = r->seg.seq + (uint32_t)r->seg.len;
			*last = r->t;
		}
		if (seq_lt(r->seg.seq, lo))
			lo = r->seg.seq;
		/* An offload aggregate: its segments' size. */
		if (r->seg.gso_size > 0 && r->seg.gso_size < r->seg.len) {
			if (r->seg.gso_size > maxlen)
				maxlen = r->seg.gso_size;
		} else if (r->seg.len > maxlen)
			maxlen = (uint32_t)r->seg.len;
	}
	*bytes = hi - lo;
	cap = c->tcb != NULL && c->tcb->mss_offered != 0 ?
	    c->tcb->mss_offered : (c->tuple.family == AF_INET6 ? 1220 : 536);
	if (c->tcb != NULL && (c->tcb->flags & TCPF_TS) && cap > 12)
		cap -= 12;		/* the timestamps option, padded */
	*smss = maxlen < cap ? maxlen : cap;
}

static int
iw_step(struct rcase *rc, struct rmeasure *ms)
{
	struct rconn *c = ms->c;
	uint64_t now = rc->rn->now, bytes, segs;
	struct finding f;
	uint32_t smss;

	iw_span(rc, c, &bytes, &smss, &ms->last_data);
	segs = smss > 0 ? (bytes + smss - 1) / smss : 0;
	if (bytes == 0 && now < ms->deadline) {
		rc->wake = now + ms->quiet < ms->deadline ? now + ms->quiet :
		    ms->deadline;
		return RS_BLOCK;
	}
	if (bytes > 0 && now < ms->last_data + ms->quiet &&
	    now < ms->deadline) {
		rc->wake = ms->last_data + ms->quiet;
		return RS_BLOCK;
	}
	if (c->tcb != NULL) {
		c->tcb->hooks.no_auto_ack = ms->saved_no_ack;
		runner_sync(rc->rn);
		tcp_ack_now(c->tcb);
	}
	result_meas_add(rc->res, "initial_window", (double)bytes, "bytes");
	result_meas_add(rc->res, "initial_window_segments", (double)segs,
	    "segments");
	if (smss > 0) {
		result_meas_add(rc->res, "initial_window_smss", smss, "bytes");
		result_meas_add(rc->res, "initial_window_rfc5681_bound",
		    (double)check_iw_rfc5681(smss), "bytes");
		result_meas_add(rc->res, "initial_window_rfc6928_bound",
		    (double)check_iw_rfc6928(smss), "bytes");
	}
	if (check_initial_window(rc->prog, &rc->prog->stmts[rc->pc], bytes,
	    smss, &f) == CHECK_FOUND) {
		rcase_record(rc, &f);
		return RS_END;
	}
	rcase_measured(rc);
	rc->tprev = now;
	return RS_DONE;
}
