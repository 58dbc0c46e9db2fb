/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_tap.c: the results as TAP version 13 (testanything.org), one test
 * point per case and target, with a YAML block for every case that is not a
 * plain pass.  The test line follows verdict_ci() (result.h), the rule of
 * the exit status: fail, xpass and error are "not ok", and so are warn,
 * flaky and inconclusive under --strict; xfail is "not ok # TODO";
 * not-applicable, skipped, and inconclusive without --strict are
 * "ok # SKIP"; pass, info, and warn and flaky without --strict are "ok".
 *
 * The YAML is YAMLish, the subset TAP::Parser (prove) reads: one line per
 * scalar, double-quoted with \" \\ and \xNN escapes, and never a quoted
 * list item that holds ": " (the reader takes "- \"a: b\"" for a mapping
 * whose key is the unterminated "\"a" and stops: "does not support
 * multi-line quoted scalars"), so a mismatch is a mapping of its own and
 * a ':' inside a quoted list item is written \x3a.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "report.h"

static void	 tap_text(FILE *, const char *, size_t);
static void	 yaml_str(FILE *, const char *, int);
static void	 yaml(FILE *, const struct case_result *);
static void	 point(FILE *, const struct run *, size_t, size_t, size_t);

/*
 * Text on a test line: one line, '#' and '\' escaped (TAP 13 reads '#' as
 * the start of a directive), control characters and bad UTF-8 as \xNN.
 */
static void
tap_text(FILE *f, const char *s, size_t max)
{
	size_t i, n, k, j, chars = 0;

	if (s == NULL)
		return;
	n = strlen(s);
	for (i = 0; i < n && chars < max; i += k, chars++) {
		k = json_utf8_len(s + i, n - i);
		if (k > 1) {
			fwrite(s + i, 1, k, f);
			continue;
		}
		if (k == 0)
			k = 1;
		for (j = 0; j < k; j++) {
			if (s[i] == '#' || s[i] == '\\')
				fprintf(f, "\\%c", s[i]);
			else if ((unsigned char)s[i] < 0x20 ||
			    (unsigned char)s[i] >= 0x7f)
				fprintf(f, "\\x%02x", (unsigned char)s[i]);
			else
				fputc(s[i], f);
		}
	}
}

/*
 * A YAML double-quoted scalar: \" \\ and \xNN for the rest; with item set
 * (a list item) ':' too.
 */
static void
yaml_str(FILE *f, const char *s, int item)
{
	size_t i, n, k;

	fputc('"', f);
	n = s != NULL ? strlen(s) : 0;
	for (i = 0; i < n && i < 2000; i += k) {
		k = json_utf8_len(s + i, n - i);
		if (k > 1) {
			fwrite(s + i, 1, k, f);
			continue;
		}
		k = 1;
		if (s[i] == '"' || s[i] == '\\')
			fprintf(f, "\\%c", s[i]);
		else if ((unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] >= 0x7f || (item && s[i] == ':'))
			fprintf(f, "\\x%02x", (unsigned char)s[i]);
		else
			fputc(s[i], f);
	}
	fputc('"', f);
}

static void
yaml(FILE *f, const struct case_result *c)
{
	char buf[512];
	size_t i;

	fprintf(f, "  ---\n  verdict: %s\n", verdict_name(c->verdict));
	if (c->reason != NULL) {
		fputs("  message: ", f);
		yaml_str(f, c->reason, 0);
		fputs("\n", f);
	}
	for (i = 0; i < c->ndiffs && i < 50; i++) {
		fputs(i == 0 ? "  mismatch:\n    - field: " :
		    "    - field: ", f);
		yaml_str(f, c->diffs[i].field, 0);
		fputs("\n      expected: ", f);
		yaml_str(f, c->diffs[i].expected, 0);
		fputs("\n      observed: ", f);
		yaml_str(f, c->diffs[i].observed, 0);
		fputs("\n", f);
	}
	if (c->nreqs > 0) {
		fputs("  requirements:\n", f);
		for (i = 0; i < c->nreqs; i++) {
			fputs("    - ", f);
			yaml_str(f, c->reqs[i].id, 1);
			fputs("\n", f);
		}
	}
	for (i = 0; i < c->nmeas && i < 50; i++) {
		fputs(i == 0 ? "  measurements:\n    - name: " :
		    "    - name: ", f);
		yaml_str(f, c->meas[i].name, 0);
		if (isfinite(c->meas[i].value))
			snprintf(buf, sizeof(buf), "%.6g", c->meas[i].value);
		else
			snprintf(buf, sizeof(buf), "null");
		fprintf(f, "\n      value: %s\n      unit: ", buf);
		yaml_str(f, c->meas[i].unit, 0);
		fputs("\n", f);
	}
	if (c->nattempts > 1)
		fprintf(f, "  attempts: %zu\n  flake_rate: %.3f\n",
		    c->nattempts, result_flake_rate(c));
	if (c->pcap != NULL) {
		fputs("  pcap: ", f);
		yaml_str(f, c->pcap, 0);
		fputs("\n", f);
	}
	fputs("  ...\n", f);
}

static void
point(FILE *f, const struct run *r, size_t n, size_t ti, size_t ci)
{
	const struct case_result *c = r->targets[ti]->cases[ci];
	enum ci_outcome o = verdict_ci(c->verdict, result_flags(r));

	fprintf(f, "%sok %zu - ", o == CI_FAIL || o == CI_ERROR ||
	    (o == CI_SKIP && c->verdict == VERDICT_XFAIL) ? "not " : "", n);
	if (r->ntargets > 1) {
		tap_text(f, r->targets[ti]->name != NULL ?
		    r->targets[ti]->name : "target", 60);
		fputs(": ", f);
	}
	tap_text(f, c->id != NULL ? c->id : "(no id)", 200);
	if (o == CI_SKIP) {
		fprintf(f, " # %s %s", c->verdict == VERDICT_XFAIL ?
		    "TODO" : "SKIP", verdict_name(c->verdict));
		if (c->reason != NULL && *c->reason != '\0') {
			fputs(": ", f);
			tap_text(f, c->reason, 200);
		}
	}
	fputs("\n", f);
	if (c->verdict != VERDICT_PASS)
		yaml(f, c);
}

int
report_tap_write(FILE *f, const struct run *r)
{
	size_t n = 0, ti, ci;

	for (ti = 0; ti < r->ntargets; ti++)
		n += r->targets[ti]->ncases;
	fprintf(f, "TAP version 13\n1..%zu\n", n);
	n = 0;
	for (ti = 0; ti < r->ntargets; ti++)
		for (ci = 0; ci < r->targets[ti]->ncases; ci++)
			point(f, r, ++n, ti, ci);
	fflush(f);
	return ferror(f) ? -1 : 0;
}
