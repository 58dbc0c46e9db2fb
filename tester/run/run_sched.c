/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_sched.c: the cases of one family against one runner (a batch): which
 * attempt starts next, retries and --repeat runs, its entry in the results,
 * its pcap, and the progress line.  The verdicts of attempts and cases,
 * and the baseline, are check/'s (check_judge_attempt(),
 * check_judge_case(), check_baseline()): this file only asks for them.
 *
 * Each case of each family is one entry of the results model; its attempts
 * (retries after an inconclusive or timing-only miss, and --repeat runs)
 * are recorded in it, and the attempt whose verdict became the case's
 * verdict gives it its segments, diffs and pcap.  One attempt of a case
 * runs at a time; different cases run in parallel (-j), and the batches of
 * both families run at the same time (run_batch_run_many()).
 */
#include <sys/ioctl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_util.h"
#include "run_int.h"
#include "text.h"
#include "wire.h"

static struct rcase *sched_next(void *, struct runner *);
/* A case's place in the order cases start in (run_batch_init()). */
struct scored {
	int64_t		 score;
	size_t		 idx;
};

static int64_t	 wait_score(const struct case_prog *);
static int	 cmp_wait(const void *, const void *);
static void	sched_done(void *, struct rcase *);
static void	claim_status(struct rcase *, enum verdict);
static void	finalize(struct run_batch *, struct jcase *, uint64_t);
static void	take_attempt(struct case_result *, struct case_result *);
static void	fill_case(struct run_batch *, struct jcase *);
static void	pcap_path(struct run_batch *, struct jcase *, int, char *,
		    size_t);
static void	progress(struct run_batch *, const struct jcase *, uint64_t);
static void	progress_clear(const struct run_batch *);
static void	progress_draw(struct run_batch *, uint64_t);
static void	sched_tick(void *, struct runner *);
static void	clock_str(uint64_t, char *, size_t);

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

/* A verdict the summary lists under "Needs a look". */
int
run_needs_look(enum verdict v)
{
	return v == VERDICT_FAIL || v == VERDICT_XPASS || v == VERDICT_ERROR ||
	    v == VERDICT_WARN || v == VERDICT_INCONCLUSIVE ||
	    v == VERDICT_FLAKY;
}

/*
 * " cases/x.case:15": where the verdict comes from, the statement that
 * failed (else the case line of the first segment that differs); nothing
 * when neither is known.
 */
void
run_where(FILE *f, const struct case_result *c)
{
	const struct seg_rec *s;

	if (c->file != NULL && c->line > 0) {
		fputc(' ', f);
		text_term(f, c->file);
		fprintf(f, ":%d", c->line);
		return;
	}
	if (c->mismatch_seg < 0 || (size_t)c->mismatch_seg >= c->nsegs)
		return;
	s = c->segs[c->mismatch_seg];
	if (s->expect_line <= 0 || (s->expect_file == NULL && c->file == NULL))
		return;
	fputc(' ', f);
	text_term(f, s->expect_file != NULL ? s->expect_file : c->file);
	fprintf(f, ":%d", s->expect_line);
}

/*
 * The reason as shown after run_where(): without its "line N " when that
 * is the line run_where() named ("cases/x.case:16: (+0 > F. ...): ...").
 */
const char *
run_reason(const struct case_result *c)
{
	char pre[32];
	size_t n;

	if (c->reason == NULL || c->file == NULL || c->line <= 0)
		return c->reason;
	n = (size_t)snprintf(pre, sizeof(pre), "line %d ", c->line);
	return strncmp(c->reason, pre, n) == 0 ? c->reason + n : c->reason;
}

/* The case's comment, each line indented as in a case file: "    # ...". */
void
run_about(FILE *f, const char *about)
{
	const char *p = about, *nl;
	char *line;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if ((line = strndup(p, nl != NULL ? (size_t)(nl - p) :
		    strlen(p))) == NULL)
			return;
		fputs("    # ", f);
		text_term(f, line);
		fputc('\n', f);
		free(line);
		if (nl == NULL)
			break;
		p = nl + 1;
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
		j = &rs->jc[rs->order[i]];
		if (j->finished || j->running)
			continue;
		j->running = 1;
		j->since = runner_now(rn);
		rc = rcase_new(rn, j->rcs, result_case_add(rs->st),
		    (int)j->ntries);
		if (j->natt > 0)
			rc->not_before = j->retry_at;
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

/*
 * A claim case (an optional mechanism, such as an RFC 5961 mitigation):
 * pass is "implemented"; a failure at the case's first '>' line (the
 * mechanism's answer never came; in a matrix cell, the first after the
 * statements that reach the state) is "absent"; a later one (it came, but
 * what it promises did not follow) is "half-done".  The reason says so
 * first, so that every report reads "does not implement ...".
 */
static void
claim_status(struct rcase *rc, enum verdict v)
{
	const struct case_prog *p = rc->prog;
	const struct finding *f;
	const char *st;
	char *r;
	int i, first = -1, at = -1;
	size_t k;

	if (p->claim == NULL || v == VERDICT_ERROR || v == VERDICT_NA ||
	    v == VERDICT_INCONCLUSIVE || v == VERDICT_FLAKY)
		return;
	for (i = p->claim_from; i < p->nstmts && first < 0; i++)
		if (p->stmts[i].kind == CASE_S_PACKET &&
		    p->stmts[i].u.pkt.dir == CASE_DIR_OUT &&
		    !p->stmts[i].u.pkt.negate)
			first = i;
	for (k = 0; k < rc->fnd.n && at < 0; k++) {
		f = &rc->fnd.v[k];
		if (f->st != NULL && (f->kind == FIND_MISMATCH ||
		    f->kind == FIND_MISSING || f->kind == FIND_FORBIDDEN ||
		    f->kind == FIND_TIMING || f->kind == FIND_STATE))
			at = (int)(f->st - p->stmts);
	}
	if (v == VERDICT_PASS)
		st = "implemented";
	else
		st = at >= 0 && at <= first ? "absent" : "half-done";
	result_set(&rc->res->claim, p->claim->name);
	result_set(&rc->res->claim_status, st);
	if (v == VERDICT_PASS)
		return;
	if (asprintf(&r, "claim %s %s: the target %s %s%s%s", p->claim->name,
	    st, st[0] == 'a' ? "does not implement" : "implements only part "
	    "of", p->claim->what, rc->res->reason != NULL ? "; " : "",
	    rc->res->reason != NULL ? rc->res->reason : "") < 0)
		abort();
	free(rc->res->reason);
	rc->res->reason = r;
}

/*
 * When a retry may start.  Off loopback, half a second on: what spoiled
 * the attempt may last a while (the target resolving the peer's link
 * address while the path loses its requests holds every answer back until
 * its next try, a second on), and would spoil attempts run back to back
 * alike.
 */
static uint64_t
retry_at(struct runner *rn)
{
	return rn->tgt.loopback ? 0 : runner_now(rn) + RUN_RETRY_GAP_US;
}

/* An attempt ended: judge it, retry or repeat it, or finish the case. */
static void
sched_done(void *arg, struct rcase *rc)
{
	struct run_batch *rs = arg;
	struct runner *rn = rc->rn;
	struct jcase *j = NULL;
	struct run_att *a;
	enum verdict ev;
	char why[768];
	size_t i;
	int retry, natt_max, kl, settled;

	for (i = 0; i < rs->n && j == NULL; i++)
		if (rs->jc[i].rcs == rc->rcs)
			j = &rs->jc[i];
	j->running = 0;
	/*
	 * Where the path loses datagrams, three attempts that each lost
	 * something (two of them at the same line) come too often to be a
	 * failure of the target's: more attempts, and a pass in any of them
	 * (a target that is at fault fails every one).
	 */
	natt_max = 1 + (rn->lossy > 0 ? RUN_RETRIES_LOSSY : RUN_RETRIES);
	/* Past them only while the failures wait for a third alike. */
	if (j->natt >= natt_max)
		natt_max = j->natt + 1 < RUN_ATT_CAP ? j->natt + 1 :
		    RUN_ATT_CAP;
	a = &j->att[j->natt < natt_max ? j->natt : natt_max - 1];
	check_judge_attempt(rc->res, &rc->fnd, rc->rn->noisy, &retry, a);
	claim_status(rc, rc->res->verdict);
	if (rc->dump != NULL) {
		wire_dump_close(rc->dump, 1, NULL);
		rc->dump = NULL;
	}
	if ((j->tries = reallocarray(j->tries, j->ntries + 1,
	    sizeof(*j->tries))) == NULL)
		abort();
	j->tries[j->ntries++] = rc->res;
	j->natt++;
	rcase_free(rc);
	/*
	 * A doubtful attempt is tried again, unless its verdict is the one
	 * the baseline (or the case's "linux" line) expects: a recorded
	 * deviation needs no confirming, and the retries of one case, one
	 * after another, would set the length of the whole run.  Where the
	 * path (or a noisy one) made the expected failure doubtful, or a
	 * path may have hidden it in a pass (off loopback, a lost segment of
	 * the target's leaves no sign), run_expected_verdict() says when the
	 * attempts settle it.
	 */
	kl = rs->o->kind != NULL && strcmp(rs->o->kind, "linux") == 0;
	settled = run_expected_verdict(j->att, (size_t)j->natt,
	    (size_t)natt_max, check_baseline_mask(rs->expect, j->rcs->id,
	    rs->family, j->rcs->prog, kl), rn->lossy > 0 || !rn->tgt.loopback,
	    &ev, why, sizeof(why));
	/* A pass that one lost segment fakes, confirmed by a second. */
	if (retry && run_fragile_confirmed(j->att, (size_t)(j->natt <
	    natt_max ? j->natt : natt_max)))
		retry = 0;
	if (check_baseline_expects(rs->expect, j->rcs->id, rs->family,
	    j->rcs->prog, kl, j->tries[j->ntries - 1]->verdict))
		settled = -1;
	else if ((settled == 0 || (settled == -1 && retry)) &&
	    j->natt < natt_max) {
		j->retry_at = retry_at(rn);
		return;
	}
	if (settled == -1 && retry && rn->lossy > 0 &&
	    run_retries_more(j->att, (size_t)j->natt, (size_t)natt_max)) {
		j->retry_at = retry_at(rn);
		return;
	}
	j->reps[j->rep++] = settled == 1 ? ev :
	    run_aggregate_retries(j->att, (size_t)j->natt, (size_t)natt_max,
	    why, sizeof(why));
	if (why[0] != '\0')
		result_set(&j->why, why);
	j->natt = 0;
	if (j->rep < rs->o->repeat)
		return;
	finalize(rs, j, runner_now(rn));
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
	cr->line = a->line;
	a->segs = tmp.segs;
	a->nsegs = tmp.nsegs;
	a->diffs = tmp.diffs;
	a->ndiffs = tmp.ndiffs;
	a->meas = tmp.meas;
	a->nmeas = tmp.nmeas;
}

static void
finalize(struct run_batch *rs, struct jcase *j, uint64_t now)
{
	struct case_result *cr = j->cr;
	char from[1024], to[1024];
	size_t i, k;

	k = check_judge_case(cr, j->tries, j->ntries, j->reps,
	    (size_t)rs->o->repeat, j->why);
	take_attempt(cr, j->tries[k]);
	result_set(&cr->claim, j->tries[k]->claim);
	result_set(&cr->claim_status, j->tries[k]->claim_status);
	if (j->ntries > 1)
		for (i = 0; i < j->ntries; i++)
			result_attempt_add(cr, j->tries[i]->verdict,
			    j->tries[i]->duration_us, j->tries[i]->reason);
	check_baseline(cr, rs->expect, j->rcs->id, rs->family, j->rcs->prog,
	    rs->o->kind != NULL && strcmp(rs->o->kind, "linux") == 0);
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
	progress(rs, j, now);
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
	result_set(&cr->about, p->about);
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

/* The progress line as drawn last: one line on stderr for the process. */
static uint64_t	prog_drawn;
static size_t	prog_len;

/* "0:07", "12:03", "1:02:03". */
static void
clock_str(uint64_t us, char *buf, size_t cap)
{
	uint64_t s = us / 1000000;

	if (s >= 3600)
		snprintf(buf, cap, "%llu:%02llu:%02llu",
		    (unsigned long long)(s / 3600),
		    (unsigned long long)(s / 60 % 60),
		    (unsigned long long)(s % 60));
	else
		snprintf(buf, cap, "%llu:%02llu", (unsigned long long)(s / 60),
		    (unsigned long long)(s % 60));
}

/*
 * Take the progress line off the terminal: "\r" and erase to the end of
 * the line, or with TERM=dumb (which knows no escape sequence) spaces over
 * what was drawn.
 */
static void
progress_clear(const struct run_batch *rs)
{
	if (!rs->progress || prog_len == 0)
		return;
	if (rs->dumb)
		fprintf(stderr, "\r%*s\r", (int)prog_len, "");
	else
		fputs("\r\033[K", stderr);
	prog_len = 0;
}

/*
 * The progress line: how many cases are done of how many, the time since
 * the cases started and an estimate of what is left (the time so far per
 * finished case, for the cases not finished), the counts, and what is
 * running now: the case that has run longest with its own time (and which
 * of --repeat's runs it is), and how many others run beside it.  Redrawn
 * at every finished case and at least once a second, so a long case or
 * --repeat never looks hung.  With both families at once it counts both.
 */
static void
progress_draw(struct run_batch *rs, uint64_t now)
{
	const struct run_batch *b[2] = { rs, rs->sib };
	const struct jcase *oldest = NULL;
	size_t cnt[VERDICT_N], done = 0, n = 0, running = 0, i, len, w = 80;
	char el[48], left[48], his[48], *line = NULL;
	uint64_t t0 = rs->t0, spent;
	struct winsize ws;
	FILE *f;
	int k, v;

	memset(cnt, 0, sizeof(cnt));
	for (k = 0; k < 2 && b[k] != NULL; k++) {
		for (v = 0; v < VERDICT_N; v++)
			cnt[v] += b[k]->counts[v];
		done += b[k]->nfinished;
		n += b[k]->n;
		if (b[k]->t0 < t0)
			t0 = b[k]->t0;
		for (i = 0; i < b[k]->n; i++) {
			if (!b[k]->jc[i].running)
				continue;
			running++;
			if (oldest == NULL || b[k]->jc[i].since < oldest->since)
				oldest = &b[k]->jc[i];
		}
	}
	spent = now > t0 ? now - t0 : 0;
	clock_str(spent, el, sizeof(el));
	if (done > 0 && done < n)
		clock_str(spent / done * (n - done), left, sizeof(left));
	if ((f = open_memstream(&line, &len)) == NULL)
		return;
	fprintf(f, "[%zu/%zu %s] %s", done, n, rs->sib != NULL ? "v4+v6" :
	    rs->famtag, el);
	if (done > 0 && done < n)
		fprintf(f, ", ~%s left", left);
	fprintf(f, "  pass %zu fail %zu warn %zu other %zu",
	    cnt[VERDICT_PASS], cnt[VERDICT_FAIL] + cnt[VERDICT_XPASS],
	    cnt[VERDICT_WARN], done - cnt[VERDICT_PASS] - cnt[VERDICT_FAIL] -
	    cnt[VERDICT_XPASS] - cnt[VERDICT_WARN]);
	if (oldest != NULL) {
		clock_str(now > oldest->since ? now - oldest->since : 0, his,
		    sizeof(his));
		fputs("  running ", f);
		text_term(f, oldest->rcs->id);
		fprintf(f, " %s", his);
		if (rs->o->repeat > 1)
			fprintf(f, " (run %d/%d)", oldest->rep + 1,
			    rs->o->repeat);
		if (running > 1)
			fprintf(f, " +%zu", running - 1);
	}
	if (fclose(f) != 0) {
		free(line);
		return;
	}
	/* One line, never wrapped: cut at the terminal's width. */
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		w = ws.ws_col;
	len = strlen(line);
	if (len > w - 1) {
		len = w - 1;
		while (len > 0 && ((unsigned char)line[len] & 0xc0) == 0x80)
			len--;
	}
	if (rs->dumb)
		fprintf(stderr, "\r%.*s%*s", (int)len, line, prog_len > len ?
		    (int)(prog_len - len) : 0, "");
	else
		fprintf(stderr, "\r%.*s\033[K", (int)len, line);
	prog_len = len;
	prog_drawn = now;
	free(line);
	if (done == n)
		progress_clear(rs);
	fflush(stderr);
}

/* Each turn of the loop: redraw the line when it is 200 ms old. */
static void
sched_tick(void *arg, struct runner *rn)
{
	struct run_batch *rs = arg;
	uint64_t now = runner_now(rn);

	/* With both families at once, the first one draws. */
	if (!rs->progress || (rs->sib != NULL && rs->sib < rs))
		return;
	if (now - prog_drawn >= 200000 || now < prog_drawn)
		progress_draw(rs, now);
}

/* A line per case (-v) above the progress line, and the line redrawn. */
static void
progress(struct run_batch *rs, const struct jcase *j, uint64_t now)
{
	const struct case_result *cr = j->cr;
	const char *c = rs->color ? run_verdict_color(cr->verdict) : "";

	if (rs->out != NULL) {
		progress_clear(rs);
		/* The reason may quote the target or the agent: escaped. */
		fprintf(rs->out, "%s%-12s%s ", c, verdict_label(cr->verdict),
		    *c ? "\033[0m" : "");
		text_term(rs->out, cr->id);
		fprintf(rs->out, " [%s]", rs->famtag);
		if (run_needs_look(cr->verdict))
			run_where(rs->out, cr);
		fputs(cr->reason ? "  " : "", rs->out);
		text_term(rs->out, run_needs_look(cr->verdict) ?
		    run_reason(cr) : cr->reason);
		fputc('\n', rs->out);
		/* What the rule is, in the case's own words. */
		if (run_needs_look(cr->verdict) && cr->about != NULL)
			run_about(rs->out, cr->about);
		fflush(rs->out);
	}
	if (rs->progress)
		progress_draw(rs, now);
}

void
run_batch_init(struct run_batch *b, const struct run_opts *o,
    const struct run_caselist *cl, struct target *t, int family)
{
	const char **ids;
	char **slugs;
	struct scored *scored;
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
	/*
	 * The cases that may wait longest on the target's timers start
	 * first, so that the run takes little more than its longest case
	 * rather than that case after all the others.
	 */
	if ((b->order = calloc(b->n ? b->n : 1, sizeof(*b->order))) == NULL ||
	    (scored = calloc(b->n ? b->n : 1, sizeof(*scored))) == NULL)
		abort();
	for (i = 0; i < b->n; i++) {
		scored[i].score = wait_score(cl->v[i].prog);
		scored[i].idx = i;
	}
	qsort(scored, b->n, sizeof(*scored), cmp_wait);
	for (i = 0; i < b->n; i++)
		b->order[i] = scored[i].idx;
	free(scored);
}

/*
 * How long a case may wait on the target's timers, by its program: the
 * widest window of its '>' lines (in seconds; a bound in RTTs or gaps
 * counts as a second, a timer's) plus its sleeps.  An estimate for the
 * order cases start in, nothing more.
 */
static int64_t
wait_score(const struct case_prog *p)
{
	const struct case_stmt *st;
	int64_t w, widest = 0, sleeps = 0;
	int i;

	for (i = 0; p != NULL && i < p->nstmts; i++) {
		st = &p->stmts[i];
		if (st->kind == CASE_S_SLEEP)
			sleeps += st->u.duration;
		if (st->kind != CASE_S_PACKET || st->u.pkt.dir != CASE_DIR_OUT ||
		    (st->time.kind != CASE_T_REL && st->time.kind != CASE_T_ABS))
			continue;
		w = st->time.hi_unit == CASE_U_SEC ? st->time.hi : 1000000;
		if (w > widest)
			widest = w;
	}
	return widest + sleeps;
}

/* Longest wait first; in catalogue order among equals. */
static int
cmp_wait(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
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
		sched[k].tick = sched_tick;
		sched[k].arg = bs[k];
		sp[k] = &sched[k];
		bs[k]->sib = n == 2 ? bs[1 - k] : NULL;
		bs[k]->t0 = runner_now(rns[k]);
	}
	rc = runner_loop_many(rns, sp, n);
	for (k = 0; k < n; k++) {
		struct run_batch *b = bs[k];

		b->sib = NULL;
		for (i = 0; i < b->n; i++) {
			if (b->jc[i].finished)
				continue;
			check_skip(b->jc[i].cr, rns[k]->fatal != NULL ?
			    "not run: the run stopped" : "not run");
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
	free(b->order);
	result_run_free(b->scratch);
	memset(b, 0, sizeof(*b));
}
