/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * errmsg.h: the one error convention of the tester (lib/): a function
 * that fails returns -1 and, when its caller passed a char **err, a
 * message in *err that the caller frees.  And the one out-of-memory
 * policy: the tester cannot report what it failed to record, so an
 * allocation that fails prints "out of memory" and aborts.
 */
#ifndef TCPCONFORM_ERRMSG_H
#define TCPCONFORM_ERRMSG_H

#include <stdarg.h>
#include <stddef.h>

/*
 * *err = the formatted message (nothing when err is NULL); returns -1, so
 * that "return tc_seterr(err, ...);" ends a failing function.
 */
int	tc_seterr(char **err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	tc_vseterr(char **err, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

/* "tcpconform: out of memory" on stderr, then abort(3). */
void	tc_oom(void) __attribute__((noreturn));

/* malloc(3) and friends that never return NULL (0 bytes: 1 byte). */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);		/* NULL stays NULL */
char	*xasprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* Append a copy of s to the array *v of *n strings. */
void	 xstrv_add(char ***v, size_t *n, const char *s);

#endif /* TCPCONFORM_ERRMSG_H */
