/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve.c: the target of "tcpconform serve": the peer's TCP stack set up as
 * a server, its connections and listeners, and the dispatch of the TCP's
 * events to the services, the built-in agent and the faults.
 *
 * Call order of one segment: serve_input() -> serve_fault_in() (may rewrite
 * or drop it) -> tcp_input() -> events -> on_event() -> serve_app_*() or
 * serve_agent_poke(); every segment the TCP sends passes serve_fault_out()
 * (the out_filter hook) and then output() -> the caller's callback.
 *
 * Choices where RFC 9293 leaves room, made as Linux makes them so that the
 * cases written against Linux pass here without a fault:
 * - TIME-WAIT lasts 60 s (msl 30 s), Linux's TCP_TIMEWAIT_LEN;
 * - close() with unread data, or data arriving after close(), resets the
 *   connection (RFC 1122 4.2.2.13; the TCP's rst_unread);
 * - every segment is acknowledged at once (Linux's quick-ACK mode at the
 *   start of a connection); a case that allows a delayed ACK allows this;
 * - the ISN comes from the RFC 6528 generator with a random secret.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "seq.h"
#include "errmsg.h"
#include "serve_int.h"

static void	 output(void *, const struct seg *);
static void	 on_event(void *, const struct tcp_event *);
static void	 ev_new(struct serve *, struct tcb *);
static void	 ev_state(struct serve *, const struct tcp_event *);
static void	 ev_closed(struct serve *, struct tcb *, enum tcp_reason);
static void	 log_seg(struct serve *, const struct tcp_event *);
static void	 conn_unlink(struct serve_conn *);
static void	 conn_save_unread(struct serve_conn *);
static int	 reason_errno(enum tcp_reason);
static int	 any_port_listener(struct serve *, const struct seg *);
static struct serve_conn *time_wait_reopen(struct serve *, const struct seg *);
static int	 ours(const struct serve *, const struct seg *);
static uint16_t	 eph_port(struct serve *, const uint8_t *, uint16_t);
static int	 start_services(struct serve *, char **);
static void	 listener_close(struct serve_conn *);

void
serve_config_default(struct serve_config *c, int family)
{
	memset(c, 0, sizeof(*c));
	tcp_config_default(&c->tcp);
	c->tcp.msl_us = 30ULL * 1000000;	/* Linux TIME-WAIT: 60 s */
	c->tcp.rst_unread = 1;
	c->tcp.dsack = 1;		/* as Linux (tcp_dsack) */
	c->family = family;
	c->echo_port = SERVE_ECHO_PORT;
	c->discard_port = SERVE_DISCARD_PORT;
	c->http_port = SERVE_HTTP_PORT;
	c->banner_port = SERVE_BANNER_PORT;
	c->any_port = 1;
	c->eph_lo = SERVE_EPH_LO;
	c->eph_hi = SERVE_EPH_HI;
	c->isn_base = 1000000;
}

struct serve *
serve_new(const struct serve_config *cfg, serve_output_fn *out, void *arg,
    char **err)
{
	struct serve *sv;

	sv = xcalloc(1, sizeof(*sv));
	sv->cfg = *cfg;
	serve_fault_config(&sv->cfg);
	sv->output = out;
	sv->arg = arg;
	sv->isn_next = cfg->isn_base;
	sv->eph_next = cfg->eph_lo;
	if ((sv->st = tcp_stack_new(&sv->cfg.tcp, output, on_event, sv,
	    err)) == NULL) {
		free(sv);
		return NULL;
	}
	if (start_services(sv, err) == -1) {
		serve_free(sv);
		return NULL;
	}
	return sv;
}

/* The listeners of the services configured. */
static int
start_services(struct serve *sv, char **err)
{
	const struct {
		uint16_t	port;
		enum serve_svc	svc;
	} svcs[] = {
		{ sv->cfg.echo_port, SVC_ECHO },
		{ sv->cfg.discard_port, SVC_DISCARD },
		{ sv->cfg.http_port, SVC_HTTP },
		{ sv->cfg.banner_port, SVC_BANNER },
	};
	size_t i;

	for (i = 0; i < sizeof(svcs) / sizeof(svcs[0]); i++)
		if (svcs[i].port != 0 && serve_listen(sv, svcs[i].port,
		    svcs[i].svc, 0, 0, err) == NULL)
			return -1;
	return 0;
}

void
serve_free(struct serve *sv)
{
	struct serve_conn *c;

	if (sv == NULL)
		return;
	serve_agent_free_all(sv);
	/* The stack reports TCP_EV_CLOSED (TCP_R_FREED) for each TCB. */
	tcp_stack_free(sv->st);
	while ((c = sv->conns) != NULL) {
		sv->conns = c->next;
		free(c->left);
		free(c);
	}
	free(sv);
}

struct tcp_stack *
serve_stack(struct serve *sv)
{
	return sv->st;
}

const struct serve_stats *
serve_get_stats(const struct serve *sv)
{
	return &sv->stats;
}

/* Addressed to us, in our family, and not to the agent's control port. */
static int
ours(const struct serve *sv, const struct seg *s)
{
	size_t alen = sv->cfg.family == AF_INET6 ? 16 : 4;

	if (s->family != sv->cfg.family ||
	    memcmp(s->dst, sv->cfg.addr, alen) != 0)
		return 0;
	return sv->cfg.agent_port == 0 || s->dport != sv->cfg.agent_port;
}

int
serve_input(struct serve *sv, const struct seg *in, uint64_t now)
{
	struct serve_conn *l;
	struct tcp_hooks saved;
	struct seg s;
	int rv = 0;

	if (now > sv->now)
		sv->now = now;
	if (!ours(sv, in))
		return 0;
	/*
	 * RFC 9293 MUST-3: a segment whose checksum fails is thrown away.
	 * The wire layer has already completed the checksums a sender on
	 * this host left to offload (wire_csum_complete), so what fails here
	 * was wrong on the wire.
	 */
	if ((in->warn & SEG_W_CSUM) && !serve_fault_bad_csum(sv, in)) {
		sv->stats.bad_csum++;
		return 0;
	}
	s = *in;
	if (any_port_listener(sv, &s) == -1)
		return 0;
	if ((l = time_wait_reopen(sv, &s)) != NULL)
		saved = l->tcb->hooks;
	if (!serve_fault_in(sv, &s))
		rv = tcp_input(sv->st, &s, sv->now);
	if (l != NULL) {
		if (l->tcb != NULL) {
			l->tcb->hooks.iss_set = saved.iss_set;
			l->tcb->hooks.iss = saved.iss;
		}
		l->hold--;
		serve_conn_release(l);
	}
	return rv;
}

/*
 * A new SYN for a connection in TIME-WAIT.  RFC 9293 3.10.7.4 answers it
 * with an ACK; RFC 1122 4.2.2.13 and RFC 6191 allow reopening when the
 * SYN's sequence number (or timestamp) is newer than what the old
 * incarnation saw, with an ISN above any it used.  Linux reopens
 * (tcp_timewait_state_process, ISN = SND.NXT + 65537), and so do we: the
 * TIME-WAIT TCB goes, and the listener takes the SYN with that ISN.  The
 * listener is returned held, its hooks to be restored after the input.
 */
static struct serve_conn *
time_wait_reopen(struct serve *sv, const struct seg *s)
{
	struct tcp_tuple t;
	struct tcb *tp;
	struct serve_conn *l;
	uint32_t iss;

	if ((s->flags & (SEG_SYN | SEG_ACK | SEG_RST)) != SEG_SYN ||
	    FAULT_ON(sv, SF_TIME_WAIT_SYN_RST))
		return NULL;
	serve_tuple(sv, &t, s->dport, s->src, s->sport);
	if ((tp = tcp_lookup(sv->st, &t)) == NULL ||
	    tp->state != TCPS_TIME_WAIT ||
	    (l = serve_listener_find(sv, s->dport)) == NULL)
		return NULL;
	if (!seq_gt(s->seq, tp->rcv_nxt) && !((tp->flags & TCPF_TS) &&
	    (s->has & SEG_HAS_TS) && (int32_t)(tp->ts_recent - s->tsval) < 0))
		return NULL;
	iss = tp->snd_max + 65537;
	if (sv->cfg.log != NULL)
		fprintf(sv->cfg.log, "serve: new SYN in TIME-WAIT: reopened\n");
	tcp_abort(tp);		/* no RST from TIME-WAIT */
	l->hold++;
	l->tcb->hooks.iss_set = 1;
	l->tcb->hooks.iss = iss;
	return l;
}

/*
 * "Any open port": a SYN to a port nobody listens on makes a listener
 * there first, so that the TCP answers it as a server would.  The
 * ephemeral range is the application's (the agent's LISTEN on port 0, and
 * active opens): a port there is open only while it listens, so that a
 * port it closed is a closed port (RFC 9293 3.10.7.1).
 */
static int
any_port_listener(struct serve *sv, const struct seg *s)
{
	struct tcp_tuple t;
	char *err = NULL;

	if (!sv->cfg.any_port || (s->flags & (SEG_SYN | SEG_ACK | SEG_RST)) !=
	    SEG_SYN || serve_listener_find(sv, s->dport) != NULL ||
	    (s->dport >= sv->cfg.eph_lo && s->dport <= sv->cfg.eph_hi))
		return 0;
	serve_tuple(sv, &t, s->dport, s->src, s->sport);
	if (tcp_lookup(sv->st, &t) != NULL)
		return 0;
	if (serve_listen(sv, s->dport, SVC_ANY, 0, 0, &err) == NULL) {
		if (sv->cfg.log != NULL)
			fprintf(sv->cfg.log, "serve: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

void
serve_timers_run(struct serve *sv, uint64_t now)
{
	if (now > sv->now)
		sv->now = now;
	tcp_timers_run(sv->st, sv->now);
	serve_agent_timers(sv);
}

uint64_t
serve_next_timer(const struct serve *sv)
{
	uint64_t t = tcp_next_timer(sv->st), a = serve_agent_deadline(sv);

	return a < t ? a : t;
}

static void
output(void *arg, const struct seg *s)
{
	struct serve *sv = arg;

	if (sv->output != NULL)
		sv->output(sv->arg, s);
}

static void
on_event(void *arg, const struct tcp_event *ev)
{
	struct serve *sv = arg;
	struct serve_conn *c;

	switch (ev->type) {
	case TCP_EV_SEG_IN:
	case TCP_EV_SEG_OUT:
		log_seg(sv, ev);
		return;
	case TCP_EV_NEW:
		ev_new(sv, ev->tcb);
		return;
	case TCP_EV_STATE:
		ev_state(sv, ev);
		return;
	case TCP_EV_CLOSED:
		ev_closed(sv, ev->tcb, ev->reason);
		return;
	default:
		break;
	}
	/* RECV, ACKED, URG: news for the application. */
	if ((c = serve_conn_of(ev->tcb)) == NULL)
		return;
	if (c->svc == SVC_AGENT) {
		if (c->ctl != NULL)
			serve_agent_poke(c->ctl);
	} else
		serve_app_recv(c);
}

/* A listener made a connection: it inherits the listener's application. */
static void
ev_new(struct serve *sv, struct tcb *tp)
{
	struct serve_conn *l, *c;

	if ((l = serve_conn_of(tp->parent)) == NULL)
		return;
	c = serve_conn_new(sv, tp, l->svc);
	if (l->svc == SVC_AGENT)
		c->parent = l;
}

static void
ev_state(struct serve *sv, const struct tcp_event *ev)
{
	struct serve_conn *c;

	if (sv->cfg.log != NULL)
		fprintf(sv->cfg.log, "serve: %s -> %s\n",
		    tcps_names[ev->before], tcps_names[ev->after]);
	if ((c = serve_conn_of(ev->tcb)) == NULL)
		return;
	if (!tcps_have_established(ev->before) &&
	    tcps_have_established(ev->after))
		serve_app_established(c);
	/* A fault may delete the TCB: c stays, c->tcb may be gone after. */
	serve_fault_state(sv, ev->tcb, ev->after);
	if (c->svc == SVC_AGENT && c->ctl != NULL)
		serve_agent_poke(c->ctl);
}

static int
reason_errno(enum tcp_reason r)
{
	switch (r) {
	case TCP_R_RESET:
		return ECONNRESET;
	case TCP_R_REFUSED:
		return ECONNREFUSED;
	case TCP_R_TIMEOUT:
		return ETIMEDOUT;
	case TCP_R_ABORTED:
		return ECONNABORTED;
	default:
		return 0;
	}
}

static void
ev_closed(struct serve *sv, struct tcb *tp, enum tcp_reason reason)
{
	struct serve_conn *c;
	struct serve_ctl *ctl;

	if (sv->cfg.log != NULL)
		fprintf(sv->cfg.log, "serve: connection deleted (%s)\n",
		    tcp_reason_name(reason));
	if ((c = serve_conn_of(tp)) == NULL)
		return;
	if (!c->app_closed && reason == TCP_R_DONE)
		conn_save_unread(c);
	c->eof = c->eof || tcp_eof(tp);
	if (c->error == 0)
		c->error = reason_errno(reason);
	tp->user = NULL;
	c->tcb = NULL;
	ctl = c->ctl != NULL ? c->ctl : (c->parent != NULL &&
	    c->queued ? c->parent->ctl : NULL);
	serve_conn_release(c);
	if (ctl != NULL)
		serve_agent_poke(ctl);
}

/*
 * A TCB that ends normally (LAST-ACK acknowledged) while the application
 * still holds unread data: keep the data, as a socket keeps it until
 * close(), so that a later READ still gets it.
 */
static void
conn_save_unread(struct serve_conn *c)
{
	const struct tcp_buf *b = &c->tcb->rcv;

	if (b->len == 0 || (c->left = malloc(b->len)) == NULL)
		return;
	memcpy(c->left, b->p + b->off, b->len);
	c->leftlen = b->len;
	c->leftoff = 0;
}

static void
log_seg(struct serve *sv, const struct tcp_event *ev)
{
	const struct seg *s = ev->seg;
	char fl[16], op[256], ack[24] = "";

	if (sv->cfg.log == NULL || s == NULL)
		return;
	if (s->flags & SEG_ACK)
		snprintf(ack, sizeof(ack), " ack %" PRIu32, s->ack);
	fprintf(sv->cfg.log, "serve: %s %u>%u %s %" PRIu32 ":%" PRIu32
	    "(%zu)%s win %u <%s> %s%s%s\n",
	    ev->type == TCP_EV_SEG_IN ? "<" : ">", s->sport, s->dport,
	    seg_flags_str(s->flags, fl, sizeof(fl)), s->seq,
	    s->seq + (uint32_t)s->len, s->len, ack, s->win,
	    seg_opts_str(s, op, sizeof(op)), tcps_names[ev->after],
	    ev->what != NULL ? ": " : "", ev->what != NULL ? ev->what : "");
}

struct serve_conn *
serve_conn_of(struct tcb *tp)
{
	struct serve_conn *c;

	if (tp == NULL || (c = tp->user) == NULL || c->tcb != tp)
		return NULL;
	return c;
}

struct serve_conn *
serve_conn_new(struct serve *sv, struct tcb *tp, enum serve_svc svc)
{
	struct serve_conn *c;

	c = xcalloc(1, sizeof(*c));
	c->sv = sv;
	c->tcb = tp;
	c->tuple = tp->tuple;
	c->svc = svc;
	c->listener = tp->state == TCPS_LISTEN;
	tp->user = c;
	c->next = sv->conns;
	sv->conns = c;
	if (!c->listener)
		sv->stats.conns++;
	return c;
}

static void
conn_unlink(struct serve_conn *c)
{
	struct serve_conn **pp;

	for (pp = &c->sv->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			return;
		}
}

/* Free c once nothing holds it: no TCB, no handle, no accept queue. */
void
serve_conn_release(struct serve_conn *c)
{
	struct serve_conn **pp;

	if (c->tcb != NULL || c->ctl != NULL || c->queued || c->hold > 0)
		return;
	if (c->parent != NULL)
		for (pp = &c->parent->aq_head; *pp != NULL;
		    pp = &(*pp)->aq_next)
			if (*pp == c) {
				*pp = c->aq_next;
				break;
			}
	conn_unlink(c);
	free(c->left);
	free(c);
}

struct serve_conn *
serve_listener_find(struct serve *sv, uint16_t port)
{
	struct serve_conn *c;

	for (c = sv->conns; c != NULL; c = c->next)
		if (c->listener && c->tcb != NULL &&
		    c->tcb->tuple.lport == port)
			return c;
	return NULL;
}

void
serve_tuple(const struct serve *sv, struct tcp_tuple *t, uint16_t lport,
    const uint8_t *raddr, uint16_t rport)
{
	size_t alen = sv->cfg.family == AF_INET6 ? 16 : 4;

	memset(t, 0, sizeof(*t));
	t->family = sv->cfg.family;
	memcpy(t->laddr, sv->cfg.addr, alen);
	if (raddr != NULL)
		memcpy(t->raddr, raddr, alen);
	t->lport = lport;
	t->rport = rport;
}

/* Every TCB of the target sends through the faults' filter. */
void
serve_hooks(struct serve *sv, struct tcb *tp)
{
	tp->hooks.out_filter = serve_fault_out;
	tp->hooks.out_arg = sv;
	serve_fault_hooks(sv, tp);
	serve_fault_ack_hooks(sv, tp);
}

struct serve_conn *
serve_listen(struct serve *sv, uint16_t port, enum serve_svc svc,
    uint32_t rcvbuf, uint32_t sndbuf, char **err)
{
	struct tcp_tuple t;
	struct tcb *tp;
	struct serve_conn *c;

	serve_tuple(sv, &t, port, NULL, 0);
	if ((tp = tcp_new(sv->st, &t, err)) == NULL)
		return NULL;
	serve_hooks(sv, tp);
	if (rcvbuf != 0)
		tp->rcvbuf_max = rcvbuf;
	if (sndbuf != 0)
		tp->sndbuf_max = sndbuf;
	if (tcp_listen(tp, err) == -1) {
		tcp_abort(tp);
		return NULL;
	}
	c = serve_conn_new(sv, tp, svc);
	c->listener = 1;
	return c;
}

/* A free local port for an active open to raddr:rport; 0 when none. */
static uint16_t
eph_port(struct serve *sv, const uint8_t *raddr, uint16_t rport)
{
	struct tcp_tuple t;
	unsigned n, span = (unsigned)sv->cfg.eph_hi - sv->cfg.eph_lo + 1;
	uint16_t p;

	for (n = 0; n < span; n++) {
		p = sv->eph_next;
		sv->eph_next = p >= sv->cfg.eph_hi ? sv->cfg.eph_lo : p + 1;
		serve_tuple(sv, &t, p, raddr, rport);
		if (tcp_lookup(sv->st, &t) == NULL &&
		    serve_listener_find(sv, p) == NULL)
			return p;
	}
	return 0;
}

struct serve_conn *
serve_connect(struct serve *sv, const uint8_t *raddr, uint16_t rport,
    uint16_t lport, uint32_t rcvbuf, uint32_t sndbuf, char **err)
{
	struct tcp_tuple t;
	struct tcb *tp;
	struct serve_conn *c;

	if (lport == 0 && (lport = eph_port(sv, raddr, rport)) == 0) {
		*err = strdup("no free local port");
		return NULL;
	}
	serve_tuple(sv, &t, lport, raddr, rport);
	if ((tp = tcp_new(sv->st, &t, err)) == NULL)
		return NULL;
	serve_hooks(sv, tp);
	serve_fault_iss(sv, tp);
	if (rcvbuf != 0)
		tp->rcvbuf_max = rcvbuf;
	if (sndbuf != 0)
		tp->sndbuf_max = sndbuf;
	c = serve_conn_new(sv, tp, SVC_AGENT);
	if (tcp_connect(tp, err) == -1) {
		c->tcb = NULL;
		tp->user = NULL;
		tcp_abort(tp);
		serve_conn_release(c);
		return NULL;
	}
	return c;
}

/*
 * Close c and let it go: the TCP may report the end of the connection at
 * once (and release() free c) or later; the hold keeps c alive meanwhile.
 */
void
serve_conn_drop(struct serve_conn *c)
{
	c->hold++;
	serve_conn_close(c);
	c->hold--;
	serve_conn_release(c);
}

/*
 * A listener stops: the connections it made that the application has not
 * accepted are reset, as Linux resets them.
 */
static void
listener_close(struct serve_conn *l)
{
	struct serve_conn *q;

	l->aq_head = NULL;
again:
	for (q = l->sv->conns; q != NULL; q = q->next) {
		if (q->parent != l)
			continue;
		q->parent = NULL;
		q->queued = 0;
		q->aq_next = NULL;
		q->app_closed = 1;
		q->hold++;
		if (q->tcb != NULL)
			tcp_abort(q->tcb);
		q->hold--;
		serve_conn_release(q);	/* may free q: start over */
		goto again;
	}
	tcp_abort(l->tcb);
}

/*
 * The application closes: a connection closes gracefully or, as
 * SO_LINGER {1, 0} or a fault says, aborts.  c stays until released.
 */
void
serve_conn_close(struct serve_conn *c)
{
	struct tcb *tp = c->tcb;
	char *err = NULL;

	if (c->app_closed)
		return;
	c->app_closed = 1;
	if (tp == NULL)
		return;
	if (c->listener) {
		listener_close(c);
		return;
	}
	switch (serve_fault_close(c)) {
	case 1:
		c->app_rst = 1;
		tcp_abort(tp);
		return;
	case 2:
		if (tcp_shutdown(tp, &err) == -1)
			free(err);
		return;
	default:
		break;
	}
	/* The TCP resets a close with unread data (rst_unread). */
	if (c->sv->cfg.tcp.rst_unread && (tcp_readable(tp) > 0 ||
	    tp->reass != NULL))
		c->app_rst = 1;
	if (tcp_close(tp, &err) == -1)
		free(err);
}

size_t
serve_conn_readable(const struct serve_conn *c)
{
	if (c->rd_shut)
		return 0;
	if (c->tcb != NULL)
		return tcp_readable(c->tcb);
	return c->leftlen - c->leftoff;
}

size_t
serve_conn_read(struct serve_conn *c, void *buf, size_t len)
{
	size_t n;

	if (c->rd_shut)
		return 0;
	if (c->tcb != NULL)
		return tcp_recv(c->tcb, buf, len);
	n = c->leftlen - c->leftoff;
	if (n > len)
		n = len;
	if (n == 0)
		return 0;
	memcpy(buf, c->left + c->leftoff, n);
	c->leftoff += n;
	return n;
}

/* read(2) would return 0: the peer's FIN was reached, or SHUT_RD. */
int
serve_conn_at_eof(const struct serve_conn *c)
{
	if (c->rd_shut)
		return 1;
	if (c->tcb != NULL)
		return tcp_eof(c->tcb);
	return c->error == 0 && c->leftoff == c->leftlen;
}

/* A random secret for the ISN generator (RFC 6528), for serve_run(). */
uint64_t
serve_random_secret(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = (uint64_t)(uintptr_t)&v ^ 0x5eed5eed5eedULL;
	return v;
}
