/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_result.c: the results model: verdict names and legend, the exit
 * status contract of DESIGN.md, the one mismatch format, flags, topics,
 * flake rate, counting and merging runs.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "result.h"
#include "test_report_fixture.h"

static void
test_result_verdict_names_round_trip(void **state)
{
	int v;

	(void)state;
	for (v = 0; v < VERDICT_N; v++) {
		assert_int_equal(verdict_from_name(verdict_name(v)), v);
		assert_true(strlen(verdict_legend(v)) > 20);
		assert_true(strlen(verdict_label(v)) > 0);
	}
	assert_string_equal(verdict_name(VERDICT_NA), "not-applicable");
	assert_string_equal(verdict_label(VERDICT_NA), "N/A");
	assert_int_equal(verdict_from_name("passed"), -1);
	assert_int_equal(verdict_from_name(NULL), -1);
}

/* DESIGN.md: 0 pass/xfail/info/n-a; 1 MUST failed or xpass; 2 tester
 * failed; 3 only SHOULDs failed with --strict. */
static void
test_result_exit_status_contract(void **state)
{
	(void)state;
	assert_int_equal(verdict_exit_status(VERDICT_PASS, 1), 0);
	assert_int_equal(verdict_exit_status(VERDICT_XFAIL, 1), 0);
	assert_int_equal(verdict_exit_status(VERDICT_INFO, 1), 0);
	assert_int_equal(verdict_exit_status(VERDICT_NA, 1), 0);
	assert_int_equal(verdict_exit_status(VERDICT_FAIL, 0), 1);
	assert_int_equal(verdict_exit_status(VERDICT_XPASS, 0), 1);
	assert_int_equal(verdict_exit_status(VERDICT_ERROR, 0), 2);
	assert_int_equal(verdict_exit_status(VERDICT_WARN, 0), 0);
	assert_int_equal(verdict_exit_status(VERDICT_WARN, 1), 3);
	assert_int_equal(verdict_exit_status(VERDICT_FLAKY, 1), 3);
}

static void
test_result_exit_status_precedence(void **state)
{
	struct run *r;
	struct target *t;

	(void)state;
	r = result_run_new();
	t = result_target_add(r);
	assert_int_equal(result_exit_status(r, 1), 0);	/* no cases */
	result_case_add(t)->verdict = VERDICT_PASS;
	result_case_add(t)->verdict = VERDICT_WARN;
	assert_int_equal(result_exit_status(r, 0), 0);
	assert_int_equal(result_exit_status(r, 1), 3);
	result_case_add(t)->verdict = VERDICT_FAIL;
	assert_int_equal(result_exit_status(r, 1), 1);	/* 1 beats 3 */
	result_case_add(t)->verdict = VERDICT_ERROR;
	assert_int_equal(result_exit_status(r, 1), 2);	/* 2 beats 1 */
	result_run_free(r);
}

/*
 * tcpconform(1), EXIT STATUS: --complete makes a case that gave no verdict
 * 4 (below 2, 1 and 3); a run that stopped is 2 whatever its cases say,
 * also with no case at all (an interrupt during set-up).
 */
static void
test_result_exit_status_complete_and_stopped(void **state)
{
	struct run *r;
	struct target *t;

	(void)state;
	assert_int_equal(verdict_exit_status(VERDICT_NA, RESULT_COMPLETE), 4);
	assert_int_equal(verdict_exit_status(VERDICT_SKIP, RESULT_COMPLETE), 4);
	assert_int_equal(verdict_exit_status(VERDICT_INCONCLUSIVE,
	    RESULT_COMPLETE), 4);
	assert_int_equal(verdict_exit_status(VERDICT_INCONCLUSIVE,
	    RESULT_COMPLETE | RESULT_STRICT), 3);
	assert_int_equal(verdict_exit_status(VERDICT_NA, RESULT_STRICT), 0);
	assert_int_equal(verdict_exit_status(VERDICT_PASS, RESULT_COMPLETE), 0);
	r = result_run_new();
	t = result_target_add(r);
	result_case_add(t)->verdict = VERDICT_PASS;
	result_case_add(t)->verdict = VERDICT_NA;
	assert_int_equal(result_exit_status(r, 0), 0);
	assert_int_equal(result_exit_status(r, RESULT_COMPLETE), 4);
	result_case_add(t)->verdict = VERDICT_WARN;
	assert_int_equal(result_exit_status(r, RESULT_COMPLETE |
	    RESULT_STRICT), 3);				/* 3 beats 4 */
	r->complete = 1;
	assert_int_equal(result_flags(r), RESULT_COMPLETE);
	result_run_free(r);

	r = result_run_new();
	assert_int_equal(result_exit_status(r, 0), 0);
	result_set(&r->stopped, "interrupted");
	assert_int_equal(result_exit_status(r, 0), 2);
	result_run_free(r);
}

/*
 * The headline of an agentless run: how many cases ran, why the others did
 * not, the requirement IDs checked; never a bare "pass" over what did not
 * run.
 */
static void
test_result_cover_says_what_ran(void **state)
{
	struct run *r;
	struct target *t;
	struct case_result *c;
	struct cover cv;
	char buf[256];

	(void)state;
	r = result_run_new();
	t = result_target_add(r);
	c = result_case_add(t);
	c->verdict = VERDICT_PASS;
	result_req_add(c, "MUST-1", "RFC 9293 3.1", "MUST", "x");
	c = result_case_add(t);
	c->verdict = VERDICT_NA;
	result_set(&c->reason, "needs the agent (--agent)");
	result_req_add(c, "MUST-1", "RFC 9293 3.1", "MUST", "x");
	result_req_add(c, "MUST-2", "RFC 9293 3.2", "MUST", "y");
	c = result_case_add(t);
	c->verdict = VERDICT_NA;
	result_set(&c->reason, "needs the agent (--agent)");
	c = result_case_add(t);
	c->verdict = VERDICT_SKIP;
	result_set(&c->reason, "not run: the run stopped");
	result_cover(r, &cv);
	assert_int_equal(cv.total, 4);
	assert_int_equal(cv.ran, 1);
	assert_int_equal(cv.why[COVER_AGENT], 2);
	assert_int_equal(cv.why[COVER_NOTRUN], 1);
	assert_int_equal(cv.reqs_ran, 1);
	assert_int_equal(cv.reqs_not, 1);
	assert_string_equal(result_cover_str(&cv, buf, sizeof(buf)),
	    "1 of 4 cases ran; 2 need the agent; 1 were not run "
	    "(requirements checked: 1; not checked, their cases did not "
	    "run: 1)");
	result_run_free(r);
}

static void
test_result_mismatch_has_one_format(void **state)
{
	struct field_diff d = { "ack", "1001", "1000" };
	struct field_diff none = { "segment", "> F. 1:1(0)", NULL };
	char buf[128];

	(void)state;
	assert_string_equal(result_diff_str(&d, buf, sizeof(buf)),
	    "ack: expected 1001, observed 1000");
	assert_string_equal(result_diff_str(&none, buf, sizeof(buf)),
	    "segment: expected > F. 1:1(0), observed (nothing)");
	assert_string_equal(result_diff_str(&d, buf, 8), "ack: ex");
}

static void
test_result_flags_in_packetdrill_letters(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(result_flags_str(SEGF_SYN, buf, sizeof(buf)), "S");
	assert_string_equal(result_flags_str(SEGF_SYN | SEGF_ACK, buf,
	    sizeof(buf)), "S.");
	assert_string_equal(result_flags_str(SEGF_FIN | SEGF_PSH | SEGF_ACK,
	    buf, sizeof(buf)), "FP.");
	assert_string_equal(result_flags_str(SEGF_ACK, buf, sizeof(buf)), ".");
	assert_string_equal(result_flags_str(SEGF_RST, buf, sizeof(buf)), "R");
	assert_string_equal(result_flags_str(0, buf, sizeof(buf)), "-");
	assert_string_equal(result_flags_str(0x1ff, buf, 4), "FSR");
}

static void
test_result_topic_from_id_or_field(void **state)
{
	struct case_result c;
	const char *p;
	size_t n;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.id = "handshake/passive-open";
	n = result_case_topic(&c, &p);
	assert_int_equal(n, 9);
	assert_memory_equal(p, "handshake", 9);
	c.topic = "close";
	n = result_case_topic(&c, &p);
	assert_int_equal(n, 5);
	assert_string_equal(p, "close");
	c.topic = NULL;
	c.id = "noslash";
	assert_int_equal(result_case_topic(&c, &p), 0);
	c.id = NULL;
	assert_int_equal(result_case_topic(&c, &p), 0);
}

static void
test_result_flake_rate_counts_failed_attempts(void **state)
{
	struct run *r;

	(void)state;
	r = fixture_run(0);
	assert_true(result_flake_rate(r->targets[0]->cases[FX_FLAKY]) >
	    0.333 && result_flake_rate(r->targets[0]->cases[FX_FLAKY]) <
	    0.334);
	assert_true(result_flake_rate(r->targets[0]->cases[FX_PASS]) == 0.0);
	result_run_free(r);
}

static void
test_result_counts_per_verdict(void **state)
{
	struct run *r;
	size_t counts[VERDICT_N];
	int v;

	(void)state;
	r = fixture_run(0);
	result_count_run(r, counts);
	assert_int_equal(counts[VERDICT_FAIL], 2);
	for (v = 0; v < VERDICT_N; v++)
		if (v != VERDICT_FAIL)
			assert_int_equal(counts[v], 1);
	assert_int_equal(result_exit_status(r, 0), 2);
	result_run_free(r);
}

static void
test_result_payload_is_capped(void **state)
{
	struct run *r;
	struct seg_rec *s;
	uint8_t big[200];

	(void)state;
	memset(big, 'A', sizeof(big));
	r = result_run_new();
	s = result_seg_add(result_case_add(result_target_add(r)));
	s->len = sizeof(big);
	result_seg_payload(s, big, sizeof(big));
	assert_int_equal(s->payload_len, RESULT_PAYLOAD_MAX);
	assert_int_equal(s->len, 200);
	result_seg_payload(s, NULL, 0);
	assert_null(s->payload);
	result_run_free(r);
}

static void
test_result_merge_moves_targets_and_unions_catalogue(void **state)
{
	struct run *a, *b;

	(void)state;
	a = fixture_run(0);
	b = fixture_run(0);
	result_set(&b->targets[0]->name, "other");
	result_known_req_add(b, "MUST-99", NULL, "MUST", NULL);
	b->ended_us = a->ended_us + 5;
	result_run_merge(a, b);
	assert_int_equal(a->ntargets, 2);
	assert_int_equal(b->ntargets, 0);
	assert_string_equal(a->targets[1]->name, "other");
	assert_int_equal(a->nknown, 5);
	assert_string_equal(a->known_reqs[4].id, "MUST-99");
	assert_int_equal(a->ended_us, b->ended_us);
	result_run_free(b);
	result_run_free(a);
}

static void
test_result_req_level_keywords(void **state)
{
	(void)state;
	assert_int_equal(req_level("MUST"), REQ_MUST);
	assert_int_equal(req_level("must not"), REQ_MUST);
	assert_int_equal(req_level("SHOULD"), REQ_SHOULD);
	assert_int_equal(req_level("SHLD"), REQ_SHOULD);
	assert_int_equal(req_level("MAY"), REQ_MAY);
	assert_int_equal(req_level("perhaps"), REQ_OTHER);
	assert_int_equal(req_level(NULL), REQ_OTHER);
	assert_int_equal(target_mode_from_name("phantom"), TARGET_PHANTOM);
	assert_string_equal(target_mode_name(TARGET_LOOPBACK), "loopback");
	assert_int_equal(target_mode_from_name("moon"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_verdict_names_round_trip),
		cmocka_unit_test(test_result_exit_status_contract),
		cmocka_unit_test(test_result_exit_status_precedence),
		cmocka_unit_test(test_result_exit_status_complete_and_stopped),
		cmocka_unit_test(test_result_cover_says_what_ran),
		cmocka_unit_test(test_result_mismatch_has_one_format),
		cmocka_unit_test(test_result_flags_in_packetdrill_letters),
		cmocka_unit_test(test_result_topic_from_id_or_field),
		cmocka_unit_test(test_result_flake_rate_counts_failed_attempts),
		cmocka_unit_test(test_result_counts_per_verdict),
		cmocka_unit_test(test_result_payload_is_capped),
		cmocka_unit_test(
		    test_result_merge_moves_targets_and_unions_catalogue),
		cmocka_unit_test(test_result_req_level_keywords),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
