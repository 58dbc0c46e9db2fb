/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tcp_helper.c: the fixtures declared in tcp_helper.h.
 */
#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_helper.h"

static void	 th_output(void *, const struct seg *);
static void	 th_event(void *, const struct tcp_event *);
static void	 die(const char *) __attribute__((noreturn));
struct th_src;
struct th_link;
static void	 link_pump(struct th_src *);
static struct th *th_fin_in(struct th *, uint32_t);
static void	 link_read(struct th_link *, int, struct tcb *);

static void
die(const char *msg)
{
	fprintf(stderr, "tcp_helper: %s\n", msg);
	abort();
}

void
th_tuple(struct tcp_tuple *t, int family, uint16_t lport, uint16_t rport)
{
	memset(t, 0, sizeof(*t));
	t->family = family;
	if (family == AF_INET) {
		inet_pton(AF_INET, "198.18.0.1", t->laddr);
		inet_pton(AF_INET, "198.18.0.2", t->raddr);
	} else {
		inet_pton(AF_INET6, "2001:db8::1", t->laddr);
		inet_pton(AF_INET6, "2001:db8::2", t->raddr);
	}
	t->lport = lport;
	t->rport = rport;
}

void
th_test_config(struct tcp_config *c)
{
	tcp_config_default(c);
	c->wscale = -1;
	c->sack = 0;
	c->ts = 0;
	c->msl_us = TH_SEC;
	c->secret = 1;
}

struct th *
th_new_cfg(const struct tcp_config *cfg)
{
	struct th	*h;
	char		*err = NULL;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		die("out of memory");
	h->cfg = *cfg;
	if ((h->st = tcp_stack_new(cfg, th_output, th_event, h, &err)) == NULL)
		die(err);
	th_tuple(&h->tuple, AF_INET, TH_LPORT, TH_RPORT);
	return h;
}

struct th *
th_new(void)
{
	struct tcp_config	c;

	th_test_config(&c);
	return th_new_cfg(&c);
}

void
th_free(struct th *h)
{
	if (h == NULL)
		return;
	th_clear(h);
	tcp_stack_free(h->st);
	free(h->rdata);
	free(h);
}

static void
th_output(void *arg, const struct seg *s)
{
	struct th	*h = arg;
	uint8_t		*d = NULL;

	if (h->nout >= TH_MAXOUT)
		die("too many segments captured");
	if (s->len > 0) {
		if ((d = malloc(s->len)) == NULL)
			die("out of memory");
		memcpy(d, s->data, s->len);
	}
	h->out[h->nout] = *s;
	h->out[h->nout].data = d;
	h->out_at[h->nout] = h->now;
	h->nout++;
}

static void
th_event(void *arg, const struct tcp_event *e)
{
	struct th	*h = arg;
	struct th_ev	*v;
	uint8_t		 buf[65536];
	size_t		 n;

	if (h->nev < TH_MAXEV) {
		v = &h->ev[h->nev++];
		v->type = e->type;
		v->tcb = e->tcb;
		v->before = e->before;
		v->after = e->after;
		v->reason = e->reason;
		v->n = e->n;
		v->what = e->what;
		v->now = e->now_us;
	}
	if (e->type == TCP_EV_NEW && (h->tp == NULL || h->tp == h->lp))
		h->tp = e->tcb;
	if (e->type == TCP_EV_RECV && h->auto_read && e->tcb != NULL) {
		while ((n = tcp_recv(e->tcb, buf, sizeof(buf))) > 0) {
			h->rdata = realloc(h->rdata, h->rlen + n);
			if (h->rdata == NULL)
				die("out of memory");
			memcpy(h->rdata + h->rlen, buf, n);
			h->rlen += n;
		}
	}
	if (e->type == TCP_EV_CLOSED) {
		if (e->tcb == h->tp)
			h->tp = NULL;
		if (e->tcb == h->lp)
			h->lp = NULL;
	}
}

void
th_run_until(struct th *h, uint64_t at)
{
	uint64_t	t;

	while ((t = tcp_next_timer(h->st)) != TCP_NO_TIMER && t <= at) {
		if (t > h->now)
			h->now = t;
		tcp_timers_run(h->st, h->now);
	}
	if (at > h->now)
		h->now = at;
	tcp_timers_run(h->st, h->now);
}

void
th_advance(struct th *h, uint64_t us)
{
	th_run_until(h, h->now + us);
}

const struct seg *
th_out(const struct th *h, int i)
{
	if (i < 0 || i >= h->nout)
		return NULL;
	return &h->out[i];
}

const struct seg *
th_last(const struct th *h)
{
	return th_out(h, h->nout - 1);
}

void
th_clear(struct th *h)
{
	int	i;

	for (i = 0; i < h->nout; i++)
		free((void *)h->out[i].data);
	h->nout = 0;
	h->nev = 0;
}

int
th_count_ev(const struct th *h, enum tcp_ev type)
{
	int	i, n = 0;

	for (i = 0; i < h->nev; i++)
		if (h->ev[i].type == type)
			n++;
	return n;
}

const struct th_ev *
th_find_ev(const struct th *h, enum tcp_ev type, int nth)
{
	int	i;

	for (i = 0; i < h->nev; i++)
		if (h->ev[i].type == type && nth-- == 0)
			return &h->ev[i];
	return NULL;
}

struct seg
th_tmpl(const struct th *h)
{
	struct seg	s;
	size_t		alen = h->tuple.family == AF_INET ? 4 : 16;

	seg_init(&s, h->tuple.family);
	memcpy(s.src, h->tuple.raddr, alen);
	memcpy(s.dst, h->tuple.laddr, alen);
	s.sport = h->tuple.rport;
	s.dport = h->tuple.lport;
	s.seq = h->r_nxt;
	s.ack = h->tp != NULL ? h->tp->snd_max : 0;
	s.flags = SEG_ACK;
	s.win = TH_WIN;
	return s;
}

struct seg
th_tmpl_syn(const struct th *h)
{
	struct seg	s = th_tmpl(h);

	s.seq = TH_IRS;
	s.ack = 0;
	s.flags = SEG_SYN;
	seg_add_mss(&s, TH_MSS);
	return s;
}

int
th_in(struct th *h, const struct seg *s)
{
	return tcp_input(h->st, s, h->now);
}

int
th_in_data(struct th *h, const char *text)
{
	struct seg	s = th_tmpl(h);
	int		rv;

	s.flags = SEG_ACK | SEG_PSH;
	s.data = (const uint8_t *)text;
	s.len = strlen(text);
	rv = th_in(h, &s);
	h->r_nxt += (uint32_t)s.len;
	return rv;
}

void
th_do_listen(struct th *h)
{
	struct tcp_tuple	t = h->tuple;
	char			*err = NULL;

	memset(t.raddr, 0, sizeof(t.raddr));
	t.rport = 0;
	if ((h->lp = tcp_new(h->st, &t, &err)) == NULL)
		die(err);
	h->lp->hooks.iss_set = 1;
	h->lp->hooks.iss = TH_ISS;
	if (tcp_listen(h->lp, &err) == -1)
		die(err);
}

void
th_do_syn_sent(struct th *h)
{
	char	*err = NULL;

	if ((h->tp = tcp_new(h->st, &h->tuple, &err)) == NULL)
		die(err);
	h->tp->hooks.iss_set = 1;
	h->tp->hooks.iss = TH_ISS;
	if (tcp_connect(h->tp, &err) == -1)
		die(err);
}

void
th_do_established(struct th *h, const struct seg *synack)
{
	struct seg	s;

	if (synack == NULL) {
		s = th_tmpl_syn(h);
		s.flags = SEG_SYN | SEG_ACK;
		s.ack = TH_ISS + 1;
		synack = &s;
	}
	th_in(h, synack);
	h->r_nxt = synack->seq + 1;
}

struct th *
th_listen(void)
{
	struct th	*h = th_new();

	th_do_listen(h);
	th_clear(h);
	return h;
}

struct th *
th_syn_sent(void)
{
	struct th	*h = th_new();

	th_do_syn_sent(h);
	th_clear(h);
	return h;
}

struct th *
th_established(void)
{
	struct th	*h = th_new();

	th_do_syn_sent(h);
	th_do_established(h, NULL);
	th_clear(h);
	return h;
}

struct th *
th_syn_received(void)
{
	struct th	*h = th_new();
	struct seg	 s;

	th_do_listen(h);
	s = th_tmpl_syn(h);
	th_in(h, &s);
	h->r_nxt = TH_IRS + 1;
	th_clear(h);
	return h;
}

struct th *
th_syn_received_active(void)
{
	struct th	*h = th_syn_sent();
	struct seg	 s = th_tmpl_syn(h);

	th_in(h, &s);
	h->r_nxt = TH_IRS + 1;
	th_clear(h);
	return h;
}

struct th *
th_established_passive(void)
{
	struct th	*h = th_syn_received();
	struct seg	 s = th_tmpl(h);

	s.ack = TH_ISS + 1;
	th_in(h, &s);
	th_clear(h);
	return h;
}

struct th *
th_fin_wait_1(void)
{
	struct th	*h = th_established();

	tcp_shutdown(h->tp, NULL);
	th_clear(h);
	return h;
}

struct th *
th_fin_wait_2(void)
{
	struct th	*h = th_fin_wait_1();
	struct seg	 s = th_tmpl(h);

	th_in(h, &s);
	th_clear(h);
	return h;
}

struct th *
th_close_wait(void)
{
	struct th	*h = th_established();

	return th_fin_in(h, h->tp->snd_max);
}

struct th *
th_closing(void)
{
	/* The FIN acknowledges up to our data, not our FIN. */
	return th_fin_in(th_fin_wait_1(), TH_ISS + 1);
}

struct th *
th_last_ack(void)
{
	struct th	*h = th_close_wait();

	tcp_close(h->tp, NULL);
	th_clear(h);
	return h;
}

struct th *
th_time_wait(void)
{
	struct th	*h = th_fin_wait_2();

	return th_fin_in(h, h->tp->snd_max);
}

struct th *
th_state(enum tcps s)
{
	switch (s) {
	case TCPS_LISTEN:
		return th_listen();
	case TCPS_SYN_SENT:
		return th_syn_sent();
	case TCPS_SYN_RECEIVED:
		return th_syn_received();
	case TCPS_ESTABLISHED:
		return th_established();
	case TCPS_FIN_WAIT_1:
		return th_fin_wait_1();
	case TCPS_FIN_WAIT_2:
		return th_fin_wait_2();
	case TCPS_CLOSE_WAIT:
		return th_close_wait();
	case TCPS_CLOSING:
		return th_closing();
	case TCPS_LAST_ACK:
		return th_last_ack();
	case TCPS_TIME_WAIT:
		return th_time_wait();
	default:
		return th_new();
	}
}

/* Back-to-back link. */

struct th_pkt {
	struct th_pkt	*next;
	uint64_t	 at;
	int		 to;
	struct seg	 s;
	uint8_t		 data[];
};

struct th_side {
	struct th_link	*link;
	int		 side;
};

struct th_src {
	struct tcb	*tcb;
	const uint8_t	*data;
	size_t		 len;
	size_t		 off;
	int		 shut;
};

struct th_link {
	struct th_src	 src[2];
	uint8_t		*rx[2];
	size_t		 rxlen[2];
	size_t		 rxcap[2];
	int		 eof[2];
	int		 autoclose[2];
	struct tcp_stack *st[2];
	struct th_side	 sides[2];
	uint64_t	 now;
	struct th_pkt	*q;
	int		 loss;
	int		 reorder;
	uint64_t	 delay;
	uint32_t	 rng;
	uint64_t	 delivered;
	uint64_t	 dropped;
	struct tcb	*accepted[2];
	int		 closed[2];
	struct th_ev	*ev[2];
	int		 nev[2];
	int		 evcap[2];
};

static uint32_t
rnd(struct th_link *l)
{
	uint32_t	x = l->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return l->rng = x;
}

static void
link_output(void *arg, const struct seg *s)
{
	struct th_side	*sd = arg;
	struct th_link	*l = sd->link;
	struct th_pkt	*p, **pp;

	if (l->loss > 0 && (int)(rnd(l) % 100) < l->loss) {
		l->dropped++;
		return;
	}
	if ((p = malloc(sizeof(*p) + s->len)) == NULL)
		die("out of memory");
	p->s = *s;
	if (s->len > 0)
		memcpy(p->data, s->data, s->len);
	p->s.data = p->data;
	p->to = !sd->side;
	p->at = l->now + l->delay;
	if (l->reorder > 0 && (int)(rnd(l) % 100) < l->reorder)
		p->at += l->delay + rnd(l) % (2 * l->delay + 1);
	for (pp = &l->q; *pp != NULL && (*pp)->at <= p->at; pp = &(*pp)->next)
		;
	p->next = *pp;
	*pp = p;
}

static void
link_pump(struct th_src *src)
{
	ssize_t	n;

	while (src->tcb != NULL && src->off < src->len) {
		n = tcp_send(src->tcb, src->data + src->off, src->len - src->off,
		    NULL);
		if (n <= 0)
			return;
		src->off += (size_t)n;
	}
	if (src->tcb != NULL && src->off == src->len && src->shut == 1) {
		src->shut = 2;
		tcp_shutdown(src->tcb, NULL);
	}
}

static void
link_read(struct th_link *l, int i, struct tcb *tp)
{
	size_t	n;

	for (;;) {
		if (l->rxcap[i] - l->rxlen[i] < 65536) {
			l->rxcap[i] = l->rxcap[i] ? l->rxcap[i] * 2 : 131072;
			if ((l->rx[i] = realloc(l->rx[i], l->rxcap[i])) == NULL)
				die("out of memory");
		}
		n = tcp_recv(tp, l->rx[i] + l->rxlen[i], 65536);
		if (n == 0)
			break;
		l->rxlen[i] += n;
	}
	if (tcp_eof(tp)) {
		l->eof[i]++;
		if (l->autoclose[i])
			tcp_close(tp, NULL);
	}
}

void
th_link_autoclose(struct th_link *l, int side)
{
	l->autoclose[side] = 1;
}

void
th_link_source(struct th_link *l, int side, struct tcb *tp,
    const uint8_t *data, size_t len, int shut)
{
	struct th_src	*src = &l->src[side];

	src->tcb = tp;
	src->data = data;
	src->len = len;
	src->off = 0;
	src->shut = shut ? 1 : 0;
	link_pump(src);
}

const uint8_t *
th_link_rx(const struct th_link *l, int side, size_t *len)
{
	*len = l->rxlen[side];
	return l->rx[side];
}

int
th_link_eof(const struct th_link *l, int side)
{
	return l->eof[side];
}

static void
link_event(void *arg, const struct tcp_event *e)
{
	struct th_side	*sd = arg;
	struct th_link	*l = sd->link;
	int		 i = sd->side;

	if (e->type == TCP_EV_NEW)
		l->accepted[i] = e->tcb;
	if (e->type == TCP_EV_CLOSED) {
		l->closed[i]++;
		if (l->accepted[i] == e->tcb)
			l->accepted[i] = NULL;
		if (l->src[i].tcb == e->tcb)
			l->src[i].tcb = NULL;
	}
	if (e->type == TCP_EV_RECV)
		link_read(l, i, e->tcb);
	if ((e->type == TCP_EV_ACKED || e->type == TCP_EV_STATE) &&
	    e->tcb == l->src[i].tcb && e->tcb != NULL)
		link_pump(&l->src[i]);
	if (e->type == TCP_EV_SEG_IN || e->type == TCP_EV_SEG_OUT ||
	    e->type == TCP_EV_ACKED || e->type == TCP_EV_RECV)
		return;
	if (l->nev[i] == l->evcap[i]) {
		l->evcap[i] = l->evcap[i] ? l->evcap[i] * 2 : 64;
		l->ev[i] = realloc(l->ev[i], l->evcap[i] * sizeof(*l->ev[i]));
		if (l->ev[i] == NULL)
			die("out of memory");
	}
	l->ev[i][l->nev[i]].type = e->type;
	l->ev[i][l->nev[i]].tcb = e->tcb;
	l->ev[i][l->nev[i]].before = e->before;
	l->ev[i][l->nev[i]].after = e->after;
	l->ev[i][l->nev[i]].reason = e->reason;
	l->ev[i][l->nev[i]].what = e->what;
	l->ev[i][l->nev[i]].now = e->now_us;
	l->nev[i]++;
}

struct th_link *
th_link_new(const struct tcp_config *a, const struct tcp_config *b)
{
	struct th_link	*l;
	char		*err = NULL;
	int		 i;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		die("out of memory");
	for (i = 0; i < 2; i++) {
		l->sides[i].link = l;
		l->sides[i].side = i;
		l->st[i] = tcp_stack_new(i == 0 ? a : b, link_output,
		    link_event, &l->sides[i], &err);
		if (l->st[i] == NULL)
			die(err);
	}
	l->delay = 1000;
	l->rng = 0x2545f491;
	return l;
}

void
th_link_free(struct th_link *l)
{
	struct th_pkt	*p;

	if (l == NULL)
		return;
	while ((p = l->q) != NULL) {
		l->q = p->next;
		free(p);
	}
	tcp_stack_free(l->st[0]);
	tcp_stack_free(l->st[1]);
	free(l->ev[0]);
	free(l->ev[1]);
	free(l->rx[0]);
	free(l->rx[1]);
	free(l);
}

struct tcp_stack *
th_link_stack(struct th_link *l, int side)
{
	return l->st[side];
}

void
th_link_set_loss(struct th_link *l, int loss, int reorder, uint64_t delay,
    uint32_t seed)
{
	l->loss = loss;
	l->reorder = reorder;
	l->delay = delay;
	l->rng = seed != 0 ? seed : 1;
}

uint64_t
th_link_now(const struct th_link *l)
{
	return l->now;
}

int
th_link_run(struct th_link *l, int (*cond)(void *), void *arg,
    uint64_t limit)
{
	uint64_t	 end = l->now + limit, next, t;
	struct th_pkt	*p;
	int		 i;

	for (;;) {
		if (cond != NULL && cond(arg))
			return 0;
		next = l->q != NULL ? l->q->at : TCP_NO_TIMER;
		for (i = 0; i < 2; i++)
			if ((t = tcp_next_timer(l->st[i])) < next)
				next = t;
		if (next == TCP_NO_TIMER)
			return cond == NULL ? 0 : -1;
		if (next > end)
			return cond == NULL ? 0 : -1;
		if (next > l->now)
			l->now = next;
		while ((p = l->q) != NULL && p->at <= l->now) {
			l->q = p->next;
			l->delivered++;
			tcp_input(l->st[p->to], &p->s, l->now);
			free(p);
		}
		for (i = 0; i < 2; i++)
			tcp_timers_run(l->st[i], l->now);
	}
}

struct tcb *
th_link_accepted(struct th_link *l, int side)
{
	return l->accepted[side];
}

uint64_t
th_link_delivered(const struct th_link *l)
{
	return l->delivered;
}

uint64_t
th_link_dropped(const struct th_link *l)
{
	return l->dropped;
}

int
th_link_closed(const struct th_link *l, int side)
{
	return l->closed[side];
}

const struct th_ev *
th_link_events(const struct th_link *l, int side, int *n)
{
	*n = l->nev[side];
	return l->ev[side];
}

/* The target's FIN (with ACK ack) arrives in sequence; the FIN takes one
 * sequence number. */
static struct th *
th_fin_in(struct th *h, uint32_t ack)
{
	struct seg	 s = th_tmpl(h);

	s.flags = SEG_ACK | SEG_FIN;
	s.ack = ack;
	th_in(h, &s);
	h->r_nxt++;
	th_clear(h);
	return h;
}
