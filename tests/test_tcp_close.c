/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_tcp_close.c: closing connections (RFC 9293 3.6, 3.10.4, 3.10.5,
 * 3.10.8): active close through FIN-WAIT-1/2 and TIME-WAIT for 2*MSL,
 * passive close through CLOSE-WAIT and LAST-ACK, half-close with data
 * flowing the other way, abort, close with unread data, the no_auto_fin
 * hook.
 */
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

static void
rfc9293_3_10_4_close_established_sends_fin_fin_wait_1(void **state)
{
	struct th	*h = *state = th_established();

	assert_int_equal(tcp_close(h->tp, NULL), 0);
	assert_int_equal(h->tp->state, TCPS_FIN_WAIT_1);
	TH_EXPECT(h, 0, SEG_FIN | SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(h->tp->snd_max, TH_ISS + 2);
}

static void
rfc9293_3_10_4_fin_follows_queued_data(void **state)
{
	struct th	*h = *state = th_established();

	tcp_send(h->tp, "abc", 3, NULL);
	tcp_shutdown(h->tp, NULL);
	TH_EXPECT(h, 0, SEG_ACK | SEG_PSH, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 3);
	TH_EXPECT(h, 1, SEG_FIN | SEG_ACK, TH_ISS + 4, TH_IRS + 1);
	assert_int_equal(h->tp->fin_seq, TH_ISS + 4);
}

static void
rfc9293_3_6_active_close_full_sequence_to_time_wait(void **state)
{
	struct th	*h = *state = th_fin_wait_1();
	struct seg	 s = th_tmpl(h);

	th_in(h, &s);				/* ACK of our FIN */
	assert_int_equal(h->tp->state, TCPS_FIN_WAIT_2);
	assert_int_equal(h->nout, 0);
	s = th_tmpl(h);
	s.flags = SEG_FIN | SEG_ACK;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_TIME_WAIT);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 2, TH_IRS + 2);
	assert_true(tcp_eof(h->tp));
}

static void
rfc9293_3_6_1_time_wait_lasts_2msl(void **state)
{
	struct th	*h = *state = th_time_wait();
	const struct th_ev *e;
	uint64_t	 t0 = h->now;

	/* MSL is 1 s in the test configuration. */
	assert_int_equal(tcp_next_timer(h->st), t0 + 2 * TH_SEC);
	th_advance(h, 2 * TH_SEC - 1);
	assert_non_null(h->tp);
	assert_int_equal(h->tp->state, TCPS_TIME_WAIT);
	th_advance(h, 1);
	assert_null(h->tp);
	e = th_find_ev(h, TCP_EV_CLOSED, 0);
	assert_int_equal(e->reason, TCP_R_DONE);
	assert_int_equal(e->now, t0 + 2 * TH_SEC);
	assert_int_equal(h->nout, 0);
	assert_int_equal(tcp_stack_count(h->st), 0);
}

static void
rfc9293_3_10_7_4_time_wait_fin_retransmission_acked_restarts_2msl(
    void **state)
{
	struct th	*h = *state = th_time_wait();
	struct seg	 s = th_tmpl(h);

	th_advance(h, TH_SEC);
	s.flags = SEG_FIN | SEG_ACK;
	s.seq = h->r_nxt - 1;			/* their FIN again */
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 2, TH_IRS + 2);
	assert_int_equal(tcp_next_timer(h->st), h->now + 2 * TH_SEC);
	th_advance(h, 2 * TH_SEC - 1);
	assert_non_null(h->tp);
	th_advance(h, 1);
	assert_null(h->tp);
}

static void
rfc9293_3_6_passive_close_close_wait_last_ack_closed(void **state)
{
	struct th	*h = *state = th_close_wait();
	struct seg	 s;

	assert_true(tcp_eof(h->tp));
	assert_int_equal(th_count_ev(h, TCP_EV_RECV), 0);
	tcp_close(h->tp, NULL);
	assert_int_equal(h->tp->state, TCPS_LAST_ACK);
	TH_EXPECT(h, 0, SEG_FIN | SEG_ACK, TH_ISS + 1, TH_IRS + 2);
	th_clear(h);
	s = th_tmpl(h);
	th_in(h, &s);
	assert_null(h->tp);
	assert_int_equal(th_find_ev(h, TCP_EV_CLOSED, 0)->reason, TCP_R_DONE);
	assert_int_equal(h->nout, 0);
}

static void
rfc9293_3_10_7_4_fin_reports_eof_to_the_application(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s = th_tmpl(h);
	const struct th_ev *e;

	s.flags = SEG_FIN | SEG_ACK | SEG_PSH;
	s.data = (const uint8_t *)"bye";
	s.len = 3;
	th_in(h, &s);
	e = th_find_ev(h, TCP_EV_RECV, 0);
	assert_non_null(e);
	assert_int_equal(e->n, 3);
	assert_false(tcp_eof(h->tp));
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 5);
	assert_int_equal(h->nout, 1);
}

static void
rfc9293_3_6_simultaneous_close_closing_then_time_wait(void **state)
{
	struct th	*h = *state = th_fin_wait_1();
	struct seg	 s = th_tmpl(h);

	/* Their FIN crosses ours: it does not acknowledge our FIN. */
	s.flags = SEG_FIN | SEG_ACK;
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_CLOSING);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 2, TH_IRS + 2);
	th_clear(h);
	h->r_nxt++;
	s = th_tmpl(h);				/* then their ACK of ours */
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_TIME_WAIT);
	assert_int_equal(h->nout, 0);
}

static void
rfc9293_3_6_1_half_close_data_flows_to_the_closer(void **state)
{
	struct th	*h = *state = th_fin_wait_2();
	char		 buf[32];
	int		 i;

	for (i = 0; i < 3; i++) {
		th_in_data(h, "more data");
		TH_EXPECT(h, i, SEG_ACK, TH_ISS + 2, h->r_nxt);
	}
	assert_int_equal(h->tp->state, TCPS_FIN_WAIT_2);
	assert_int_equal(tcp_recv(h->tp, buf, sizeof(buf)), 27);
}

static void
rfc9293_3_6_1_half_close_peer_sends_after_their_fin(void **state)
{
	struct th	*h = *state = th_close_wait();
	struct seg	 s;
	int		 i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(tcp_send(h->tp, "0123456789", 10, NULL), 10);
		TH_EXPECT(h, i, SEG_ACK | SEG_PSH, TH_ISS + 1 + 10 * i,
		    TH_IRS + 2);
		s = th_tmpl(h);
		th_in(h, &s);
	}
	assert_int_equal(h->tp->snd_una, TH_ISS + 31);
	assert_int_equal(th_count_ev(h, TCP_EV_ACKED), 3);
	tcp_close(h->tp, NULL);
	TH_EXPECT(h, 3, SEG_FIN | SEG_ACK, TH_ISS + 31, TH_IRS + 2);
}

static void
rfc9293_3_10_5_abort_sends_rst_seq_snd_nxt(void **state)
{
	struct th	*h = *state = th_established();
	const struct th_ev *e;

	tcp_send(h->tp, "x", 1, NULL);
	tcp_abort(h->tp);
	/* <SEQ=SND.NXT><CTL=RST> */
	TH_EXPECT(h, 1, SEG_RST, TH_ISS + 2, 0);
	assert_null(h->tp);
	e = th_find_ev(h, TCP_EV_CLOSED, 0);
	assert_int_equal(e->reason, TCP_R_ABORTED);
	assert_int_equal(tcp_next_timer(h->st), TCP_NO_TIMER);
}

static void
rfc9293_3_10_5_abort_in_time_wait_sends_nothing(void **state)
{
	struct th	*h = *state = th_time_wait();

	tcp_abort(h->tp);
	assert_int_equal(h->nout, 0);
	assert_null(h->tp);
}

static void
rfc9293_3_10_4_close_in_syn_sent_deletes_silently(void **state)
{
	struct th	*h = *state = th_syn_sent();

	tcp_close(h->tp, NULL);
	assert_int_equal(h->nout, 0);
	assert_null(h->tp);
	assert_int_equal(tcp_next_timer(h->st), TCP_NO_TIMER);
}

/*
 * CLOSE in SYN-RECEIVED with nothing to send: "form a FIN segment and send
 * it, and enter FIN-WAIT-1 state"; the FIN follows the SYN at ISS+1, and
 * an ACK of both leads on to FIN-WAIT-2.
 */
static void
rfc9293_3_10_4_close_in_syn_received_sends_fin(void **state)
{
	struct th	*h = *state = th_syn_received();
	struct seg	 s = th_tmpl(h);

	tcp_close(h->tp, NULL);
	assert_int_equal(h->nout, 1);
	TH_EXPECT(h, 0, SEG_FIN | SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(h->tp->state, TCPS_FIN_WAIT_1);
	th_clear(h);
	s.ack = TH_ISS + 2;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_FIN_WAIT_2);
	assert_int_equal(h->nout, 0);
}

/* Its retransmission sends the SYN,ACK again, then the FIN. */
static void
rfc9293_3_10_4_close_in_syn_received_rexmit_syn_then_fin(void **state)
{
	struct th	*h = *state = th_syn_received();

	tcp_close(h->tp, NULL);
	th_clear(h);
	th_run_until(h, tcp_next_timer(h->st));
	assert_int_equal(h->nout, 2);
	TH_EXPECT(h, 0, SEG_SYN | SEG_ACK, TH_ISS, TH_IRS + 1);
	TH_EXPECT(h, 1, SEG_FIN | SEG_ACK, TH_ISS + 1, TH_IRS + 1);
}

/* With data queued, the FIN waits for ESTABLISHED and follows the data. */
static void
rfc9293_3_10_4_close_in_syn_received_queued_after_data(void **state)
{
	struct th	*h = *state = th_syn_received();
	struct seg	 s = th_tmpl(h);

	assert_int_equal(tcp_send(h->tp, "abc", 3, NULL), 3);
	tcp_close(h->tp, NULL);
	assert_int_equal(h->nout, 0);
	assert_int_equal(h->tp->state, TCPS_SYN_RECEIVED);
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_FIN_WAIT_1);
	assert_non_null(th_last(h));
	assert_int_equal(th_last(h)->flags, SEG_FIN | SEG_ACK | SEG_PSH);
	assert_int_equal(th_last(h)->seq, TH_ISS + 1);
	assert_int_equal(th_last(h)->len, 3);
}

static void
rfc1122_4_2_2_13_close_with_unread_data_sends_rst(void **state)
{
	struct th	*h = *state = th_established();

	th_in_data(h, "unread");
	th_clear(h);
	tcp_close(h->tp, NULL);
	TH_EXPECT(h, 0, SEG_RST, TH_ISS + 1, 0);
	assert_int_equal(h->nout, 1);
	assert_null(h->tp);
}

static void
rfc1122_4_2_2_13_data_after_close_sends_rst(void **state)
{
	struct th	*h = *state = th_established();

	tcp_close(h->tp, NULL);
	th_clear(h);
	th_in_data(h, "late");
	TH_EXPECT(h, 0, SEG_RST, TH_ISS + 2, 0);
	assert_null(h->tp);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_IN, 0)->what,
	    "data after close: RST sent");
}

static void
rfc9293_3_10_4_second_close_sends_no_second_fin(void **state)
{
	struct th	*h = *state = th_fin_wait_1();

	assert_int_equal(tcp_close(h->tp, NULL), 0);
	assert_int_equal(tcp_shutdown(h->tp, NULL), 0);
	assert_int_equal(h->nout, 0);
}

static void
rfc9293_3_10_2_send_after_shutdown_is_connection_closing(void **state)
{
	struct th	*h = *state = th_fin_wait_1();
	char		*err = NULL;

	assert_int_equal(tcp_send(h->tp, "x", 1, &err), -1);
	assert_string_equal(err, "connection closing");
	free(err);
}

static void
hook_no_auto_fin_holds_fin_until_asked(void **state)
{
	struct th	*h = *state = th_established();

	h->tp->hooks.no_auto_fin = 1;
	tcp_shutdown(h->tp, NULL);
	assert_int_equal(h->nout, 0);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	th_in_data(h, "still open");
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, h->r_nxt);
	th_clear(h);
	assert_int_equal(tcp_send_fin(h->tp, NULL), 0);
	assert_int_equal(h->tp->state, TCPS_FIN_WAIT_1);
	TH_EXPECT(h, 0, SEG_FIN | SEG_ACK, TH_ISS + 1, h->r_nxt);
	assert_int_equal(tcp_send_fin(h->tp, NULL), -1);
}

static void
rfc9293_3_10_8_fin_is_retransmitted(void **state)
{
	struct th	*h = *state = th_fin_wait_1();

	th_advance(h, TH_SEC);
	TH_EXPECT(h, 0, SEG_FIN | SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_OUT, 0)->what,
	    "retransmission (RTO)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_teardown(f, teardown)
		T(rfc9293_3_10_4_close_established_sends_fin_fin_wait_1),
		T(rfc9293_3_10_4_fin_follows_queued_data),
		T(rfc9293_3_6_active_close_full_sequence_to_time_wait),
		T(rfc9293_3_6_1_time_wait_lasts_2msl),
		T(rfc9293_3_10_7_4_time_wait_fin_retransmission_acked_restarts_2msl),
		T(rfc9293_3_6_passive_close_close_wait_last_ack_closed),
		T(rfc9293_3_10_7_4_fin_reports_eof_to_the_application),
		T(rfc9293_3_6_simultaneous_close_closing_then_time_wait),
		T(rfc9293_3_6_1_half_close_data_flows_to_the_closer),
		T(rfc9293_3_6_1_half_close_peer_sends_after_their_fin),
		T(rfc9293_3_10_5_abort_sends_rst_seq_snd_nxt),
		T(rfc9293_3_10_5_abort_in_time_wait_sends_nothing),
		T(rfc9293_3_10_4_close_in_syn_sent_deletes_silently),
		T(rfc9293_3_10_4_close_in_syn_received_sends_fin),
		T(rfc9293_3_10_4_close_in_syn_received_rexmit_syn_then_fin),
		T(rfc9293_3_10_4_close_in_syn_received_queued_after_data),
		T(rfc1122_4_2_2_13_close_with_unread_data_sends_rst),
		T(rfc1122_4_2_2_13_data_after_close_sends_rst),
		T(rfc9293_3_10_4_second_close_sends_no_second_fin),
		T(rfc9293_3_10_2_send_after_shutdown_is_connection_closing),
		T(hook_no_auto_fin_holds_fin_until_asked),
		T(rfc9293_3_10_8_fin_is_retransmitted),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
