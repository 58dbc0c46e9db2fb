/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_report_junit.c: JUnit XML counts and attributes as CI systems read
 * them, and TAP 13 test points, directives and YAML, also for hostile text.
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

#include "report.h"
#include "result.h"
#include "test_report_fixture.h"

static void	 assert_balanced(const char *, const char *);

/* Every <tag ...> of this name is closed (or self-closing). */
static void
assert_balanced(const char *xml, const char *tag)
{
	char open[64], selfclose[64], close[64];
	size_t n, s;

	snprintf(open, sizeof(open), "<%s ", tag);
	snprintf(selfclose, sizeof(selfclose), "<%s/>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	n = fixture_count(xml, open) + fixture_count(xml, selfclose);
	s = fixture_count(xml, close);
	/* self-closing elements with attributes end in "/>" */
	if (n != s && strcmp(tag, "testcase") == 0)
		fail_msg("%s: %zu opened, %zu closed", tag, n, s);
}

static void
test_report_junit_counts_per_verdict_class(void **state)
{
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "\n<testsuites name=\"tcpconform\" tests=\"12\" failures=\"3\" "
	    "errors=\"1\" skipped=\"4\" time=\"0.148140\">\n";
	struct run *r;
	char *xml;

	(void)state;
	r = fixture_run(0);
	xml = fixture_render(report_junit_write, r, NULL);
	assert_true(strncmp(xml, head, sizeof(head) - 1) == 0);
	assert_non_null(strstr(xml, "<testsuite name=\"tcpconform.linux\" "
	    "tests=\"12\" failures=\"3\" errors=\"1\" skipped=\"4\" "
	    "time=\"0.148140\" timestamp=\"2026-05-14T09:30:12\" "
	    "hostname=\"127.0.0.1\" id=\"0\" package=\"tcpconform\">"));
	assert_int_equal(fixture_count(xml, "<testcase name=\""), 12);
	assert_int_equal(fixture_count(xml, "<failure "), 3);
	assert_int_equal(fixture_count(xml, "<error "), 1);
	assert_int_equal(fixture_count(xml, "<skipped "), 4);
	assert_non_null(strstr(xml, "<testcase name=\"close/fin-consumes-"
	    "sequence\" classname=\"tcpconform.linux.close\" time=\"0.012345\">"
	    "\n      <failure type=\"fail\" message=\"ack: expected 1002, "
	    "observed 1000\">"));
	assert_non_null(strstr(xml, "<failure type=\"xpass\" message=\"passed,"
	    " but the baseline expects a failure\">"));
	assert_non_null(strstr(xml, "<skipped type=\"xfail\" message=\"xfail: "
	    "known Linux behaviour\"/>"));
	assert_non_null(strstr(xml, "requirement: MUST-12 MUST "
	    "(RFC 9293 3.6)"));
	assert_non_null(strstr(xml, "<property name=\"path.rtt_us\" "
	    "value=\"48\"/>"));
	assert_balanced(xml, "testcase");
	assert_int_equal(fixture_count(xml, "</testsuite>"), 1);
	free(xml);
	result_run_free(r);
}

static void
test_report_junit_one_suite_per_target(void **state)
{
	struct run *r;
	char *xml;

	(void)state;
	r = fixture_run(0);
	fixture_add_target(r, "fault-fin");
	xml = fixture_render(report_junit_write, r, NULL);
	assert_non_null(strstr(xml, "<testsuites name=\"tcpconform\" "
	    "tests=\"24\" failures=\"7\" errors=\"1\" skipped=\"4\""));
	assert_non_null(strstr(xml, "<testsuite name=\"tcpconform.fault-fin\" "
	    "tests=\"12\" failures=\"4\" errors=\"0\" skipped=\"0\""));
	assert_int_equal(fixture_count(xml, "<testsuite "), 2);
	free(xml);
	result_run_free(r);
}

static void
test_report_junit_hostile_text_is_escaped(void **state)
{
	struct run *r;
	char *xml;

	(void)state;
	r = fixture_run(1);
	xml = fixture_render(report_junit_write, r, NULL);
	assert_null(strcasestr(xml, "<script"));
	assert_null(strstr(xml, "onerror="));
	assert_null(strstr(xml, "]]>"));
	assert_null(strstr(xml, "\x01"));
	assert_null(strstr(xml, "\xff"));
	assert_non_null(strstr(xml, "<testcase name=\"evil/&quot;&gt;&lt;"
	    "script&gt;alert(3)&lt;/script&gt;\" classname=\"tcpconform.linux."
	    "&lt;i&gt;topic&lt;/i&gt;\""));
	assert_non_null(strstr(xml, "reason: &lt;b&gt;reason&lt;/b&gt; with "
	    "\\x01 control"));
	assert_balanced(xml, "testcase");
	free(xml);
	result_run_free(r);
}

static void
test_report_tap_points_and_directives(void **state)
{
	static const char head[] = "TAP version 13\n1..12\n"
	    "ok 1 - handshake/passive-open-numbering\n"
	    "not ok 2 - close/fin-consumes-sequence\n"
	    "  ---\n  verdict: fail\n"
	    "  message: \"the target acknowledged the FIN without counting "
	    "it\"\n  mismatch:\n    - field: \"ack\"\n      expected: \"1002\"\n"
	    "      observed: \"1000\"\n";
	struct run *r;
	char *tap;

	(void)state;
	r = fixture_run(0);
	tap = fixture_render(report_tap_write, r, NULL);
	assert_true(strncmp(tap, head, sizeof(head) - 1) == 0);
	assert_non_null(strstr(tap, "not ok 5 - options/mss-clamp # TODO "
	    "xfail: known Linux behaviour\n"));
	assert_non_null(strstr(tap, "not ok 6 - urgent/pointer\n"));
	assert_non_null(strstr(tap, "not ok 7 - keepalive/probe\n"));
	assert_non_null(strstr(tap, "ok 8 - handshake/syn-retransmit\n  ---\n"
	    "  verdict: flaky\n"));
	assert_non_null(strstr(tap, "  attempts: 3\n  flake_rate: 0.333\n"));
	assert_non_null(strstr(tap, "ok 9 - options/ipv6-flow # SKIP "
	    "not-applicable: needs IPv6\n"));
	assert_non_null(strstr(tap, "ok 11 - rto/initial # SKIP inconclusive: "
	    "jitter too high\n"));
	assert_non_null(strstr(tap, "  measurements:\n    - name: "
	    "\"TIME-WAIT\"\n      value: 60.25\n      unit: \"s\"\n"));
	free(tap);
	result_run_free(r);
}

static void
test_report_tap_escapes_hash_and_newlines(void **state)
{
	struct run *r;
	struct case_result *c;
	char *tap;

	(void)state;
	r = result_run_new();
	c = result_case_add(result_target_add(r));
	result_set(&c->id, "a # SKIP fake\nok 99 - forged");
	c->verdict = VERDICT_FAIL;
	result_set(&c->reason, "\"quoted\"\n\xff");
	tap = fixture_render(report_tap_write, r, NULL);
	assert_string_equal(tap, "TAP version 13\n1..1\n"
	    "not ok 1 - a \\# SKIP fake\\x0aok 99 - forged\n"
	    "  ---\n  verdict: fail\n  message: \"\\\"quoted\\\"\\x0a\\xff\"\n"
	    "  ...\n");
	free(tap);
	result_run_free(r);
}

/*
 * Every verdict, with and without --strict: the JUnit element, the TAP
 * test line and the exit status agree (the table of tcpconform(1), EXIT
 * STATUS, and of the report's legend).  Written out by hand, not derived
 * from verdict_ci(), so that a change to either side shows here.
 */
static void
test_report_ci_each_verdict(void **state)
{
	static const struct {
		enum verdict	 v;
		int		 strict;
		int		 status;
		const char	*junit;		/* NULL: passed */
		const char	*tap;
	} rows[] = {
		{ VERDICT_PASS, 0, 0, NULL, "ok 1 - t/c\n" },
		{ VERDICT_PASS, 1, 0, NULL, "ok 1 - t/c\n" },
		{ VERDICT_FAIL, 0, 1, "<failure type=\"fail\"", "not ok 1 - t/c\n" },
		{ VERDICT_FAIL, 1, 1, "<failure type=\"fail\"", "not ok 1 - t/c\n" },
		{ VERDICT_WARN, 0, 0, NULL, "ok 1 - t/c\n" },
		{ VERDICT_WARN, 1, 3, "<failure type=\"warn\" message=\"warn "
		    "(--strict): why\"", "not ok 1 - t/c\n" },
		{ VERDICT_INFO, 0, 0, NULL, "ok 1 - t/c\n" },
		{ VERDICT_INFO, 1, 0, NULL, "ok 1 - t/c\n" },
		{ VERDICT_INCONCLUSIVE, 0, 0, "<skipped type=\"inconclusive\"",
		    "ok 1 - t/c # SKIP inconclusive: why\n" },
		{ VERDICT_INCONCLUSIVE, 1, 3, "<failure type=\"inconclusive\"",
		    "not ok 1 - t/c\n" },
		{ VERDICT_FLAKY, 0, 0, NULL, "ok 1 - t/c\n  ---\n  verdict: "
		    "flaky\n" },
		{ VERDICT_FLAKY, 1, 3, "<failure type=\"flaky\"",
		    "not ok 1 - t/c\n" },
		{ VERDICT_NA, 0, 0, "<skipped type=\"not-applicable\"",
		    "ok 1 - t/c # SKIP not-applicable: why\n" },
		{ VERDICT_NA, 1, 0, "<skipped type=\"not-applicable\"",
		    "ok 1 - t/c # SKIP not-applicable: why\n" },
		{ VERDICT_XFAIL, 0, 0, "<skipped type=\"xfail\"",
		    "not ok 1 - t/c # TODO xfail: why\n" },
		{ VERDICT_XFAIL, 1, 0, "<skipped type=\"xfail\"",
		    "not ok 1 - t/c # TODO xfail: why\n" },
		{ VERDICT_XPASS, 0, 1, "<failure type=\"xpass\"",
		    "not ok 1 - t/c\n" },
		{ VERDICT_XPASS, 1, 1, "<failure type=\"xpass\"",
		    "not ok 1 - t/c\n" },
		{ VERDICT_ERROR, 0, 2, "<error type=\"error\"", "not ok 1 - t/c\n" },
		{ VERDICT_ERROR, 1, 2, "<error type=\"error\"", "not ok 1 - t/c\n" },
		{ VERDICT_SKIP, 0, 0, "<skipped type=\"skipped\"",
		    "ok 1 - t/c # SKIP skipped: why\n" },
		{ VERDICT_SKIP, 1, 0, "<skipped type=\"skipped\"",
		    "ok 1 - t/c # SKIP skipped: why\n" },
	};
	struct run *r;
	struct case_result *c;
	char *xml, *tap, head[64];
	size_t i, seen[VERDICT_N] = { 0 };

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = result_run_new();
		r->strict = rows[i].strict;
		c = result_case_add(result_target_add(r));
		result_set(&c->id, "t/c");
		result_set(&c->reason, "why");
		c->verdict = rows[i].v;
		seen[rows[i].v]++;
		if (result_exit_status(r, r->strict) != rows[i].status)
			fail_msg("%s strict %d: exit status %d, expected %d",
			    verdict_name(rows[i].v), rows[i].strict,
			    result_exit_status(r, r->strict), rows[i].status);
		xml = fixture_render(report_junit_write, r, NULL);
		tap = fixture_render(report_tap_write, r, NULL);
		if (rows[i].junit == NULL ? strstr(xml, "<failure") != NULL ||
		    strstr(xml, "<error") != NULL ||
		    strstr(xml, "<skipped") != NULL :
		    strstr(xml, rows[i].junit) == NULL)
			fail_msg("%s strict %d: JUnit is not %s:\n%s",
			    verdict_name(rows[i].v), rows[i].strict,
			    rows[i].junit ? rows[i].junit : "passed", xml);
		/* The suite's counts say the same as the element. */
		snprintf(head, sizeof(head), "failures=\"%d\" errors=\"%d\"",
		    rows[i].status == 1 || rows[i].status == 3,
		    rows[i].status == 2);
		if (strstr(xml, head) == NULL)
			fail_msg("%s strict %d: counts are not %s",
			    verdict_name(rows[i].v), rows[i].strict, head);
		if (strncmp(tap, "TAP version 13\n1..1\n", 20) != 0 ||
		    strncmp(tap + 20, rows[i].tap, strlen(rows[i].tap)) != 0)
			fail_msg("%s strict %d: TAP is not %s:\n%s",
			    verdict_name(rows[i].v), rows[i].strict,
			    rows[i].tap, tap);
		free(xml);
		free(tap);
		result_run_free(r);
	}
	for (i = 0; i < VERDICT_N; i++)
		if (seen[i] != 2)
			fail_msg("verdict %s not in the table",
			    verdict_name((enum verdict)i));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_junit_counts_per_verdict_class),
		cmocka_unit_test(test_report_junit_one_suite_per_target),
		cmocka_unit_test(test_report_junit_hostile_text_is_escaped),
		cmocka_unit_test(test_report_tap_points_and_directives),
		cmocka_unit_test(test_report_tap_escapes_hash_and_newlines),
		cmocka_unit_test(test_report_ci_each_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
