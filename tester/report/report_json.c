/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_json.c: results.json, the complete record of a run, and its reader.
 *
 * The format (version 1) mirrors result.h one to one; its JSON Schema is
 * reports/results.schema.json (installed, and checked against every
 * results.json the tests write), whose version is "schema_version":
 *
 *	{ "format": "tcpconform-results", "version": 1, "schema_version",
 *	  "tester": { "version", "command_line" },
 *	  "started_us", "ended_us", "started" (ISO 8601, informative),
 *	  "strict", "options": { name: value }, "exit_status", "counts",
 *	  "known_requirements": [ { "id", "section", "keyword", "text" } ],
 *	  "targets": [ { "name", "address", "family", "port", "mode", "kind",
 *	      "identity": { name: value } (the agent's INFO: os, release,
 *	      the settings that change verdicts; {} without an agent),
 *	      "rtt_us", "jitter_us", "capture": { "received", "dropped" },
 *	      "started_us", "ended_us", "counts",
 *	      "cases": [ { "id", "title", "topic", "file", "line" (the line
 *	          of file the verdict rests on, 0), "about" (the case's
 *	          comment), "tags",
 *	          "requirements", "verdict", "reason", "claim",
 *	          "claim_status",
 *	          "mismatch": { "segment", "fields": [ { "field", "expected",
 *	              "observed", "text" } ] } or null,
 *	          "measurements": [ { "name", "value", "unit" } ],
 *	          "attempts": [ { "verdict", "duration_us", "reason" } ],
 *	          "flake_rate", "duration_us", "pcap",
 *	          "segments": [ { "t_us", "dir" ("peer>target"|"target>peer"),
 *	              "kind" ("observed"|"missing"|"unexpected"),
 *	              "flags" (text),
 *	              "flag_bits", "seq", "ack", "seq_abs", "ack_abs", "len",
 *	              "win", "options", "payload" (hex),
 *	              "expect": { "text", "file", "line" } or null } ] } ] } ] }
 *
 * Fields marked informative are written for other readers and ignored when
 * loading.  The reader ignores unknown keys (newer minor additions), treats
 * a missing or null field as its default, and rejects a wrong type, an
 * unknown verdict or an out-of-range number with the path of the field.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "json.h"
#include "report.h"
#include "report_util.h"
#include "hex.h"

/* The reader's position, for messages: "targets[0].cases[2].verdict". */
struct loader {
	char		 path[256];
	char		*err;
};

static void	 w_counts(struct json_writer *, const size_t *);
static void	 w_req(struct json_writer *, const struct req_ref *);
static void	 w_seg(struct json_writer *, const struct seg_rec *);
static void	 w_case_lists(struct json_writer *,
		    const struct case_result *);
static void	 w_case(struct json_writer *, const struct case_result *);
static void	 w_kv(struct json_writer *, const char *,
		    const struct run_option *, size_t);
static void	 w_target(struct json_writer *, const struct target *);
static int	 lerr(struct loader *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static size_t	 push(struct loader *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static const struct json_value *get(struct loader *,
		    const struct json_value *, const char *, enum json_type);
static int	 get_str(struct loader *, const struct json_value *,
		    const char *, char **);
static int	 get_int(struct loader *, const struct json_value *,
		    const char *, int64_t, int64_t, int64_t *);
static int	 get_verdict(struct loader *, const struct json_value *,
		    const char *, enum verdict *);
static int	 get_array(struct loader *, const struct json_value *,
		    const char *, const struct json_value **);
static int	 l_enum(struct loader *, const struct json_value *,
		    const char *, const char *const *, int, int *);
static int	 l_req(struct loader *, const struct json_value *,
		    struct req_ref *);
static int	 l_reqs(struct loader *, const struct json_value *,
		    const char *, struct req_ref **, size_t *);
static int	 l_payload(struct loader *, const struct json_value *,
		    struct seg_rec *);
static int	 l_seg(struct loader *, const struct json_value *,
		    struct seg_rec *);
static int	 l_mismatch(struct loader *, const struct json_value *,
		    struct case_result *);
static int	 l_lists(struct loader *, const struct json_value *,
		    struct case_result *);
static int	 l_case(struct loader *, const struct json_value *,
		    struct case_result *);
static int	 l_kv(struct loader *, const struct json_value *, const char *,
		    struct run *, struct target *);
static int	 l_target(struct loader *, const struct json_value *,
		    struct target *);
static int	 l_run(struct loader *, const struct json_value *,
		    struct run *);

static const char *const dirnames[] = { "peer>target", "target>peer" };
static const char *const kindnames[] = { "observed", "missing", "unexpected" };
static const char *const modenames[] = {
	"loopback", "host", "phantom", "self"
};

/* ---- writer ---- */

static void
w_counts(struct json_writer *w, const size_t *counts)
{
	int v;

	json_begin_object(w, "counts");
	for (v = 0; v < VERDICT_N; v++)
		json_uint(w, verdict_name(v), counts[v]);
	json_end_object(w);
}

static void
w_req(struct json_writer *w, const struct req_ref *q)
{
	json_begin_object(w, NULL);
	json_string(w, "id", q->id);
	json_string(w, "section", q->section);
	json_string(w, "keyword", q->keyword);
	json_string(w, "text", q->text);
	json_end_object(w);
}

static void
w_seg(struct json_writer *w, const struct seg_rec *s)
{
	char flags[16];

	json_begin_object_flat(w, NULL);
	json_int(w, "t_us", s->t_us);
	json_string(w, "dir", dirnames[s->dir == SEGDIR_FROM_TARGET]);
	json_string(w, "kind", kindnames[(unsigned)s->kind <= SEGK_UNEXPECTED ?
	    s->kind : 0]);
	json_string(w, "flags", result_flags_str(s->flags, flags,
	    sizeof(flags)));
	json_uint(w, "flag_bits", s->flags);
	json_uint(w, "seq", s->seq_rel);
	json_uint(w, "ack", s->ack_rel);
	json_uint(w, "seq_abs", s->seq_abs);
	json_uint(w, "ack_abs", s->ack_abs);
	json_uint(w, "len", s->len);
	json_uint(w, "win", s->win);
	json_string(w, "options", s->options);
	json_hex(w, "payload", s->payload, s->payload_len);
	if (s->expect == NULL && s->expect_file == NULL)
		json_null(w, "expect");
	else {
		json_begin_object(w, "expect");
		json_string(w, "text", s->expect);
		json_string(w, "file", s->expect_file);
		json_int(w, "line", s->expect_line);
		json_end_object(w);
	}
	json_end_object(w);
}

static void
w_case_lists(struct json_writer *w, const struct case_result *c)
{
	char buf[512];
	size_t i;

	json_begin_array(w, "tags");
	for (i = 0; i < c->ntags; i++)
		json_string(w, NULL, c->tags[i]);
	json_end_array(w);
	json_begin_array(w, "requirements");
	for (i = 0; i < c->nreqs; i++)
		w_req(w, &c->reqs[i]);
	json_end_array(w);
	if (c->mismatch_seg < 0 && c->ndiffs == 0)
		json_null(w, "mismatch");
	else {
		json_begin_object(w, "mismatch");
		json_int(w, "segment", c->mismatch_seg);
		json_begin_array(w, "fields");
		for (i = 0; i < c->ndiffs; i++) {
			json_begin_object(w, NULL);
			json_string(w, "field", c->diffs[i].field);
			json_string(w, "expected", c->diffs[i].expected);
			json_string(w, "observed", c->diffs[i].observed);
			json_string(w, "text", result_diff_str(&c->diffs[i],
			    buf, sizeof(buf)));
			json_end_object(w);
		}
		json_end_array(w);
		json_end_object(w);
	}
	json_begin_array(w, "measurements");
	for (i = 0; i < c->nmeas; i++) {
		json_begin_object(w, NULL);
		json_string(w, "name", c->meas[i].name);
		json_double(w, "value", c->meas[i].value);
		json_string(w, "unit", c->meas[i].unit);
		json_end_object(w);
	}
	json_end_array(w);
	json_begin_array(w, "attempts");
	for (i = 0; i < c->nattempts; i++) {
		json_begin_object(w, NULL);
		json_string(w, "verdict", verdict_name(c->attempts[i].verdict));
		json_int(w, "duration_us", c->attempts[i].duration_us);
		json_string(w, "reason", c->attempts[i].reason);
		json_end_object(w);
	}
	json_end_array(w);
}

static void
w_case(struct json_writer *w, const struct case_result *c)
{
	size_t i;

	json_begin_object(w, NULL);
	json_string(w, "id", c->id);
	json_string(w, "title", c->title);
	json_string(w, "topic", c->topic);
	json_string(w, "file", c->file);
	json_int(w, "line", c->line);
	json_string(w, "about", c->about);
	json_string(w, "verdict", verdict_name(c->verdict));
	json_string(w, "reason", c->reason);
	json_string(w, "claim", c->claim);
	json_string(w, "claim_status", c->claim_status);
	w_case_lists(w, c);
	json_double(w, "flake_rate", result_flake_rate(c));
	json_int(w, "duration_us", c->duration_us);
	json_string(w, "pcap", c->pcap);
	json_begin_array(w, "segments");
	for (i = 0; i < c->nsegs; i++)
		w_seg(w, c->segs[i]);
	json_end_array(w);
	json_end_object(w);
}

static void
w_kv(struct json_writer *w, const char *name, const struct run_option *v,
    size_t n)
{
	size_t i;

	json_begin_object(w, name);
	for (i = 0; i < n; i++)
		json_string(w, v[i].name != NULL ? v[i].name : "", v[i].value);
	json_end_object(w);
}

static void
w_target(struct json_writer *w, const struct target *t)
{
	size_t counts[VERDICT_N], i;

	json_begin_object(w, NULL);
	json_string(w, "name", t->name);
	json_string(w, "address", t->address);
	json_int(w, "family", t->family);
	json_int(w, "port", t->port);
	json_string(w, "mode", target_mode_name(t->mode));
	json_string(w, "kind", t->kind);
	w_kv(w, "identity", t->identity, t->nidentity);
	json_int(w, "rtt_us", t->rtt_us);
	json_int(w, "jitter_us", t->jitter_us);
	json_begin_object(w, "capture");
	json_uint(w, "received", t->cap_received);
	json_uint(w, "dropped", t->cap_dropped);
	json_end_object(w);
	json_int(w, "started_us", t->started_us);
	json_int(w, "ended_us", t->ended_us);
	result_count_target(t, counts);
	w_counts(w, counts);
	json_begin_array(w, "cases");
	for (i = 0; i < t->ncases; i++)
		w_case(w, t->cases[i]);
	json_end_array(w);
	json_end_object(w);
}

int
report_json_write(FILE *f, const struct run *r)
{
	struct json_writer w;
	size_t counts[VERDICT_N], i;
	char when[64];

	json_writer_init(&w, f, 1);
	json_begin_object(&w, NULL);
	json_string(&w, "format", "tcpconform-results");
	json_int(&w, "version", REPORT_JSON_VERSION);
	json_string(&w, "schema_version", REPORT_SCHEMA_VERSION);
	json_begin_object(&w, "tester");
	json_string(&w, "version", r->tester_version);
	json_string(&w, "command_line", r->command_line);
	json_end_object(&w);
	json_int(&w, "started_us", r->started_us);
	json_int(&w, "ended_us", r->ended_us);
	json_string(&w, "started", report_time_iso(r->started_us, when,
	    sizeof(when)));
	json_bool(&w, "strict", r->strict);
	json_bool(&w, "complete", r->complete);
	if (r->stopped != NULL)
		json_string(&w, "stopped", r->stopped);
	w_kv(&w, "options", r->options, r->noptions);
	json_int(&w, "exit_status", result_exit_status(r, result_flags(r)));
	result_count_run(r, counts);
	w_counts(&w, counts);
	json_begin_array(&w, "known_requirements");
	for (i = 0; i < r->nknown; i++)
		w_req(&w, &r->known_reqs[i]);
	json_end_array(&w);
	json_begin_array(&w, "targets");
	for (i = 0; i < r->ntargets; i++)
		w_target(&w, r->targets[i]);
	json_end_array(&w);
	json_end_object(&w);
	fflush(f);
	return json_writer_error(&w) ? -1 : 0;
}

/* ---- reader ---- */

static int
lerr(struct loader *l, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	if (l->err != NULL)
		return -1;
	va_start(ap, fmt);
	tc_vseterr(&msg, fmt, ap);
	va_end(ap);
	if (key == NULL)
		key = "";
	tc_seterr(&l->err, "%s%s%s%s%s", l->path,
	    l->path[0] != '\0' && key[0] != '\0' ? "." : "", key,
	    l->path[0] != '\0' || key[0] != '\0' ? ": " : "", msg);
	free(msg);
	return -1;
}

/* Append a step to the path; returns the old length to restore it. */
static size_t
push(struct loader *l, const char *fmt, ...)
{
	size_t old = strlen(l->path);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->path + old, sizeof(l->path) - old, fmt, ap);
	va_end(ap);
	if (old == 0 && l->path[0] == '.')
		memmove(l->path, l->path + 1, strlen(l->path));
	return old;
}

/* The member key of o if it is there and not null; type-checked. */
static const struct json_value *
get(struct loader *l, const struct json_value *o, const char *key,
    enum json_type type)
{
	const struct json_value *v;

	if ((v = json_get(o, key)) == NULL || v->type == JSON_NULL)
		return NULL;
	if (v->type == type || (type == JSON_TRUE && v->type == JSON_FALSE))
		return v;
	lerr(l, key, "wrong type");
	return NULL;
}

static int
get_str(struct loader *l, const struct json_value *o, const char *key,
    char **dst)
{
	const struct json_value *v;

	if ((v = get(l, o, key, JSON_STRING)) == NULL)
		return l->err != NULL ? -1 : 0;
	if (strlen(v->str) != v->len)
		return lerr(l, key, "string holds a NUL character");
	result_set(dst, v->str);
	return 0;
}

static int
get_int(struct loader *l, const struct json_value *o, const char *key,
    int64_t min, int64_t max, int64_t *dst)
{
	const struct json_value *v;

	if ((v = get(l, o, key, JSON_NUMBER)) == NULL)
		return l->err != NULL ? -1 : 0;
	if (!v->is_int || v->inum < min || v->inum > max)
		return lerr(l, key, "not an integer in [%lld, %lld]",
		    (long long)min, (long long)max);
	*dst = v->inum;
	return 0;
}

static int
get_verdict(struct loader *l, const struct json_value *o, const char *key,
    enum verdict *dst)
{
	const struct json_value *v;
	int n;

	if ((v = get(l, o, key, JSON_STRING)) == NULL)
		return l->err != NULL ? -1 : lerr(l, key, "missing");
	if ((n = verdict_from_name(v->str)) == -1)
		return lerr(l, key, "unknown verdict");
	*dst = n;
	return 0;
}

static int
get_array(struct loader *l, const struct json_value *o, const char *key,
    const struct json_value **dst)
{
	*dst = get(l, o, key, JSON_ARRAY);
	return l->err != NULL ? -1 : 0;
}

static int
l_req(struct loader *l, const struct json_value *o, struct req_ref *q)
{
	if (o->type != JSON_OBJECT)
		return lerr(l, NULL, "not an object");
	if (get_str(l, o, "id", &q->id) == -1 ||
	    get_str(l, o, "section", &q->section) == -1 ||
	    get_str(l, o, "keyword", &q->keyword) == -1 ||
	    get_str(l, o, "text", &q->text) == -1)
		return -1;
	return 0;
}

static int
l_reqs(struct loader *l, const struct json_value *o, const char *key,
    struct req_ref **reqs, size_t *n)
{
	const struct json_value *a;
	size_t i, old;

	if (get_array(l, o, key, &a) == -1 || a == NULL)
		return l->err != NULL ? -1 : 0;
	if ((*reqs = calloc(a->n + 1, sizeof(**reqs))) == NULL)
		return lerr(l, key, "out of memory");
	for (i = 0; i < a->n; i++) {
		old = push(l, ".%s[%zu]", key, i);
		(*n)++;
		if (l_req(l, &a->items[i], &(*reqs)[i]) == -1)
			return -1;
		l->path[old] = '\0';
	}
	return 0;
}

static int
l_payload(struct loader *l, const struct json_value *o, struct seg_rec *s)
{
	const struct json_value *v;
	size_t n;

	if ((v = get(l, o, "payload", JSON_STRING)) == NULL)
		return l->err != NULL ? -1 : 0;
	if (v->len % 2 != 0)
		return lerr(l, "payload", "odd number of hex digits");
	n = v->len / 2;
	if (n > RESULT_PAYLOAD_MAX)
		n = RESULT_PAYLOAD_MAX;
	if (n == 0)
		return 0;
	s->payload = xmalloc(n);
	if (hex_decode(s->payload, v->str, n) < 2 * n)
		return lerr(l, "payload", "not hex");
	s->payload_len = n;
	return 0;
}

static int
l_enum(struct loader *l, const struct json_value *o, const char *key,
    const char *const *names, int n, int *dst)
{
	const struct json_value *v;
	int i;

	if ((v = get(l, o, key, JSON_STRING)) == NULL)
		return l->err != NULL ? -1 : 0;
	for (i = 0; i < n; i++)
		if (strcmp(v->str, names[i]) == 0) {
			*dst = i;
			return 0;
		}
	return lerr(l, key, "unknown value");
}

static int
l_seg(struct loader *l, const struct json_value *o, struct seg_rec *s)
{
	const struct json_value *e;
	int64_t t = 0, flags = 0, seq = 0, ack = 0, sa = 0, aa = 0, len = 0;
	int64_t win = 0, line = 0;
	int dir = 0, kind = 0;

	if (o->type != JSON_OBJECT)
		return lerr(l, NULL, "not an object");
	if (get_int(l, o, "t_us", INT64_MIN, INT64_MAX, &t) == -1 ||
	    l_enum(l, o, "dir", dirnames, 2, &dir) == -1 ||
	    l_enum(l, o, "kind", kindnames, 3, &kind) == -1 ||
	    get_int(l, o, "flag_bits", 0, 0xffff, &flags) == -1 ||
	    get_int(l, o, "seq", 0, UINT32_MAX, &seq) == -1 ||
	    get_int(l, o, "ack", 0, UINT32_MAX, &ack) == -1 ||
	    get_int(l, o, "seq_abs", 0, UINT32_MAX, &sa) == -1 ||
	    get_int(l, o, "ack_abs", 0, UINT32_MAX, &aa) == -1 ||
	    get_int(l, o, "len", 0, UINT32_MAX, &len) == -1 ||
	    get_int(l, o, "win", 0, UINT32_MAX, &win) == -1 ||
	    get_str(l, o, "options", &s->options) == -1 ||
	    l_payload(l, o, s) == -1)
		return -1;
	s->t_us = t;
	s->dir = dir;
	s->kind = kind;
	s->flags = (unsigned)flags;
	s->seq_rel = (uint32_t)seq;
	s->ack_rel = (uint32_t)ack;
	s->seq_abs = (uint32_t)sa;
	s->ack_abs = (uint32_t)aa;
	s->len = (uint32_t)len;
	s->win = (uint32_t)win;
	if ((e = get(l, o, "expect", JSON_OBJECT)) == NULL)
		return l->err != NULL ? -1 : 0;
	if (get_str(l, e, "text", &s->expect) == -1 ||
	    get_str(l, e, "file", &s->expect_file) == -1 ||
	    get_int(l, e, "line", 0, INT_MAX, &line) == -1)
		return -1;
	s->expect_line = (int)line;
	return 0;
}

static int
l_mismatch(struct loader *l, const struct json_value *o,
    struct case_result *c)
{
	const struct json_value *m, *a;
	int64_t seg = -1;
	size_t i, old;

	if ((m = get(l, o, "mismatch", JSON_OBJECT)) == NULL)
		return l->err != NULL ? -1 : 0;
	old = push(l, ".mismatch");
	if (get_int(l, m, "segment", -1, (int64_t)c->nsegs - 1, &seg) == -1 ||
	    get_array(l, m, "fields", &a) == -1)
		return -1;
	c->mismatch_seg = (long)seg;
	for (i = 0; a != NULL && i < a->n; i++) {
		if (a->items[i].type != JSON_OBJECT)
			return lerr(l, "fields", "not an object");
		result_diff_add(c, NULL, NULL, NULL);
		if (get_str(l, &a->items[i], "field",
		    &c->diffs[i].field) == -1 ||
		    get_str(l, &a->items[i], "expected",
		    &c->diffs[i].expected) == -1 ||
		    get_str(l, &a->items[i], "observed",
		    &c->diffs[i].observed) == -1)
			return -1;
	}
	l->path[old] = '\0';
	return 0;
}

/* tags, measurements and attempts */
static int
l_lists(struct loader *l, const struct json_value *o, struct case_result *c)
{
	const struct json_value *a, *e, *v;
	int64_t d;
	size_t i;

	if (get_array(l, o, "tags", &a) == -1)
		return -1;
	for (i = 0; a != NULL && i < a->n; i++) {
		if (a->items[i].type != JSON_STRING ||
		    strlen(a->items[i].str) != a->items[i].len)
			return lerr(l, "tags", "not a string");
		result_tag_add(c, a->items[i].str);
	}
	if (get_array(l, o, "measurements", &a) == -1)
		return -1;
	for (i = 0; a != NULL && i < a->n; i++) {
		e = &a->items[i];
		if (e->type != JSON_OBJECT)
			return lerr(l, "measurements", "not an object");
		v = get(l, e, "value", JSON_NUMBER);
		result_meas_add(c, NULL, v != NULL ? v->num : NAN, NULL);
		if (l->err != NULL ||
		    get_str(l, e, "name", &c->meas[i].name) == -1 ||
		    get_str(l, e, "unit", &c->meas[i].unit) == -1)
			return -1;
	}
	if (get_array(l, o, "attempts", &a) == -1)
		return -1;
	for (i = 0; a != NULL && i < a->n; i++) {
		e = &a->items[i];
		d = 0;
		if (e->type != JSON_OBJECT)
			return lerr(l, "attempts", "not an object");
		result_attempt_add(c, VERDICT_ERROR, 0, NULL);
		if (get_verdict(l, e, "verdict",
		    &c->attempts[i].verdict) == -1 ||
		    get_int(l, e, "duration_us", INT64_MIN, INT64_MAX,
		    &d) == -1 ||
		    get_str(l, e, "reason", &c->attempts[i].reason) == -1)
			return -1;
		c->attempts[i].duration_us = d;
	}
	return 0;
}

static int
l_case(struct loader *l, const struct json_value *o, struct case_result *c)
{
	const struct json_value *a;
	int64_t d = 0, ln = 0;
	size_t i, old;

	if (o->type != JSON_OBJECT)
		return lerr(l, NULL, "not an object");
	if (get_str(l, o, "id", &c->id) == -1 ||
	    get_str(l, o, "title", &c->title) == -1 ||
	    get_str(l, o, "topic", &c->topic) == -1 ||
	    get_str(l, o, "file", &c->file) == -1 ||
	    get_int(l, o, "line", 0, INT_MAX, &ln) == -1 ||
	    get_str(l, o, "about", &c->about) == -1 ||
	    get_verdict(l, o, "verdict", &c->verdict) == -1 ||
	    get_str(l, o, "reason", &c->reason) == -1 ||
	    get_str(l, o, "claim", &c->claim) == -1 ||
	    get_str(l, o, "claim_status", &c->claim_status) == -1 ||
	    get_int(l, o, "duration_us", INT64_MIN, INT64_MAX, &d) == -1 ||
	    get_str(l, o, "pcap", &c->pcap) == -1 ||
	    l_reqs(l, o, "requirements", &c->reqs, &c->nreqs) == -1 ||
	    l_lists(l, o, c) == -1 ||
	    get_array(l, o, "segments", &a) == -1)
		return -1;
	c->duration_us = d;
	c->line = (int)ln;
	if (a != NULL && a->n > REPORT_MAX_SEGS)
		return lerr(l, "segments", "more than %d segments",
		    REPORT_MAX_SEGS);
	for (i = 0; a != NULL && i < a->n; i++) {
		old = push(l, ".segments[%zu]", i);
		if (l_seg(l, &a->items[i], result_seg_add(c)) == -1)
			return -1;
		l->path[old] = '\0';
	}
	/* After the segments: the mismatch must point at one of them. */
	return l_mismatch(l, o, c);
}

/*
 * An object of strings: the run's options (r) or a target's identity (t).
 * A key or value with a NUL inside is refused: the HTML writer takes them
 * as C strings.
 */
static int
l_kv(struct loader *l, const struct json_value *o, const char *name,
    struct run *r, struct target *t)
{
	const struct json_value *v;
	size_t i;

	if ((v = get(l, o, name, JSON_OBJECT)) == NULL)
		return l->err != NULL ? -1 : 0;
	for (i = 0; i < v->n; i++) {
		if (v->members[i].value.type != JSON_STRING ||
		    strlen(v->members[i].key) != v->members[i].keylen ||
		    strlen(v->members[i].value.str) != v->members[i].value.len)
			return lerr(l, name, "not a string");
		if (t != NULL)
			result_target_identity_add(t, v->members[i].key,
			    v->members[i].value.str);
		else
			result_option_add(r, v->members[i].key,
			    v->members[i].value.str);
	}
	return 0;
}

static int
l_target(struct loader *l, const struct json_value *o, struct target *t)
{
	const struct json_value *a, *cap;
	int64_t fam = 4, port = 0, rtt = -1, jit = -1, rx = 0, drop = 0;
	int64_t t0 = 0, t1 = 0;
	int mode = TARGET_HOST;
	size_t i, old;

	if (o->type != JSON_OBJECT)
		return lerr(l, NULL, "not an object");
	cap = get(l, o, "capture", JSON_OBJECT);
	if (l->err != NULL ||
	    get_str(l, o, "name", &t->name) == -1 ||
	    get_str(l, o, "address", &t->address) == -1 ||
	    get_int(l, o, "family", 0, 6, &fam) == -1 ||
	    get_int(l, o, "port", 0, 65535, &port) == -1 ||
	    l_enum(l, o, "mode", modenames, 4, &mode) == -1 ||
	    get_str(l, o, "kind", &t->kind) == -1 ||
	    l_kv(l, o, "identity", NULL, t) == -1 ||
	    get_int(l, o, "rtt_us", -1, INT64_MAX, &rtt) == -1 ||
	    get_int(l, o, "jitter_us", -1, INT64_MAX, &jit) == -1 ||
	    get_int(l, cap, "received", 0, INT64_MAX, &rx) == -1 ||
	    get_int(l, cap, "dropped", 0, INT64_MAX, &drop) == -1 ||
	    get_int(l, o, "started_us", INT64_MIN, INT64_MAX, &t0) == -1 ||
	    get_int(l, o, "ended_us", INT64_MIN, INT64_MAX, &t1) == -1 ||
	    get_array(l, o, "cases", &a) == -1)
		return -1;
	t->family = (int)fam;
	t->port = (int)port;
	t->mode = mode;
	t->rtt_us = rtt;
	t->jitter_us = jit;
	t->cap_received = (uint64_t)rx;
	t->cap_dropped = (uint64_t)drop;
	t->started_us = t0;
	t->ended_us = t1;
	for (i = 0; a != NULL && i < a->n; i++) {
		old = push(l, ".cases[%zu]", i);
		if (l_case(l, &a->items[i], result_case_add(t)) == -1)
			return -1;
		l->path[old] = '\0';
	}
	return 0;
}

static int
l_run(struct loader *l, const struct json_value *o, struct run *r)
{
	const struct json_value *v, *a, *tester, *cases;
	int64_t ver = 0, t0 = 0, t1 = 0;
	size_t i, n, old;

	if (o->type != JSON_OBJECT)
		return lerr(l, NULL, "not a results object");
	if ((v = get(l, o, "format", JSON_STRING)) == NULL ||
	    strcmp(v->str, "tcpconform-results") != 0)
		return lerr(l, "format", "not a tcpconform results file");
	if (get_int(l, o, "version", 1, INT_MAX, &ver) == -1)
		return -1;
	if (ver > REPORT_JSON_VERSION)
		return lerr(l, "version", "format version %lld is newer than "
		    "this tcpconform reads (%d)", (long long)ver,
		    REPORT_JSON_VERSION);
	tester = get(l, o, "tester", JSON_OBJECT);
	if (l->err != NULL ||
	    get_str(l, tester, "version", &r->tester_version) == -1 ||
	    get_str(l, tester, "command_line", &r->command_line) == -1 ||
	    get_int(l, o, "started_us", INT64_MIN, INT64_MAX, &t0) == -1 ||
	    get_int(l, o, "ended_us", INT64_MIN, INT64_MAX, &t1) == -1)
		return -1;
	r->started_us = t0;
	r->ended_us = t1;
	if ((v = get(l, o, "strict", JSON_TRUE)) != NULL)
		r->strict = v->type == JSON_TRUE;
	if ((v = get(l, o, "complete", JSON_TRUE)) != NULL)
		r->complete = v->type == JSON_TRUE;
	if (get_str(l, o, "stopped", &r->stopped) == -1)
		return -1;
	if (l_kv(l, o, "options", r, NULL) == -1)
		return -1;
	if (l->err != NULL || l_reqs(l, o, "known_requirements",
	    &r->known_reqs, &r->nknown) == -1 ||
	    get_array(l, o, "targets", &a) == -1)
		return -1;
	for (i = 0, n = 0; a != NULL && i < a->n; i++) {
		cases = json_get(&a->items[i], "cases");
		if (cases != NULL && cases->type == JSON_ARRAY &&
		    (n += cases->n) > REPORT_MAX_CASES)
			return lerr(l, "targets", "more than %d cases",
			    REPORT_MAX_CASES);
	}
	for (i = 0; a != NULL && i < a->n; i++) {
		old = push(l, "targets[%zu]", i);
		if (l_target(l, &a->items[i], result_target_add(r)) == -1)
			return -1;
		l->path[old] = '\0';
	}
	return 0;
}

struct run *
report_json_parse(const char *buf, size_t len, char **err)
{
	struct json_value *doc;
	struct loader l;
	struct run *r;

	*err = NULL;
	if ((doc = json_parse(buf, len, err)) == NULL)
		return NULL;
	memset(&l, 0, sizeof(l));
	r = result_run_new();
	if (l_run(&l, doc, r) == -1) {
		result_run_free(r);
		r = NULL;
		*err = l.err != NULL ? l.err : strdup("out of memory");
	}
	json_free(doc);
	return r;
}

struct run *
report_json_read_file(const char *path, char **err)
{
	struct run *r;
	char *buf, *msg = NULL;
	size_t len;

	*err = NULL;
	if (file_slurp(path, JSON_MAX_INPUT, &buf, &len, err) == -1)
		return NULL;
	if ((r = report_json_parse(buf, len, &msg)) == NULL) {
		if (asprintf(err, "%s: %s", path, msg != NULL ? msg :
		    "out of memory") == -1)
			*err = NULL;
		free(msg);
	}
	free(buf);
	return r;
}
