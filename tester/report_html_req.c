/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_html_req.c: the requirement view: every requirement the cases
 * check, sorted by id, with the cases that check it and their verdicts on
 * each target; then the requirements of the catalogue no case covers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"
#include "report_util.h"

struct use {
	size_t		 ti;
	size_t		 ci;
};

/* One requirement: its id, the best description known, who checks it. */
struct rq {
	const char	*id;
	const struct req_ref *ref;
	struct use	*uses;
	size_t		 nuses;
	size_t		 cap;
};

static const struct req_ref *known(const struct run *, const char *);
static int	 rq_add(struct rq **, size_t *, const struct req_ref *,
		    size_t, size_t);
static int	 rq_build(const struct run *, struct rq **, size_t *);
static void	 rq_free(struct rq *, size_t);
static int	 rq_cmp(const void *, const void *);
static void	 rq_row(FILE *, const struct html_ctx *, const struct rq *);
static void	 uncovered(FILE *, const struct run *, const struct rq *,
		    size_t);

static const struct req_ref *
known(const struct run *r, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < r->nknown; i++)
		if (r->known_reqs[i].id != NULL &&
		    strcmp(r->known_reqs[i].id, id) == 0)
			return &r->known_reqs[i];
	return NULL;
}

static int
rq_add(struct rq **rqs, size_t *n, const struct req_ref *q, size_t ti,
    size_t ci)
{
	struct rq *e;
	void *p;
	size_t k;

	for (k = 0; k < *n && strcmp((*rqs)[k].id, q->id) != 0; k++)
		;
	if (k == *n) {
		if ((p = realloc(*rqs, (*n + 1) * sizeof(**rqs))) == NULL)
			return -1;
		*rqs = p;
		memset(&(*rqs)[k], 0, sizeof(**rqs));
		(*rqs)[k].id = q->id;
		(*rqs)[k].ref = q;
		(*n)++;
	}
	e = &(*rqs)[k];
	if (e->nuses == e->cap) {
		e->cap = e->cap == 0 ? 4 : e->cap * 2;
		if ((p = realloc(e->uses, e->cap * sizeof(*e->uses))) == NULL)
			return -1;
		e->uses = p;
	}
	e->uses[e->nuses].ti = ti;
	e->uses[e->nuses++].ci = ci;
	return 0;
}

/* O(cases x requirements), a few hundred thousand comparisons at most. */
static int
rq_build(const struct run *r, struct rq **rqp, size_t *np)
{
	const struct case_result *c;
	struct rq *rqs = NULL;
	size_t n = 0, ti, ci, i;

	for (ti = 0; ti < r->ntargets; ti++)
		for (ci = 0; ci < r->targets[ti]->ncases; ci++) {
			c = r->targets[ti]->cases[ci];
			for (i = 0; i < c->nreqs; i++)
				if (c->reqs[i].id != NULL &&
				    rq_add(&rqs, &n, &c->reqs[i], ti, ci) == -1) {
					rq_free(rqs, n);
					return -1;
				}
		}
	for (i = 0; i < n; i++)
		if (known(r, rqs[i].id) != NULL)
			rqs[i].ref = known(r, rqs[i].id);
	if (n > 1)
		qsort(rqs, n, sizeof(*rqs), rq_cmp);
	*rqp = rqs;
	*np = n;
	return 0;
}

static void
rq_free(struct rq *rqs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rqs[i].uses);
	free(rqs);
}

static int
rq_cmp(const void *a, const void *b)
{
	return report_natcmp(((const struct rq *)a)->id,
	    ((const struct rq *)b)->id);
}

static void
rq_row(FILE *f, const struct html_ctx *h, const struct rq *q)
{
	const struct case_result *c;
	size_t i;

	fputs("<tr><td><code>", f);
	report_esc_max(f, q->id, 60);
	fputs("</code></td><td><strong>", f);
	report_esc_max(f, q->ref->keyword, 20);
	fputs("</strong></td><td>", f);
	html_rfc_section(f, q->ref->section);
	fputs("</td><td>", f);
	report_esc_max(f, q->ref->text, 300);
	fputs("</td><td>", f);
	for (i = 0; i < q->nuses; i++) {
		c = h->run->targets[q->uses[i].ti]->cases[q->uses[i].ci];
		fprintf(f, "<div><a class=\"badge v-%s\" href=\"",
		    verdict_name(c->verdict));
		report_href(f, NULL, h->paths[q->uses[i].ti][q->uses[i].ci]);
		fprintf(f, "\">%s</a> ", verdict_label(c->verdict));
		report_esc_max(f, c->id, 100);
		if (h->run->ntargets > 1) {
			fputs(" <span class=\"cid\">on ", f);
			html_target_name(f, h->run->targets[q->uses[i].ti],
			    q->uses[i].ti);
			fputs("</span>", f);
		}
		fputs("</div>", f);
	}
	fputs("</td></tr>\n", f);
}

static void
uncovered(FILE *f, const struct run *r, const struct rq *rqs, size_t n)
{
	const struct req_ref *q;
	size_t i, k, missing = 0;

	for (i = 0; i < r->nknown; i++) {
		q = &r->known_reqs[i];
		for (k = 0; q->id != NULL && k < n &&
		    strcmp(rqs[k].id, q->id) != 0; k++)
			;
		if (q->id == NULL || k < n)
			continue;
		if (missing++ == 0)
			fputs("<h3>Not covered</h3>\n<p class=\"note\">"
			    "Requirements of the catalogue that no case in "
			    "this report checks (hover for what they ask):"
			    "</p>\n<ul class=\"uncovered\">", f);
		fputs("<li title=\"", f);
		report_esc_max(f, q->text, 200);
		fputs("\"><code>", f);
		report_esc_max(f, q->id, 40);
		fputs("</code> ", f);
		report_esc_max(f, q->keyword, 12);
		fputs("</li>", f);
	}
	if (missing > 0)
		fputs("</ul>\n", f);
	else if (r->nknown > 0)
		fputs("<p>Every requirement of the catalogue is covered.</p>\n",
		    f);
}

void
html_requirements(FILE *f, const struct html_ctx *h)
{
	const struct run *r = h->run;
	struct rq *rqs = NULL;
	size_t n = 0, i, covered = 0;

	fputs("<section id=\"requirements\"><h2>Requirements</h2>\n", f);
	if (rq_build(r, &rqs, &n) == -1) {
		fputs("<p>Out of memory.</p></section>\n", f);
		return;
	}
	for (i = 0; i < n; i++)
		covered += known(r, rqs[i].id) != NULL;
	fprintf(f, "<p class=\"note\">%zu requirement%s checked by the cases "
	    "of this report", n, n == 1 ? " is" : "s are");
	if (r->nknown > 0)
		fprintf(f, "; %zu of the %zu in the catalogue are covered",
		    covered, r->nknown);
	fputs(".</p>\n", f);
	if (n > 0) {
		fputs("<div class=\"scroll\"><table><thead><tr><th>ID</th>"
		    "<th>Keyword</th><th>RFC section</th><th>What it asks</th>"
		    "<th>Cases</th></tr></thead><tbody>\n", f);
		for (i = 0; i < n; i++)
			rq_row(f, h, &rqs[i]);
		fputs("</tbody></table></div>\n", f);
	}
	uncovered(f, r, rqs, n);
	fputs("</section>\n", f);
	rq_free(rqs, n);
}
