/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_cases.c: the cases of a run: loading files and directories, the id
 * each case is known by in results and baselines, and the tag and name
 * filters of "tcpconform run" and "tcpconform list".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case.h"
#include "run.h"

#ifndef CASESDIR
#define CASESDIR	"/usr/local/share/tcpconform/cases"
#endif

static int	add_case(struct run_caselist *, struct case_prog *,
		    const char *);
static void	append_msgs(char **, const char *);
static int	has_tag(const struct case_prog *, char *const *, size_t);
static int	keep_case(const struct run_case *, const struct run_opts *);

/* Names of the CASE_NEED_* bits, by bit position (as in case files). */
static const char *const need_names[] = {
	"agent", "any-port", "http", "echo", "discard", "ipv4", "ipv6",
	"same-link", "banner",
};

/*
 * The id of a case: its path after the last "cases/" folder if there is
 * one (so that "run cases/" and "run cases/close/x.case" agree), else
 * relative to base (the directory it was found under; NULL for a file given
 * alone: its name), without the ".case" suffix.
 */
char *
run_case_id(const char *path, const char *base)
{
	const char *p = path, *q;
	size_t n, bl;
	char *id;

	while (strncmp(p, "./", 2) == 0)
		p += 2;
	if (strncmp(p, "cases/", 6) == 0)
		p += 6;
	else if ((q = strstr(p, "/cases/")) == NULL) {
		if (base != NULL) {
			while (strncmp(base, "./", 2) == 0)
				base += 2;
			bl = strlen(base);
			while (bl > 0 && base[bl - 1] == '/')
				bl--;
			if (bl > 0 && strncmp(p, base, bl) == 0 &&
			    p[bl] == '/')
				p += bl + 1;
		} else if ((q = strrchr(p, '/')) != NULL)
			p = q + 1;
	}
	while ((q = strstr(p, "/cases/")) != NULL)
		p = q + 7;
	while (*p == '/')
		p++;
	n = strlen(p);
	if (n > 5 && strcmp(p + n - 5, ".case") == 0)
		n -= 5;
	if ((id = strndup(p, n)) == NULL)
		abort();
	return id;
}

static int
add_case(struct run_caselist *cl, struct case_prog *p, const char *base)
{
	struct run_case *nv;
	const char *slash;
	char *dir;

	nv = reallocarray(cl->v, cl->n + 1, sizeof(*nv));
	if (nv == NULL) {
		case_free(p);
		return -1;
	}
	cl->v = nv;
	cl->v[cl->n].prog = p;
	/*
	 * A matrix file given alone: its cells are known by the file's name
	 * and their own (x/established/rst-exact), as under a folder.
	 */
	if (base == NULL && p->source != NULL &&
	    (slash = strrchr(p->source, '/')) != NULL) {
		if ((dir = strndup(p->source, (size_t)(slash - p->source))) ==
		    NULL)
			abort();
		cl->v[cl->n].id = run_case_id(p->path, dir);
		free(dir);
	} else if (base == NULL && p->source != NULL)
		cl->v[cl->n].id = run_case_id(p->path, ".");
	else
		cl->v[cl->n].id = run_case_id(p->path, base);
	cl->n++;
	return 0;
}

static void
append_msgs(char **msgs, const char *m)
{
	char *n;

	if (m == NULL || *m == '\0')
		return;
	if (asprintf(&n, "%s%s", *msgs != NULL ? *msgs : "", m) < 0)
		return;
	free(*msgs);
	*msgs = n;
}

int
run_cases_load(struct run_caselist *cl, char *const *paths, size_t n,
    char **msgs)
{
	struct case_prog **v;
	struct stat st;
	size_t i, j, nv;
	char *m;
	int rc = 0;

	*msgs = NULL;
	for (i = 0; i < n; i++) {
		m = NULL;
		if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (case_load_dir(paths[i], &v, &nv, &m) == -1)
				rc = -1;
			for (j = 0; j < nv; j++)
				if (add_case(cl, v[j], paths[i]) == -1)
					rc = -1;
			free(v);
		} else if (case_load_file(paths[i], &v, &nv, &m) == 0) {
			for (j = 0; j < nv; j++)
				if (add_case(cl, v[j], NULL) == -1)
					rc = -1;
			free(v);
		} else
			rc = -1;
		append_msgs(msgs, m);
		free(m);
	}
	return rc;
}

void
run_cases_free(struct run_caselist *cl)
{
	size_t i;

	for (i = 0; i < cl->n; i++) {
		case_free(cl->v[i].prog);
		free(cl->v[i].id);
	}
	free(cl->v);
	cl->v = NULL;
	cl->n = 0;
}

static int
has_tag(const struct case_prog *p, char *const *tags, size_t n)
{
	size_t i;
	int j;

	for (i = 0; i < n; i++)
		for (j = 0; j < p->ntags; j++)
			if (strcmp(p->tags[j], tags[i]) == 0)
				return 1;
	return 0;
}

static int
keep_case(const struct run_case *c, const struct run_opts *o)
{
	size_t i;

	if (o->ntags > 0 && !has_tag(c->prog, o->tags, o->ntags))
		return 0;
	if (has_tag(c->prog, o->skip_tags, o->nskip))
		return 0;
	if (o->nnames == 0)
		return 1;
	for (i = 0; i < o->nnames; i++)
		if (strncmp(c->id, o->names[i], strlen(o->names[i])) == 0)
			return 1;
	return 0;
}

void
run_cases_filter(struct run_caselist *cl, const struct run_opts *o)
{
	size_t i, k = 0;

	for (i = 0; i < cl->n; i++) {
		if (keep_case(&cl->v[i], o)) {
			cl->v[k++] = cl->v[i];
			continue;
		}
		case_free(cl->v[i].prog);
		free(cl->v[i].id);
	}
	cl->n = k;
}

char *
run_needs_str(unsigned needs, char *buf, size_t cap)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(need_names) / sizeof(need_names[0]); i++) {
		if (!(needs & (1U << i)))
			continue;
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0,
		    "%s%s", len ? " " : "", need_names[i]);
		if (len >= cap)
			break;
	}
	return buf;
}

/* The installed catalogue (CASESDIR), or ./cases in a source tree. */
const char *
run_default_casedir(void)
{
	struct stat st;

	if (stat(CASESDIR, &st) == 0 && S_ISDIR(st.st_mode))
		return CASESDIR;
	return "cases";
}
