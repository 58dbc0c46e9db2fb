/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_html_summary.c: the top of the index page: what was tested, the
 * overall outcome and counts, the problems worth reading first, the grid of
 * cases by topic, the list of cases, and the legend of the verdicts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"
#include "report_util.h"

/* Problems, most serious first; the order of the "Problems" section. */
static const enum verdict problem_order[] = {
	VERDICT_ERROR, VERDICT_FAIL, VERDICT_XPASS, VERDICT_FLAKY,
	VERDICT_WARN, VERDICT_INCONCLUSIVE,
};

static void	 banner(FILE *, const struct run *, const size_t *);
static void	 target_card(FILE *, const struct target *, size_t);
static void	 run_card(FILE *, const struct run *);
static void	 counts_bar(FILE *, const size_t *);
static int	 is_problem(enum verdict);
static void	 case_link(FILE *, const struct html_ctx *, size_t, size_t);
static void	 req_ids(FILE *, const struct case_result *);
static void	 topic_rows(FILE *, const struct html_ctx *, size_t, int);
static void	 case_row(FILE *, const struct html_ctx *, size_t, size_t);
static void	 filter_buttons(FILE *, const size_t *);
static void	 legend_cell(FILE *, const char *, const char *,
		    const char *);

void
html_index_header(FILE *f, const struct run *r)
{
	const struct target *t;
	char when[64];

	fputs("<header class=\"top\">\n<div class=\"brand\"><b>tcpconform"
	    "</b> &middot; TCP conformance report</div>\n<h1>", f);
	if (r->ntargets == 1) {
		t = r->targets[0];
		fputs("TCP conformance of ", f);
		html_target_name(f, t, 0);
	} else
		fprintf(f, "TCP conformance of %zu targets", r->ntargets);
	fputs("</h1>\n<p class=\"sub\">", f);
	if (r->ntargets == 1 && r->targets[0]->address != NULL) {
		report_esc_max(f, r->targets[0]->address, 60);
		fputs(" &middot; ", f);
	}
	fprintf(f, "%s &middot; tcpconform ", report_time_iso(r->started_us,
	    when, sizeof(when)));
	report_esc_max(f, r->tester_version != NULL ? r->tester_version :
	    "(unknown version)", 40);
	fputs("</p>\n<nav class=\"tabs\"><a href=\"#summary\">Summary</a>"
	    "<a href=\"#problems\">Problems</a><a href=\"#grid\">By topic</a>",
	    f);
	fputs(r->ntargets > 1 ? "<a href=\"#matrix\">Matrix</a>" :
	    "<a href=\"#cases\">All cases</a>", f);
	fputs("<a href=\"#requirements\">Requirements</a>"
	    "<a href=\"#legend\">Legend</a></nav>\n</header>\n", f);
}

/* The one-line outcome, the same rule as the exit status. */
static void
banner(FILE *f, const struct run *r, const size_t *n)
{
	enum verdict v;
	const char *head, *text;
	struct cover cv;
	char cover[512];
	int status;

	status = result_exit_status(r, result_flags(r));
	result_cover(r, &cv);
	result_cover_str(&cv, cover, sizeof(cover));
	if (status == 2 && r->stopped != NULL) {
		v = VERDICT_ERROR;
		head = "The run stopped before every case ran";
		text = "It was interrupted or the tester's side failed; what "
		    "did not run says nothing about the target.";
	} else if (status == 2) {
		v = VERDICT_ERROR;
		head = "The run is incomplete";
		text = "The tester itself failed in some cases; their results "
		    "say nothing about the target.";
	} else if (status == 1) {
		v = VERDICT_FAIL;
		head = n[VERDICT_FAIL] > 0 ? "Not conformant" :
		    "The baseline is out of date";
		text = n[VERDICT_FAIL] > 0 ? "The target broke at least one "
		    "MUST; the problems below name each one." : "A case the "
		    "baseline expected to fail passed.";
	} else if (cv.ran == 0) {
		v = VERDICT_NA;
		head = "Nothing was tested";
		text = "No case could run against this target; the reasons "
		    "are above.";
	} else if (cv.ran < cv.total) {
		v = n[VERDICT_WARN] + n[VERDICT_FLAKY] +
		    n[VERDICT_INCONCLUSIVE] > 0 ? VERDICT_WARN : VERDICT_NA;
		head = "Only part of the suite ran";
		text = "No MUST was broken in the cases that ran; the others "
		    "say nothing about the target.";
	} else if (n[VERDICT_WARN] + n[VERDICT_FLAKY] +
	    n[VERDICT_INCONCLUSIVE] > 0) {
		v = VERDICT_WARN;
		head = "Conformant, with findings";
		text = "No MUST was broken; some SHOULDs were not met or some "
		    "results were not clear-cut.";
	} else {
		v = VERDICT_PASS;
		head = "Conformant";
		text = "Every MUST that the cases check was met.";
	}
	fprintf(f, "<div class=\"banner v-%s\">", verdict_name(v));
	html_badge(f, v, "big");
	fputs("<div><p class=\"cover\"><strong>", f);
	report_esc(f, cover);
	fprintf(f, "</strong></p><strong>%s</strong><p>%s Exit status %d%s.</p>"
	    "</div></div>\n", head, text, status, r->strict ? " (--strict)" :
	    "");
}

static void
target_card(FILE *f, const struct target *t, size_t ti)
{
	char a[48], b[48];
	size_t n[VERDICT_N], k;
	int v;

	fputs("<div class=\"card\"><h3>Target: ", f);
	html_target_name(f, t, ti);
	fputs("</h3><dl class=\"kv\"><dt>Address</dt><dd class=\"mono\">", f);
	report_esc_max(f, t->address != NULL ? t->address : "-", 60);
	if (t->port > 0)
		fprintf(f, " port %d", t->port);
	fprintf(f, "</dd><dt>Family</dt><dd>IPv%d</dd><dt>Mode</dt><dd>%s</dd>",
	    t->family == 6 ? 6 : 4, target_mode_name(t->mode));
	fputs("<dt>Kind</dt><dd>", f);
	report_esc_max(f, t->kind != NULL ? t->kind : "-", 60);
	/*
	 * What the target is and the settings that change verdicts
	 * (tcp_rfc1337 decides RFC 1337 cases, tcp_ecn the ECN ones, ...),
	 * so that a reader can tell a stack from its configuration.
	 */
	fputs("</dd><dt>Identity</dt><dd class=\"mono\">", f);
	if (t->nidentity == 0)
		fputs("not known (no agent, or one that does not answer "
		    "INFO)", f);
	for (k = 0; k < t->nidentity && k < 64; k++) {
		fputs(k > 0 ? " " : "", f);
		report_esc_max(f, t->identity[k].name, 60);
		fputc('=', f);
		report_esc_max(f, t->identity[k].value, 120);
	}
	fputs("</dd><dt>Path RTT</dt><dd>", f);
	if (t->rtt_us >= 0)
		fprintf(f, "%s, jitter %s", report_duration(t->rtt_us, a,
		    sizeof(a)), report_duration(t->jitter_us, b, sizeof(b)));
	else
		fputs("not measured", f);
	fprintf(f, "</dd><dt>Capture</dt><dd>%llu segments, %llu dropped</dd>",
	    (unsigned long long)t->cap_received,
	    (unsigned long long)t->cap_dropped);
	result_count_target(t, n);
	fprintf(f, "<dt>Cases</dt><dd>%zu", t->ncases);
	for (k = 0, v = 0; v < VERDICT_N; v++)
		if (n[v] > 0)
			fprintf(f, "%s%zu&nbsp;%s", k++ == 0 ? ": " : ", ",
			    n[v], verdict_name(v));
	fputs("</dd></dl></div>\n", f);
}

static void
run_card(FILE *f, const struct run *r)
{
	char a[64], b[64];
	size_t i;

	fputs("<div class=\"card\"><h3>Run</h3><dl class=\"kv\">"
	    "<dt>Tester</dt><dd>tcpconform ", f);
	report_esc_max(f, r->tester_version, 40);
	fprintf(f, "</dd><dt>Started</dt><dd>%s</dd><dt>Duration</dt>"
	    "<dd>%s</dd>", report_time_iso(r->started_us, a, sizeof(a)),
	    r->ended_us > r->started_us && r->started_us > 0 ?
	    report_duration(r->ended_us - r->started_us, b, sizeof(b)) : "-");
	fputs("<dt>Command</dt><dd><code>", f);
	report_esc_max(f, r->command_line != NULL ? r->command_line : "-",
	    400);
	fputs("</code></dd>", f);
	if (r->noptions > 0) {
		fputs("<dt>Options</dt><dd>", f);
		for (i = 0; i < r->noptions && i < 40; i++) {
			fputs(i > 0 ? ", " : "", f);
			report_esc_max(f, r->options[i].name, 40);
			fputs("=", f);
			report_esc_max(f, r->options[i].value, 80);
		}
		fputs("</dd>", f);
	}
	fputs("</dl></div>\n", f);
}

static void
counts_bar(FILE *f, const size_t *n)
{
	size_t total = 0;
	int v;

	for (v = 0; v < VERDICT_N; v++)
		total += n[v];
	if (total > 0) {
		fputs("<div class=\"bar\" role=\"img\" "
		    "aria-label=\"verdicts\">", f);
		for (v = 0; v < VERDICT_N; v++)
			if (n[v] > 0)
				fprintf(f, "<span class=\"v-%s\" style=\"width:"
				    "%.2f%%\" title=\"%zu %s\">%zu</span>",
				    verdict_name(v), 100.0 * (double)n[v] /
				    (double)total, n[v], verdict_label(v),
				    n[v]);
		fputs("</div>\n", f);
	}
	fputs("<ul class=\"counts\">", f);
	for (v = 0; v < VERDICT_N; v++) {
		fprintf(f, "<li%s>", n[v] == 0 ? " class=\"zero\"" : "");
		html_badge(f, v, NULL);
		fprintf(f, "<span class=\"n\">%zu</span></li>", n[v]);
	}
	fputs("</ul>\n", f);
}

void
html_summary(FILE *f, const struct html_ctx *h)
{
	const struct run *r = h->run;
	size_t n[VERDICT_N], ti;

	result_count_run(r, n);
	fputs("<section id=\"summary\">\n", f);
	banner(f, r, n);
	counts_bar(f, n);
	fputs("<div class=\"cards\">\n", f);
	for (ti = 0; ti < r->ntargets; ti++)
		target_card(f, r->targets[ti], ti);
	run_card(f, r);
	fputs("</div>\n</section>\n", f);
}

static int
is_problem(enum verdict v)
{
	size_t i;

	for (i = 0; i < sizeof(problem_order) / sizeof(problem_order[0]); i++)
		if (problem_order[i] == v)
			return 1;
	return 0;
}

static void
case_link(FILE *f, const struct html_ctx *h, size_t ti, size_t ci)
{
	const struct case_result *c = h->run->targets[ti]->cases[ci];

	fputs("<a href=\"", f);
	report_href(f, NULL, h->paths[ti][ci]);
	fputs("\">", f);
	report_esc_max(f, c->title != NULL && c->title[0] != '\0' ? c->title :
	    c->id != NULL ? c->id : "(no id)", 160);
	fputs("</a>", f);
}

static void
req_ids(FILE *f, const struct case_result *c)
{
	size_t i;

	for (i = 0; i < c->nreqs && i < 12; i++) {
		fputs(i > 0 ? ", <span>" : "<span>", f);
		report_esc_max(f, c->reqs[i].id, 40);
		fputs("</span>", f);
	}
	if (c->nreqs > 12)
		fputs(", &hellip;", f);
}

void
html_problems(FILE *f, const struct html_ctx *h)
{
	const struct run *r = h->run;
	const struct case_result *c;
	size_t k, ti, ci, shown = 0;

	fputs("<section id=\"problems\"><h2>Problems</h2>\n"
	    "<ul class=\"problems\">\n", f);
	for (k = 0; k < sizeof(problem_order) / sizeof(problem_order[0]); k++)
		for (ti = 0; ti < r->ntargets; ti++)
			for (ci = 0; ci < r->targets[ti]->ncases; ci++) {
				c = r->targets[ti]->cases[ci];
				if (c->verdict != problem_order[k])
					continue;
				fprintf(f, "<li class=\"v-%s\">",
				    verdict_name(c->verdict));
				html_badge(f, c->verdict, NULL);
				fputs(" ", f);
				case_link(f, h, ti, ci);
				fputs("<div class=\"ids\"><code>", f);
				report_esc_max(f, c->id, 120);
				fputs("</code>", f);
				if (r->ntargets > 1) {
					fputs(" on ", f);
					html_target_name(f, r->targets[ti], ti);
				}
				if (c->nreqs > 0)
					fputs(" &middot; ", f);
				req_ids(f, c);
				fputs("</div>", f);
				if (c->ndiffs > 0)
					html_mismatch(f, c, 0);
				else if (c->reason != NULL) {
					fputs("<p class=\"what\">", f);
					report_esc_max(f, c->reason, 300);
					fputs("</p>", f);
				}
				fputs("</li>\n", f);
				shown++;
			}
	fputs("</ul>\n", f);
	if (shown == 0)
		fputs("<p>None: no case failed, warned, or gave an unclear "
		    "or tester-side result.</p>\n", f);
	fputs("</section>\n", f);
}

/*
 * The cases of target ti grouped by topic (topics sorted by name, cases in
 * run order within one); grid draws tiles, otherwise table rows.
 */
static void
topic_rows(FILE *f, const struct html_ctx *h, size_t ti, int grid)
{
	const struct target *t = h->run->targets[ti];
	const struct case_result *c, *prev = NULL;
	const char *tp;
	size_t k, ci, n;

	for (k = 0; k < t->ncases; k++) {
		ci = h->order[ti][k];
		c = t->cases[ci];
		if (prev == NULL || !html_same_topic(prev, c)) {
			if (prev != NULL && grid)
				fputs("</div>\n", f);
			n = result_case_topic(c, &tp);
			fputs(grid ? "<div class=\"topic\">" :
			    "<tr class=\"grp\"><th colspan=\"5\">", f);
			report_esc_n(f, n > 0 ? tp : "(no topic)",
			    n > 0 ? n : 10);
			fputs(grid ? "</div><div class=\"tiles\">" :
			    "</th></tr>\n", f);
		}
		prev = c;
		if (!grid) {
			case_row(f, h, ti, ci);
			continue;
		}
		fprintf(f, "<a class=\"tile v-%s\" href=\"",
		    verdict_name(c->verdict));
		report_href(f, NULL, h->paths[ti][ci]);
		fprintf(f, "\" title=\"%s: ", verdict_label(c->verdict));
		report_esc_max(f, c->id, 120);
		fprintf(f, "\">%s</a>", html_glyph(c->verdict));
	}
	if (prev != NULL && grid)
		fputs("</div>\n", f);
}

void
html_grid(FILE *f, const struct html_ctx *h)
{
	size_t ti;
	int v;

	fputs("<section id=\"grid\"><h2>Cases by topic</h2>\n<p class=\"note\">"
	    "One tile per case; the glyph and the tooltip name the verdict:",
	    f);
	for (v = 0; v < VERDICT_N; v++)
		fprintf(f, " <span class=\"glyph\">%s</span>&nbsp;%s",
		    html_glyph(v), verdict_name(v));
	fputs(".</p>\n", f);
	for (ti = 0; ti < h->run->ntargets; ti++) {
		if (h->run->ntargets > 1) {
			fputs("<h3>", f);
			html_target_name(f, h->run->targets[ti], ti);
			fputs("</h3>\n", f);
		}
		fputs("<div class=\"grid\">\n", f);
		topic_rows(f, h, ti, 1);
		fputs("</div>\n", f);
	}
	fputs("</section>\n", f);
}

static void
case_row(FILE *f, const struct html_ctx *h, size_t ti, size_t ci)
{
	const struct case_result *c = h->run->targets[ti]->cases[ci];
	char d[32], why[256];

	fprintf(f, "<tr class=\"case v-%s%s\"><td>", verdict_name(c->verdict),
	    is_problem(c->verdict) ? "" : " ok");
	html_badge(f, c->verdict, NULL);
	fputs("</td><td>", f);
	case_link(f, h, ti, ci);
	fputs("<div class=\"cid\">", f);
	report_esc_max(f, c->id, 120);
	fputs("</div></td><td class=\"reqs\">", f);
	req_ids(f, c);
	fputs("</td><td class=\"why\">", f);
	if (c->ndiffs > 0) {
		fputs("<code>", f);
		report_esc_max(f, result_diff_str(&c->diffs[0], why,
		    sizeof(why)), 120);
		fputs("</code> ", f);
	}
	report_esc_max(f, c->reason, 160);
	fprintf(f, "</td><td class=\"num\">%s</td></tr>\n",
	    report_duration(c->duration_us, d, sizeof(d)));
}

static void
filter_buttons(FILE *f, const size_t *n)
{
	int v;

	fputs("<div class=\"filter\" role=\"group\" aria-label=\"Show\">"
	    "<input type=\"radio\" name=\"show\" id=\"show-all\" checked>"
	    "<label for=\"show-all\">All</label>"
	    "<input type=\"radio\" name=\"show\" id=\"show-problems\">"
	    "<label for=\"show-problems\">Problems only</label>", f);
	for (v = 0; v < VERDICT_N; v++)
		if (n[v] > 0)
			fprintf(f, "<input type=\"radio\" name=\"show\" "
			    "id=\"show-%s\"><label for=\"show-%s\">%s (%zu)"
			    "</label>", verdict_name(v), verdict_name(v),
			    verdict_label(v), n[v]);
	fputs("</div>\n", f);
}

void
html_case_list(FILE *f, const struct html_ctx *h)
{
	size_t n[VERDICT_N], ti;

	result_count_run(h->run, n);
	fputs("<section id=\"cases\"><h2>All cases</h2>\n", f);
	filter_buttons(f, n);
	fputs("<div class=\"scroll\"><table class=\"cases\"><thead><tr>"
	    "<th>Verdict</th><th>Case</th><th>Requirements</th><th>Why</th>"
	    "<th class=\"num\">Time</th></tr></thead><tbody>\n", f);
	for (ti = 0; ti < h->run->ntargets; ti++)
		topic_rows(f, h, ti, 0);
	fputs("</tbody></table></div>\n</section>\n", f);
}

/*
 * Claims: whether each target implements the optional mechanisms its
 * cases name (implemented, absent, half-done), one line per target.
 */
void
html_claims(FILE *f, const struct html_ctx *h)
{
	const struct target *t;
	const char *cl, *st;
	size_t ti, j, k, shown = 0;

	for (ti = 0; ti < h->run->ntargets; ti++) {
		t = h->run->targets[ti];
		for (j = 0, k = 0; (cl = result_claim_name(t, j)) != NULL; j++) {
			if ((st = result_claim_status(t, cl)) == NULL)
				continue;
			if (shown++ == 0)
				fputs("<section id=\"claims\"><h2>Claims</h2>\n"
				    "<p class=\"note\">Optional mechanisms that "
				    "RFC 9293 describes without making them "
				    "binding: whether the target implements "
				    "them.</p>\n<ul>\n", f);
			if (k++ == 0) {
				fputs("<li>", f);
				html_target_name(f, t, ti);
				fputs(":", f);
			}
			fputs(k > 1 ? ", " : " ", f);
			report_esc(f, cl);
			fputs(" <strong>", f);
			report_esc(f, st);
			fputs("</strong>", f);
		}
		if (k > 0)
			fputs("</li>\n", f);
	}
	if (shown > 0)
		fputs("</ul>\n</section>\n", f);
}

/*
 * A cell of the legend: the value, and what --strict and --complete make
 * of it (complete NULL: it changes nothing there).
 */
static void
legend_cell(FILE *f, const char *plain, const char *strict,
    const char *complete)
{
	fputs("<td><code>", f);
	report_esc(f, plain);
	fputs("</code>", f);
	if (strcmp(plain, strict) != 0) {
		fputs("; with --strict <code>", f);
		report_esc(f, strict);
		fputs("</code>", f);
	}
	if (complete != NULL && strcmp(plain, complete) != 0) {
		fputs("; with --complete <code>", f);
		report_esc(f, complete);
		fputs("</code>", f);
	}
	fputs("</td>", f);
}

/*
 * Each verdict, what it means, and what it makes of the exit status, of
 * junit.xml and of TAP: the table of tcpconform(1), from the same
 * functions the writers use (verdict_ci() in result.h).
 */
void
html_legend(FILE *f)
{
	char a[8], b[8], c[8];
	int v;

	fputs("<section id=\"legend\"><h2>Legend</h2>\n<div class=\"scroll\">"
	    "<table class=\"legend\"><thead><tr><th>Verdict</th><th>Meaning"
	    "</th><th>Exit status</th><th>JUnit</th><th>TAP</th></tr>"
	    "</thead><tbody>\n", f);
	for (v = 0; v < VERDICT_N; v++) {
		fputs("<tr><td>", f);
		html_badge(f, v, NULL);
		fprintf(f, " <span class=\"glyph\">%s</span></td><td>%s</td>",
		    html_glyph(v), verdict_legend(v));
		snprintf(a, sizeof(a), "%d", verdict_exit_status(v, 0));
		snprintf(b, sizeof(b), "%d", verdict_exit_status(v,
		    RESULT_STRICT));
		snprintf(c, sizeof(c), "%d", verdict_exit_status(v,
		    RESULT_COMPLETE));
		legend_cell(f, a, b, c);
		legend_cell(f, verdict_junit_text(v, 0),
		    verdict_junit_text(v, RESULT_STRICT), NULL);
		legend_cell(f, verdict_tap_text(v, 0),
		    verdict_tap_text(v, RESULT_STRICT), NULL);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n<p class=\"note\">", f);
	report_esc(f, result_severity_rule);
	fputs("</p>\n<p class=\"note\">The run's exit "
	    "status is the highest-ranking of its cases': 2, then 1, then 3, "
	    "then 4, then 0; a run that stopped before every case ran exits "
	    "2.</p>\n</section>\n", f);
}
