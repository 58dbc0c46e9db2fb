/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_report_fixture.c: builds the sample results of the report tests the
 * way the runner does, through the result.h API, and compares two models.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "result.h"
#include "test_report_fixture.h"

#define ISN_PEER	1000000u
#define ISN_TARGET	3000000000u

static struct case_result *add_case(struct target *, const char *,
		    const char *, enum verdict, const char *);
static struct seg_rec *add_seg(struct case_result *, int64_t, enum seg_dir,
		    unsigned, uint32_t, uint32_t, uint32_t, const char *);
static void	 handshake(struct case_result *);
static void	 add_fail(struct target *);
static void	 add_missing(struct target *);
static void	 add_others(struct target *);
static void	 add_hostile(struct target *);
static void	 str_eq(const char *, const char *);
static void	 req_eq(const struct req_ref *, const struct req_ref *);
static void	 seg_eq(const struct seg_rec *, const struct seg_rec *);
static void	 case_eq(const struct case_result *,
		    const struct case_result *);
static void	 target_eq(const struct target *, const struct target *);

static struct case_result *
add_case(struct target *t, const char *id, const char *title, enum verdict v,
    const char *reason)
{
	struct case_result *c;

	c = result_case_add(t);
	result_set(&c->id, id);
	result_set(&c->title, title);
	c->verdict = v;
	result_set(&c->reason, reason);
	c->duration_us = 12345;
	return c;
}

static struct seg_rec *
add_seg(struct case_result *c, int64_t t, enum seg_dir dir, unsigned flags,
    uint32_t seq, uint32_t ack, uint32_t len, const char *opts)
{
	struct seg_rec *s;
	uint32_t sisn, aisn;

	sisn = dir == SEGDIR_TO_TARGET ? ISN_PEER : ISN_TARGET;
	aisn = dir == SEGDIR_TO_TARGET ? ISN_TARGET : ISN_PEER;
	s = result_seg_add(c);
	s->t_us = t;
	s->dir = dir;
	s->flags = flags;
	s->seq_rel = seq;
	s->ack_rel = ack;
	s->seq_abs = sisn + seq;
	s->ack_abs = (flags & SEGF_ACK) ? aisn + ack : 0;
	s->len = len;
	s->win = dir == SEGDIR_TO_TARGET ? 65535 : 64240;
	result_set(&s->options, opts);
	return s;
}

/* The three segments of a passive open, the target's line an expectation. */
static void
handshake(struct case_result *c)
{
	struct seg_rec *s;

	add_seg(c, 0, SEGDIR_TO_TARGET, SEGF_SYN, 0, 0, 0,
	    "mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7");
	s = add_seg(c, 48, SEGDIR_FROM_TARGET, SEGF_SYN | SEGF_ACK, 0, 1, 0,
	    "mss 65495,sackOK,TS val 7 ecr 100,nop,wscale 7");
	result_set(&s->expect, "+0 > S. 0:0(0) ack 1 <...>");
	result_set(&s->expect_file, "cases/handshake/passive-open.case");
	s->expect_line = 9;
	add_seg(c, 101, SEGDIR_TO_TARGET, SEGF_ACK, 1, 1, 0, NULL);
}

static void
add_fail(struct target *t)
{
	struct case_result *c;
	struct seg_rec *s;
	static const uint8_t data[] = "GET / HTTP/1.0\r\n\r\n";

	c = add_case(t, "close/fin-consumes-sequence",
	    "A FIN consumes one sequence number", VERDICT_FAIL,
	    "the target acknowledged the FIN without counting it");
	result_set(&c->topic, "close");
	result_set(&c->file, "cases/close/fin-consumes-sequence.case");
	c->line = 14;
	result_set(&c->about, "A FIN occupies one sequence number: the ACK of\n"
	    "our FIN must acknowledge it (RFC 9293 3.6).");
	result_set(&c->pcap, "pcap/close-fin-consumes-sequence.pcap");
	result_tag_add(c, "close");
	result_tag_add(c, "fin");
	result_req_add(c, "MUST-12", "RFC 9293 3.6", "MUST",
	    "A FIN occupies one sequence number");
	result_req_add(c, "SHLD-2", "RFC 9293 3.8.6.3", "SHOULD",
	    "Delay ACKs by less than 0.5 s");
	handshake(c);
	s = add_seg(c, 1200, SEGDIR_TO_TARGET, SEGF_FIN | SEGF_PSH | SEGF_ACK,
	    1, 1, 1000, NULL);
	result_seg_payload(s, data, sizeof(data) - 1);
	s = add_seg(c, 1260, SEGDIR_FROM_TARGET, SEGF_ACK, 1, 1000, 0,
	    "nop,nop,TS val 8 ecr 101");
	result_set(&s->expect, "+0 > . 1:1(0) ack 1002");
	result_set(&s->expect_file, "cases/close/fin-consumes-sequence.case");
	s->expect_line = 14;
	c->mismatch_seg = 4;
	result_diff_add(c, "ack", "1002", "1000");
	result_diff_add(c, "options", "(none)", "nop,nop,TS val 8 ecr 101");
	result_attempt_add(c, VERDICT_FAIL, 12345, "ack mismatch");
}

static void
add_missing(struct target *t)
{
	struct case_result *c;
	struct seg_rec *s;

	c = add_case(t, "rst/in-window-challenge-ack",
	    "An in-window RST gets a challenge ACK", VERDICT_FAIL,
	    "no challenge ACK within 250 ms");
	result_req_add(c, "RFC5961-3.2", "RFC 5961 3.2", "MUST",
	    "Answer an in-window RST with a challenge ACK");
	handshake(c);
	add_seg(c, 2000, SEGDIR_TO_TARGET, SEGF_RST, 5, 0, 0, NULL);
	s = add_seg(c, 252000, SEGDIR_FROM_TARGET, SEGF_ACK, 1, 1, 0, NULL);
	s->kind = SEGK_MISSING;
	result_set(&s->expect, "+0 > . 1:1(0) ack 1");
	result_set(&s->expect_file, "cases/rst/in-window-challenge-ack.case");
	s->expect_line = 11;
	s = add_seg(c, 260000, SEGDIR_FROM_TARGET, SEGF_RST, 1, 0, 0, NULL);
	s->kind = SEGK_UNEXPECTED;
	c->mismatch_seg = 4;
	result_diff_add(c, "segment", "> . 1:1(0) ack 1", "nothing in 250 ms");
}

static void
add_others(struct target *t)
{
	struct case_result *c;

	c = add_case(t, "close/time-wait-length", "How long TIME-WAIT lasts",
	    VERDICT_INFO, "measured");
	result_meas_add(c, "TIME-WAIT", 60.25, "s");
	result_meas_add(c, "retransmitted FINs", 3, NULL);
	c = add_case(t, "options/mss-clamp", "MSS below 536", VERDICT_XFAIL,
	    "known Linux behaviour");
	result_req_add(c, "MUST-16", "RFC 9293 3.7.1", "MUST", "Use MSS");
	c = add_case(t, "urgent/pointer", "Urgent pointer", VERDICT_XPASS,
	    "passed, but the baseline expects a failure");
	c = add_case(t, "keepalive/probe", "Keep-alive probe", VERDICT_ERROR,
	    "the agent did not answer");
	c = add_case(t, "handshake/syn-retransmit", "SYN-ACK retransmission",
	    VERDICT_FLAKY, "passed on 2 of 3 attempts");
	result_attempt_add(c, VERDICT_FAIL, 1000, "timing");
	result_attempt_add(c, VERDICT_PASS, 1100, NULL);
	result_attempt_add(c, VERDICT_PASS, 1200, NULL);
	c = add_case(t, "options/ipv6-flow", "IPv6 only", VERDICT_NA,
	    "needs IPv6");
	c = add_case(t, "close/ack-delay", "ACK of FIN delayed", VERDICT_WARN,
	    "the ACK came after 600 ms");
	result_req_add(c, "SHLD-2", "RFC 9293 3.8.6.3", "SHOULD",
	    "Delay ACKs by less than 0.5 s");
	c = add_case(t, "rto/initial", "Initial RTO", VERDICT_INCONCLUSIVE,
	    "jitter too high");
	c = add_case(t, "rto/backoff", "RTO backoff", VERDICT_SKIP, NULL);
}

static void
add_hostile(struct target *t)
{
	struct case_result *c;
	struct seg_rec *s;
	static const uint8_t evil[] = "<script>alert(4)</script>\0\xff]]>\"'&";

	c = add_case(t, HOSTILE_ID, HOSTILE_TITLE, VERDICT_FAIL,
	    "<b>reason</b> with \x01 control");
	result_set(&c->topic, "<i>topic</i>");
	result_set(&c->pcap, "javascript:alert(5)");
	result_tag_add(c, "\"><script>alert(6)</script>");
	result_req_add(c, "<MUST-1>", "RFC 9293 <3.1>", "MUST",
	    "<script>alert(7)</script>");
	s = add_seg(c, 10, SEGDIR_FROM_TARGET, SEGF_PSH | SEGF_ACK, 1, 1,
	    sizeof(evil) - 1, "<img src=x onerror=alert(8)>");
	result_seg_payload(s, evil, sizeof(evil) - 1);
	result_set(&s->expect, "</text><script>alert(9)</script>");
	result_set(&s->expect_file, "\"><script>");
	c->mismatch_seg = 0;
	result_diff_add(c, "<field>", "<script>", "onerror=alert(10)");
	result_meas_add(c, "<m>", 1, "<script>");
}

struct run *
fixture_run(int hostile)
{
	struct run *r;
	struct target *t;
	struct case_result *c;

	r = result_run_new();
	result_set(&r->tester_version, "0.1.0");
	result_set(&r->command_line, "tcpconform run --loopback -j 4 cases/");
	r->started_us = 1778751012000000LL;	/* 2026-05-14 09:30:12 */
	r->ended_us = r->started_us + 4200000;
	result_option_add(r, "jobs", "4");
	result_option_add(r, "repeat", "1");
	result_known_req_add(r, "MUST-10", "RFC 9293 3.5", "MUST",
	    "Handle simultaneous open");
	result_known_req_add(r, "MUST-12", "RFC 9293 3.6", "MUST",
	    "A FIN occupies one sequence number");
	result_known_req_add(r, "MUST-13", "RFC 9293 3.6.1", "MUST",
	    "Hold TIME-WAIT for 2 MSL");
	result_known_req_add(r, "SHLD-2", "RFC 9293 3.8.6.3", "SHOULD",
	    "Delay ACKs by less than 0.5 s");
	t = result_target_add(r);
	result_set(&t->name, "linux");
	result_set(&t->address, "127.0.0.1");
	result_set(&t->kind, "linux");
	result_target_identity_add(t, "os", "Linux");
	result_target_identity_add(t, "release", "6.1.0-28-amd64");
	result_target_identity_add(t, "net.ipv4.tcp_rfc1337", "0");
	t->family = 4;
	t->port = 8080;
	t->mode = TARGET_LOOPBACK;
	t->rtt_us = 48;
	t->jitter_us = 9;
	t->cap_received = 1234;
	t->cap_dropped = 0;
	t->started_us = r->started_us;
	t->ended_us = r->ended_us;
	c = add_case(t, "handshake/passive-open-numbering",
	    "Passive open: the SYN-ACK acknowledges ISN + 1", VERDICT_PASS,
	    NULL);
	result_set(&c->pcap, "pcap/handshake-passive-open-numbering.pcap");
	result_req_add(c, "MUST-10", "RFC 9293 3.5", "MUST",
	    "Handle simultaneous open");
	handshake(c);
	add_fail(t);
	add_missing(t);
	add_others(t);
	if (hostile)
		add_hostile(t);
	return r;
}

void
fixture_add_target(struct run *r, const char *name)
{
	struct target *t;
	struct case_result *c;
	size_t i;

	t = result_target_add(r);
	result_set(&t->name, name);
	result_set(&t->address, "198.18.0.2");
	result_set(&t->kind, "tcpconform");
	/* What an agent says is the target's word, not ours. */
	result_target_identity_add(t, name, name);
	t->mode = TARGET_SELF;
	for (i = 0; i < r->targets[0]->ncases; i++) {
		c = add_case(t, r->targets[0]->cases[i]->id,
		    r->targets[0]->cases[i]->title,
		    i % 3 == 0 ? VERDICT_FAIL : VERDICT_PASS, NULL);
		handshake(c);
	}
}

/* ---- comparison ---- */

static void
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
req_eq(const struct req_ref *a, const struct req_ref *b)
{
	str_eq(a->id, b->id);
	str_eq(a->section, b->section);
	str_eq(a->keyword, b->keyword);
	str_eq(a->text, b->text);
}

static void
seg_eq(const struct seg_rec *a, const struct seg_rec *b)
{
	assert_int_equal(a->t_us, b->t_us);
	assert_int_equal(a->dir, b->dir);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->seq_rel, b->seq_rel);
	assert_int_equal(a->ack_rel, b->ack_rel);
	assert_int_equal(a->seq_abs, b->seq_abs);
	assert_int_equal(a->ack_abs, b->ack_abs);
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->win, b->win);
	str_eq(a->options, b->options);
	assert_int_equal(a->payload_len, b->payload_len);
	if (a->payload_len > 0)
		assert_memory_equal(a->payload, b->payload, a->payload_len);
	str_eq(a->expect, b->expect);
	str_eq(a->expect_file, b->expect_file);
	assert_int_equal(a->expect_line, b->expect_line);
}

static void
case_eq(const struct case_result *a, const struct case_result *b)
{
	size_t i;

	str_eq(a->id, b->id);
	str_eq(a->title, b->title);
	str_eq(a->topic, b->topic);
	str_eq(a->file, b->file);
	str_eq(a->about, b->about);
	assert_int_equal(a->line, b->line);
	str_eq(a->reason, b->reason);
	str_eq(a->pcap, b->pcap);
	assert_int_equal(a->verdict, b->verdict);
	assert_int_equal(a->duration_us, b->duration_us);
	assert_int_equal(a->mismatch_seg, b->mismatch_seg);
	assert_int_equal(a->ntags, b->ntags);
	for (i = 0; i < a->ntags; i++)
		str_eq(a->tags[i], b->tags[i]);
	assert_int_equal(a->nreqs, b->nreqs);
	for (i = 0; i < a->nreqs; i++)
		req_eq(&a->reqs[i], &b->reqs[i]);
	assert_int_equal(a->ndiffs, b->ndiffs);
	for (i = 0; i < a->ndiffs; i++) {
		str_eq(a->diffs[i].field, b->diffs[i].field);
		str_eq(a->diffs[i].expected, b->diffs[i].expected);
		str_eq(a->diffs[i].observed, b->diffs[i].observed);
	}
	assert_int_equal(a->nmeas, b->nmeas);
	for (i = 0; i < a->nmeas; i++) {
		str_eq(a->meas[i].name, b->meas[i].name);
		str_eq(a->meas[i].unit, b->meas[i].unit);
		assert_true(a->meas[i].value == b->meas[i].value);
	}
	assert_int_equal(a->nattempts, b->nattempts);
	for (i = 0; i < a->nattempts; i++) {
		assert_int_equal(a->attempts[i].verdict,
		    b->attempts[i].verdict);
		assert_int_equal(a->attempts[i].duration_us,
		    b->attempts[i].duration_us);
		str_eq(a->attempts[i].reason, b->attempts[i].reason);
	}
	assert_int_equal(a->nsegs, b->nsegs);
	for (i = 0; i < a->nsegs; i++)
		seg_eq(a->segs[i], b->segs[i]);
}

static void
target_eq(const struct target *a, const struct target *b)
{
	size_t i;

	str_eq(a->name, b->name);
	str_eq(a->address, b->address);
	str_eq(a->kind, b->kind);
	assert_int_equal(a->nidentity, b->nidentity);
	for (i = 0; i < a->nidentity; i++) {
		str_eq(a->identity[i].name, b->identity[i].name);
		str_eq(a->identity[i].value, b->identity[i].value);
	}
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->port, b->port);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->rtt_us, b->rtt_us);
	assert_int_equal(a->jitter_us, b->jitter_us);
	assert_int_equal(a->cap_received, b->cap_received);
	assert_int_equal(a->cap_dropped, b->cap_dropped);
	assert_int_equal(a->started_us, b->started_us);
	assert_int_equal(a->ended_us, b->ended_us);
	assert_int_equal(a->ncases, b->ncases);
	for (i = 0; i < a->ncases; i++)
		case_eq(a->cases[i], b->cases[i]);
}

void
fixture_assert_equal(const struct run *a, const struct run *b)
{
	size_t i;

	str_eq(a->tester_version, b->tester_version);
	str_eq(a->command_line, b->command_line);
	assert_int_equal(a->started_us, b->started_us);
	assert_int_equal(a->ended_us, b->ended_us);
	assert_int_equal(a->strict, b->strict);
	assert_int_equal(a->complete, b->complete);
	str_eq(a->stopped, b->stopped);
	assert_int_equal(a->noptions, b->noptions);
	for (i = 0; i < a->noptions; i++) {
		str_eq(a->options[i].name, b->options[i].name);
		str_eq(a->options[i].value, b->options[i].value);
	}
	assert_int_equal(a->nknown, b->nknown);
	for (i = 0; i < a->nknown; i++)
		req_eq(&a->known_reqs[i], &b->known_reqs[i]);
	assert_int_equal(a->ntargets, b->ntargets);
	for (i = 0; i < a->ntargets; i++)
		target_eq(a->targets[i], b->targets[i]);
}

char *
fixture_render(int (*fn)(FILE *, const struct run *), const struct run *r,
    size_t *lenp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(fn(f, r), 0);
	assert_int_equal(fclose(f), 0);
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

size_t
fixture_count(const char *hay, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += k;
	}
	return n;
}
