/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_tcp_rexmt.c: the timers, on the fake clock: the RFC 6298 RTO (initial
 * value, SRTT/RTTVAR, back-off, cap, Karn's rule, the 3 s rule after a SYN
 * timeout), giving up (RFC 9293 3.8.3), fast retransmit and NewReno recovery
 * (RFC 5681, RFC 6582), the congestion window, zero-window probes (RFC 9293
 * 3.8.6.1) and keep-alives (3.8.4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcp_helper.h"
#include "tcp_var.h"

#define MS	1000ULL

static char	 blob[65536];

static int
teardown(void **state)
{
	th_free(*state);
	return 0;
}

/* An established connection on a harness with config c (NULL: tests'). */
static struct th *
est_cfg(const struct tcp_config *c)
{
	struct tcp_config	 d;
	struct th		*h;

	if (c == NULL) {
		th_test_config(&d);
		c = &d;
	}
	h = th_new_cfg(c);
	th_do_syn_sent(h);
	th_advance(h, 100 * MS);	/* the handshake's RTT sample: 100 ms */
	th_do_established(h, NULL);
	th_clear(h);
	return h;
}

/* Times (relative to t0) at which segment i of the output went out. */
static uint64_t
at(const struct th *h, int i, uint64_t t0)
{
	return h->out_at[i] - t0;
}

static void
rfc6298_2_1_initial_rto_1s_syn_retransmitted_with_back_off(void **state)
{
	struct th	*h = *state = th_syn_sent();
	uint64_t	 t0 = h->now;

	th_advance(h, TH_SEC - 1);
	assert_int_equal(h->nout, 0);
	th_advance(h, 1);
	TH_EXPECT(h, 0, SEG_SYN, TH_ISS, 0);
	assert_int_equal(at(h, 0, t0), TH_SEC);
	th_advance(h, 2 * TH_SEC);
	th_advance(h, 4 * TH_SEC);
	assert_int_equal(h->nout, 3);
	assert_int_equal(at(h, 1, t0), 3 * TH_SEC);
	assert_int_equal(at(h, 2, t0), 7 * TH_SEC);
	assert_int_equal(h->tp->stats.rexmits, 3);
}

static void
rfc9293_3_8_3_syn_given_up_after_syn_rexmits(void **state)
{
	struct th	*h = *state = th_syn_sent();
	uint64_t	 t0 = h->now;

	/* MUST-23: a SYN is retransmitted for at least 3 minutes: 7
	 * retransmissions at 1, 3, 7, 15, 31, 63 and 123 s (the 60 s cap);
	 * the 8th expiry ends it at 183 s. */
	th_advance(h, 182 * TH_SEC);
	assert_int_equal(h->nout, 7);
	assert_non_null(h->tp);
	th_advance(h, TH_SEC);
	assert_null(h->tp);
	assert_int_equal(th_find_ev(h, TCP_EV_CLOSED, 0)->reason,
	    TCP_R_TIMEOUT);
	assert_int_equal(th_find_ev(h, TCP_EV_CLOSED, 0)->now - t0,
	    183 * TH_SEC);
}

static void
rfc6298_5_5_rto_doubles_up_to_the_60s_cap(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	static const uint64_t	gaps[] = { 1, 2, 4, 8, 16, 32, 60, 60 };
	uint64_t	 t = h->now;
	size_t		 i;

	tcp_send(h->tp, "data", 4, NULL);
	for (i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
		th_advance(h, gaps[i] * TH_SEC);
		t += gaps[i] * TH_SEC;
		assert_int_equal(h->nout, (int)i + 2);
		assert_int_equal(h->out_at[i + 1], t);
		TH_EXPECT(h, (int)i + 1, SEG_ACK | SEG_PSH, TH_ISS + 1,
		    TH_IRS + 1);
	}
}

static void
rfc6298_2_2_2_3_srtt_rttvar_and_rto_from_samples(void **state)
{
	struct tcp_config	 c;
	struct th		*h;
	struct seg		 s;

	th_test_config(&c);
	c.rto_min_us = 10 * MS;
	h = *state = est_cfg(&c);
	/* The SYN, ACKed after R = 100 ms: SRTT = R, RTTVAR = R/2,
	 * RTO = SRTT + max(G, 4*RTTVAR). */
	assert_int_equal(h->tp->srtt, 100000);
	assert_int_equal(h->tp->rttvar, 50000);
	assert_int_equal(h->tp->rto, 300000);
	tcp_send(h->tp, "b", 1, NULL);
	th_advance(h, 200 * MS);
	s = th_tmpl(h);
	th_in(h, &s);
	/* R' = 200 ms: RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5 ms,
	 * SRTT = 7/8*100 + 1/8*200 = 112.5 ms, RTO = 112.5 + 250 ms. */
	assert_int_equal(h->tp->rttvar, 62500);
	assert_int_equal(h->tp->srtt, 112500);
	assert_int_equal(h->tp->rto, 362500);
	tcp_send(h->tp, "c", 1, NULL);
	assert_int_equal(tcp_next_timer(h->st), h->now + 362500);
}

static void
rfc6298_2_4_rto_floor_is_one_second(void **state)
{
	struct th	*h = *state = est_cfg(NULL);

	assert_int_equal(h->tp->srtt, 100000);
	assert_int_equal(h->tp->rto, TH_SEC);	/* not 300 ms */
}

static void
rfc6298_3_karn_no_sample_from_a_retransmitted_segment(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;

	tcp_send(h->tp, "a", 1, NULL);
	th_advance(h, TH_SEC);			/* RTO: sent again */
	assert_int_equal(h->nout, 2);
	assert_int_equal(h->tp->rxtshift, 1);
	th_advance(h, 50 * MS);
	s = th_tmpl(h);
	th_in(h, &s);
	/* The ACK could be for either copy: no sample; the back-off is
	 * cleared. */
	assert_int_equal(h->tp->srtt, 100000);
	assert_int_equal(h->tp->rttvar, 50000);
	assert_int_equal(h->tp->rxtshift, 0);
	/* New data is timed again: 40 ms. */
	tcp_send(h->tp, "b", 1, NULL);
	th_advance(h, 40 * MS);
	s = th_tmpl(h);
	th_in(h, &s);
	assert_int_equal(h->tp->srtt, 92500);
}

static void
rfc6298_5_7_rto_3s_after_a_syn_timeout(void **state)
{
	struct th	*h = *state = th_syn_sent();
	struct seg	 s;

	th_advance(h, TH_SEC);			/* SYN retransmitted */
	th_advance(h, 500 * MS);
	s = th_tmpl_syn(h);
	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	h->r_nxt = TH_IRS + 1;
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	assert_int_equal(h->tp->rto, 3 * TH_SEC);
	tcp_send(h->tp, "x", 1, NULL);
	assert_int_equal(tcp_next_timer(h->st), h->now + 3 * TH_SEC);
}

static void
rfc6298_5_2_timer_off_when_everything_is_acked(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;

	tcp_send(h->tp, "abc", 3, NULL);
	assert_int_equal(tcp_next_timer(h->st), h->now + TH_SEC);
	s = th_tmpl(h);
	th_in(h, &s);
	assert_int_equal(tcp_next_timer(h->st), TCP_NO_TIMER);
	assert_int_equal(h->tp->snd.len, 0);
	assert_int_equal(th_find_ev(h, TCP_EV_ACKED, 0)->n, 3);
}

static void
rfc6298_5_3_ack_of_new_data_restarts_the_timer(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;

	tcp_send(h->tp, blob, 2000, NULL);
	th_advance(h, 400 * MS);
	s = th_tmpl(h);
	s.ack = TH_ISS + 1001;
	th_in(h, &s);
	assert_int_equal(tcp_next_timer(h->st), h->now + TH_SEC);
}

static void
rfc9293_3_8_3_data_given_up_after_max_rexmits(void **state)
{
	struct tcp_config	 c;
	struct th		*h;

	th_test_config(&c);
	c.max_rexmits = 3;
	h = *state = est_cfg(&c);
	tcp_send(h->tp, "x", 1, NULL);
	th_advance(h, 7 * TH_SEC);		/* 1 + 2 + 4 */
	assert_int_equal(h->nout, 4);
	assert_non_null(h->tp);
	th_advance(h, 8 * TH_SEC);
	assert_null(h->tp);
	assert_int_equal(th_find_ev(h, TCP_EV_CLOSED, 0)->reason,
	    TCP_R_TIMEOUT);
}

/*
 * R2 by time (RFC 1122 4.2.3.5): with a 3 s RTO (a handshake whose SYN
 * went again, RFC 6298 5.7), the data goes at 0, 3, 9, 21 and 45 s and is
 * given up at 63 s, not at the 5th expiry's 93 s; the last wait is cut
 * to 18 s.  The count still applies, and the time starts again with each
 * new acknowledgment.
 */
static void
rfc9293_3_8_3_data_given_up_at_r2_in_time(void **state)
{
	static const uint64_t	 want[] = { 0, 3, 9, 21, 45 };
	struct tcp_config	 c;
	struct th		*h;
	struct seg		 s;
	uint64_t		 t0;
	int			 i;

	th_test_config(&c);
	c.r2_us = 63 * TH_SEC;
	h = *state = est_cfg(&c);
	h->tp->rto = 3 * TH_SEC;
	/* An acknowledgment 50 s in starts the time again. */
	tcp_send(h->tp, "x", 1, NULL);
	th_advance(h, 50 * TH_SEC);
	s = th_tmpl(h);
	s.ack = TH_ISS + 2;
	th_in(h, &s);
	h->tp->rto = 3 * TH_SEC;
	th_clear(h);
	t0 = h->now;
	tcp_send(h->tp, "y", 1, NULL);
	th_advance(h, 63 * TH_SEC - 1);
	assert_non_null(h->tp);
	assert_int_equal(h->nout, 5);
	for (i = 0; i < 5; i++) {
		TH_EXPECT(h, i, SEG_PSH | SEG_ACK, TH_ISS + 2, TH_IRS + 1);
		assert_int_equal(at(h, i, t0), want[i] * TH_SEC);
	}
	assert_int_equal(tcp_next_timer(h->st), t0 + 63 * TH_SEC);
	th_advance(h, 1);
	assert_null(h->tp);
	assert_int_equal(h->nout, 5);
	assert_int_equal(th_find_ev(h, TCP_EV_CLOSED, 0)->reason,
	    TCP_R_TIMEOUT);
}

static void
rfc5681_3_1_initial_window_and_slow_start(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;

	/* SMSS 1000 (=< 1095): IW = 4 segments. */
	assert_int_equal(h->tp->cwnd, 4000);
	tcp_send(h->tp, blob, 8000, NULL);
	assert_int_equal(h->nout, 4);
	TH_EXPECT(h, 3, SEG_ACK, TH_ISS + 3001, TH_IRS + 1);
	assert_int_equal(th_out(h, 3)->len, 1000);
	/* Each ACK of a full segment grows cwnd by one SMSS, and lets two
	 * segments go. */
	s = th_tmpl(h);
	s.ack = TH_ISS + 1001;
	th_in(h, &s);
	assert_int_equal(h->tp->cwnd, 5000);
	assert_int_equal(h->nout, 6);
}

static void
rfc5681_3_1_congestion_avoidance_above_ssthresh(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;

	h->tp->ssthresh = 2000;
	tcp_send(h->tp, blob, 8000, NULL);
	s = th_tmpl(h);
	s.ack = TH_ISS + 1001;
	th_in(h, &s);
	/* cwnd += SMSS*SMSS/cwnd = 1000*1000/4000 */
	assert_int_equal(h->tp->cwnd, 4250);
}

static void
rfc5681_3_1_rto_sets_loss_window_and_ssthresh(void **state)
{
	struct th	*h = *state = est_cfg(NULL);

	tcp_send(h->tp, blob, 8000, NULL);
	th_clear(h);
	th_advance(h, TH_SEC);
	/* ssthresh = max(FlightSize/2, 2*SMSS) = 2000; cwnd = 1 SMSS: one
	 * segment goes again, from SND.UNA. */
	assert_int_equal(h->tp->ssthresh, 2000);
	assert_int_equal(h->tp->cwnd, 1000);
	assert_int_equal(h->nout, 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 1000);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_OUT, 0)->what,
	    "retransmission (RTO)");
}

/* Four segments out, then n duplicate ACKs of the first. */
static void
dupacks(struct th *h, int n)
{
	struct seg	s;
	int		i;

	for (i = 0; i < n; i++) {
		s = th_tmpl(h);
		s.ack = TH_ISS + 1;
		th_in(h, &s);
	}
}

static void
rfc5681_3_2_fast_retransmit_on_the_third_duplicate_ack(void **state)
{
	struct th	*h = *state = est_cfg(NULL);

	tcp_send(h->tp, blob, 4000, NULL);
	th_clear(h);
	dupacks(h, 2);
	assert_int_equal(h->nout, 0);
	dupacks(h, 1);
	assert_int_equal(h->nout, 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 1000);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_OUT, 0)->what,
	    "fast retransmit");
	/* ssthresh = FlightSize/2; cwnd = ssthresh + 3*SMSS */
	assert_int_equal(h->tp->ssthresh, 2000);
	assert_int_equal(h->tp->cwnd, 5000);
	assert_int_equal(h->tp->stats.fast_rexmits, 1);
}

static void
rfc5681_2_window_update_is_not_a_duplicate_ack(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;
	int		 i;

	tcp_send(h->tp, blob, 4000, NULL);
	th_clear(h);
	for (i = 0; i < 3; i++) {
		s = th_tmpl(h);
		s.ack = TH_ISS + 1;
		s.win = TH_WIN + 1000 * (i + 1);	/* (e) fails */
		th_in(h, &s);
	}
	assert_int_equal(h->tp->dupacks, 0);
	assert_int_equal(h->tp->stats.fast_rexmits, 0);
}

static void
rfc6582_partial_ack_retransmits_the_next_segment(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;

	tcp_send(h->tp, blob, 4000, NULL);
	dupacks(h, 3);
	th_clear(h);
	s = th_tmpl(h);
	s.ack = TH_ISS + 1001;			/* below recover */
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1001, TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 1000);
	assert_true(h->tp->flags & TF_RECOVERY);	/* still in recovery */
	s = th_tmpl(h);
	s.ack = TH_ISS + 4001;			/* full ACK */
	th_in(h, &s);
	assert_false(h->tp->flags & TF_RECOVERY);
	assert_int_equal(h->tp->cwnd, 1000 + 1000);	/* max(flight, SMSS)
							 * + SMSS, < ssthresh */
}

static void
rfc3042_limited_transmit_on_the_first_two_duplicate_acks(void **state)
{
	struct th	*h = *state = est_cfg(NULL);

	tcp_send(h->tp, blob, 8000, NULL);	/* cwnd: 4 segments out */
	th_clear(h);
	dupacks(h, 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 4001, TH_IRS + 1);
	dupacks(h, 1);
	TH_EXPECT(h, 1, SEG_ACK, TH_ISS + 5001, TH_IRS + 1);
	assert_int_equal(h->tp->cwnd, 4000);	/* unchanged */
	dupacks(h, 1);
	TH_EXPECT(h, 2, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_OUT, 2)->what,
	    "fast retransmit");
}

/* An established connection with SACK, four segments out. */
static struct th *
sack_est(void)
{
	struct tcp_config	 c;
	struct th		*h;
	struct seg		 s;

	th_test_config(&c);
	c.sack = 1;
	h = th_new_cfg(&c);
	th_do_syn_sent(h);
	th_advance(h, 100 * MS);
	s = th_tmpl_syn(h);
	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS + 1;
	seg_add_sackok(&s);
	th_do_established(h, &s);
	tcp_send(h->tp, blob, 4000, NULL);
	th_clear(h);
	return h;
}

static void
sack_ack(struct th *h, uint32_t ack, uint32_t l, uint32_t r, uint16_t win)
{
	struct seg	s = th_tmpl(h);

	s.ack = ack;
	s.win = win;
	seg_add_nop(&s);
	seg_add_nop(&s);
	seg_add_sack(&s, (struct seg_sack[]){ { l, r } }, 1);
	th_in(h, &s);
}

static void
rfc6675_sacked_bytes_start_recovery_whatever_the_window(void **state)
{
	struct th	*h = *state = sack_est();

	/* One ACK, not a duplicate by RFC 5681 (its window differs), but
	 * SACKing 3 segments above SND.UNA: more than (DupThresh - 1) *
	 * SMSS bytes.  The hole is retransmitted. */
	sack_ack(h, TH_ISS + 1, TH_ISS + 1001, TH_ISS + 4001, TH_WIN + 100);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 1000);
	assert_true(h->tp->flags & TF_RECOVERY);
}

static void
rfc8985_a_lost_retransmission_is_sent_again(void **state)
{
	struct th	*h = *state = sack_est();

	tcp_send(h->tp, blob, 4000, NULL);	/* more data waiting */
	sack_ack(h, TH_ISS + 1, TH_ISS + 1001, TH_ISS + 4001, TH_WIN);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);	/* the hole */
	/* Data sent after that retransmission gets SACKed while SND.UNA
	 * stays: the retransmission was lost; it goes again at once. */
	th_clear(h);
	sack_ack(h, TH_ISS + 1, TH_ISS + 1001, TH_ISS + 5001, TH_WIN);
	sack_ack(h, TH_ISS + 1, TH_ISS + 1001, TH_ISS + 6001, TH_WIN);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_OUT, 0)->what,
	    "lost retransmission");
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(h->tp->stats.rto_expiries, 0);
}

static void
rfc6298_rtt_sample_beyond_the_cap_ignored(void **state)
{
	struct th	*h = *state = th_new();

	/* A stale clock: the SYN goes at 0, the stack hears of real time
	 * only with the SYN-ACK an hour later.  No RTO of 60 s follows. */
	th_do_syn_sent(h);
	h->now = 3600 * TH_SEC;
	th_do_established(h, NULL);
	assert_int_equal(h->tp->srtt, 0);
	assert_int_equal(h->tp->rto, TH_SEC);
}

static void
hook_no_retransmit_stops_rto_and_fast_retransmit(void **state)
{
	struct th	*h = *state = est_cfg(NULL);

	h->tp->hooks.no_retransmit = 1;
	tcp_send(h->tp, blob, 4000, NULL);
	th_clear(h);
	dupacks(h, 5);
	th_advance(h, 200 * TH_SEC);
	assert_int_equal(h->nout, 0);
	assert_non_null(h->tp);
}

/* Zero window: the target advertises 0 before we have data. */
static void
zero_window(struct th *h)
{
	struct seg	s = th_tmpl(h);

	s.win = 0;
	th_in(h, &s);
	assert_int_equal(h->tp->snd_wnd, 0);
}

static void
rfc9293_3_8_6_1_zero_window_probed_after_rto_with_back_off(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;
	uint64_t	 t0 = h->now;
	int		 i;

	zero_window(h);
	tcp_send(h->tp, blob, 100, NULL);
	assert_int_equal(h->nout, 0);
	for (i = 0; i < 4; i++) {
		th_advance(h, (TH_SEC << i) - 1);
		assert_int_equal(h->nout, i);
		th_advance(h, 1);
		assert_int_equal(h->nout, i + 1);
		/* One byte of the waiting data, at SND.UNA. */
		TH_EXPECT(h, i, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
		assert_int_equal(th_out(h, i)->len, 1);
		assert_string_equal(th_find_ev(h, TCP_EV_SEG_OUT, i)->what,
		    "zero-window probe");
		s = th_tmpl(h);
		s.ack = TH_ISS + 1;
		s.win = 0;
		th_in(h, &s);
	}
	assert_int_equal(h->out_at[3] - t0, 15 * TH_SEC);
	/* The window opens: the data goes. */
	th_clear(h);
	s = th_tmpl(h);
	s.ack = TH_ISS + 1;
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_ACK | SEG_PSH, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 100);
	assert_int_equal(h->tp->timer[TT_PERSIST], 0);
}

static void
rfc9293_3_8_6_1_probes_never_give_up_must_37(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;
	int		 i;

	zero_window(h);
	tcp_send(h->tp, blob, 100, NULL);
	for (i = 0; i < 40; i++) {
		th_advance(h, 60 * TH_SEC);
		s = th_tmpl(h);
		s.ack = TH_ISS + 1;
		s.win = 0;
		th_in(h, &s);
	}
	assert_non_null(h->tp);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	assert_true(h->nout >= 40);
}

static void
rfc9293_3_8_6_1_accepted_probe_byte_advances(void **state)
{
	struct th	*h = *state = est_cfg(NULL);
	struct seg	 s;

	zero_window(h);
	tcp_send(h->tp, blob, 100, NULL);
	th_advance(h, TH_SEC);
	th_clear(h);
	s = th_tmpl(h);
	s.ack = TH_ISS + 2;			/* the probe byte taken */
	s.win = 1000;
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_ACK | SEG_PSH, TH_ISS + 2, TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 99);
}

static void
rfc9293_3_8_4_keep_alive_probes_after_idle_then_give_up(void **state)
{
	struct tcp_config	 c;
	struct th		*h;
	struct seg		 s;

	th_test_config(&c);
	c.keep_idle_us = 10 * TH_SEC;
	c.keep_intvl_us = TH_SEC;
	c.keep_count = 3;
	h = *state = est_cfg(&c);
	th_advance(h, 10 * TH_SEC - 1);
	assert_int_equal(h->nout, 0);
	th_advance(h, 1);
	/* <SEQ=SND.UNA-1><ACK=RCV.NXT> */
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS, TH_IRS + 1);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_OUT, 0)->what,
	    "keep-alive");
	/* An answer resets the count and the idle time. */
	s = th_tmpl(h);
	th_in(h, &s);
	th_advance(h, 10 * TH_SEC - 1);
	assert_int_equal(h->nout, 1);
	th_advance(h, 1 + 2 * TH_SEC);
	assert_int_equal(h->nout, 4);		/* probes at 20, 21, 22 s */
	assert_non_null(h->tp);		/* one unanswered probe is not death */
	th_advance(h, TH_SEC);
	assert_null(h->tp);
	assert_int_equal(th_find_ev(h, TCP_EV_CLOSED, 0)->reason,
	    TCP_R_TIMEOUT);
}

static void
rfc9293_3_8_4_keep_alive_off_by_default_must_25(void **state)
{
	struct th	*h = *state = est_cfg(NULL);

	th_advance(h, 3 * 3600 * TH_SEC);
	assert_int_equal(h->nout, 0);
	assert_int_equal(tcp_next_timer(h->st), TCP_NO_TIMER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_teardown(f, teardown)
		T(rfc6298_2_1_initial_rto_1s_syn_retransmitted_with_back_off),
		T(rfc9293_3_8_3_syn_given_up_after_syn_rexmits),
		T(rfc6298_5_5_rto_doubles_up_to_the_60s_cap),
		T(rfc6298_2_2_2_3_srtt_rttvar_and_rto_from_samples),
		T(rfc6298_2_4_rto_floor_is_one_second),
		T(rfc6298_3_karn_no_sample_from_a_retransmitted_segment),
		T(rfc6298_5_7_rto_3s_after_a_syn_timeout),
		T(rfc6298_5_2_timer_off_when_everything_is_acked),
		T(rfc6298_5_3_ack_of_new_data_restarts_the_timer),
		T(rfc9293_3_8_3_data_given_up_after_max_rexmits),
		T(rfc9293_3_8_3_data_given_up_at_r2_in_time),
		T(rfc5681_3_1_initial_window_and_slow_start),
		T(rfc5681_3_1_congestion_avoidance_above_ssthresh),
		T(rfc5681_3_1_rto_sets_loss_window_and_ssthresh),
		T(rfc5681_3_2_fast_retransmit_on_the_third_duplicate_ack),
		T(rfc5681_2_window_update_is_not_a_duplicate_ack),
		T(rfc6582_partial_ack_retransmits_the_next_segment),
		T(rfc3042_limited_transmit_on_the_first_two_duplicate_acks),
		T(rfc6675_sacked_bytes_start_recovery_whatever_the_window),
		T(rfc8985_a_lost_retransmission_is_sent_again),
		T(rfc6298_rtt_sample_beyond_the_cap_ignored),
		T(hook_no_retransmit_stops_rto_and_fast_retransmit),
		T(rfc9293_3_8_6_1_zero_window_probed_after_rto_with_back_off),
		T(rfc9293_3_8_6_1_probes_never_give_up_must_37),
		T(rfc9293_3_8_6_1_accepted_probe_byte_advances),
		T(rfc9293_3_8_4_keep_alive_probes_after_idle_then_give_up),
		T(rfc9293_3_8_4_keep_alive_off_by_default_must_25),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
