/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * file.h: whole files in and out (lib/: used by every module).  Errors are
 * returned as -1 with a malloc'ed message in *err (NULL if even that
 * failed), the convention of the whole tester.
 */
#ifndef TCPCONFORM_FILE_H
#define TCPCONFORM_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Read a whole file of at most max bytes, NUL-terminated. */
int	file_slurp(const char *path, size_t max, char **buf, size_t *len,
	    char **err);

/*
 * Write path atomically (a temporary file in the same folder, renamed into
 * place when fn returned 0 and the stream had no error; removed if not).
 */
int	file_write_atomic(const char *path, int (*fn)(FILE *, const void *),
	    const void *arg, char **err);

/* mkdir, fine if it exists. */
int	file_mkdir(const char *path, char **err);

#endif /* TCPCONFORM_FILE_H */
