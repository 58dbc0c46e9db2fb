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
	size_t		 ti;		/* where first is: for the order */
	size_t		 ci;
	size_t		*cis;		/* per target, NONE when not run */
};

/* A case of some target, for sorting all of them by id. */
struct ent {
	const struct case_result *c;
	size_t		 ti;
	size_t		 ci;
};

static const char *id_of(const struct case_result *);
static int	 ent_cmp(const void *, const void *);
static int	 row_cmp(const void *, const void *);
static struct mrow *rows_build(const struct run *, size_t *);
static void	 rows_free(struct mrow *, size_t);
static void	 row(FILE *, const struct html_ctx *, const struct mrow *);
static void	 head(FILE *, const struct run *);
static void	 totals(FILE *, const struct run *);

static const char *
id_of(const struct case_result *c)
{
	return c->id != NULL ? c->id : "";
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	int c;

	if ((c = strcmp(id_of(x->c), id_of(y->c))) != 0)
		return c;
	if (x->ti != y->ti)
		return x->ti < y->ti ? -1 : 1;
	return x->ci < y->ci ? -1 : x->ci > y->ci;
}

/* Rows by topic, then in the order their first case ran. */
static int
row_cmp(const void *a, const void *b)
{
	const struct mrow *x = a, *y = b;
	int c;

	if ((c = html_topic_cmp(x->first, y->first)) != 0)
		return c;
	if (x->ti != y->ti)
		return x->ti < y->ti ? -1 : 1;
	return x->ci < y->ci ? -1 : x->ci > y->ci;
}

/*
 * The union of case ids over all targets: every case sorted by id, equal
 * ids make one row.  O(n log n) in the number of cases.
 */
static struct mrow *
rows_build(const struct run *r, size_t *np)
{
	struct ent *e;
	struct mrow *rows;
	size_t total = 0, n = 0, i, k, ti, ci;

	for (ti = 0; ti < r->ntargets; ti++)
		total += r->targets[ti]->ncases;
	e = calloc(total + 1, sizeof(*e));
	rows = calloc(total + 1, sizeof(*rows));
	if (e == NULL || rows == NULL)
		goto fail;
	for (ti = 0, k = 0; ti < r->ntargets; ti++)
		for (ci = 0; ci < r->targets[ti]->ncases; ci++, k++) {
			e[k].c = r->targets[ti]->cases[ci];
			e[k].ti = ti;
			e[k].ci = ci;
		}
	qsort(e, total, sizeof(*e), ent_cmp);
	for (i = 0; i < total; i++) {
		if (i == 0 || strcmp(id_of(e[i].c), id_of(e[i - 1].c)) != 0) {
			if ((rows[n].cis = malloc(r->ntargets *
			    sizeof(size_t))) == NULL)
				goto fail;
			memset(rows[n].cis, 0xff, r->ntargets * sizeof(size_t));
			rows[n].first = e[i].c;
			rows[n].ti = e[i].ti;
			rows[n++].ci = e[i].ci;
		}
		if (rows[n - 1].cis[e[i].ti] == NONE)
			rows[n - 1].cis[e[i].ti] = e[i].ci;
	}
	free(e);
	qsort(rows, n, sizeof(*rows), row_cmp);
	*np = n;
	return rows;
fail:
	free(e);
	rows_free(rows, n);
	return NULL;
}

static void
rows_free(struct mrow *rows, size_t n)
{
	size_t i;

	for (i = 0; rows != NULL && i < n; i++)
		free(rows[i].cis);
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
		c = m->cis[ti] == NONE ? NULL :
		    r->targets[ti]->cases[m->cis[ti]];
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
		if (m->cis[ti] == NONE) {
			fputs("<td class=\"cid\">not run</td>", f);
			continue;
		}
		c = r->targets[ti]->cases[m->cis[ti]];
		fprintf(f, "<td><a class=\"badge v-%s\" href=\"",
		    verdict_name(c->verdict));
		report_href(f, NULL, h->paths[ti][m->cis[ti]]);
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
	const char *tp;
	size_t nrows = 0, i, n;

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
		if (i == 0 || !html_same_topic(rows[i - 1].first,
		    rows[i].first)) {
			n = result_case_topic(rows[i].first, &tp);
			fprintf(f, "<tr class=\"grp\"><th colspan=\"%zu\">",
			    r->ntargets + 1);
			report_esc_n(f, n > 0 ? tp : "(no topic)",
			    n > 0 ? n : 10);
			fputs("</th></tr>\n", f);
		}
		row(f, h, &rows[i]);
	}
	fputs("</tbody>", f);
	totals(f, r);
	fputs("</table></div>\n</section>\n", f);
	rows_free(rows, nrows);
}
