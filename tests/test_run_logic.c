/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_run_logic.c: the runner's parts that need no target at all: a '>'
 * line against a segment (every field, options, alternatives, negation),
 * a '<' line into a segment, timing windows and the path's numbers, the one
 * function that decides a verdict and the one that joins attempts, the
 * baseline file, the options of "run", case ids and --agent addresses.
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

#include "run_int.h"

/* Parse one packet line into a program (the line is statement 0). */
static struct case_prog *
line(const char *pkt)
{
	struct case_prog *p;
	char *text, *msgs = NULL;

	if (asprintf(&text, "title \"t\"\nchecks MUST-8\nfault none \"t\"\n"
	    "%s\n", pkt) < 0)
		abort();
	if (case_parse("t.case", text, strlen(text), &p, &msgs) == -1) {
		fprintf(stderr, "%s", msgs);
		fail();
	}
	free(msgs);
	free(text);
	return p;
}

/* A segment of the target: ISN 5000, the peer's ISN 1000. */
static struct seg
target_seg(uint16_t flags, uint32_t seqrel, uint32_t ackrel, size_t len)
{
	static const uint8_t payload[100];
	struct seg s;

	seg_init(&s, AF_INET);
	s.flags = flags;
	s.seq = 5000 + seqrel;
	s.ack = 1000 + ackrel;
	s.win = 65535;
	s.data = payload;
	s.len = len;
	return s;
}

static const struct run_bases from_target = { 5000, 1000, 1, 0, 0, 0 };

static void
match_exact_fields_pass(void **state)
{
	struct case_prog *p = line("> S. 0:0(0) ack 1 win 65535");
	struct seg s = target_seg(SEG_SYN | SEG_ACK, 0, 1, 0);
	struct run_diff d[RUN_DIFF_MAX];

	(void)state;
	assert_int_equal(run_match_seg(&p->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 0);
	case_free(p);
}

/*
 * "past N": a segment whose sequence space ends beyond N, whatever its
 * start and length; a FIN counts, an empty segment ends nowhere.  A '!'
 * line reads its flags as "at least these".
 */
static void
match_past(void **state)
{
	struct case_prog *p = line("+0~+2 > !. past 502");
	const struct case_pkt *pk = &p->stmts[0].u.pkt;
	struct run_bases b = from_target;
	struct seg s = target_seg(SEG_ACK, 501, 1, 500);
	struct run_diff d[RUN_DIFF_MAX];

	(void)state;
	/* The new data whole, and behind old data resent (201:737). */
	assert_int_equal(run_match_negated(pk, &s, &b), 1);
	s = target_seg(SEG_ACK | SEG_PSH, 201, 1, 536);
	assert_int_equal(run_match_negated(pk, &s, &b), 1);
	/* One octet beyond: ends at 503. */
	s = target_seg(SEG_ACK, 502, 1, 1);
	assert_int_equal(run_match_negated(pk, &s, &b), 1);
	/* A probe with one octet of new data, old data again, an ACK. */
	s = target_seg(SEG_ACK, 501, 1, 1);
	assert_int_equal(run_match_negated(pk, &s, &b), 0);
	assert_int_equal(run_match_seg(&pk->alt[0], &s, &b, d, RUN_DIFF_MAX),
	    1);
	assert_string_equal(d[0].field, "end");
	assert_string_equal(d[0].exp, "beyond 502");
	assert_string_equal(d[0].obs, "502");
	s = target_seg(SEG_ACK, 201, 1, 300);
	assert_int_equal(run_match_negated(pk, &s, &b), 0);
	s = target_seg(SEG_ACK, 1001, 1, 0);
	assert_int_equal(run_match_negated(pk, &s, &b), 0);
	assert_int_equal(run_match_seg(&pk->alt[0], &s, &b, d, RUN_DIFF_MAX),
	    1);
	assert_string_equal(d[0].obs, "none (no data, SYN or FIN)");
	/* A FIN takes a number: 502:502(0) F ends at 503. */
	s = target_seg(SEG_ACK | SEG_FIN, 502, 1, 0);
	assert_int_equal(run_match_negated(pk, &s, &b), 1);
	/* Modulo 2^32: behind the ISN is not beyond. */
	s = target_seg(SEG_ACK, (uint32_t)-100, 1, 50);
	assert_int_equal(run_match_negated(pk, &s, &b), 0);
	case_free(p);
}

/*
 * "start:*(max N)": 1 to N bytes from start; one byte more does not match,
 * nor an empty segment.  "(max mss)": the MSS our SYN offered (536 or 1220
 * without one) less the segment's TCP options (RFC 9293 3.7.1).
 */
static void
match_len_max(void **state)
{
	struct case_prog *p = line("> . 1:*(max 500) ack 1");
	struct case_prog *q = line("> . 1:*(max mss) ack 1");
	const struct case_seg *g = &p->stmts[0].u.pkt.alt[0];
	const struct case_seg *m = &q->stmts[0].u.pkt.alt[0];
	struct run_bases b = from_target;
	struct seg s = target_seg(SEG_ACK, 1, 1, 500);
	struct run_diff d[RUN_DIFF_MAX];

	(void)state;
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 0);
	s.len = 1;
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 0);
	s.len = 501;
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].field, "len");
	assert_string_equal(d[0].exp, "1 to 500");
	assert_string_equal(d[0].obs, "501");
	s.len = 0;
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 1);
	/*
	 * The first IP fragment of a segment: its 464 bytes are only the
	 * start of the segment's data, which the IP layer cut because it
	 * exceeded the path's MTU.
	 */
	s.len = 464;
	s.warn = SEG_W_FRAG;
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].field, "len");
	assert_string_equal(d[0].obs, "more than 464 (the first IP fragment "
	    "of a larger segment)");
	s.warn = 0;
	/* The start is checked as on any line. */
	s = target_seg(SEG_ACK, 2, 1, 10);
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].field, "seq");
	/* No MSS offered: 536 on IPv4, 1220 on IPv6. */
	s = target_seg(SEG_ACK, 1, 1, 536);
	b.mss = 0;
	assert_int_equal(run_match_seg(m, &s, &b, d, RUN_DIFF_MAX), 0);
	s.len = 537;
	assert_int_equal(run_match_seg(m, &s, &b, d, RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].exp, "1 to 536 (mss 536 less 0 of options)");
	s.family = AF_INET6;
	s.len = 1220;
	assert_int_equal(run_match_seg(m, &s, &b, d, RUN_DIFF_MAX), 0);
	s.len = 1221;
	assert_int_equal(run_match_seg(m, &s, &b, d, RUN_DIFF_MAX), 1);
	/* Our MSS 500 and a timestamp (12 bytes of options): 488. */
	s = target_seg(SEG_ACK, 1, 1, 488);
	b.mss = 500;
	assert_int_equal(seg_add_nop(&s), 0);
	assert_int_equal(seg_add_nop(&s), 0);
	assert_int_equal(seg_add_ts(&s, 7, 8), 0);
	assert_int_equal(s.doff, 8);
	assert_int_equal(run_eff_mss(&s, &b), 488);
	assert_int_equal(run_match_seg(m, &s, &b, d, RUN_DIFF_MAX), 0);
	s.len = 489;
	assert_int_equal(run_match_seg(m, &s, &b, d, RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].exp, "1 to 488 (mss 500 less 12 of options)");
	assert_string_equal(d[0].obs, "489");
	/*
	 * An offload aggregate (TSO or GSO on the capturing host, GRO on
	 * receipt) of 2500 bytes whose segments are 500: those are what the
	 * bound judges; of 501-byte segments, it fails.
	 */
	s = target_seg(SEG_ACK, 1, 1, 2500);
	s.gso_size = 500;
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 0);
	s.gso_size = 501;
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].obs, "501 (segments of an offload frame of "
	    "2500)");
	s.gso_size = 0;
	assert_int_equal(run_match_seg(g, &s, &b, d, RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].obs, "2500");
	case_free(p);
	case_free(q);
}

/*
 * "data": a FIN after a response of any length.  The line checks where the
 * segment's bytes end (its FIN's number), not its length; "ack data+1" on
 * a '<' line acknowledges that FIN.
 */
static void
match_data_relative_fin(void **state)
{
	struct case_prog *p = line("> F. data:data(0) ack 56");
	struct case_prog *q = line("> . data+1:data+1(0)");
	struct case_prog *in = line("< . 56:56(0) ack data+1");
	struct run_bases b = from_target, to = { 1000, 5000, 203, 0, 0, 0 };
	struct seg s = target_seg(SEG_FIN | SEG_ACK, 203, 56, 0);
	struct run_diff d[RUN_DIFF_MAX];
	uint8_t buf[8];
	char *err = NULL;

	(void)state;
	b.data = 203;			/* 202 bytes of response */
	assert_int_equal(run_match_seg(&p->stmts[0].u.pkt.alt[0], &s, &b, d,
	    RUN_DIFF_MAX), 0);
	/* The FIN riding on the last 10 bytes ends at data too. */
	s = target_seg(SEG_FIN | SEG_ACK, 193, 56, 10);
	assert_int_equal(run_match_seg(&p->stmts[0].u.pkt.alt[0], &s, &b, d,
	    RUN_DIFF_MAX), 0);
	/* A FIN one beyond the data: "end" is reported, as numbers. */
	s = target_seg(SEG_FIN | SEG_ACK, 204, 56, 0);
	assert_int_equal(run_match_seg(&p->stmts[0].u.pkt.alt[0], &s, &b, d,
	    RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].field, "end");
	assert_string_equal(d[0].exp, "203");
	assert_string_equal(d[0].obs, "204");
	/* The ACK after the FIN: data+1 (a FIN that took no number fails). */
	s = target_seg(SEG_ACK, 204, 57, 0);
	assert_int_equal(run_match_seg(&q->stmts[0].u.pkt.alt[0], &s, &b, d,
	    RUN_DIFF_MAX), 0);
	s = target_seg(SEG_ACK, 203, 57, 0);
	assert_int_equal(run_match_seg(&q->stmts[0].u.pkt.alt[0], &s, &b, d,
	    RUN_DIFF_MAX), 1);
	/* '<': ack data+1 is the target's ISN + 204. */
	seg_init(&s, AF_INET);
	assert_int_equal(run_build_seg(&in->stmts[0].u.pkt.alt[0], &s, &to,
	    buf, sizeof(buf), &err), 0);
	assert_int_equal(s.ack, 5000 + 204);
	assert_int_equal(s.seq, 1000 + 56);
	case_free(p);
	case_free(q);
	case_free(in);
}

/*
 * "edge": a '<' line at the right edge of the window the target last
 * offered (RCV.NXT + RCV.WND), or N before or after it; an error while it
 * has offered none.  The payload is the filler at that place in the stream.
 */
static void
build_edge_relative(void **state)
{
	struct case_prog *in = line("< R edge-1:edge-1(0)");
	struct case_prog *at = line("< P. edge:edge+4(4) ack 1");
	struct case_prog *up = line("< R edge+10:edge+10(0)");
	struct run_bases b = { 1000, 5000, 1, 0, 1, 1000 + 1 + 65535 };
	struct seg s;
	uint8_t buf[8], fill[8];
	char *err = NULL;

	(void)state;
	seg_init(&s, AF_INET);
	assert_int_equal(run_build_seg(&in->stmts[0].u.pkt.alt[0], &s, &b,
	    buf, sizeof(buf), &err), 0);
	assert_int_equal(s.seq, 1000 + 65536 - 1);
	assert_int_equal(s.len, 0);
	seg_init(&s, AF_INET);
	assert_int_equal(run_build_seg(&at->stmts[0].u.pkt.alt[0], &s, &b,
	    buf, sizeof(buf), &err), 0);
	assert_int_equal(s.seq, 1000 + 65536);
	assert_int_equal(s.len, 4);
	run_fill(fill, 4, 65535);
	assert_memory_equal(s.data, fill, 4);
	seg_init(&s, AF_INET);
	assert_int_equal(run_build_seg(&up->stmts[0].u.pkt.alt[0], &s, &b,
	    buf, sizeof(buf), &err), 0);
	assert_int_equal(s.seq, 1000 + 65536 + 10);
	b.edge_known = 0;
	assert_int_equal(run_build_seg(&in->stmts[0].u.pkt.alt[0], &s, &b,
	    buf, sizeof(buf), &err), -1);
	assert_string_equal(err, "'edge': the target has offered no window "
	    "yet");
	free(err);
	case_free(in);
	case_free(at);
	case_free(up);
}

/* Every differing field, in one format, in a fixed order. */
static void
match_reports_each_field_expected_observed(void **state)
{
	struct case_prog *p = line("> F. 1:1(0) ack 1001 win 512 urg 0");
	struct seg s = target_seg(SEG_ACK, 0, 1000, 10);
	struct run_diff d[RUN_DIFF_MAX];
	char buf[128];
	struct field_diff fd;

	(void)state;
	s.win = 511;
	s.urp = 7;
	assert_int_equal(run_match_seg(&p->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 6);
	assert_string_equal(d[0].field, "flags");
	assert_string_equal(d[0].exp, "F.");
	assert_string_equal(d[0].obs, ".");
	assert_string_equal(d[1].field, "seq");
	assert_string_equal(d[1].exp, "1");
	assert_string_equal(d[1].obs, "0");
	assert_string_equal(d[2].field, "len");
	assert_string_equal(d[2].obs, "10");
	assert_string_equal(d[3].field, "ack");
	assert_string_equal(d[3].exp, "1001");
	assert_string_equal(d[3].obs, "1000");
	assert_string_equal(d[4].field, "win");
	assert_string_equal(d[5].field, "urg");
	fd.field = d[3].field;
	fd.expected = d[3].exp;
	fd.observed = d[3].obs;
	assert_string_equal(result_diff_str(&fd, buf, sizeof(buf)),
	    "ack: expected 1001, observed 1000");
	case_free(p);
}

/* Sequence numbers wrap: relative 0 of an ISN near 2^32. */
static void
match_relative_numbers_wrap(void **state)
{
	struct case_prog *p = line("> . 1:1(0) ack 1");
	struct run_bases b = { 0xfffffffe, 0xffffffff, 1, 0, 0, 0 };
	struct run_diff d[RUN_DIFF_MAX];
	struct seg s;

	(void)state;
	seg_init(&s, AF_INET);
	s.flags = SEG_ACK;
	s.seq = 0xffffffff;
	s.ack = 0;
	assert_int_equal(run_match_seg(&p->stmts[0].u.pkt.alt[0], &s, &b, d,
	    RUN_DIFF_MAX), 0);
	case_free(p);
}

static void
match_options_exact_subset_any(void **state)
{
	struct case_prog *ex = line("> S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>");
	struct case_prog *sub = line("> S. 0:0(0) ack 1 <wscale 7,...>");
	struct case_prog *any = line("> S. 0:0(0) ack 1 <...>");
	struct case_prog *ts = line("> . 1:1(0) ack 1 <nop,nop,TS val 0 ecr 77>");
	struct seg s = target_seg(SEG_SYN | SEG_ACK, 0, 1, 0);
	struct run_diff d[RUN_DIFF_MAX];

	(void)state;
	seg_add_mss(&s, 1460);
	seg_add_nop(&s);
	seg_add_wscale(&s, 7);
	assert_int_equal(run_match_seg(&ex->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 0);
	assert_int_equal(run_match_seg(&sub->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 0);
	assert_int_equal(run_match_seg(&any->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 0);
	s.nopts = 0;
	s.has = 0;
	seg_add_mss(&s, 1400);
	seg_add_nop(&s);
	seg_add_wscale(&s, 7);
	assert_int_equal(run_match_seg(&ex->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 1);
	assert_string_equal(d[0].field, "options");
	assert_string_equal(d[0].exp, "<mss 1460,nop,wscale 7>");
	assert_string_equal(d[0].obs, "<mss 1400,nop,wscale 7>");
	/* TS: the value is the target's clock (never checked), the echo is. */
	s = target_seg(SEG_ACK, 1, 1, 0);
	seg_add_nop(&s);
	seg_add_nop(&s);
	seg_add_ts(&s, 123456, 77);
	assert_int_equal(run_match_seg(&ts->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 0);
	s.opts[2].data[7] = 78;
	assert_int_equal(run_match_seg(&ts->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 1);
	case_free(ex);
	case_free(sub);
	case_free(any);
	case_free(ts);
}

/* SACK edges are relative to the ISN of the side whose data they cover. */
static void
match_sack_blocks_relative_to_peer_isn(void **state)
{
	struct case_prog *p = line("> . 1:1(0) ack 1 <sack 1001:2001>");
	struct seg s = target_seg(SEG_ACK, 1, 1, 0);
	struct seg_sack blk = { 1000 + 1001, 1000 + 2001 };
	struct run_diff d[RUN_DIFF_MAX];

	(void)state;
	seg_add_sack(&s, &blk, 1);
	assert_int_equal(run_match_seg(&p->stmts[0].u.pkt.alt[0], &s,
	    &from_target, d, RUN_DIFF_MAX), 0);
	case_free(p);
}

static void
match_alternatives_and_closest_diff(void **state)
{
	struct case_prog *p = line("> R. 1:1(0) ack 1001 | R 1:1(0)");
	struct seg r = target_seg(SEG_RST, 1, 0, 0);
	struct seg f = target_seg(SEG_FIN | SEG_ACK, 1, 1001, 0);
	struct run_diff d[RUN_DIFF_MAX];
	int n;

	(void)state;
	assert_int_equal(run_match_pkt(&p->stmts[0].u.pkt, &r, &from_target,
	    d, RUN_DIFF_MAX, &n), 1);
	assert_int_equal(run_match_pkt(&p->stmts[0].u.pkt, &f, &from_target,
	    d, RUN_DIFF_MAX, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(d[0].field, "flags");
	assert_string_equal(d[0].exp, "R.");
	assert_string_equal(d[0].obs, "F.");
	case_free(p);
}

/* "!R" forbids any segment with RST set; "!*" any segment at all. */
static void
negated_flags_are_a_subset(void **state)
{
	struct case_prog *r = line("> !R");
	struct case_prog *all = line("> !*");
	struct seg rst = target_seg(SEG_RST | SEG_ACK, 1, 1, 0);
	struct seg ack = target_seg(SEG_ACK, 1, 1, 0);

	(void)state;
	assert_true(run_match_negated(&r->stmts[0].u.pkt, &rst,
	    &from_target));
	assert_false(run_match_negated(&r->stmts[0].u.pkt, &ack,
	    &from_target));
	assert_true(run_match_negated(&all->stmts[0].u.pkt, &ack,
	    &from_target));
	case_free(r);
	case_free(all);
}

/* A '<' line: given fields replace the template's; data is the filler. */
static void
build_seg_from_line(void **state)
{
	struct case_prog *p = line("< P. 1:11(10) ack 1 win 512 "
	    "<nop,nop,TS val 5 ecr *>");
	struct run_bases to_target = { 1000, 5000, 1, 0, 0, 0 };
	uint8_t buf[64];
	struct seg s;
	char *err = NULL;

	(void)state;
	seg_init(&s, AF_INET);
	s.seq = 4242;
	s.ack = 4343;
	s.win = 100;
	seg_add_ts(&s, 111, 222);
	assert_int_equal(run_build_seg(&p->stmts[0].u.pkt.alt[0], &s,
	    &to_target, buf, sizeof(buf), &err), 0);
	assert_int_equal(s.flags, SEG_PSH | SEG_ACK);
	assert_int_equal(s.seq, 1001);
	assert_int_equal(s.ack, 5001);
	assert_int_equal(s.win, 512);
	assert_int_equal(s.len, 10);
	assert_memory_equal(s.data, "abcdefghij", 10);
	assert_int_equal(s.nopts, 3);
	assert_int_equal(s.tsval, 5);
	assert_int_equal(s.tsecr, 222);
	case_free(p);
}

/* RST without ACK: the template's ack number must not leak. */
static void
build_rst_without_ack_clears_ack(void **state)
{
	struct case_prog *p = line("< R 1:1(0)");
	struct run_bases to_target = { 1000, 5000, 1, 0, 0, 0 };
	uint8_t buf[8];
	struct seg s;
	char *err = NULL;

	(void)state;
	seg_init(&s, AF_INET);
	s.ack = 4343;
	assert_int_equal(run_build_seg(&p->stmts[0].u.pkt.alt[0], &s,
	    &to_target, buf, sizeof(buf), &err), 0);
	assert_int_equal(s.flags, SEG_RST);
	assert_int_equal(s.seq, 1001);
	assert_int_equal(s.ack, 0);
	case_free(p);
}

/*
 * "+1rtt~+2rtt": times in the measured RTT; the lower bound widens by the
 * jitter only, so a segment sent at once is early (RFC 6298 (2.3)).
 */
static void
window_in_rtts(void **state)
{
	struct run_path path = { 1000, 50, 10, 10 };
	struct case_time t = { CASE_T_REL, 1000000, 2000000, 0, 1, 1 };
	struct run_tol tol;
	struct run_win w;

	(void)state;
	run_tol_init(&tol, &path);
	run_window(&t, 0, 1000000, 0, 1000000, &tol, &w);
	assert_int_equal(w.due_lo, 1000000 + 1000);
	assert_int_equal(w.due_hi, 1000000 + 2000);
	assert_int_equal(w.lo, 1000000 + 1000 - 200);
	/* The upper bound keeps the usual tolerance. */
	assert_int_equal(w.hi, 1000000 + 2000 + 4200 + 1200);
	/* Mixed: "+0~+1rtt". */
	t.lo = 0;
	t.lo_unit = CASE_U_SEC;
	t.hi = 1000000;
	run_window(&t, 0, 1000000, 0, 1000000, &tol, &w);
	assert_int_equal(w.due_lo, 1000000);
	assert_int_equal(w.due_hi, 1001000);
}

/*
 * "+1.75gap~+2.25gap": times in the gap between the last two segments
 * matched (a back-off that doubles, RFC 6298 (5.5)); the lower bound
 * widens by the jitter only, so an interval that did not double is early.
 */
static void
window_in_gaps(void **state)
{
	struct run_path path = { 1000, 50, 10, 10 };
	struct case_time t = { CASE_T_REL, 1750000, 2250000, 0, CASE_U_GAP,
	    CASE_U_GAP };
	struct run_tol tol;
	struct run_win w;

	(void)state;
	run_tol_init(&tol, &path);
	/* The last two segments were 1 s apart. */
	run_window(&t, 0, 3000000, 1000000, 3000000, &tol, &w);
	assert_int_equal(w.due_lo, 3000000 + 1750000);
	assert_int_equal(w.due_hi, 3000000 + 2250000);
	assert_int_equal(w.lo, 3000000 + 1750000 - 200);
	assert_int_equal(w.hi, 3000000 + 2250000 + 4200 + 1200);
	/* Twice the gap in seconds: the same line means 2 s after 2 s. */
	run_window(&t, 0, 3000000, 2000000, 3000000, &tol, &w);
	assert_int_equal(w.due_lo, 3000000 + 3500000);
	assert_int_equal(w.due_hi, 3000000 + 4500000);
}

/* packetdrill's tolerance: max(4 ms + 4 jitter, 12.5% of the gap) + RTT. */
static void
window_tolerance_from_path(void **state)
{
	struct run_path path = { 1000, 500, 10, 10 };
	struct case_time t = { CASE_T_REL, 100000, 100000, 0, 0, 0 };
	struct run_tol tol;
	struct run_win w;

	(void)state;
	run_tol_init(&tol, &path);
	assert_int_equal(tol.abs_us, 4000 + 2000);
	assert_int_equal(tol.late_us, 1000 + 2000);
	run_window(&t, 0, 1000000, 0, 1000000, &tol, &w);
	assert_true(w.judged);
	/* gap 100 ms: 12.5 % = 12.5 ms beats 6 ms. */
	assert_int_equal(w.lo, 1000000 + 100000 - 12500);
	assert_int_equal(w.hi, 1000000 + 100000 + 12500 + 3000);
	assert_int_equal(w.give_up, w.hi + RUN_LATE_GRACE_US);
	t.lo = t.hi = 0;
	run_window(&t, 0, 1000000, 0, 1000000, &tol, &w);
	assert_int_equal(w.lo, 1000000 - 6000);
	assert_int_equal(w.hi, 1000000 + 6000 + 3000);
	/* "~" (about): 50 % of the gap, at least 20 ms + 4 jitter. */
	t.lo = t.hi = 40000;
	t.about = 1;
	run_window(&t, 0, 1000000, 0, 1000000, &tol, &w);
	assert_int_equal(w.lo, 1040000 - 22000);
	/* Absolute times count from the case's start. */
	t.kind = CASE_T_ABS;
	t.about = 0;
	t.lo = t.hi = 2000000;
	run_window(&t, 5000000, 6000000, 0, 6000000, &tol, &w);
	assert_int_equal(w.due_lo, 7000000);
	/* No time given: no judgement, a default wait. */
	t.kind = CASE_T_DEFAULT;
	run_window(&t, 0, 0, 0, 500, &tol, &w);
	assert_false(w.judged);
	assert_int_equal(w.give_up, 500 + RUN_WAIT_DEFAULT_US);
}

static void
path_median_and_jitter(void **state)
{
	int64_t s[5] = { 100, 90, 500, 110, 100 };
	struct run_path p;

	(void)state;
	run_path_compute(&p, s, 5, 5);
	assert_int_equal(p.rtt_us, 100);
	assert_int_equal(p.jitter_us, (0 + 10 + 400 + 10 + 0) / 5);
	assert_false(run_path_noisy(&p));
	run_path_compute(&p, s, 4, 5);
	assert_true(run_path_noisy(&p));
	run_path_compute(&p, s, 0, 5);
	assert_int_equal(p.rtt_us, -1);
	assert_true(run_path_noisy(&p));
}

/* The classification table (DESIGN.md "Verdicts"). */
static void
classify_table(void **state)
{
	static const struct {
		int		kind;	/* FIND_*, -1: no finding (a pass) */
		enum case_sev	sev;
		int		noisy;
		uint64_t	drops;
		int		measured;
		enum verdict	v;
		int		retry;
	} t[] = {
		{ -1, CASE_SEV_MUST, 0, 0, 0, VERDICT_PASS, 0 },
		{ -1, CASE_SEV_MUST, 0, 0, 1, VERDICT_INFO, 0 },
		{ FIND_MISMATCH, CASE_SEV_MUST, 0, 0, 0, VERDICT_FAIL, 0 },
		{ FIND_MISMATCH, CASE_SEV_SHOULD, 0, 0, 0, VERDICT_WARN,
		    0 },
		{ FIND_MISMATCH, CASE_SEV_MAY, 0, 0, 0, VERDICT_INFO, 0 },
		{ FIND_MISMATCH, CASE_SEV_MUST, 0, 3, 0,
		    VERDICT_INCONCLUSIVE, 1 },
		{ FIND_MISSING, CASE_SEV_MUST, 1, 0, 0, VERDICT_FAIL, 0 },
		{ FIND_FORBIDDEN, CASE_SEV_MUST, 0, 0, 0, VERDICT_FAIL,
		    0 },
		{ FIND_STATE, CASE_SEV_SHOULD, 0, 0, 0, VERDICT_WARN, 0 },
		{ FIND_TIMING, CASE_SEV_MUST, 0, 0, 0, VERDICT_FAIL, 1 },
		{ FIND_TIMING, CASE_SEV_MUST, 1, 0, 0,
		    VERDICT_INCONCLUSIVE, 1 },
		{ FIND_TIMING, CASE_SEV_MUST, 0, 1, 0,
		    VERDICT_INCONCLUSIVE, 1 },
		{ FIND_NA, CASE_SEV_MUST, 0, 0, 0, VERDICT_NA, 0 },
		{ FIND_ERROR, CASE_SEV_MUST, 0, 0, 0, VERDICT_ERROR, 0 },
	};
	struct check_att a;
	struct finding f;
	const char *why;
	size_t i;
	int retry;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&a, 0, sizeof(a));
		if (t[i].measured) {
			check_finding(&f, FIND_MEASURED, NULL, NULL, NULL);
			check_att_add(&a, &f);
		}
		if (t[i].kind >= 0) {
			check_finding(&f, (enum find_kind)t[i].kind, NULL, NULL,
			    NULL);
			f.sev = t[i].sev;
			check_att_add(&a, &f);
		}
		if (t[i].drops > 0) {
			check_finding(&f, FIND_CAPLOSS, NULL, NULL, NULL);
			f.count = t[i].drops;
			check_att_add(&a, &f);
		}
		assert_int_equal(check_verdict(&a, t[i].noisy, &retry, &why),
		    t[i].v);
		assert_int_equal(retry, t[i].retry);
		check_att_free(&a);
	}
}

static void
aggregate_retries_and_repeats(void **state)
{
	enum verdict ip[2] = { VERDICT_INCONCLUSIVE, VERDICT_PASS };
	enum verdict ii[3] = { VERDICT_INCONCLUSIVE, VERDICT_INCONCLUSIVE,
	    VERDICT_INCONCLUSIVE };
	enum verdict rep[4] = { VERDICT_PASS, VERDICT_FAIL, VERDICT_PASS,
	    VERDICT_PASS };
	enum verdict mix[3] = { VERDICT_PASS, VERDICT_INCONCLUSIVE,
	    VERDICT_PASS };
	enum verdict same[2] = { VERDICT_WARN, VERDICT_WARN };
	char why[128];

	(void)state;
	assert_int_equal(run_aggregate(ip, 2, 1, why, sizeof(why)),
	    VERDICT_FLAKY);
	assert_non_null(strstr(why, "passed on attempt 2"));
	assert_int_equal(run_aggregate(ii, 3, 1, why, sizeof(why)),
	    VERDICT_INCONCLUSIVE);
	assert_int_equal(run_aggregate(rep, 4, 0, why, sizeof(why)),
	    VERDICT_FAIL);
	assert_string_equal(why, "fail in 1 of 4 runs");
	assert_int_equal(run_aggregate(mix, 3, 0, why, sizeof(why)),
	    VERDICT_FLAKY);
	assert_string_equal(why, "passed 2 of 3 runs");
	assert_int_equal(run_aggregate(same, 2, 0, why, sizeof(why)),
	    VERDICT_WARN);
}

static void
expect_file_parse_and_apply(void **state)
{
	static const char text[] =
	    "# linux 6.x\n"
	    "\n"
	    "close/fin-ack-delay   warn   Linux delays the FIN's ACK\n"
	    "rst/*              v6 fail,warn\n"
	    "handshake/syn-data    fail\n";
	struct run_expect *e;
	const char *why;
	char *err = NULL;

	(void)state;
	assert_int_equal(run_expect_parse("x", text, strlen(text), &e, &err),
	    0);
	assert_int_equal(run_expect_apply(e, "close/fin-ack-delay", AF_INET,
	    VERDICT_WARN, &why), VERDICT_XFAIL);
	assert_string_equal(why, "Linux delays the FIN's ACK");
	assert_int_equal(run_expect_apply(e, "close/fin-ack-delay", AF_INET,
	    VERDICT_PASS, &why), VERDICT_XPASS);
	assert_int_equal(run_expect_apply(e, "close/fin-ack-delay", AF_INET,
	    VERDICT_FAIL, &why), VERDICT_FAIL);
	assert_int_equal(run_expect_apply(e, "rst/a/b", AF_INET6, VERDICT_FAIL,
	    &why), VERDICT_XFAIL);
	assert_int_equal(run_expect_apply(e, "rst/a", AF_INET, VERDICT_FAIL,
	    &why), VERDICT_FAIL);
	assert_int_equal(run_expect_apply(e, "other", AF_INET, VERDICT_FAIL,
	    &why), VERDICT_FAIL);
	assert_null(why);
	assert_int_equal(run_expect_apply(NULL, "x", AF_INET, VERDICT_FAIL,
	    &why), VERDICT_FAIL);
	run_expect_free(e);
}

/* not-applicable: the case is not run; the first matching line decides. */
static void
expect_file_not_applicable(void **state)
{
	static const char text[] =
	    "rst-unread/linger-*  warn  a known warning first\n"
	    "rst-unread/*  v4 not-applicable  the proxy reads everything\n";
	struct run_expect *e;
	const char *why;
	char *err = NULL;

	(void)state;
	assert_int_equal(run_expect_parse("x", text, strlen(text), &e, &err),
	    0);
	assert_string_equal(run_expect_na(e, "rst-unread/close-with-unread",
	    AF_INET), "the proxy reads everything");
	assert_null(run_expect_na(e, "rst-unread/close-with-unread",
	    AF_INET6));
	assert_null(run_expect_na(e, "rst-unread/linger-zero", AF_INET));
	assert_null(run_expect_na(e, "close/x", AF_INET));
	assert_null(run_expect_na(NULL, "close/x", AF_INET));
	/* Never run, so its recorded verdict stays as it is. */
	assert_int_equal(run_expect_apply(e, "rst-unread/close-with-unread",
	    AF_INET, VERDICT_NA, &why), VERDICT_NA);
	assert_string_equal(why, "the proxy reads everything");
	run_expect_free(e);
}

static void
expect_file_errors_name_the_line(void **state)
{
	struct run_expect *e = NULL;
	char *err = NULL;

	(void)state;
	assert_int_equal(run_expect_parse("base.txt", "a fail\nb pass\n", 14,
	    &e, &err), -1);
	assert_string_equal(err, "base.txt:2: expected a verdict (fail, warn, "
	    "inconclusive, info or not-applicable) after 'b', found 'pass'");
	free(err);
	assert_int_equal(run_expect_parse("base.txt", "a not-applicable\n", 17,
	    &e, &err), -1);
	assert_string_equal(err, "base.txt:1: not-applicable needs a reason: "
	    "why this kind of target cannot show 'a'");
	free(err);
	assert_int_equal(run_expect_parse("base.txt", "a fail,not-applicable "
	    "x\n", 24, &e, &err), -1);
	free(err);
	assert_int_equal(run_expect_parse("base.txt", "lonely\n", 7, &e,
	    &err), -1);
	assert_non_null(strstr(err, "base.txt:1:"));
	assert_non_null(strstr(err, "end of line"));
	free(err);
}

/* Option parsing: what "run" accepts and what it refuses, and why. */
static void
run_opts_table(void **state)
{
	static const struct {
		const char	*args;
		int		 rc;
		const char	*err;	/* a part of the message */
	} t[] = {
		{ "run --loopback cases", 0, NULL },
		{ "run --loopback -4 -j 4 --repeat 3 --strict x", 0, NULL },
		{ "run", -1, "no target" },
		{ "run --loopback --target 127.0.0.1", -1, "exclude" },
		{ "run --target 198.18.0.2", -1, "refusing to send" },
		{ "run --target 198.18.0.2 --remote", 0, NULL },
		{ "run --target 127.0.0.2", 0, NULL },
		{ "run --target ::1 -4", -1, "IPv6" },
		/* neither an address nor a host name: refused unresolved */
		{ "run --target exa_mple --remote", -1, "or a host name" },
		{ "run --loopback -j 0", -1, "-j" },
		{ "run --loopback --port 70000", -1, "--port" },
		{ "run --loopback --mode phantom", -1, "host mode" },
		{ "run --target 198.18.0.2 --remote --mode phantom", -1,
		    "--iface" },
		{ "run --loopback --service gopher", -1, "--service" },
		{ "run --loopback --msl 500ms", 0, NULL },
		{ "run --loopback --msl 5h", -1, "--msl" },
		{ "run --loopback --rate 0", -1, "--rate" },
		{ "run --loopback --bogus", -1, "unknown option" },
		{ "run --loopback --agent 198.18.0.2", -1, "refusing" },
		{ "run --target 198.18.0.2 --remote --agent 198.18.0.2:7447",
		    0, NULL },
		{ "run --loopback --agent 127.0.0.1:7447", 0, NULL },
	};
	struct run_opts o;
	char *argv[32], *copy, *err;
	size_t i;
	int argc;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		copy = strdup(t[i].args);
		argc = 0;
		for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "))
			argv[argc++] = w;
		argv[argc] = NULL;
		run_opts_init(&o);
		err = NULL;
		assert_int_equal(run_opts_parse(&o, argc, argv, &err), t[i].rc);
		if (t[i].err != NULL) {
			if (err == NULL || strstr(err, t[i].err) == NULL)
				fail_msg("%s: '%s'", t[i].args, err ? err :
				    "(none)");
		}
		free(err);
		run_opts_free(&o);
		free(copy);
	}
}

static void
run_opts_families_and_values(void **state)
{
	char *argv[] = { "run", "--loopback", "-j", "4", "--msl", "500ms",
	    "--port", "8080", "--service", "http", "cases", "more", NULL };
	struct run_opts o;
	char *err = NULL;

	(void)state;
	run_opts_init(&o);
	assert_int_equal(run_opts_parse(&o, 12, argv, &err), 0);
	assert_int_equal(o.families, RUN_FAM_4 | RUN_FAM_6);
	assert_int_equal(o.jobs, 4);
	assert_int_equal(o.msl_us, 500000);
	assert_int_equal(o.port, 8080);
	assert_int_equal(o.service, RUN_SVC_HTTP);
	assert_int_equal(o.npaths, 2);
	assert_string_equal(o.paths[1], "more");
	run_opts_free(&o);
}

static void
case_ids(void **state)
{
	static const struct {
		const char *path, *base, *id;
	} t[] = {
		{ "cases/handshake/passive.case", "cases", "handshake/passive" },
		{ "./cases/handshake/passive.case", NULL, "handshake/passive" },
		{ "/usr/share/tcpconform/cases/rst/x.case", "/usr/share/"
		    "tcpconform/cases", "rst/x" },
		{ "tests/cases-run/a.case", "tests/cases-run", "a" },
		{ "tests/cases-run/sub/a.case", "tests/cases-run/", "sub/a" },
		{ "somewhere/else/file.case", NULL, "file" },
		{ "file.case", NULL, "file" },
	};
	size_t i;
	char *id;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		id = run_case_id(t[i].path, t[i].base);
		assert_string_equal(id, t[i].id);
		free(id);
	}
}

static void
agent_addresses(void **state)
{
	char host[64];
	uint16_t port;

	(void)state;
	assert_int_equal(run_agent_addr("198.18.0.2", host, sizeof(host),
	    &port), 0);
	assert_string_equal(host, "198.18.0.2");
	assert_int_equal(port, AGENT_DEFAULT_PORT);
	assert_int_equal(run_agent_addr("198.18.0.2:9", host, sizeof(host),
	    &port), 0);
	assert_int_equal(port, 9);
	assert_int_equal(run_agent_addr("[2001:db8::2]:7448", host,
	    sizeof(host), &port), 0);
	assert_string_equal(host, "2001:db8::2");
	assert_int_equal(port, 7448);
	assert_int_equal(run_agent_addr("2001:db8::2", host, sizeof(host),
	    &port), 0);
	assert_string_equal(host, "2001:db8::2");
	assert_int_equal(port, AGENT_DEFAULT_PORT);
	assert_int_equal(run_agent_addr("198.18.0.2:0", host, sizeof(host),
	    &port), -1);
	assert_int_equal(run_agent_addr("[::1", host, sizeof(host), &port),
	    -1);
	assert_int_equal(run_agent_addr("", host, sizeof(host), &port), -1);
}

static void
needs_text(void **state)
{
	char buf[80];

	(void)state;
	assert_string_equal(run_needs_str(CASE_NEED_AGENT | CASE_NEED_IPV6,
	    buf, sizeof(buf)), "agent ipv6");
	assert_string_equal(run_needs_str(0, buf, sizeof(buf)), "");
}

/*
 * Retries after path trouble (run_aggregate_retries): what the path spoiled
 * does not count, a failure the path cannot explain does, a middlebox is
 * never the target.
 */
static struct run_att
att(enum verdict v, enum verdict clean, unsigned tr, int line)
{
	struct run_att a;

	memset(&a, 0, sizeof(a));
	a.v = v;
	a.clean = clean;
	a.trouble = tr;
	a.kind = FIND_MISMATCH;
	a.line = line;
	return a;
}

/* The same, decided by a finding of another kind. */
static struct run_att
miss(enum verdict v, enum verdict clean, unsigned tr, int line,
    enum find_kind kind)
{
	struct run_att a = att(v, clean, tr, line);

	a.kind = kind;
	return a;
}

/*
 * A pass that an ACK the path drew made (RUN_TR_DRAWN: a reordered,
 * lost or copied segment of ours acknowledged at once) counts for neither
 * side: four attempts that missed the ACK at one line around it are that
 * miss (ack-timer-only under impairment: ack/every-second-segment passed
 * on such an ACK in 5 of 10 runs); after it, a pass is a pass.
 */
static void
retries_drawn_pass_counts_for_neither(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, W = VERDICT_WARN;
	struct run_att a[5];
	char why[200];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		a[i] = miss(I, W, RUN_TR_PATH, 30, FIND_MISSING);
	a[2] = miss(I, VERDICT_PASS, RUN_TR_DRAWN, 0, FIND_N);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), W);
	assert_non_null(strstr(why, "line 30"));
	a[4] = a[2];
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), W);
	/* Drawn, then a pass: a pass. */
	a[1] = miss(VERDICT_PASS, VERDICT_PASS, 0, 0, FIND_N);
	assert_int_equal(run_aggregate_retries(&a[2], 1, 5, why,
	    sizeof(why)), I);
	a[3] = a[1];
	assert_int_equal(run_aggregate_retries(&a[2], 2, 5, why,
	    sizeof(why)), VERDICT_PASS);
	/* Every attempt drawn: nothing shown. */
	for (i = 0; i < 5; i++)
		a[i] = a[2];
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
}

/*
 * Two attempts whose agent answered late (RUN_TR_AGENT: a request the
 * control connection lost, sent again by the tester's kernel 200 ms on)
 * miss the line after the request alike by that alone: they are not two
 * failures alike (retransmission/data-backoff's second write under 5 %
 * loss, 2 of 16 attempts), nor are two of which the other acted late
 * itself.  With the other attempts spoiled elsewhere, the case is
 * inconclusive; an attempt without such trouble that fails alike makes
 * the pair, the target's.
 */
static void
retries_two_late_agent_answers_are_not_alike(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, F = VERDICT_FAIL;
	const unsigned ag = RUN_TR_PATH | RUN_TR_AGENT;
	struct run_att a[5];
	char why[320];

	(void)state;
	a[0] = miss(I, F, RUN_TR_PATH, 33, FIND_TIMING);
	a[1] = miss(I, F, ag, 50, FIND_TIMING);
	a[2] = miss(I, F, RUN_TR_PATH, 42, FIND_MISSING);
	a[3] = miss(I, F, ag, 50, FIND_MISSING);
	a[4] = miss(I, F, RUN_TR_PATH, 43, FIND_MISSING);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	a[4] = miss(I, F, RUN_TR_PATH, 50, FIND_MISSING);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	assert_non_null(strstr(why, "line 50"));
	a[1].trouble = a[3].trouble = RUN_TR_PATH | RUN_TR_LATE;
	a[4] = miss(I, F, RUN_TR_PATH, 43, FIND_MISSING);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	/* One of each: the tester's side in both. */
	a[3].trouble = ag;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
}

/*
 * A pass that one lost segment fakes (RUN_TR_ONCE: one back-off step,
 * one segment not sent again) counts for neither side alone: four timing
 * misses at the step around it are that failure; a second such pass
 * confirms it, whatever failed between.
 */
static void
retries_one_fragile_pass_needs_a_second(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, F = VERDICT_FAIL;
	struct run_att a[5];
	char why[320];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		a[i] = miss(I, F, RUN_TR_PATH, 31, FIND_TIMING);
	a[0] = miss(I, VERDICT_PASS, RUN_TR_ONCE, 0, FIND_N);
	assert_false(run_fragile_confirmed(a, 5));
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	assert_non_null(strstr(why, "line 31"));
	a[4] = a[0];
	assert_true(run_fragile_confirmed(a, 5));
	assert_false(run_fragile_confirmed(a, 4));
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)),
	    VERDICT_PASS);
	assert_non_null(strstr(why, "passed in 2 of 5 attempts"));
	assert_non_null(strstr(why, "the path spoiling the others"));
	/*
	 * With such a pass among them, two failures alike are not enough
	 * (a conformant target whose path spoiled the four retries after
	 * it): three are.
	 */
	a[4] = miss(I, F, RUN_TR_PATH, 29, FIND_TIMING);
	a[3].line = 27;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	a[3].line = 31;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	/* One such pass, last, and no twins: nothing shown. */
	a[4] = miss(I, F, RUN_TR_PATH, 29, FIND_TIMING);
	a[3].line = 27;
	a[2].line = 25;
	a[1].line = 23;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	/*
	 * Two attempts early at a back-off step (line 31), flat (the
	 * interval within 1/8 of the one before: no lost resend makes a
	 * timer that doubles look so), and two fragile passes between
	 * (retransmission/syn-backoff against no-rto-backoff, the path
	 * having lost one SYN in each): the failure, where two passes
	 * otherwise stand.  Two such failures alike need no third.
	 */
	for (i = 0; i < 5; i++) {
		a[i] = miss(I, F, RUN_TR_DUP, 31, FIND_TIMING);
		a[i].early = a[i].step = 1;
		a[i].from = 31;
	}
	a[1] = a[4] = miss(I, VERDICT_PASS, RUN_TR_ONCE, 0, FIND_N);
	a[2].line = a[2].from = 29;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)),
	    VERDICT_PASS);
	a[0].flat = a[3].flat = 1;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	assert_non_null(strstr(why, "two the same way (line 31)"));
	/* The same with a failure last: two flat alike need no third. */
	a[4] = a[0];
	a[3] = miss(I, VERDICT_PASS, RUN_TR_ONCE, 0, FIND_N);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	a[0].flat = a[4].flat = 0;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	/* One flat, one not (a lost resend's 4/3): a third is needed. */
	a[4].flat = 1;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
}

/*
 * An attempt that the path spoiled (RUN_TR_PATH), failed at a back-off
 * step (a line timed in gaps, the run of them starting at from): kind,
 * early or not.
 */
static struct run_att
at_step(enum verdict clean, int line, int from, enum find_kind kind,
    int early)
{
	struct run_att a = miss(VERDICT_INCONCLUSIVE, clean, RUN_TR_PATH,
	    line, kind);

	a.early = early;
	a.step = 1;
	a.from = from;
	return a;
}

/*
 * A segment that came before its window and one that came after it (or
 * not at all) are two ways to fail, not one (close/retransmitted-fin on
 * Linux under 5 % loss: two attempts whose lost resend made the next
 * interval look short, two whose lost resend made it look long, and one
 * fragile pass, came out as the target's failure).
 */
static void
retries_early_is_not_late(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, F = VERDICT_FAIL;
	struct run_att a[5];
	char why[320];

	(void)state;
	a[0] = a[1] = at_step(F, 50, 50, FIND_TIMING, 1);
	a[2] = at_step(F, 51, 50, FIND_MISSING, 0);
	a[3] = at_step(F, 50, 50, FIND_MISSING, 0);
	a[4] = miss(I, VERDICT_PASS, RUN_TR_ONCE, 0, FIND_N);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	/* Three early at the step: a timer that does not back off. */
	a[3] = a[0];
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	assert_non_null(strstr(why, "line 50"));
	/* Late and missing are one miss; early and missing are not. */
	a[4] = miss(I, F, RUN_TR_PATH, 40, FIND_MISMATCH);
	a[0] = at_step(F, 50, 50, FIND_TIMING, 0);
	a[1] = a[3] = at_step(F, 50, 50, FIND_MISSING, 0);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	a[0].early = 1;
	a[3] = at_step(F, 50, 50, FIND_MISMATCH, 0);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
}

/*
 * At a back-off step, two of five attempts early alike are not enough:
 * a resend the path lost makes a doubling timer's next interval look
 * short (window/persist-backoff on Linux under 5 % loss warned so); a
 * timer that does not back off is early there in three and more.  With
 * three attempts, or at a line that is no step, two still are.
 */
static void
retries_step_needs_three(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, W = VERDICT_WARN;
	struct run_att a[5];
	char why[320];

	(void)state;
	a[0] = a[1] = at_step(W, 51, 51, FIND_TIMING, 1);
	a[2] = at_step(W, 51, 51, FIND_MISSING, 0);
	a[3] = at_step(W, 52, 51, FIND_TIMING, 1);
	a[4] = at_step(W, 51, 51, FIND_TIMING, 0);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	a[4] = a[0];
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), W);
	assert_non_null(strstr(why, "line 51"));
	/* Three attempts: two are all there can be. */
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)), W);
	/* No step: two alike are that failure. */
	a[0].step = a[1].step = a[2].step = 0;
	a[3] = miss(I, W, RUN_TR_PATH, 40, FIND_MISMATCH);
	a[4] = miss(I, W, RUN_TR_PATH, 45, FIND_MISMATCH);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), W);
	a[0].step = a[1].step = 1;
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
}

/*
 * With five spoiled attempts, two that missed one segment at the last
 * line are not enough: the path's loss makes that miss, and a case whose
 * exchanges each wait for one segment meets two at its last line now and
 * then (ack/reassembly-acked-once on Linux under 5 % loss: two pairs, at
 * its two connections' lines 37 and 51).  Three are; with three attempts,
 * or when the two came and were wrong, two still are.
 */
static void
retries_missing_needs_three(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, F = VERDICT_FAIL;
	struct run_att a[5];
	char why[320];

	(void)state;
	a[0] = miss(I, F, RUN_TR_PATH, 37, FIND_MISSING);
	a[1] = miss(I, F, RUN_TR_PATH, 51, FIND_MISSING);
	a[2] = miss(I, F, RUN_TR_PATH, 37, FIND_MISSING);
	a[3] = miss(I, F, RUN_TR_RETRANS, 38, FIND_FORBIDDEN);
	a[4] = miss(I, F, RUN_TR_PATH, 51, FIND_MISSING);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	/* Another attempt may settle it; not before the fifth. */
	assert_true(run_retries_more(a, 5, 5));
	assert_false(run_retries_more(a, 4, 5));
	assert_false(run_retries_more(a, 3, 3));
	/* Late is the same miss as missing. */
	a[4] = miss(I, F, RUN_TR_PATH, 51, FIND_TIMING);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), I);
	a[3] = miss(I, F, RUN_TR_OURS, 51, FIND_MISSING);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	assert_non_null(strstr(why, "three the same way (line 51)"));
	assert_false(run_retries_more(a, 5, 5));
	/* Three attempts: two are all there can be. */
	a[0] = miss(I, F, RUN_TR_PATH, 51, FIND_MISSING);
	a[2] = miss(I, F, RUN_TR_PATH, 40, FIND_MISMATCH);
	assert_int_equal(run_aggregate_retries(&a[0], 3, 3, why, sizeof(why)),
	    F);
	/* Two that came wrong at the last line are that failure. */
	a[0] = miss(I, F, RUN_TR_PATH, 37, FIND_MISSING);
	a[1] = miss(I, F, RUN_TR_PATH, 51, FIND_MISMATCH);
	a[2] = miss(I, F, RUN_TR_PATH, 37, FIND_MISSING);
	a[3] = miss(I, F, RUN_TR_RETRANS, 38, FIND_FORBIDDEN);
	a[4] = miss(I, F, RUN_TR_PATH, 51, FIND_MISMATCH);
	assert_int_equal(run_aggregate_retries(a, 5, 5, why, sizeof(why)), F);
	assert_non_null(strstr(why, "line 51"));
}

static void
retries_after_path_trouble(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, F = VERDICT_FAIL;
	struct run_att a[3];
	char why[200];

	(void)state;
	/* Spoiled by a copy, then passed: a pass. */
	a[0] = att(I, F, RUN_TR_DUP, 18);
	a[1] = att(VERDICT_PASS, VERDICT_PASS, 0, 0);
	assert_int_equal(run_aggregate_retries(a, 2, 3, why, sizeof(why)),
	    VERDICT_PASS);
	assert_non_null(strstr(why, "spoiled"));
	/*
	 * A timing miss on a noisy path, then a pass: flaky; unless the
	 * segment that decided seemed to answer a copy of ours: a pass.
	 */
	a[0] = miss(I, I, RUN_TR_PATH, 38, FIND_TIMING);
	assert_int_equal(run_aggregate_retries(a, 2, 3, why, sizeof(why)),
	    VERDICT_FLAKY);
	a[0].trouble |= RUN_TR_ECHO;
	assert_int_equal(run_aggregate_retries(a, 2, 3, why, sizeof(why)),
	    VERDICT_PASS);
	assert_non_null(strstr(why, "copy of ours"));
	/* Only the run's suspicion of the path, then passed: flaky. */
	a[0] = att(I, F, RUN_TR_PATH, 18);
	assert_int_equal(run_aggregate_retries(a, 2, 3, why, sizeof(why)),
	    VERDICT_FLAKY);
	/* Three failures, two at line 18: that failure. */
	a[0] = att(I, F, RUN_TR_RETRANS, 18);
	a[1] = att(I, F, RUN_TR_OURS, 12);
	a[2] = att(I, F, RUN_TR_PATH, 18);
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)),
	    VERDICT_FAIL);
	assert_non_null(strstr(why, "line 18"));
	/*
	 * A timing miss on a quiet path (warn, retried), then the same ACK
	 * missing twice with our data unacknowledged: that warn.
	 */
	a[0] = miss(VERDICT_WARN, VERDICT_WARN, 0, 30, FIND_TIMING);
	a[1] = miss(I, VERDICT_WARN, RUN_TR_OURS, 33, FIND_MISSING);
	a[2] = miss(I, VERDICT_WARN, RUN_TR_OURS, 33, FIND_MISSING);
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)),
	    VERDICT_WARN);
	assert_non_null(strstr(why, "line 33"));
	/* Late once, missing once at one line: the same miss. */
	a[1] = miss(I, VERDICT_WARN, RUN_TR_OURS, 30, FIND_MISSING);
	a[2] = att(I, VERDICT_WARN, RUN_TR_OURS, 36);
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)),
	    VERDICT_WARN);
	assert_non_null(strstr(why, "line 30"));
	/*
	 * Timing misses at one line that only a noisy path made doubtful,
	 * in every attempt: that failure; at two lines, still doubtful.
	 */
	a[0] = miss(I, I, 0, 31, FIND_TIMING);
	a[0].raw = F;
	a[1] = a[0];
	a[2] = a[0];
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)), F);
	assert_non_null(strstr(why, "a noisy path"));
	a[1].line = 29;
	a[2].line = 27;
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)), I);
	/* Nor where the capture lost datagrams. */
	a[1].line = a[2].line = 31;
	a[2].cap_dropped = 1;
	assert_int_not_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)),
	    F);
	a[0] = miss(VERDICT_WARN, VERDICT_WARN, 0, 30, FIND_TIMING);
	a[1] = miss(I, VERDICT_WARN, RUN_TR_OURS, 30, FIND_MISSING);
	a[2] = att(I, VERDICT_WARN, RUN_TR_OURS, 36);
	/* ... but a pass among them is no failure. */
	a[0] = att(VERDICT_PASS, VERDICT_PASS, 0, 0);
	assert_int_not_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)),
	    VERDICT_WARN);
	a[0] = att(I, F, RUN_TR_RETRANS, 18);
	a[1] = att(I, F, RUN_TR_OURS, 12);
	/* Three different failures: the path may explain them. */
	a[2] = att(I, F, RUN_TR_PATH, 10);
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)),
	    VERDICT_INCONCLUSIVE);
	/* A segment with another TTL decided: never the target's. */
	a[0] = att(I, F, RUN_TR_MIDDLEBOX, 18);
	a[1] = att(I, F, RUN_TR_MIDDLEBOX, 18);
	a[2] = att(I, F, RUN_TR_MIDDLEBOX, 18);
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)),
	    VERDICT_INCONCLUSIVE);
	assert_non_null(strstr(why, "middlebox"));
}

/*
 * On a path seen to lose (five attempts allowed), three failures two of
 * them alike are not yet a failure: the lossy path makes them too often;
 * all five, two alike, are.
 */
static void
retries_on_a_lossy_path(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, F = VERDICT_FAIL;
	struct run_att a[RUN_ATT_CAP];
	char why[200];
	size_t i;

	(void)state;
	a[0] = att(I, F, RUN_TR_RETRANS, 18);
	a[1] = att(I, F, RUN_TR_OURS, 12);
	a[2] = att(I, F, RUN_TR_PATH, 18);
	assert_int_equal(run_aggregate_retries(a, 3, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_INCONCLUSIVE);
	a[3] = att(I, F, RUN_TR_PATH, 10);
	a[4] = att(I, F, RUN_TR_OURS, 18);
	assert_int_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_FAIL);
	assert_non_null(strstr(why, "in all 5 attempts"));
	assert_non_null(strstr(why, "line 18"));
	/*
	 * One attempt failed at line 30, so it got past line 18: the two
	 * alike there are the path's (misses spread over many timed
	 * exchanges), not the target's.  With three attempts they count.
	 */
	a[3] = att(I, F, RUN_TR_PATH, 30);
	assert_int_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_INCONCLUSIVE);
	a[1] = att(I, F, RUN_TR_OURS, 30);
	assert_int_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_FAIL);
	assert_non_null(strstr(why, "line 30"));
	a[1] = att(I, F, RUN_TR_OURS, 30);
	assert_int_equal(run_aggregate_retries(a, 3, 3, why, sizeof(why)),
	    VERDICT_FAIL);
	assert_non_null(strstr(why, "line 18"));
	/*
	 * Back-off steps (lines 39 and 40, each timed from the interval
	 * before it): a timer that does not back off fails the first in
	 * every attempt, unless the path lost that resend: then the next
	 * passes the first step and fails the second.  That attempt got
	 * past line 39 on the loss, not on the target's timer: the four at
	 * 39 are the failure (retransmission/data-backoff against
	 * no-rto-backoff was inconclusive in 2 of 10 runs so).
	 */
	for (i = 0; i < 5; i++) {
		a[i] = miss(I, F, RUN_TR_PATH, 39, FIND_TIMING);
		a[i].from = 39;
	}
	a[2].line = 40;
	assert_int_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_FAIL);
	assert_non_null(strstr(why, "line 39"));
	/* A failure past the steps (line 42) still says the path did it. */
	a[2].line = a[2].from = 42;
	assert_int_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_INCONCLUSIVE);
	/*
	 * The first fill withheld its ACK (line 40) in four attempts; in the
	 * fifth a path copy of the filling segment, old data, drew the ACK
	 * at once (its D-SACK block shows it: RUN_TR_DRAWN), and the next
	 * fill (line 46) missed it.  That attempt did not get past line 40
	 * by the target's doing: the four at 40 are the warn
	 * (ack/ooo-dup-ack-then-fill against hole-fill-ack-delayed was
	 * inconclusive in 2 of 10 runs so).  Without the drawn ACK, the
	 * attempt at 46 says the four at 40 are the path's.
	 */
	for (i = 0; i < 5; i++)
		a[i] = miss(I, VERDICT_WARN, RUN_TR_PATH, 40, FIND_MISSING);
	a[3].line = 46;
	assert_int_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_INCONCLUSIVE);
	a[3].trouble |= RUN_TR_DRAWN;
	a[3].drawn = 40;
	assert_int_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_WARN);
	assert_non_null(strstr(why, "four the same way (line 40)"));
	/* A drawn ACK after line 40 (at 43): the attempt still got past
	 * line 40 by the target's doing. */
	a[3].drawn = 43;
	assert_int_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_INCONCLUSIVE);
	/*
	 * Two attempts missed the last line's ACK (line 41), which needs a
	 * third alike; five got the same RST there after an RST of ours
	 * (close/time-wait-rst, a record: info).  The first pair does not
	 * hide the second: that info, not inconclusive.
	 */
	for (i = 0; i < RUN_ATT_CAP; i++)
		a[i] = att(I, VERDICT_INFO, RUN_TR_RSTOUT, 41);
	a[0] = a[2] = miss(I, VERDICT_INFO, RUN_TR_PATH, 41, FIND_MISSING);
	assert_int_equal(run_aggregate_retries(a, RUN_ATT_CAP, RUN_ATT_CAP,
	    why, sizeof(why)), VERDICT_INFO);
	assert_non_null(strstr(why, "five the same way (line 41)"));
	/* The two missing alone: not yet a failure. */
	a[1] = att(I, VERDICT_INFO, RUN_TR_RSTOUT, 38);
	a[3] = miss(I, VERDICT_INFO, RUN_TR_PATH, 41, FIND_TIMING);
	a[4] = a[5] = a[6] = att(VERDICT_INCONCLUSIVE, VERDICT_INCONCLUSIVE,
	    RUN_TR_PATH, 20);
	assert_int_equal(run_aggregate_retries(a, RUN_ATT_CAP, RUN_ATT_CAP,
	    why, sizeof(why)), VERDICT_INCONCLUSIVE);
	a[0] = att(I, F, RUN_TR_RETRANS, 18);
	a[1] = att(I, F, RUN_TR_OURS, 12);
	a[2] = att(I, F, RUN_TR_PATH, 18);
	a[3] = att(I, F, RUN_TR_PATH, 10);
	/* A pass in the last of them: no failure. */
	a[4] = att(VERDICT_PASS, VERDICT_PASS, 0, 0);
	assert_int_not_equal(run_aggregate_retries(a, 5, RUN_ATT_MAX, why,
	    sizeof(why)), VERDICT_FAIL);
}

/* An attempt made doubtful by the path that showed raw (a timing miss). */
static struct run_att
att_raw(enum verdict v, enum verdict raw, unsigned tr, int line)
{
	struct run_att a = att(v, v == VERDICT_INCONCLUSIVE &&
	    (tr & ~RUN_TR_PATH) == 0 ? VERDICT_INCONCLUSIVE : raw, tr, line);

	a.raw = raw;
	a.kind = FIND_TIMING;
	return a;
}

/*
 * A case whose baseline expects a warn from a late ACK (lwIP's filled
 * hole acknowledged on its 250 ms tick: ack/ooo-dup-ack-then-fill), off
 * loopback: the ACK beyond the window and its grace is a segment missing,
 * which the path may have lost, at one of three lines; within them in one
 * attempt, a timing miss.  All five attempts so, none passing: that warn.
 * A pass among them, or attempts still to come: not yet.
 */
static void
expected_failure_every_attempt_missing(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, W = VERDICT_WARN;
	const unsigned exp = 1U << VERDICT_WARN;
	struct run_att a[5];
	enum verdict v = VERDICT_SKIP;
	char why[320];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		a[i] = miss(I, I, RUN_TR_PATH, 40 + 4 * (int)(i % 3),
		    FIND_MISSING);
	for (i = 0; i < 5; i++)
		a[i].raw = W;
	a[3].kind = FIND_TIMING;
	assert_int_equal(run_expected_verdict(a, 4, 5, exp, 1, &v, why,
	    sizeof(why)), 0);
	assert_int_equal(run_expected_verdict(a, 5, 5, exp, 1, &v, why,
	    sizeof(why)), 1);
	assert_int_equal(v, W);
	assert_non_null(strstr(why, "warned as expected in all 5 attempts "
	    "(line 40), 4 of them missing"));
	a[2] = att(VERDICT_PASS, VERDICT_PASS, 0, 0);
	a[3].kind = FIND_MISSING;
	v = VERDICT_SKIP;
	assert_int_equal(run_expected_verdict(a, 5, 5, exp, 1, &v, why,
	    sizeof(why)), -1);
	assert_int_equal(v, VERDICT_SKIP);
}

/*
 * A case whose baseline (or "linux" line) expects a failure, on a lossy
 * path (run_expected_verdict): loss hides a deviation more often than it
 * makes one.  Linux's 1 s SYN retries (syn-backoff) show the deviation in
 * most attempts; a lost SYN makes the intervals look doubled (a pass).
 */
static void
expected_failure_on_a_lossy_path(void **state)
{
	const enum verdict I = VERDICT_INCONCLUSIVE, F = VERDICT_FAIL,
	    P = VERDICT_PASS;
	const unsigned exp = 1U << VERDICT_FAIL | 1U << VERDICT_XPASS;
	struct run_att a[RUN_ATT_MAX];
	enum verdict v = VERDICT_SKIP;
	char why[200];

	(void)state;
	/* Nothing expected: the rule has nothing to say. */
	a[0] = att_raw(I, F, RUN_TR_PATH, 31);
	assert_int_equal(run_expected_verdict(a, 1, RUN_ATT_MAX, 0, 1, &v,
	    why, sizeof(why)), -1);
	/* The deviation once, doubtful (noisy, lossy): one more attempt. */
	assert_int_equal(run_expected_verdict(a, 1, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 0);
	/* Twice at one line: the expected failure (then xfail). */
	a[1] = att_raw(I, F, RUN_TR_PATH, 31);
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 1);
	assert_int_equal(v, F);
	assert_non_null(strstr(why, "2 of 2 attempts (line 31)"));
	/* A pass between them does not overturn it. */
	a[1] = att(P, P, 0, 0);
	a[2] = att_raw(I, F, RUN_TR_PATH, 31);
	v = VERDICT_SKIP;
	assert_int_equal(run_expected_verdict(a, 3, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 1);
	assert_int_equal(v, F);
	/* Twice, but at two lines: one more attempt. */
	a[1] = att_raw(I, F, RUN_TR_PATH, 29);
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 0);
	/* A pass first, on a lossy path: not taken from one attempt. */
	a[0] = att(P, P, 0, 0);
	assert_int_equal(run_expected_verdict(a, 1, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 0);
	/* ... on a quiet one it is (xpass at once, as before). */
	assert_int_equal(run_expected_verdict(a, 1, RUN_ATT_MAX, exp, 0, &v,
	    why, sizeof(why)), -1);
	/* ... nor where a pass is no xpass ("or pass"). */
	assert_int_equal(run_expected_verdict(a, 1, RUN_ATT_MAX,
	    1U << VERDICT_FAIL, 1, &v, why, sizeof(why)), -1);
	/*
	 * Two passes: not yet (one lost SYN retransmission of Linux's fakes
	 * a pass of syn-backoff often enough for two in a row); three and no
	 * deviation: a pass (a target that changed).
	 */
	a[1] = att(P, P, 0, 0);
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 0);
	a[2] = att(P, P, 0, 0);
	assert_int_equal(run_expected_verdict(a, 3, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 1);
	assert_int_equal(v, P);
	assert_non_null(strstr(why, "passed in 3 of 3 attempts"));
	/* A pass, then the deviation: more attempts; at the last, the
	 * deviation stands unless passes outnumber it. */
	a[1] = att_raw(I, F, RUN_TR_PATH, 31);
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 0);
	a[2] = att(I, F, RUN_TR_PATH, 12);	/* a mismatch, path trouble */
	a[2].kind = FIND_MISSING;
	a[3] = miss(I, F, RUN_TR_PATH, 12, FIND_MISSING);
	a[4] = miss(I, F, RUN_TR_PATH, 12, FIND_MISSING);
	v = VERDICT_SKIP;
	assert_int_equal(run_expected_verdict(a, 5, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 1);
	assert_int_equal(v, F);
	a[2] = att(P, P, 0, 0);
	v = VERDICT_SKIP;
	assert_int_equal(run_expected_verdict(a, 5, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 1);
	assert_int_equal(v, P);
	/*
	 * A segment that never came is no sign of the deviation (the path
	 * may have lost it): the retries' usual rules decide.
	 */
	a[0] = miss(I, F, RUN_TR_PATH, 31, FIND_MISSING);
	a[0].raw = F;
	a[1] = a[0];
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), -1);
	/* Nor one a middlebox may have sent, nor a capture that lost. */
	a[0] = att_raw(I, F, RUN_TR_MIDDLEBOX, 31);
	a[1] = a[0];
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), -1);
	a[0] = att_raw(I, F, RUN_TR_PATH, 31);
	a[0].cap_dropped = 2;
	a[1] = a[0];
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), -1);
	/* A pass, then an outright failure not expected: that failure. */
	a[0] = att(P, P, 0, 0);
	a[1] = att(F, F, 0, 12);
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), -1);
	assert_int_equal(run_aggregate_retries(a, 2, RUN_ATT_MAX, why,
	    sizeof(why)), F);
	/* A warn expected, a fail shown: not the expected failure. */
	a[0] = att_raw(I, F, RUN_TR_PATH, 31);
	a[1] = a[0];
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX,
	    1U << VERDICT_WARN | 1U << VERDICT_XPASS, 1, &v, why,
	    sizeof(why)), -1);
	/*
	 * Passes that one lost segment fakes (syn-backoff judges one
	 * back-off step): two confirm each other where a pass is expected,
	 * but two are not yet an xpass; the third is.
	 */
	a[0] = miss(I, P, RUN_TR_ONCE, 0, FIND_N);
	a[1] = a[0];
	assert_true(run_fragile_confirmed(a, 2));
	assert_int_equal(run_expected_verdict(a, 2, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 0);
	a[2] = a[0];
	v = VERDICT_SKIP;
	assert_int_equal(run_expected_verdict(a, 3, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 1);
	assert_int_equal(v, P);
	assert_non_null(strstr(why, "passed in 3 of 3 attempts"));
	/* ... and the deviation twice after them is the expected failure. */
	a[2] = att_raw(I, F, RUN_TR_PATH, 31);
	a[3] = a[2];
	v = VERDICT_SKIP;
	assert_int_equal(run_expected_verdict(a, 4, RUN_ATT_MAX, exp, 1, &v,
	    why, sizeof(why)), 1);
	assert_int_equal(v, F);
	/*
	 * They outweigh nothing: at the last attempt, the deviation once
	 * and segments missing stand against them; two and nothing shown
	 * are no xpass (the retries' usual rules decide).
	 */
	a[3] = miss(I, F, RUN_TR_PATH, 12, FIND_MISSING);
	a[4] = a[3];
	v = VERDICT_SKIP;
	assert_int_equal(run_expected_verdict(a, 5, 5, exp, 1, &v, why,
	    sizeof(why)), 1);
	assert_int_equal(v, F);
	a[2] = a[3];
	assert_int_equal(run_expected_verdict(a, 5, 5, exp, 1, &v, why,
	    sizeof(why)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(match_exact_fields_pass),
		cmocka_unit_test(match_len_max),
		cmocka_unit_test(match_past),
		cmocka_unit_test(match_data_relative_fin),
		cmocka_unit_test(build_edge_relative),
		cmocka_unit_test(match_reports_each_field_expected_observed),
		cmocka_unit_test(match_relative_numbers_wrap),
		cmocka_unit_test(match_options_exact_subset_any),
		cmocka_unit_test(match_sack_blocks_relative_to_peer_isn),
		cmocka_unit_test(match_alternatives_and_closest_diff),
		cmocka_unit_test(negated_flags_are_a_subset),
		cmocka_unit_test(build_seg_from_line),
		cmocka_unit_test(build_rst_without_ack_clears_ack),
		cmocka_unit_test(window_tolerance_from_path),
		cmocka_unit_test(window_in_rtts),
		cmocka_unit_test(window_in_gaps),
		cmocka_unit_test(path_median_and_jitter),
		cmocka_unit_test(classify_table),
		cmocka_unit_test(aggregate_retries_and_repeats),
		cmocka_unit_test(expect_file_parse_and_apply),
		cmocka_unit_test(expect_file_not_applicable),
		cmocka_unit_test(expect_file_errors_name_the_line),
		cmocka_unit_test(run_opts_table),
		cmocka_unit_test(run_opts_families_and_values),
		cmocka_unit_test(case_ids),
		cmocka_unit_test(agent_addresses),
		cmocka_unit_test(needs_text),
		cmocka_unit_test(retries_two_late_agent_answers_are_not_alike),
		cmocka_unit_test(retries_missing_needs_three),
		cmocka_unit_test(retries_one_fragile_pass_needs_a_second),
		cmocka_unit_test(retries_early_is_not_late),
		cmocka_unit_test(retries_step_needs_three),
		cmocka_unit_test(retries_after_path_trouble),
		cmocka_unit_test(retries_drawn_pass_counts_for_neither),
		cmocka_unit_test(retries_on_a_lossy_path),
		cmocka_unit_test(expected_failure_on_a_lossy_path),
		cmocka_unit_test(expected_failure_every_attempt_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
