/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_tcp_b2b.c: two instances of the peer wired back to back on the fake
 * clock, the output of one fed to the other through a link that can lose,
 * delay and reorder: simultaneous open and simultaneous close (RFC 9293
 * 3.5 Figure 8, 3.6 Figure 13), bulk transfers verified byte for byte over
 * a lossy link, and many connections at once.
 */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcp_helper.h"

#define MS	1000ULL

struct b2b {
	struct th_link	*l;
	struct tcb	*a;		/* side 0's connection */
	struct tcb	*b;		/* side 1's, once accepted */
	uint8_t		*data;
	size_t		 len;
};

static void
lab_config(struct tcp_config *c, int opts)
{
	th_test_config(c);
	if (opts) {
		c->wscale = 7;
		c->sack = 1;
		c->ts = 1;
	}
	c->rto_min_us = 200 * MS;
	c->rto_init_us = 200 * MS;
	c->msl_us = 500 * MS;
}

static void
tuples(struct tcp_tuple *ta, struct tcp_tuple *tb, uint16_t pa, uint16_t pb)
{
	th_tuple(ta, AF_INET, pa, pb);
	th_tuple(tb, AF_INET, pb, pa);
	memcpy(tb->laddr, ta->raddr, 16);
	memcpy(tb->raddr, ta->laddr, 16);
}

static int
teardown(void **state)
{
	struct b2b	*t = *state;

	if (t != NULL) {
		th_link_free(t->l);
		free(t->data);
		free(t);
	}
	return 0;
}

static struct b2b *
b2b_new(int opts)
{
	struct tcp_config	 c;
	struct b2b		*t = calloc(1, sizeof(*t));

	lab_config(&c, opts);
	t->l = th_link_new(&c, &c);
	return t;
}

/* Side 1 listens on 80; side 0 connects from port. */
static void
open_pair(struct b2b *t, uint16_t port)
{
	struct tcp_tuple	 ta, tb;
	struct tcb		*lp;

	tuples(&ta, &tb, port, 80);
	memset(tb.raddr, 0, 16);
	tb.rport = 0;
	lp = tcp_new(th_link_stack(t->l, 1), &tb, NULL);
	assert_int_equal(tcp_listen(lp, NULL), 0);
	t->a = tcp_new(th_link_stack(t->l, 0), &ta, NULL);
	assert_int_equal(tcp_connect(t->a, NULL), 0);
}

static int
both_established(void *arg)
{
	struct b2b	*t = arg;

	t->b = th_link_accepted(t->l, 1);
	return t->a->state == TCPS_ESTABLISHED && t->b != NULL &&
	    t->b->state == TCPS_ESTABLISHED;
}

static int
side1_got_all(void *arg)
{
	struct b2b	*t = arg;
	size_t		 n;

	th_link_rx(t->l, 1, &n);
	return n == t->len && th_link_eof(t->l, 1);
}

static int
stacks_empty(void *arg)
{
	struct b2b	*t = arg;

	return tcp_stack_count(th_link_stack(t->l, 0)) == 0 &&
	    tcp_stack_count(th_link_stack(t->l, 1)) <= 1;
}

/* Pseudo-random content, so that a misplaced byte shows. */
static uint8_t *
pattern(size_t len, uint32_t seed)
{
	uint8_t		*p = malloc(len);
	size_t		 i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = (uint8_t)(seed >> 16);
	}
	return p;
}

/* States a side went through, in order, for one TCB. */
static int
went_through(const struct th_link *l, int side, const enum tcps *want,
    int n)
{
	const struct th_ev	*ev;
	int			 nev, i, k = 0;

	ev = th_link_events(l, side, &nev);
	for (i = 0; i < nev && k < n; i++)
		if (ev[i].type == TCP_EV_STATE && ev[i].after == want[k])
			k++;
	return k == n;
}

static void
rfc9293_3_5_simultaneous_open_between_two_stacks(void **state)
{
	struct b2b	*t = *state = b2b_new(1);
	struct tcp_tuple ta, tb;
	struct tcb	*b;
	size_t		 n;
	static const enum tcps path[] = { TCPS_SYN_SENT, TCPS_SYN_RECEIVED,
	    TCPS_ESTABLISHED };

	tuples(&ta, &tb, 40000, 50000);
	t->a = tcp_new(th_link_stack(t->l, 0), &ta, NULL);
	b = tcp_new(th_link_stack(t->l, 1), &tb, NULL);
	tcp_connect(t->a, NULL);
	tcp_connect(b, NULL);
	th_link_run(t->l, NULL, NULL, 100 * MS);
	assert_int_equal(t->a->state, TCPS_ESTABLISHED);
	assert_int_equal(b->state, TCPS_ESTABLISHED);
	assert_true(t->a->flags & TCPF_SIMOPEN);
	assert_true(b->flags & TCPF_SIMOPEN);
	assert_true(went_through(t->l, 0, path, 3));
	assert_true(went_through(t->l, 1, path, 3));
	/* Options were negotiated by the crossing SYNs. */
	assert_true(t->a->flags & TCPF_TS);
	assert_int_equal(t->a->snd_scale, 7);
	/* Data flows. */
	assert_int_equal(tcp_send(t->a, "ping", 4, NULL), 4);
	th_link_run(t->l, NULL, NULL, 100 * MS);
	assert_memory_equal(th_link_rx(t->l, 1, &n), "ping", 4);
	assert_int_equal(n, 4);
	assert_int_equal(t->a->snd_una, t->a->snd_max);
}

static void
rfc9293_3_6_simultaneous_close_between_two_stacks(void **state)
{
	struct b2b	*t = *state = b2b_new(1);
	static const enum tcps path[] = { TCPS_FIN_WAIT_1, TCPS_CLOSING,
	    TCPS_TIME_WAIT, TCPS_CLOSED };
	const struct th_ev *ev;
	int		 nev, i, closed = 0;

	open_pair(t, 40000);
	assert_int_equal(th_link_run(t->l, both_established, t, TH_SEC), 0);
	tcp_close(t->a, NULL);
	tcp_close(t->b, NULL);
	th_link_run(t->l, NULL, NULL, 10 * TH_SEC);
	assert_true(went_through(t->l, 0, path, 4));
	assert_true(went_through(t->l, 1, path, 4));
	/* Both held TIME-WAIT for 2*MSL (1 s here) before deleting. */
	for (i = 0; i < 2; i++) {
		uint64_t tw = 0;

		ev = th_link_events(t->l, i, &nev);
		for (int k = 0; k < nev; k++) {
			if (ev[k].type == TCP_EV_STATE &&
			    ev[k].after == TCPS_TIME_WAIT)
				tw = ev[k].now;
			if (ev[k].type == TCP_EV_CLOSED &&
			    ev[k].reason == TCP_R_DONE) {
				assert_int_equal(ev[k].now - tw, TH_SEC);
				closed++;
			}
		}
	}
	assert_int_equal(closed, 2);
	assert_int_equal(tcp_stack_count(th_link_stack(t->l, 0)), 0);
}

static void
rfc9293_3_6_1_half_close_both_directions_between_two_stacks(void **state)
{
	struct b2b	*t = *state = b2b_new(1);
	size_t		 n;

	open_pair(t, 40001);
	assert_int_equal(th_link_run(t->l, both_established, t, TH_SEC), 0);
	tcp_shutdown(t->a, NULL);
	th_link_run(t->l, NULL, NULL, 50 * MS);
	assert_int_equal(t->a->state, TCPS_FIN_WAIT_2);
	assert_int_equal(t->b->state, TCPS_CLOSE_WAIT);
	t->data = pattern(100000, 7);
	t->len = 100000;
	th_link_source(t->l, 1, t->b, t->data, t->len, 1);
	th_link_run(t->l, NULL, NULL, 5 * TH_SEC);
	assert_memory_equal(th_link_rx(t->l, 0, &n), t->data, t->len);
	assert_int_equal(n, t->len);
	assert_int_equal(th_link_eof(t->l, 0), 1);
}

/* Bulk transfer side 0 -> side 1 over a lossy link; content compared. */
static void
bulk(struct b2b *t, size_t len, int loss, int reorder, uint32_t seed)
{
	const uint8_t	*rx;
	size_t		 n;

	th_link_set_loss(t->l, loss, reorder, 2 * MS, seed);
	open_pair(t, 40002);
	assert_int_equal(th_link_run(t->l, both_established, t,
	    60 * TH_SEC), 0);
	t->data = pattern(len, seed);
	t->len = len;
	th_link_source(t->l, 0, t->a, t->data, t->len, 1);
	assert_int_equal(th_link_run(t->l, side1_got_all, t, 3600 * TH_SEC),
	    0);
	rx = th_link_rx(t->l, 1, &n);
	assert_int_equal(n, len);
	assert_memory_equal(rx, t->data, len);
	tcp_close(t->b, NULL);
	assert_int_equal(th_link_run(t->l, stacks_empty, t, 3600 * TH_SEC),
	    0);
}

static void
lossy_reordering_link_transfers_4mib_intact_with_sack(void **state)
{
	struct b2b	*t = *state = b2b_new(1);

	bulk(t, 4 << 20, 2, 5, 12345);
	assert_true(th_link_dropped(t->l) > 100);
	fprintf(stderr, "# 4 MiB, 2%% loss, 5%% reordering, SACK: %llu "
	    "segments delivered, %llu dropped, %.1f s of link time\n",
	    (unsigned long long)th_link_delivered(t->l),
	    (unsigned long long)th_link_dropped(t->l),
	    th_link_now(t->l) / 1e6);
}

static void
lossy_reordering_link_transfers_1mib_intact_without_options(void **state)
{
	struct b2b	*t = *state = b2b_new(0);

	bulk(t, 1 << 20, 2, 5, 999);
	assert_true(th_link_dropped(t->l) > 10);
}

static void
lossless_link_transfers_4mib_quickly(void **state)
{
	struct b2b	*t = *state = b2b_new(1);

	bulk(t, 4 << 20, 0, 0, 1);
	/* No loss: no retransmission at all. */
	assert_int_equal(th_link_dropped(t->l), 0);
}

static int
all_closed(void *arg)
{
	struct b2b	*t = arg;

	return tcp_stack_count(th_link_stack(t->l, 0)) == 0 &&
	    tcp_stack_count(th_link_stack(t->l, 1)) == 1;
}

static void
many_connections_at_once_open_send_close(void **state)
{
	struct b2b	*t = *state = b2b_new(1);
	struct tcp_tuple ta, tb;
	struct tcb	*lp, *tp;
	static uint8_t	 kib[1024];
	size_t		 n;
	int		 i;

	tuples(&ta, &tb, 1, 80);
	memset(tb.raddr, 0, 16);
	tb.rport = 0;
	lp = tcp_new(th_link_stack(t->l, 1), &tb, NULL);
	tcp_listen(lp, NULL);
	th_link_autoclose(t->l, 1);
	for (i = 0; i < 3000; i++) {
		ta.lport = (uint16_t)(10000 + i);
		tp = tcp_new(th_link_stack(t->l, 0), &ta, NULL);
		assert_int_equal(tcp_connect(tp, NULL), 0);
		/* Queued in SYN-SENT; the FIN waits for ESTABLISHED. */
		assert_int_equal(tcp_send(tp, kib, sizeof(kib), NULL), 1024);
		assert_int_equal(tcp_shutdown(tp, NULL), 0);
	}
	assert_int_equal(tcp_stack_count(th_link_stack(t->l, 0)), 3000);
	/* The accepted side closes when it has read everything (EOF). */
	th_link_run(t->l, NULL, NULL, 50 * MS);
	th_link_rx(t->l, 1, &n);
	assert_int_equal(n, 3000 * sizeof(kib));
	assert_int_equal(th_link_eof(t->l, 1), 3000);
	assert_int_equal(tcp_stack_count(th_link_stack(t->l, 1)), 1);
	assert_int_equal(tcp_stack_count(th_link_stack(t->l, 0)), 3000);
	/* Side 0 closed first: TIME-WAIT for 2*MSL, then nothing left. */
	assert_int_equal(th_link_run(t->l, all_closed, t, 60 * TH_SEC), 0);
	assert_int_equal(th_link_closed(t->l, 0), 3000);
}

static void
tcb_costs_a_few_hundred_bytes(void **state)
{
	(void)state;
	fprintf(stderr, "# sizeof(struct tcb) = %zu bytes\n",
	    sizeof(struct tcb));
	assert_true(sizeof(struct tcb) <= 1024);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_teardown(f, teardown)
		T(rfc9293_3_5_simultaneous_open_between_two_stacks),
		T(rfc9293_3_6_simultaneous_close_between_two_stacks),
		T(rfc9293_3_6_1_half_close_both_directions_between_two_stacks),
		T(lossless_link_transfers_4mib_quickly),
		T(lossy_reordering_link_transfers_4mib_intact_with_sack),
		T(lossy_reordering_link_transfers_1mib_intact_without_options),
		T(many_connections_at_once_open_send_close),
		T(tcb_costs_a_few_hundred_bytes),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
