/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * file.c: whole files in and out: read one whole file with a size limit,
 * write one atomically, make a folder.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "file.h"

int
file_slurp(const char *path, size_t max, char **bufp, size_t *lenp,
    char **err)
{
	FILE *f;
	char *buf;
	size_t n;

	*bufp = NULL;
	if ((f = fopen(path, "rb")) == NULL)
		return tc_seterr(err, "%s: %s", path, strerror(errno));
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max) {
		tc_seterr(err, "%s: %s", path, ferror(f) ? "read error" :
		    "file too large");
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	*bufp = buf;
	*lenp = n;
	return 0;
}

int
file_mkdir(const char *path, char **err)
{
	struct stat st;

	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return tc_seterr(err, "%s: %s", path, strerror(errno));
}

int
file_write_atomic(const char *path, int (*fn)(FILE *, const void *),
    const void *arg, char **err)
{
	char *tmp;
	FILE *f;
	int fd, rc, saved;

	tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1 || fchmod(fd, 0644) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		tc_seterr(err, "%s: %s", tmp, strerror(saved));
		free(tmp);
		return -1;
	}
	errno = 0;
	rc = fn(f, arg);
	if (fflush(f) == EOF || ferror(f))
		rc = -1;
	saved = errno;
	if (fclose(f) == EOF)
		rc = -1;
	if (rc == 0 && rename(tmp, path) == -1) {
		saved = errno;
		rc = -1;
	}
	if (rc == -1) {
		unlink(tmp);
		tc_seterr(err, "%s: %s", path, saved != 0 ?
		    strerror(saved) : "write error");
	}
	free(tmp);
	return rc;
}
