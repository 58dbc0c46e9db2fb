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

/*
 * A passive check's finding is the target's, unless the path copied or
 * reordered datagrams in the attempt: then the segment may be a late copy
 * of an earlier connection's, and the attempt is tried again.
 */
static void
verdict_passive_and_path(void **state)
{
	struct check_att a = { NULL, 0 };
	struct finding f;
	const char *why;
	int retry;

	(void)state;
	add(&a, FIND_PASSIVE, CASE_SEV_MUST, "ack beyond");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_FAIL);
	assert_int_equal(retry, 0);
	check_finding(&f, FIND_PATH, NULL, NULL, "%s", "the path: reordered");
	f.trouble = RUN_TR_REORDER;
	check_att_add(&a, &f);
	assert_int_equal(check_verdict(&a, 0, &retry, &why),
	    VERDICT_INCONCLUSIVE);
	assert_int_equal(retry, 1);
	assert_string_equal(why, "ack beyond");
	check_att_free(&a);
	/* Our own retransmission alone explains no such segment. */
	add(&a, FIND_PASSIVE, CASE_SEV_MUST, "ack beyond");
	check_finding(&f, FIND_PATH, NULL, NULL, "%s", "the path: ours");
	f.trouble = RUN_TR_OURS;
	check_att_add(&a, &f);
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_FAIL);
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

	/* The agent went away before a failure: the tester's error. */
	add(&a, FIND_MISMATCH, CASE_SEV_MUST, "rst");
	add(&a, FIND_AGENTGONE, CASE_SEV_MUST, "the agent went away: rst");
	assert_int_equal(check_verdict(&a, 0, &retry, &why), VERDICT_ERROR);
	assert_string_equal(why, "the agent went away: rst");
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

/*
 * A failure at a back-off step (a '>' line timed from the interval before
 * it) is recorded as from the first of the steps in a row; elsewhere from
 * its own line.  Statements 0 to 5 are on lines 4 to 9.
 */
static void
attempt_from_first_backoff_step(void **state)
{
	struct case_prog *p = prog1("+0~+1 > F. 1:1(0) ack 1\n"
	    "+0~+3 > F. 1:1(0) ack 1\n"
	    "+1.6gap~+3gap > F. 1:1(0) ack 1\n"
	    "set severity should\n"
	    "+1.6gap~+3gap > F. 1:1(0) ack 1\n"
	    "+0~+2gap > !F");
	static const int from[6] = { 4, 5, 6, 0, 6, 9 };
	struct check_att a = { NULL, 0 };
	struct case_result r;
	struct run_att ra;
	struct finding f;
	int i, retry;

	(void)state;
	for (i = 0; i < 6; i++) {
		if (i == 3)
			continue;
		memset(&r, 0, sizeof(r));
		check_finding(&f, FIND_TIMING, p, &p->stmts[i], "early");
		check_att_add(&a, &f);
		check_judge_attempt(&r, &a, 0, &retry, &ra);
		assert_int_equal(ra.line, 4 + i);
		assert_int_equal(ra.from, from[i]);
		free(r.reason);
		check_att_free(&a);
	}
	case_free(p);
}

/*
 * A case whose pass one lost segment fakes: one back-off step, one line
 * that forbids the segment the line before it took again at once, one
 * that forbids the RST a SYN of ours would draw, one span in which
 * nothing may come, or one data segment forbidden; two of any (or a
 * forbidden segment the line before did not take) are not.
 */
static void
fragile_cases(void **state)
{
	static const struct {
		const char	*body;
		int		 fragile;
	} t[] = {
		{ "+0 > F. 1:1(0) ack 1\n+0~+3 > F. 1:1(0) ack 1\n"
		  "+1.6gap~+3gap > F. 1:1(0) ack 1", 1 },
		{ "+0 > F. 1:1(0) ack 1\n+0~+3 > F. 1:1(0) ack 1\n"
		  "+1.6gap~+3gap > F. 1:1(0) ack 1\n"
		  "+1.6gap~+3gap > F. 1:1(0) ack 1", 0 },
		{ "+0 > F. 1:1(0) ack 1\nset severity should\n"
		  "+0~+2rtt > !F", 1 },
		{ "+0 > P. 1:11(10) ack 1\n+0~+2rtt > !P.\n"
		  "+0 < . 1:1(0) ack 11\n+0 > P. 11:21(10) ack 1\n"
		  "+0~+2rtt > !P.", 0 },
		{ "+0 > P. 1:11(10) ack 1\n+0~+2rtt > !F", 0 },
		{ "+0 < . 1:1(0) ack 1\n+0~+2rtt > !.", 0 },
		/* The RST an old SYN of ours would draw, forbidden: once. */
		{ "+0 < S 0:0(0) win 65535\nset severity should\n"
		  "+0~+0.3 > !R\n* > . ack 1 <...>", 1 },
		{ "+0 < S 0:0(0) win 65535\n+0~+0.3 > !R\n"
		  "+0 < SF 0:0(0) win 65535\n+0~+0.3 > !R", 0 },
		{ "+0 > . 1:1(0) ack 1\n+0~+0.3 > !R", 0 },
		{ "+0 < . 1:1(0) ack 1\n+0~+0.3 > !R", 0 },
		/* A span in which nothing may come: once. */
		{ "+0 < . 1:1(0) ack 1\nset severity should\n"
		  "+0~+0.75 > !*\n+0~+1.75 > . 0:0(0) ack 1", 1 },
		{ "+0 < . 1:1(0) ack 1\n+0~+0.75 > !*\n"
		  "+0 < . 1:1(0) ack 1\n+0~+0.75 > !*", 0 },
		{ "+0 > . 1:1(0) ack 1\n+0~+0.9 > !*", 1 },
		{ "+0 > . 1:1(0) ack 1\n+0~+0.9 > !*\n+0~+0.9 > !.", 1 },
		{ "+0 > . 1:1(0) ack 1\n+0~+0.9 > !R.", 0 },
		/* One data segment held back: once. */
		{ "+0 < . 1:1(0) ack 1\n+0~+0.05 > !. 101:201(100)", 1 },
		{ "+0 < . 1:1(0) ack 1\n+0~+0.05 > !. 101:*(max 100)", 1 },
		{ "+0 < . 1:1(0) ack 1\n+0~+2 > !. past 502", 1 },
		{ "+0 < . 1:1(0) ack 1\n+0~+2 > !. past 502\n"
		  "+0 < . 1:1(0) ack 501\n+0~+2 > !. past 1002", 0 },
		{ "+0 < . 1:1(0) ack 1\n+0~+0.05 > !. 101:201(100)\n"
		  "+0 < . 1:1(0) ack 101\n+0~+0.05 > !. 201:301(100)", 0 },
		{ "+0 < . 1:1(0) ack 1\n+0~+0.3 > !. 1:1(0) ack 3001", 0 },
		/* One ICMP error of ours: once. */
		{ "+0 < icmp unreachable port seq 1001\n"
		  "+0.05 < S. 0:0(0) ack 1 win 65535\n+0~+0.3 > . 1:1(0) ack 1",
		  1 },
		{ "+0 < icmp unreachable port seq 1001\n"
		  "+0.05 < icmp unreachable port seq 1\n+0~+0.3 > R 1:1(0)", 0 },
	};
	struct case_prog *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		p = prog1(t[i].body);
		assert_int_equal(check_fragile(p), t[i].fragile);
		case_free(p);
	}
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
	/* "or pass": Linux may meet the rule (a timer that follows the
	   RTT), so a pass stays a pass; its warn is still the expected one. */
	p = prog1("linux warn or pass \"RTT\"\n+0 > . 1:1(0)");
	assert_int_equal(p->linux_or_pass, 1);
	cr.verdict = VERDICT_PASS;
	cr.reason = NULL;
	check_baseline(&cr, NULL, "x/y", AF_INET, p, 1);
	assert_int_equal(cr.verdict, VERDICT_PASS);
	assert_null(cr.reason);
	cr.verdict = VERDICT_WARN;
	check_baseline(&cr, NULL, "x/y", AF_INET, p, 1);
	assert_int_equal(cr.verdict, VERDICT_XFAIL);
	assert_string_equal(cr.reason, "expected by the case's \"linux\" line "
	    "(RTT)");
	free(cr.reason);
	case_free(p);
}

/*
 * What the baseline expects is not retried: only the verdict it would turn
 * into xfail, from the case's "linux" line (with --kind linux) or --expect.
 */
static void
expected_verdicts(void **state)
{
	struct case_prog *p = prog1("linux fail \"known\"\n+0 > . 1:1(0)");
	struct run_expect *e = NULL;
	char *err = NULL;

	(void)state;
	assert_true(check_baseline_expects(NULL, "x/y", AF_INET, p, 1, VERDICT_FAIL));
	assert_false(check_baseline_expects(NULL, "x/y", AF_INET, p, 0, VERDICT_FAIL));
	assert_false(check_baseline_expects(NULL, "x/y", AF_INET, p, 1, VERDICT_WARN));
	assert_false(check_baseline_expects(NULL, "x/y", AF_INET, p, 1,
	    VERDICT_INCONCLUSIVE));
	assert_false(check_baseline_expects(NULL, "x/y", AF_INET, p, 1, VERDICT_PASS));
	assert_int_equal(run_expect_parse("b", "x/* warn why\n", 13, &e,
	    &err), 0);
	assert_true(check_baseline_expects(e, "x/y", AF_INET, p, 0, VERDICT_WARN));
	assert_false(check_baseline_expects(e, "x/y", AF_INET, p, 0, VERDICT_FAIL));
	assert_false(check_baseline_expects(e, "z/y", AF_INET, p, 0, VERDICT_WARN));
	/* The same as bits, and whether a pass would be xpass. */
	assert_int_equal(check_baseline_mask(NULL, "x/y", AF_INET, p, 1),
	    1U << VERDICT_FAIL | 1U << VERDICT_XPASS);
	assert_int_equal(check_baseline_mask(NULL, "x/y", AF_INET, p, 0), 0);
	assert_int_equal(check_baseline_mask(e, "x/y", AF_INET, p, 0),
	    1U << VERDICT_WARN | 1U << VERDICT_XPASS);
	assert_int_equal(check_baseline_mask(e, "z/y", AF_INET, p, 0), 0);
	run_expect_free(e);
	case_free(p);
	/* "or pass": a pass is no xpass. */
	p = prog1("linux fail or pass \"known\"\n+0 > . 1:1(0)");
	assert_int_equal(check_baseline_mask(NULL, "x/y", AF_INET, p, 1),
	    1U << VERDICT_FAIL);
	case_free(p);
}

/* A segment of the target: ISN 5000, the peer's ISN 1000. */
static struct seg
tseg(uint16_t flags, uint32_t seqrel, uint32_t ackrel)
{
	struct seg s;

	seg_init(&s, AF_INET);
	s.flags = flags;
	s.seq = 5000 + seqrel;
	s.ack = 1000 + ackrel;
	s.win = 65535;
	return s;
}

static const struct run_bases from_target = { 5000, 1000, 1, 0, 0, 0 };

static void
line_init(struct check_line *x, const struct case_prog *p,
    const struct run_win *w)
{
	memset(x, 0, sizeof(*x));
	x->prog = p;
	x->st = &p->stmts[0];
	x->bases = &from_target;
	x->win = w;
	x->tprev = 1000000;
	x->act_cur = 1000000;
	x->ttl = -1;
}

/* "match next": the first segment matches, or it is the finding. */
static void
line_match_next(void **state)
{
	struct case_prog *p = prog1("+0.1 > . 1:1(0) ack 1");
	struct run_win w = { 1090000, 1110000, 1400000, 1100000, 1100000, 1,
	    0 };
	struct check_best best;
	struct check_line x;
	struct finding f;
	struct seg ok = tseg(SEG_ACK, 1, 1), bad = tseg(SEG_ACK, 1, 0);

	(void)state;
	line_init(&x, p, &w);
	check_best_init(&best);
	assert_int_equal(check_line_seg(&x, &ok, 1100000, 0, 0, 3, &best, &f),
	    CHECK_OK);
	/* A repeat of an earlier segment is passed by, not a mismatch. */
	assert_int_equal(check_line_seg(&x, &bad, 1100000, 0, 1, 4, &best, &f),
	    CHECK_PASSBY);
	assert_int_equal(check_line_seg(&x, &bad, 1100000, 0, 0, 4, &best, &f),
	    CHECK_FOUND);
	assert_int_equal(f.kind, FIND_MISMATCH);
	assert_int_equal(f.seg, 4);
	assert_int_equal(f.ndiffs, 1);
	assert_string_equal(f.diffs[0].field, "ack");
	assert_string_equal(f.diffs[0].exp, "1");
	assert_string_equal(f.diffs[0].obs, "0");
	assert_non_null(strstr(f.text, "ack: expected 1, observed 0"));
	check_finding_free(&f);

	/* Another TTL than the target's: a middlebox may have sent it. */
	x.ttl = bad.ttl + 1;
	x.routed = 1;
	assert_int_equal(check_line_seg(&x, &bad, 1100000, 0, 0, 4, &best, &f),
	    CHECK_FOUND);
	assert_int_equal(f.trouble, RUN_TR_MIDDLEBOX);
	assert_non_null(strstr(f.text, "a middlebox on the path"));
	check_finding_free(&f);
	x.ttl = -1;

	/* The right segment, late: a timing finding with the window. */
	assert_int_equal(check_line_seg(&x, &ok, 1200000, 0, 0, 5, &best, &f),
	    CHECK_FOUND);
	assert_int_equal(f.kind, FIND_TIMING);
	assert_false(f.early);
	assert_string_equal(f.diffs[0].field, "time");
	assert_string_equal(f.diffs[0].obs, "200.0 ms");
	check_finding_free(&f);
	/* ... and early: another way to fail (same_way()). */
	assert_int_equal(check_line_seg(&x, &ok, 1050000, 0, 0, 6, &best, &f),
	    CHECK_FOUND);
	assert_int_equal(f.kind, FIND_TIMING);
	assert_true(f.early);
	assert_false(f.flat);
	assert_string_equal(f.diffs[0].obs, "50.0 ms");
	check_finding_free(&f);
	/*
	 * At a back-off step whose gap was 60 ms, 50 ms is within 1/8 of it:
	 * flat, no loss's doing; after a gap of 40 ms it is 5/4, which one
	 * lost resend of a timer that doubles nearly makes: not flat.
	 */
	w.gap_us = 60000;
	assert_int_equal(check_line_seg(&x, &ok, 1050000, 0, 0, 6, &best, &f),
	    CHECK_FOUND);
	assert_true(f.flat);
	check_finding_free(&f);
	w.gap_us = 40000;
	assert_int_equal(check_line_seg(&x, &ok, 1050000, 0, 0, 6, &best, &f),
	    CHECK_FOUND);
	assert_false(f.flat);
	check_finding_free(&f);
	/* A path copy of the segment before, at once: not flat either. */
	w.gap_us = 60000;
	assert_int_equal(check_line_seg(&x, &ok, 1000009, 0, 0, 6, &best, &f),
	    CHECK_FOUND);
	assert_false(f.flat);
	check_finding_free(&f);
	case_free(p);
}

/* "match any": misses are skipped, the closest is kept; then missing. */
static void
line_match_any_then_missing(void **state)
{
	struct case_prog *p = prog1("+0.1 > . 1:1(0) ack 1 win 100");
	struct run_win w = { 1090000, 1110000, 1400000, 1100000, 1100000, 1,
	    0 };
	struct check_best best;
	struct check_line x;
	struct finding f;
	struct seg two = tseg(SEG_ACK, 1, 0), one = tseg(SEG_ACK, 1, 1);

	(void)state;
	line_init(&x, p, &w);
	x.match_any = 1;
	check_best_init(&best);
	assert_int_equal(check_line_seg(&x, &two, 1100000, 0, 0, 7, &best, &f),
	    CHECK_WAIT);
	assert_int_equal(best.rec, 7);
	assert_int_equal(best.n, 2);
	assert_int_equal(check_line_seg(&x, &one, 1100000, 0, 0, 8, &best, &f),
	    CHECK_WAIT);
	assert_int_equal(best.rec, 8);
	assert_int_equal(best.n, 1);
	assert_int_equal(check_line_end(&x, 1399999, 0, &best, &f), CHECK_WAIT);
	assert_int_equal(check_line_end(&x, 1400000, 0, &best, &f), CHECK_FOUND);
	assert_int_equal(f.kind, FIND_MISSING);
	assert_int_equal(f.seg, 8);
	assert_ptr_equal(f.expect, &p->stmts[0].u.pkt.alt[0]);
	assert_int_equal(f.due, 1100000);
	assert_string_equal(f.diffs[0].field, "win");
	check_finding_free(&f);

	/* Nothing at all: the missing segment is the difference. */
	check_best_init(&best);
	assert_int_equal(check_line_end(&x, 1400000, 0, &best, &f), CHECK_FOUND);
	assert_int_equal(f.seg, -1);
	assert_string_equal(f.diffs[0].field, "segment");
	assert_string_equal(f.diffs[0].obs, "none");
	assert_non_null(strstr(f.text, "observed none within 400.0 ms"));
	check_finding_free(&f);
	case_free(p);
}

/* "> !R": an RST within the span is forbidden, outside it is not. */
static void
line_negated(void **state)
{
	struct case_prog *p = prog1("+0~+0.2 > !R");
	struct run_win w = { 0, 0, 0, 1000000, 1200000, 1, 0 };
	struct check_line x;
	struct finding f;
	struct seg rst = tseg(SEG_RST | SEG_ACK, 1, 1), ack = tseg(SEG_ACK, 1,
	    1);
	uint64_t lo, hi;

	(void)state;
	line_init(&x, p, &w);
	check_negated_span(&x, &lo, &hi);
	assert_int_equal(lo, 1000000);
	assert_int_equal(hi, 1200000);
	assert_int_equal(check_negated_seg(&x, &ack, 1100000, 0, 1, &f),
	    CHECK_OK);
	assert_int_equal(check_negated_seg(&x, &rst, 1300000, 0, 2, &f),
	    CHECK_OK);
	assert_int_equal(check_negated_seg(&x, &rst, 1100000, 0, 3, &f),
	    CHECK_FOUND);
	assert_int_equal(f.kind, FIND_FORBIDDEN);
	assert_int_equal(f.seg, 3);
	assert_string_equal(f.diffs[0].exp, "none like this line");
	assert_non_null(strstr(f.diffs[0].obs, "R. 1:1(0) ack 1 at"));
	check_finding_free(&f);
	case_free(p);
}

/* "send": never opened is our error; closed or a shut window the target's. */
static void
stmt_send(void **state)
{
	struct case_prog *p = prog1("send 100");
	const struct case_stmt *st = &p->stmts[0];
	struct check_send o = { 0, 0, 0, NULL, NULL, 0, 100, 0 };
	struct finding f;

	(void)state;
	assert_int_equal(check_send(p, st, &o, &f), CHECK_FOUND);
	assert_int_equal(f.kind, FIND_ERROR);
	check_finding_free(&f);
	o.closed = 1;
	assert_int_equal(check_send(p, st, &o, &f), CHECK_FOUND);
	assert_int_equal(f.kind, FIND_STATE);
	assert_non_null(strstr(f.text, "send: the connection is closed"));
	check_finding_free(&f);
	o.begun = o.open = 1;
	o.done = 40;
	assert_int_equal(check_send(p, st, &o, &f), CHECK_WAIT);
	o.expired = 1;
	assert_int_equal(check_send(p, st, &o, &f), CHECK_FOUND);
	assert_non_null(strstr(f.text, "took only 40 of 100 bytes"));
	check_finding_free(&f);
	o.done = 100;
	assert_int_equal(check_send(p, st, &o, &f), CHECK_OK);
	o.done = 60;
	o.open = 0;
	o.why_closed = "reset";
	assert_int_equal(check_send(p, st, &o, &f), CHECK_FOUND);
	assert_non_null(strstr(f.text, "closed (reset) after 60 of 100"));
	check_finding_free(&f);
	case_free(p);
}

/* "read", "wait STATE", "connect". */
static void
stmt_recv_and_state(void **state)
{
	struct case_prog *p = prog1("wait close-wait");
	const struct case_stmt *st = &p->stmts[0];
	struct check_recv r = { 10, 4, 0, 0, 0, 2000000 };
	struct check_state s;
	struct finding f;

	(void)state;
	assert_int_equal(check_recv(p, st, &r, &f), CHECK_WAIT);
	r.expired = 1;
	assert_int_equal(check_recv(p, st, &r, &f), CHECK_FOUND);
	assert_non_null(strstr(f.text, "not enough data arrived within 2.000 s"));
	check_finding_free(&f);
	r.want_eof = 1;
	assert_int_equal(check_recv(p, st, &r, &f), CHECK_FOUND);
	assert_non_null(strstr(f.text, "the target's FIN did not arrive"));
	check_finding_free(&f);
	r.eof = 1;
	assert_int_equal(check_recv(p, st, &r, &f), CHECK_OK);

	memset(&s, 0, sizeof(s));
	s.want = CASE_ST_CLOSE_WAIT;
	s.cur = CASE_ST_ESTABLISHED;
	s.since = 500;
	assert_int_equal(check_state(p, st, &s, &f), CHECK_WAIT);
	s.entered = 400;		/* before the scope: does not count */
	s.expired = 1;
	s.waited_us = 5000000;
	assert_int_equal(check_state(p, st, &s, &f), CHECK_FOUND);
	assert_non_null(strstr(f.text, "CLOSE-WAIT not reached within 5.000 s "
	    "(the peer's side is in ESTABLISHED)"));
	check_finding_free(&f);
	s.entered = 600;
	assert_int_equal(check_state(p, st, &s, &f), CHECK_OK);
	memset(&s, 0, sizeof(s));
	s.connect = 1;
	s.want = CASE_ST_ESTABLISHED;
	s.cur = CASE_ST_FIN_WAIT_1;
	assert_int_equal(check_state(p, st, &s, &f), CHECK_OK);
	s.cur = CASE_ST_CLOSED;
	s.gone = 1;
	s.why_gone = "refused";
	assert_int_equal(check_state(p, st, &s, &f), CHECK_FOUND);
	assert_non_null(strstr(f.text, "the connection failed: refused"));
	check_finding_free(&f);
	case_free(p);
}

/* An agent reply against "= RESULT". */
static void
stmt_agent(void **state)
{
	struct case_prog *p = prog1("needs agent\nagent read 5 = ECONNRESET");
	struct case_prog *q = prog1("needs agent\nagent close");
	struct case_prog *r = prog1("needs agent\nagent write 5 = EPIPE | "
	    "ENOTCONN");
	struct check_agent o;
	struct finding f;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.ok = 1;
	o.rw = 1;
	o.n = 0;
	o.end_name = "error";
	o.end_error = 1;
	o.end_errname = "ECONNRESET";
	assert_int_equal(check_agent_reply(p, &p->stmts[0], &o, &f), CHECK_OK);
	o.end_errname = "EPIPE";
	assert_int_equal(check_agent_reply(p, &p->stmts[0], &o, &f), CHECK_FOUND);
	assert_non_null(strstr(f.text, "agent read: expected ECONNRESET, "
	    "observed 0 bytes, end=error EPIPE"));
	check_finding_free(&f);
	memset(&o, 0, sizeof(o));
	o.errname = "EINVAL";
	o.text = "bad handle";
	assert_int_equal(check_agent_reply(q, &q->stmts[0], &o, &f), CHECK_FOUND);
	assert_int_equal(f.kind, FIND_ERROR);
	check_finding_free(&f);
	o.errname = "ENOTCONN";
	assert_int_equal(check_agent_reply(q, &q->stmts[0], &o, &f), CHECK_FOUND);
	assert_int_equal(f.kind, FIND_STATE);
	assert_non_null(strstr(f.text, "agent close failed: ENOTCONN"));
	check_finding_free(&f);
	/* Either of two names; a prefix of one is neither. */
	memset(&o, 0, sizeof(o));
	o.ok = 1;
	o.rw = 1;
	o.end_name = "error";
	o.end_error = 1;
	o.end_errname = "ENOTCONN";
	assert_int_equal(check_agent_reply(r, &r->stmts[0], &o, &f), CHECK_OK);
	o.end_errname = "EPIPE";
	assert_int_equal(check_agent_reply(r, &r->stmts[0], &o, &f), CHECK_OK);
	o.end_errname = "ENOTCON";
	assert_int_equal(check_agent_reply(r, &r->stmts[0], &o, &f),
	    CHECK_FOUND);
	check_finding_free(&f);
	o.end_errname = "ECONNRESET";
	assert_int_equal(check_agent_reply(r, &r->stmts[0], &o, &f),
	    CHECK_FOUND);
	assert_non_null(strstr(f.text, "expected EPIPE|ENOTCONN"));
	check_finding_free(&f);
	case_free(p);
	case_free(q);
	case_free(r);
}

/* Measurements: ISN spacing, TIME-WAIT, the initial window. */
static void
isn_probes(struct check_isn_probe *pr, const uint32_t *isn, uint32_t n)
{
	uint32_t i;

	/* Three ports, each twice; 10 ms apart. */
	for (i = 0; i < n; i++) {
		pr[i].port = (uint16_t)(18000 + i % 3);
		pr[i].t = 1000000 + (uint64_t)i * 10000;
		pr[i].answered = 1;
		pr[i].isn = isn[i];
	}
}

static void
stmt_measurements(void **state)
{
	struct case_prog *p = prog1("measure isn-spacing count 3 interval 10ms");
	const struct case_stmt *st = &p->stmts[0];
	/* RFC 6528: M (4 us) + F per four-tuple. */
	static const uint32_t good[6] = { 0x10000000, 0xa0000000, 5,
	    0x10000000 + 7500, 0xa0000000 + 7500, 5 + 7500 };
	static const uint32_t fixed[6] = { 7, 7, 7, 7, 7, 7 };
	/* A global counter: one line in time. */
	static const uint32_t line[6] = { 1000, 3500, 6000, 8500, 11000,
	    13500 };
	/* Random: the second ISN of port 18001 is below its first. */
	static const uint32_t rnd[6] = { 0x10000000, 0xa0000000, 5,
	    0x90000000, 0x20000000, 0x70000000 };
	struct check_isn_probe pr[6];
	struct check_isn out;
	struct finding f;

	(void)state;
	isn_probes(pr, fixed, 6);
	pr[1].answered = pr[2].answered = pr[3].answered = 0;
	pr[4].answered = pr[5].answered = 0;
	assert_int_equal(check_isn_spacing(p, st, pr, 6, &out, &f),
	    CHECK_FOUND);
	assert_false(out.measured);
	assert_non_null(strstr(f.text, "only 1 of 6 connections"));
	check_finding_free(&f);
	isn_probes(pr, fixed, 6);
	assert_int_equal(check_isn_spacing(p, st, pr, 6, &out, &f),
	    CHECK_FOUND);
	assert_true(out.measured);
	assert_int_equal(f.sev, CASE_SEV_MUST);
	assert_non_null(strstr(f.text, "is the same for 6 connections"));
	check_finding_free(&f);
	isn_probes(pr, rnd, 6);
	assert_int_equal(check_isn_spacing(p, st, pr, 6, &out, &f),
	    CHECK_FOUND);
	assert_int_equal(out.tuples, 3);
	assert_int_equal(out.back, 2);
	assert_int_equal(f.sev, CASE_SEV_MUST);
	assert_non_null(strstr(f.text, "went back"));
	check_finding_free(&f);
	isn_probes(pr, line, 6);
	assert_int_equal(check_isn_spacing(p, st, pr, 6, &out, &f),
	    CHECK_FOUND);
	assert_int_equal(out.back, 0);
	assert_int_equal(f.sev, CASE_SEV_SHOULD);
	assert_true(out.rate > 249999 && out.rate < 250001);
	assert_non_null(strstr(f.text, "one line in time"));
	check_finding_free(&f);
	isn_probes(pr, good, 6);
	assert_int_equal(check_isn_spacing(p, st, pr, 6, &out, &f),
	    CHECK_OK);
	assert_int_equal(out.tuples, 3);
	assert_int_equal(out.back + out.still, 0);
	assert_true(out.tuple_rate > 249999 && out.tuple_rate < 250001);
	assert_true(out.dev > CHECK_ISN_PREDICT);
	assert_int_equal(check_time_wait(p, st, 1, 1, &f), CHECK_FOUND);
	check_finding_free(&f);
	assert_int_equal(check_time_wait(p, st, 1, 5, &f), CHECK_OK);
	assert_int_equal(check_initial_window(p, st, 0, 1448, &f), CHECK_FOUND);
	check_finding_free(&f);
	assert_int_equal(check_initial_window(p, st, 2920, 1448, &f), CHECK_OK);
	/* RFC 5681 3.1: three segments of 1448; RFC 6928: ten. */
	assert_int_equal(check_iw_rfc5681(1448), 4344);
	assert_int_equal(check_iw_rfc5681(536), 2144);
	assert_int_equal(check_iw_rfc5681(8960), 17920);
	assert_int_equal(check_iw_rfc6928(1448), 14480);
	assert_int_equal(check_iw_rfc6928(1460), 14600);
	assert_int_equal(check_iw_rfc6928(8960), 17920);
	/* Linux's IW10 is info; twenty segments break RFC 5681's MUST. */
	assert_int_equal(check_initial_window(p, st, 14480, 1448, &f),
	    CHECK_OK);
	assert_int_equal(check_initial_window(p, st, 28960, 1448, &f),
	    CHECK_FOUND);
	assert_non_null(strstr(f.text, "RFC 6928"));
	check_finding_free(&f);
	case_free(p);
}

/* The connection record: ISNs, sequence space, windows, SYN offers. */
static void
conn_record(void **state)
{
	struct check_conn cc;
	struct run_bases b;
	struct seg syn, synack, data;

	(void)state;
	check_conn_init(&cc);
	seg_init(&syn, AF_INET);
	syn.flags = SEG_SYN;
	syn.seq = 1000;
	syn.win = 65535;
	seg_add_mss(&syn, 1460);
	seg_add_wscale(&syn, 7);
	check_conn_isn(&cc, SEGDIR_TO_TARGET, 1000);
	check_conn_seg(&cc, SEGDIR_TO_TARGET, &syn, 10);
	synack = tseg(SEG_SYN | SEG_ACK, 0, 1);
	synack.win = 29200;
	seg_add_sackok(&synack);
	check_conn_isn(&cc, SEGDIR_FROM_TARGET, 5000);
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &synack, 20);
	check_conn_bases(&cc, SEGDIR_FROM_TARGET, &b);
	assert_int_equal(b.seq, 5000);
	assert_int_equal(b.ack, 1000);
	assert_int_equal(cc.side[SEGDIR_TO_TARGET].mss, 1460);
	assert_int_equal(cc.side[SEGDIR_TO_TARGET].wscale, 7);
	assert_int_equal(cc.side[SEGDIR_TO_TARGET].snd_max, 1001);
	assert_int_equal(cc.side[SEGDIR_FROM_TARGET].wscale, -1);
	assert_true(cc.side[SEGDIR_FROM_TARGET].sack_ok);
	assert_int_equal(cc.side[SEGDIR_FROM_TARGET].ack_max, 1001);
	assert_true(cc.side[SEGDIR_FROM_TARGET].opts_seen & (1U << 4));

	/* Data, then an older retransmission: the maximum stays. */
	data = tseg(SEG_ACK | SEG_PSH, 1, 1);
	data.len = 100;
	data.win = 1000;
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &data, 30);
	data.len = 50;
	check_conn_seg(&cc, SEGDIR_FROM_TARGET, &data, 40);
	assert_int_equal(cc.side[SEGDIR_FROM_TARGET].snd_max, 5101);
	assert_int_equal(cc.side[SEGDIR_FROM_TARGET].win, 1000);
	assert_int_equal(cc.side[SEGDIR_FROM_TARGET].bytes, 150);
	assert_int_equal(cc.side[SEGDIR_FROM_TARGET].nsegs, 3);

	/* A new incarnation: the target's side starts over. */
	check_conn_forget(&cc, SEGDIR_FROM_TARGET);
	assert_false(cc.side[SEGDIR_FROM_TARGET].isn_known);
	assert_int_equal(cc.side[SEGDIR_FROM_TARGET].nsegs, 0);
	check_conn_bases(&cc, SEGDIR_FROM_TARGET, &b);
	assert_int_equal(b.seq, 0);
	assert_int_equal(b.ack, 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verdict_pass_and_info),
		cmocka_unit_test(verdict_first_decisive_finding),
		cmocka_unit_test(verdict_doubtful_evidence),
		cmocka_unit_test(verdict_passive_and_path),
		cmocka_unit_test(verdict_host_rst),
		cmocka_unit_test(verdict_path_trouble),
		cmocka_unit_test(finding_names_its_line),
		cmocka_unit_test(attempt_from_first_backoff_step),
		cmocka_unit_test(fragile_cases),
		cmocka_unit_test(judge_attempt_and_case),
		cmocka_unit_test(baseline_expect_and_linux_line),
		cmocka_unit_test(expected_verdicts),
		cmocka_unit_test(line_match_next),
		cmocka_unit_test(line_match_any_then_missing),
		cmocka_unit_test(line_negated),
		cmocka_unit_test(stmt_send),
		cmocka_unit_test(stmt_recv_and_state),
		cmocka_unit_test(stmt_agent),
		cmocka_unit_test(stmt_measurements),
		cmocka_unit_test(conn_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
