/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_case_bad.c: every broken case file in tests/cases-bad/ must fail to
 * parse with exactly the messages in its NAME.err file, byte for byte, so
 * that a change to a message (or a crash, or a silent accept) is seen.  One
 * cmocka test per file, named after it.
 *
 * The files are read with the directory as the working directory, so the
 * messages start with "NAME.case:" whatever the build directory is.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "case.h"

#define BADDIR	TESTDIR "/cases-bad"
#define MIN_BAD	25	/* the set must not shrink unnoticed */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void
bad_file_gives_expected_errors(void **state)
{
	const char *name = *state;
	struct case_prog *p;
	char *msgs, *want, errname[512];
	size_t n = strlen(name);

	snprintf(errname, sizeof(errname), "%.*s.err", (int)(n - 5), name);
	want = slurp(errname);
	if (want == NULL)
		fail_msg("%s: no %s next to it", name, errname);
	assert_int_equal(case_load(name, &p, &msgs), -1);
	assert_null(p);
	if (msgs == NULL || strcmp(msgs, want) != 0)
		fail_msg("%s: messages differ\n--- expected\n%s--- got\n%s",
		    name, want, msgs ? msgs : "(none)\n");
	free(msgs);
	free(want);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	struct CMUnitTest *tests = NULL;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i, len;
	DIR *d;
	int rc;

	if (chdir(BADDIR) == -1 || (d = opendir(".")) == NULL) {
		perror(BADDIR);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".case") != 0)
			continue;
		names = reallocarray(names, n + 1, sizeof(*names));
		if (names == NULL || (names[n++] = strdup(de->d_name)) == NULL)
			return 1;
	}
	closedir(d);
	if (n < MIN_BAD) {
		fprintf(stderr, "only %zu broken case files in %s, expected at "
		    "least %d\n", n, BADDIR, MIN_BAD);
		return 1;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	if ((tests = calloc(n, sizeof(*tests))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		tests[i].name = names[i];
		tests[i].test_func = bad_file_gives_expected_errors;
		tests[i].initial_state = names[i];
	}
	rc = _cmocka_run_group_tests("case_bad_files", tests, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
