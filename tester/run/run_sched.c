/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_sched.c: the cases of one family against one runner (a batch): which
 * attempt starts next, retries and --repeat runs, the verdict of each case
 * from its attempts and the baseline, its entry in the results, its pcap,
 * and the progress line.
 *
 * Each case of each family is one entry of the results model; its attempts
 * (retries after an inconclusive or timing-only miss, and --repeat runs)
 * are recorded in it, and the attempt whose verdict became the case's
 * verdict gives it its segments, diffs and pcap.  One attempt of a case
 * runs at a time; different cases run in parallel (-j), and the batches of
 * both families run at the same time (run_batch_run_many()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_util.h"
#include "run_int.h"
#include "text.h"
#include "wire.h"

static struct rcase *sched_next(void *, struct runner *);
static void	sched_done(void *, struct rcase *);
static void	finalize(struct run_batch *, struct jcase *);
static void	take_attempt(struct case_result *, struct case_result *);
static void	fill_case(struct run_batch *, struct jcase *);
static void	pcap_path(struct run_batch *, struct jcase *, int, char *,
		    size_t);
static void	progress(struct run_batch *, const struct jcase *);
static void	baseline(struct run_batch *, const struct jcase *,
		    struct case_result *, enum verdict);

/* ANSI colours of the verdicts on a terminal ("" for none). */
const char *
run_verdict_color(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS:
		return "\033[32m";
	case VERDICT_FAIL:
	case VERDICT_XPASS:
		return "\033[31m";
	case VERDICT_WARN:
	case VERDICT_INCONCLUSIVE:
	case VERDICT_FLAKY:
		return "\033[33m";
	case VERDICT_ERROR:
		return "\033[35m";
	default:
		return "";
	}
}

static struct rcase *
sched_next(void *arg, struct runner *rn)
{
	struct run_batch *rs = arg;
	struct jcase *j;
	struct rcase *rc;
	char path[1024];
	size_t i;

	for (i = 0; i < rs->n; i++) {
		j = &rs->jc[i];
		if (j->finished || j->running)
			continue;
		j->running = 1;
		rc = rcase_new(rn, j->rcs, result_case_add(rs->st),
		    (int)j->ntries);
		rc->na_why = run_expect_na(rs->expect, j->rcs->id,
		    rs->family);
		if (rs->outdir != NULL) {
			pcap_path(rs, j, (int)j->ntries, path, sizeof(path));
			rc->pcap_path = strdup(path);
		}
		rc->rn->log = rs->log;
		return rc;
	}
	return NULL;
}

static void
pcap_path(struct run_batch *rs, struct jcase *j, int attempt, char *buf,
    size_t cap)
{
	if (attempt < 0)
		snprintf(buf, cap, "%s/pcaps/%s/%s.pcap", rs->outdir,
		    rs->famtag, j->slug);
	else
		snprintf(buf, cap, "%s/pcaps/%s/%s.%d.pcap", rs->outdir,
		    rs->famtag, j->slug, attempt);
}

/* An attempt ended: judge it, retry or repeat it, or finish the case. */
static void
sched_done(void *arg, struct rcase *rc)
{
	struct run_batch *rs = arg;
	struct runner *rn = rc->rn;
	struct jcase *j = NULL;
	char why[200];
	enum verdict v;
	size_t i;
	int retry;

	for (i = 0; i < rs->n && j == NULL; i++)
		if (rs->jc[i].rcs == rc->rcs)
			j = &rs->jc[i];
	j->running = 0;
	v = run_classify(&rc->oc, rc->rn->noisy, &retry);
	rc->res->verdict = v;
	result_set(&rc->res->reason, rc->oc.reason);
	if (rc->dump != NULL) {
		wire_dump_close(rc->dump, 1, NULL);
		rc->dump = NULL;
	}
	if ((j->tries = reallocarray(j->tries, j->ntries + 1,
	    sizeof(*j->tries))) == NULL)
		abort();
	j->tries[j->ntries++] = rc->res;
	j->att[j->natt++] = v;
	rcase_free(rc);
	if (retry && j->natt < 1 + RUN_RETRIES)
		return;
	j->reps[j->rep++] = run_aggregate(j->att, (size_t)j->natt, 1, why,
	    sizeof(why));
	if (why[0] != '\0')
		result_set(&j->why, why);
	j->natt = 0;
	if (j->rep < rs->o->repeat)
		return;
	finalize(rs, j);
	if (rs->nfinished == rs->n)
		rs->ended = runner_now(rn);
}

/* Move an attempt's evidence into the case's entry. */
static void
take_attempt(struct case_result *cr, struct case_result *a)
{
	struct case_result tmp = *cr;

	cr->segs = a->segs;
	cr->nsegs = a->nsegs;
	cr->diffs = a->diffs;
	cr->ndiffs = a->ndiffs;
	cr->meas = a->meas;
	cr->nmeas = a->nmeas;
	cr->mismatch_seg = a->mismatch_seg;
	cr->duration_us = a->duration_us;
	a->segs = tmp.segs;
	a->nsegs = tmp.nsegs;
	a->diffs = tmp.diffs;
	a->ndiffs = tmp.ndiffs;
	a->meas = tmp.meas;
	a->nmeas = tmp.nmeas;
}

static void
finalize(struct run_batch *rs, struct jcase *j)
{
	struct case_result *cr = j->cr, *pick = NULL;
	char why[200], from[1024], to[1024], *r;
	enum verdict v;
	size_t i, k = 0;

	v = run_aggregate(j->reps, (size_t)rs->o->repeat, 0, why, sizeof(why));
	for (i = 0; i < j->ntries; i++)
		if (j->tries[i]->verdict == v ||
		    (v == VERDICT_FLAKY && j->tries[i]->verdict != VERDICT_PASS))
			k = i, pick = j->tries[i];
	if (pick == NULL)
		pick = j->tries[k = j->ntries - 1];
	take_attempt(cr, pick);
	cr->verdict = v;
	if (asprintf(&r, "%s%s%s", why[0] ? why : j->why != NULL ? j->why :
	    "", (why[0] || j->why != NULL) && pick->reason ? ": " : "",
	    pick->reason != NULL ? pick->reason : "") < 0)
		abort();
	free(cr->reason);
	cr->reason = r[0] != '\0' ? r : (free(r), NULL);
	if (j->ntries > 1)
		for (i = 0; i < j->ntries; i++)
			result_attempt_add(cr, j->tries[i]->verdict,
			    j->tries[i]->duration_us, j->tries[i]->reason);
	baseline(rs, j, cr, v);
	if (rs->outdir != NULL) {
		for (i = 0; i < j->ntries; i++) {
			pcap_path(rs, j, (int)i, from, sizeof(from));
			if (i != k)
				unlink(from);
		}
		pcap_path(rs, j, (int)k, from, sizeof(from));
		pcap_path(rs, j, -1, to, sizeof(to));
		if (rename(from, to) == 0)
			result_set(&cr->pcap, to + strlen(rs->outdir) + 1);
	}
	j->finished = 1;
	rs->counts[cr->verdict]++;
	rs->nfinished++;
	progress(rs, j);
}

/*
 * The baseline: --expect, or with --kind linux the case's own "linux"
 * line (a fail or warn it expects on Linux).  A verdict it names becomes
 * xfail, a pass xpass.
 */
static void
baseline(struct run_batch *rs, const struct jcase *j, struct case_result *cr,
    enum verdict v)
{
	const struct case_prog *p = j->rcs->prog;
	const char *why = NULL, *from = "the baseline";
	enum verdict lv;
	char *r;

	cr->verdict = run_expect_apply(rs->expect, j->rcs->id, rs->family, v,
	    &why);
	if (cr->verdict == v && rs->o->kind != NULL &&
	    strcmp(rs->o->kind, "linux") == 0 &&
	    (p->linux_verdict == CASE_V_FAIL ||
	    p->linux_verdict == CASE_V_WARN)) {
		lv = p->linux_verdict == CASE_V_FAIL ? VERDICT_FAIL :
		    VERDICT_WARN;
		cr->verdict = v == lv ? VERDICT_XFAIL : v == VERDICT_PASS ?
		    VERDICT_XPASS : v;
		why = p->linux_reason;
		from = "the case's \"linux\" line";
	}
	if (cr->verdict == v)
		return;
	if (asprintf(&r, "%s %s%s%s%s%s%s", cr->verdict == VERDICT_XFAIL ?
	    "expected by" : "passed, but a failure is expected by", from,
	    why != NULL ? " (" : "", why != NULL ? why : "",
	    why != NULL ? ")" : "", cr->verdict == VERDICT_XFAIL &&
	    cr->reason != NULL ? ": " : "", cr->verdict == VERDICT_XFAIL &&
	    cr->reason != NULL ? cr->reason : "") < 0)
		abort();
	free(cr->reason);
	cr->reason = r;
}

static void
fill_case(struct run_batch *rs, struct jcase *j)
{
	const struct case_prog *p = j->rcs->prog;
	struct case_result *cr;
	char sect[64];
	const char *slash;
	int i;

	cr = j->cr = result_case_add(rs->t);
	cr->mismatch_seg = -1;
	result_set(&cr->id, j->rcs->id);
	result_set(&cr->title, p->title);
	result_set(&cr->file, p->path);
	if ((slash = strchr(j->rcs->id, '/')) != NULL &&
	    (cr->topic = strndup(j->rcs->id, (size_t)(slash -
	    j->rcs->id))) == NULL)
		abort();
	for (i = 0; i < p->ntags; i++)
		result_tag_add(cr, p->tags[i]);
	for (i = 0; i < p->nreqs; i++) {
		snprintf(sect, sizeof(sect), "%s%s%s", p->reqs[i]->rfc,
		    p->reqs[i]->section[0] ? " " : "", p->reqs[i]->section);
		result_req_add(cr, p->reqs[i]->id, sect, p->reqs[i]->keyword,
		    p->reqs[i]->text);
	}
	if ((j->reps = calloc((size_t)rs->o->repeat, sizeof(*j->reps))) ==
	    NULL)
		abort();
}

/*
 * A line per case (-v), and the progress line: with both families running
 * at once it counts the cases of both ("v4+v6").
 */
static void
progress(struct run_batch *rs, const struct jcase *j)
{
	const struct case_result *cr = j->cr;
	const struct run_batch *sb = rs->sib;
	const char *c = rs->color ? run_verdict_color(cr->verdict) : "";
	size_t cnt[VERDICT_N], done, n;
	int v;

	if (rs->out != NULL && rs->progress)
		fputs("\r\033[K", stderr);
	if (rs->out != NULL) {
		/* The reason may quote the target or the agent: escaped. */
		fprintf(rs->out, "%s%-12s%s ", c, verdict_label(cr->verdict),
		    *c ? "\033[0m" : "");
		text_term(rs->out, cr->id);
		fprintf(rs->out, " [%s]%s", rs->famtag, cr->reason ? "  " : "");
		text_term(rs->out, cr->reason);
		fputc('\n', rs->out);
	}
	if (!rs->progress)
		return;
	for (v = 0; v < VERDICT_N; v++)
		cnt[v] = rs->counts[v] + (sb != NULL ? sb->counts[v] : 0);
	done = rs->nfinished + (sb != NULL ? sb->nfinished : 0);
	n = rs->n + (sb != NULL ? sb->n : 0);
	fprintf(stderr, "\r\033[K[%zu/%zu %s] pass %zu  fail %zu  warn %zu  "
	    "other %zu  %s", done, n, sb != NULL ? "v4+v6" : rs->famtag,
	    cnt[VERDICT_PASS], cnt[VERDICT_FAIL] + cnt[VERDICT_XPASS],
	    cnt[VERDICT_WARN], done - cnt[VERDICT_PASS] - cnt[VERDICT_FAIL] -
	    cnt[VERDICT_XPASS] - cnt[VERDICT_WARN], cr->id);
	if (done == n)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

void
run_batch_init(struct run_batch *b, const struct run_opts *o,
    const struct run_caselist *cl, struct target *t, int family)
{
	const char **ids;
	char **slugs;
	size_t i;

	memset(b, 0, sizeof(*b));
	b->o = o;
	b->cl = cl;
	b->t = t;
	b->family = family;
	b->famtag = family == AF_INET ? "v4" : "v6";
	b->scratch = result_run_new();
	b->st = result_target_add(b->scratch);
	b->n = cl->n;
	if ((b->jc = calloc(b->n ? b->n : 1, sizeof(*b->jc))) == NULL)
		abort();
	/* "x y", "x-y" and "x/y" slugify alike: one pcap each all the same. */
	if ((ids = calloc(b->n + 1, sizeof(*ids))) == NULL ||
	    (slugs = calloc(b->n + 1, sizeof(*slugs))) == NULL)
		abort();
	for (i = 0; i < b->n; i++)
		ids[i] = cl->v[i].id;
	if (report_slugs(ids, b->n, slugs) == -1)
		abort();
	for (i = 0; i < b->n; i++) {
		b->jc[i].rcs = &cl->v[i];
		b->jc[i].slug = slugs[i];
		fill_case(b, &b->jc[i]);
	}
	free(ids);
	free(slugs);
}

/*
 * Run every case of the batch.  Cases the run never got to (it stopped:
 * the network failed, or it was interrupted) are recorded as skipped, so
 * that no entry is left with a verdict it did not earn.
 */
int
run_batch_run(struct run_batch *b, struct runner *rn)
{
	return run_batch_run_many(&b, &rn, 1);
}

/* Several batches (one per family) at once, each with its runner. */
int
run_batch_run_many(struct run_batch **bs, struct runner **rns, int n)
{
	struct run_sched sched[2];
	const struct run_sched *sp[2];
	size_t i;
	int k, rc;

	if (n > 2)
		abort();
	for (k = 0; k < n; k++) {
		sched[k].next = sched_next;
		sched[k].done = sched_done;
		sched[k].arg = bs[k];
		sp[k] = &sched[k];
		bs[k]->sib = n == 2 ? bs[1 - k] : NULL;
	}
	rc = runner_loop_many(rns, sp, n);
	for (k = 0; k < n; k++) {
		struct run_batch *b = bs[k];

		b->sib = NULL;
		for (i = 0; i < b->n; i++) {
			if (b->jc[i].finished)
				continue;
			b->jc[i].cr->verdict = VERDICT_SKIP;
			result_set(&b->jc[i].cr->reason, rns[k]->fatal !=
			    NULL ? "not run: the run stopped" : "not run");
			b->jc[i].finished = 1;
		}
	}
	return rc;
}

void
run_batch_free(struct run_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->jc[i].reps);
		free(b->jc[i].tries);
		free(b->jc[i].why);
		free(b->jc[i].slug);
	}
	free(b->jc);
	result_run_free(b->scratch);
	memset(b, 0, sizeof(*b));
}
