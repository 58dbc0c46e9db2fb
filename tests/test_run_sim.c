/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_run_sim.c: the in-process target of test_run_sim.h.  The target is
 * a second peer stack; every datagram between the two is encoded and
 * decoded as on a real wire and takes delay_us each way; time is a fake
 * clock that jumps to the next event, so a case that waits seconds runs in
 * microseconds of real time.  The fake agent understands the requests the
 * runner sends (LISTEN, ACCEPT, CONNECT, READ, WRITE, WRITEHEX, SHUTDOWN,
 * CLOSE, LINGER, RCVBUF) and acts on the target stack's sockets.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_run_sim.h"

#define SIM_HANDLES	16
#define SIM_QMAX	4096

struct simpkt {
	uint64_t	 t;
	int		 to_runner;
	uint8_t		*d;
	size_t		 len;
	struct simpkt	*next;
};

struct simhandle {
	int		 used;
	int		 listen;
	struct tcb	*tcb;
	int		 linger0;
};

struct simagent {
	struct sim	*sim;
	struct simhandle h[SIM_HANDLES];
	char		*ready;		/* the reply line, once ready */
	/* A request that waits: ACCEPT, CONNECT wait=1, READ full. */
	int		 pend;
	int		 pend_h;
	size_t		 pend_max;
	uint64_t	 pend_deadline;
	size_t		 pend_n;
	int		 broken;
	uint64_t	 ready_t;	/* when it has greeted */
	int		 polls;		/* a_ready() calls before then */
	char		*late;		/* a request still on its way */
	uint64_t	 late_t;	/* when it reaches the agent */
	uint64_t	 die_t;		/* it dies then (0: never) */
	uint64_t	 end_t;		/* dead: its end reaches the runner */
	int		 dead;
	int		 end[2];	/* the control connection's ends: [0]
					 * the runner's, -1 none */
	struct simagent	*next;
};

struct sim {
	struct sim_cfg	 cfg;
	uint64_t	 now;
	struct tcp_stack *tgt;
	struct seg_encoder *enc;
	uint8_t		 taddr[16];
	uint8_t		 paddr[16];
	struct simpkt	*q;		/* in flight, by time */
	struct simpkt	*rx;		/* arrived at the runner */
	struct simpkt	*last;		/* returned by recv, freed next */
	struct simagent	*agents;
	int		 nmuted;	/* opens that got no reply */
	int		 nrunner;	/* datagrams to the runner so far */
	int		 nsent;		/* datagrams from the runner so far */
	int		 nreq;		/* agent requests so far */
	uint64_t	 dropped;
	uint64_t	 received;
	uint16_t	 next_port;
	struct tcb	*kids[64];	/* children of agent listeners */
	int		 nkids;
	void		*arg;
};

enum { P_NONE, P_ACCEPT, P_CONNECT, P_READ };

static void	 enqueue(struct sim *, int, const uint8_t *, size_t,
		    uint64_t);
static void	 tgt_out(void *, const struct seg *);
static void	 tgt_ev(void *, const struct tcp_event *);
static int	 tgt_filter(struct tcb *, struct seg *, void *);
static uint64_t	 s_now(void *);
static int	 s_send(void *, const uint8_t *, size_t, char **);
static int	 s_wait(void *, uint64_t, struct pollfd *, int, char **);
static int	 s_recv(void *, struct run_pkt *, char **);
static int	 s_stats(void *, uint64_t *, uint64_t *);
static int	 world_step(struct sim *, uint64_t);
static void	*a_open(void *, char **);
static int	 a_ready(void *, char **);
static void	 a_close(void *);
static void	 a_reset_all(struct simagent *);
static void	 a_free(struct simagent *);
static int	 a_send(void *, const char *, char **);
static void	 a_do(struct simagent *, const char *);
static int	 a_fd(void *);
static int	 a_recv(void *, struct agent_reply *, char **);
static void	 agents_check(struct sim *);
static int	 agent_pending(const struct sim *, uint64_t *);

static const struct run_net_ops sim_ops = {
	s_now, s_send, s_wait, s_recv, s_stats, NULL,
};

static const struct run_agent_ops sim_agent_ops = {
	a_open, a_open, a_ready, a_close, a_send, a_fd, a_recv,
};

struct sim *
sim_new(const struct sim_cfg *cfg)
{
	struct tcp_config tc;
	struct tcp_tuple t;
	struct tcb *l;
	struct sim *s;
	char *err = NULL;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		abort();
	s->cfg = *cfg;
	if (s->cfg.family == 0)
		s->cfg.family = AF_INET;
	if (s->cfg.delay_us == 0)
		s->cfg.delay_us = 100;
	s->now = 1000000000;
	s->next_port = 9000;
	if (s->cfg.family == AF_INET) {
		memcpy(s->taddr, "\xc6\x12\x00\x02", 4);	/* 198.18.0.2 */
		memcpy(s->paddr, "\xc6\x12\x00\x01", 4);	/* 198.18.0.1 */
	} else {
		memcpy(s->taddr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02",
		    16);
		memcpy(s->paddr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01",
		    16);
	}
	tcp_config_default(&tc);
	tc.msl_us = 1000000;
	tc.secret = 42;
	if (cfg->tweak != NULL)
		cfg->tweak(&tc);
	if ((s->enc = seg_encoder_new(&err)) == NULL ||
	    (s->tgt = tcp_stack_new(&tc, tgt_out, tgt_ev, s, &err)) == NULL)
		abort();
	tcp_timers_run(s->tgt, s->now);
	if (cfg->port != 0) {
		memset(&t, 0, sizeof(t));
		t.family = s->cfg.family;
		memcpy(t.laddr, s->taddr, 16);
		t.lport = cfg->port;
		if ((l = tcp_new(s->tgt, &t, &err)) == NULL)
			abort();
		l->hooks.out_filter = tgt_filter;
		l->hooks.out_arg = s;
		if (cfg->hooks != NULL)
			cfg->hooks(&l->hooks);
		tcp_listen(l, &err);
	}
	return s;
}

void
sim_free(struct sim *s)
{
	struct simpkt *p, *n;
	struct simagent *a, *an;

	for (a = s->agents; a != NULL; a = an) {
		an = a->next;
		a_free(a);
	}
	tcp_stack_free(s->tgt);
	seg_encoder_free(s->enc);
	for (p = s->q; p != NULL; p = n) {
		n = p->next;
		free(p->d);
		free(p);
	}
	for (p = s->rx; p != NULL; p = n) {
		n = p->next;
		free(p->d);
		free(p);
	}
	if (s->last != NULL) {
		free(s->last->d);
		free(s->last);
	}
	free(s);
}

uint64_t
sim_now(const struct sim *s)
{
	return s->now;
}

void *
sim_arg(struct sim *s)
{
	return s->arg;
}

void
sim_set_arg(struct sim *s, void *arg)
{
	s->arg = arg;
}

/* Put a datagram in flight, in time order (FIFO among equal times). */
static void
enqueue(struct sim *s, int to_runner, const uint8_t *d, size_t len,
    uint64_t t)
{
	struct simpkt *p, **pp;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->d = malloc(len)) == NULL)
		abort();
	memcpy(p->d, d, len);
	p->len = len;
	p->t = t;
	p->to_runner = to_runner;
	for (pp = &s->q; *pp != NULL && (*pp)->t <= t; pp = &(*pp)->next)
		;
	p->next = *pp;
	*pp = p;
}

static int
tgt_filter(struct tcb *tp, struct seg *seg, void *arg)
{
	struct sim *s = arg;

	(void)tp;
	if (s->cfg.fault != NULL)
		return s->cfg.fault(s, seg);
	return 0;
}

/* The target sends: encode, delay, and (maybe) lose it in the capture. */
static void
tgt_out(void *arg, const struct seg *seg)
{
	static uint8_t buf[70000];
	struct sim *s = arg;
	uint64_t extra = 0;
	char *err = NULL;
	int n;

	if ((n = seg_encode(s->enc, seg, buf, sizeof(buf), &err)) < 0)
		abort();
	s->nrunner++;
	if (s->cfg.drop != NULL && s->cfg.drop(s, seg)) {
		s->dropped++;
		return;
	}
	if (s->cfg.extra_delay != NULL)
		extra = s->cfg.extra_delay(s, seg);
	enqueue(s, 1, buf, (size_t)n, s->now + s->cfg.delay_us + extra);
	if (s->cfg.dup_after != NULL && s->cfg.dup_after(s, seg) > 0) {
		if (s->cfg.dup_edit != NULL) {
			struct seg copy = *seg;

			s->cfg.dup_edit(s, &copy);
			if ((n = seg_encode(s->enc, &copy, buf, sizeof(buf),
			    &err)) < 0)
				abort();
		}
		enqueue(s, 1, buf, (size_t)n, s->now + s->cfg.delay_us + extra +
		    s->cfg.dup_after(s, seg));
	}
}

/* Keep track of the children of agent listeners, and of dead TCBs. */
static void
tgt_ev(void *arg, const struct tcp_event *ev)
{
	struct sim *s = arg;
	struct simhandle *sh;
	int i;

	if (ev->type == TCP_EV_NEW) {
		if (s->cfg.fault != NULL) {
			ev->tcb->hooks.out_filter = tgt_filter;
			ev->tcb->hooks.out_arg = s;
		}
		ev->tcb->user = NULL;
		if (ev->tcb->parent != NULL && ev->tcb->parent->user != NULL &&
		    s->nkids < 64)
			s->kids[s->nkids++] = ev->tcb;
	}
	if (ev->type == TCP_EV_STATE && ev->after == TCPS_ESTABLISHED &&
	    ev->tcb->parent != NULL && ev->tcb->parent->user == NULL &&
	    s->cfg.banner != NULL) {
		char *err = NULL;

		if (tcp_send(ev->tcb, s->cfg.banner, strlen(s->cfg.banner),
		    &err) < 0 || tcp_close(ev->tcb, &err) == -1)
			abort();
	}
	if (ev->type != TCP_EV_CLOSED)
		return;
	for (i = 0; i < s->nkids; i++)
		if (s->kids[i] == ev->tcb)
			s->kids[i--] = s->kids[--s->nkids];
	if ((sh = ev->tcb->user) != NULL)
		sh->tcb = NULL;
}

static uint64_t
s_now(void *arg)
{
	struct sim *s = arg;
	uint64_t until;

	if (s->cfg.stall != NULL && (until = s->cfg.stall(s, s->nsent)) > 0) {
		until += s->now;
		while (world_step(s, until))
			;
		s->now = until;
	}
	return s->now;
}

static int
s_send(void *arg, const uint8_t *d, size_t len, char **err)
{
	struct sim *s = arg;
	uint64_t dup;

	if (++s->nsent == s->cfg.fail_send_nth) {
		*err = strdup("simulated wire failure");
		return -1;
	}
	if (s->cfg.lose_ours != NULL && s->cfg.lose_ours(s, d, len))
		return 0;
	enqueue(s, 0, d, len, s->now + s->cfg.delay_us);
	if (s->cfg.dup_ours != NULL && (dup = s->cfg.dup_ours(s, d, len)) > 0)
		enqueue(s, 0, d, len, s->now + s->cfg.delay_us + dup);
	return 0;
}

static void
deliver(struct sim *s, struct simpkt *p)
{
	struct simpkt **pp;
	struct seg seg;
	char *err = NULL;

	if (p->to_runner) {
		for (pp = &s->rx; *pp != NULL; pp = &(*pp)->next)
			;
		p->next = NULL;
		*pp = p;
		s->received++;
		return;
	}
	if (seg_decode(p->d, p->len, &seg, &err) == 0)
		tcp_input(s->tgt, &seg, s->now);
	free(err);
	free(p->d);
	free(p);
}

/*
 * The simulated world's next event, if it comes by limit: the clock moves
 * to it and it happens (0: none by then).  What reaches the runner waits
 * in rx, stamped with when it came.
 */
static int
world_step(struct sim *s, uint64_t limit)
{
	struct simpkt *p;
	uint64_t next, t;

	agents_check(s);
	next = s->q != NULL ? s->q->t : UINT64_MAX;
	if ((t = tcp_next_timer(s->tgt)) < next)
		next = t;
	if (agent_pending(s, &t) && t < next)
		next = t;
	if (next > limit)
		return 0;
	if (next > s->now)
		s->now = next;
	while ((p = s->q) != NULL && p->t <= s->now) {
		s->q = p->next;
		deliver(s, p);
	}
	tcp_timers_run(s->tgt, s->now);
	return 1;
}

/*
 * Run the simulated world until deadline, or until something arrives for
 * the runner (a datagram, an agent reply).  A busy tester (oversleep)
 * returns later than deadline, the world having gone on meanwhile.
 */
static int
s_wait(void *arg, uint64_t deadline, struct pollfd *fds, int nfds,
    char **err)
{
	struct sim *s = arg;
	struct simagent *a;
	uint64_t extra;

	(void)fds;
	(void)nfds;
	(void)err;
	for (;;) {
		agents_check(s);
		if (s->rx != NULL)
			return 0;
		for (a = s->agents; a != NULL; a = a->next)
			if (a->ready != NULL || a->broken)
				return 0;
		if (world_step(s, deadline))
			continue;
		if (s->cfg.oversleep != NULL && deadline != UINT64_MAX &&
		    (extra = s->cfg.oversleep(s, deadline)) > 0) {
			deadline += extra;
			while (world_step(s, deadline))
				;
		}
		if (deadline > s->now)
			s->now = deadline;
		return 0;
	}
}

static int
s_recv(void *arg, struct run_pkt *pkt, char **err)
{
	struct sim *s = arg;
	struct simpkt *p;

	(void)err;
	if (s->last != NULL) {
		free(s->last->d);
		free(s->last);
		s->last = NULL;
	}
	if ((p = s->rx) == NULL)
		return 0;
	s->rx = p->next;
	s->last = p;
	pkt->data = p->d;
	pkt->len = p->len;
	pkt->t = p->t;
	pkt->from_host = 0;
	return 1;
}

static int
s_stats(void *arg, uint64_t *received, uint64_t *dropped)
{
	struct sim *s = arg;

	*received = s->received;
	*dropped = s->dropped;
	return 0;
}

/*
 * The fake agent.
 */

static void *
a_open(void *arg, char **err)
{
	struct sim *s = arg;
	struct simagent *a;
	int n = 0;

	for (a = s->agents; a != NULL; a = a->next)
		n++;
	if (s->cfg.agent_max > 0 && n >= s->cfg.agent_max) {
		*err = strdup("agent refused HELLO: EBUSY too many (-m)");
		return NULL;
	}
	if (s->nmuted < s->cfg.agent_mute) {
		s->nmuted++;
		*err = strdup("agent at 198.18.0.2 port 7447: no reply in "
		    "3000 ms");
		return NULL;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL)
		abort();
	a->sim = s;
	a->ready_t = s->now + s->cfg.agent_greet_us;
	a->end[0] = a->end[1] = -1;
	if (s->cfg.agent_die_nth > 0 &&
	    socketpair(AF_UNIX, SOCK_STREAM, 0, a->end) == -1)
		abort();
	a->next = s->agents;
	s->agents = a;
	return a;
}

/* The simulated agent greets agent_greet_us after a_open(). */
static int
a_ready(void *c, char **err)
{
	struct simagent *a = c;

	(void)err;
	if (a->sim->now < a->ready_t) {
		a->polls++;
		return 0;
	}
	return 1;
}

/* The agent's sockets close (its end, or the control connection's):
 * the target's kernel resets their connections. */
static void
a_reset_all(struct simagent *a)
{
	int i;

	for (i = 0; i < SIM_HANDLES; i++)
		if (a->h[i].used && a->h[i].tcb != NULL) {
			a->h[i].tcb->user = NULL;
			tcp_abort(a->h[i].tcb);
			a->h[i].tcb = NULL;
		}
}

static void
a_free(struct simagent *a)
{
	if (a->end[0] >= 0)
		close(a->end[0]);
	if (a->end[1] >= 0)
		close(a->end[1]);
	free(a->ready);
	free(a->late);
	free(a);
}

/* Closing the control connection closes its sockets, as the agent does. */
static void
a_close(void *c)
{
	struct simagent *a = c, **pp;

	a_reset_all(a);
	for (pp = &a->sim->agents; *pp != a; pp = &(*pp)->next)
		;
	*pp = a->next;
	a_free(a);
}

static int
a_fd(void *c)
{
	const struct simagent *a = c;

	return a->end[0];
}

static void
reply(struct simagent *a, const char *fmt, ...)
{
	va_list ap;

	free(a->ready);
	va_start(ap, fmt);
	if (vasprintf(&a->ready, fmt, ap) < 0)
		abort();
	va_end(ap);
}

static int
new_handle(struct simagent *a, struct tcb *tp, int listen)
{
	int i;

	for (i = 1; i < SIM_HANDLES; i++)
		if (!a->h[i].used) {
			memset(&a->h[i], 0, sizeof(a->h[i]));
			a->h[i].used = 1;
			a->h[i].tcb = tp;
			a->h[i].listen = listen;
			tp->user = &a->h[i];
			return i;
		}
	abort();
}

static void
endpoints(struct simagent *a, int h, const struct tcb *tp, int inprogress)
{
	char la[64], ra[64];

	seg_addr_str(tp->tuple.family, tp->tuple.laddr, la, sizeof(la));
	seg_addr_str(tp->tuple.family, tp->tuple.raddr, ra, sizeof(ra));
	reply(a, "OK handle=%d addr=%s port=%u peer=%s peerport=%u "
	    "inprogress=%d", h, la, tp->tuple.lport, ra, tp->tuple.rport,
	    inprogress);
}

static void
do_listen(struct simagent *a)
{
	struct sim *s = a->sim;
	struct tcp_tuple t;
	struct tcb *tp;
	char *err = NULL, la[64];
	int h;

	memset(&t, 0, sizeof(t));
	t.family = s->cfg.family;
	memcpy(t.laddr, s->taddr, 16);
	t.lport = s->next_port++;
	if ((tp = tcp_new(s->tgt, &t, &err)) == NULL)
		abort();
	if (s->cfg.fault != NULL) {
		tp->hooks.out_filter = tgt_filter;
		tp->hooks.out_arg = s;
	}
	if (s->cfg.hooks != NULL)
		s->cfg.hooks(&tp->hooks);
	tcp_listen(tp, &err);
	h = new_handle(a, tp, 1);
	seg_addr_str(t.family, t.laddr, la, sizeof(la));
	reply(a, "OK handle=%d addr=%s port=%u", h, la, t.lport);
}

static void
do_connect(struct simagent *a, const char *addr, unsigned port, int wait)
{
	struct sim *s = a->sim;
	struct tcp_tuple t;
	struct tcb *tp;
	char *err = NULL;
	int h;

	(void)addr;
	memset(&t, 0, sizeof(t));
	t.family = s->cfg.family;
	memcpy(t.laddr, s->taddr, 16);
	memcpy(t.raddr, s->paddr, 16);
	t.lport = s->next_port++;
	t.rport = (uint16_t)port;
	tcp_timers_run(s->tgt, s->now);
	if ((tp = tcp_new(s->tgt, &t, &err)) == NULL)
		abort();
	if (s->cfg.fault != NULL) {
		tp->hooks.out_filter = tgt_filter;
		tp->hooks.out_arg = s;
	}
	if (s->cfg.hooks != NULL)
		s->cfg.hooks(&tp->hooks);
	h = new_handle(a, tp, 0);
	tcp_connect(tp, &err);
	if (!wait) {
		endpoints(a, h, tp, 1);
		return;
	}
	a->pend = P_CONNECT;
	a->pend_h = h;
}

static int
a_send(void *c, const char *line, char **err)
{
	struct simagent *a = c;
	struct sim *s = a->sim;
	uint64_t d;

	(void)err;
	if (++s->nreq == s->cfg.agent_break_nth) {
		a->broken = 1;
		return 0;
	}
	if (s->nreq == s->cfg.agent_die_nth)
		a->die_t = s->now + s->cfg.agent_die_us;
	if (a->dead)
		return 0;
	if (s->cfg.agent_late != NULL && (d = s->cfg.agent_late(s, line)) > 0) {
		if ((a->late = strdup(line)) == NULL)
			abort();
		a->late_t = s->now + d;
		return 0;
	}
	a_do(a, line);
	return 0;
}

/* A request reaches the agent: it acts, and its reply is ready. */
static void
a_do(struct simagent *a, const char *line)
{
	struct sim *s = a->sim;
	char verb[16], arg2[1200];
	unsigned h = 0, n = 0;
	struct tcb *tp;
	const char *tm;

	tcp_timers_run(s->tgt, s->now);
	arg2[0] = '\0';
	if (sscanf(line, "%15s %u %1199s", verb, &h, arg2) < 1)
		abort();
	tm = strstr(line, "timeout=");
	a->pend_deadline = s->now + (uint64_t)(tm != NULL ? atoi(tm + 8) :
	    5000) * 1000;
	if (strcmp(verb, "LISTEN") == 0) {
		do_listen(a);
		return;
	}
	if (strcmp(verb, "CONNECT") == 0) {
		char addr[64];
		unsigned port;

		if (sscanf(line, "CONNECT %63s %u", addr, &port) != 2)
			abort();
		do_connect(a, addr, port, strstr(line, "wait=1") != NULL);
		return;
	}
	if (h >= SIM_HANDLES || !a->h[h].used) {
		reply(a, "ERR EBADF no such handle");
		return;
	}
	tp = a->h[h].tcb;
	if (strcmp(verb, "ACCEPT") == 0) {
		a->pend = P_ACCEPT;
		a->pend_h = (int)h;
	} else if (strcmp(verb, "CLOSE") == 0) {
		if (tp != NULL)
			tp->user = NULL;
		if (tp != NULL && (a->h[h].listen || a->h[h].linger0))
			tcp_abort(tp);
		else if (tp != NULL)
			tcp_close(tp, NULL);
		a->h[h].used = 0;
		reply(a, "OK");
	} else if (strcmp(verb, "SHUTDOWN") == 0) {
		if (tp != NULL && strcmp(arg2, "rd") != 0)
			tcp_shutdown(tp, NULL);
		reply(a, "OK");
	} else if (strcmp(verb, "LINGER") == 0) {
		a->h[h].linger0 = strcmp(arg2, "on") == 0;
		reply(a, "OK");
	} else if (strcmp(verb, "RCVBUF") == 0) {
		reply(a, "OK rcvbuf=%s", arg2);
	} else if (strcmp(verb, "WRITE") == 0 || strcmp(verb, "WRITEHEX") == 0) {
		static uint8_t buf[1 << 20];
		size_t k, len = 0;

		if (strcmp(verb, "WRITE") == 0) {
			len = (size_t)atoi(arg2);
			if (len > sizeof(buf))
				len = sizeof(buf);
			run_fill(buf, len, 0);
		} else
			for (k = 0; arg2[2 * k] != '\0' && k < sizeof(buf); k++) {
				unsigned v;

				sscanf(arg2 + 2 * k, "%2x", &v);
				buf[len++] = (uint8_t)v;
			}
		if (tp == NULL || tcp_send(tp, buf, len, NULL) < 0)
			reply(a, "OK n=0 end=error errno=EPIPE");
		else
			reply(a, "OK n=%zu end=count", len);
	} else if (strcmp(verb, "READ") == 0) {
		n = (unsigned)atoi(arg2);
		a->pend = P_READ;
		a->pend_h = (int)h;
		a->pend_max = n;
		a->pend_n = 0;
		if (strstr(line, "mode=some") != NULL) {
			const char *t = strstr(line, "timeout=");

			a->pend_deadline = s->now + (t != NULL ?
			    (uint64_t)atoi(t + 8) * 1000 : 0);
		}
	} else
		reply(a, "ERR ENOSYS %s", verb);
	return;
}

static void
read_check(struct simagent *a)
{
	struct sim *s = a->sim;
	struct simhandle *sh = &a->h[a->pend_h];
	uint8_t buf[4096];
	size_t k;

	while (sh->tcb != NULL && a->pend_n < a->pend_max &&
	    (k = tcp_recv(sh->tcb, buf, a->pend_max - a->pend_n <
	    sizeof(buf) ? a->pend_max - a->pend_n : sizeof(buf))) > 0)
		a->pend_n += k;
	if (a->pend_n >= a->pend_max)
		reply(a, "OK n=%zu end=count sum=0000000000000000 data=", a->pend_n);
	else if (sh->tcb == NULL)
		reply(a, "OK n=%zu end=error errno=ECONNRESET sum=0000000000000000 data=",
		    a->pend_n);
	else if (tcp_eof(sh->tcb))
		reply(a, "OK n=%zu end=eof sum=0000000000000000 data=", a->pend_n);
	else if (s->now >= a->pend_deadline)
		reply(a, "OK n=%zu end=%s sum=0000000000000000 data=", a->pend_n,
		    a->pend_n > 0 ? "drained" : "timeout");
	else
		return;
	a->pend = P_NONE;
}

/* Finish waiting requests whose condition is met or whose time is up. */
static void
agents_check(struct sim *s)
{
	struct simagent *a;
	struct tcb *tp;
	int i, h;

	for (a = s->agents; a != NULL; a = a->next) {
		if (a->die_t != 0 && !a->dead && s->now >= a->die_t) {
			a->dead = 1;
			a->pend = P_NONE;
			a_reset_all(a);
			a->end_t = s->now + s->cfg.agent_end_us;
		}
		if (a->dead) {
			if (a->end[1] >= 0 && s->now >= a->end_t) {
				close(a->end[1]);
				a->end[1] = -1;
			}
			continue;
		}
		if (a->late != NULL && s->now >= a->late_t) {
			char *line = a->late;

			a->late = NULL;
			a_do(a, line);
			free(line);
		}
		if (a->pend == P_READ) {
			read_check(a);
			continue;
		}
		if (a->pend == P_CONNECT) {
			tp = a->h[a->pend_h].tcb;
			if (tp != NULL && tcps_have_established(tp->state)) {
				endpoints(a, a->pend_h, tp, 0);
				a->pend = P_NONE;
			} else if (tp == NULL || s->now >= a->pend_deadline) {
				reply(a, "ERR ECONNREFUSED connect failed");
				a->pend = P_NONE;
			}
			continue;
		}
		if (a->pend != P_ACCEPT)
			continue;
		for (i = 0; i < s->nkids; i++) {
			tp = s->kids[i];
			if (tp->parent != a->h[a->pend_h].tcb ||
			    !tcps_have_established(tp->state))
				continue;
			s->kids[i] = s->kids[--s->nkids];
			h = new_handle(a, tp, 0);
			endpoints(a, h, tp, 0);
			a->pend = P_NONE;
			break;
		}
		if (a->pend == P_ACCEPT && s->now >= a->pend_deadline) {
			reply(a, "ERR ETIMEDOUT accept timed out");
			a->pend = P_NONE;
		}
	}
}

static int
agent_pending(const struct sim *s, uint64_t *t)
{
	const struct simagent *a;
	int any = 0;

	*t = UINT64_MAX;
	for (a = s->agents; a != NULL; a = a->next) {
		if (a->pend != P_NONE && a->pend_deadline < *t) {
			*t = a->pend_deadline;
			any = 1;
		}
		if (a->late != NULL && a->late_t < *t) {
			*t = a->late_t;
			any = 1;
		}
		if (a->die_t != 0 && !a->dead && a->die_t < *t) {
			*t = a->die_t;
			any = 1;
		}
		if (a->dead && a->end[1] >= 0 && a->end_t < *t) {
			*t = a->end_t;
			any = 1;
		}
	}
	return any;
}

static int
a_recv(void *c, struct agent_reply *r, char **err)
{
	struct simagent *a = c;
	int rc;

	if (a->broken) {
		*err = strdup("simulated: the agent's connection broke");
		return -1;
	}
	agents_check(a->sim);
	if (a->ready == NULL)
		return 0;
	rc = agent_reply_parse(a->ready, r, err);
	free(a->ready);
	a->ready = NULL;
	return rc == -1 ? -1 : 1;
}

/*
 * Running cases
 */

char *
sim_case(const char *needs, const char *body)
{
	char *s;

	if (asprintf(&s, "title \"unit test\"\nchecks MUST-8\n"
	    "fault none \"a unit test\"\n%s%s%s%s\n", needs ? "needs " : "",
	    needs ? needs : "", needs ? "\n" : "", body) < 0)
		abort();
	return s;
}

struct run *
sim_run(const struct sim_cfg *cfg, const char *const *cases, int n)
{
	struct run_caselist cl = { NULL, 0 };
	struct run_expect *ex = NULL;
	struct run_target tgt;
	struct run_batch b;
	struct run_opts o;
	struct run_net net;
	struct tcp_config tc;
	struct runner rn;
	struct target *t;
	struct run *r;
	struct sim *s;
	char *err = NULL, *msgs = NULL, name[32];
	int i;

	s = sim_new(cfg);
	run_opts_init(&o);
	o.repeat = cfg->repeat > 0 ? cfg->repeat : 1;
	o.jobs = cfg->jobs > 0 ? cfg->jobs : 1;
	if (cfg->target_msl_us > 0)
		o.target_msl_us = cfg->target_msl_us;
	if (cfg->kind != NULL && (o.kind = strdup(cfg->kind)) == NULL)
		abort();
	if ((cl.v = calloc((size_t)n, sizeof(*cl.v))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "t%d.case", i);
		if (case_parse(name, cases[i], strlen(cases[i]),
		    &cl.v[i].prog, &msgs) == -1) {
			fprintf(stderr, "%s", msgs);
			abort();
		}
		free(msgs);
		cl.v[i].id = run_case_id(name, NULL);
		cl.n++;
	}
	memset(&tgt, 0, sizeof(tgt));
	tgt.family = s->cfg.family;
	memcpy(tgt.peer, s->paddr, 16);
	memcpy(tgt.addr, s->taddr, 16);
	tgt.port = cfg->port;
	tgt.has_agent = cfg->agent;
	tgt.same_link = !cfg->routed;
	tgt.loopback = cfg->loopback;
	o.intrusive = cfg->intrusive;
	net.ops = &sim_ops;
	net.arg = s;
	tcp_config_default(&tc);
	tc.msl_us = 1000000;
	tc.secret = 7;
	if (runner_init(&rn, &o, &tgt, &net, &sim_agent_ops, s, &tc,
	    &err) == -1)
		abort();
	rn.rate = cfg->rate;
	/* The path as the probes would find it: RTT twice the delay. */
	rn.path.rtt_us = (int64_t)(2 * s->cfg.delay_us);
	rn.path.jitter_us = 0;
	rn.path.sent = rn.path.answered = RUN_PROBES;
	run_tol_init(&rn.tol, &rn.path);
	rn.noisy = cfg->noisy;
	if (cfg->expect != NULL && run_expect_parse("expect", cfg->expect,
	    strlen(cfg->expect), &ex, &err) == -1)
		abort();
	r = result_run_new();
	t = result_target_add(r);
	t->family = s->cfg.family == AF_INET ? 4 : 6;
	run_batch_init(&b, &o, &cl, t, s->cfg.family);
	b.expect = ex;
	run_batch_run(&b, &rn);
	run_batch_free(&b);
	runner_free(&rn);
	run_expect_free(ex);
	sim_free(s);
	run_cases_free(&cl);
	run_opts_free(&o);
	return r;
}

/* RTT probes against the simulated target, for the path tests. */
int
sim_measure(const struct sim_cfg *cfg, struct run_path *path)
{
	struct run_target tgt;
	struct run_opts o;
	struct run_net net;
	struct runner rn;
	struct sim *s;
	char *err = NULL;
	int rc;

	s = sim_new(cfg);
	run_opts_init(&o);
	memset(&tgt, 0, sizeof(tgt));
	tgt.family = s->cfg.family;
	memcpy(tgt.peer, s->paddr, 16);
	memcpy(tgt.addr, s->taddr, 16);
	tgt.port = cfg->port;
	tgt.has_agent = cfg->agent;
	net.ops = &sim_ops;
	net.arg = s;
	if (runner_init(&rn, &o, &tgt, &net, &sim_agent_ops, s, NULL,
	    &err) == -1)
		abort();
	rn.rate = 0;
	rc = run_measure_path(&rn, &err);
	free(err);
	*path = rn.path;
	runner_free(&rn);
	sim_free(s);
	return rc;
}
