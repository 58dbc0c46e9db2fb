/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_util.c: escaping, links, names, times and atomic files for the
 * report writers.  Everything written here may have come from the target or
 * from a case file, so nothing is copied to the output unchecked.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "report.h"
#include "report_util.h"

static int	 esc_ascii(FILE *, unsigned char);
static int	 printable_cp(const unsigned char *, size_t);
static int	 write_file_cb(FILE *, const void *);

/* One ASCII byte; returns 0 if it was a control character shown as \xNN. */
static int
esc_ascii(FILE *f, unsigned char c)
{
	switch (c) {
	case '&': fputs("&amp;", f); return 1;
	case '<': fputs("&lt;", f); return 1;
	case '>': fputs("&gt;", f); return 1;
	case '"': fputs("&quot;", f); return 1;
	case '\'': fputs("&#39;", f); return 1;
	case '=': fputs("&#61;", f); return 1;	/* no "onerror=" survives */
	case '\t': case '\n': fputc(c, f); return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		fprintf(f, "\\x%02x", c);
		return 0;
	}
	fputc(c, f);
	return 1;
}

/* A well-formed sequence of k bytes that is not a C1 control or U+FFFE/F. */
static int
printable_cp(const unsigned char *s, size_t k)
{
	if (k == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;	/* U+0080..U+009F */
	if (k == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
		return 0;	/* U+FFFE, U+FFFF */
	return 1;
}

void
report_esc_n(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, j, k;

	for (i = 0; i < n; i += k) {
		k = 1;
		if (s[i] < 0x80) {
			esc_ascii(f, s[i]);
			continue;
		}
		k = json_utf8_len(str + i, n - i);
		if (k != 0 && printable_cp(s + i, k)) {
			fwrite(s + i, 1, k, f);
			continue;
		}
		if (k == 0)
			k = 1;
		for (j = 0; j < k; j++)
			fprintf(f, "\\x%02x", s[i + j]);
	}
}

void
report_esc(FILE *f, const char *s)
{
	if (s != NULL)
		report_esc_n(f, s, strlen(s));
}

void
report_esc_max(FILE *f, const char *s, size_t max)
{
	size_t n, k, chars = 0, i = 0;

	if (s == NULL)
		return;
	n = strlen(s);
	while (i < n && chars < max) {
		k = json_utf8_len(s + i, n - i);
		i += k == 0 ? 1 : k;
		chars++;
	}
	report_esc_n(f, s, i);
	if (i < n)
		fputs("\xe2\x80\xa6", f);	/* U+2026 ellipsis */
}

void
report_href(FILE *f, const char *prefix, const char *path)
{
	const unsigned char *p;

	if (prefix != NULL)
		fputs(prefix, f);
	if (path == NULL)
		return;
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '~' || *p == '/' || *p == '-')
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
	}
}

char *
report_slug(const char *id, char *buf, size_t cap)
{
	size_t n = 0;
	int dash = 0;
	unsigned char c;

	if (cap == 0)
		return buf;
	for (; id != NULL && *id != '\0' && n + 1 < cap; id++) {
		c = (unsigned char)*id;
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || (c == '.' && n > 0 && buf[n - 1] != '.')) {
			buf[n++] = (char)c;
			dash = 0;
		} else if (!dash && n > 0) {
			buf[n++] = '-';		/* '/' and the rest */
			dash = 1;
		}
	}
	while (n > 0 && (buf[n - 1] == '-' || buf[n - 1] == '.'))
		n--;
	if (n == 0 && cap > 5)
		n = (size_t)snprintf(buf, cap, "case");
	buf[n] = '\0';
	return buf;
}

/* A name before it is made unique, and the id it names. */
struct slug {
	char		 name[88];
	size_t		 i;
};

static int	slug_cmp(const void *, const void *);
static int	slug_taken(const struct slug *, size_t, const char *);

static int
slug_cmp(const void *a, const void *b)
{
	const struct slug *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Is name one of the n sorted slugs?  A binary search. */
static int
slug_taken(const struct slug *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(name, v[mid].name)) == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * Slugs are sorted, so equal ones sit together: the first keeps the plain
 * name and each other one gets "-<its number>", again until it meets no
 * plain name.  Names with a suffix cannot meet each other: each ends in
 * "-" and its own number, the only digits after its last '-'.  O(n log
 * n), so a hostile file of a million cases costs seconds, not hours.
 */
int
report_slugs(const char *const *ids, size_t n, char **names)
{
	struct slug *v;
	char name[160], sfx[24];
	size_t i, k;

	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		report_slug(ids[i], v[i].name, 80);
		v[i].i = i;
		names[i] = NULL;
	}
	qsort(v, n, sizeof(*v), slug_cmp);
	for (k = 0; k < n; k++) {
		i = v[k].i;
		snprintf(name, sizeof(name), "%s", v[k].name);
		snprintf(sfx, sizeof(sfx), "-%zu", i + 1);
		if (k > 0 && strcmp(v[k].name, v[k - 1].name) == 0)
			do
				strcat(name, sfx);
			while (slug_taken(v, n, name) &&
			    strlen(name) + strlen(sfx) < sizeof(name));
		if ((names[i] = strdup(name)) == NULL)
			goto fail;
	}
	free(v);
	return 0;
fail:
	for (i = 0; i < n; i++) {
		free(names[i]);
		names[i] = NULL;
	}
	free(v);
	return -1;
}

char *
report_time_iso(int64_t us, char *buf, size_t cap)
{
	struct tm tm;
	time_t t;

	t = (time_t)(us / 1000000);
	if (us <= 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, cap, "unknown");
	return buf;
}

char *
report_duration(int64_t us, char *buf, size_t cap)
{
	if (us < 0)
		snprintf(buf, cap, "-");
	else if (us < 1000)
		snprintf(buf, cap, "%lld \xc2\xb5s", (long long)us);
	else if (us < 1000000)
		snprintf(buf, cap, "%.1f ms", (double)us / 1e3);
	else
		snprintf(buf, cap, "%.2f s", (double)us / 1e6);
	return buf;
}

struct write_file_arg {
	int	(*fn)(FILE *, const struct run *);
	const struct run *run;
};

static int
write_file_cb(FILE *f, const void *arg)
{
	const struct write_file_arg *a = arg;

	return a->fn(f, a->run);
}

int
report_write_file(const char *path, int (*fn)(FILE *, const struct run *),
    const struct run *r, char **err)
{
	struct write_file_arg a = { fn, r };

	return file_write_atomic(path, write_file_cb, &a, err);
}

static const char *
run_opt(const struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->noptions; i++)
		if (r->options[i].name != NULL &&
		    strcmp(r->options[i].name, name) == 0)
			return r->options[i].value;
	return NULL;
}

/* Append " ARG", single-quoted unless it holds only safe characters. */
static void
rerun_arg(char *buf, size_t cap, const char *arg)
{
	size_t n = strlen(buf), i;
	int plain = arg[0] != '\0';

	for (i = 0; arg[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_./:,=+@%", arg[i]) == NULL)
			plain = 0;
	if (n + 1 >= cap)
		return;
	buf[n++] = ' ';
	if (!plain && n < cap)
		buf[n++] = '\'';
	for (i = 0; arg[i] != '\0' && n + 5 < cap; i++) {
		if (!plain && arg[i] == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else
			buf[n++] = arg[i];
	}
	if (!plain && n + 1 < cap)
		buf[n++] = '\'';
	buf[n < cap ? n : cap - 1] = '\0';
}

char *
report_rerun(const struct run *r, const struct target *t,
    const struct case_result *c, char *buf, size_t cap)
{
	static const struct {
		const char	*name;	/* recorded option */
		const char	*flag;	/* its flag; NULL: a bare flag */
		int		 bare;
	} opts[] = {
		{ "remote", "--remote", 1 },
		{ "intrusive", "--intrusive", 1 },
		{ "mode", "--mode", 0 },
		{ "iface", "--iface", 0 },
		{ "phantom-addr", "--phantom-addr", 0 },
		{ "port", "--port", 0 },
		{ "service", "--service", 0 },
		{ "agent", "--agent", 0 },
		{ "kind", "--kind", 0 },
		{ "rate", "--rate", 0 },
		{ "msl", "--msl", 0 },
		{ "expect", "--expect", 0 },
		{ "no-sanity", "--no-sanity", 1 },
	};
	const char *v;
	size_t i;

	snprintf(buf, cap, "tcpconform run");
	if (run_opt(r, "loopback") != NULL || t->mode == TARGET_LOOPBACK)
		rerun_arg(buf, cap, "--loopback");
	else {
		/* Its own address: a run of several targets records the
		 * first as "target". */
		rerun_arg(buf, cap, "--target");
		v = run_opt(r, "target");
		rerun_arg(buf, cap, t->address != NULL ? t->address : v != NULL ?
		    v : "?");
	}
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if ((v = run_opt(r, opts[i].name)) == NULL)
			continue;
		rerun_arg(buf, cap, opts[i].flag);
		if (!opts[i].bare)
			rerun_arg(buf, cap, v);
	}
	/* "http:80 echo:7": one --service each. */
	if ((v = run_opt(r, "services")) != NULL) {
		char one[64];
		size_t n;

		while (*v != '\0') {
			n = strcspn(v, " ");
			if (n > 0 && n < sizeof(one)) {
				memcpy(one, v, n);
				one[n] = '\0';
				rerun_arg(buf, cap, "--service");
				rerun_arg(buf, cap, one);
			}
			v += n;
			v += strspn(v, " ");
		}
	}
	if (run_opt(r, "port") == NULL && t->port > 0) {
		char p[16];

		snprintf(p, sizeof(p), "%d", t->port);
		rerun_arg(buf, cap, "--port");
		rerun_arg(buf, cap, p);
	}
	if (t->family == 4 || t->family == 6)
		rerun_arg(buf, cap, t->family == 4 ? "-4" : "-6");
	rerun_arg(buf, cap, c->file != NULL ? c->file : "?");
	return buf;
}
