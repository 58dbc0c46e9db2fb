/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * text.c: small text helpers every module may use: the comparison that
 * sorts MUST-9 before MUST-10, and durations in options.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "text.h"

int
text_natcmp(const char *a, const char *b)
{
	const char *sa, *sb;
	size_t la, lb;

	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	while (*a != '\0' && *b != '\0') {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			for (sa = a; *a >= '0' && *a <= '9'; a++)
				;
			for (sb = b; *b >= '0' && *b <= '9'; b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			if (memcmp(sa, sb, la) != 0)
				return memcmp(sa, sb, la) < 0 ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (*a != '\0') - (*b != '\0');
}

int
text_duration_us(const char *s, double max_s, uint64_t *us)
{
	char *end;
	double v;

	/* strtod takes "inf", "nan" and hex: only decimal digits here. */
	if (*s < '0' || *s > '9')
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (strcmp(end, "min") == 0)
		v *= 60;
	else if (*end != '\0' && strcmp(end, "s") != 0)
		return -1;
	if (!(v >= 0 && v <= max_s))
		return -1;
	*us = (uint64_t)(v * 1e6);
	return 0;
}

void
text_term(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k, j, n;
	int bad;

	if (s == NULL)
		return;
	n = strlen(s);
	for (i = 0; i < n; i += k) {
		k = json_utf8_len(s + i, n - i);
		if (k == 1)
			bad = u[i] < 0x20 || u[i] == 0x7f;
		else if (k == 2)			/* C1: U+0080..U+009F */
			bad = u[i] == 0xc2 && u[i + 1] < 0xa0;
		else if (k == 3)			/* bidi overrides */
			bad = u[i] == 0xe2 && ((u[i + 1] == 0x80 &&
			    u[i + 2] >= 0xaa && u[i + 2] <= 0xae) ||
			    (u[i + 1] == 0x81 && u[i + 2] >= 0xa6 &&
			    u[i + 2] <= 0xa9));
		else
			bad = k == 0;
		if (k == 0)
			k = 1;
		if (!bad) {
			fwrite(s + i, 1, k, f);
			continue;
		}
		for (j = 0; j < k; j++)
			fprintf(f, "\\x%02x", u[i + j]);
	}
}
