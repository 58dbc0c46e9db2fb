/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_load.c: reading case files from disk, one file or a whole tree of
 * them (the catalogue that "tcpconform list" and "check" walk).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"

/* Deep enough for cases/<topic>/<subtopic>, shallow enough to stop loops. */
#define CASE_DIR_DEPTH	16

struct pathlist {
	char		**v;
	size_t		n;
	size_t		cap;
};

static char	*read_file(const char *, size_t *, char **);
static int	collect(const char *, const char *, int, struct pathlist *,
		    FILE *);
static int	inside(const char *, const char *);
static int	add_path(struct pathlist *, char *);
static int	has_suffix(const char *, const char *);
static int	cmp_path(const void *, const void *);

/* Read a whole file of at most CASE_FILE_MAX bytes into a new buffer. */
static char *
read_file(const char *path, size_t *len, char **msgs)
{
	struct stat st;
	char *buf;
	ssize_t r;
	size_t n = 0;
	int fd;

	/*
	 * O_NONBLOCK: opening a FIFO with no writer would block forever;
	 * anything but a regular file is refused before it is read.
	 */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1) {
		if (asprintf(msgs, "%s: error: %s\n", path, strerror(errno)) < 0)
			*msgs = NULL;
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		if (asprintf(msgs, "%s: error: %s\n", path, strerror(errno)) < 0)
			*msgs = NULL;
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		if (asprintf(msgs, "%s: error: expected a regular file, found "
		    "%s\n", path, S_ISDIR(st.st_mode) ? "a directory" :
		    S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) ?
		    "a device" : "a special file") < 0)
			*msgs = NULL;
		close(fd);
		return NULL;
	}
	if ((buf = malloc(CASE_FILE_MAX + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	while (n <= CASE_FILE_MAX &&
	    (r = read(fd, buf + n, CASE_FILE_MAX + 1 - n)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			if (asprintf(msgs, "%s: error: %s\n", path,
			    strerror(errno)) < 0)
				*msgs = NULL;
			goto fail;
		}
		n += (size_t)r;
	}
	if (n > CASE_FILE_MAX) {
		if (asprintf(msgs, "%s: error: expected a case file of at most "
		    "%d bytes, found a bigger one\n", path, CASE_FILE_MAX) < 0)
			*msgs = NULL;
		goto fail;
	}
	close(fd);
	*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

int
case_load(const char *path, struct case_prog **prog, char **msgs)
{
	char *buf;
	size_t len;
	int rc;

	*prog = NULL;
	*msgs = NULL;
	if ((buf = read_file(path, &len, msgs)) == NULL)
		return -1;
	rc = case_parse(path, buf, len, prog, msgs);
	free(buf);
	return rc;
}

int
case_load_file(const char *path, struct case_prog ***progs, size_t *n,
    char **msgs)
{
	struct case_prog *p;
	char *buf;
	size_t len;
	int rc;

	*progs = NULL;
	*n = 0;
	*msgs = NULL;
	if (!has_suffix(path, ".matrix")) {
		if (case_load(path, &p, msgs) == -1)
			return -1;
		if ((*progs = calloc(1, sizeof(**progs))) == NULL) {
			case_free(p);
			return -1;
		}
		(*progs)[(*n)++] = p;
		return 0;
	}
	if ((buf = read_file(path, &len, msgs)) == NULL)
		return -1;
	rc = case_matrix_parse(path, buf, len, progs, n, msgs);
	free(buf);
	return rc;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && strcmp(s + n - m, suf) == 0;
}

static int
add_path(struct pathlist *pl, char *path)
{
	char **nv;

	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 64;
		if ((nv = reallocarray(pl->v, pl->cap, sizeof(*nv))) == NULL) {
			free(path);
			return -1;
		}
		pl->v = nv;
	}
	pl->v[pl->n++] = path;
	return 0;
}

/* Whether path resolves to root itself or to something below it. */
static int
inside(const char *root, const char *path)
{
	char *real;
	size_t n = strlen(root);
	int in;

	if ((real = realpath(path, NULL)) == NULL)
		return 0;
	in = strncmp(real, root, n) == 0 && (real[n] == '\0' ||
	    real[n] == '/' || (n == 1 && root[0] == '/'));
	free(real);
	return in;
}

/*
 * Add every *.case under dir to pl.  Names starting with '.' are skipped
 * (editor and VCS files), and so are symbolic links that lead out of the
 * tree (root, resolved): a catalogue must not pull in files from elsewhere.
 * Returns -1 when something could not be read; the reason goes to f.
 */
static int
collect(const char *root, const char *dir, int depth, struct pathlist *pl,
    FILE *f)
{
	struct dirent *de;
	struct stat st;
	char *path;
	DIR *d;
	int rc = 0;

	if (depth > CASE_DIR_DEPTH) {
		fprintf(f, "%s: error: directories nested too deep\n", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		fprintf(f, "%s: error: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s%s%s", dir, *dir != '\0' &&
		    dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name) < 0) {
			rc = -1;
			break;
		}
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
		    !inside(root, path)) {
			fprintf(f, "%s: warning: a symbolic link out of %s, "
			    "not followed\n", path, root);
			free(path);
		} else if (stat(path, &st) == -1) {
			fprintf(f, "%s: error: %s\n", path, strerror(errno));
			free(path);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (collect(root, path, depth + 1, pl, f) == -1)
				rc = -1;
			free(path);
		} else if (S_ISREG(st.st_mode) && (has_suffix(path, ".case") ||
		    has_suffix(path, ".matrix"))) {
			if (add_path(pl, path) == -1)
				rc = -1;
		} else
			free(path);
	}
	closedir(d);
	return rc;
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
case_load_dir(const char *dir, struct case_prog ***progs, size_t *n,
    char **msgs)
{
	struct pathlist pl = { NULL, 0, 0 };
	struct case_prog **v, **np;
	size_t i, len, nv;
	char *m, *root, *text = NULL;
	FILE *f;
	int rc;

	*progs = NULL;
	*n = 0;
	*msgs = NULL;
	if ((f = open_memstream(&text, &len)) == NULL)
		return -1;
	if ((root = realpath(dir, NULL)) == NULL) {
		fprintf(f, "%s: error: %s\n", dir, strerror(errno));
		rc = -1;
	} else
		rc = collect(root, dir, 0, &pl, f);
	free(root);
	if (pl.n > 0)
		qsort(pl.v, pl.n, sizeof(*pl.v), cmp_path);
	for (i = 0; i < pl.n; i++) {
		m = NULL;
		if (case_load_file(pl.v[i], &v, &nv, &m) == 0) {
			if ((np = reallocarray(*progs, *n + nv + 1,
			    sizeof(*np))) == NULL) {
				case_free_all(v, nv);
				rc = -1;
			} else {
				*progs = np;
				memcpy(*progs + *n, v, nv * sizeof(*v));
				*n += nv;
				free(v);
			}
		} else
			rc = -1;
		if (m != NULL) {
			fputs(m, f);
			free(m);
		}
		free(pl.v[i]);
	}
	free(pl.v);
	fclose(f);
	if (len > 0)
		*msgs = text;
	else
		free(text);
	return rc;
}
