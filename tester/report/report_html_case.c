/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_html_case.c: the page of one case on one target: its verdict and,
 * for a failure, the field that differed in plain words; the requirements
 * it checks; measurements and attempts; the ladder diagram; the table of
 * segments; the payloads as hex and ASCII; the pcap and how to re-run it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_html.h"
#include "report_util.h"

/* Case pages live in cases/t<N>/: two folders below the index. */
#define UP	"../../"

struct page {
	const struct run *run;
	const struct target *t;
	const struct case_result *c;
	size_t		 ti;
};

static void	 case_header(FILE *, const struct page *);
static void	 verdict_box(FILE *, const struct page *);
static void	 requirements(FILE *, const struct case_result *);
static void	 measurements(FILE *, const struct case_result *);
static void	 attempts(FILE *, const struct case_result *);
static void	 seg_row(FILE *, const struct case_result *, size_t);
static void	 segments(FILE *, const struct case_result *);
static void	 hexdump(FILE *, const uint8_t *, size_t);
static void	 payloads(FILE *, const struct case_result *);
static void	 pcap_href(FILE *, const struct page *);
static void	 evidence(FILE *, const struct page *);
static void	 case_body(FILE *, const void *);

static void
case_header(FILE *f, const struct page *p)
{
	const char *topic;
	size_t n;

	fputs("<header class=\"top\">\n<div class=\"crumbs\"><a href=\"" UP
	    "index.html\">Report</a> &rsaquo; <a href=\"" UP
	    "index.html#grid\">", f);
	html_target_name(f, p->t, p->ti);
	fputs("</a>", f);
	if ((n = result_case_topic(p->c, &topic)) > 0) {
		fputs(" &rsaquo; ", f);
		report_esc_n(f, topic, n > 80 ? 80 : n);
	}
	fputs("</div>\n<h1>", f);
	report_esc_max(f, p->c->title != NULL && p->c->title[0] != '\0' ?
	    p->c->title : p->c->id != NULL ? p->c->id : "(no id)", 200);
	fputs("</h1>\n<p class=\"sub\"><code>", f);
	report_esc_max(f, p->c->id != NULL ? p->c->id : "(no id)", 200);
	fputs("</code> on ", f);
	html_target_name(f, p->t, p->ti);
	if (p->t->address != NULL) {
		fputs(" (", f);
		report_esc_max(f, p->t->address, 60);
		fputs(")", f);
	}
	fputs("</p>\n<nav class=\"tabs\"><a href=\"#verdict\">Verdict</a>"
	    "<a href=\"#requirements\">Requirements</a><a href=\"#ladder\">"
	    "Ladder</a><a href=\"#segments\">Segments</a><a href=\"#evidence\">"
	    "Evidence</a></nav>\n</header>\n", f);
}

static void
verdict_box(FILE *f, const struct page *p)
{
	const struct case_result *c = p->c;
	char d[32];

	fprintf(f, "<section id=\"verdict\" class=\"verdict v-%s\">"
	    "<div class=\"head\">", verdict_name(c->verdict));
	html_badge(f, c->verdict, "big");
	fputs("<span class=\"reason\">", f);
	report_esc_max(f, c->reason != NULL ? c->reason :
	    verdict_legend(c->verdict), 400);
	fputs("</span></div>\n", f);
	if (c->file != NULL && c->line > 0 && c->verdict != VERDICT_PASS) {
		fputs("<p class=\"where\">At <code>", f);
		report_esc_max(f, c->file, 300);
		fprintf(f, ":%d</code></p>\n", c->line);
	}
	html_mismatch(f, c, 1);
	/* The case's own words on the rule, from the head of its file. */
	if (c->about != NULL) {
		fputs("<p class=\"about\"><strong>What the case checks:"
		    "</strong> ", f);
		report_esc_max(f, c->about, 4000);
		fputs("</p>\n", f);
	}
	fprintf(f, "<p class=\"meta\">%s means: %s Took %s", verdict_label(
	    c->verdict), verdict_legend(c->verdict),
	    report_duration(c->duration_us, d, sizeof(d)));
	if (c->nattempts > 1)
		fprintf(f, " over %zu attempts; %.0f%% of them did not pass",
		    c->nattempts, 100.0 * result_flake_rate(c));
	fputs(".</p>\n</section>\n", f);
}

static void
requirements(FILE *f, const struct case_result *c)
{
	size_t i;

	fputs("<section id=\"requirements\"><h2>Requirements</h2>\n", f);
	if (c->nreqs == 0) {
		fputs("<p class=\"note\">This case names no requirement.</p>"
		    "</section>\n", f);
		return;
	}
	fputs("<div class=\"scroll\"><table><thead><tr><th>ID</th>"
	    "<th>Keyword</th><th>RFC section</th><th>What it asks</th></tr>"
	    "</thead><tbody>\n", f);
	for (i = 0; i < c->nreqs; i++) {
		fputs("<tr><td><code>", f);
		report_esc_max(f, c->reqs[i].id, 60);
		fputs("</code></td><td><strong>", f);
		report_esc_max(f, c->reqs[i].keyword, 20);
		fputs("</strong></td><td>", f);
		html_rfc_section(f, c->reqs[i].section);
		fputs("</td><td>", f);
		report_esc_max(f, c->reqs[i].text, 400);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

static void
measurements(FILE *f, const struct case_result *c)
{
	size_t i;

	if (c->nmeas == 0)
		return;
	fputs("<section id=\"measurements\"><h2>Measurements</h2>\n"
	    "<table><thead><tr><th>What</th><th class=\"num\">Value</th>"
	    "<th>Unit</th></tr></thead><tbody>\n", f);
	for (i = 0; i < c->nmeas; i++) {
		fputs("<tr><td>", f);
		report_esc_max(f, c->meas[i].name, 120);
		fprintf(f, "</td><td class=\"num\">%.6g</td><td>",
		    c->meas[i].value);
		report_esc_max(f, c->meas[i].unit, 20);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></section>\n", f);
}

static void
attempts(FILE *f, const struct case_result *c)
{
	char d[32];
	size_t i;

	if (c->nattempts <= 1)
		return;
	fputs("<section id=\"attempts\"><h2>Attempts</h2>\n<table><thead><tr>"
	    "<th class=\"num\">#</th><th>Verdict</th><th class=\"num\">Time"
	    "</th><th>Why</th></tr></thead><tbody>\n", f);
	for (i = 0; i < c->nattempts; i++) {
		fprintf(f, "<tr><td class=\"num\">%zu</td><td>", i + 1);
		html_badge(f, c->attempts[i].verdict, NULL);
		fprintf(f, "</td><td class=\"num\">%s</td><td>",
		    report_duration(c->attempts[i].duration_us, d, sizeof(d)));
		report_esc_max(f, c->attempts[i].reason, 200);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></section>\n", f);
}

static void
seg_row(FILE *f, const struct case_result *c, size_t i)
{
	const struct seg_rec *s = c->segs[i];
	static const char *const kinds[] = { "observed", "missing",
	    "unexpected" };
	char flags[16];
	int div;

	div = c->mismatch_seg >= 0 && (size_t)c->mismatch_seg == i;
	fprintf(f, "<tr id=\"seg-%zu\" class=\"k-%s%s\"><td class=\"num\">%zu"
	    "</td><td class=\"num\">%.3f</td><td>%s</td><td>%s</td>", i + 1,
	    kinds[(unsigned)s->kind <= SEGK_UNEXPECTED ? s->kind : 0],
	    div ? " diverge" : "", i + 1, (double)s->t_us / 1e3,
	    s->dir == SEGDIR_FROM_TARGET ? "\xe2\x86\x90 target" :
	    "\xe2\x86\x92 target", result_flags_str(s->flags, flags,
	    sizeof(flags)));
	fprintf(f, "<td class=\"num\" title=\"absolute %u\">%u</td>",
	    s->seq_abs, s->seq_rel);
	if (s->flags & SEGF_ACK)
		fprintf(f, "<td class=\"num\" title=\"absolute %u\">%u</td>",
		    s->ack_abs, s->ack_rel);
	else
		fputs("<td class=\"num\">-</td>", f);
	fprintf(f, "<td class=\"num\">%u</td><td class=\"num\">%u</td>"
	    "<td class=\"opt\">", s->len, s->win);
	report_esc_max(f, s->options, 200);
	fputs("</td><td class=\"exp\">", f);
	if (div)
		fputs("<span class=\"kind diverge\">first divergence</span> ",
		    f);
	else if (s->kind != SEGK_OBSERVED)
		fprintf(f, "<span class=\"kind %s\">%s</span> ", kinds[s->kind],
		    s->kind == SEGK_MISSING ? "never seen" : "unexpected");
	report_esc_max(f, s->expect, 160);
	if (s->expect_file != NULL) {
		fputs(" <span class=\"cid\">(", f);
		report_esc_max(f, s->expect_file, 120);
		fprintf(f, ":%d)</span>", s->expect_line);
	}
	fputs("</td></tr>\n", f);
}

static void
segments(FILE *f, const struct case_result *c)
{
	size_t i;

	fputs("<section id=\"segments\"><h2>Segments</h2>\n<p class=\"note\">"
	    "Sequence and acknowledgment numbers are relative to each side's "
	    "initial sequence number, as the case writes them; hover for the "
	    "absolute value.  Time is in milliseconds since the case started."
	    "</p>\n<div class=\"scroll\"><table class=\"seg\"><thead><tr>"
	    "<th class=\"num\">#</th><th class=\"num\">ms</th><th>Dir</th>"
	    "<th>Flags</th><th class=\"num\">Seq</th><th class=\"num\">Ack</th>"
	    "<th class=\"num\">Len</th><th class=\"num\">Win</th>"
	    "<th>Options</th><th>Case line</th></tr></thead><tbody>\n", f);
	for (i = 0; i < c->nsegs; i++)
		seg_row(f, c, i);
	if (c->nsegs == 0)
		fputs("<tr><td colspan=\"10\">No segments were recorded."
		    "</td></tr>\n", f);
	fputs("</tbody></table></div></section>\n", f);
}

/* 16 bytes a line: offset, hex, and the printable ASCII (others '.'). */
static void
hexdump(FILE *f, const uint8_t *p, size_t n)
{
	size_t i, j;

	fputs("<pre class=\"hex\">", f);
	for (i = 0; i < n; i += 16) {
		fprintf(f, "%04zx  ", i);
		for (j = i; j < i + 16; j++)
			if (j < n)
				fprintf(f, "%02x%s", p[j], j % 8 == 7 ? "  " :
				    " ");
			else
				fputs(j % 8 == 7 ? "    " : "   ", f);
		fputs(" ", f);
		for (j = i; j < i + 16 && j < n; j++) {
			if (p[j] == '&')
				fputs("&amp;", f);
			else if (p[j] == '<')
				fputs("&lt;", f);
			else if (p[j] == '>')
				fputs("&gt;", f);
			else
				fputc(p[j] >= 0x20 && p[j] < 0x7f ? p[j] : '.',
				    f);
		}
		fputs("\n", f);
	}
	fputs("</pre>\n", f);
}

static void
payloads(FILE *f, const struct case_result *c)
{
	const struct seg_rec *s;
	size_t i, shown = 0;

	for (i = 0; i < c->nsegs; i++) {
		s = c->segs[i];
		if (s->payload == NULL || s->payload_len == 0)
			continue;
		if (shown++ == 0)
			fputs("<section id=\"payloads\"><h2>Payloads</h2>\n",
			    f);
		fprintf(f, "<h3>Segment %zu, %s: %u byte%s", i + 1,
		    html_dir_words(s->dir), s->len, s->len == 1 ? "" : "s");
		if (s->len > s->payload_len)
			fprintf(f, ", the first %zu shown", s->payload_len);
		fputs("</h3>\n", f);
		hexdump(f, s->payload, s->payload_len);
	}
	if (shown > 0)
		fputs("</section>\n", f);
}

/* pcap paths are relative to the results' folder, which the loader maps. */
static void
pcap_href(FILE *f, const struct page *p)
{
	const char *dir = p->t->pcap_dir;

	fputs("<a href=\"", f);
	if (p->c->pcap[0] == '/')
		report_href(f, NULL, p->c->pcap);
	else if (dir != NULL && dir[0] == '/') {
		report_href(f, NULL, dir);
		report_href(f, "/", p->c->pcap);
	} else {
		report_href(f, UP, dir);
		report_href(f, dir != NULL && dir[0] != '\0' ? "/" : NULL,
		    p->c->pcap);
	}
	fputs("\">", f);
	report_esc_max(f, p->c->pcap, 200);
	fputs("</a>", f);
}

static void
evidence(FILE *f, const struct page *p)
{
	const struct case_result *c = p->c;
	size_t i;

	fputs("<section id=\"evidence\"><h2>Evidence</h2>\n<dl class=\"kv\">"
	    "<dt>Capture</dt><dd>", f);
	if (c->pcap != NULL && c->pcap[0] != '\0')
		pcap_href(f, p);
	else
		fputs("no pcap was written for this case", f);
	fputs("</dd><dt>Case file</dt><dd><code>", f);
	report_esc_max(f, c->file != NULL ? c->file : "-", 200);
	fputs("</code></dd>", f);
	if (c->ntags > 0) {
		fputs("<dt>Tags</dt><dd class=\"tags\">", f);
		for (i = 0; i < c->ntags && i < 30; i++) {
			fputs("<span>", f);
			report_esc_max(f, c->tags[i], 40);
			fputs("</span>", f);
		}
		fputs("</dd>", f);
	}
	if (c->file != NULL) {
		char cmd[2048];

		fputs("<dt>Run it again</dt><dd><code class=\"rerun\">", f);
		report_esc(f, report_rerun(p->run, p->t, c, cmd,
		    sizeof(cmd)));
		fputs("</code></dd>", f);
	}
	fputs("</dl></section>\n", f);
}

static void
case_body(FILE *f, const void *arg)
{
	const struct page *p = arg;

	case_header(f, p);
	fputs("<main>\n", f);
	verdict_box(f, p);
	requirements(f, p->c);
	measurements(f, p->c);
	attempts(f, p->c);
	fputs("<section id=\"ladder\"><h2>Ladder</h2>\n", f);
	html_ladder(f, p->t, p->c);
	fputs("</section>\n", f);
	segments(f, p->c);
	payloads(f, p->c);
	evidence(f, p);
	fputs("</main>\n<footer>Written by tcpconform " PACKAGE_VERSION
	    ".  <a href=\"" UP "index.html\">Back to the report</a>."
	    "</footer>\n", f);
}

int
report_html_case(FILE *f, const struct run *r, size_t ti, size_t ci)
{
	struct page p;
	char title[200];

	if (ti >= r->ntargets || ci >= r->targets[ti]->ncases)
		return -1;
	p.run = r;
	p.t = r->targets[ti];
	p.c = r->targets[ti]->cases[ci];
	p.ti = ti;
	snprintf(title, sizeof(title), "%s: %s",
	    verdict_label(p.c->verdict), p.c->id != NULL ? p.c->id : "case");
	html_page(f, title, report_asset_case_css, case_body, &p);
	fflush(f);
	return ferror(f) ? -1 : 0;
}
