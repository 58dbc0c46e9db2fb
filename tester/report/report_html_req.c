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
#include <strings.h>

#include "report_html.h"
#include "report_util.h"

struct use {
	const struct req_ref *q;
	size_t		 ti;
	size_t		 ci;
};

/* One requirement: its id, the best description known, who checks it. */
struct rq {
	const char	*id;
	const struct req_ref *ref;
	struct use	*uses;		/* into the sorted array of all uses */
	size_t		 nuses;
};

/* What the requirement view needs, built in O(n log n). */
struct reqs {
	struct use	*uses;		/* every (requirement, case), by id */
	struct rq	*rqs;		/* one per distinct id, sorted */
	size_t		 nrqs;
	const struct req_ref **known;	/* the catalogue, sorted by id */
	size_t		 nknown;
};

static int	 id_cmp(const char *, const char *);
static int	 use_cmp(const void *, const void *);
static int	 known_cmp(const void *, const void *);
static const struct req_ref *known(const struct reqs *, const char *);
static const struct rq *covered(const struct reqs *, const char *);
static int	 reqs_build(const struct run *, struct reqs *);
static void	 reqs_free(struct reqs *);
static void	 rq_row(FILE *, const struct html_ctx *, const struct rq *);
static void	 uncovered(FILE *, const struct run *, const struct reqs *);
static enum req_level known_level(const char *);
static void	 coverage(FILE *, const struct run *, const struct reqs *);

/* Natural order (MUST-9 before MUST-10), made total by strcmp. */
static int
id_cmp(const char *a, const char *b)
{
	int c;

	if ((c = text_natcmp(a, b)) != 0)
		return c;
	return strcmp(a, b);
}

static int
use_cmp(const void *a, const void *b)
{
	const struct use *x = a, *y = b;
	int c;

	if ((c = id_cmp(x->q->id, y->q->id)) != 0)
		return c;
	if (x->ti != y->ti)
		return x->ti < y->ti ? -1 : 1;
	return x->ci < y->ci ? -1 : x->ci > y->ci;
}

static int
known_cmp(const void *a, const void *b)
{
	return id_cmp((*(const struct req_ref *const *)a)->id,
	    (*(const struct req_ref *const *)b)->id);
}

/* The catalogue's entry for id, or NULL: a binary search. */
static const struct req_ref *
known(const struct reqs *q, const char *id)
{
	size_t lo = 0, hi = q->nknown, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = id_cmp(id, q->known[mid]->id)) == 0)
			return q->known[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The requirement id as the cases check it, or NULL. */
static const struct rq *
covered(const struct reqs *q, const char *id)
{
	size_t lo = 0, hi = q->nrqs, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = id_cmp(id, q->rqs[mid].id)) == 0)
			return &q->rqs[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int
reqs_build(const struct run *r, struct reqs *q)
{
	const struct case_result *c;
	const struct req_ref *k;
	size_t n = 0, ti, ci, i;

	memset(q, 0, sizeof(*q));
	for (ti = 0; ti < r->ntargets; ti++)
		for (ci = 0; ci < r->targets[ti]->ncases; ci++)
			n += r->targets[ti]->cases[ci]->nreqs;
	q->uses = calloc(n + 1, sizeof(*q->uses));
	q->rqs = calloc(n + 1, sizeof(*q->rqs));
	q->known = calloc(r->nknown + 1, sizeof(*q->known));
	if (q->uses == NULL || q->rqs == NULL || q->known == NULL)
		return -1;
	for (n = 0, ti = 0; ti < r->ntargets; ti++)
		for (ci = 0; ci < r->targets[ti]->ncases; ci++) {
			c = r->targets[ti]->cases[ci];
			for (i = 0; i < c->nreqs; i++)
				if (c->reqs[i].id != NULL) {
					q->uses[n].q = &c->reqs[i];
					q->uses[n].ti = ti;
					q->uses[n++].ci = ci;
				}
		}
	qsort(q->uses, n, sizeof(*q->uses), use_cmp);
	for (i = 0; i < r->nknown; i++)
		if (r->known_reqs[i].id != NULL)
			q->known[q->nknown++] = &r->known_reqs[i];
	qsort(q->known, q->nknown, sizeof(*q->known), known_cmp);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(q->uses[i].q->id,
		    q->uses[i - 1].q->id) != 0) {
			q->rqs[q->nrqs].id = q->uses[i].q->id;
			k = known(q, q->uses[i].q->id);
			q->rqs[q->nrqs].ref = k != NULL ? k : q->uses[i].q;
			q->rqs[q->nrqs++].uses = &q->uses[i];
		}
		q->rqs[q->nrqs - 1].nuses++;
	}
	return 0;
}

static void
reqs_free(struct reqs *q)
{
	free(q->uses);
	free(q->rqs);
	free(q->known);
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
uncovered(FILE *f, const struct run *r, const struct reqs *q)
{
	const struct req_ref *k;
	size_t i, missing = 0;

	for (i = 0; i < r->nknown; i++) {
		k = &r->known_reqs[i];
		if (k->id == NULL || covered(q, k->id) != NULL)
			continue;
		if (missing++ == 0)
			fputs("<h3>Not covered</h3>\n<p class=\"note\">"
			    "Requirements of the catalogue that no case in "
			    "this report checks (hover for what they ask):"
			    "</p>\n<ul class=\"uncovered\">", f);
		fputs("<li title=\"", f);
		report_esc_max(f, k->text, 200);
		fputs("\"><code>", f);
		report_esc_max(f, k->id, 40);
		fputs("</code> ", f);
		report_esc_max(f, k->keyword, 12);
		fputs("</li>", f);
	}
	if (missing > 0)
		fputs("</ul>\n", f);
	else if (r->nknown > 0)
		fputs("<p>Every requirement of the catalogue is covered.</p>\n",
		    f);
}

/*
 * The level of a catalogue entry from its keyword.  Besides RFC 2119's
 * words the catalogue says "procedure" and "MUST (unlabelled)" for RFC
 * 9293's event processing, which binds as a MUST, and "known problem" or
 * "informational" for RFCs 2525, 1337 and 5927, whose advice it counts as
 * SHOULD (case_reqs.c).
 */
static enum req_level
known_level(const char *kw)
{
	enum req_level l = req_level(kw);

	if (l != REQ_OTHER || kw == NULL)
		return l;
	if (strncasecmp(kw, "MUST", 4) == 0 || strcasecmp(kw, "procedure") == 0)
		return REQ_MUST;
	if (strcasecmp(kw, "known problem") == 0 ||
	    strcasecmp(kw, "informational") == 0)
		return REQ_SHOULD;
	return REQ_OTHER;
}

/*
 * Per RFC and level: how many requirements of the catalogue (those a peer
 * can see on the wire: the runner leaves out the rest) the cases of this
 * report check.  Rows in the catalogue's order of first appearance.
 */
static void
coverage(FILE *f, const struct run *r, const struct reqs *q)
{
	static const char *const lname[] = { "other", "MUST", "SHOULD",
	    "MAY" };
	struct cov {
		char		 rfc[16];
		enum req_level	 lvl;
		size_t		 known, checked;
	} *rows;
	const struct req_ref *k;
	size_t i, j, nrows = 0, tk = 0, tc = 0;
	enum req_level lvl;
	char rfc[16];
	int n;

	if (r->nknown == 0 ||
	    (rows = calloc(r->nknown, sizeof(*rows))) == NULL)
		return;
	for (i = 0; i < r->nknown; i++) {
		k = &r->known_reqs[i];
		if (k->id == NULL)
			continue;
		n = 0;
		if (k->section == NULL ||
		    sscanf(k->section, "RFC %10[0-9]%n", rfc + 4, &n) != 1)
			snprintf(rfc, sizeof(rfc), "other");
		else
			memcpy(rfc, "RFC ", 4);
		lvl = known_level(k->keyword);
		for (j = 0; j < nrows; j++)
			if (rows[j].lvl == lvl && strcmp(rows[j].rfc, rfc) == 0)
				break;
		if (j == nrows) {
			snprintf(rows[j].rfc, sizeof(rows[j].rfc), "%s", rfc);
			rows[j].lvl = lvl;
			nrows++;
		}
		rows[j].known++;
		tk++;
		if (covered(q, k->id) != NULL) {
			rows[j].checked++;
			tc++;
		}
	}
	fputs("<h3>Coverage by RFC and keyword</h3>\n<p class=\"note\">"
	    "Requirements a peer can see on the wire, and how many of them "
	    "the cases of this report check.  Checked is not proven: a "
	    "requirement is proven when a fault that breaks it makes a case "
	    "fail.</p>\n<table class=\"coverage\"><thead><tr><th>RFC</th>"
	    "<th>Keyword</th><th>On the wire</th><th>Checked here</th>"
	    "</tr></thead><tbody>\n", f);
	for (j = 0; j < nrows; j++) {
		fputs("<tr><td>", f);
		report_esc(f, rows[j].rfc);
		fprintf(f, "</td><td>%s</td><td>%zu</td><td>%zu</td></tr>\n",
		    lname[rows[j].lvl], rows[j].known, rows[j].checked);
	}
	fprintf(f, "<tr><th colspan=\"2\">All</th><th>%zu</th><th>%zu"
	    "</th></tr>\n</tbody></table>\n", tk, tc);
	free(rows);
}

void
html_requirements(FILE *f, const struct html_ctx *h)
{
	const struct run *r = h->run;
	struct reqs q;
	size_t i, covered_known = 0;

	fputs("<section id=\"requirements\"><h2>Requirements</h2>\n", f);
	if (reqs_build(r, &q) == -1) {
		reqs_free(&q);
		fputs("<p>Out of memory.</p></section>\n", f);
		return;
	}
	for (i = 0; i < q.nrqs; i++)
		covered_known += known(&q, q.rqs[i].id) != NULL;
	fprintf(f, "<p class=\"note\">%zu requirement%s checked by the cases "
	    "of this report", q.nrqs, q.nrqs == 1 ? " is" : "s are");
	if (r->nknown > 0)
		fprintf(f, "; %zu of the %zu in the catalogue are covered",
		    covered_known, r->nknown);
	fputs(".</p>\n", f);
	if (q.nrqs > 0) {
		fputs("<div class=\"scroll\"><table><thead><tr><th>ID</th>"
		    "<th>Keyword</th><th>RFC section</th><th>What it asks</th>"
		    "<th>Cases</th></tr></thead><tbody>\n", f);
		for (i = 0; i < q.nrqs; i++)
			rq_row(f, h, &q.rqs[i]);
		fputs("</tbody></table></div>\n", f);
	}
	coverage(f, r, &q);
	uncovered(f, r, &q);
	fputs("</section>\n", f);
	reqs_free(&q);
}
