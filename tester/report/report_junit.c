/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_junit.c: JUnit XML for CI systems, in the shape the surefire and
 * Jenkins schemas share: <testsuites> with one <testsuite> per target, each
 * with <properties>, one <testcase name classname time> per case, then
 * <system-out> and <system-err>.  h2spec's report broke Jenkins for want of
 * a name attribute (h2spec #123), so every required attribute is always
 * written, and tests/report/junit.xsd checks the output.
 *
 * Verdicts map to JUnit by verdict_ci() (result.h), the same rule as the
 * exit status, so that the CI page never says "passed" where the run
 * exits non-zero:
 *	fail, xpass; with --strict also warn, flaky, inconclusive  <failure>
 *	error							   <error>
 *	not-applicable, skipped, xfail; without --strict
 *	inconclusive						   <skipped>
 *	pass, info; without --strict warn and flaky		   passed
 * The verdict's own name is the element's type and the first line of
 * <system-out>, so nothing is lost by the mapping.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "report.h"
#include "report_util.h"

static void	 counts(const struct target *, int, size_t *, size_t *,
		    size_t *, double *);
static void	 property(FILE *, const char *, const char *);
static void	 properties(FILE *, const struct run *, const struct target *);
static void	 outcome(FILE *, const struct case_result *, int);
static void	 system_out(FILE *, const struct case_result *);
static void	 testcase(FILE *, const struct target *, size_t,
		    const struct case_result *, int);
static void	 classname(FILE *, const struct target *, size_t,
		    const struct case_result *);
static void	 suite_name(FILE *, const struct target *, size_t);

static void
counts(const struct target *t, int flags, size_t *fail, size_t *err,
    size_t *skip, double *secs)
{
	size_t i;

	for (i = 0; i < t->ncases; i++) {
		switch (verdict_ci(t->cases[i]->verdict, flags)) {
		case CI_FAIL:
			(*fail)++;
			break;
		case CI_ERROR:
			(*err)++;
			break;
		case CI_SKIP:
			(*skip)++;
			break;
		case CI_PASS:
			break;
		}
		if (t->cases[i]->duration_us > 0)
			*secs += (double)t->cases[i]->duration_us / 1e6;
	}
}

static void
property(FILE *f, const char *name, const char *value)
{
	fprintf(f, "      <property name=\"%s\" value=\"", name);
	report_esc_max(f, value != NULL ? value : "", 400);
	fputs("\"/>\n", f);
}

static void
properties(FILE *f, const struct run *r, const struct target *t)
{
	char buf[64];

	fputs("    <properties>\n", f);
	property(f, "tcpconform.version", r->tester_version);
	property(f, "tcpconform.command_line", r->command_line);
	property(f, "target.name", t->name);
	property(f, "target.address", t->address);
	property(f, "target.kind", t->kind);
	property(f, "target.mode", target_mode_name(t->mode));
	snprintf(buf, sizeof(buf), "%lld", (long long)t->rtt_us);
	property(f, "path.rtt_us", buf);
	snprintf(buf, sizeof(buf), "%lld", (long long)t->jitter_us);
	property(f, "path.jitter_us", buf);
	fputs("    </properties>\n", f);
}

static void
outcome(FILE *f, const struct case_result *c, int flags)
{
	char msg[512];
	const char *m = c->reason != NULL ? c->reason : "";

	if (c->ndiffs > 0)
		m = result_diff_str(&c->diffs[0], msg, sizeof(msg));
	if (c->verdict == VERDICT_XPASS && *m == '\0')
		m = "passed, but the baseline expected a failure";
	switch (verdict_ci(c->verdict, flags)) {
	case CI_FAIL:
		fprintf(f, "      <failure type=\"%s\" message=\"",
		    verdict_name(c->verdict));
		if (c->verdict != VERDICT_FAIL && c->verdict != VERDICT_XPASS)
			fprintf(f, "%s (--strict): ", verdict_name(c->verdict));
		report_esc_max(f, m, 400);
		fputs("\">", f);
		report_esc_max(f, c->reason, 2000);
		fputs("</failure>\n", f);
		break;
	case CI_ERROR:
		fprintf(f, "      <error type=\"%s\" message=\"",
		    verdict_name(c->verdict));
		report_esc_max(f, m, 400);
		fputs("\"/>\n", f);
		break;
	case CI_SKIP:
		fprintf(f, "      <skipped type=\"%s\" message=\"%s: ",
		    verdict_name(c->verdict), verdict_name(c->verdict));
		report_esc_max(f, m, 400);
		fputs("\"/>\n", f);
		break;
	case CI_PASS:
		break;
	}
}

/* The whole verdict as text, for the CI's log view. */
static void
system_out(FILE *f, const struct case_result *c)
{
	char buf[512];
	size_t i;

	fprintf(f, "      <system-out>verdict: %s\n", verdict_name(c->verdict));
	if (c->title != NULL) {
		fputs("title: ", f);
		report_esc_max(f, c->title, 200);
		fputs("\n", f);
	}
	if (c->reason != NULL) {
		fputs("reason: ", f);
		report_esc_max(f, c->reason, 400);
		fputs("\n", f);
	}
	for (i = 0; i < c->nreqs; i++) {
		fputs("requirement: ", f);
		report_esc_max(f, c->reqs[i].id, 60);
		fputs(" ", f);
		report_esc_max(f, c->reqs[i].keyword, 20);
		fputs(" (", f);
		report_esc_max(f, c->reqs[i].section, 60);
		fputs(")\n", f);
	}
	for (i = 0; i < c->ndiffs; i++) {
		fputs("mismatch: ", f);
		report_esc(f, result_diff_str(&c->diffs[i], buf, sizeof(buf)));
		fputs("\n", f);
	}
	if (c->nattempts > 1)
		fprintf(f, "attempts: %zu, flake rate %.2f\n", c->nattempts,
		    result_flake_rate(c));
	if (c->pcap != NULL) {
		fputs("pcap: ", f);
		report_esc_max(f, c->pcap, 300);
		fputs("\n", f);
	}
	fputs("</system-out>\n", f);
}

static void
suite_name(FILE *f, const struct target *t, size_t ti)
{
	fputs("tcpconform.", f);
	if (t->name != NULL)
		report_esc_max(f, t->name, 60);
	else
		fprintf(f, "target%zu", ti + 1);
}

/* "tcpconform.linux.handshake": suite, then the case's topic. */
static void
classname(FILE *f, const struct target *t, size_t ti,
    const struct case_result *c)
{
	const char *topic;
	size_t n;

	suite_name(f, t, ti);
	if ((n = result_case_topic(c, &topic)) > 0) {
		fputs(".", f);
		report_esc_n(f, topic, n > 60 ? 60 : n);
	}
}

static void
testcase(FILE *f, const struct target *t, size_t ti,
    const struct case_result *c, int flags)
{
	fputs("    <testcase name=\"", f);
	report_esc_max(f, c->id != NULL ? c->id : "(no id)", 200);
	fputs("\" classname=\"", f);
	classname(f, t, ti, c);
	fprintf(f, "\" time=\"%.6f\">\n", c->duration_us > 0 ?
	    (double)c->duration_us / 1e6 : 0.0);
	outcome(f, c, flags);
	system_out(f, c);
	fputs("    </testcase>\n", f);
}

int
report_junit_write(FILE *f, const struct run *r)
{
	const struct target *t;
	size_t fail = 0, err = 0, skip = 0, tests = 0, ti, ci, tf, te, ts;
	double secs = 0, tsecs;
	char when[32];
	struct tm tm;
	time_t now;

	for (ti = 0; ti < r->ntargets; ti++) {
		counts(r->targets[ti], result_flags(r), &fail, &err, &skip, &secs);
		tests += r->targets[ti]->ncases;
	}
	now = (time_t)(r->started_us / 1000000);
	if (r->started_us <= 0 || gmtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(when, sizeof(when), "1970-01-01T00:00:00");
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"tcpconform\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n", tests, fail, err,
	    skip, secs);
	for (ti = 0; ti < r->ntargets; ti++) {
		t = r->targets[ti];
		tf = te = ts = 0;
		tsecs = 0;
		counts(t, result_flags(r), &tf, &te, &ts, &tsecs);
		fputs("  <testsuite name=\"", f);
		suite_name(f, t, ti);
		fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		    "skipped=\"%zu\" time=\"%.6f\" timestamp=\"%s\" "
		    "hostname=\"", t->ncases, tf, te, ts, tsecs, when);
		report_esc_max(f, t->address != NULL ? t->address : "unknown",
		    80);
		fprintf(f, "\" id=\"%zu\" package=\"tcpconform\">\n", ti);
		properties(f, r, t);
		for (ci = 0; ci < t->ncases; ci++)
			testcase(f, t, ti, t->cases[ci], result_flags(r));
		fputs("    <system-out/>\n    <system-err/>\n  </testsuite>\n",
		    f);
	}
	fputs("</testsuites>\n", f);
	fflush(f);
	return ferror(f) ? -1 : 0;
}
