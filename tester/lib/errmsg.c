/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * errmsg.c: the error setter and the out-of-memory policy every module
 * uses (errmsg.h), instead of a vasprintf wrapper and an xcalloc of its
 * own in each file.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"

void
tc_oom(void)
{
	fputs("tcpconform: out of memory\n", stderr);
	abort();
}

int
tc_vseterr(char **err, const char *fmt, va_list ap)
{
	if (err == NULL)
		return -1;
	if (vasprintf(err, fmt, ap) == -1)
		tc_oom();
	return -1;
}

int
tc_seterr(char **err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tc_vseterr(err, fmt, ap);
	va_end(ap);
	return -1;
}

void *
xmalloc(size_t size)
{
	void *p;

	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		tc_oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		tc_oom();
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		tc_oom();
	if ((p = realloc(old, n * size == 0 ? 1 : n * size)) == NULL)
		tc_oom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = strdup(s)) == NULL)
		tc_oom();
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		tc_oom();
	return s;
}

void
xstrv_add(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}
