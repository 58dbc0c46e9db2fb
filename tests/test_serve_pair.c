/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_serve_pair.c: the in-memory link between a serve target and a
 * tester stack (test_serve_pair.h).  Segments go through queues rather
 * than straight from one stack's callback into the other, so that a long
 * exchange does not become a deep recursion and the order of delivery is
 * the order of sending.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_serve_pair.h"

#define PUMP_MAX	100000	/* segments per pair_run(): a loop is a bug */

static void	 enqueue(struct pair_seg ***, const struct seg *);
static struct pair_seg *dequeue(struct pair_seg **, struct pair_seg ***);
static void	 sv_output(void *, const struct seg *);
static void	 te_output(void *, const struct seg *);
static void	 te_event(void *, const struct tcp_event *);
static void	 ctl_out(void *, const char *, size_t);
static void	 tuple(struct pair *, struct tcp_tuple *, uint16_t, uint16_t);
static void	 die(const char *);

static void
die(const char *msg)
{
	fprintf(stderr, "test_serve_pair: %s\n", msg);
	abort();
}

void
pair_config(struct serve_config *cfg, int family, int fault)
{
	serve_config_default(cfg, family);
	if (fault >= 0) {
		SERVE_FAULT_SET(&cfg->faults, fault);
		cfg->nfaults = 1;
	}
	cfg->tcp.secret = 0x5e12e;
	cfg->agent_port = 7447;
	if (family == AF_INET) {
		inet_pton(AF_INET, "198.18.0.2", cfg->addr);
		inet_pton(AF_INET, "198.18.0.1", cfg->client);
	} else {
		inet_pton(AF_INET6, "2001:db8::2", cfg->addr);
		inet_pton(AF_INET6, "2001:db8::1", cfg->client);
	}
	if (getenv("SERVE_TEST_LOG") != NULL)
		cfg->log = stderr;
}

struct pair *
pair_new(int family, int fault)
{
	struct serve_config cfg;

	pair_config(&cfg, family, fault);
	return pair_new_cfg(&cfg);
}

struct pair *
pair_new_cfg(const struct serve_config *cfg)
{
	struct tcp_config tc;
	struct pair *p;
	char *err = NULL;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		die("out of memory");
	p->family = cfg->family;
	memcpy(p->sv_addr, cfg->addr, 16);
	memcpy(p->te_addr, cfg->client, 16);
	p->now = 1000000;
	p->next_port = PAIR_PORT;
	p->to_sv_tail = &p->to_sv;
	p->to_te_tail = &p->to_te;
	tcp_config_default(&tc);
	tc.secret = 0x7e57e2;
	tc.no_rst = 1;		/* a tester that has forgotten stays quiet */
	if ((p->te = tcp_stack_new(&tc, te_output, te_event, p, &err)) ==
	    NULL || (p->sv = serve_new(cfg, sv_output, p, &err)) == NULL)
		die(err);
	return p;
}

void
pair_free(struct pair *p)
{
	struct pair_seg *q;

	if (p->ctl != NULL)
		serve_ctl_free(p->ctl);
	serve_free(p->sv);
	tcp_stack_free(p->te);
	while ((q = dequeue(&p->to_sv, &p->to_sv_tail)) != NULL) {
		free(q->data);
		free(q);
	}
	while ((q = dequeue(&p->to_te, &p->to_te_tail)) != NULL) {
		free(q->data);
		free(q);
	}
	free(p);
}

static void
enqueue(struct pair_seg ***tail, const struct seg *s)
{
	struct pair_seg *q;

	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (s->len > 0 && (q->data = malloc(s->len)) == NULL))
		die("out of memory");
	q->s = *s;
	if (s->len > 0)
		memcpy(q->data, s->data, s->len);
	q->s.data = q->data;
	**tail = q;
	*tail = &q->next;
}

static struct pair_seg *
dequeue(struct pair_seg **head, struct pair_seg ***tail)
{
	struct pair_seg *q = *head;

	if (q == NULL)
		return NULL;
	if ((*head = q->next) == NULL)
		*tail = head;
	q->next = NULL;
	return q;
}

/* Remembered without payload: tests look at headers and lengths. */
static void
sv_output(void *arg, const struct seg *s)
{
	struct pair *p = arg;

	if (p->nout < PAIR_LOG_MAX) {
		p->out[p->nout] = *s;
		p->out[p->nout++].data = NULL;
	}
	if (p->drop_to_te > 0) {
		p->drop_to_te--;
		return;
	}
	enqueue(&p->to_te_tail, s);
}

static void
te_output(void *arg, const struct seg *s)
{
	struct pair *p = arg;

	if (p->nin < PAIR_LOG_MAX) {
		p->in[p->nin] = *s;
		p->in[p->nin++].data = NULL;
	}
	enqueue(&p->to_sv_tail, s);
}

static void
te_event(void *arg, const struct tcp_event *ev)
{
	struct pair *p = arg;
	size_t n;

	switch (ev->type) {
	case TCP_EV_NEW:
		p->te_accepted = ev->tcb;
		break;
	case TCP_EV_RECV:
		if (ev->tcb != p->tcb)
			break;
		n = tcp_recv(ev->tcb, p->rx + p->rxlen,
		    sizeof(p->rx) - p->rxlen);
		p->rxlen += n;
		break;
	case TCP_EV_CLOSED:
		if (ev->tcb == p->tcb) {
			p->te_closed = 1;
			p->te_reason = ev->reason;
			p->tcb = NULL;
		}
		if (ev->tcb == p->te_accepted)
			p->te_accepted = NULL;
		break;
	default:
		break;
	}
}

void
pair_run(struct pair *p)
{
	struct pair_seg *q;
	int n;

	for (n = 0; n < PUMP_MAX; n++) {
		if ((q = dequeue(&p->to_sv, &p->to_sv_tail)) != NULL) {
			serve_input(p->sv, &q->s, p->now);
		} else if ((q = dequeue(&p->to_te, &p->to_te_tail)) != NULL) {
			tcp_input(p->te, &q->s, p->now);
		} else
			return;
		free(q->data);
		free(q);
	}
	die("segments keep flowing: a loop between the two stacks");
}

void
pair_advance(struct pair *p, uint64_t us)
{
	p->now += us;
	tcp_timers_run(p->te, p->now);
	serve_timers_run(p->sv, p->now);
	pair_run(p);
}

static void
tuple(struct pair *p, struct tcp_tuple *t, uint16_t lport, uint16_t rport)
{
	memset(t, 0, sizeof(*t));
	t->family = p->family;
	memcpy(t->laddr, p->te_addr, 16);
	memcpy(t->raddr, p->sv_addr, 16);
	t->lport = lport;
	t->rport = rport;
}

struct tcb *
pair_connect(struct pair *p, uint16_t port)
{
	struct tcp_tuple t;
	char *err = NULL;

	p->te_port = p->next_port++;
	p->sv_port = port;
	tuple(p, &t, p->te_port, port);
	if ((p->tcb = tcp_new(p->te, &t, &err)) == NULL ||
	    tcp_connect(p->tcb, &err) == -1)
		die(err);
	p->rxlen = 0;
	p->te_closed = 0;
	pair_run(p);
	return p->tcb;
}

struct tcb *
pair_listen(struct pair *p, uint16_t port)
{
	struct tcp_tuple t;
	struct tcb *l;
	char *err = NULL;

	tuple(p, &t, port, 0);
	memset(t.raddr, 0, sizeof(t.raddr));
	if ((l = tcp_new(p->te, &t, &err)) == NULL ||
	    tcp_listen(l, &err) == -1)
		die(err);
	return l;
}

void
pair_send(struct pair *p, const char *text)
{
	char *err = NULL;

	if (tcp_send(p->tcb, text, strlen(text), &err) < 0)
		die(err);
	pair_run(p);
}

void
pair_shutdown(struct pair *p)
{
	char *err = NULL;

	if (tcp_shutdown(p->tcb, &err) == -1)
		die(err);
	pair_run(p);
}

void
pair_template(struct pair *p, struct seg *s)
{
	tcp_seg_template(p->tcb, s);
}

void
pair_raw(struct pair *p, const struct seg *s)
{
	char *err = NULL;

	if (tcp_send_raw(p->tcb, s, 0, &err) == -1)
		die(err);
	pair_run(p);
}

void
pair_raw_stack(struct pair *p, const struct seg *s)
{
	tcp_stack_send_raw(p->te, s);
	pair_run(p);
}

struct tcb *
pair_target_tcb(struct pair *p)
{
	struct tcp_tuple t;

	memset(&t, 0, sizeof(t));
	t.family = p->family;
	memcpy(t.laddr, p->sv_addr, 16);
	memcpy(t.raddr, p->te_addr, 16);
	t.lport = p->sv_port;
	t.rport = p->te_port;
	return tcp_lookup(serve_stack(p->sv), &t);
}

int
pair_find_out(const struct pair *p, size_t from, uint16_t mask,
    uint16_t value)
{
	size_t i;

	for (i = from; i < p->nout; i++)
		if ((p->out[i].flags & mask) == value)
			return (int)i;
	return -1;
}

static void
ctl_out(void *arg, const char *line, size_t len)
{
	struct pair *p = arg;

	if (p->rlen + len >= sizeof(p->replies))
		die("too many unread agent replies");
	memcpy(p->replies + p->rlen, line, len);
	p->rlen += len;
}

void
pair_ctl_new(struct pair *p)
{
	if ((p->ctl = serve_ctl_new(p->sv, ctl_out, p)) == NULL)
		die("serve_ctl_new");
}

void
pair_ctl_open(struct pair *p)
{
	pair_ctl_new(p);
	pair_ctl(p, "HELLO 1");
}

void
pair_ctl(struct pair *p, const char *line)
{
	char buf[8192];
	int n;

	n = snprintf(buf, sizeof(buf), "%s\n", line);
	serve_ctl_input(p->ctl, buf, (size_t)n, p->now);
	pair_run(p);
}

const char *
pair_reply(struct pair *p)
{
	static char line[4096];
	char *lf;
	size_t n;

	if ((lf = memchr(p->replies, '\n', p->rlen)) == NULL)
		return NULL;
	n = (size_t)(lf - p->replies);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, p->replies, n);
	line[n] = '\0';
	p->rlen -= (size_t)(lf - p->replies) + 1;
	memmove(p->replies, lf + 1, p->rlen);
	return line;
}

long
pair_reply_num(const char *reply, const char *key)
{
	char pat[64];
	const char *v;

	snprintf(pat, sizeof(pat), " %s=", key);
	if (reply == NULL || (v = strstr(reply, pat)) == NULL)
		return -1;
	return strtol(v + strlen(pat), NULL, 10);
}
