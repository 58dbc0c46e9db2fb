/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_tcp_states.c: every state meets every kind of segment (RFC 9293
 * 3.10.7): SYN, SYN-ACK, ACK, data, FIN, RST at RCV.NXT, RST elsewhere in
 * the window, data outside the window, an old duplicate.  Each row of the
 * table is one test, named for the rule it checks, and asserts the exact
 * segment sent (flags, seq, ack) and the state after.
 *
 * Values in the table are symbolic: S is the peer's SND.NXT before the
 * segment, R the sequence number the segment starts from (RCV.NXT in
 * synchronized states, the target's ISN before), A the segment's ACK field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcp_helper.h"

enum kind { K_SYN, K_SYNACK, K_ACK, K_DATA, K_FIN, K_RST, K_RSTW, K_OOW,
	K_OLD };
enum val { V_0, V_S, V_R, V_A, V_ISS };

struct row {
	const char	*name;
	enum tcps	 state;		/* fixture; CLOSED: no connection */
	enum kind	 kind;
	enum tcps	 after;
	int		 nout;		/* 0 or 1 segment expected */
	uint16_t	 flags;
	enum val	 seqv;
	int		 seqo;
	enum val	 ackv;
	int		 acko;
};

#define A_	(SEG_ACK)
#define R_	(SEG_RST)
#define SA_	(SEG_SYN | SEG_ACK)
#define NONE	0, 0, V_0, 0, V_0, 0
#define CHACK	1, A_, V_S, 0, V_R, 0	/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
#define RSTA	1, R_, V_A, 0, V_0, 0	/* <SEQ=SEG.ACK><CTL=RST> */

static const struct row rows[] = {
	/* CLOSED: RFC 9293 3.10.7.1 and 3.5.2. */
	{ "rfc9293_3_10_7_1_closed_syn_rst_ack_seq_plus_len", TCPS_CLOSED,
	    K_SYN, TCPS_CLOSED, 1, R_ | A_, V_0, 0, V_R, 1 },
	{ "rfc9293_3_10_7_1_closed_syn_ack_rst_seq_seg_ack", TCPS_CLOSED,
	    K_SYNACK, TCPS_CLOSED, RSTA },
	{ "rfc9293_3_10_7_1_closed_ack_rst_seq_seg_ack", TCPS_CLOSED,
	    K_ACK, TCPS_CLOSED, RSTA },
	{ "rfc9293_3_10_7_1_closed_data_rst_seq_seg_ack", TCPS_CLOSED,
	    K_DATA, TCPS_CLOSED, RSTA },
	{ "rfc9293_3_10_7_1_closed_fin_rst_seq_seg_ack", TCPS_CLOSED,
	    K_FIN, TCPS_CLOSED, RSTA },
	{ "rfc9293_3_10_7_1_closed_rst_discarded", TCPS_CLOSED,
	    K_RST, TCPS_CLOSED, NONE },
	{ "rfc9293_3_10_7_1_closed_rst_any_seq_discarded", TCPS_CLOSED,
	    K_RSTW, TCPS_CLOSED, NONE },
	{ "rfc9293_3_10_7_1_closed_far_data_rst_seq_seg_ack", TCPS_CLOSED,
	    K_OOW, TCPS_CLOSED, RSTA },
	{ "rfc9293_3_10_7_1_closed_old_data_rst_seq_seg_ack", TCPS_CLOSED,
	    K_OLD, TCPS_CLOSED, RSTA },

	/* LISTEN: 3.10.7.2. */
	{ "rfc9293_3_10_7_2_listen_syn_sends_syn_ack", TCPS_LISTEN,
	    K_SYN, TCPS_SYN_RECEIVED, 1, SA_, V_ISS, 0, V_R, 1 },
	{ "rfc9293_3_10_7_2_listen_syn_ack_rst_seq_seg_ack", TCPS_LISTEN,
	    K_SYNACK, TCPS_LISTEN, RSTA },
	{ "rfc9293_3_10_7_2_listen_ack_rst_seq_seg_ack", TCPS_LISTEN,
	    K_ACK, TCPS_LISTEN, RSTA },
	{ "rfc9293_3_10_7_2_listen_data_rst_seq_seg_ack", TCPS_LISTEN,
	    K_DATA, TCPS_LISTEN, RSTA },
	{ "rfc9293_3_10_7_2_listen_fin_ack_rst_seq_seg_ack", TCPS_LISTEN,
	    K_FIN, TCPS_LISTEN, RSTA },
	{ "rfc9293_3_10_7_2_listen_rst_ignored", TCPS_LISTEN,
	    K_RST, TCPS_LISTEN, NONE },
	{ "rfc9293_3_10_7_2_listen_rst_any_seq_ignored", TCPS_LISTEN,
	    K_RSTW, TCPS_LISTEN, NONE },
	{ "rfc9293_3_10_7_2_listen_far_data_rst_seq_seg_ack", TCPS_LISTEN,
	    K_OOW, TCPS_LISTEN, RSTA },
	{ "rfc9293_3_10_7_2_listen_old_data_rst_seq_seg_ack", TCPS_LISTEN,
	    K_OLD, TCPS_LISTEN, RSTA },

	/* SYN-SENT: 3.10.7.3 (ACK fields here acknowledge our SYN). */
	{ "rfc9293_3_10_7_3_syn_sent_syn_simultaneous_open", TCPS_SYN_SENT,
	    K_SYN, TCPS_SYN_RECEIVED, 1, SA_, V_ISS, 0, V_R, 1 },
	{ "rfc9293_3_10_7_3_syn_sent_syn_ack_established", TCPS_SYN_SENT,
	    K_SYNACK, TCPS_ESTABLISHED, 1, A_, V_S, 0, V_R, 1 },
	{ "rfc9293_3_10_7_3_syn_sent_ack_without_syn_dropped", TCPS_SYN_SENT,
	    K_ACK, TCPS_SYN_SENT, NONE },
	{ "rfc9293_3_10_7_3_syn_sent_data_without_syn_dropped", TCPS_SYN_SENT,
	    K_DATA, TCPS_SYN_SENT, NONE },
	{ "rfc9293_3_10_7_3_syn_sent_fin_without_syn_dropped", TCPS_SYN_SENT,
	    K_FIN, TCPS_SYN_SENT, NONE },
	{ "rfc9293_3_10_7_3_syn_sent_rst_without_ack_dropped", TCPS_SYN_SENT,
	    K_RST, TCPS_SYN_SENT, NONE },
	{ "rfc9293_3_10_7_3_syn_sent_rst_any_seq_without_ack_dropped",
	    TCPS_SYN_SENT, K_RSTW, TCPS_SYN_SENT, NONE },
	{ "rfc9293_3_10_7_3_syn_sent_far_data_dropped", TCPS_SYN_SENT,
	    K_OOW, TCPS_SYN_SENT, NONE },
	{ "rfc9293_3_10_7_3_syn_sent_old_data_dropped", TCPS_SYN_SENT,
	    K_OLD, TCPS_SYN_SENT, NONE },

	/* SYN-RECEIVED (passive): 3.10.7.4. */
	{ "rfc9293_3_10_7_4_syn_received_syn_returns_to_listen",
	    TCPS_SYN_RECEIVED, K_SYN, TCPS_LISTEN, NONE },
	{ "rfc9293_3_10_7_4_syn_received_syn_ack_returns_to_listen",
	    TCPS_SYN_RECEIVED, K_SYNACK, TCPS_LISTEN, NONE },
	{ "rfc9293_3_10_7_4_syn_received_ack_established",
	    TCPS_SYN_RECEIVED, K_ACK, TCPS_ESTABLISHED, NONE },
	{ "rfc9293_3_10_7_4_syn_received_data_established_and_acked",
	    TCPS_SYN_RECEIVED, K_DATA, TCPS_ESTABLISHED, 1, A_, V_S, 0, V_R, 5 },
	{ "rfc9293_3_10_7_4_syn_received_fin_close_wait",
	    TCPS_SYN_RECEIVED, K_FIN, TCPS_CLOSE_WAIT, 1, A_, V_S, 0, V_R, 1 },
	{ "rfc9293_3_10_7_4_syn_received_rst_returns_to_listen",
	    TCPS_SYN_RECEIVED, K_RST, TCPS_LISTEN, NONE },
	{ "rfc5961_3_2_syn_received_rst_in_window_challenge_ack",
	    TCPS_SYN_RECEIVED, K_RSTW, TCPS_SYN_RECEIVED, CHACK },
	{ "rfc9293_3_10_7_4_syn_received_out_of_window_acked",
	    TCPS_SYN_RECEIVED, K_OOW, TCPS_SYN_RECEIVED, CHACK },
	{ "rfc9293_3_10_7_4_syn_received_old_duplicate_acked",
	    TCPS_SYN_RECEIVED, K_OLD, TCPS_SYN_RECEIVED, CHACK },

	/* ESTABLISHED. */
	{ "rfc9293_3_10_7_4_syn_in_window_sends_challenge_ack",
	    TCPS_ESTABLISHED, K_SYN, TCPS_ESTABLISHED, CHACK },
	{ "rfc9293_3_10_7_4_established_syn_ack_challenge_ack",
	    TCPS_ESTABLISHED, K_SYNACK, TCPS_ESTABLISHED, CHACK },
	{ "rfc9293_3_10_7_4_established_ack_nothing_sent",
	    TCPS_ESTABLISHED, K_ACK, TCPS_ESTABLISHED, NONE },
	{ "rfc9293_3_10_7_4_established_data_acked",
	    TCPS_ESTABLISHED, K_DATA, TCPS_ESTABLISHED, 1, A_, V_S, 0, V_R, 5 },
	{ "rfc9293_3_10_7_4_established_fin_close_wait",
	    TCPS_ESTABLISHED, K_FIN, TCPS_CLOSE_WAIT, 1, A_, V_S, 0, V_R, 1 },
	{ "rfc9293_3_10_7_4_established_rst_at_rcv_nxt_resets",
	    TCPS_ESTABLISHED, K_RST, TCPS_CLOSED, NONE },
	{ "rfc9293_3_10_7_4_rst_in_window_challenge_ack",
	    TCPS_ESTABLISHED, K_RSTW, TCPS_ESTABLISHED, CHACK },
	{ "rfc9293_3_10_7_4_established_out_of_window_acked",
	    TCPS_ESTABLISHED, K_OOW, TCPS_ESTABLISHED, CHACK },
	{ "rfc9293_3_10_7_4_established_old_duplicate_acked",
	    TCPS_ESTABLISHED, K_OLD, TCPS_ESTABLISHED, CHACK },

	/* FIN-WAIT-1 (our FIN sent; the template's ACK acknowledges it). */
	{ "rfc9293_3_10_7_4_fin_wait_1_syn_challenge_ack",
	    TCPS_FIN_WAIT_1, K_SYN, TCPS_FIN_WAIT_1, CHACK },
	{ "rfc9293_3_10_7_4_fin_wait_1_syn_ack_challenge_ack",
	    TCPS_FIN_WAIT_1, K_SYNACK, TCPS_FIN_WAIT_1, CHACK },
	{ "rfc9293_3_10_7_4_fin_wait_1_ack_of_fin_fin_wait_2",
	    TCPS_FIN_WAIT_1, K_ACK, TCPS_FIN_WAIT_2, NONE },
	{ "rfc9293_3_10_7_4_fin_wait_1_data_half_closed_acked",
	    TCPS_FIN_WAIT_1, K_DATA, TCPS_FIN_WAIT_2, 1, A_, V_S, 0, V_R, 5 },
	{ "rfc9293_3_10_7_4_fin_wait_1_fin_acking_ours_time_wait",
	    TCPS_FIN_WAIT_1, K_FIN, TCPS_TIME_WAIT, 1, A_, V_S, 0, V_R, 1 },
	{ "rfc9293_3_10_7_4_fin_wait_1_rst_resets",
	    TCPS_FIN_WAIT_1, K_RST, TCPS_CLOSED, NONE },
	{ "rfc5961_3_2_fin_wait_1_rst_in_window_challenge_ack",
	    TCPS_FIN_WAIT_1, K_RSTW, TCPS_FIN_WAIT_1, CHACK },
	{ "rfc9293_3_10_7_4_fin_wait_1_out_of_window_acked",
	    TCPS_FIN_WAIT_1, K_OOW, TCPS_FIN_WAIT_1, CHACK },
	{ "rfc9293_3_10_7_4_fin_wait_1_old_duplicate_acked",
	    TCPS_FIN_WAIT_1, K_OLD, TCPS_FIN_WAIT_1, CHACK },

	/* FIN-WAIT-2. */
	{ "rfc9293_3_10_7_4_fin_wait_2_syn_challenge_ack",
	    TCPS_FIN_WAIT_2, K_SYN, TCPS_FIN_WAIT_2, CHACK },
	{ "rfc9293_3_10_7_4_fin_wait_2_syn_ack_challenge_ack",
	    TCPS_FIN_WAIT_2, K_SYNACK, TCPS_FIN_WAIT_2, CHACK },
	{ "rfc9293_3_10_7_4_fin_wait_2_ack_nothing_sent",
	    TCPS_FIN_WAIT_2, K_ACK, TCPS_FIN_WAIT_2, NONE },
	{ "rfc9293_3_10_7_4_fin_wait_2_data_half_closed_acked",
	    TCPS_FIN_WAIT_2, K_DATA, TCPS_FIN_WAIT_2, 1, A_, V_S, 0, V_R, 5 },
	{ "rfc9293_3_10_7_4_fin_wait_2_fin_time_wait",
	    TCPS_FIN_WAIT_2, K_FIN, TCPS_TIME_WAIT, 1, A_, V_S, 0, V_R, 1 },
	{ "rfc9293_3_10_7_4_fin_wait_2_rst_resets",
	    TCPS_FIN_WAIT_2, K_RST, TCPS_CLOSED, NONE },
	{ "rfc5961_3_2_fin_wait_2_rst_in_window_challenge_ack",
	    TCPS_FIN_WAIT_2, K_RSTW, TCPS_FIN_WAIT_2, CHACK },
	{ "rfc9293_3_10_7_4_fin_wait_2_out_of_window_acked",
	    TCPS_FIN_WAIT_2, K_OOW, TCPS_FIN_WAIT_2, CHACK },
	{ "rfc9293_3_10_7_4_fin_wait_2_old_duplicate_acked",
	    TCPS_FIN_WAIT_2, K_OLD, TCPS_FIN_WAIT_2, CHACK },

	/* CLOSE-WAIT (their FIN received; R is past it). */
	{ "rfc9293_3_10_7_4_close_wait_syn_challenge_ack",
	    TCPS_CLOSE_WAIT, K_SYN, TCPS_CLOSE_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_close_wait_syn_ack_challenge_ack",
	    TCPS_CLOSE_WAIT, K_SYNACK, TCPS_CLOSE_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_close_wait_ack_nothing_sent",
	    TCPS_CLOSE_WAIT, K_ACK, TCPS_CLOSE_WAIT, NONE },
	{ "rfc9293_3_10_7_4_close_wait_text_ignored",
	    TCPS_CLOSE_WAIT, K_DATA, TCPS_CLOSE_WAIT, NONE },
	{ "rfc9293_3_10_7_4_close_wait_second_fin_acked_state_kept",
	    TCPS_CLOSE_WAIT, K_FIN, TCPS_CLOSE_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_close_wait_rst_resets",
	    TCPS_CLOSE_WAIT, K_RST, TCPS_CLOSED, NONE },
	{ "rfc5961_3_2_close_wait_rst_in_window_challenge_ack",
	    TCPS_CLOSE_WAIT, K_RSTW, TCPS_CLOSE_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_close_wait_out_of_window_acked",
	    TCPS_CLOSE_WAIT, K_OOW, TCPS_CLOSE_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_close_wait_old_duplicate_acked",
	    TCPS_CLOSE_WAIT, K_OLD, TCPS_CLOSE_WAIT, CHACK },

	/* CLOSING (both FINs sent; ours not acked; the template acks it). */
	{ "rfc9293_3_10_7_4_closing_syn_challenge_ack",
	    TCPS_CLOSING, K_SYN, TCPS_CLOSING, CHACK },
	{ "rfc9293_3_10_7_4_closing_syn_ack_challenge_ack",
	    TCPS_CLOSING, K_SYNACK, TCPS_CLOSING, CHACK },
	{ "rfc9293_3_10_7_4_closing_ack_of_fin_time_wait",
	    TCPS_CLOSING, K_ACK, TCPS_TIME_WAIT, NONE },
	{ "rfc9293_3_10_7_4_closing_data_acks_fin_text_ignored",
	    TCPS_CLOSING, K_DATA, TCPS_TIME_WAIT, NONE },
	{ "rfc9293_3_10_7_4_closing_fin_acking_ours_time_wait",
	    TCPS_CLOSING, K_FIN, TCPS_TIME_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_closing_rst_closes",
	    TCPS_CLOSING, K_RST, TCPS_CLOSED, NONE },
	{ "rfc5961_3_2_closing_rst_in_window_challenge_ack",
	    TCPS_CLOSING, K_RSTW, TCPS_CLOSING, CHACK },
	{ "rfc9293_3_10_7_4_closing_out_of_window_acked",
	    TCPS_CLOSING, K_OOW, TCPS_CLOSING, CHACK },
	{ "rfc9293_3_10_7_4_closing_old_duplicate_acked",
	    TCPS_CLOSING, K_OLD, TCPS_CLOSING, CHACK },

	/* LAST-ACK. */
	{ "rfc9293_3_10_7_4_last_ack_syn_challenge_ack",
	    TCPS_LAST_ACK, K_SYN, TCPS_LAST_ACK, CHACK },
	{ "rfc9293_3_10_7_4_last_ack_syn_ack_challenge_ack",
	    TCPS_LAST_ACK, K_SYNACK, TCPS_LAST_ACK, CHACK },
	{ "rfc9293_3_10_7_4_last_ack_ack_of_fin_closed",
	    TCPS_LAST_ACK, K_ACK, TCPS_CLOSED, NONE },
	{ "rfc9293_3_10_7_4_last_ack_data_acking_fin_closed",
	    TCPS_LAST_ACK, K_DATA, TCPS_CLOSED, NONE },
	{ "rfc9293_3_10_7_4_last_ack_fin_acking_ours_closed",
	    TCPS_LAST_ACK, K_FIN, TCPS_CLOSED, NONE },
	{ "rfc9293_3_10_7_4_last_ack_rst_closes",
	    TCPS_LAST_ACK, K_RST, TCPS_CLOSED, NONE },
	{ "rfc5961_3_2_last_ack_rst_in_window_challenge_ack",
	    TCPS_LAST_ACK, K_RSTW, TCPS_LAST_ACK, CHACK },
	{ "rfc9293_3_10_7_4_last_ack_out_of_window_acked",
	    TCPS_LAST_ACK, K_OOW, TCPS_LAST_ACK, CHACK },
	{ "rfc9293_3_10_7_4_last_ack_old_duplicate_acked",
	    TCPS_LAST_ACK, K_OLD, TCPS_LAST_ACK, CHACK },

	/* TIME-WAIT. */
	{ "rfc9293_3_10_7_4_time_wait_syn_challenge_ack",
	    TCPS_TIME_WAIT, K_SYN, TCPS_TIME_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_time_wait_syn_ack_challenge_ack",
	    TCPS_TIME_WAIT, K_SYNACK, TCPS_TIME_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_time_wait_ack_not_answered",
	    TCPS_TIME_WAIT, K_ACK, TCPS_TIME_WAIT, NONE },
	{ "rfc9293_3_10_7_4_time_wait_text_ignored",
	    TCPS_TIME_WAIT, K_DATA, TCPS_TIME_WAIT, NONE },
	{ "rfc9293_3_10_7_4_time_wait_fin_acked",
	    TCPS_TIME_WAIT, K_FIN, TCPS_TIME_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_time_wait_rst_closes",
	    TCPS_TIME_WAIT, K_RST, TCPS_CLOSED, NONE },
	{ "rfc5961_3_2_time_wait_rst_in_window_challenge_ack",
	    TCPS_TIME_WAIT, K_RSTW, TCPS_TIME_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_time_wait_out_of_window_acked",
	    TCPS_TIME_WAIT, K_OOW, TCPS_TIME_WAIT, CHACK },
	{ "rfc9293_3_10_7_4_time_wait_old_duplicate_acked",
	    TCPS_TIME_WAIT, K_OLD, TCPS_TIME_WAIT, CHACK },
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

/* The segment of a row's kind, from the template. */
static struct seg
build(const struct th *h, const struct row *r, uint32_t *base, uint32_t *ack)
{
	struct seg	s = th_tmpl(h);
	int		presync = r->state <= TCPS_SYN_SENT;

	*base = presync ? TH_IRS : h->r_nxt;
	*ack = h->tp != NULL ? h->tp->snd_max : 4242;
	s.seq = *base;
	s.ack = *ack;
	switch (r->kind) {
	case K_SYN:
		s = th_tmpl_syn(h);
		s.seq = *base;
		break;
	case K_SYNACK:
		s.flags = SEG_SYN | SEG_ACK;
		seg_add_mss(&s, TH_MSS);
		break;
	case K_ACK:
		break;
	case K_DATA:
		s.flags = SEG_ACK | SEG_PSH;
		break;
	case K_FIN:
		s.flags = SEG_FIN | SEG_ACK;
		break;
	case K_RST:
		s.flags = SEG_RST;
		break;
	case K_RSTW:
		s.flags = SEG_RST;
		s.seq = *base + 100;
		break;
	case K_OOW:
		s.seq = *base + 100000;
		break;
	case K_OLD:
		s.seq = *base - 10;
		break;
	}
	if (r->kind == K_DATA || r->kind == K_OOW || r->kind == K_OLD) {
		s.data = (const uint8_t *)"hello";
		s.len = 5;
	}
	return s;
}

static uint32_t
value(enum val v, int off, uint32_t snd, uint32_t base, uint32_t ack)
{
	switch (v) {
	case V_S:
		return snd + (uint32_t)off;
	case V_R:
		return base + (uint32_t)off;
	case V_A:
		return ack + (uint32_t)off;
	case V_ISS:
		return TH_ISS + (uint32_t)off;
	default:
		return (uint32_t)off;
	}
}

static void
run_row(void **state)
{
	const struct row *r = *state;
	struct th	*h = th_state(r->state);
	struct seg	 s;
	uint32_t	 base, ack, snd;
	enum tcps	 after;

	*state = h;
	s = build(h, r, &base, &ack);
	snd = h->tp != NULL ? h->tp->snd_max : 0;
	th_in(h, &s);
	assert_int_equal(h->nout, r->nout);
	if (r->nout == 1)
		TH_EXPECT(h, 0, r->flags, value(r->seqv, r->seqo, snd, base, ack),
		    value(r->ackv, r->acko, snd, base, ack));
	after = h->tp != NULL ? h->tp->state :
	    h->lp != NULL ? h->lp->state : TCPS_CLOSED;
	assert_string_equal(tcps_names[after], tcps_names[r->after]);
	/* The report of the segment names what was done with it. */
	assert_non_null(th_find_ev(h, TCP_EV_SEG_IN, 0));
	assert_non_null(th_find_ev(h, TCP_EV_SEG_IN, 0)->what);
}

static int
teardown(void **state)
{
	th_free(*state);
	return 0;
}

int
main(void)
{
	struct CMUnitTest	tests[NROWS];
	size_t			i;

	for (i = 0; i < NROWS; i++) {
		memset(&tests[i], 0, sizeof(tests[i]));
		tests[i].name = rows[i].name;
		tests[i].test_func = run_row;
		tests[i].teardown_func = teardown;
		tests[i].initial_state = (void *)(uintptr_t)&rows[i];
	}
	return _cmocka_run_group_tests("test_tcp_states", tests, NROWS,
	    NULL, NULL);
}
