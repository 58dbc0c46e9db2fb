/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_tcp_data.c: the data path: delivery and reassembly (RFC 9293
 * 3.10.7.4 seventh, SHLD-31), receive window management and window updates
 * (3.8.6), the zero window (3.8.6.1, MUST-66), delayed ACKs (3.8.6.3,
 * RFC 5681 4.2), the RFC 5961 ACK check, the sender's segmentation, and
 * the hooks that bend the routine work (no_auto_ack, a fixed window, the
 * output filter, raw segments).
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

static struct th *
est_cfg(const struct tcp_config *c)
{
	struct th	*h = th_new_cfg(c);

	th_do_syn_sent(h);
	th_do_established(h, NULL);
	th_clear(h);
	return h;
}

/* Data from the target at r_nxt + off. */
static void
data_at(struct th *h, uint32_t off, const char *text)
{
	struct seg	s = th_tmpl(h);

	s.seq = h->r_nxt + off;
	s.data = (const uint8_t *)text;
	s.len = strlen(text);
	th_in(h, &s);
}

static void
rfc9293_3_10_7_4_in_order_data_delivered_acked_and_reported(void **state)
{
	struct th	*h = *state = th_established();
	const struct th_ev *e;
	char		 buf[16];

	th_in_data(h, "hello");
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 6);
	e = th_find_ev(h, TCP_EV_RECV, 0);
	assert_non_null(e);
	assert_int_equal(e->n, 5);
	assert_int_equal(tcp_recv(h->tp, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(h->tp->stats.bytes_in, 5);
}

static void
rfc9293_shld_31_out_of_order_held_until_the_hole_fills(void **state)
{
	struct th	*h = *state = th_established();
	uint32_t	 r = h->r_nxt;
	char		 buf[32];

	data_at(h, 5, "world");
	/* RFC 5681 4.2: an immediate duplicate ACK. */
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, r);
	assert_int_equal(tcp_readable(h->tp), 0);
	assert_int_equal(h->tp->stats.ooo_segs, 1);
	data_at(h, 12, "!!");
	TH_EXPECT(h, 1, SEG_ACK, TH_ISS + 1, r);
	data_at(h, 10, "..");
	data_at(h, 0, "hello");
	/* The ACK that fills the hole covers everything held. */
	TH_EXPECT(h, 3, SEG_ACK, TH_ISS + 1, r + 14);
	assert_int_equal(tcp_recv(h->tp, buf, sizeof(buf)), 14);
	assert_memory_equal(buf, "helloworld..!!", 14);
	assert_null(h->tp->reass);
}

static void
rfc9293_3_10_7_4_overlapping_segments_keep_each_byte_once(void **state)
{
	struct th	*h = *state = th_established();
	char		 buf[32];

	data_at(h, 4, "EFGH");
	data_at(h, 2, "CDEF");		/* overlaps the queued piece */
	data_at(h, 6, "GHIJ");
	data_at(h, 1, "BCDEFGHIJK");	/* covers all of it */
	data_at(h, 0, "AB");		/* straddles RCV.NXT */
	assert_int_equal(tcp_recv(h->tp, buf, sizeof(buf)), 11);
	assert_memory_equal(buf, "ABCDEFGHIJK", 11);
	assert_int_equal(h->tp->rcv_nxt, h->r_nxt + 11);
	assert_int_equal(h->tp->reass_bytes, 0);
}

static void
rfc9293_3_10_7_4_old_part_of_a_straddling_segment_trimmed(void **state)
{
	struct th	*h = *state = th_established();
	char		 buf[16];

	th_in_data(h, "abc");
	data_at(h, (uint32_t)-3, "abcdef");	/* 3 old, 3 new */
	assert_int_equal(tcp_recv(h->tp, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "abcdef", 6);
}

static void
rfc9293_3_10_7_4_out_of_order_fin_waits_for_the_data(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s = th_tmpl(h);

	s.seq = h->r_nxt + 3;
	s.flags = SEG_ACK | SEG_FIN;
	th_in(h, &s);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
	th_in_data(h, "xyz");
	assert_int_equal(h->tp->state, TCPS_CLOSE_WAIT);
	TH_EXPECT(h, 1, SEG_ACK, TH_ISS + 1, h->r_nxt + 1);
}

static void
rfc9293_3_8_6_window_closes_when_the_application_stops_reading(void **state)
{
	struct tcp_config	 c;
	struct th		*h;
	char			 buf[4096];
	struct seg		 s;

	th_test_config(&c);
	c.rcvbuf = 3000;
	h = *state = est_cfg(&c);
	th_in_data(h, "x");
	assert_int_equal(th_last(h)->win, 2999);
	memset(buf, 'y', sizeof(buf));
	buf[2999] = '\0';
	th_in_data(h, buf);
	assert_int_equal(th_last(h)->win, 0);
	assert_int_equal(th_last(h)->ack, h->r_nxt);
	th_clear(h);
	/* Into the closed window: not acceptable, but acknowledged with
	 * the next expected sequence number and window 0 (3.8.6.1). */
	data_at(h, 0, "more");
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, h->r_nxt);
	assert_int_equal(th_out(h, 0)->win, 0);
	assert_int_equal(tcp_readable(h->tp), 3000);
	/* Reading opens it: a window update goes out. */
	th_clear(h);
	assert_int_equal(tcp_recv(h->tp, buf, 1000), 1000);
	assert_int_equal(h->nout, 0);		/* less than 2 segments */
	assert_int_equal(tcp_recv(h->tp, buf, 2000), 2000);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, h->r_nxt);
	assert_int_equal(th_out(h, 0)->win, 3000);
	/* And the ACK of a zero-window segment still moves SND.UNA. */
	(void)s;
}

static void
rfc9293_3_10_7_4_zero_window_still_takes_ack_and_rst_must_66(void **state)
{
	struct tcp_config	 c;
	struct th		*h;
	struct seg		 s;

	th_test_config(&c);
	c.rcvbuf = 4;
	h = *state = est_cfg(&c);
	tcp_send(h->tp, "out", 3, NULL);
	th_in_data(h, "full");
	assert_int_equal(th_last(h)->win, 0);
	/* Data at RCV.NXT into the zero window with an ACK: the ACK counts,
	 * the text does not. */
	th_clear(h);
	s = th_tmpl(h);
	s.data = (const uint8_t *)"z";
	s.len = 1;
	th_in(h, &s);
	assert_int_equal(h->tp->snd_una, TH_ISS + 4);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 4, h->r_nxt);
	/* A RST at RCV.NXT resets, zero window or not. */
	s = th_tmpl(h);
	s.flags = SEG_RST;
	th_in(h, &s);
	assert_null(h->tp);
}

static void
rfc9293_3_8_6_3_delayed_ack_under_500ms(void **state)
{
	struct tcp_config	 c;
	struct th		*h;
	uint64_t		 t0;

	th_test_config(&c);
	c.delack_us = 200 * MS;
	h = *state = est_cfg(&c);
	t0 = h->now;
	th_in_data(h, "one");
	assert_int_equal(h->nout, 0);
	th_advance(h, 200 * MS - 1);
	assert_int_equal(h->nout, 0);
	th_advance(h, 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, h->r_nxt);
	assert_true(h->out_at[0] - t0 < 500 * MS);
}

static void
rfc5681_4_2_ack_every_second_segment_and_out_of_order_at_once(void **state)
{
	struct tcp_config	 c;
	struct th		*h;

	th_test_config(&c);
	c.delack_us = 200 * MS;
	h = *state = est_cfg(&c);
	th_in_data(h, "one");
	th_in_data(h, "two");
	assert_int_equal(h->nout, 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, h->r_nxt);
	data_at(h, 10, "gap");
	assert_int_equal(h->nout, 2);
	th_advance(h, TH_SEC);
	assert_int_equal(h->nout, 2);		/* nothing pending */
}

static void
rfc5961_5_2_ack_below_the_window_dropped_with_an_ack(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s = th_tmpl(h);

	/* MAX.SND.WND is TH_WIN: an ACK older than SND.UNA - TH_WIN. */
	s.ack = TH_ISS + 1 - TH_WIN - 1;
	s.data = (const uint8_t *)"inject";
	s.len = 6;
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(tcp_readable(h->tp), 0);
	/* Within MAX.SND.WND it is only an old ACK: the data is taken. */
	th_clear(h);
	s.ack = TH_ISS + 1 - 10;
	th_in(h, &s);
	assert_int_equal(tcp_readable(h->tp), 6);
}

static void
rfc9293_3_10_7_4_ack_of_unsent_data_dropped_with_an_ack(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s = th_tmpl(h);

	s.ack = TH_ISS + 100;
	s.data = (const uint8_t *)"x";
	s.len = 1;
	th_in(h, &s);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(tcp_readable(h->tp), 0);
	assert_int_equal(h->tp->snd_una, TH_ISS + 1);
}

static void
rfc9293_3_10_7_4_old_segment_does_not_update_the_window(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s;

	th_in_data(h, "abc");
	th_in_data(h, "def");			/* SND.WL1 = its SEG.SEQ */
	s = th_tmpl(h);
	s.seq = h->r_nxt - 6;			/* SND.WL1 > SEG.SEQ */
	s.win = 1;
	s.data = (const uint8_t *)"abcdefg";
	s.len = 7;
	th_in(h, &s);
	assert_int_equal(h->tp->snd_wnd, TH_WIN);
	assert_int_equal(tcp_readable(h->tp), 7);	/* the new byte taken */
}

static void
rfc9293_3_7_sender_segments_by_mss_and_send_window(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s = th_tmpl(h);

	s.win = 2500;
	th_in(h, &s);
	tcp_send(h->tp, blob, 5000, NULL);
	/* Two full segments; the 500 bytes left in the window wait (sender
	 * SWS avoidance, next test). */
	assert_int_equal(h->nout, 2);
	assert_int_equal(th_out(h, 0)->len, 1000);
	assert_int_equal(th_out(h, 1)->len, 1000);
	assert_false(th_out(h, 0)->flags & SEG_PSH);
	/* MUST-61: PSH on the segment that empties the buffer. */
	th_clear(h);
	s = th_tmpl(h);
	s.win = 65535;
	th_in(h, &s);
	assert_true(th_last(h)->flags & SEG_PSH);
	assert_int_equal(th_last(h)->seq + th_last(h)->len, TH_ISS + 5001);
}

static void
rfc9293_3_8_6_2_1_sender_sws_avoidance_must_38(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s = th_tmpl(h);

	/* MAX.SND.WND is TH_WIN; the window now 300: less than a segment,
	 * less than half the largest window, and not all the data. */
	s.win = 300;
	th_in(h, &s);
	tcp_send(h->tp, blob, 5000, NULL);
	assert_int_equal(h->nout, 0);
	/* Nothing in flight to clock it out: the persist timer forces what
	 * fits after an RTO. */
	th_advance(h, TH_SEC);
	assert_int_equal(h->nout, 1);
	assert_int_equal(th_out(h, 0)->len, 300);
	/* The window opens: full segments, as cwnd (4000) allows. */
	th_clear(h);
	s = th_tmpl(h);
	s.ack = TH_ISS + 301;
	s.win = 65535;
	th_in(h, &s);
	assert_int_equal(h->nout, 4);
	assert_int_equal(th_out(h, 3)->len, 1000);
}

static void
hook_nagle_holds_a_short_segment_while_data_is_in_flight(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s;

	h->tp->hooks.nagle = 1;
	tcp_send(h->tp, "a", 1, NULL);		/* nothing in flight: goes */
	tcp_send(h->tp, "b", 1, NULL);		/* waits for the ACK */
	tcp_send(h->tp, "c", 1, NULL);
	assert_int_equal(h->nout, 1);
	s = th_tmpl(h);
	s.ack = TH_ISS + 2;
	th_in(h, &s);
	TH_EXPECT(h, 1, SEG_ACK | SEG_PSH, TH_ISS + 2, TH_IRS + 1);
	assert_int_equal(th_out(h, 1)->len, 2);
}

static void
rfc9293_3_10_2_data_queued_in_syn_sent_goes_after_the_handshake(void **state)
{
	struct th	*h = *state = th_syn_sent();

	assert_int_equal(tcp_send(h->tp, "early", 5, NULL), 5);
	assert_int_equal(h->nout, 0);
	th_do_established(h, NULL);
	TH_EXPECT(h, 0, SEG_ACK | SEG_PSH, TH_ISS + 1, TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 5);
}

static void
rfc9293_3_10_2_send_buffer_bounded_by_sndbuf_max(void **state)
{
	struct th	*h = *state = th_established();

	h->tp->sndbuf_max = 3000;
	assert_int_equal(tcp_send(h->tp, blob, 5000, NULL), 3000);
	assert_int_equal(tcp_send(h->tp, blob, 5000, NULL), 0);
}

static void
rfc9293_3_10_7_4_urgent_pointer_reported(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s = th_tmpl(h);

	s.flags = SEG_ACK | SEG_URG;
	s.urp = 3;
	s.data = (const uint8_t *)"urgent";
	s.len = 6;
	th_in(h, &s);
	assert_int_equal(th_count_ev(h, TCP_EV_URG), 1);
	assert_int_equal(h->tp->rcv_up, h->r_nxt + 3);
}

static void
hook_no_auto_ack_sends_no_ack_until_asked(void **state)
{
	struct th	*h = *state = th_established();

	h->tp->hooks.no_auto_ack = 1;
	th_in_data(h, "quiet");
	data_at(h, 10, "gap");
	assert_int_equal(h->nout, 0);
	tcp_ack_now(h->tp);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, h->r_nxt);
	/* Data going out still carries the acknowledgment. */
	tcp_send(h->tp, "x", 1, NULL);
	TH_EXPECT(h, 1, SEG_ACK | SEG_PSH, TH_ISS + 1, h->r_nxt);
}

static void
hook_no_auto_ack_withholds_the_third_ack_of_the_handshake(void **state)
{
	struct th	*h = *state = th_new();
	struct tcb	*tp = tcp_new(h->st, &h->tuple, NULL);

	tp->hooks.no_auto_ack = 1;
	tp->hooks.iss_set = 1;
	tp->hooks.iss = TH_ISS;
	h->tp = tp;
	tcp_connect(tp, NULL);
	th_clear(h);
	th_do_established(h, NULL);
	assert_int_equal(tp->state, TCPS_ESTABLISHED);
	assert_int_equal(h->nout, 0);
}

static void
hook_win_set_advertises_a_fixed_window(void **state)
{
	struct th	*h = *state = th_established();
	char		 buf[8];

	h->tp->hooks.win_set = 1;
	h->tp->hooks.win = 3;
	th_in_data(h, "ab");
	assert_int_equal(th_last(h)->win, 3);
	/* The acceptability test follows the window advertised. */
	data_at(h, 3, "z");
	TH_EXPECT(h, 1, SEG_ACK, TH_ISS + 1, h->r_nxt);
	assert_int_equal(h->tp->reass_bytes, 0);
	assert_int_equal(tcp_recv(h->tp, buf, sizeof(buf)), 2);
}

static int
filter(struct tcb *tp, struct seg *s, void *arg)
{
	int	*n = arg;

	(void)tp;
	if ((*n)++ == 0)
		return 1;		/* drop the first */
	s->win = 7;			/* bend the others */
	return 0;
}

static void
hook_out_filter_bends_or_drops_segments(void **state)
{
	struct th	*h = *state = th_established();
	int		 n = 0;

	h->tp->hooks.out_filter = filter;
	h->tp->hooks.out_arg = &n;
	th_in_data(h, "a");
	assert_int_equal(h->nout, 0);
	assert_int_equal(h->tp->rcv_nxt, h->r_nxt);	/* TCB moved on */
	th_in_data(h, "b");
	assert_int_equal(h->nout, 1);
	assert_int_equal(th_out(h, 0)->win, 7);
	assert_int_equal(th_count_ev(h, TCP_EV_SEG_OUT), 1);
}

static void
hook_send_raw_leaves_the_tcb_alone(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s;
	uint32_t	 nxt = h->tp->snd_max;

	tcp_seg_template(h->tp, &s);
	assert_int_equal(s.seq, nxt);
	assert_int_equal(s.ack, TH_IRS + 1);
	s.flags = SEG_FIN | SEG_PSH | SEG_URG | SEG_ACK;
	s.seq = 0xdeadbeef;
	s.win = 1;
	s.data = (const uint8_t *)"raw";
	s.len = 3;
	assert_int_equal(tcp_send_raw(h->tp, &s, 0, NULL), 0);
	TH_EXPECT(h, 0, SEG_FIN | SEG_PSH | SEG_URG | SEG_ACK, 0xdeadbeef,
	    TH_IRS + 1);
	assert_int_equal(th_out(h, 0)->len, 3);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_OUT, 0)->what, "raw");
	assert_int_equal(h->tp->snd_max, nxt);
	assert_int_equal(h->tp->state, TCPS_ESTABLISHED);
}

static void
hook_send_raw_advance_takes_the_segment_as_sent(void **state)
{
	struct th	*h = *state = th_established();
	struct seg	 s;
	char		*err = NULL;

	tcp_seg_template(h->tp, &s);
	s.flags = SEG_ACK | SEG_FIN;
	s.data = (const uint8_t *)"bye";
	s.len = 3;
	assert_int_equal(tcp_send_raw(h->tp, &s, TCP_RAW_ADVANCE, NULL), 0);
	assert_int_equal(h->tp->snd_max, TH_ISS + 5);
	assert_int_equal(h->tp->state, TCPS_FIN_WAIT_1);
	/* It is retransmitted like any data. */
	th_clear(h);
	th_advance(h, TH_SEC);
	assert_int_equal(th_out(h, 0)->len, 3);
	assert_true(th_out(h, 0)->flags & SEG_FIN);
	/* Not at SND.NXT: refused. */
	s.seq = 1;
	assert_int_equal(tcp_send_raw(h->tp, &s, TCP_RAW_ADVANCE, &err), -1);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_teardown(f, teardown)
		T(rfc9293_3_10_7_4_in_order_data_delivered_acked_and_reported),
		T(rfc9293_shld_31_out_of_order_held_until_the_hole_fills),
		T(rfc9293_3_10_7_4_overlapping_segments_keep_each_byte_once),
		T(rfc9293_3_10_7_4_old_part_of_a_straddling_segment_trimmed),
		T(rfc9293_3_10_7_4_out_of_order_fin_waits_for_the_data),
		T(rfc9293_3_8_6_window_closes_when_the_application_stops_reading),
		T(rfc9293_3_10_7_4_zero_window_still_takes_ack_and_rst_must_66),
		T(rfc9293_3_8_6_3_delayed_ack_under_500ms),
		T(rfc5681_4_2_ack_every_second_segment_and_out_of_order_at_once),
		T(rfc5961_5_2_ack_below_the_window_dropped_with_an_ack),
		T(rfc9293_3_10_7_4_ack_of_unsent_data_dropped_with_an_ack),
		T(rfc9293_3_10_7_4_old_segment_does_not_update_the_window),
		T(rfc9293_3_7_sender_segments_by_mss_and_send_window),
		T(rfc9293_3_8_6_2_1_sender_sws_avoidance_must_38),
		T(hook_nagle_holds_a_short_segment_while_data_is_in_flight),
		T(rfc9293_3_10_2_data_queued_in_syn_sent_goes_after_the_handshake),
		T(rfc9293_3_10_2_send_buffer_bounded_by_sndbuf_max),
		T(rfc9293_3_10_7_4_urgent_pointer_reported),
		T(hook_no_auto_ack_sends_no_ack_until_asked),
		T(hook_no_auto_ack_withholds_the_third_ack_of_the_handshake),
		T(hook_win_set_advertises_a_fixed_window),
		T(hook_out_filter_bends_or_drops_segments),
		T(hook_send_raw_leaves_the_tcb_alone),
		T(hook_send_raw_advance_takes_the_segment_as_sent),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
