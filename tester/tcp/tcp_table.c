/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_table.c: the stack itself: its configuration, the connection table
 * keyed by 4-tuple, the listeners, the birth and death of TCBs, and the
 * bracket (tcp_enter/tcp_leave) around every call that delivers the queued
 * events when the outermost call ends.
 *
 * The table is a chained hash on the 4-tuple, keyed with a per-stack secret
 * and doubled when it holds as many TCBs as buckets: O(1) lookups on average
 * whatever the number of connections.  Listeners are few and sit on a list.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seq.h"
#include "errmsg.h"
#include "tcp_var.h"

#define TCP_HASH_INIT	64

static uint64_t	 mix64(uint64_t);
static size_t	 tuple_bucket(const struct tcp_stack *, const struct tcp_tuple *);
static int	 tuple_eq(const struct tcp_tuple *, const struct tcp_tuple *);
static int	 table_grow(struct tcp_stack *);
static void	 table_remove(struct tcb *);
static void	 tcb_free(struct tcb *);
static void	 free_dead(struct tcp_stack *);
static int	 addr_zero(const uint8_t *);

void
tcp_config_default(struct tcp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->msl_us = 120ULL * 1000000;		/* RFC 9293 3.4.2 */
	c->rto_init_us = 1000000;		/* RFC 6298 (2.1) */
	c->rto_min_us = 1000000;		/* RFC 6298 (2.4) */
	c->rto_max_us = 60ULL * 1000000;	/* RFC 6298 (2.5) */
	c->max_rexmits = 15;
	c->syn_rexmits = 7;		/* MUST-23: 3 minutes and more */
	c->mtu = 1500;
	c->wscale = 7;
	c->sack = 1;
	c->ts = 1;
	c->rcvbuf = 256 * 1024;
	c->sndbuf = 256 * 1024;
	c->keep_intvl_us = 75ULL * 1000000;
	c->keep_count = 9;
	c->rst_unread = 1;
}

struct tcp_stack *
tcp_stack_new(const struct tcp_config *cfg, tcp_output_fn *output,
    tcp_event_fn *event, void *arg, char **err)
{
	struct tcp_stack	*st;

	(void)err;		/* out of memory aborts (errmsg.h) */
	st = xcalloc(1, sizeof(*st));
	st->htab = xcalloc(TCP_HASH_INIT, sizeof(*st->htab));
	if (cfg != NULL)
		st->cfg = *cfg;
	else
		tcp_config_default(&st->cfg);
	st->hsize = TCP_HASH_INIT;
	st->output = output;
	st->event = event;
	st->arg = arg;
	st->hseed = mix64(st->cfg.secret ^ 0x746370636f6e66ULL);
	st->evq_tail = &st->evq;
	return st;
}

void
tcp_stack_free(struct tcp_stack *st)
{
	struct tcb	*tp, *next;

	if (st == NULL)
		return;
	for (tp = st->all; tp != NULL; tp = next) {
		next = tp->anext;
		tcb_free(tp);
	}
	for (tp = st->dead; tp != NULL; tp = next) {
		next = tp->hnext;
		tcb_free(tp);
	}
	tcp_ev_free_all(st);
	free(st->htab);
	free(st->heap);
	free(st);
}

const struct tcp_config *
tcp_stack_config(const struct tcp_stack *st)
{
	return &st->cfg;
}

size_t
tcp_stack_count(const struct tcp_stack *st)
{
	return st->ntcb;
}

uint64_t
tcp_stack_now(const struct tcp_stack *st)
{
	return st->now;
}

void
tcp_stack_clock(struct tcp_stack *st, uint64_t now)
{
	if (now > st->now)
		st->now = now;
}

/* Every public entry point brackets its work with these two. */
void
tcp_enter(struct tcp_stack *st, uint64_t now)
{
	if (now > st->now)
		st->now = now;
	st->depth++;
}

/*
 * The outermost call delivers what was queued.  Calls made from inside the
 * callbacks find depth > 0 and only queue; the loop in tcp_ev_flush() picks
 * their events up.  TCBs deleted meanwhile are freed once nobody can be
 * holding them.
 */
void
tcp_leave(struct tcp_stack *st)
{
	if (st->depth > 1) {
		st->depth--;
		return;
	}
	tcp_ev_flush(st);
	st->depth = 0;
	free_dead(st);
}

/* A 64-bit finalizer (MurmurHash3's): good avalanche, no tables. */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Keyed hash of a 4-tuple; the salt separates its uses (table, ISN, TS). */
uint32_t
tcp_hash32(const struct tcp_stack *st, const struct tcp_tuple *t,
    uint32_t salt)
{
	uint64_t	h, w;
	int		i;

	h = st->hseed ^ ((uint64_t)salt << 32) ^ (uint64_t)t->family;
	for (i = 0; i < 16; i += 8) {
		memcpy(&w, t->laddr + i, 8);
		h = mix64(h ^ w);
		memcpy(&w, t->raddr + i, 8);
		h = mix64(h ^ w);
	}
	h = mix64(h ^ ((uint64_t)t->lport << 16 | t->rport));
	return (uint32_t)(h ^ (h >> 32));
}

static size_t
tuple_bucket(const struct tcp_stack *st, const struct tcp_tuple *t)
{
	return tcp_hash32(st, t, 0) & (st->hsize - 1);
}

static int
tuple_eq(const struct tcp_tuple *a, const struct tcp_tuple *b)
{
	return a->lport == b->lport && a->rport == b->rport &&
	    a->family == b->family &&
	    memcmp(a->raddr, b->raddr, 16) == 0 &&
	    memcmp(a->laddr, b->laddr, 16) == 0;
}

static int
addr_zero(const uint8_t *a)
{
	static const uint8_t	zero[16];

	return memcmp(a, zero, 16) == 0;
}

/* The 4-tuple of the connection a segment from the target belongs to. */
void
tcp_tuple_of_seg(const struct seg *s, struct tcp_tuple *t)
{
	size_t	alen = s->family == AF_INET ? 4 : 16;

	memset(t, 0, sizeof(*t));
	t->family = s->family;
	memcpy(t->laddr, s->dst, alen);
	memcpy(t->raddr, s->src, alen);
	t->lport = s->dport;
	t->rport = s->sport;
}

struct tcb *
tcp_lookup(struct tcp_stack *st, const struct tcp_tuple *t)
{
	struct tcb	*tp;

	for (tp = st->htab[tuple_bucket(st, t)]; tp != NULL; tp = tp->hnext)
		if (tuple_eq(&tp->tuple, t))
			return tp;
	return NULL;
}

/*
 * The listener for a SYN to t: same family and local port, local address
 * equal or unspecified, remote socket equal or unspecified (RFC 9293 3.10.1:
 * "some parts of the remote socket may be unspecified in a passive OPEN").
 * A fully specified listener wins over a wildcard one.
 */
struct tcb *
tcp_listener_lookup(struct tcp_stack *st, const struct tcp_tuple *t)
{
	struct tcb		*tp, *best = NULL;
	const struct tcp_tuple	*l;

	for (tp = st->listeners; tp != NULL; tp = tp->hnext) {
		l = &tp->tuple;
		if (l->family != t->family || l->lport != t->lport)
			continue;
		if (!addr_zero(l->laddr) && memcmp(l->laddr, t->laddr, 16))
			continue;
		if (l->rport != 0 && l->rport != t->rport)
			continue;
		if (!addr_zero(l->raddr) && memcmp(l->raddr, t->raddr, 16))
			continue;
		if (best == NULL || !addr_zero(l->laddr))
			best = tp;
	}
	return best;
}

static int
table_grow(struct tcp_stack *st)
{
	struct tcb	**nt, *tp, *next;
	size_t		 i, oldsize = st->hsize, b;

	if ((nt = calloc(oldsize * 2, sizeof(*nt))) == NULL)
		return -1;
	st->hsize = oldsize * 2;
	for (i = 0; i < oldsize; i++) {
		for (tp = st->htab[i]; tp != NULL; tp = next) {
			next = tp->hnext;
			b = tuple_bucket(st, &tp->tuple);
			tp->hnext = nt[b];
			nt[b] = tp;
		}
	}
	free(st->htab);
	st->htab = nt;
	return 0;
}

/* Put an opened TCB where input finds it: the listener list or the table. */
int
tcp_table_insert(struct tcb *tp, char **err)
{
	struct tcp_stack	*st = tp->stack;
	size_t			 b;

	if (tp->state == TCPS_LISTEN) {
		tp->hnext = st->listeners;
		st->listeners = tp;
		tp->flags |= TF_INTABLE | TF_LISTENQ;
		return 0;
	}
	if (tcp_lookup(st, &tp->tuple) != NULL) {
		if (err != NULL)
			*err = strdup("connection already exists");
		return -1;
	}
	if (st->hcount >= st->hsize && table_grow(st) == -1) {
		if (err != NULL)
			*err = strdup("insufficient resources");
		return -1;
	}
	b = tuple_bucket(st, &tp->tuple);
	tp->hnext = st->htab[b];
	st->htab[b] = tp;
	st->hcount++;
	tp->flags |= TF_INTABLE;
	return 0;
}

static void
table_remove(struct tcb *tp)
{
	struct tcp_stack	*st = tp->stack;
	struct tcb		**pp;

	if (!(tp->flags & TF_INTABLE))
		return;
	if (tp->flags & TF_LISTENQ)
		pp = &st->listeners;
	else
		pp = &st->htab[tuple_bucket(st, &tp->tuple)];
	for (; *pp != NULL; pp = &(*pp)->hnext) {
		if (*pp == tp) {
			*pp = tp->hnext;
			break;
		}
	}
	if (!(tp->flags & TF_LISTENQ))
		st->hcount--;
	tp->flags &= ~(TF_INTABLE | TF_LISTENQ);
	tp->hnext = NULL;
}

/* A fresh CLOSED TCB with the stack's defaults, on no list but `all'. */
struct tcb *
tcp_tcb_alloc(struct tcp_stack *st, const struct tcp_tuple *t)
{
	struct tcb	*tp;

	if ((tp = calloc(1, sizeof(*tp))) == NULL)
		return NULL;
	tp->stack = st;
	tp->tuple = *t;
	tp->state = TCPS_CLOSED;
	tp->heap_idx = SIZE_MAX;
	tp->rcvbuf_max = st->cfg.rcvbuf;
	tp->keep_idle_us = st->cfg.keep_idle_us;
	tp->keep_intvl_us = st->cfg.keep_intvl_us;
	tp->sndbuf_max = st->cfg.sndbuf;
	tp->hooks.wscale = st->cfg.wscale;
	tp->hooks.sack = st->cfg.sack;
	tp->hooks.ts = st->cfg.ts;
	tp->rto = (uint32_t)st->cfg.rto_init_us;
	tp->ssthresh = UINT32_MAX / 2;
	tp->ts_offset = tcp_hash32(st, t, 0x7473);
	tp->anext = st->all;
	if (st->all != NULL)
		st->all->aprev = tp;
	st->all = tp;
	st->ntcb++;
	return tp;
}

static void
tcb_free(struct tcb *tp)
{
	tcp_buf_free(&tp->snd);
	tcp_buf_free(&tp->rcv);
	tcp_reass_free(tp);
	free(tp->hooks.syn_opts);
	free(tp);
}

static void
free_dead(struct tcp_stack *st)
{
	struct tcb	*tp;

	while ((tp = st->dead) != NULL) {
		st->dead = tp->hnext;
		tcb_free(tp);
	}
}

void
tcp_set_state(struct tcb *tp, enum tcps s)
{
	struct tcp_evnode	*n;

	if (tp->state == s)
		return;
	n = tcp_ev_push(tp->stack, TCP_EV_STATE, tp, NULL, NULL);
	n->ev.before = tp->state;
	n->ev.after = s;
	tp->state = s;
}

/*
 * "Enter the CLOSED state, delete the TCB": off the table, the timers and
 * the list of all TCBs at once, so nothing finds it again; freed by
 * tcp_leave() after its TCP_EV_CLOSED has been delivered.
 */
void
tcp_delete(struct tcb *tp, enum tcp_reason why)
{
	struct tcp_stack	*st = tp->stack;
	struct tcp_evnode	*n;
	struct tcb		*c;

	if (tp->flags & TF_DEAD)
		return;
	tcp_timer_clear_all(tp);
	if (tp->flags & TF_LISTENQ)
		for (c = st->all; c != NULL; c = c->anext)
			if (c->parent == tp)
				c->parent = NULL;
	table_remove(tp);
	tcp_set_state(tp, TCPS_CLOSED);
	n = tcp_ev_push(st, TCP_EV_CLOSED, tp, NULL, NULL);
	n->ev.reason = why;
	tp->flags |= TF_DEAD;
	if (tp->aprev != NULL)
		tp->aprev->anext = tp->anext;
	else
		st->all = tp->anext;
	if (tp->anext != NULL)
		tp->anext->aprev = tp->aprev;
	tp->hnext = st->dead;
	st->dead = tp;
	st->ntcb--;
}

const char *
tcp_reason_name(enum tcp_reason r)
{
	static const char *const names[] = {
		[TCP_R_DONE] = "closed",
		[TCP_R_RESET] = "connection reset",
		[TCP_R_REFUSED] = "connection refused",
		[TCP_R_TIMEOUT] = "timed out",
		[TCP_R_ABORTED] = "aborted",
		[TCP_R_LISTEN] = "returned to LISTEN",
		[TCP_R_FREED] = "stack freed",
	};

	if ((size_t)r >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[r];
}

const char *
tcp_ev_name(enum tcp_ev e)
{
	static const char *const names[] = {
		[TCP_EV_SEG_IN] = "seg-in",
		[TCP_EV_SEG_OUT] = "seg-out",
		[TCP_EV_STATE] = "state",
		[TCP_EV_NEW] = "new",
		[TCP_EV_RECV] = "recv",
		[TCP_EV_ACKED] = "acked",
		[TCP_EV_URG] = "urgent",
		[TCP_EV_CLOSED] = "closed",
	};

	if ((size_t)e >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[e];
}
