/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_case_parse.c: unit tests of the case parser, asserting the exact
 * fields of the case program (case.h) that each form of the language gives,
 * the "given" bits of what was left out, the metadata, the requirement
 * table, and the canonical printer (parse, print, parse: the same program).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case.h"
#include "segment.h"

static int	str_equal(const char *, const char *);

#define HEADER	"title \"t\"\nchecks MUST-10\nfault f\n"
#define HLINES	3	/* lines in HEADER: the body starts on line 4 */

/* Parse HEADER + body; it must parse without any message. */
static struct case_prog *
body(const char *src)
{
	struct case_prog *p;
	char *text, *msgs;

	assert_true(asprintf(&text, "%s%s", HEADER, src) > 0);
	if (case_parse("t.case", text, strlen(text), &p, &msgs) != 0 ||
	    msgs != NULL)
		print_error("%s", msgs ? msgs : "(no message)\n");
	assert_null(msgs);
	assert_non_null(p);
	free(text);
	return p;
}

/* Parse text that must fail; return its messages. */
static char *
fails(const char *text)
{
	struct case_prog *p;
	char *msgs;

	assert_int_equal(case_parse("t.case", text, strlen(text), &p, &msgs),
	    -1);
	assert_null(p);
	assert_non_null(msgs);
	return msgs;
}

/* HEADER + body fails to parse with exactly this message. */
static void
fails_with(const char *text, const char *msg)
{
	char *m = fails(text);

	assert_string_equal(m, msg);
	free(m);
}

/* The first statement of HEADER + body, which must be the only one. */
static const struct case_stmt *
one(struct case_prog **pp, const char *src)
{
	*pp = body(src);
	assert_int_equal((*pp)->nstmts, 1);
	return &(*pp)->stmts[0];
}

/*
 * Packet lines
 */

static void
case_packet_in_syn_with_options(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "0 < S 0:0(0) win 65535 "
	    "<mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n");
	const struct case_seg *g;

	(void)state;
	assert_int_equal(s->kind, CASE_S_PACKET);
	assert_int_equal(s->loc.line, HLINES + 1);
	assert_int_equal(s->loc.col, 1);
	assert_string_equal(s->loc.file, "t.case");
	assert_int_equal(s->time.kind, CASE_T_ABS);
	assert_int_equal(s->time.lo, 0);
	assert_int_equal(s->conn, 0);
	assert_int_equal(s->timeout, -1);
	assert_int_equal(s->u.pkt.dir, CASE_DIR_IN);
	assert_int_equal(s->u.pkt.negate, 0);
	assert_int_equal(s->u.pkt.nalt, 1);
	g = &s->u.pkt.alt[0];
	assert_int_equal(g->given, CASE_G_FLAGS | CASE_G_SEQ | CASE_G_WIN |
	    CASE_G_OPTS);
	assert_int_equal(g->flags, SEG_SYN);
	assert_int_equal(g->seq, 0);
	assert_int_equal(g->end, 0);
	assert_int_equal(g->len, 0);
	assert_int_equal(g->win, 65535);
	assert_int_equal(g->opts.mode, CASE_OPTS_EXACT);
	assert_int_equal(g->opts.n, 5);
	assert_int_equal(g->opts.v[0].kind, CASE_O_MSS);
	assert_int_equal(g->opts.v[0].val, 1460);
	assert_int_equal(g->opts.v[1].kind, CASE_O_SACKOK);
	assert_int_equal(g->opts.v[2].kind, CASE_O_TS);
	assert_int_equal(g->opts.v[2].val, 100);
	assert_int_equal(g->opts.v[2].ecr, 0);
	assert_int_equal(g->opts.v[2].wild, 0);
	assert_int_equal(g->opts.v[3].kind, CASE_O_NOP);
	assert_int_equal(g->opts.v[4].kind, CASE_O_WSCALE);
	assert_int_equal(g->opts.v[4].val, 7);
	case_free(p);
}

/* "csum bad": a field of '<' lines, in any place among ack, win, urg. */
static void
case_packet_csum_bad(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "< P. 1:11(10) csum bad ack 1 "
	    "win 100\n");
	const struct case_seg *g = &s->u.pkt.alt[0];
	char buf[128], *msgs;

	(void)state;
	assert_int_equal(g->given, CASE_G_FLAGS | CASE_G_SEQ | CASE_G_ACK |
	    CASE_G_WIN | CASE_G_CSUM_BAD);
	assert_int_equal(g->ack, 1);
	assert_int_equal(g->win, 100);
	assert_string_equal(case_seg_fmt(g, buf, sizeof(buf)),
	    "P. 1:11(10) ack 1 win 100 csum bad");
	case_free(p);
	s = one(&p, "< S 0:0(0) <mss 1460>\n");
	assert_int_equal(s->u.pkt.alt[0].given & CASE_G_CSUM_BAD, 0);
	case_free(p);
	msgs = fails("> . 1:1(0) ack 1 csum bad\n");
	assert_non_null(strstr(msgs, "t.case:1:3: error: expected no 'csum' "
	    "on a '>' line"));
	free(msgs);
	msgs = fails("< R 1:1(0) csum good\n");
	assert_non_null(strstr(msgs, "expected 'bad' after 'csum', found "
	    "'good'"));
	free(msgs);
	msgs = fails("< R 1:1(0) csum bad csum bad\n");
	assert_non_null(strstr(msgs, "expected 'csum' once, found it again"));
	free(msgs);
}

/*
 * "start:*(max N)": data from start, 1 to N bytes, the target's choice;
 * "(max mss)" is the effective send MSS (len_max 0).  Printed as written.
 */
static void
case_packet_out_len_max(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "> . 1:*(max 500) ack 1\n");
	const struct case_seg *g = &s->u.pkt.alt[0];
	char buf[128];

	(void)state;
	assert_int_equal(g->given, CASE_G_FLAGS | CASE_G_SEQ | CASE_G_LEN_MAX |
	    CASE_G_ACK);
	assert_int_equal(g->seq, 1);
	assert_int_equal(g->len_max, 500);
	assert_int_equal(g->len, 0);
	assert_int_equal(g->end, 1);
	assert_string_equal(case_seg_fmt(g, buf, sizeof(buf)),
	    ". 1:*(max 500) ack 1");
	case_free(p);
	s = one(&p, "> P. 1001:*(max mss) <...> | P. 1001:*(max 65535)\n");
	g = &s->u.pkt.alt[0];
	assert_int_equal(g->given, CASE_G_FLAGS | CASE_G_SEQ | CASE_G_LEN_MAX |
	    CASE_G_OPTS);
	assert_int_equal(g->seq, 1001);
	assert_int_equal(g->len_max, 0);
	assert_string_equal(case_seg_fmt(g, buf, sizeof(buf)),
	    "P. 1001:*(max mss) <...>");
	assert_int_equal(s->u.pkt.alt[1].len_max, 65535);
	assert_string_equal(case_seg_fmt(&s->u.pkt.alt[1], buf, sizeof(buf)),
	    "P. 1001:*(max 65535)");
	case_free(p);
}

/*
 * "past N" on a '> !' line: no segment that ends beyond N, whatever its
 * start and length.  Only there: a '<' line sends known numbers, and a
 * '>' line that must match one segment names it.
 */
static void
case_packet_out_past(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "+0~+2 > !. past 502 ack 1\n");
	const struct case_seg *g = &s->u.pkt.alt[0];
	static const struct {
		const char	*text;
		const char	*msg;
	} bad[] = {
		{ "> . past 502\n", ":5: error: expected start:end(len) or a "
		    "field, found 'past' (it suits '> !' lines only" },
		{ "< . past 502\n", "found 'past' (it suits '> !' lines only" },
		{ "> !. past\n", "expected a sequence number after 'past', "
		    "found end of line" },
		{ "> !. 1:2(1) past 502\n", "found 'past'" },
	};
	char buf[128], *msgs;
	size_t i;

	(void)state;
	assert_int_equal(s->u.pkt.negate, 1);
	assert_int_equal(g->given, CASE_G_FLAGS | CASE_G_PAST | CASE_G_ACK);
	assert_int_equal(g->end, 502);
	assert_int_equal(g->seq, 0);
	assert_int_equal(g->len, 0);
	assert_string_equal(case_seg_fmt(g, buf, sizeof(buf)),
	    ". past 502 ack 1");
	case_free(p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msgs = fails(bad[i].text);
		assert_non_null(strstr(msgs, bad[i].msg));
		free(msgs);
	}
}

/* A FIN's ACK may come at once or ~40 ms later: range and alternatives. */
static void
case_packet_out_range_and_alternatives(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "+0~+0.04 > . 1:1(0) ack 1002 | "
	    "F. 1:1(0) ack 1002\n");

	(void)state;
	assert_int_equal(s->time.kind, CASE_T_REL);
	assert_int_equal(s->time.lo, 0);
	assert_int_equal(s->time.hi, 40000);
	assert_int_equal(s->time.about, 0);
	assert_int_equal(s->u.pkt.dir, CASE_DIR_OUT);
	assert_int_equal(s->u.pkt.nalt, 2);
	assert_int_equal(s->u.pkt.alt[0].flags, SEG_ACK);
	assert_int_equal(s->u.pkt.alt[0].ack, 1002);
	assert_int_equal(s->u.pkt.alt[1].flags, SEG_FIN | SEG_ACK);
	assert_int_equal(s->u.pkt.alt[1].given, CASE_G_FLAGS | CASE_G_SEQ |
	    CASE_G_ACK);
	case_free(p);
}

/*
 * An alternative that ends the case: "end" alone, or "end not-applicable"
 * with the reason, kept as written; the others do not end it.
 */
static void
case_packet_out_end_alternatives(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "+0~+1 > R end | . ack 1156 end "
	    "not-applicable \"it lingers\" | F. <...>\n");
	const struct case_seg *g = s->u.pkt.alt;
	char line[128];

	(void)state;
	assert_int_equal(s->u.pkt.nalt, 3);
	assert_int_equal(g[0].flags, SEG_RST);
	assert_int_equal(g[0].given, CASE_G_FLAGS | CASE_G_END);
	assert_null(g[0].na_why);
	assert_int_equal(g[1].flags, SEG_ACK);
	assert_int_equal(g[1].ack, 1156);
	assert_int_equal(g[1].given, CASE_G_FLAGS | CASE_G_ACK | CASE_G_END);
	assert_string_equal(g[1].na_why, "it lingers");
	assert_int_equal(g[2].given & CASE_G_END, 0);
	assert_null(g[2].na_why);
	/* A message quotes the line without the reason. */
	assert_string_equal(case_stmt_fmt(p, s, line, sizeof(line)),
	    "+0~+1 > R end | . ack 1156 end not-applicable | F. <...>");
	case_free(p);
}

/* Where "end" cannot be, or lacks its reason: file:line:column errors. */
static void
case_packet_end_errors(void **state)
{
	(void)state;
	fails_with(HEADER "< R end\n",
	    "t.case:4:5: error: expected end of line, "
	    "found 'end' (it suits '>' lines only)\n");
	fails_with(HEADER "> !R end\n",
	    "t.case:4:6: error: expected end of line, "
	    "found 'end' (a '!' line matches nothing that could end the "
	    "case)\n");
	fails_with(HEADER "> R end not-applicable\n",
	    "t.case:4:23: error: expected a reason string "
	    "after 'not-applicable', found end of line\n");
	fails_with(HEADER "> R end not-applicable \"\"\n",
	    "t.case:4:24: error: expected a reason, found "
	    "an empty string\n");
	fails_with(HEADER "> R end not-aplicable \"x\"\n",
	    "t.case:4:9: error: expected 'not-applicable', "
	    "'|' or end of line after 'end', found 'not-aplicable' (did you "
	    "mean 'not-applicable'?)\n");
}

/* "close after everything was read sends FIN, not RST": "> !R". */
static void
case_packet_out_negated_rst(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "+0~+0.5 > !R\n");

	(void)state;
	assert_int_equal(s->u.pkt.negate, 1);
	assert_int_equal(s->u.pkt.alt[0].given, CASE_G_FLAGS);
	assert_int_equal(s->u.pkt.alt[0].flags, SEG_RST);
	assert_int_equal(s->time.hi, 500000);
	case_free(p);
}

/* Fields left out are not checked: their given bits are clear. */
static void
case_packet_omitted_fields_not_given(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "> !*\n");

	(void)state;
	assert_int_equal(s->time.kind, CASE_T_DEFAULT);
	assert_int_equal(s->u.pkt.alt[0].given, 0);
	case_free(p);
	s = one(&p, "* > F.\n");
	assert_int_equal(s->time.kind, CASE_T_ANY);
	assert_int_equal(s->u.pkt.alt[0].given, CASE_G_FLAGS);
	assert_int_equal(s->u.pkt.alt[0].flags, SEG_FIN | SEG_ACK);
	case_free(p);
}

static void
case_packet_options_any_and_subset(void **state)
{
	struct case_prog *p = body("> S. 0:0(0) ack 1 <...>\n"
	    "> S. 0:0(0) ack 1 <mss 1460,...>\n> S. 0:0(0) ack 1 <>\n");

	(void)state;
	assert_int_equal(p->stmts[0].u.pkt.alt[0].opts.mode, CASE_OPTS_ANY);
	assert_int_equal(p->stmts[0].u.pkt.alt[0].opts.n, 0);
	assert_int_equal(p->stmts[1].u.pkt.alt[0].opts.mode,
	    CASE_OPTS_SUBSET);
	assert_int_equal(p->stmts[1].u.pkt.alt[0].opts.n, 1);
	assert_int_equal(p->stmts[2].u.pkt.alt[0].opts.mode, CASE_OPTS_EXACT);
	assert_int_equal(p->stmts[2].u.pkt.alt[0].opts.n, 0);
	assert_true(p->stmts[2].u.pkt.alt[0].given & CASE_G_OPTS);
	case_free(p);
}

/* "!wscale": no option of that kind, on '>' lines with ",...>" only. */
static void
case_packet_options_negated(void **state)
{
	struct case_prog *p = body("> S. 0:0(0) ack 1 <mss 1460,!wscale,"
	    "!sackOK,!kind 30,...>\n");
	const struct case_optlist *ol = &p->stmts[0].u.pkt.alt[0].opts;
	char *m;

	(void)state;
	assert_int_equal(ol->mode, CASE_OPTS_SUBSET);
	assert_int_equal(ol->n, 4);
	assert_false(ol->v[0].wild & CASE_OW_NOT);
	assert_int_equal(ol->v[1].kind, CASE_O_WSCALE);
	assert_true(ol->v[1].wild & CASE_OW_NOT);
	assert_int_equal(ol->v[2].kind, CASE_O_SACKOK);
	assert_int_equal(ol->v[3].kind, CASE_O_RAW);
	assert_int_equal(ol->v[3].val, 30);
	case_free(p);
	m = fails(HEADER "> S. 0:0(0) ack 1 <mss 1460,!wscale>\n");
	assert_non_null(strstr(m, "',...>' after a '!' option"));
	free(m);
	m = fails(HEADER "< S 0:0(0) <!wscale>\n");
	assert_non_null(strstr(m, "t.case:4:"));
	free(m);
	m = fails(HEADER "> S. 0:0(0) ack 1 <!nop,...>\n");
	assert_non_null(strstr(m, "other than eol or nop"));
	free(m);
}

/* Old numbers below the ISN: "-N" is 2^32 - N. */
static void
case_packet_negative_seq_wraps(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "< R. -1000:-999(1) ack -1\n");

	(void)state;
	assert_int_equal(s->u.pkt.alt[0].seq, 4294966296u);
	assert_int_equal(s->u.pkt.alt[0].end, 4294966297u);
	assert_int_equal(s->u.pkt.alt[0].len, 1);
	assert_int_equal(s->u.pkt.alt[0].ack, 4294967295u);
	case_free(p);
}

/* end == start + len is checked modulo 2^32 too. */
static void
case_packet_seq_wrap_end(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "< . 4294967295:999(1000)\n");

	(void)state;
	assert_int_equal(s->u.pkt.alt[0].end, 999);
	case_free(p);
}

static void
case_packet_sack_fo_raw_md5_eol(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "< . 1:1(0) ack 1 urg 7 <sack 1:2 "
	    "3:4,FO 0x0102030405060708,kind 253 len 4 0xbeef,eol>\n");
	const struct case_optlist *o = &s->u.pkt.alt[0].opts;
	static const uint8_t cookie[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	assert_int_equal(s->u.pkt.alt[0].urg, 7);
	assert_int_equal(o->n, 4);
	assert_int_equal(o->v[0].kind, CASE_O_SACK);
	assert_int_equal(o->v[0].nsack, 2);
	assert_int_equal(o->v[0].sack[1].left, 3);
	assert_int_equal(o->v[0].sack[1].right, 4);
	assert_int_equal(o->v[1].kind, CASE_O_FO);
	assert_int_equal(o->v[1].ndata, 8);
	assert_memory_equal(o->v[1].data, cookie, 8);
	assert_int_equal(o->v[2].kind, CASE_O_RAW);
	assert_int_equal(o->v[2].val, 253);
	assert_int_equal(o->v[2].len, 4);
	assert_int_equal(o->v[2].ndata, 2);
	assert_int_equal(o->v[2].data[0], 0xbe);
	assert_int_equal(o->v[3].kind, CASE_O_EOL);
	case_free(p);
	s = one(&p, "< . 1:1(0) <md5,FO,kind 30>\n");
	o = &s->u.pkt.alt[0].opts;
	assert_int_equal(o->v[0].kind, CASE_O_MD5);
	assert_int_equal(o->v[1].ndata, 0);
	assert_int_equal(o->v[2].len, -1);
	case_free(p);
}

static void
case_packet_ts_wildcards(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s = one(&p, "> . 1:1(0) <TS val * ecr 5>\n");
	const struct case_opt *o = &s->u.pkt.alt[0].opts.v[0];

	(void)state;
	assert_int_equal(o->wild, CASE_OW_VAL);
	assert_int_equal(o->ecr, 5);
	case_free(p);
}

/* Flags in any order; "-" is none. */
static void
case_packet_flags(void **state)
{
	struct case_prog *p = body("< FP. 1:2(1)\n< .P 1:2(1)\n< - 1:1(0)\n"
	    "< SEW 0:0(0)\n< UA 1:1(0)\n");

	(void)state;
	assert_int_equal(p->stmts[0].u.pkt.alt[0].flags,
	    SEG_FIN | SEG_PSH | SEG_ACK);
	assert_int_equal(p->stmts[1].u.pkt.alt[0].flags, SEG_PSH | SEG_ACK);
	assert_int_equal(p->stmts[2].u.pkt.alt[0].flags, 0);
	assert_int_equal(p->stmts[2].u.pkt.alt[0].given & CASE_G_FLAGS,
	    CASE_G_FLAGS);
	assert_int_equal(p->stmts[3].u.pkt.alt[0].flags,
	    SEG_SYN | SEG_ECE | SEG_CWR);
	assert_int_equal(p->stmts[4].u.pkt.alt[0].flags, SEG_URG | SEG_AE);
	case_free(p);
}

/*
 * Timing
 */

static void
case_time_forms(void **state)
{
	struct case_prog *p = body("0.1~0.2 > .\n~+1 > .\n~0.5 > .\n"
	    "+40ms connect\n1.5 close\n");

	(void)state;
	assert_int_equal(p->stmts[0].time.kind, CASE_T_ABS);
	assert_int_equal(p->stmts[0].time.lo, 100000);
	assert_int_equal(p->stmts[0].time.hi, 200000);
	assert_int_equal(p->stmts[1].time.kind, CASE_T_REL);
	assert_int_equal(p->stmts[1].time.about, 1);
	assert_int_equal(p->stmts[1].time.lo, 1000000);
	assert_int_equal(p->stmts[1].time.hi, 1000000);
	assert_int_equal(p->stmts[2].time.kind, CASE_T_ABS);
	assert_int_equal(p->stmts[2].time.about, 1);
	assert_int_equal(p->stmts[3].time.lo, 40000);
	assert_int_equal(p->stmts[3].kind, CASE_S_CONNECT);
	assert_int_equal(p->stmts[4].time.lo, 1500000);
	case_free(p);
}

/*
 * Directives
 */

static void
case_directives_peer(void **state)
{
	struct case_prog *p = body("connect timeout 5\nlisten\nshutdown\n"
	    "close\nabort\nsend 1000\nsend \"ab\\x00\"\nread all\nread 10\n"
	    "read eof timeout 2ms\nwait established\n"
	    "wait received 100 timeout 1\nsleep 2min\n");
	const struct case_stmt *s = p->stmts;

	(void)state;
	assert_int_equal(p->nstmts, 13);
	assert_int_equal(s[0].kind, CASE_S_CONNECT);
	assert_int_equal(s[0].timeout, 5000000);
	assert_int_equal(s[1].kind, CASE_S_LISTEN);
	assert_int_equal(s[2].kind, CASE_S_SHUTDOWN);
	assert_int_equal(s[3].kind, CASE_S_CLOSE);
	assert_int_equal(s[4].kind, CASE_S_ABORT);
	assert_int_equal(s[5].kind, CASE_S_SEND);
	assert_int_equal(s[5].u.data.count, 1000);
	assert_null(s[5].u.data.bytes);
	assert_int_equal(s[6].u.data.count, 3);
	assert_memory_equal(s[6].u.data.bytes, "ab\0", 3);
	assert_int_equal(s[7].u.read.mode, CASE_RD_ALL);
	assert_int_equal(s[8].u.read.mode, CASE_RD_COUNT);
	assert_int_equal(s[8].u.read.count, 10);
	assert_int_equal(s[9].u.read.mode, CASE_RD_EOF);
	assert_int_equal(s[9].timeout, 2000);
	assert_int_equal(s[10].kind, CASE_S_WAIT);
	assert_int_equal(s[10].u.wait.received, 0);
	assert_int_equal(s[10].u.wait.state, CASE_ST_ESTABLISHED);
	assert_int_equal(s[11].u.wait.received, 1);
	assert_int_equal(s[11].u.wait.count, 100);
	assert_int_equal(s[11].timeout, 1000000);
	assert_int_equal(s[12].kind, CASE_S_SLEEP);
	assert_int_equal(s[12].u.duration, 120000000);
	case_free(p);
}

static void
case_directives_set(void **state)
{
	struct case_prog *p = body("set auto-ack off\nset retransmit on\n"
	    "set isn 5\nset isn +100000\nset isn -7\nset window 1073725440\n"
	    "set mss 536\nset options <mss 1000,TS val * ecr *>\n"
	    "set match any\nset auto-fin off\nset auto-read on\n"
	    "set syn-opens off\n");
	const struct case_stmt *s = p->stmts;
	char buf[64];

	(void)state;
	assert_int_equal(s[0].u.set.which, CASE_SET_AUTO_ACK);
	assert_int_equal(s[0].u.set.on, 0);
	assert_int_equal(s[1].u.set.which, CASE_SET_RETRANSMIT);
	assert_int_equal(s[1].u.set.on, 1);
	assert_int_equal(s[2].u.set.which, CASE_SET_ISN);
	assert_int_equal(s[2].u.set.isn_rel, 0);
	assert_int_equal(s[2].u.set.value, 5);
	assert_int_equal(s[3].u.set.isn_rel, 1);
	assert_int_equal(s[3].u.set.value, 100000);
	assert_int_equal(s[4].u.set.isn_rel, -1);
	assert_int_equal(s[4].u.set.value, 7);
	assert_int_equal(s[5].u.set.value, 65535u << 14);
	assert_int_equal(s[6].u.set.which, CASE_SET_MSS);
	assert_int_equal(s[6].u.set.value, 536);
	assert_int_equal(s[7].u.set.which, CASE_SET_OPTIONS);
	assert_int_equal(s[7].u.set.opts->n, 2);
	assert_int_equal(s[7].u.set.opts->v[1].wild, CASE_OW_VAL |
	    CASE_OW_ECR);
	assert_int_equal(s[8].u.set.which, CASE_SET_MATCH);
	assert_int_equal(s[8].u.set.match, CASE_MATCH_ANY);
	assert_int_equal(s[9].u.set.which, CASE_SET_AUTO_FIN);
	assert_int_equal(s[10].u.set.which, CASE_SET_AUTO_READ);
	assert_int_equal(s[10].u.set.on, 1);
	assert_int_equal(s[11].u.set.which, CASE_SET_SYN_OPENS);
	assert_int_equal(s[11].u.set.on, 0);
	assert_string_equal(case_stmt_fmt(p, &s[11], buf, sizeof(buf)),
	    "set syn-opens off");
	case_free(p);
}

/* "set severity" changes the severity of the statements after it. */
static void
case_set_severity_applies_to_later_statements(void **state)
{
	struct case_prog *p = body("> .\nset severity should\n> .\n"
	    "set severity may\n> .\n");

	(void)state;
	assert_int_equal(p->severity, CASE_SEV_MUST);
	assert_int_equal(p->stmts[0].sev, CASE_SEV_MUST);
	assert_int_equal(p->stmts[1].u.set.sev, CASE_SEV_SHOULD);
	assert_int_equal(p->stmts[2].sev, CASE_SEV_SHOULD);
	assert_int_equal(p->stmts[4].sev, CASE_SEV_MAY);
	case_free(p);
}

static void
case_directives_agent(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s;
	const char *src = "title \"t\"\nchecks SHLD-3\nneeds agent\nfault f\n"
	    "agent listen\nagent accept timeout 1\nagent connect\n"
	    "agent read 100 = 100\nagent read eof = eof\n"
	    "agent write \"x\" = EPIPE\nagent shutdown wr\nagent close = ok\n"
	    "agent linger 0\nagent linger off\nagent rcvbuf 4096\n"
	    "agent read all timeout 1 = ECONNRESET\n"
	    "agent write 10 = EPIPE | ENOTCONN\n"
	    "agent nodelay on = ok\nagent keepalive 2\nagent keepalive off\n"
	    "agent urgent 3\n";
	char *msgs;

	(void)state;
	assert_int_equal(case_parse("t.case", src, strlen(src), &p, &msgs), 0);
	assert_null(msgs);
	s = p->stmts;
	assert_int_equal(p->nstmts, 17);
	assert_int_equal(p->needs, CASE_NEED_AGENT);
	assert_int_equal(s[0].u.agent.op, CASE_AG_LISTEN);
	assert_int_equal(s[1].u.agent.op, CASE_AG_ACCEPT);
	assert_int_equal(s[1].timeout, 1000000);
	assert_int_equal(s[2].u.agent.op, CASE_AG_CONNECT);
	assert_int_equal(s[3].u.agent.read.count, 100);
	assert_int_equal(s[3].u.agent.result, CASE_RES_COUNT);
	assert_int_equal(s[3].u.agent.result_count, 100);
	assert_int_equal(s[4].u.agent.read.mode, CASE_RD_EOF);
	assert_int_equal(s[4].u.agent.result, CASE_RES_EOF);
	assert_int_equal(s[5].u.agent.op, CASE_AG_WRITE);
	assert_int_equal(s[5].u.agent.data.count, 1);
	assert_int_equal(s[5].u.agent.result, CASE_RES_ERRNO);
	assert_string_equal(s[5].u.agent.errname, "EPIPE");
	assert_int_equal(s[6].u.agent.how, CASE_SHUT_WR);
	assert_int_equal(s[7].u.agent.result, CASE_RES_OK);
	assert_int_equal(s[8].u.agent.op, CASE_AG_LINGER);
	assert_int_equal(s[8].u.agent.linger_on, 1);
	assert_int_equal(s[8].u.agent.value, 0);
	assert_int_equal(s[9].u.agent.linger_on, 0);
	assert_int_equal(s[10].u.agent.value, 4096);
	assert_int_equal(s[11].u.agent.read.mode, CASE_RD_ALL);
	assert_string_equal(s[11].u.agent.errname, "ECONNRESET");
	assert_int_equal(s[12].u.agent.result, CASE_RES_ERRNO);
	assert_string_equal(s[12].u.agent.errname, "EPIPE|ENOTCONN");
	assert_int_equal(s[13].u.agent.op, CASE_AG_NODELAY);
	assert_int_equal(s[13].u.agent.value, 1);
	assert_int_equal(s[13].u.agent.result, CASE_RES_OK);
	assert_int_equal(s[14].u.agent.op, CASE_AG_KEEPALIVE);
	assert_int_equal(s[14].u.agent.value, 2);
	assert_int_equal(s[15].u.agent.value, 0);
	assert_int_equal(s[16].u.agent.op, CASE_AG_URGENT);
	assert_int_equal(s[16].u.agent.value, 3);
	case_free(p);
}

static void
case_directives_http_and_measure(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s;
	const char *src = "title \"t\"\nchecks MUST-8\nneeds http\nfault f\n"
	    "http request \"GET / HTTP/1.0\\r\\n\\r\\n\"\nhttp get \"/x\" close\n"
	    "measure isn-spacing count 50 interval 10ms\n"
	    "measure time-wait timeout 300\nmeasure initial-window\n";
	char *msgs;

	(void)state;
	assert_int_equal(case_parse("t.case", src, strlen(src), &p, &msgs), 0);
	assert_null(msgs);
	s = p->stmts;
	assert_int_equal(s[0].u.http.get, 0);
	assert_int_equal(s[0].u.http.request.count, 18);
	assert_memory_equal(s[0].u.http.request.bytes, "GET / HTTP/1.0\r\n"
	    "\r\n", 18);
	assert_int_equal(s[1].u.http.get, 1);
	assert_int_equal(s[1].u.http.close, 1);
	assert_string_equal(s[1].u.http.path, "/x");
	assert_int_equal(s[2].u.measure.kind, CASE_M_ISN_SPACING);
	assert_int_equal(s[2].u.measure.count, 50);
	assert_int_equal(s[2].u.measure.interval, 10000);
	assert_int_equal(s[3].u.measure.kind, CASE_M_TIME_WAIT);
	assert_int_equal(s[3].u.measure.count, 0);
	assert_int_equal(s[3].u.measure.interval, -1);
	assert_int_equal(s[3].timeout, 300000000);
	assert_int_equal(s[4].u.measure.kind, CASE_M_INITIAL_WINDOW);
	case_free(p);
}

/* "< icmp": the condition, an MTU for too-big, a quoted sequence number. */
static void
case_icmp_errors(void **state)
{
	struct case_prog *p;
	const struct case_stmt *s;
	const char *src = "title \"t\"\nchecks MUST-55\nneeds ipv4\nfault f\n"
	    "connect\n< icmp unreachable port\n+0.5 < icmp too-big mtu 1280 "
	    "seq 1001\n< icmp quench seq -1\n< icmp unreachable admin\n"
	    "< icmp param-problem\n";
	char *msgs, *t;

	(void)state;
	assert_int_equal(case_parse("t.case", src, strlen(src), &p, &msgs), 0);
	assert_null(msgs);
	assert_int_equal(p->nstmts, 6);
	s = p->stmts;
	assert_int_equal(s[1].kind, CASE_S_ICMP);
	assert_int_equal(s[1].u.icmp.kind, CASE_IC_PORT);
	assert_int_equal(s[1].u.icmp.seq_given, 0);
	assert_int_equal(s[2].u.icmp.kind, CASE_IC_TOOBIG);
	assert_int_equal(s[2].u.icmp.mtu, 1280);
	assert_int_equal(s[2].u.icmp.seq_given, 1);
	assert_int_equal(s[2].u.icmp.seq, 1001);
	assert_int_equal(s[2].time.kind, CASE_T_REL);
	assert_int_equal(s[2].time.lo, 500000);
	assert_int_equal(s[3].u.icmp.kind, CASE_IC_QUENCH);
	assert_int_equal(s[3].u.icmp.seq, UINT32_MAX);
	assert_int_equal(s[4].u.icmp.kind, CASE_IC_ADMIN);
	assert_int_equal(s[5].u.icmp.kind, CASE_IC_PARAMPROB);
	assert_string_equal(case_stmt_kind_name(s[1].kind), "icmp");
	t = case_print(p);
	assert_non_null(strstr(t, "\n+0.5 < icmp too-big mtu 1280 seq 1001\n"));
	assert_non_null(strstr(t, "\n< icmp quench seq 4294967295\n"));
	assert_non_null(strstr(t, "\n< icmp unreachable admin\n"));
	free(t);
	case_free(p);
}

/* "@name" picks a connection; the same name, the same connection. */
static void
case_connection_labels(void **state)
{
	struct case_prog *p = body("@b connect\n+0 @b < S 0:0(0)\n"
	    "@c listen\nclose\n@b close\n");

	(void)state;
	assert_int_equal(p->nconns, 3);
	assert_string_equal(p->conns[0], "");
	assert_string_equal(p->conns[1], "b");
	assert_string_equal(p->conns[2], "c");
	assert_int_equal(p->stmts[0].conn, 1);
	assert_int_equal(p->stmts[1].conn, 1);
	assert_int_equal(p->stmts[1].time.kind, CASE_T_REL);
	assert_int_equal(p->stmts[2].conn, 2);
	assert_int_equal(p->stmts[3].conn, 0);
	assert_int_equal(p->stmts[4].conn, 1);
	case_free(p);
}

/*
 * Metadata
 */

/* The comment at the head of the file is the case's own word on its rule. */
static void
case_head_comment_is_about(void **state)
{
	struct case_prog *p;
	const char *src = "\n  # The target must RST.\n#No space; \"#\"\n"
	    "// and this (RFC 1122).\n#\ntitle \"t\"\n# not this\n"
	    "checks MUST-10\nfault f\nclose\n";
	const char *none = HEADER "# a comment later\nclose\n";
	char *msgs;

	(void)state;
	assert_int_equal(case_parse("t.case", src, strlen(src), &p, &msgs), 0);
	assert_string_equal(p->about, "The target must RST.\nNo space; \"#\"\n"
	    "and this (RFC 1122).");
	case_free(p);
	assert_int_equal(case_parse("t.case", none, strlen(none), &p, &msgs),
	    0);
	assert_null(p->about);
	case_free(p);
}

static void
case_metadata_all_fields(void **state)
{
	struct case_prog *p;
	const char *src = "# comment\r\n\r\ntitle \"A \\\"B\\\"\"\r\n"
	    "checks SHLD-3 RFC1122-4.2.2.13 MUST-13\n"
	    "needs agent ipv6 same-link\ntags close slow\n"
	    "fault fin-on-unread no-time-wait\nseverity should\n"
	    "linux fail \"Linux sends R.\"\nclose\n";
	char *msgs;

	(void)state;
	assert_int_equal(case_parse("t.case", src, strlen(src), &p, &msgs), 0);
	assert_null(msgs);
	assert_string_equal(p->path, "t.case");
	assert_string_equal(p->title, "A \"B\"");
	assert_string_equal(p->about, "comment");
	assert_int_equal(p->nreqs, 3);
	assert_string_equal(p->reqs[0]->id, "SHLD-3");
	assert_string_equal(p->reqs[1]->id, "RFC1122-4.2.2.13");
	assert_string_equal(p->reqs[2]->section, "3.6.1");
	assert_int_equal(p->needs, CASE_NEED_AGENT | CASE_NEED_IPV6 |
	    CASE_NEED_SAME_LINK);
	assert_int_equal(p->ntags, 2);
	assert_string_equal(p->tags[1], "slow");
	assert_int_equal(p->nfaults, 2);
	assert_string_equal(p->faults[0], "fin-on-unread");
	assert_null(p->fault_none);
	assert_int_equal(p->severity, CASE_SEV_SHOULD);
	assert_int_equal(p->severity_given, 1);
	assert_int_equal(p->linux_verdict, CASE_V_FAIL);
	assert_string_equal(p->linux_reason, "Linux sends R.");
	assert_int_equal(p->stmts[0].sev, CASE_SEV_SHOULD);
	assert_int_equal(p->stmts[0].loc.line, 10);
	case_free(p);
}

static void
case_metadata_fault_none(void **state)
{
	struct case_prog *p;
	const char *src = "title \"t\"\nchecks MAY-2\nfault none \"info\"\n"
	    "linux info\nclose\n";
	char *msgs;

	(void)state;
	assert_int_equal(case_parse("t.case", src, strlen(src), &p, &msgs), 0);
	assert_null(msgs);
	assert_int_equal(p->nfaults, 0);
	assert_string_equal(p->fault_none, "info");
	assert_int_equal(p->linux_verdict, CASE_V_INFO);
	assert_null(p->linux_reason);
	case_free(p);
}

/* Without "severity", a case breaks the strongest keyword it checks. */
static void
case_default_severity_from_requirements(void **state)
{
	static const struct {
		const char	*checks;
		enum case_sev	sev;
	} t[] = {
		{ "SHLD-3 RFC1122-4.2.2.13", CASE_SEV_SHOULD },
		{ "SHLD-3 MUST-13", CASE_SEV_MUST },
		{ "MAY-2", CASE_SEV_MAY },
		{ "REC-1", CASE_SEV_SHOULD },
		{ "RFC9293-3.10.7.4", CASE_SEV_MUST },
		{ "RFC7413 MAY-1", CASE_SEV_MAY },
	};
	struct case_prog *p;
	char *src, *msgs;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_true(asprintf(&src, "title \"t\"\nchecks %s\nfault f\n"
		    "close\n", t[i].checks) > 0);
		assert_int_equal(case_parse("t.case", src, strlen(src), &p,
		    &msgs), 0);
		assert_int_equal(p->severity, t[i].sev);
		assert_int_equal(p->severity_given, 0);
		assert_int_equal(p->stmts[0].sev, t[i].sev);
		case_free(p);
		free(src);
	}
}

/* A warning does not fail the parse, but it is reported. */
static void
case_wscale_above_14_warns(void **state)
{
	struct case_prog *p;
	char *msgs;
	const char *src = HEADER "< S 0:0(0) <wscale 15>\n";

	(void)state;
	assert_int_equal(case_parse("t.case", src, strlen(src), &p, &msgs), 0);
	assert_string_equal(msgs, "t.case:4:20: warning: window scale 15 is "
	    "above 14, which RFC 7323 2.3 says to treat as 14\n");
	assert_int_equal(p->stmts[0].u.pkt.alt[0].opts.v[0].val, 15);
	free(msgs);
	case_free(p);
}

/* The error limit: CASE_ERRORS_MAX errors, then one line, then nothing. */
static void
case_errors_stop_after_limit(void **state)
{
	char *src, *msgs, *q;
	size_t n = 0, i;

	(void)state;
	src = calloc(1, 100 * 8 + 1);
	for (i = 0; i < 100; i++)
		strcat(src, "bogus 1\n");
	msgs = fails(src);
	for (q = msgs; (q = strchr(q, '\n')) != NULL; q++)
		n++;
	assert_int_equal(n, CASE_ERRORS_MAX + 1);
	assert_non_null(strstr(msgs, "t.case:21:1: error: too many errors, "
	    "stopping\n"));
	free(msgs);
	free(src);
}

/*
 * Requirement table
 */

/* All 119 labels of RFC 9293 Appendix B, and nothing beyond them. */
static void
case_reqs_rfc9293_labels_complete(void **state)
{
	static const struct {
		const char	*label;
		int		top;
		enum case_sev	level;
	} k[] = {
		{ "MUST", 69, CASE_SEV_MUST }, { "SHLD", 31, CASE_SEV_SHOULD },
		{ "MAY", 18, CASE_SEV_MAY }, { "REC", 1, CASE_SEV_SHOULD },
	};
	const struct case_req *r;
	char id[16];
	size_t i, j, n, labels = 0;
	int m;

	(void)state;
	for (i = 0; i < 4; i++) {
		for (m = 1; m <= k[i].top + 1; m++) {
			snprintf(id, sizeof(id), "%s-%d", k[i].label, m);
			r = case_req_find(id);
			if (m > k[i].top) {
				assert_null(r);
				continue;
			}
			assert_non_null(r);
			assert_string_equal(r->rfc, "RFC 9293");
			assert_int_equal(r->level, k[i].level);
			assert_true(strlen(r->section) >= 3);
			assert_true(strlen(r->text) > 10);
		}
	}
	r = case_req_all(&n);
	for (i = 0; i < n; i++) {
		if (strncmp(r[i].id, "RFC", 3) != 0)
			labels++;
		assert_true(strlen(r[i].text) > 0);
		assert_non_null(r[i].keyword);
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(r[i].id, r[j].id);
	}
	assert_int_equal(labels, 119);
	assert_string_equal(case_req_find("MUST-13")->section, "3.6.1");
	assert_string_equal(case_req_find("SHLD-3")->section, "3.6.1");
	assert_string_equal(case_req_find("MAY-12")->section, "3.10.7.4");
}

/* Other RFCs: "RFCnnnn-section" or "RFCnnnn"; the suggestion helper. */
static void
case_reqs_other_rfcs(void **state)
{
	const struct case_req *r;

	(void)state;
	r = case_req_find("RFC5961-3.2");
	assert_non_null(r);
	assert_string_equal(r->rfc, "RFC 5961");
	assert_string_equal(r->section, "3.2");
	r = case_req_find("RFC6191");
	assert_non_null(r);
	assert_string_equal(r->section, "");
	assert_non_null(case_req_find("RFC9293-3.10.7.3"));
	assert_non_null(case_req_find("RFC6528-3"));
	assert_non_null(case_req_find("RFC2525-2.17"));
	assert_int_equal(case_req_find("RFC1122-4.2.2.13")->level,
	    CASE_SEV_SHOULD);
	assert_null(case_req_find("RFC5961-3.3"));
	assert_null(case_req_find("must-13"));
	assert_string_equal(case_req_suggest("RFC5961-3.3"), "RFC5961-3.2");
	assert_string_equal(case_req_suggest("SHDL-3"), "SHLD-3");
	assert_null(case_req_suggest("XYZZY-PLUGH"));
}

/* Every ID beyond the RFC 9293 labels is listed in tcpconform-case(5). */
static void
case_reqs_listed_in_man_page(void **state)
{
	const struct case_req *r;
	char *man = NULL, line[64];
	size_t i, n, len = 0;
	FILE *f;

	(void)state;
	f = fopen(TESTDIR "/../man/tcpconform-case.5", "r");
	assert_non_null(f);
	assert_true(getdelim(&man, &len, '\0', f) > 0);
	fclose(f);
	r = case_req_all(&n);
	for (i = 0; i < n; i++) {
		if (strncmp(r[i].id, "RFC", 3) != 0)
			continue;
		snprintf(line, sizeof(line), "\n.It %s\n", r[i].id);
		if (strstr(man, line) == NULL)
			fail_msg("%s is not in tcpconform-case(5)", r[i].id);
	}
	free(man);
}

/*
 * Printing and the round trip
 */

static void
case_print_formats(void **state)
{
	struct case_prog *p = body("+0~+0.04 > F. 1:1(0) ack 2 <...> | R 1:1(0)"
	    "\n@x wait time-wait timeout 1.5\n");
	char buf[128];

	(void)state;
	assert_string_equal(case_stmt_fmt(p, &p->stmts[0], buf, sizeof(buf)),
	    "+0~+0.04 > F. 1:1(0) ack 2 <...> | R 1:1(0)");
	assert_string_equal(case_seg_fmt(&p->stmts[0].u.pkt.alt[1], buf,
	    sizeof(buf)), "R 1:1(0)");
	assert_string_equal(case_time_fmt(&p->stmts[0].time, buf,
	    sizeof(buf)), "+0~+0.04");
	assert_string_equal(case_stmt_fmt(p, &p->stmts[1], buf, sizeof(buf)),
	    "@x wait time-wait timeout 1.5");
	/* Cut to the buffer, still terminated. */
	assert_string_equal(case_stmt_fmt(p, &p->stmts[1], buf, 8), "@x wait");
	assert_string_equal(case_state_name(CASE_ST_CLOSE_WAIT), "close-wait");
	assert_string_equal(case_sev_name(CASE_SEV_SHOULD), "should");
	assert_string_equal(case_verdict_name(CASE_V_NA), "not-applicable");
	assert_string_equal(case_stmt_kind_name(CASE_S_MEASURE), "measure");
	case_free(p);
}

static int
seg_equal(const struct case_seg *a, const struct case_seg *b)
{
	int i;

	if (a->given != b->given || a->flags != b->flags || a->seq != b->seq ||
	    a->end != b->end || a->len != b->len || a->len_max != b->len_max ||
	    a->ack != b->ack ||
	    a->win != b->win || a->urg != b->urg ||
	    a->opts.mode != b->opts.mode || a->opts.n != b->opts.n ||
	    !str_equal(a->na_why, b->na_why))
		return 0;
	for (i = 0; i < a->opts.n; i++)
		if (memcmp(&a->opts.v[i], &b->opts.v[i],
		    sizeof(a->opts.v[i])) != 0)
			return 0;
	return 1;
}

static int
data_equal(const struct case_data *a, const struct case_data *b)
{
	if (a->count != b->count || (a->bytes == NULL) != (b->bytes == NULL))
		return 0;
	return a->bytes == NULL || memcmp(a->bytes, b->bytes, a->count) == 0;
}

/* Two statements say the same thing (their locations may differ). */
static int
stmt_equal(const struct case_stmt *a, const struct case_stmt *b)
{
	int i;

	if (a->kind != b->kind || memcmp(&a->time, &b->time,
	    sizeof(a->time)) != 0 || a->conn != b->conn || a->sev != b->sev ||
	    a->timeout != b->timeout)
		return 0;
	switch (a->kind) {
	case CASE_S_PACKET:
		if (a->u.pkt.dir != b->u.pkt.dir || a->u.pkt.nalt !=
		    b->u.pkt.nalt || a->u.pkt.negate != b->u.pkt.negate)
			return 0;
		for (i = 0; i < a->u.pkt.nalt; i++)
			if (!seg_equal(&a->u.pkt.alt[i], &b->u.pkt.alt[i]))
				return 0;
		return 1;
	case CASE_S_SEND:
		return data_equal(&a->u.data, &b->u.data);
	case CASE_S_SET:
		if (a->u.set.which == CASE_SET_OPTIONS)
			return a->u.set.opts->n == b->u.set.opts->n &&
			    memcmp(a->u.set.opts->v, b->u.set.opts->v,
			    sizeof(a->u.set.opts->v[0]) *
			    (size_t)a->u.set.opts->n) == 0;
		return memcmp(&a->u.set, &b->u.set, sizeof(a->u.set)) == 0;
	case CASE_S_AGENT:
		return data_equal(&a->u.agent.data, &b->u.agent.data) &&
		    a->u.agent.op == b->u.agent.op &&
		    a->u.agent.result == b->u.agent.result &&
		    a->u.agent.result_count == b->u.agent.result_count &&
		    strcmp(a->u.agent.errname, b->u.agent.errname) == 0 &&
		    memcmp(&a->u.agent.read, &b->u.agent.read,
		    sizeof(a->u.agent.read)) == 0 &&
		    a->u.agent.how == b->u.agent.how &&
		    a->u.agent.linger_on == b->u.agent.linger_on &&
		    a->u.agent.value == b->u.agent.value;
	case CASE_S_HTTP:
		return a->u.http.get == b->u.http.get &&
		    a->u.http.close == b->u.http.close &&
		    (a->u.http.get ? strcmp(a->u.http.path, b->u.http.path) ==
		    0 : data_equal(&a->u.http.request, &b->u.http.request));
	default:
		return memcmp(&a->u, &b->u, sizeof(a->u)) == 0;
	}
}

static int
str_equal(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0);
}

static void
prog_equal(const struct case_prog *a, const struct case_prog *b)
{
	int i;

	assert_string_equal(a->title, b->title);
	assert_int_equal(a->nreqs, b->nreqs);
	for (i = 0; i < a->nreqs; i++)
		assert_ptr_equal(a->reqs[i], b->reqs[i]);
	assert_int_equal(a->needs, b->needs);
	assert_int_equal(a->ntags, b->ntags);
	for (i = 0; i < a->ntags; i++)
		assert_string_equal(a->tags[i], b->tags[i]);
	assert_int_equal(a->nfaults, b->nfaults);
	for (i = 0; i < a->nfaults; i++)
		assert_string_equal(a->faults[i], b->faults[i]);
	assert_true(str_equal(a->fault_none, b->fault_none));
	assert_int_equal(a->severity, b->severity);
	assert_int_equal(a->severity_given, b->severity_given);
	assert_int_equal(a->linux_verdict, b->linux_verdict);
	assert_true(str_equal(a->linux_reason, b->linux_reason));
	assert_int_equal(a->nconns, b->nconns);
	for (i = 0; i < a->nconns; i++)
		assert_string_equal(a->conns[i], b->conns[i]);
	assert_int_equal(a->nstmts, b->nstmts);
	for (i = 0; i < a->nstmts; i++) {
		if (!stmt_equal(&a->stmts[i], &b->stmts[i]))
			print_error("statement %d (line %d) differs\n", i,
			    a->stmts[i].loc.line);
		assert_true(stmt_equal(&a->stmts[i], &b->stmts[i]));
	}
}

/* Every good example: parse, print, parse: the same program and text. */
static void
case_round_trip_good_examples(void **state)
{
	struct case_prog **v, *q;
	char *msgs, *t1, *t2;
	size_t i, n;

	(void)state;
	assert_int_equal(case_load_dir(TESTDIR "/cases-good", &v, &n, &msgs),
	    0);
	assert_null(msgs);
	assert_true(n >= 4);
	for (i = 0; i < n; i++) {
		if (i > 0)
			assert_true(strcmp(v[i - 1]->path, v[i]->path) < 0);
		t1 = case_print(v[i]);
		assert_non_null(t1);
		assert_int_equal(case_parse("printed.case", t1, strlen(t1), &q,
		    &msgs), 0);
		assert_null(msgs);
		prog_equal(v[i], q);
		t2 = case_print(q);
		assert_string_equal(t1, t2);
		free(t1);
		free(t2);
		case_free(q);
	}
	case_free_all(v, n);
}

/* A directory that is not there is an error with a message. */
static void
case_load_dir_missing(void **state)
{
	struct case_prog **v;
	char *msgs;
	size_t n;

	(void)state;
	assert_int_equal(case_load_dir(TESTDIR "/no-such-dir", &v, &n, &msgs),
	    -1);
	assert_int_equal(n, 0);
	assert_null(v);
	assert_non_null(strstr(msgs, "no-such-dir: error: No such file or "
	    "directory"));
	free(msgs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case_head_comment_is_about),
		cmocka_unit_test(case_packet_in_syn_with_options),
		cmocka_unit_test(case_packet_out_range_and_alternatives),
		cmocka_unit_test(case_packet_out_end_alternatives),
		cmocka_unit_test(case_packet_end_errors),
		cmocka_unit_test(case_packet_out_negated_rst),
		cmocka_unit_test(case_packet_omitted_fields_not_given),
		cmocka_unit_test(case_packet_options_any_and_subset),
		cmocka_unit_test(case_packet_options_negated),
		cmocka_unit_test(case_packet_negative_seq_wraps),
		cmocka_unit_test(case_packet_seq_wrap_end),
		cmocka_unit_test(case_packet_sack_fo_raw_md5_eol),
		cmocka_unit_test(case_packet_ts_wildcards),
		cmocka_unit_test(case_packet_flags),
		cmocka_unit_test(case_time_forms),
		cmocka_unit_test(case_directives_peer),
		cmocka_unit_test(case_directives_set),
		cmocka_unit_test(case_set_severity_applies_to_later_statements),
		cmocka_unit_test(case_directives_agent),
		cmocka_unit_test(case_directives_http_and_measure),
		cmocka_unit_test(case_icmp_errors),
		cmocka_unit_test(case_connection_labels),
		cmocka_unit_test(case_metadata_all_fields),
		cmocka_unit_test(case_metadata_fault_none),
		cmocka_unit_test(case_default_severity_from_requirements),
		cmocka_unit_test(case_wscale_above_14_warns),
		cmocka_unit_test(case_errors_stop_after_limit),
		cmocka_unit_test(case_reqs_rfc9293_labels_complete),
		cmocka_unit_test(case_reqs_other_rfcs),
		cmocka_unit_test(case_reqs_listed_in_man_page),
		cmocka_unit_test(case_packet_csum_bad),
		cmocka_unit_test(case_packet_out_len_max),
		cmocka_unit_test(case_packet_out_past),
		cmocka_unit_test(case_print_formats),
		cmocka_unit_test(case_round_trip_good_examples),
		cmocka_unit_test(case_load_dir_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
