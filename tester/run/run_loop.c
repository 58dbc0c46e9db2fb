/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_loop.c: the runner's one event loop.  One process, no threads: the
 * capture, the agents' control connections and a timer queue (the peer's
 * next timer and each case's own deadline) are multiplexed with poll().
 *
 * All cases share one peer stack.  Each connection of each case gets its
 * own port from the peer's range, so a segment from the target finds its
 * case by its destination port, and cases running in parallel (-j N)
 * cannot see each other's segments.  A port is not handed out again until
 * 2 * MSL after its case ended, so a late segment of an old case never
 * reaches a new one.
 *
 * Each address family has a runner of its own (its wire, its peer stack);
 * runner_loop_many() drives the runners of both families in one loop, with
 * one poll() over all their fds until the earliest of all their deadlines.
 *
 * The peer's output goes through out_cb(): encoded (seg_encode), then sent,
 * at most --rate datagrams per second, and recorded in its case and pcap
 * when it leaves, with the time it left: a datagram that waited behind the
 * rate limit is stamped with the wire's time, not the queue's, and the
 * case's next statement waits until its datagrams are out, so that a
 * line's window starts at the real send time.  While datagrams wait, no
 * new case starts, and under a rate limit no more cases run at once than
 * it passes datagrams in 0.1 s: each running case has a datagram or so in
 * the queue at a time, so the queue, and the delay of a case's ACK that
 * the target times as a round trip (its RTO grows with it), stay short.
 * The rate and -j change how long a run takes, not what its cases see.
 * Captured datagrams go through runner_input(): decoded, recorded, shown
 * to the case, then handed to the peer's stack (tcp_input).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"
#include "wire.h"

#define RUN_DGRAM_MAX	(65535 + 120)	/* largest datagram we encode */
#define RUN_BURST	10		/* datagrams the rate limit lets pass */
#define RUN_ADMIT_US	100000		/* cases at once under a rate limit:
					 * as many as it passes datagrams in
					 * this time */
#define RUN_POLL_MAX_US	1000000		/* wake at least once a second */

static void	out_cb(void *, const struct seg *);
static void	ev_cb(void *, const struct tcp_event *);
static void	emit(struct runner *, const uint8_t *, size_t,
		    struct rcase *);
static void	xmit(struct runner *, const uint8_t *, size_t,
		    const struct rqueued *);
static void	pump(struct runner *);
static uint64_t	pump_next(const struct runner *);
static struct rconn *port_conn(struct runner *, uint16_t);
static int	 stray(const struct rconn *, const struct seg *);
static struct rprobe *port_probe(struct runner *, uint16_t);
static int	port_quarantined(const struct runner *, uint16_t);
static void	step_all(struct runner *);
static void	reap(struct runner *, const struct run_sched *);
static uint64_t	next_deadline(struct runner *);
static int	poll_fds(struct runner *, struct pollfd *, int);
static int	poll_handle(struct runner *);
static int	poll_fatal(struct runner *, char *);
static int	loop_step(struct runner *, const struct run_sched *);
static int	admit(const struct runner *);
static void	loop_alloc(struct runner *);
static void	poll_many(struct runner **, const int *, int);

int
runner_init(struct runner *rn, const struct run_opts *opts,
    const struct run_target *tgt, const struct run_net *net,
    const struct run_agent_ops *agops, void *agarg,
    const struct tcp_config *cfg_in, char **err)
{
	struct tcp_config cfg;
	size_t n;

	memset(rn, 0, sizeof(*rn));
	rn->opts = opts;
	rn->tgt = *tgt;
	rn->net = *net;
	rn->agops = agops;
	rn->agarg = agarg;
	rn->jobs = opts->jobs > 0 ? opts->jobs : 1;
	rn->port_lo = WIRE_PORT_LO_DEFAULT;
	rn->port_hi = WIRE_PORT_HI_DEFAULT;
	n = (size_t)(rn->port_hi - rn->port_lo) + 1;
	if ((rn->port_conn = calloc(n, sizeof(*rn->port_conn))) == NULL ||
	    (rn->port_probe = calloc(n, sizeof(*rn->port_probe))) == NULL ||
	    (rn->port_free = calloc(n, sizeof(*rn->port_free))) == NULL)
		abort();
	rn->port_next = rn->port_lo;
	rn->outq_tail = &rn->outq;
	rn->rate = opts->rate > 0 ? opts->rate : tgt->loopback ? 0 :
	    RUN_RATE_REMOTE;
	rn->tokens = RUN_BURST;
	rn->path.rtt_us = rn->path.jitter_us = -1;
	rn->ttl = -1;
	run_tol_init(&rn->tol, &rn->path);
	rn->noisy = 1;
	if (cfg_in != NULL)
		cfg = *cfg_in;
	else {
		tcp_config_default(&cfg);
		cfg.msl_us = opts->msl_us > 0 ? opts->msl_us :
		    RUN_MSL_DEFAULT_US;
	}
	rn->now = net->ops->now(net->arg);
	rn->tokens_t = rn->now;
	if ((rn->enc = seg_encoder_new(err)) == NULL)
		return -1;
	if ((rn->stack = tcp_stack_new(&cfg, out_cb, ev_cb, rn, err)) == NULL)
		return -1;
	tcp_timers_run(rn->stack, rn->now);
	return 0;
}

void
runner_free(struct runner *rn)
{
	struct rqueued *q, *n;

	if (rn->stack != NULL)
		tcp_stack_free(rn->stack);
	if (rn->enc != NULL)
		seg_encoder_free(rn->enc);
	for (q = rn->outq; q != NULL; q = n) {
		n = q->next;
		free(q->dgram);
		free(q);
	}
	free(rn->active);
	free(rn->port_conn);
	free(rn->port_probe);
	free(rn->port_free);
	free(rn->fatal);
	memset(rn, 0, sizeof(*rn));
}

/* The run clock, which never goes back. */
uint64_t
runner_now(struct runner *rn)
{
	uint64_t t = rn->net.ops->now(rn->net.arg);

	if (t > rn->now)
		rn->now = t;
	return rn->now;
}

/* Bring the peer's clock up to now, so user calls act at the right time. */
void
runner_sync(struct runner *rn)
{
	tcp_timers_run(rn->stack, runner_now(rn));
}

static struct rconn *
port_conn(struct runner *rn, uint16_t port)
{
	if (port < rn->port_lo || port > rn->port_hi)
		return NULL;
	return rn->port_conn[port - rn->port_lo];
}

static struct rprobe *
port_probe(struct runner *rn, uint16_t port)
{
	if (port < rn->port_lo || port > rn->port_hi)
		return NULL;
	return rn->port_probe[port - rn->port_lo];
}

/* A free port of the peer's range, round robin. */
int
runner_port_alloc(struct runner *rn, uint16_t *port)
{
	size_t n = (size_t)(rn->port_hi - rn->port_lo) + 1, i, k;

	for (i = 0; i < n; i++) {
		k = (size_t)(rn->port_next - rn->port_lo);
		rn->port_next = rn->port_next == rn->port_hi ? rn->port_lo :
		    rn->port_next + 1;
		if (rn->port_conn[k] == NULL && rn->port_probe[k] == NULL &&
		    rn->port_free[k] <= rn->now) {
			*port = (uint16_t)(rn->port_lo + k);
			return 0;
		}
	}
	return -1;
}

static void
port_release(struct runner *rn, size_t k)
{
	const struct tcp_config *cfg = tcp_stack_config(rn->stack);

	rn->port_free[k] = rn->now + 2 * cfg->msl_us + 1000000;
}

void
runner_port_bind(struct runner *rn, uint16_t port, struct rconn *c)
{
	size_t k = (size_t)(port - rn->port_lo);

	if (port < rn->port_lo || port > rn->port_hi)
		return;
	rn->port_conn[k] = c;
	if (c == NULL)
		port_release(rn, k);
}

void
runner_port_probe(struct runner *rn, uint16_t port, struct rprobe *p)
{
	size_t k = (size_t)(port - rn->port_lo);

	if (port < rn->port_lo || port > rn->port_hi)
		return;
	rn->port_probe[k] = p;
	if (p == NULL)
		port_release(rn, k);
}

/*
 * The peer sends a segment: encode it, show it to its case, send it.
 */
static void
out_cb(void *arg, const struct seg *s)
{
	static uint8_t buf[RUN_DGRAM_MAX];
	static struct seg bad;
	struct runner *rn = arg;
	struct rconn *c;
	char *err = NULL;
	int n;

	/*
	 * What a '<' line with "csum bad" makes the peer send (its segment,
	 * or the SYN of the active open it starts) leaves with a wrong TCP
	 * checksum; the peer's own later segments do not.
	 */
	if ((c = port_conn(rn, s->sport)) != NULL && !c->rc->done &&
	    c->rc->sending != NULL &&
	    c->rc->sending->kind == CASE_S_PACKET &&
	    (c->rc->sending->u.pkt.alt[0].given & CASE_G_CSUM_BAD)) {
		bad = *s;
		bad.csum_bad = 1;
		s = &bad;
	}
	if ((n = seg_encode(rn->enc, s, buf, sizeof(buf), &err)) < 0) {
		if (rn->log != NULL)
			fprintf(rn->log, "encode: %s\n", err);
		c = port_conn(rn, s->sport);
		if (c != NULL && !c->rc->done)
			rcase_finish(c->rc, FIND_ERROR,
			    "cannot encode a segment: %s", err);
		free(err);
		return;
	}
	if (rn->quiet_rst) {
		rn->quiet_rst = 0;
		return;
	}
	if ((c = port_conn(rn, s->sport)) != NULL && c->rc->done)
		c = NULL;
	emit(rn, buf, (size_t)n, c != NULL ? c->rc : NULL);
}

/*
 * Events of the peer's stack go to the case of their connection.  The
 * stack's own RST for a segment that reached no connection is held back on
 * a connection the case has not opened yet: there the target's SYN is left
 * to the case's lines (tcpconform-case(5), "listen").  The stack reports
 * such an RST as a SEG_OUT event without a TCB, "no connection", just
 * before it hands the segment to out_cb().
 */
static void
ev_cb(void *arg, const struct tcp_event *ev)
{
	struct runner *rn = arg;
	struct rconn *c = NULL;

	if (ev->type == TCP_EV_SEG_OUT && ev->tcb == NULL && ev->what != NULL &&
	    strcmp(ev->what, "no connection") == 0 && ev->seg != NULL &&
	    (rn->dup_in || ((c = port_conn(rn, ev->seg->sport)) != NULL &&
	    !c->rc->done && !c->opened))) {
		rn->quiet_rst = 1;
		return;
	}
	c = NULL;
	if (ev->tcb != NULL) {
		c = ev->tcb->user;
		if (c == NULL && ev->type == TCP_EV_NEW &&
		    ev->tcb->parent != NULL)
			c = ev->tcb->parent->user;
	}
	if (c != NULL && !c->rc->done)
		rcase_event(c, ev);
}

/*
 * Send now, or queue behind the rate limit.  rc is the case whose
 * connection sent it (NULL: none, or a case that has ended).
 */
static void
emit(struct runner *rn, const uint8_t *d, size_t len, struct rcase *rc)
{
	struct rqueued *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		abort();
	q->len = len;
	q->rc = rc;
	q->serial = rc != NULL ? rc->serial : 0;
	q->line = rc != NULL ? rc->sending : NULL;
	q->tq = rn->now;
	if (rc != NULL && rc->sending != NULL &&
	    rc->sending->kind == CASE_S_PACKET &&
	    rc->sending == &rc->prog->stmts[rc->pc])
		rcase_keep_line(rc, d, len);
	pump(rn);
	if (rn->rate <= 0 || (rn->outq == NULL && rn->tokens >= 1)) {
		if (rn->rate > 0)
			rn->tokens -= 1;
		xmit(rn, d, len, q);
		free(q);
		return;
	}
	if ((q->dgram = malloc(len)) == NULL)
		abort();
	memcpy(q->dgram, d, len);
	if (rc != NULL)
		rc->nqueued++;
	*rn->outq_tail = q;
	rn->outq_tail = &q->next;
}

/*
 * Put a datagram on the wire and record it where it belongs, stamped with
 * the clock read just before the send: on a veth link the target may
 * answer before send() returns, and its answer must not seem to come
 * first.  A probe's SYN (RTT, ISN spacing) is timed from here too.
 */
static void
xmit(struct runner *rn, const uint8_t *d, size_t len, const struct rqueued *q)
{
	struct rprobe *p;
	struct rcase *rc = q->rc;
	struct seg s;
	char *err = NULL;
	uint64_t t = runner_now(rn);

	if (rn->net.ops->send(rn->net.arg, d, len, &err) == -1 &&
	    rn->fatal == NULL && asprintf(&rn->fatal, "sending a segment: %s",
	    err != NULL ? err : "?") < 0)
		rn->fatal = NULL;
	free(err);
	err = NULL;
	if (t - q->tq > rn->outq_max_us) {
		rn->outq_max_us = t - q->tq;
		if (rn->log != NULL)
			fprintf(rn->log, "rate limit: a datagram waited %llu us\n",
			    (unsigned long long)(t - q->tq));
	}
	if (seg_decode(d, len, &s, &err) == -1) {
		free(err);
		return;
	}
	if ((p = port_probe(rn, s.sport)) != NULL && (s.flags & SEG_SYN))
		p->sent = t;
	/* rc is live: rcase_free() takes its name off the queue. */
	if (rc == NULL || rc->done || rc->serial != q->serial)
		return;
	rcase_sent(rc, q->line, q->tq, t, d, len);
}

/*
 * Send a case's datagram again (a '<' line that drew no answer), as its
 * line: recorded, stamped and rate-limited like the first time.
 */
void
runner_resend(struct runner *rn, struct rcase *rc,
    const struct case_stmt *line, const uint8_t *d, size_t len)
{
	const struct case_stmt *saved = rc->sending;

	rc->sending = line;
	emit(rn, d, len, rc);
	rc->sending = saved;
}

/* A case goes away: its queued datagrams still leave, unrecorded. */
void
runner_forget(struct runner *rn, struct rcase *rc)
{
	struct rqueued *q;

	for (q = rn->outq; q != NULL; q = q->next)
		if (q->rc == rc)
			q->rc = NULL;
}

/* Refill the token bucket and send what it allows. */
static void
pump(struct runner *rn)
{
	struct rqueued *q;

	if (rn->rate <= 0)
		return;
	rn->tokens += (double)(rn->now - rn->tokens_t) * rn->rate / 1e6;
	if (rn->tokens > RUN_BURST)
		rn->tokens = RUN_BURST;
	rn->tokens_t = rn->now;
	while ((q = rn->outq) != NULL && rn->tokens >= 1) {
		rn->tokens -= 1;
		if ((rn->outq = q->next) == NULL)
			rn->outq_tail = &rn->outq;
		if (q->rc != NULL)
			q->rc->nqueued--;
		xmit(rn, q->dgram, q->len, q);
		free(q->dgram);
		free(q);
	}
}

static uint64_t
pump_next(const struct runner *rn)
{
	if (rn->outq == NULL || rn->rate <= 0)
		return UINT64_MAX;
	return rn->tokens_t + (uint64_t)((1 - rn->tokens) * 1e6 / rn->rate) +
	    1;
}

/* When the next queued datagram may leave (UINT64_MAX: none waits). */
uint64_t
runner_out_next(const struct runner *rn)
{
	return pump_next(rn);
}

/*
 * A datagram from the capture.  The host kernel's own segments from the
 * peer's ports (the guard failed, or another program uses them) are
 * counted and never given to the peer.
 */
void
runner_input(struct runner *rn, const struct run_pkt *pkt)
{
	struct rconn *c;
	struct rprobe *p;
	struct seg s;
	char *err = NULL;

	if (seg_decode(pkt->data, pkt->len, &s, &err) == -1) {
		free(err);
		return;
	}
	s.gso_size = pkt->gso_size;
	c = port_conn(rn, pkt->from_host ? s.sport : s.dport);
	if (pkt->from_host) {
		rn->host_rsts++;
		if (c != NULL && !c->rc->done && (s.flags & SEG_RST))
			rcase_host_rst(c->rc);
		return;
	}
	if ((p = port_probe(rn, s.dport)) != NULL)
		rprobe_input(rn, p, &s, pkt->t);
	if (rn->ttl < 0)
		rn->ttl = s.ttl;	/* the RTT probes' answers, usually */
	rn->dup_in = port_quarantined(rn, s.dport);
	if (c != NULL && !c->rc->done && !stray(c, &s)) {
		rcase_seg_in(c, &s, pkt->t, pkt->data, pkt->len);
		if (c->rc->meas != NULL && rmeasure_input(c->rc, c, &s,
		    pkt->t) == 1) {
			rn->dup_in = 0;
			return;
		}
	}
	tcp_input(rn->stack, &s, rn->now);
	rn->dup_in = 0;
}

/*
 * A segment of the target's to a case's port, but from another port or
 * address of the target's than the case's connection: an earlier
 * connection's, whose retransmission (a FIN in LAST-ACK, say) outlived the
 * port's quarantine after its case ended and the port went to this case.
 * It is not this connection's, so neither a line nor a passive check sees
 * it; the peer answers it as a TCP answers a segment for no connection.
 * Before the connection exists (the target's SYN is awaited), and before
 * the case has sent anything on it, only a SYN can be the target's: any
 * other segment is such a retransmission too (one took the place of the
 * SYN that handshake/fin-in-syn-sent's first line waits for, a false
 * FAIL on bench_path's lossy path).
 */
static int
stray(const struct rconn *c, const struct seg *s)
{
	const struct tcb *tp = c->tcb;

	if (tp == NULL)
		return !c->opened && c->our_t == 0 && !(s->flags & SEG_SYN);
	return s->family != tp->tuple.family || s->sport != tp->tuple.rport ||
	    memcmp(s->src, tp->tuple.raddr, tp->tuple.family == AF_INET6 ?
	    16 : 4) != 0;
}

/*
 * A port whose case has ended and that is not handed out again yet: what
 * comes to it now is a late copy or a retransmission of the target's that
 * no case waits for.  The peer does not answer it with an RST, which would
 * end a TIME-WAIT of the target's that a real peer would have left alone
 * (RFC 1337).
 */
static int
port_quarantined(const struct runner *rn, uint16_t port)
{
	size_t k;

	if (port < rn->port_lo || port > rn->port_hi)
		return 0;
	k = (size_t)(port - rn->port_lo);
	return rn->port_conn[k] == NULL && rn->port_probe[k] == NULL &&
	    rn->port_free[k] > rn->now;
}

/* The agents' control connections that wait for a reply, or for their
 * end (rcase_settle()). */
static int
poll_fds(struct runner *rn, struct pollfd *fds, int cap)
{
	int i, n = 0;

	for (i = 0; i < rn->nactive && n < cap; i++) {
		struct rcase *rc = rn->active[i];

		if ((rc->ag_busy || rc->gone_by != 0) && rc->agent != NULL &&
		    (fds[n].fd = rn->agops->fd(rc->agent)) >= 0) {
			/* An ended attempt waits for the end alone. */
			fds[n].events = rc->gone_by != 0 ? POLLRDHUP : POLLIN;
			fds[n++].revents = 0;
		}
	}
	return n;
}

/* After a wait: captured datagrams, agent replies, the peer's timers. */
static int
poll_handle(struct runner *rn)
{
	struct run_pkt pkt;
	char *err = NULL;
	int i, r;

	runner_now(rn);
	for (;;) {
		/* What a back end does not fill stays 0 (gso_size). */
		memset(&pkt, 0, sizeof(pkt));
		if ((r = rn->net.ops->recv(rn->net.arg, &pkt, &err)) != 1)
			break;
		if (pkt.t > rn->now)
			rn->now = pkt.t;	/* captured after runner_now() */
		runner_input(rn, &pkt);
	}
	if (r == -1)
		return poll_fatal(rn, err);
	for (i = 0; i < rn->nactive; i++)
		rcase_agent_poll(rn->active[i]);
	tcp_timers_run(rn->stack, runner_now(rn));
	pump(rn);
	return 0;
}

static int
poll_fatal(struct runner *rn, char *err)
{
	if (rn->fatal == NULL && asprintf(&rn->fatal, "%s",
	    err != NULL ? err : "the network failed") < 0)
		rn->fatal = NULL;
	free(err);
	return -1;
}

/*
 * Wait for something to happen, until deadline at the latest, and handle
 * it: captured datagrams, agent replies, the peer's timers.
 */
int
runner_poll(struct runner *rn, uint64_t deadline)
{
	struct pollfd fds[RUN_POLL_FDS];
	char *err = NULL;
	int n;

	n = poll_fds(rn, fds, RUN_POLL_FDS);
	if (rn->net.ops->wait(rn->net.arg, deadline, fds, n, &err) == -1)
		return poll_fatal(rn, err);
	return poll_handle(rn);
}

static void
step_all(struct runner *rn)
{
	int i, again, rounds = 0;

	do {
		again = 0;
		for (i = 0; i < rn->nactive; i++) {
			struct rcase *rc = rn->active[i];

			if (rc->done)
				continue;
			rc->dirty = 0;
			rcase_step(rc);
			if (rc->dirty && !rc->done)
				again = 1;
		}
	} while (again && ++rounds < 16);
}

/* Hand finished cases back to the scheduler. */
static void
reap(struct runner *rn, const struct run_sched *sc)
{
	struct rcase *rc;
	int i = 0;

	while (i < rn->nactive) {
		rc = rn->active[i];
		if (!rc->done || !rcase_settle(rc)) {
			i++;
			continue;
		}
		rn->active[i] = rn->active[--rn->nactive];
		sc->done(sc->arg, rc);
	}
}

static uint64_t
next_deadline(struct runner *rn)
{
	uint64_t d = rn->now + RUN_POLL_MAX_US, t;
	int i;

	for (i = 0; i < rn->nactive; i++) {
		t = rn->active[i]->wake;
		if (t == 0 || (rn->active[i]->done &&
		    rn->active[i]->gone_by == 0))
			t = rn->now;
		if (t < d)
			d = t;
	}
	if ((t = tcp_next_timer(rn->stack)) < d)
		d = t;
	if ((t = pump_next(rn)) < d)
		d = t;
	return d;
}

/* How many cases may run at once: -j, and under a rate limit at most
 * what it passes in RUN_ADMIT_US. */
static int
admit(const struct runner *rn)
{
	double n;

	if (rn->rate <= 0)
		return rn->jobs;
	n = rn->rate * RUN_ADMIT_US / 1e6;
	if (n < 1)
		n = 1;
	return n < rn->jobs ? (int)n : rn->jobs;
}

/*
 * Start what the scheduler has, up to -j at a time, step the cases and
 * hand the finished ones back, until some are left waiting.  Returns how
 * many are running (0: the scheduler has no more).
 */
static int
loop_step(struct runner *rn, const struct run_sched *sc)
{
	struct rcase *rc;
	int i;

	do {
		runner_now(rn);
		if (rn->stop != NULL && *rn->stop && rn->fatal == NULL &&
		    (rn->fatal = strdup("interrupted")) == NULL)
			abort();
		while (rn->fatal == NULL && rn->nactive < admit(rn) &&
		    (rn->outq == NULL || rn->nactive == 0) &&
		    (rc = sc->next(sc->arg, rn)) != NULL) {
			rn->active[rn->nactive++] = rc;
			rcase_start(rc);
		}
		if (rn->nactive == 0)
			return 0;
		step_all(rn);
		for (i = 0; rn->fatal != NULL && i < rn->nactive; i++)
			rcase_finish(rn->active[i], FIND_ERROR, "%s",
			    rn->fatal);
		reap(rn, sc);
	} while (rn->nactive == 0);	/* room: the scheduler may have more */
	return rn->nactive;
}

static void
loop_alloc(struct runner *rn)
{
	struct rcase **na;

	if ((na = reallocarray(rn->active, (size_t)rn->jobs,
	    sizeof(*na))) == NULL)
		abort();
	rn->active = na;
}

/*
 * Run cases from the scheduler, up to -j at a time, until it has no more
 * and all have finished (a finished attempt may make a retry available,
 * so the scheduler is asked whenever there is room).  Returns -1 when the
 * network failed or the run was interrupted (rn->fatal): the cases still
 * running end with an error.
 */
int
runner_loop(struct runner *rn, const struct run_sched *sc)
{
	loop_alloc(rn);
	while (loop_step(rn, sc) > 0)
		runner_poll(rn, next_deadline(rn));
	return rn->fatal != NULL ? -1 : 0;
}

/*
 * One wait over every live runner: the first one's wait polls its own
 * capture, the other runners' captures and every agent connection, until
 * the earliest deadline of them all; then each runner handles what came.
 * Back ends whose capture another runner cannot poll (the tests'
 * simulation, each on a clock of its own) are waited on in turn.
 */
static void
poll_many(struct runner **rns, const int *live, int n)
{
	struct pollfd fds[RUN_POLL_FDS];
	struct runner *first = NULL;
	uint64_t d = UINT64_MAX, t;
	char *err = NULL;
	int i, nf = 0, fd;

	for (i = 0; i < n; i++)
		if (live[i] && rns[i]->net.ops->fd == NULL)
			break;
	if (i < n) {
		for (i = 0; i < n; i++)
			if (live[i])
				runner_poll(rns[i], next_deadline(rns[i]));
		return;
	}
	for (i = 0; i < n; i++) {
		if (!live[i])
			continue;
		if ((t = next_deadline(rns[i])) < d)
			d = t;
		if (first == NULL)
			first = rns[i];
		else if (nf < RUN_POLL_FDS &&
		    (fd = rns[i]->net.ops->fd(rns[i]->net.arg)) >= 0) {
			fds[nf].fd = fd;
			fds[nf].events = POLLIN;
			fds[nf++].revents = 0;
		}
	}
	for (i = 0; i < n; i++)
		if (live[i])
			nf += poll_fds(rns[i], fds + nf, RUN_POLL_FDS - nf);
	if (first->net.ops->wait(first->net.arg, d, fds, nf, &err) == -1) {
		for (i = 0; i < n; i++)
			if (live[i])
				poll_fatal(rns[i], err != NULL ? strdup(err) :
				    NULL);
		free(err);
		return;
	}
	for (i = 0; i < n; i++)
		if (live[i])
			poll_handle(rns[i]);
}

/*
 * runner_loop() for several runners at once (one per address family), in
 * one loop: their cases run side by side, each runner keeping its own -j.
 * Returns -1 when any of them stopped (its rn->fatal says why).
 */
int
runner_loop_many(struct runner **rns, const struct run_sched **scs, int n)
{
	int *live, i, nlive, rc = 0;

	if ((live = calloc((size_t)n, sizeof(*live))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		loop_alloc(rns[i]);
		live[i] = 1;
	}
	for (;;) {
		for (i = 0, nlive = 0; i < n; i++) {
			if (live[i] && loop_step(rns[i], scs[i]) == 0)
				live[i] = 0;
			nlive += live[i];
		}
		if (nlive == 0)
			break;
		poll_many(rns, live, n);
		for (i = 0; i < n; i++)
			if (live[i] && scs[i]->tick != NULL)
				scs[i]->tick(scs[i]->arg, rns[i]);
	}
	for (i = 0; i < n; i++)
		if (rns[i]->fatal != NULL)
			rc = -1;
	free(live);
	return rc;
}
