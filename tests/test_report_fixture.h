/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_report_fixture.h: results models built in code for the report tests:
 * one case of every verdict, a mismatch, a missing segment, a measurement,
 * and a hostile case whose title and payload carry markup.
 */
#ifndef TCPCONFORM_TEST_REPORT_FIXTURE_H
#define TCPCONFORM_TEST_REPORT_FIXTURE_H

#include <stddef.h>
#include <stdio.h>

#include "result.h"

/* The markup the hostile case carries in its id, title and payload. */
#define HOSTILE_TITLE	"<script>alert(1)</script>\"><img src=x " \
			"onerror=alert(2)>]]>\xff\xfe bad UTF-8"
#define HOSTILE_ID	"evil/\"><script>alert(3)</script>"

/* Indices of the cases of fixture_run() in its first target. */
enum {
	FX_PASS,		/* 3 segments: the handshake */
	FX_FAIL,		/* ack mismatch at segment 3 of 5 */
	FX_MISSING,		/* an expected segment never came */
	FX_INFO,		/* a measurement */
	FX_XFAIL,
	FX_XPASS,
	FX_ERROR,
	FX_FLAKY,		/* 3 attempts, 1 failed */
	FX_NA,
	FX_WARN,
	FX_INCONCLUSIVE,
	FX_SKIP,
	FX_NCASES
};

/* A run with one target and the cases above; hostile adds one more case. */
struct run	*fixture_run(int hostile);
/* A second target for matrices: the same cases, other verdicts. */
void		 fixture_add_target(struct run *, const char *name);

/* cmocka assertions that a and b hold the same results (all fields). */
void		 fixture_assert_equal(const struct run *a, const struct run *b);

/* Write with fn to memory; returns the malloc'ed NUL-terminated text. */
char		*fixture_render(int (*fn)(FILE *, const struct run *),
		    const struct run *, size_t *len);
/* Occurrences of needle in hay. */
size_t		 fixture_count(const char *hay, const char *needle);

#endif /* TCPCONFORM_TEST_REPORT_FIXTURE_H */
