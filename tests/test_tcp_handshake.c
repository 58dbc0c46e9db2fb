/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_tcp_handshake.c: opening connections (RFC 9293 3.5, 3.10.1 and
 * 3.10.7.1-3): segments to no connection, LISTEN, SYN-SENT, SYN-RECEIVED,
 * simultaneous open, the ISS, data on a SYN.
 */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcp_helper.h"

static int
teardown(void **state)
{
	th_free(*state);
	return 0;
}

/* Tests for the CLOSED state (no connection). */

static void
rfc9293_3_5_2_rst_for_closed_port_seq_is_seg_ack(void **state)
{
	struct th	*h = *state = th_new();
	struct seg	 s = th_tmpl(h);

	s.seq = 1234;
	s.ack = 777;
	assert_int_equal(th_in(h, &s), 0);
	assert_int_equal(h->nout, 1);
	TH_EXPECT(h, 0, SEG_RST, 777, 0);
	assert_int_equal(th_out(h, 0)->sport, TH_LPORT);
	assert_int_equal(th_out(h, 0)->dport, TH_RPORT);
	assert_memory_equal(th_out(h, 0)->src, h->tuple.laddr, 4);
}

static void
rfc9293_3_5_2_rst_for_closed_port_no_ack_is_seq_plus_len(void **state)
{
	struct th	*h = *state = th_new();
	struct seg	 s = th_tmpl_syn(h);

	s.data = (const uint8_t *)"0123456789";
	s.len = 10;
	th_in(h, &s);
	/* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>: SYN counts one. */
	TH_EXPECT(h, 0, SEG_RST | SEG_ACK, 0, TH_IRS + 11);
}

static void
rfc9293_3_10_7_1_closed_rst_is_discarded(void **state)
{
	struct th	*h = *state = th_new();
	struct seg	 s = th_tmpl(h);
	const struct th_ev *e;

	s.flags = SEG_RST;
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	e = th_find_ev(h, TCP_EV_SEG_IN, 0);
	assert_non_null(e);
	assert_null(e->tcb);
	assert_string_equal(e->what, "no connection: RST discarded");
}

static void
hook_no_rst_silences_closed_port(void **state)
{
	struct tcp_config	 c;
	struct th		*h;
	struct seg		 s;

	th_test_config(&c);
	c.no_rst = 1;
	h = *state = th_new_cfg(&c);
	s = th_tmpl_syn(h);
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	assert_int_equal(th_count_ev(h, TCP_EV_SEG_IN), 1);
}

/* Tests for the LISTEN state. */

static void
rfc9293_3_10_7_2_listen_syn_sends_syn_ack(void **state)
{
	struct th	*h = *state = th_listen();
	struct seg	 s = th_tmpl_syn(h);
	const struct th_ev *e;

	assert_int_equal(th_in(h, &s), 1);
	assert_non_null(h->tp);
	assert_int_equal(h->tp->state, TCPS_SYN_RECEIVED);
	assert_true(h->tp->flags & TCPF_PASSIVE);
	assert_ptr_equal(h->tp->parent, h->lp);
	TH_EXPECT(h, 0, SEG_SYN | SEG_ACK, TH_ISS, TH_IRS + 1);
	assert_true(th_out(h, 0)->has & SEG_HAS_MSS);
	assert_int_equal(th_out(h, 0)->mss, 1460);
	/* The report: LISTEN -> SYN-RECEIVED, on the new TCB. */
	e = th_find_ev(h, TCP_EV_SEG_IN, 0);
	assert_int_equal(e->before, TCPS_LISTEN);
	assert_int_equal(e->after, TCPS_SYN_RECEIVED);
	assert_ptr_equal(e->tcb, h->tp);
	assert_int_equal(h->lp->state, TCPS_LISTEN);
	assert_int_equal(tcp_stack_count(h->st), 2);
}

static void
rfc9293_3_10_7_2_listen_rst_is_ignored(void **state)
{
	struct th	*h = *state = th_listen();
	struct seg	 s = th_tmpl(h);

	s.flags = SEG_RST | SEG_ACK;
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	assert_int_equal(h->lp->state, TCPS_LISTEN);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_IN, 0)->what,
	    "LISTEN: RST ignored");
}

static void
rfc9293_3_10_7_2_listen_ack_sends_rst_seq_seg_ack(void **state)
{
	struct th	*h = *state = th_listen();
	struct seg	 s = th_tmpl(h);

	s.ack = 4242;
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_RST, 4242, 0);
	assert_int_equal(h->lp->state, TCPS_LISTEN);
	assert_int_equal(tcp_stack_count(h->st), 1);
}

static void
rfc9293_3_10_7_2_listen_fin_without_syn_or_ack_dropped(void **state)
{
	struct th	*h = *state = th_listen();
	struct seg	 s = th_tmpl(h);

	s.flags = SEG_FIN;
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	assert_int_equal(tcp_stack_count(h->st), 1);
}

static void
rfc9293_3_10_7_2_listen_data_on_syn_delivered_after_established(void **state)
{
	struct th	*h = *state = th_listen();
	struct seg	 s = th_tmpl_syn(h);
	char		 buf[16];

	s.data = (const uint8_t *)"hello";
	s.len = 5;
	th_in(h, &s);
	/* "any other control or text should be queued for processing later":
	 * the SYN-ACK acknowledges the SYN only. */
	TH_EXPECT(h, 0, SEG_SYN | SEG_ACK, TH_ISS, TH_IRS + 1);
	assert_int_equal(tcp_readable(h->tp), 0);
	th_clear(h);
	h->r_nxt = TH_IRS + 6;
	s = th_tmpl(h);
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	assert_int_equal(tcp_readable(h->tp), 5);
	assert_int_equal(tcp_recv(h->tp, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 6);
}

/* Tests for the SYN-SENT state. */

static void
rfc9293_3_10_1_active_open_sends_syn(void **state)
{
	struct th	*h = *state = th_new();

	th_do_syn_sent(h);
	assert_int_equal(h->tp->state, TCPS_SYN_SENT);
	assert_int_equal(h->nout, 1);
	TH_EXPECT(h, 0, SEG_SYN, TH_ISS, 0);
	assert_int_equal(th_out(h, 0)->mss, 1460);
	assert_int_equal(h->tp->snd_una, TH_ISS);
	assert_int_equal(h->tp->snd_max, TH_ISS + 1);
	assert_int_equal(th_find_ev(h, TCP_EV_STATE, 0)->after,
	    TCPS_SYN_SENT);
}

static void
rfc9293_3_10_7_3_syn_ack_establishes_and_acks(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl_syn(h);

	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	assert_int_equal(h->nout, 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(h->tp->irs, TH_IRS);
	assert_int_equal(h->tp->snd_wnd, TH_WIN);
	assert_int_equal(h->tp->t_maxseg, TH_MSS);
	assert_int_equal(tcp_next_timer(h->st), TCP_NO_TIMER);
}

static void
rfc9293_3_10_7_3_syn_sent_ack_at_iss_sends_rst(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl_syn(h);

	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS;			/* SEG.ACK =< ISS */
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_RST, TH_ISS, 0);
	assert_int_equal(h->tp->state, TCPS_SYN_SENT);
}

static void
rfc9293_3_10_7_3_syn_sent_ack_beyond_snd_nxt_sends_rst(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl(h);

	s.ack = TH_ISS + 2;		/* SEG.ACK > SND.NXT */
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_RST, TH_ISS + 2, 0);
	assert_int_equal(h->tp->state, TCPS_SYN_SENT);
}

static void
rfc9293_3_10_7_3_syn_sent_rst_with_bad_ack_dropped(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl(h);

	s.flags = SEG_RST | SEG_ACK;
	s.ack = TH_ISS + 7;
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	assert_int_equal(h->tp->state, TCPS_SYN_SENT);
}

static void
rfc9293_3_10_7_3_syn_sent_rst_acceptable_ack_refused(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl(h);
	const struct th_ev *e;

	s.flags = SEG_RST | SEG_ACK;
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	assert_null(h->tp);
	e = th_find_ev(h, TCP_EV_CLOSED, 0);
	assert_non_null(e);
	assert_int_equal(e->reason, TCP_R_REFUSED);
	assert_int_equal(tcp_stack_count(h->st), 0);
}

static void
rfc9293_3_10_7_3_syn_sent_rst_without_ack_dropped(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl(h);

	s.flags = SEG_RST;
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	assert_int_equal(h->tp->state, TCPS_SYN_SENT);
}

static void
rfc9293_3_10_7_3_syn_sent_plain_ack_dropped(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl(h);

	s.ack = TH_ISS + 1;		/* acceptable, but no SYN */
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	assert_int_equal(h->tp->state, TCPS_SYN_SENT);
}

static void
rfc9293_3_10_7_3_syn_ack_with_data_delivers_and_acks(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl_syn(h);

	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS + 1;
	s.data = (const uint8_t *)"abc";
	s.len = 3;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	assert_int_equal(tcp_readable(h->tp), 3);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 4);
	assert_int_equal(h->nout, 1);
}

/* Simultaneous open (RFC 9293 3.5, Figure 8). */

static void
rfc9293_3_10_7_3_syn_in_syn_sent_simultaneous_open(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s = th_tmpl_syn(h);

	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_SYN_RECEIVED);
	assert_true(h->tp->flags & TCPF_SIMOPEN);
	assert_false(h->tp->flags & TCPF_PASSIVE);
	/* <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
	TH_EXPECT(h, 0, SEG_SYN | SEG_ACK, TH_ISS, TH_IRS + 1);
	th_clear(h);
	h->r_nxt = TH_IRS + 1;
	s = th_tmpl(h);
	s.flags = SEG_SYN | SEG_ACK;
	s.seq = TH_IRS;
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	/* Their SYN-ACK: its SYN is old, its ACK new; it completes the open
	 * (Figure 8, line 6) and is acknowledged. */
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(h->nout, 1);
}

/*
 * Our ACK of their SYN-ACK was lost: they send it again, on an
 * established connection (hooks.no_auto_ack as given), and it draws
 * <SEQ=ISS+1><ACK=IRS+1>.  The SYN-ACK is left in *s.
 */
static struct th *
syn_ack_again(int no_auto_ack, struct seg *s)
{
	struct th	*h = th_established();

	h->tp->hooks.no_auto_ack = no_auto_ack;
	*s = th_tmpl(h);
	s->flags = SEG_SYN | SEG_ACK;
	s->seq = TH_IRS;
	s->ack = TH_ISS + 1;
	th_in(h, s);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	return h;
}

static void
rfc9293_3_10_7_4_duplicate_syn_ack_in_established_is_acked(void **state)
{
	struct seg	 s;

	*state = syn_ack_again(0, &s);
}

/*
 * The same with the case's automatic ACKs off (hooks.no_auto_ack): that
 * ACK completes the target's handshake, which the connection needs
 * whatever the case does with its ACKs; a target still in SYN-RECEIVED
 * answers nothing else (handshake/syn-in-established on a lossy path).
 * Another unacceptable segment then still draws no ACK: a SYN-ACK that
 * acknowledges something else, and old data; nor does the SYN-ACK where
 * the handshake's ACK never went.
 */
static void
duplicate_syn_ack_acked_without_auto_ack(void **state)
{
	struct seg	 s;
	struct th	*h = *state = syn_ack_again(1, &s);

	th_clear(h);
	s.ack = TH_ISS + 2;
	th_in(h, &s);
	s = th_tmpl(h);
	s.seq = h->r_nxt - 5;
	s.data = (const uint8_t *)"hello";
	s.len = 5;
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	th_free(h);

	/* Automatic ACKs off from the start (synack-backoff holds the
	 * handshake's ACK back on purpose): no ACK, first time or again. */
	h = *state = th_syn_sent();
	h->tp->hooks.no_auto_ack = 1;
	s = th_tmpl_syn(h);
	s.flags |= SEG_ACK;
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	th_in(h, &s);
	assert_int_equal(h->nout, 0);
}

/*
 * An old duplicate of their SYN (no ACK bit, SEQ=IRS) on an established
 * connection that has received no data yet: "If the SYN bit is set,
 * irrespective of the sequence number, TCP endpoints MUST send a
 * "challenge ACK" to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
 * (RFC 9293 3.10.7.4, RFC 5961 4.2).  The SYN is before RCV.NXT, so the
 * first step already finds it not acceptable and ACKs it; it must not be
 * trimmed into an empty segment and dropped silently for its missing ACK.
 */
static void
rfc5961_4_2_established_old_syn_at_irs_challenge_ack(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s = th_tmpl_syn(h);

	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(h->nout, 1);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
}

/* Tests for the SYN-RECEIVED state. */

static void
rfc9293_3_10_7_4_syn_received_ack_establishes(void **state)
{
	struct th	*h = *state = th_syn_received();
	struct seg	 s = th_tmpl(h);

	s.ack = TH_ISS + 1;
	s.win = 1234;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	assert_int_equal(h->tp->snd_wnd, 1234);
	assert_int_equal(h->tp->snd_wl1, TH_IRS + 1);
	assert_int_equal(h->tp->snd_wl2, TH_ISS + 1);
	assert_int_equal(h->nout, 0);
	assert_int_equal(tcp_next_timer(h->st), TCP_NO_TIMER);
}

static void
rfc9293_3_10_7_4_syn_received_bad_ack_sends_rst(void **state)
{
	struct th	*h = *state = th_syn_received();
	struct seg	 s = th_tmpl(h);

	s.ack = TH_ISS + 5;
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_RST, TH_ISS + 5, 0);
	assert_int_equal(h->tp->state, TCPS_SYN_RECEIVED);
}

static void
rfc9293_3_10_7_4_syn_received_rst_returns_to_listen(void **state)
{
	struct th	*h = *state = th_syn_received();
	struct seg	 s = th_tmpl(h);
	const struct th_ev *e;

	s.flags = SEG_RST;
	th_in(h, &s);
	assert_null(h->tp);
	e = th_find_ev(h, TCP_EV_CLOSED, 0);
	assert_int_equal(e->reason, TCP_R_LISTEN);
	assert_int_equal(h->lp->state, TCPS_LISTEN);
	assert_int_equal(tcp_stack_count(h->st), 1);
	/* The port still answers a new SYN (MUST-11). */
	th_clear(h);
	s = th_tmpl_syn(h);
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_SYN | SEG_ACK, TH_ISS, TH_IRS + 1);
}

static void
rfc9293_3_10_7_4_syn_received_active_rst_is_refused(void **state)
{
	struct th	*h = *state = th_syn_received_active();
	struct seg	 s = th_tmpl(h);

	s.flags = SEG_RST;
	th_in(h, &s);
	assert_null(h->tp);
	assert_int_equal(th_find_ev(h, TCP_EV_CLOSED, 0)->reason,
	    TCP_R_REFUSED);
}

static void
rfc9293_3_10_7_4_syn_received_passive_syn_returns_to_listen(void **state)
{
	struct th	*h = *state = th_syn_received();
	struct seg	 s = th_tmpl(h);

	s.flags = SEG_SYN;
	s.seq = TH_IRS + 10;		/* in the window */
	th_in(h, &s);
	assert_null(h->tp);
	assert_int_equal(th_find_ev(h, TCP_EV_CLOSED, 0)->reason,
	    TCP_R_LISTEN);
	assert_int_equal(h->nout, 0);
}

static void
rfc9293_3_10_7_4_syn_received_duplicate_syn_resends_syn_ack(void **state)
{
	struct th	*h = *state = th_syn_received();
	struct seg	 s = th_tmpl_syn(h);

	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_SYN | SEG_ACK, TH_ISS, TH_IRS + 1);
	assert_int_equal(h->tp->state, TCPS_SYN_RECEIVED);
}

/* The initial sequence number. */

static void
hook_iss_sets_the_syn_sequence_number(void **state)
{
	struct th	*h = *state = th_new();
	struct tcb	*tp = tcp_new(h->st, &h->tuple, NULL);

	tp->hooks.iss_set = 1;
	tp->hooks.iss = 0xfffffff0;
	tcp_connect(tp, NULL);
	TH_EXPECT(h, 0, SEG_SYN, 0xfffffff0, 0);
}

static void
rfc9293_3_4_1_iss_differs_per_tuple_and_moves_with_clock(void **state)
{
	struct th	*h = *state = th_new();
	struct tcp_tuple t = h->tuple;
	struct tcb	*a, *b, *c;
	uint32_t	 iss_a;

	a = tcp_new(h->st, &t, NULL);
	tcp_connect(a, NULL);
	iss_a = a->iss;
	t.lport++;
	b = tcp_new(h->st, &t, NULL);
	tcp_connect(b, NULL);
	assert_int_not_equal(iss_a, b->iss);
	/* M, the 4 us clock: 4 ms later the same 4-tuple's ISS is 1000 on. */
	tcp_abort(a);
	th_advance(h, 4000);
	c = tcp_new(h->st, &h->tuple, NULL);
	tcp_connect(c, NULL);
	assert_int_equal(c->iss - iss_a, 1000);
}

static void
rfc9293_3_10_1_connect_twice_fails(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct tcb	*tp = tcp_new(h->st, &h->tuple, NULL);
	char		*err = NULL;

	assert_int_equal(tcp_connect(tp, &err), -1);
	assert_string_equal(err, "connection already exists");
	free(err);
	err = NULL;
	assert_int_equal(tcp_connect(h->tp, &err), -1);
	free(err);
	tcp_abort(tp);
}

static void
ipv6_handshake_uses_ipv6_addresses(void **state)
{
	struct th	*h = *state = th_new();
	struct seg	 s;

	th_tuple(&h->tuple, AF_INET6, TH_LPORT, TH_RPORT);
	th_do_syn_sent(h);
	assert_int_equal(th_out(h, 0)->family, AF_INET6);
	assert_memory_equal(th_out(h, 0)->dst, h->tuple.raddr, 16);
	s = th_tmpl_syn(h);
	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_teardown(f, teardown)
		T(rfc9293_3_5_2_rst_for_closed_port_seq_is_seg_ack),
		T(rfc9293_3_5_2_rst_for_closed_port_no_ack_is_seq_plus_len),
		T(rfc9293_3_10_7_1_closed_rst_is_discarded),
		T(hook_no_rst_silences_closed_port),
		T(rfc9293_3_10_7_2_listen_syn_sends_syn_ack),
		T(rfc9293_3_10_7_2_listen_rst_is_ignored),
		T(rfc9293_3_10_7_2_listen_ack_sends_rst_seq_seg_ack),
		T(rfc9293_3_10_7_2_listen_fin_without_syn_or_ack_dropped),
		T(rfc9293_3_10_7_2_listen_data_on_syn_delivered_after_established),
		T(rfc9293_3_10_1_active_open_sends_syn),
		T(rfc9293_3_10_7_3_syn_ack_establishes_and_acks),
		T(rfc9293_3_10_7_3_syn_sent_ack_at_iss_sends_rst),
		T(rfc9293_3_10_7_3_syn_sent_ack_beyond_snd_nxt_sends_rst),
		T(rfc9293_3_10_7_3_syn_sent_rst_with_bad_ack_dropped),
		T(rfc9293_3_10_7_3_syn_sent_rst_acceptable_ack_refused),
		T(rfc9293_3_10_7_3_syn_sent_rst_without_ack_dropped),
		T(rfc9293_3_10_7_3_syn_sent_plain_ack_dropped),
		T(rfc9293_3_10_7_3_syn_ack_with_data_delivers_and_acks),
		T(rfc9293_3_10_7_3_syn_in_syn_sent_simultaneous_open),
		T(rfc9293_3_10_7_4_duplicate_syn_ack_in_established_is_acked),
		T(duplicate_syn_ack_acked_without_auto_ack),
		T(rfc5961_4_2_established_old_syn_at_irs_challenge_ack),
		T(rfc9293_3_10_7_4_syn_received_ack_establishes),
		T(rfc9293_3_10_7_4_syn_received_bad_ack_sends_rst),
		T(rfc9293_3_10_7_4_syn_received_rst_returns_to_listen),
		T(rfc9293_3_10_7_4_syn_received_active_rst_is_refused),
		T(rfc9293_3_10_7_4_syn_received_passive_syn_returns_to_listen),
		T(rfc9293_3_10_7_4_syn_received_duplicate_syn_resends_syn_ack),
		T(hook_iss_sets_the_syn_sequence_number),
		T(rfc9293_3_4_1_iss_differs_per_tuple_and_moves_with_clock),
		T(rfc9293_3_10_1_connect_twice_fails),
		T(ipv6_handshake_uses_ipv6_addresses),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
