/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * fuzz_case.c: libFuzzer target for the case parser: any bytes must parse or
 * fail cleanly, and whatever parses must print to text that parses back to
 * the same canonical text (parse, print, parse, print: equal).  The same
 * bytes go through the matrix expander too, which must expand or fail
 * cleanly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct case_prog *p, *q, **v;
	char *msgs, *t1, *t2;
	size_t n;

	if (case_matrix_parse("fuzz.matrix", (const char *)data, size, &v, &n,
	    &msgs) == 0)
		case_free_all(v, n);
	free(msgs);

	if (case_parse("fuzz.case", (const char *)data, size, &p, &msgs) == -1) {
		free(msgs);
		return 0;
	}
	free(msgs);
	t1 = case_print(p);
	case_free(p);
	if (t1 == NULL)
		return 0;
	if (case_parse("fuzz.case", t1, strlen(t1), &q, &msgs) == -1) {
		fprintf(stderr, "printed text does not parse:\n%s\n%s", t1,
		    msgs ? msgs : "");
		abort();
	}
	free(msgs);
	t2 = case_print(q);
	case_free(q);
	if (t2 == NULL || strcmp(t1, t2) != 0) {
		fprintf(stderr, "print is not stable:\n%s\n---\n%s", t1,
		    t2 ? t2 : "(null)");
		abort();
	}
	free(t1);
	free(t2);
	return 0;
}
