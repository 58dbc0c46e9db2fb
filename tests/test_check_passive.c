/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_check_passive.c: the passive checks (check_passive.c) through
 * check.h alone: a connection's record is built from hand-made segments
 * (no network, no clock), a segment of the target is judged against it,
 * and the exact finding comes out; then how passive findings become the
 * attempt's verdict, reason and requirements.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "check.h"

#define PEER_ISN	1000u
#define TGT_ISN		5000u

/* A segment of the handshake's numbers, no options. */
static struct seg
mkseg(uint16_t flags, uint32_t seq, uint32_t ack, uint16_t win, size_t len)
{
	struct seg s;

	seg_init(&s, AF_INET);
	s.flags = flags;
	s.seq = seq;
	s.ack = ack;
	s.win = win;
	s.len = len;
	return s;
}

/*
 * The record after a handshake: the peer's SYN offered opts (and always
 * MSS), the target's SYN-ACK answered with WS 7, SACK-permitted and
 * timestamps as offered, then the peer's ACK with window pwin.
 */
static void
handshake(struct check_conn *cc, int ws, int sack, int ts, uint16_t pwin)
{
	struct seg s;

	check_conn_init(cc);
	s = mkseg(SEG_SYN, PEER_ISN, 0, 65535, 0);
	seg_add_mss(&s, 1460);
	if (ws)
		seg_add_wscale(&s, 7);
	if (sack)
		seg_add_sackok(&s);
	if (ts)
		seg_add_ts(&s, 1, 0);
	check_conn_isn(cc, SEGDIR_TO_TARGET, PEER_ISN);
	check_conn_seg(cc, SEGDIR_TO_TARGET, &s, 1);
	s = mkseg(SEG_SYN | SEG_ACK, TGT_ISN, PEER_ISN + 1, 65535, 0);
	seg_add_mss(&s, 1460);
	if (ws)
		seg_add_wscale(&s, 7);
	if (sack)
		seg_add_sackok(&s);
	if (ts)
		seg_add_ts(&s, 7, 1);
	check_conn_isn(cc, SEGDIR_FROM_TARGET, TGT_ISN);
	check_conn_seg(cc, SEGDIR_FROM_TARGET, &s, 2);
	s = mkseg(SEG_ACK, PEER_ISN + 1, TGT_ISN + 1, pwin, 0);
	if (ts)
		seg_add_ts(&s, 2, 7);
	check_conn_seg(cc, SEGDIR_TO_TARGET, &s, 3);
}

/*
 * Judge s; expect exactly one finding with this text (NULL: none) and
 * severity, of record 7.
 */
static void
expect1(const struct check_conn *cc, const struct seg *s, const char *text,
    enum case_sev sev)
{
	struct finding f[PV_N], g[PV_N];
	unsigned fired = 0;
	int n, i;

	n = check_passive_seg(cc, s, 7, &fired, f);
	if (text == NULL) {
		for (i = 0; i < n; i++)
			fprintf(stderr, "unexpected: %s\n", f[i].text);
		assert_int_equal(n, 0);
		assert_int_equal(fired, 0);
		return;
	}
	assert_int_equal(n, 1);
	assert_int_equal(f[0].kind, FIND_PASSIVE);
	assert_string_equal(f[0].text, text);
	assert_int_equal(f[0].sev, sev);
	assert_int_equal(f[0].seg, 7);
	assert_false(check_finding_ends(&f[0]));
	/* Once per case: the same segment again finds nothing. */
	assert_int_equal(check_passive_seg(cc, s, 8, &fired, g), 0);
	check_finding_free(&f[0]);
}

/* A good segment of the target after the handshake. */
static struct seg
tgt_ack(uint32_t rel_ack, uint16_t win)
{
	struct seg s = mkseg(SEG_ACK, TGT_ISN + 1, PEER_ISN + rel_ack, win, 0);

	seg_add_ts(&s, 8, 2);
	return s;
}

static void
syntax_checks(void **state)
{
	struct check_conn cc;
	struct seg s;

	(void)state;
	handshake(&cc, 1, 1, 1, 512);
	s = tgt_ack(1, 512);
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
	s.warn = SEG_W_CSUM;
	s.csum = 0x1234;
	expect1(&cc, &s, "passive check passive/checksum (MUST-2): the TCP "
	    "checksum 0x1234 does not verify", CASE_SEV_MUST);
	s.warn = SEG_W_OPT_TRUNC | SEG_W_OPT_LEN;
	expect1(&cc, &s, "passive check passive/option-length (MUST-68): an "
	    "option has no length byte, a length below 2, or runs past the "
	    "header", CASE_SEV_MUST);
	s.warn = SEG_W_OPT_LEN;
	expect1(&cc, &s, "passive check passive/option-length (MUST-68): an "
	    "option's length is not the one its kind has", CASE_SEV_MUST);
	s.warn = SEG_W_EOL_PAD;
	expect1(&cc, &s, "passive check passive/eol-padding (MUST-69): "
	    "non-zero bytes follow the EOL option", CASE_SEV_MUST);
	s.warn = 0;
	s.rsvd = 0x2;
	expect1(&cc, &s, "passive check passive/reserved-bits (RFC9293-3.1): "
	    "reserved bits 0x2 are set (\"must be zero in generated "
	    "segments\")", CASE_SEV_MUST);
	/* AE (RFC 9768) is a flag, not a reserved bit. */
	s.rsvd = 0;
	s.flags |= SEG_AE;
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
}

static void
options_where_allowed(void **state)
{
	struct check_conn cc;
	struct seg s;

	(void)state;
	handshake(&cc, 1, 1, 1, 512);
	s = tgt_ack(1, 512);
	seg_add_mss(&s, 1460);
	expect1(&cc, &s, "passive check passive/mss-only-in-syn (MUST-65): an "
	    "MSS option on a segment without SYN", CASE_SEV_MUST);
	s = tgt_ack(1, 512);
	seg_add_wscale(&s, 7);
	expect1(&cc, &s, "passive check passive/wscale-only-in-syn "
	    "(RFC7323-2.2): a Window Scale option on a segment without SYN",
	    CASE_SEV_MUST);
	s = tgt_ack(1, 512);
	seg_add_sackok(&s);
	expect1(&cc, &s, "passive check passive/sack-negotiated (RFC2018-2): "
	    "SACK-permitted on a segment without SYN", CASE_SEV_MUST);
	/* Timestamps agreed: every segment but an RST carries them. */
	s = mkseg(SEG_ACK, TGT_ISN + 1, PEER_ISN + 1, 512, 0);
	expect1(&cc, &s, "passive check passive/timestamps-agreed "
	    "(RFC7323-3.2): no Timestamps option, though both SYNs agreed on "
	    "them (\"MUST be sent in every non-<RST> segment\")",
	    CASE_SEV_MUST);
	s.flags = SEG_RST | SEG_ACK;
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
}

/* A SYN-ACK answers only what the SYN offered. */
static void
synack_answers_the_syn(void **state)
{
	struct check_conn cc;
	struct seg s;

	(void)state;
	check_conn_init(&cc);
	s = mkseg(SEG_SYN, PEER_ISN, 0, 65535, 0);
	seg_add_mss(&s, 1460);
	check_conn_isn(&cc, SEGDIR_TO_TARGET, PEER_ISN);
	check_conn_seg(&cc, SEGDIR_TO_TARGET, &s, 1);
	s = mkseg(SEG_SYN | SEG_ACK, TGT_ISN, PEER_ISN + 1, 65535, 0);
	seg_add_mss(&s, 1460);
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
	seg_add_wscale(&s, 7);
	expect1(&cc, &s, "passive check passive/wscale-only-in-syn "
	    "(RFC7323-2.2): a Window Scale option in a SYN-ACK to a SYN that "
	    "had none", CASE_SEV_MUST);
	s = mkseg(SEG_SYN | SEG_ACK, TGT_ISN, PEER_ISN + 1, 65535, 0);
	seg_add_sackok(&s);
	expect1(&cc, &s, "passive check passive/sack-negotiated (RFC2018-2): "
	    "SACK-permitted in a SYN-ACK to a SYN that had none",
	    CASE_SEV_MUST);
	s = mkseg(SEG_SYN | SEG_ACK, TGT_ISN, PEER_ISN + 1, 65535, 0);
	seg_add_ts(&s, 1, 0);
	expect1(&cc, &s, "passive check passive/timestamps-agreed "
	    "(RFC7323-3.2): a Timestamps option in a SYN-ACK to a SYN that "
	    "had none", CASE_SEV_MUST);
	/* SACK blocks without SACK-permitted from the peer. */
	check_conn_isn(&cc, SEGDIR_FROM_TARGET, TGT_ISN);
	s = mkseg(SEG_SYN | SEG_ACK, TGT_ISN, PEER_ISN + 1, 65535, 0);
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &s, 2);
	s = mkseg(SEG_ACK, TGT_ISN + 1, PEER_ISN + 1, 65535, 0);
	{
		struct seg_sack b = { PEER_ISN + 100, PEER_ISN + 200 };

		seg_add_sack(&s, &b, 1);
	}
	expect1(&cc, &s, "passive check passive/sack-negotiated (RFC2018-2): "
	    "SACK blocks, but the peer never sent SACK-permitted",
	    CASE_SEV_MUST);
	/*
	 * Agreed in the handshake, SACK stays agreed after a SYN of the
	 * peer's into the synchronized connection that lacks the option
	 * (handshake/syn-in-established; a D-SACK for a copy the path made).
	 */
	handshake(&cc, 1, 1, 0, 512);
	s = mkseg(SEG_SYN, PEER_ISN + 1, 0, 65535, 0);
	seg_add_mss(&s, 1460);
	check_conn_seg(&cc, SEGDIR_TO_TARGET, &s, 4);
	s = mkseg(SEG_ACK, TGT_ISN + 1, PEER_ISN + 1, 65535, 0);
	{
		struct seg_sack b = { PEER_ISN, PEER_ISN + 1 };

		seg_add_sack(&s, &b, 1);
	}
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
}

/*
 * A SYN of the peer's with no options into the synchronized connection,
 * answered by the target's SYN-ACK again (it was still in SYN-RECEIVED:
 * the path lost the peer's ACK of the handshake): the window scale stays
 * what the handshake agreed (RFC 7323 2.2), so 512 << 7 keeps the edge
 * (handshake/syn-in-established's false warn on the lossy path read it
 * as 512 octets).  A SYN-ACK of a new handshake (another ISN) agrees
 * anew: no scale, since the peer's latest SYN offered none.
 */
static void
synack_again_keeps_the_scale(void **state)
{
	struct check_conn cc;
	struct seg s;

	(void)state;
	handshake(&cc, 1, 1, 1, 512);
	s = mkseg(SEG_SYN, PEER_ISN, 0, 65535, 0);
	seg_add_mss(&s, 1460);
	check_conn_seg(&cc, SEGDIR_TO_TARGET, &s, 4);
	s = mkseg(SEG_SYN | SEG_ACK, TGT_ISN, PEER_ISN + 1, 65535, 0);
	seg_add_mss(&s, 1460);
	seg_add_wscale(&s, 7);
	seg_add_sackok(&s);
	seg_add_ts(&s, 8, 1);
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &s, 5);
	assert_int_equal(check_conn_shift(&cc, SEGDIR_FROM_TARGET), 7);
	assert_int_equal(check_conn_shift(&cc, SEGDIR_TO_TARGET), 7);
	s = tgt_ack(1, 512);
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
	s = mkseg(SEG_SYN | SEG_ACK, TGT_ISN + 99999, PEER_ISN + 1, 65535, 0);
	seg_add_mss(&s, 1460);
	seg_add_wscale(&s, 7);
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &s, 6);
	assert_int_equal(check_conn_shift(&cc, SEGDIR_FROM_TARGET), 0);
	assert_int_equal(check_conn_shift(&cc, SEGDIR_TO_TARGET), 0);
}

static void
numbers(void **state)
{
	struct check_conn cc;
	struct seg s;

	(void)state;
	handshake(&cc, 1, 1, 1, 512);
	/* The peer sent its SYN only: ack 1 is all there is. */
	s = tgt_ack(2, 512);
	expect1(&cc, &s, "passive check passive/ack-within-sent "
	    "(RFC9293-3.4): ack 2 is 1 beyond the last sequence number the "
	    "peer sent", CASE_SEV_MUST);
	/* The peer offered 512 << 7 = 65536 octets from 1. */
	s = tgt_ack(1, 512);
	s.flags |= SEG_PSH;
	s.len = 65536;
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
	s.len = 65538;
	expect1(&cc, &s, "passive check passive/data-within-window "
	    "(RFC9293-3.8.6): data up to 65539, 2 octets beyond the right edge "
	    "of the window the peer offered", CASE_SEV_MUST);
	/*
	 * Its right edge as the SYN-ACK left it: 1 + 65535 (unscaled).
	 * 511 << 7 is 127 octets short: less than one unit of its scale,
	 * the rounding RFC 7323 2.4 allows.
	 */
	s = tgt_ack(1, 511);
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
	s = tgt_ack(1, 510);
	expect1(&cc, &s, "passive check passive/window-edge-kept (SHLD-14): "
	    "the right edge of its window moved back by 255 octets (ack 1, "
	    "window 510)", CASE_SEV_SHOULD);
	/*
	 * URG: a pointer ahead of the data sent is no fault (the urgent data
	 * may follow in later segments); a FIN before the octet it follows
	 * is.
	 */
	s = tgt_ack(1, 512);
	s.flags |= SEG_URG;
	s.urp = 1000;
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &s, 5);
	s = tgt_ack(1, 512);
	s.flags |= SEG_PSH;
	s.len = 999;
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &s, 6);
	s = tgt_ack(1, 512);
	s.seq += 999;
	s.flags |= SEG_FIN;
	expect1(&cc, &s, "passive check passive/urgent-pointer (MUST-62): an "
	    "urgent pointer points 1 octets past the end of the stream (its "
	    "FIN at 1000)", CASE_SEV_MUST);
	s.len = 1;	/* the urgent octet rides on the FIN */
	expect1(&cc, &s, NULL, CASE_SEV_MUST);
}

/*
 * What the peer's later segments change: a zero window allows a one-octet
 * probe; a SYN into the established connection (a case's probe) changes
 * no agreed scale.
 */
static void
peer_window_and_syn(void **state)
{
	struct check_conn cc;
	struct seg s;

	(void)state;
	handshake(&cc, 1, 1, 1, 512);
	s = tgt_ack(1, 512);
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &s, 4);
	s = mkseg(SEG_SYN, PEER_ISN + 50000, 0, 65535, 0);
	seg_add_mss(&s, 1460);
	check_conn_seg(&cc, SEGDIR_TO_TARGET, &s, 5);
	/* The challenge ACK keeps its scaled window. */
	s = tgt_ack(1, 512);
	expect1(&cc, &s, NULL, CASE_SEV_MUST);

	/* The peer offers a zero window from the start. */
	handshake(&cc, 0, 0, 0, 0);
	s = mkseg(SEG_ACK, TGT_ISN + 1, PEER_ISN + 1, 65535, 1);
	expect1(&cc, &s, NULL, CASE_SEV_MUST);	/* the probe */
	s.len = 2;
	expect1(&cc, &s, "passive check passive/data-within-window "
	    "(RFC9293-3.8.6): data up to 3, 2 octets beyond the right edge of "
	    "the window the peer offered", CASE_SEV_MUST);
}

/* A SYN (or SYN-ACK) with every option: MSS, WS 7, SACK-permitted, TS. */
static struct seg
full_syn(uint16_t flags, uint32_t seq, uint32_t ack, uint32_t tsval,
    uint32_t tsecr)
{
	struct seg s = mkseg(flags, seq, ack, 65535, 0);

	seg_add_mss(&s, 1460);
	seg_add_wscale(&s, 7);
	seg_add_sackok(&s);
	seg_add_ts(&s, tsval, tsecr);
	return s;
}

/*
 * A new incarnation on the same four-tuple (simultaneous-close/
 * closing-time-wait-syn): after the peer's new SYN, its ISN a billion
 * beyond, and the target's SYN-ACK, an ACK of the old connection (the
 * path held it back) has its old right edge, far below the new one; it
 * is not this connection's window moving back.  The new connection's
 * own ACKs are still held to it.
 */
static void
old_incarnation(void **state)
{
	struct check_conn cc;
	struct seg s, old;
	uint32_t isn2 = PEER_ISN + 1000000000u, tisn2 = TGT_ISN + 7000;

	(void)state;
	handshake(&cc, 1, 1, 1, 512);
	old = tgt_ack(1, 512);
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &old, 4);
	s = full_syn(SEG_SYN, isn2, 0, 3, 0);
	check_conn_isn(&cc, SEGDIR_TO_TARGET, isn2);
	check_conn_seg(&cc, SEGDIR_TO_TARGET, &s, 5);
	s = full_syn(SEG_SYN | SEG_ACK, tisn2, isn2 + 1, 9, 3);
	check_conn_isn(&cc, SEGDIR_FROM_TARGET, tisn2);
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &s, 6);
	expect1(&cc, &old, NULL, CASE_SEV_MUST);
	/* An ACK of the new connection whose edge moved back still warns. */
	s = mkseg(SEG_ACK, tisn2 + 1, isn2 + 1, 100, 0);
	seg_add_ts(&s, 10, 3);
	expect1(&cc, &s, "passive check passive/window-edge-kept (SHLD-14): "
	    "the right edge of its window moved back by 52735 octets (ack 1, "
	    "window 100)", CASE_SEV_SHOULD);
}

/* Findings of passive checks become the attempt's verdict and reqs. */
static void
verdicts(void **state)
{
	struct check_conn cc;
	struct check_att a = { NULL, 0 };
	struct case_result res;
	struct finding f[PV_N];
	unsigned fired = 0;
	struct seg s;
	int n, retry, i;

	(void)state;
	handshake(&cc, 1, 1, 1, 512);
	s = tgt_ack(1, 100);
	n = check_passive_seg(&cc, &s, 3, &fired, f);
	assert_int_equal(n, 1);
	check_att_add(&a, &f[0]);
	memset(&res, 0, sizeof(res));
	check_judge_attempt(&res, &a, 0, &retry, NULL);
	assert_int_equal(res.verdict, VERDICT_WARN);
	assert_int_equal(retry, 0);
	assert_string_equal(res.reason, "passive check "
	    "passive/window-edge-kept (SHLD-14): the right edge of its window "
	    "moved back by 52735 octets (ack 1, window 100)");
	assert_int_equal(res.nreqs, 1);
	assert_string_equal(res.reqs[0].id, "SHLD-14");
	assert_string_equal(res.reqs[0].keyword, "SHOULD");
	/* A MUST beats the SHOULD. */
	s = tgt_ack(1, 512);
	s.warn = SEG_W_CSUM;
	s.csum = 0xbeef;
	n = check_passive_seg(&cc, &s, 4, &fired, f);
	assert_int_equal(n, 1);
	check_att_add(&a, &f[0]);
	check_judge_attempt(&res, &a, 0, &retry, NULL);
	assert_int_equal(res.verdict, VERDICT_FAIL);
	assert_int_equal(res.nreqs, 2);
	assert_string_equal(res.reqs[1].id, "MUST-2");
	assert_non_null(strstr(res.reason, "passive/checksum (MUST-2)"));
	assert_non_null(strstr(res.reason, "passive/window-edge-kept"));
	for (i = 0; i < (int)res.nreqs; i++) {
		free(res.reqs[i].id);
		free(res.reqs[i].section);
		free(res.reqs[i].keyword);
		free(res.reqs[i].text);
	}
	free(res.reqs);
	free(res.reason);
	check_att_free(&a);
}

/* Every passive check names a known requirement and a fault. */
static void
catalogue(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < PV_N; i++) {
		const struct check_passive_def *d = &check_passive_defs[i];

		assert_non_null(d->id);
		assert_int_equal(strncmp(d->id, "passive/", 8), 0);
		assert_non_null(case_req_find(d->req));
		assert_non_null(d->fault);
		for (j = 0; j < PV_N; j++)
			if (j != i)
				assert_int_not_equal(strncmp(d->id,
				    check_passive_defs[j].id,
				    strlen(check_passive_defs[j].id)), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syntax_checks),
		cmocka_unit_test(options_where_allowed),
		cmocka_unit_test(synack_answers_the_syn),
		cmocka_unit_test(numbers),
		cmocka_unit_test(synack_again_keeps_the_scale),
		cmocka_unit_test(peer_window_and_syn),
		cmocka_unit_test(old_incarnation),
		cmocka_unit_test(verdicts),
		cmocka_unit_test(catalogue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
