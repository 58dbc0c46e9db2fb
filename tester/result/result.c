/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * result.c: the results model of a run: building it, freeing it, merging
 * runs, and the verdict names, legend and exit statuses every writer shares.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errmsg.h"
#include "result.h"

static void	 req_free(struct req_ref *);
static void	 seg_free(struct seg_rec *);
static void	 case_free(struct case_result *);
static void	 target_free(struct target *);
static void	 kv_add(struct run_option **, size_t *, const char *,
		    const char *);
static void	 kv_free(struct run_option *, size_t);
static void	 count_add(const struct target *, size_t [VERDICT_N]);
static int	 req_ptr_cmp(const void *, const void *);
static void	 req_fill(struct req_ref *, const char *, const char *,
		    const char *, const char *);

/* Names are the JSON and CSS spelling; labels the text beside each colour. */
static const struct {
	const char	*name;
	const char	*label;
	const char	*legend;
} verdicts[VERDICT_N] = {
	[VERDICT_PASS] = { "pass", "PASS",
	    "The target did everything the case expected." },
	[VERDICT_FAIL] = { "fail", "FAIL",
	    "The target broke a MUST: it sent something the RFC forbids, "
	    "or did not send what the RFC requires." },
	[VERDICT_WARN] = { "warn", "WARN",
	    "The target did not do what a SHOULD recommends; it is still "
	    "conformant." },
	[VERDICT_INFO] = { "info", "INFO",
	    "A measurement of behaviour the RFC leaves open (TIME-WAIT "
	    "length, initial window, ...); no judgement." },
	[VERDICT_INCONCLUSIVE] = { "inconclusive", "INCONCLUSIVE",
	    "The evidence was not enough to decide: timing outside the "
	    "tolerance on a noisy path, or segments lost by the capture." },
	[VERDICT_FLAKY] = { "flaky", "FLAKY",
	    "The case passed only on some attempts; it is never counted as "
	    "a pass." },
	[VERDICT_NA] = { "not-applicable", "N/A",
	    "The case needs something this target does not offer (an agent, "
	    "a service, IPv6), so it was not run." },
	[VERDICT_XFAIL] = { "xfail", "XFAIL",
	    "The case failed, and the expected-failure baseline for this kind "
	    "of target said it would." },
	[VERDICT_XPASS] = { "xpass", "XPASS",
	    "The case passed, but the baseline expected a failure: the "
	    "baseline is out of date." },
	[VERDICT_ERROR] = { "error", "ERROR",
	    "The tester itself failed (set-up, capture, agent); this says "
	    "nothing about the target." },
	[VERDICT_SKIP] = { "skipped", "SKIP",
	    "The case was not run: excluded, or the run stopped before it." },
};

static const char *const target_modes[] = {
	[TARGET_LOOPBACK] = "loopback",
	[TARGET_HOST] = "host",
	[TARGET_PHANTOM] = "phantom",
	[TARGET_SELF] = "self",
};

const char *
verdict_name(enum verdict v)
{
	return (unsigned)v < VERDICT_N ? verdicts[v].name : "error";
}

const char *
verdict_label(enum verdict v)
{
	return (unsigned)v < VERDICT_N ? verdicts[v].label : "ERROR";
}

enum ci_outcome
verdict_ci(enum verdict v, int flags)
{
	switch (verdict_exit_status(v, flags & RESULT_STRICT)) {
	case EXIT_PASS:
		break;
	case EXIT_SETUP:
		return CI_ERROR;
	default:
		return CI_FAIL;
	}
	switch (v) {
	case VERDICT_PASS:
	case VERDICT_INFO:
	case VERDICT_WARN:
	case VERDICT_FLAKY:
		return CI_PASS;
	default:
		return CI_SKIP;
	}
}

const char *
verdict_junit_text(enum verdict v, int flags)
{
	static const char *const text[] = {
		[CI_PASS] = "passed",
		[CI_SKIP] = "<skipped>",
		[CI_FAIL] = "<failure>",
		[CI_ERROR] = "<error>",
	};

	return text[verdict_ci(v, flags)];
}

const char *
verdict_tap_text(enum verdict v, int flags)
{
	switch (verdict_ci(v, flags)) {
	case CI_PASS:
		return "ok";
	case CI_SKIP:
		/* Harnesses count a TODO failure as expected, not failed. */
		return v == VERDICT_XFAIL ? "not ok # TODO" : "ok # SKIP";
	default:
		return "not ok";
	}
}

const char *
verdict_legend(enum verdict v)
{
	return (unsigned)v < VERDICT_N ? verdicts[v].legend : "";
}

int
verdict_from_name(const char *s)
{
	int v;

	if (s == NULL)
		return -1;
	for (v = 0; v < VERDICT_N; v++)
		if (strcmp(s, verdicts[v].name) == 0)
			return v;
	return -1;
}

int
verdict_exit_status(enum verdict v, int flags)
{
	switch (v) {
	case VERDICT_ERROR:
		return EXIT_SETUP;
	case VERDICT_FAIL:
	case VERDICT_XPASS:
		return EXIT_MUSTFAIL;
	case VERDICT_WARN:
	case VERDICT_FLAKY:
		return (flags & RESULT_STRICT) ? EXIT_SHOULD : EXIT_PASS;
	case VERDICT_INCONCLUSIVE:
		if (flags & RESULT_STRICT)
			return EXIT_SHOULD;
		return (flags & RESULT_COMPLETE) ? EXIT_INCOMPLETE : EXIT_PASS;
	case VERDICT_NA:
	case VERDICT_SKIP:
		return (flags & RESULT_COMPLETE) ? EXIT_INCOMPLETE : EXIT_PASS;
	default:
		return EXIT_PASS;
	}
}

enum req_level
req_level(const char *kw)
{
	if (kw == NULL)
		return REQ_OTHER;
	if (strcasecmp(kw, "MUST") == 0 || strcasecmp(kw, "MUST NOT") == 0 ||
	    strcasecmp(kw, "REQUIRED") == 0 || strcasecmp(kw, "SHALL") == 0)
		return REQ_MUST;
	if (strcasecmp(kw, "SHOULD") == 0 || strcasecmp(kw, "SHLD") == 0 ||
	    strcasecmp(kw, "SHOULD NOT") == 0 ||
	    strcasecmp(kw, "RECOMMENDED") == 0)
		return REQ_SHOULD;
	if (strcasecmp(kw, "MAY") == 0 || strcasecmp(kw, "OPTIONAL") == 0)
		return REQ_MAY;
	return REQ_OTHER;
}

const char *
target_mode_name(enum target_mode m)
{
	return (unsigned)m <= TARGET_SELF ? target_modes[m] : "host";
}

int
target_mode_from_name(const char *s)
{
	int m;

	for (m = 0; s != NULL && m <= TARGET_SELF; m++)
		if (strcmp(s, target_modes[m]) == 0)
			return m;
	return -1;
}

struct run *
result_run_new(void)
{
	return xcalloc(1, sizeof(struct run));
}

static void
req_free(struct req_ref *q)
{
	free(q->id);
	free(q->section);
	free(q->keyword);
	free(q->text);
}

static void
seg_free(struct seg_rec *s)
{
	if (s == NULL)
		return;
	free(s->options);
	free(s->payload);
	free(s->expect);
	free(s->expect_file);
	free(s);
}

static void
case_free(struct case_result *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->id);
	free(c->title);
	free(c->topic);
	free(c->file);
	free(c->about);
	free(c->reason);
	free(c->claim);
	free(c->claim_status);
	free(c->pcap);
	for (i = 0; i < c->ntags; i++)
		free(c->tags[i]);
	free(c->tags);
	for (i = 0; i < c->nreqs; i++)
		req_free(&c->reqs[i]);
	free(c->reqs);
	for (i = 0; i < c->ndiffs; i++) {
		free(c->diffs[i].field);
		free(c->diffs[i].expected);
		free(c->diffs[i].observed);
	}
	free(c->diffs);
	for (i = 0; i < c->nmeas; i++) {
		free(c->meas[i].name);
		free(c->meas[i].unit);
	}
	free(c->meas);
	for (i = 0; i < c->nattempts; i++)
		free(c->attempts[i].reason);
	free(c->attempts);
	for (i = 0; i < c->nsegs; i++)
		seg_free(c->segs[i]);
	free(c->segs);
	free(c);
}

static void
target_free(struct target *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->name);
	free(t->address);
	free(t->kind);
	kv_free(t->identity, t->nidentity);
	free(t->pcap_dir);
	for (i = 0; i < t->ncases; i++)
		case_free(t->cases[i]);
	free(t->cases);
	free(t);
}

void
result_run_free(struct run *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->tester_version);
	free(r->command_line);
	free(r->stopped);
	kv_free(r->options, r->noptions);
	for (i = 0; i < r->nknown; i++)
		req_free(&r->known_reqs[i]);
	free(r->known_reqs);
	for (i = 0; i < r->ntargets; i++)
		target_free(r->targets[i]);
	free(r->targets);
	free(r);
}

struct target *
result_target_add(struct run *r)
{
	struct target *t;

	t = xcalloc(1, sizeof(*t));
	t->family = 4;
	t->rtt_us = -1;
	t->jitter_us = -1;
	r->targets = xreallocarray(r->targets, r->ntargets + 1,
	    sizeof(*r->targets));
	r->targets[r->ntargets++] = t;
	return t;
}

struct case_result *
result_case_add(struct target *t)
{
	struct case_result *c;

	c = xcalloc(1, sizeof(*c));
	c->mismatch_seg = -1;
	t->cases = xreallocarray(t->cases, t->ncases + 1, sizeof(*t->cases));
	t->cases[t->ncases++] = c;
	return c;
}

struct seg_rec *
result_seg_add(struct case_result *c)
{
	struct seg_rec *s;

	s = xcalloc(1, sizeof(*s));
	c->segs = xreallocarray(c->segs, c->nsegs + 1, sizeof(*c->segs));
	c->segs[c->nsegs++] = s;
	return s;
}

void
result_set(char **dst, const char *src)
{
	char *copy;

	copy = xstrdup(src);
	free(*dst);
	*dst = copy;
}

void
result_seg_payload(struct seg_rec *s, const uint8_t *p, size_t n)
{
	free(s->payload);
	s->payload = NULL;
	s->payload_len = 0;
	if (p == NULL || n == 0)
		return;
	if (n > RESULT_PAYLOAD_MAX)
		n = RESULT_PAYLOAD_MAX;
	s->payload = xcalloc(1, n);
	memcpy(s->payload, p, n);
	s->payload_len = n;
}

static void
kv_add(struct run_option **v, size_t *n, const char *name,
    const char *value)
{
	struct run_option *o;

	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	o = &(*v)[(*n)++];
	o->name = xstrdup(name);
	o->value = xstrdup(value);
}

static void
kv_free(struct run_option *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}

void
result_option_add(struct run *r, const char *name, const char *value)
{
	kv_add(&r->options, &r->noptions, name, value);
}

void
result_target_identity_add(struct target *t, const char *name,
    const char *value)
{
	kv_add(&t->identity, &t->nidentity, name, value);
}

static void
req_fill(struct req_ref *q, const char *id, const char *section,
    const char *keyword, const char *text)
{
	q->id = xstrdup(id);
	q->section = xstrdup(section);
	q->keyword = xstrdup(keyword);
	q->text = xstrdup(text);
}

void
result_known_req_add(struct run *r, const char *id, const char *section,
    const char *keyword, const char *text)
{
	r->known_reqs = xreallocarray(r->known_reqs, r->nknown + 1,
	    sizeof(*r->known_reqs));
	req_fill(&r->known_reqs[r->nknown++], id, section, keyword, text);
}

void
result_req_add(struct case_result *c, const char *id, const char *section,
    const char *keyword, const char *text)
{
	c->reqs = xreallocarray(c->reqs, c->nreqs + 1, sizeof(*c->reqs));
	req_fill(&c->reqs[c->nreqs++], id, section, keyword, text);
}

void
result_tag_add(struct case_result *c, const char *tag)
{
	c->tags = xreallocarray(c->tags, c->ntags + 1, sizeof(*c->tags));
	c->tags[c->ntags++] = xstrdup(tag);
}

void
result_diff_add(struct case_result *c, const char *field,
    const char *expected, const char *observed)
{
	struct field_diff *d;

	c->diffs = xreallocarray(c->diffs, c->ndiffs + 1, sizeof(*c->diffs));
	d = &c->diffs[c->ndiffs++];
	d->field = xstrdup(field);
	d->expected = xstrdup(expected);
	d->observed = xstrdup(observed);
}

void
result_meas_add(struct case_result *c, const char *name, double value,
    const char *unit)
{
	struct measurement *m;

	c->meas = xreallocarray(c->meas, c->nmeas + 1, sizeof(*c->meas));
	m = &c->meas[c->nmeas++];
	m->name = xstrdup(name);
	m->value = value;
	m->unit = xstrdup(unit);
}

void
result_attempt_add(struct case_result *c, enum verdict v, int64_t duration_us,
    const char *reason)
{
	struct attempt *a;

	c->attempts = xreallocarray(c->attempts, c->nattempts + 1,
	    sizeof(*c->attempts));
	a = &c->attempts[c->nattempts++];
	a->verdict = v;
	a->duration_us = duration_us;
	a->reason = xstrdup(reason);
}

static int
req_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct req_ref *const *)a)->id,
	    (*(const struct req_ref *const *)b)->id);
}

/*
 * The catalogues are merged through a sorted index of dst's ids, so that
 * merging is O(n log n) however large a (hostile) results file is.
 */
void
result_run_merge(struct run *dst, struct run *src)
{
	struct req_ref **idx, key, *kp = &key;
	size_t i, n = 0, nold = dst->nknown;

	dst->targets = xreallocarray(dst->targets,
	    dst->ntargets + src->ntargets, sizeof(*dst->targets));
	for (i = 0; i < src->ntargets; i++)
		dst->targets[dst->ntargets++] = src->targets[i];
	src->ntargets = 0;
	idx = xcalloc(nold + 1, sizeof(*idx));
	for (i = 0; i < nold; i++)
		if (dst->known_reqs[i].id != NULL)
			idx[n++] = &dst->known_reqs[i];
	qsort(idx, n, sizeof(*idx), req_ptr_cmp);
	for (i = 0; i < src->nknown; i++) {
		key.id = src->known_reqs[i].id;
		if (key.id != NULL &&
		    bsearch(&kp, idx, n, sizeof(*idx), req_ptr_cmp) != NULL)
			continue;
		dst->known_reqs = xreallocarray(dst->known_reqs,
		    dst->nknown + 1, sizeof(*dst->known_reqs));
		dst->known_reqs[dst->nknown++] = src->known_reqs[i];
		memset(&src->known_reqs[i], 0, sizeof(src->known_reqs[i]));
	}
	free(idx);
	if (src->started_us != 0 && (dst->started_us == 0 ||
	    src->started_us < dst->started_us))
		dst->started_us = src->started_us;
	if (src->ended_us > dst->ended_us)
		dst->ended_us = src->ended_us;
}

char *
result_diff_str(const struct field_diff *d, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s: expected %s, observed %s",
	    d->field != NULL ? d->field : "?",
	    d->expected != NULL ? d->expected : "(nothing)",
	    d->observed != NULL ? d->observed : "(nothing)");
	return buf;
}

/*
 * packetdrill writes the flags as letters in the order F S R P, with "." for
 * ACK last (so a SYN-ACK reads "S."), and U, E, W for URG, ECE and CWR.
 */
char *
result_flags_str(unsigned flags, char *buf, size_t cap)
{
	static const struct {
		unsigned	bit;
		char		c;
	} order[] = {
		{ SEGF_FIN, 'F' }, { SEGF_SYN, 'S' }, { SEGF_RST, 'R' },
		{ SEGF_PSH, 'P' }, { SEGF_URG, 'U' }, { SEGF_ECE, 'E' },
		{ SEGF_CWR, 'W' }, { SEGF_AE, 'A' }, { SEGF_ACK, '.' },
	};
	size_t i, n = 0;

	if (cap == 0)
		return buf;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((flags & order[i].bit) && n + 1 < cap)
			buf[n++] = order[i].c;
	if (n == 0 && cap > 1)
		buf[n++] = '-';
	buf[n] = '\0';
	return buf;
}

size_t
result_case_topic(const struct case_result *c, const char **topic)
{
	const char *slash;

	if (c->topic != NULL && c->topic[0] != '\0') {
		*topic = c->topic;
		return strlen(c->topic);
	}
	*topic = c->id != NULL ? c->id : "";
	if ((slash = strchr(*topic, '/')) != NULL)
		return (size_t)(slash - *topic);
	return 0;
}

double
result_flake_rate(const struct case_result *c)
{
	size_t i, bad = 0;

	if (c->nattempts == 0)
		return 0.0;
	for (i = 0; i < c->nattempts; i++)
		if (c->attempts[i].verdict != VERDICT_PASS)
			bad++;
	return (double)bad / (double)c->nattempts;
}

static void
count_add(const struct target *t, size_t counts[VERDICT_N])
{
	size_t i;

	for (i = 0; i < t->ncases; i++)
		if ((unsigned)t->cases[i]->verdict < VERDICT_N)
			counts[t->cases[i]->verdict]++;
}

void
result_count_target(const struct target *t, size_t counts[VERDICT_N])
{
	memset(counts, 0, sizeof(size_t) * VERDICT_N);
	count_add(t, counts);
}

void
result_count_run(const struct run *r, size_t counts[VERDICT_N])
{
	size_t i;

	memset(counts, 0, sizeof(size_t) * VERDICT_N);
	for (i = 0; i < r->ntargets; i++)
		count_add(r->targets[i], counts);
}

int
result_exit_status(const struct run *r, int flags)
{
	size_t i, j;
	int e, worst = 0;
	static const int rank[] = { 0, 3, 4, 2, 1 };	/* by status 0..4 */

	if (r->stopped != NULL)
		return EXIT_SETUP;
	for (i = 0; i < r->ntargets; i++)
		for (j = 0; j < r->targets[i]->ncases; j++) {
			e = verdict_exit_status(
			    r->targets[i]->cases[j]->verdict, flags);
			if (rank[e] > rank[worst])
				worst = e;
		}
	return worst;
}

static enum cover_why
cover_why(const struct case_result *c)
{
	const char *r = c->reason != NULL ? c->reason : "";

	if (c->verdict == VERDICT_ERROR)
		return COVER_ERROR;
	if (c->verdict == VERDICT_SKIP)
		return COVER_NOTRUN;
	if (strncmp(r, "intrusive:", 10) == 0)
		return COVER_INTRUSIVE;
	if (strstr(r, "needs the agent") != NULL)
		return COVER_AGENT;
	if (strstr(r, "needs an open port") != NULL)
		return COVER_PORT;
	if (strstr(r, "--service") != NULL || strstr(r, "service") != NULL)
		return COVER_SERVICE;
	if (strstr(r, " only") != NULL && strstr(r, "IPv") != NULL)
		return COVER_FAMILY;
	if (strstr(r, "link") != NULL)
		return COVER_LINK;
	if (strstr(r, "baseline") != NULL)
		return COVER_BASELINE;
	return COVER_OTHER;
}

/* Is id among the n names of v? */
static int
name_in(char **v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return 1;
	return 0;
}

void
result_cover(const struct run *r, struct cover *cv)
{
	char **ran = NULL, **not = NULL;
	size_t nran = 0, nnot = 0, i, j, k;
	int gave;

	memset(cv, 0, sizeof(*cv));
	for (i = 0; i < r->ntargets; i++)
		for (j = 0; j < r->targets[i]->ncases; j++) {
			const struct case_result *c = r->targets[i]->cases[j];

			cv->total++;
			gave = c->verdict != VERDICT_NA &&
			    c->verdict != VERDICT_SKIP &&
			    c->verdict != VERDICT_ERROR;
			if (gave)
				cv->ran++;
			else
				cv->why[cover_why(c)]++;
			for (k = 0; k < c->nreqs; k++) {
				const char *id = c->reqs[k].id;

				if (id == NULL)
					continue;
				if (gave && !name_in(ran, nran, id)) {
					if ((ran = reallocarray(ran, nran + 1,
					    sizeof(*ran))) == NULL)
						abort();
					ran[nran++] = c->reqs[k].id;
				} else if (!gave && !name_in(not, nnot, id)) {
					if ((not = reallocarray(not, nnot + 1,
					    sizeof(*not))) == NULL)
						abort();
					not[nnot++] = c->reqs[k].id;
				}
			}
		}
	cv->reqs_ran = nran;
	for (k = 0; k < nnot; k++)
		if (!name_in(ran, nran, not[k]))
			cv->reqs_not++;
	free(ran);
	free(not);
}

char *
result_cover_str(const struct cover *cv, char *buf, size_t cap)
{
	static const char *const what[COVER_N] = {
		"are intrusive (--intrusive)", "need the agent",
		"need an open port", "need a service",
		"are for the other family", "need the tester on the target's "
		"link", "cannot show on this kind of target (baseline)",
		"were not run", "hit an error of the tester", "were not "
		"applicable",
	};
	size_t n = 0;
	int i;

	n = (size_t)snprintf(buf, cap, "%zu of %zu case%s ran", cv->ran,
	    cv->total, cv->total == 1 ? "" : "s");
	for (i = 0; i < COVER_N; i++)
		if (cv->why[i] > 0)
			n += (size_t)snprintf(buf + (n < cap ? n : cap),
			    n < cap ? cap - n : 0, "; %zu %s", cv->why[i],
			    what[i]);
	snprintf(buf + (n < cap ? n : cap), n < cap ? cap - n : 0,
	    " (requirements checked: %zu%s", cv->reqs_ran, "");
	n = strlen(buf);
	if (cv->reqs_not > 0)
		snprintf(buf + n, n < cap ? cap - n : 0, "; not checked, "
		    "their cases did not run: %zu)", cv->reqs_not);
	else
		snprintf(buf + n, n < cap ? cap - n : 0, ")");
	return buf;
}

int
result_flags(const struct run *r)
{
	return (r->strict ? RESULT_STRICT : 0) |
	    (r->complete ? RESULT_COMPLETE : 0);
}

const char result_severity_rule[] =
    "A deviation takes the severity of the requirement it breaks: MUST "
    "gives fail, SHOULD warn, MAY info.  RFC 9293's event processing "
    "(3.10) carries no keywords; it is read thus: an imperative or a "
    "statement of what happens (\"send a reset\", \"drop the segment\", "
    "\"enter TIME-WAIT\", \"the reset takes its sequence number from the "
    "ACK field\") and a lower-case \"must\" bind as MUST, a lower-case "
    "\"should\" is SHOULD, \"may\" is MAY.  Where two sentences state one "
    "rule at different strengths (3.5.2 \"must be responded to with an "
    "empty acknowledgment\", 3.10.7.4 \"an acknowledgment should be "
    "sent\"), the weaker decides.  Where the RFC allows several behaviours, "
    "a case accepts each.  Optional mechanisms RFC 9293 describes \"for "
    "stacks implementing the protection\" (the RFC 5961 mitigations) are "
    "claims, reported as implemented, absent or half-done (info), never as "
    "MUST failures.";

const char *
result_claim_name(const struct target *t, size_t i)
{
	size_t j, k, n = 0;

	for (j = 0; j < t->ncases; j++) {
		const char *c = t->cases[j]->claim;

		if (c == NULL)
			continue;
		for (k = 0; k < j; k++)
			if (t->cases[k]->claim != NULL &&
			    strcmp(t->cases[k]->claim, c) == 0)
				break;
		if (k < j)
			continue;
		if (n++ == i)
			return c;
	}
	return NULL;
}

const char *
result_claim_status(const struct target *t, const char *claim)
{
	size_t j, yes = 0, no = 0, half = 0;

	for (j = 0; j < t->ncases; j++) {
		const struct case_result *c = t->cases[j];

		if (c->claim == NULL || c->claim_status == NULL ||
		    strcmp(c->claim, claim) != 0)
			continue;
		if (strcmp(c->claim_status, "implemented") == 0)
			yes++;
		else if (strcmp(c->claim_status, "absent") == 0)
			no++;
		else
			half++;
	}
	if (yes + no + half == 0)
		return NULL;
	if (half == 0 && no == 0)
		return "implemented";
	if (half == 0 && yes == 0)
		return "absent";
	return "half-done";
}
