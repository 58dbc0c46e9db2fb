/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_html_matrix.c: cases by target, like an interop matrix: one row per
 * case id (the union over all targets, grouped by topic), one column per
 * target, each cell the verdict linking to that case's page.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"
#include "report_util.h"

#define NONE	SIZE_MAX

/* One row: the first case seen with this id, and its index per target. */
struct mrow {
	const struct case_result *first;
	size_t		*ci;
};

static int	 same_id(const struct case_result *, const struct case_result *);
static struct mrow *rows_build(const struct run *, size_t *);
static void	 rows_free(struct mrow *, size_t);
static void	 row(FILE *, const struct html_ctx *, const struct mrow *);
static void	 head(FILE *, const struct run *);
static void	 totals(FILE *, const struct run *);

static int
same_id(const struct case_result *a, const struct case_result *b)
{
	return strcmp(a->id != NULL ? a->id : "", b->id != NULL ? b->id : "")
	    == 0;
}

/* The union of case ids in order of first appearance; O(rows x cases). */
static struct mrow *
rows_build(const struct run *r, size_t *np)
{
	struct mrow *rows;
	const struct case_result *c;
	size_t total = 0, n = 0, ti, ci, k;

	for (ti = 0; ti < r->ntargets; ti++)
		total += r->targets[ti]->ncases;
	if ((rows = calloc(total + 1, sizeof(*rows))) == NULL)
		return NULL;
	for (ti = 0; ti < r->ntargets; ti++)
		for (ci = 0; ci < r->targets[ti]->ncases; ci++) {
			c = r->targets[ti]->cases[ci];
			for (k = 0; k < n && !same_id(rows[k].first, c); k++)
				;
			if (k == n) {
				rows[n].first = c;
				rows[n].ci = malloc(r->ntargets *
				    sizeof(*rows[n].ci));
				if (rows[n].ci == NULL) {
					rows_free(rows, n);
					return NULL;
				}
				memset(rows[n].ci, 0xff, r->ntargets *
				    sizeof(*rows[n].ci));
				n++;
			}
			if (rows[k].ci[ti] == NONE)
				rows[k].ci[ti] = ci;
		}
	*np = n;
	return rows;
}

static void
rows_free(struct mrow *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].ci);
	free(rows);
}

static void
head(FILE *f, const struct run *r)
{
	size_t ti;

	fputs("<div class=\"scroll\"><table class=\"matrix\"><thead><tr>"
	    "<th>Case</th>", f);
	for (ti = 0; ti < r->ntargets; ti++) {
		fputs("<th>", f);
		html_target_name(f, r->targets[ti], ti);
		if (r->targets[ti]->kind != NULL) {
			fputs("<div class=\"cid\">", f);
			report_esc_max(f, r->targets[ti]->kind, 30);
			fputs("</div>", f);
		}
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
}

static void
row(FILE *f, const struct html_ctx *h, const struct mrow *m)
{
	const struct run *r = h->run;
	const struct case_result *c;
	size_t ti;
	int differ = 0, problem = 0, v = -1;

	for (ti = 0; ti < r->ntargets; ti++) {
		c = m->ci[ti] == NONE ? NULL : r->targets[ti]->cases[m->ci[ti]];
		if (c == NULL || (v != -1 && (int)c->verdict != v))
			differ = 1;
		if (c != NULL) {
			v = (int)c->verdict;
			problem |= c->verdict == VERDICT_FAIL ||
			    c->verdict == VERDICT_XPASS ||
			    c->verdict == VERDICT_ERROR ||
			    c->verdict == VERDICT_WARN ||
			    c->verdict == VERDICT_FLAKY ||
			    c->verdict == VERDICT_INCONCLUSIVE;
		}
	}
	fprintf(f, "<tr class=\"%s%s\"><td>", differ ? "differ" : "same",
	    problem ? "" : " ok");
	report_esc_max(f, m->first->title != NULL ? m->first->title :
	    m->first->id, 120);
	fputs("<div class=\"cid\">", f);
	report_esc_max(f, m->first->id, 120);
	fputs("</div></td>", f);
	for (ti = 0; ti < r->ntargets; ti++) {
		if (m->ci[ti] == NONE) {
			fputs("<td class=\"cid\">not run</td>", f);
			continue;
		}
		c = r->targets[ti]->cases[m->ci[ti]];
		fprintf(f, "<td><a class=\"badge v-%s\" href=\"",
		    verdict_name(c->verdict));
		report_href(f, NULL, h->paths[ti][m->ci[ti]]);
		fprintf(f, "\">%s %s</a></td>", html_glyph(c->verdict),
		    verdict_label(c->verdict));
	}
	fputs("</tr>\n", f);
}

static void
totals(FILE *f, const struct run *r)
{
	size_t n[VERDICT_N], ti;

	fputs("<tfoot><tr><th>Passed</th>", f);
	for (ti = 0; ti < r->ntargets; ti++) {
		result_count_target(r->targets[ti], n);
		fprintf(f, "<td>%zu of %zu</td>", n[VERDICT_PASS],
		    r->targets[ti]->ncases);
	}
	fputs("</tr></tfoot>", f);
}

void
html_matrix(FILE *f, const struct html_ctx *h)
{
	const struct run *r = h->run;
	struct mrow *rows;
	const char *tp, *tq;
	size_t nrows = 0, i, j, k, n, m;
	int seen;

	fputs("<section id=\"matrix\"><h2>Matrix</h2>\n<p class=\"note\">Cases "
	    "by target; each cell links to that case's page on that target."
	    "</p>\n<div class=\"filter\" role=\"group\" aria-label=\"Show\">"
	    "<input type=\"radio\" name=\"show\" id=\"show-all\" checked>"
	    "<label for=\"show-all\">All</label><input type=\"radio\" "
	    "name=\"show\" id=\"show-differ\"><label for=\"show-differ\">"
	    "Targets differ</label><input type=\"radio\" name=\"show\" "
	    "id=\"show-problems\"><label for=\"show-problems\">Problems only"
	    "</label></div>\n", f);
	if ((rows = rows_build(r, &nrows)) == NULL) {
		fputs("<p>Out of memory.</p></section>\n", f);
		return;
	}
	head(f, r);
	for (i = 0; i < nrows; i++) {
		n = result_case_topic(rows[i].first, &tp);
		for (seen = 0, k = 0; k < i && !seen; k++) {
			m = result_case_topic(rows[k].first, &tq);
			seen = m == n && memcmp(tp, tq, n) == 0;
		}
		if (seen)
			continue;
		fprintf(f, "<tr class=\"grp\"><th colspan=\"%zu\">",
		    r->ntargets + 1);
		report_esc_n(f, n > 0 ? tp : "(no topic)", n > 0 ? n : 10);
		fputs("</th></tr>\n", f);
		for (j = i; j < nrows; j++) {
			m = result_case_topic(rows[j].first, &tq);
			if (m == n && memcmp(tp, tq, n) == 0)
				row(f, h, &rows[j]);
		}
	}
	fputs("</tbody>", f);
	totals(f, r);
	fputs("</table></div>\n</section>\n", f);
	rows_free(rows, nrows);
}
