/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_tcp_opts.c: the peer's options: MSS (RFC 9293 3.7.1, RFC 6691), window
 * scale and timestamps with PAWS (RFC 7323), SACK-permitted and SACK blocks
 * sent and used (RFC 2018), and the hooks that choose the SYN's options.
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
#include "tcp_var.h"

#define TS_PEER	500u		/* the target's first TSval */

static char	 blob[65536];

static int
teardown(void **state)
{
	th_free(*state);
	return 0;
}

/* A harness offering everything: wscale 7, SACK, timestamps. */
static struct th *
opt_harness(void)
{
	struct tcp_config	c;

	th_test_config(&c);
	c.wscale = 7;
	c.sack = 1;
	c.ts = 1;
	return th_new_cfg(&c);
}

/* Their SYN-ACK; ws < 0: no WS option; sack, ts: include those. */
static struct seg
synack(struct th *h, int ws, int sack, int ts)
{
	struct seg	s = th_tmpl_syn(h);

	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS + 1;
	if (sack)
		seg_add_sackok(&s);
	if (ts)
		seg_add_ts(&s, TS_PEER, tcp_ts_now(h->tp));
	if (ws >= 0) {
		seg_add_nop(&s);
		seg_add_wscale(&s, (uint8_t)ws);
	}
	return s;
}

/* h, once it has opened and their SYN-ACK (synack()) came. */
static struct th *
established(struct th *h, int ws, int sack, int ts)
{
	struct seg	 s;

	th_do_syn_sent(h);
	s = synack(h, ws, sack, ts);
	th_do_established(h, &s);
	th_clear(h);
	return h;
}

static struct th *
opt_established(int ws, int sack, int ts)
{
	return established(opt_harness(), ws, sack, ts);
}

/* A segment from the target with a timestamp. */
static struct seg
tmpl_ts(struct th *h, uint32_t tsval)
{
	struct seg	s = th_tmpl(h);

	seg_add_nop(&s);
	seg_add_nop(&s);
	seg_add_ts(&s, tsval, h->tp->last_ack_sent);
	return s;
}

static void
rfc9293_3_7_1_syn_offers_mss_sackok_ts_wscale(void **state)
{
	struct th	*h = *state = opt_harness();
	const struct seg *s;
	static const uint8_t kinds[] = { TCPOPT_MSS, TCPOPT_SACK_PERM,
	    TCPOPT_TIMESTAMP, TCPOPT_NOP, TCPOPT_WSCALE };
	int		 i;

	th_do_syn_sent(h);
	s = th_out(h, 0);
	assert_int_equal(s->nopts, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(s->opts[i].kind, kinds[i]);
	assert_int_equal(s->mss, 1460);
	assert_int_equal(s->wscale, 7);
	assert_int_equal(s->tsval, tcp_ts_now(h->tp));
	assert_int_equal(s->tsecr, 0);
	assert_int_equal(s->win, 65535);	/* a SYN's window: unscaled */
}

static void
rfc7323_2_2_window_scale_applied_both_ways(void **state)
{
	struct th	*h = *state = opt_established(3, 1, 1);
	struct seg	 s;

	assert_true(h->tp->flags & TCPF_WS);
	assert_int_equal(h->tp->snd_scale, 3);
	assert_int_equal(h->tp->rcv_scale, 7);
	/* The SYN-ACK's window is not scaled. */
	assert_int_equal(h->tp->snd_wnd, TH_WIN);
	s = tmpl_ts(h, TS_PEER);
	s.win = 100;
	th_in(h, &s);
	assert_int_equal(h->tp->snd_wnd, 800);
	/* Ours: 256 KiB of buffer >> 7. */
	tcp_ack_now(h->tp);
	assert_int_equal(th_last(h)->win, 256 * 1024 >> 7);
}

static void
rfc7323_2_2_no_scaling_unless_both_syns_carry_it(void **state)
{
	struct th	*h = *state = opt_established(-1, 1, 1);
	struct seg	 s;

	assert_false(h->tp->flags & TCPF_WS);
	assert_int_equal(h->tp->snd_scale, 0);
	assert_int_equal(h->tp->rcv_scale, 0);
	s = tmpl_ts(h, TS_PEER);
	s.win = 100;
	th_in(h, &s);
	assert_int_equal(h->tp->snd_wnd, 100);
	tcp_ack_now(h->tp);
	assert_int_equal(th_last(h)->win, 65535);
}

static void
rfc7323_2_3_shift_above_14_is_taken_as_14(void **state)
{
	struct th	*h = *state = opt_established(15, 0, 0);
	struct seg	 s = th_tmpl(h);

	assert_int_equal(h->tp->snd_scale, 14);
	s.win = 1;
	th_in(h, &s);
	assert_int_equal(h->tp->snd_wnd, 1u << 14);
}

static void
rfc7323_3_2_timestamps_on_every_segment_echoing_ts_recent(void **state)
{
	struct th	*h = *state = opt_harness();
	struct seg	 s;
	const struct seg *o;

	th_do_syn_sent(h);
	th_advance(h, 5000);
	s = synack(h, 7, 1, 1);
	th_do_established(h, &s);
	o = th_last(h);
	assert_true(o->has & SEG_HAS_TS);
	assert_int_equal(o->tsecr, TS_PEER);
	assert_int_equal(o->tsval, 5 + h->tp->ts_offset);
	th_clear(h);
	s = tmpl_ts(h, TS_PEER + 7);
	s.data = (const uint8_t *)"x";
	s.len = 1;
	th_in(h, &s);
	o = th_last(h);
	assert_true(o->has & SEG_HAS_TS);
	assert_int_equal(o->tsecr, TS_PEER + 7);
	/* And on data and FIN. */
	tcp_send(h->tp, "abc", 3, NULL);
	assert_true(th_last(h)->has & SEG_HAS_TS);
	tcp_shutdown(h->tp, NULL);
	assert_true(th_last(h)->has & SEG_HAS_TS);
}

static void
rfc7323_5_3_paws_drops_an_old_tsval_and_acks(void **state)
{
	struct th	*h = *state = opt_established(7, 1, 1);
	struct seg	 s = tmpl_ts(h, TS_PEER - 1);

	s.data = (const uint8_t *)"old";
	s.len = 3;
	th_in(h, &s);
	assert_int_equal(tcp_readable(h->tp), 0);
	assert_int_equal(h->tp->rcv_nxt, TH_IRS + 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);
	assert_string_equal(th_find_ev(h, TCP_EV_SEG_IN, 0)->what,
	    "PAWS: TSval older than TS.Recent: ACK sent, dropped");
	assert_int_equal(h->tp->ts_recent, TS_PEER);
}

static void
rfc7323_5_3_paws_does_not_apply_to_rst(void **state)
{
	struct th	*h = *state = opt_established(7, 1, 1);
	struct seg	 s = tmpl_ts(h, TS_PEER - 100);

	s.flags = SEG_RST;
	th_in(h, &s);
	assert_null(h->tp);
}

static void
rfc7323_4_3_ts_recent_only_from_the_left_edge(void **state)
{
	struct th	*h = *state = opt_established(7, 1, 1);
	struct seg	 s = tmpl_ts(h, TS_PEER + 50);

	s.seq = h->r_nxt + 100;			/* beyond Last.ACK.sent */
	s.data = (const uint8_t *)"later";
	s.len = 5;
	th_in(h, &s);
	assert_int_equal(h->tp->ts_recent, TS_PEER);
	s = tmpl_ts(h, TS_PEER + 60);
	s.data = (const uint8_t *)"now";
	s.len = 3;
	th_in(h, &s);
	assert_int_equal(h->tp->ts_recent, TS_PEER + 60);
}

static void
rfc2018_2_sack_permitted_in_syn_ack_only_if_offered(void **state)
{
	struct th	*h = *state = opt_harness();
	struct seg	 s;

	th_do_listen(h);
	s = th_tmpl_syn(h);			/* MSS only */
	th_in(h, &s);
	assert_int_equal(th_out(h, 0)->nopts, 1);
	assert_int_equal(th_out(h, 0)->opts[0].kind, TCPOPT_MSS);
	assert_false(h->tp->flags & (TCPF_SACK | TCPF_TS | TCPF_WS));
}

static void
rfc7323_2_2_passive_syn_ack_answers_the_offered_options(void **state)
{
	struct th	*h = *state = opt_harness();
	struct seg	 s;
	const struct seg *o;

	th_do_listen(h);
	s = th_tmpl_syn(h);
	seg_add_sackok(&s);
	seg_add_ts(&s, 77, 0);
	seg_add_nop(&s);
	seg_add_wscale(&s, 2);
	th_in(h, &s);
	o = th_out(h, 0);
	assert_true(o->has & SEG_HAS_SACKOK);
	assert_true(o->has & SEG_HAS_WSCALE);
	assert_int_equal(o->tsecr, 77);
	assert_true(h->tp->flags & TCPF_SACK);
	assert_true(h->tp->flags & TCPF_TS);
	assert_int_equal(h->tp->snd_scale, 2);
}

/* Data from the target at r_nxt + off, len bytes (timestamped). */
static void
ooo(struct th *h, uint32_t off, uint32_t len, int ts)
{
	struct seg	s = ts ? tmpl_ts(h, TS_PEER) : th_tmpl(h);

	s.seq = h->r_nxt + off;
	s.data = (const uint8_t *)blob;
	s.len = len;
	th_in(h, &s);
}

static void
expect_blocks(const struct seg *s, int n, const uint32_t *edges)
{
	int	i;

	assert_true(s->has & SEG_HAS_SACK);
	assert_int_equal(s->nsack, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(s->sack[i].left, edges[2 * i]);
		assert_int_equal(s->sack[i].right, edges[2 * i + 1]);
	}
}

static void
rfc2018_4_sack_blocks_first_is_most_recent(void **state)
{
	struct th	*h = *state = opt_established(7, 1, 1);
	uint32_t	 r = h->r_nxt;

	ooo(h, 10, 10, 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, r);	/* duplicate ACK at once */
	expect_blocks(th_out(h, 0), 1, (uint32_t[]){ r + 10, r + 20 });
	ooo(h, 30, 10, 1);
	expect_blocks(th_out(h, 1), 2,
	    (uint32_t[]){ r + 30, r + 40, r + 10, r + 20 });
	ooo(h, 50, 10, 1);
	expect_blocks(th_out(h, 2), 3,
	    (uint32_t[]){ r + 50, r + 60, r + 30, r + 40, r + 10, r + 20 });
	ooo(h, 20, 10, 1);			/* joins two blocks */
	expect_blocks(th_out(h, 3), 2,
	    (uint32_t[]){ r + 10, r + 40, r + 50, r + 60 });
	ooo(h, 0, 10, 1);			/* fills the first hole */
	TH_EXPECT(h, 4, SEG_ACK, TH_ISS + 1, r + 40);
	expect_blocks(th_out(h, 4), 1, (uint32_t[]){ r + 50, r + 60 });
	assert_int_equal(tcp_readable(h->tp), 40);
}

/*
 * RFC 2883 4: a receiver that reports duplicates (dsack, as serve) puts
 * the duplicate data first in the SACK option of the ACK that answers it,
 * before the usual blocks, once; one that does not (the tester's own
 * peer) sends the ACK with no block.
 */
static void
rfc2883_4_duplicate_reported_first_once(void **state)
{
	struct tcp_config	 c;
	struct th		*h;
	uint32_t		 r;

	th_test_config(&c);
	c.sack = 1;
	c.ts = 0;
	c.dsack = 1;
	h = *state = established(th_new_cfg(&c), 7, 1, 0);
	r = h->r_nxt;
	ooo(h, 0, 10, 0);
	ooo(h, 0, 10, 0);			/* the path's copy */
	TH_EXPECT(h, 1, SEG_ACK, TH_ISS + 1, r + 10);
	expect_blocks(th_out(h, 1), 1, (uint32_t[]){ r, r + 10 });
	ooo(h, 20, 10, 0);			/* a hole, then a copy */
	expect_blocks(th_last(h), 1, (uint32_t[]){ r + 20, r + 30 });
	ooo(h, 0, 10, 0);
	expect_blocks(th_last(h), 2,
	    (uint32_t[]){ r, r + 10, r + 20, r + 30 });
	ooo(h, 10, 10, 0);			/* fills: reported no more */
	TH_EXPECT(h, 4, SEG_ACK, TH_ISS + 1, r + 30);
	assert_false(th_last(h)->has & SEG_HAS_SACK);
	th_free(h);
	c.dsack = 0;
	h = *state = established(th_new_cfg(&c), 7, 1, 0);
	ooo(h, 0, 10, 0);
	ooo(h, 0, 10, 0);
	assert_false(th_last(h)->has & SEG_HAS_SACK);
}

static void
rfc2018_4_three_blocks_beside_timestamps_four_without(void **state)
{
	struct th	*h = *state = opt_established(7, 1, 0);
	uint32_t	 r = h->r_nxt;
	int		 i;

	for (i = 0; i < 5; i++)
		ooo(h, 10 + 20 * (uint32_t)i, 10, 0);
	assert_int_equal(th_last(h)->nsack, 4);
	assert_int_equal(th_last(h)->sack[0].left, r + 90);
	th_free(h);
	h = *state = opt_established(7, 1, 1);
	for (i = 0; i < 5; i++)
		ooo(h, 10 + 20 * (uint32_t)i, 10, 1);
	assert_int_equal(th_last(h)->nsack, 3);
}

static void
rfc2018_5_sender_does_not_retransmit_sacked_data(void **state)
{
	struct th	*h = *state = opt_established(0, 1, 0);
	struct seg	 s;
	int		 i;

	/* MSS 1000, IW 4 segments: [1,1001) [1001,2001) [2001,3001)
	 * [3001,4001) relative to ISS; the first is lost, the 2nd and 3rd
	 * arrive and are SACKed. */
	tcp_send(h->tp, blob, 4000, NULL);
	th_clear(h);
	for (i = 0; i < 3; i++) {
		s = th_tmpl(h);
		s.ack = TH_ISS + 1;
		seg_add_nop(&s);
		seg_add_nop(&s);
		seg_add_sack(&s, (struct seg_sack[]){ { TH_ISS + 1001,
		    TH_ISS + 1001 + 1000 * (uint32_t)(i + 1) } }, 1);
		th_in(h, &s);
	}
	assert_int_equal(h->tp->nsacked, 1);
	TH_EXPECT(h, 0, SEG_ACK, TH_ISS + 1, TH_IRS + 1);	/* the hole */
	assert_int_equal(h->nout, 1);
	/* A partial ACK up to the SACKed data: the hole after it is
	 * retransmitted, never the SACKed bytes. */
	s = th_tmpl(h);
	s.ack = TH_ISS + 1001;
	th_in(h, &s);
	for (i = 1; i < h->nout; i++) {
		const struct seg *o = th_out(h, i);

		if (o->len > 0)
			assert_true(o->seq >= TH_ISS + 3001 ||
			    o->seq + o->len <= TH_ISS + 1001);
	}
}

static void
rfc9293_3_7_1_mss_default_536_without_option(void **state)
{
	struct th	*h = *state = th_new();
	struct seg	 s;

	th_do_syn_sent(h);
	s = th_tmpl_syn(h);
	s.nopts = 0;
	s.has = 0;
	s.doff = 5;
	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS + 1;
	th_do_established(h, &s);
	assert_int_equal(h->tp->t_maxseg, 536);
	th_clear(h);
	tcp_send(h->tp, blob, 2000, NULL);
	assert_int_equal(th_out(h, 0)->len, 536);
}

static void
rfc9293_3_7_1_mss_default_1220_for_ipv6(void **state)
{
	struct th	*h = *state = th_new();
	struct seg	 s;

	th_tuple(&h->tuple, AF_INET6, TH_LPORT, TH_RPORT);
	th_do_syn_sent(h);
	assert_int_equal(th_out(h, 0)->mss, 1440);	/* 1500 - 60 */
	s = th_tmpl_syn(h);
	s.nopts = 0;
	s.has = 0;
	s.doff = 5;
	s.flags = SEG_SYN | SEG_ACK;
	s.ack = TH_ISS + 1;
	th_do_established(h, &s);
	assert_int_equal(h->tp->t_maxseg, 1220);
}

static void
rfc6691_payload_is_mss_less_option_bytes(void **state)
{
	struct th	*h = *state = opt_established(7, 1, 1);

	tcp_send(h->tp, blob, 3000, NULL);
	assert_int_equal(th_out(h, 0)->len, TH_MSS - 12);
}

static void
hook_syn_opts_exact_list_or_none(void **state)
{
	struct th	*h = *state = opt_harness();
	struct tcb	*tp;
	struct seg_opt	 o[3];
	struct tcp_tuple t = h->tuple;

	memset(o, 0, sizeof(o));
	o[0].kind = TCPOPT_NOP;
	o[0].len = 1;
	o[1].kind = TCPOPT_WSCALE;
	o[1].len = 3;
	o[1].data[0] = 2;
	o[2].kind = 253;			/* experimental, unknown */
	o[2].len = 4;
	o[2].data[0] = 0xab;
	o[2].data[1] = 0xcd;
	tp = tcp_new(h->st, &t, NULL);
	assert_int_equal(tcp_set_syn_opts(tp, o, 3, NULL), 0);
	tcp_connect(tp, NULL);
	assert_int_equal(th_out(h, 0)->nopts, 3);
	assert_int_equal(th_out(h, 0)->opts[2].kind, 253);
	assert_int_equal(th_out(h, 0)->wscale, 2);
	assert_int_equal(tp->mss_offered, 0);

	t.lport++;
	tp = tcp_new(h->st, &t, NULL);
	tcp_set_syn_opts(tp, NULL, 0, NULL);
	tcp_connect(tp, NULL);
	assert_int_equal(th_out(h, 1)->nopts, 0);
	assert_int_equal(th_out(h, 1)->has, 0);
}

static void
hook_mss_sets_the_offered_mss(void **state)
{
	struct th	*h = *state = th_new();
	struct tcb	*tp = tcp_new(h->st, &h->tuple, NULL);

	tp->hooks.mss = 88;
	tcp_connect(tp, NULL);
	assert_int_equal(th_out(h, 0)->mss, 88);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_teardown(f, teardown)
		T(rfc9293_3_7_1_syn_offers_mss_sackok_ts_wscale),
		T(rfc7323_2_2_window_scale_applied_both_ways),
		T(rfc7323_2_2_no_scaling_unless_both_syns_carry_it),
		T(rfc7323_2_3_shift_above_14_is_taken_as_14),
		T(rfc7323_3_2_timestamps_on_every_segment_echoing_ts_recent),
		T(rfc7323_5_3_paws_drops_an_old_tsval_and_acks),
		T(rfc7323_5_3_paws_does_not_apply_to_rst),
		T(rfc7323_4_3_ts_recent_only_from_the_left_edge),
		T(rfc2018_2_sack_permitted_in_syn_ack_only_if_offered),
		T(rfc7323_2_2_passive_syn_ack_answers_the_offered_options),
		T(rfc2018_4_sack_blocks_first_is_most_recent),
		T(rfc2018_4_three_blocks_beside_timestamps_four_without),
		T(rfc2883_4_duplicate_reported_first_once),
		T(rfc2018_5_sender_does_not_retransmit_sacked_data),
		T(rfc9293_3_7_1_mss_default_536_without_option),
		T(rfc9293_3_7_1_mss_default_1220_for_ipv6),
		T(rfc6691_payload_is_mss_less_option_bytes),
		T(hook_syn_opts_exact_list_or_none),
		T(hook_mss_sets_the_offered_mss),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
