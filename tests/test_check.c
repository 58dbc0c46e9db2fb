/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_check.c: the checks module through its own header alone (check.h),
 * linked with case/, codec/, result/ and lib/ only: no runner, no TCB, no
 * network.  Findings go in, verdicts come out; the checks of statement
 * results and of segments return the findings the runner records.
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

/* A program of one statement after the metadata (statement 0). */
static struct case_prog *
prog1(const char *stmt)
{
	struct case_prog *p;
	char *text, *msgs = NULL;

	if (asprintf(&text, "title \"t\"\nchecks MUST-8\nfault none \"t\"\n"
	    "%s\n", stmt) < 0)
		abort();
	if (case_parse("t.case", text, strlen(text), &p, &msgs) == -1) {
		fprintf(stderr, "%s", msgs);
		fail();
	}
	free(msgs);
	free(text);
	return p;
}

static void
add(struct check_att *a, enum find_kind kind, enum case_sev sev,
    const char *text)
{
	struct finding f;

	check_finding(&f, kind, NULL, NULL, text != NULL ? "%s" : NULL, text);
	f.sev = sev;
	if (kind == FIND_CAPLOSS)
		f.count = 2;
	check_att_add(&a[0], &f);
}

/* No finding is a pass; a measurement alone is info. */
static void
verdict_pass_and_info(void **state)
{
	struct check_att a = { NULL, 0 };
	const char *why;
	int retry;

	(void)state;
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_PASS);
	assert_null(why);
	add(&a, FIND_MEASURED, CASE_SEV_MUST, NULL);
	assert_int_equal(check_verdict(&a, 1, &retry, &why), VERDICT_INFO);
	assert_int_equal(retry, 0);
	check_att_free(&a);
}

/* The first finding that ends the attempt decides, by its severity. */
static void
verdict_first_decisive_finding(void **state)
{
	struct check_att a = { NULL, 0 };
	const char *why;
	int retry;

	(void)state;
	add(&a, FIND_MEASURED, CASE_SEV_MUST, NULL);
	add(&a, FIND_STATE, CASE_SEV_SHOULD, "first");
	add(&a, FIND_MISMATCH, CASE_SEV_MUST, "second");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_WARN);
	assert_string_equal(why, "first");
	assert_int_equal(retry, 0);
	check_att_free(&a);

	add(&a, FIND_FORBIDDEN, CASE_SEV_MAY, "may");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_INFO);
	check_att_free(&a);
}

/* Capture losses and a noisy path make doubtful evidence inconclusive. */
static void
verdict_doubtful_evidence(void **state)
{
	struct check_att a = { NULL, 0 };
	const char *why;
	int retry;

	(void)state;
	add(&a, FIND_TIMING, CASE_SEV_MUST, "late");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_FAIL);
	assert_int_equal(retry, 1);
	assert_int_equal(check_verdict(&a, 1, &retry, &why),
	    VERDICT_INCONCLUSIVE);
	check_att_free(&a);

	add(&a, FIND_MISSING, CASE_SEV_MUST, "missing");
	assert_int_equal(check_verdict(&a, 1, &retry, &why), VERDICT_FAIL);
	assert_int_equal(retry, 0);
	add(&a, FIND_CAPLOSS, CASE_SEV_MUST, "lost 2");
	assert_int_equal(check_verdict(&a, 0, &retry, &why),
	    VERDICT_INCONCLUSIVE);
	assert_int_equal(retry, 1);
	assert_string_equal(why, "missing");
	check_att_free(&a);

	/* Losses alone change nothing: a pass is a pass. */
	add(&a, FIND_CAPLOSS, CASE_SEV_MUST, "lost 2");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_PASS);
	check_att_free(&a);
}

/* The host kernel's RST makes anything but not-applicable an error. */
static void
verdict_host_rst(void **state)
{
	struct check_att a = { NULL, 0 };
	const char *why;
	int retry;

	(void)state;
	add(&a, FIND_HOSTRST, CASE_SEV_MUST, "guard");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_ERROR);
	assert_string_equal(why, "guard");
	add(&a, FIND_MISMATCH, CASE_SEV_MUST, "ack");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_ERROR);
	assert_string_equal(why, "guard");
	check_att_free(&a);

	add(&a, FIND_NA, CASE_SEV_MUST, "needs the agent");
	add(&a, FIND_HOSTRST, CASE_SEV_MUST, "guard");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_NA);
	assert_string_equal(why, "needs the agent");
	check_att_free(&a);

	add(&a, FIND_ERROR, CASE_SEV_SHOULD, "agent gone");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_ERROR);
	check_att_free(&a);
}

/* The path's trouble makes a miss doubtful; on a clean path it is not. */
static void
verdict_path_trouble(void **state)
{
	struct check_att a = { NULL, 0 };
	struct case_result r;
	struct run_att ra;
	struct finding f;
	int retry;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&a, FIND_MISMATCH, CASE_SEV_MUST, "ack");
	check_finding(&f, FIND_PATH, NULL, NULL, "dup");
	f.trouble = RUN_TR_DUP;
	check_att_add(&a, &f);
	check_judge_attempt(&r, &a, 0, &retry, &ra);
	assert_int_equal(r.verdict, VERDICT_INCONCLUSIVE);
	assert_int_equal(retry, 1);
	assert_int_equal(ra.clean, VERDICT_FAIL);
	assert_int_equal(ra.trouble, RUN_TR_DUP);
	assert_int_equal(ra.kind, FIND_MISMATCH);
	free(r.reason);
	check_att_free(&a);
}

/* A finding on a line names it; its severity is the line's. */
static void
finding_names_its_line(void **state)
{
	struct case_prog *p = prog1("severity should\n+0 > . 1:1(0) ack 1");
	struct finding f;

	(void)state;
	assert_int_equal(check_finding(&f, FIND_STATE, p, &p->stmts[0],
	    "ack: expected %d, observed %d", 1, 0), CHECK_FOUND);
	assert_int_equal(f.sev, CASE_SEV_SHOULD);
	assert_int_equal(f.seg, -1);
	assert_ptr_equal(f.prog, p);
	assert_string_equal(f.prog->reqs[0]->id, "MUST-8");
	assert_non_null(strstr(f.text, "line 5 ("));
	assert_non_null(strstr(f.text, "): ack: expected 1, observed 0"));
	assert_true(check_finding_ends(&f));
	check_finding_free(&f);
	check_finding(&f, FIND_MEASURED, p, NULL, NULL);
	assert_false(check_finding_ends(&f));
	assert_null(f.text);
	case_free(p);
}

/* An attempt's verdict and reason go into its record. */
static void
judge_attempt_and_case(void **state)
{
	struct check_att a = { NULL, 0 };
	struct case_result r[3], cr, *tries[3] = { &r[0], &r[1], &r[2] };
	struct run_att ra;
	enum verdict reps[1];
	int retry;
	size_t k;

	(void)state;
	memset(r, 0, sizeof(r));
	memset(&cr, 0, sizeof(cr));
	add(&a, FIND_TIMING, CASE_SEV_MUST, "late");
	check_judge_attempt(&r[0], &a, 1, &retry, &ra);
	assert_int_equal(r[0].verdict, VERDICT_INCONCLUSIVE);
	assert_int_equal(ra.v, VERDICT_INCONCLUSIVE);
	assert_int_equal(ra.kind, FIND_TIMING);
	assert_string_equal(r[0].reason, "late");
	assert_int_equal(retry, 1);
	check_att_free(&a);
	check_judge_attempt(&r[1], &a, 1, &retry, NULL);
	assert_int_equal(r[1].verdict, VERDICT_PASS);
	assert_null(r[1].reason);

	/* Retried: passed on the second attempt, flaky; the evidence is
	 * the attempt that did not pass. */
	reps[0] = run_aggregate((enum verdict[]){ r[0].verdict,
	    r[1].verdict }, 2, 1, (char[200]){ 0 }, 200);
	assert_int_equal(reps[0], VERDICT_FLAKY);
	k = check_judge_case(&cr, tries, 2, reps, 1, "passed on attempt 2");
	assert_int_equal(k, 0);
	assert_int_equal(cr.verdict, VERDICT_FLAKY);
	assert_string_equal(cr.reason, "passed on attempt 2: late");

	check_skip(&cr, "not run");
	assert_int_equal(cr.verdict, VERDICT_SKIP);
	assert_string_equal(cr.reason, "not run");
	free(cr.reason);
	free(r[0].reason);
}

/* The baseline turns an expected failure into xfail, a pass into xpass. */
static void
baseline_expect_and_linux_line(void **state)
{
	struct case_prog *p = prog1("linux fail \"known\"\n+0 > . 1:1(0)");
	struct run_expect *e = NULL;
	struct case_result cr;
	char *err = NULL;

	(void)state;
	memset(&cr, 0, sizeof(cr));
	cr.verdict = VERDICT_FAIL;
	result_set(&cr.reason, "ack");
	check_baseline(&cr, NULL, "x/y", AF_INET, p, 1);
	assert_int_equal(cr.verdict, VERDICT_XFAIL);
	assert_string_equal(cr.reason, "expected by the case's \"linux\" line "
	    "(known): ack");
	cr.verdict = VERDICT_PASS;
	check_baseline(&cr, NULL, "x/y", AF_INET, p, 0);
	assert_int_equal(cr.verdict, VERDICT_PASS);
	assert_int_equal(run_expect_parse("b", "x/* warn why\n", 13, &e,
	    &err), 0);
	check_baseline(&cr, e, "x/y", AF_INET, p, 0);
	assert_int_equal(cr.verdict, VERDICT_XPASS);
	assert_non_null(strstr(cr.reason, "passed, but a failure is expected "
	    "by the baseline (why)"));
	run_expect_free(e);
	free(cr.reason);
	case_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verdict_pass_and_info),
		cmocka_unit_test(verdict_first_decisive_finding),
		cmocka_unit_test(verdict_doubtful_evidence),
		cmocka_unit_test(verdict_host_rst),
		cmocka_unit_test(verdict_path_trouble),
		cmocka_unit_test(finding_names_its_line),
		cmocka_unit_test(judge_attempt_and_case),
		cmocka_unit_test(baseline_expect_and_linux_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
