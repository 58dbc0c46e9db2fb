/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_cases_catalogue.c: the suite under cases/ checked as a registry:
 * every file parses, is listed for installation, checks at least one known
 * requirement, and names the fault of "tcpconform serve" that must make it
 * fail (or says why none can).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case.h"
#include "serve.h"

static struct case_prog **progs;
static size_t nprogs;

static const char *
srcdir(void)
{
	const char *s = getenv("srcdir");

	return s != NULL ? s : ".";
}

static int
setup(void **state)
{
	char dir[4096], *msgs = NULL;
	int rc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/cases", srcdir());
	rc = case_load_dir(dir, &progs, &nprogs, &msgs);
	if (msgs != NULL)
		fprintf(stderr, "%s", msgs);
	free(msgs);
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	case_free_all(progs, nprogs);
	return 0;
}

/* The suite covers the five families of the core behaviours and RST. */
static void
catalogue_has_every_family(void **state)
{
	static const char *const topics[] = { "handshake/", "close/",
	    "half-close/", "simultaneous-close/", "rst-unread/", "rst/" };
	size_t i, j, n;

	(void)state;
	assert_true(nprogs >= 25);
	for (i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		n = 0;
		for (j = 0; j < nprogs; j++)
			if (strstr(progs[j]->path, topics[i]) != NULL)
				n++;
		if (n == 0)
			fail_msg("no case in %s", topics[i]);
	}
}

/* Each case names a fault that serve knows, or says why there is none. */
static void
every_case_names_a_known_fault(void **state)
{
	size_t i;
	int j;

	(void)state;
	for (i = 0; i < nprogs; i++) {
		const struct case_prog *p = progs[i];

		if (p->nfaults == 0) {
			if (p->fault_none == NULL || p->fault_none[0] == '\0')
				fail_msg("%s: no fault and no reason", p->path);
			continue;
		}
		for (j = 0; j < p->nfaults; j++)
			if (serve_fault_lookup(p->faults[j]) < 0)
				fail_msg("%s: fault %s is not one of "
				    "tcpconform serve --list-faults", p->path,
				    p->faults[j]);
	}
}

/* Each case has a title and cites at least one requirement. */
static void
every_case_cites_requirements(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nprogs; i++) {
		assert_non_null(progs[i]->title);
		assert_true(strlen(progs[i]->title) > 10);
		if (progs[i]->nreqs < 1)
			fail_msg("%s: no requirement", progs[i]->path);
	}
}

/*
 * Every case file (and matrix file) is in cases/cases.am, so that make
 * install ships it.
 */
static void
every_case_is_installed(void **state)
{
	char path[4096], *buf;
	const char *rel;
	FILE *f;
	long n;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/cases/cases.am", srcdir());
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	for (i = 0; i < nprogs; i++) {
		/* A matrix cell is installed with its matrix file. */
		rel = strstr(progs[i]->source != NULL ? progs[i]->source :
		    progs[i]->path, "/cases/");
		assert_non_null(rel);
		rel++;
		if (strstr(buf, rel) == NULL)
			fail_msg("%s is not listed in cases/cases.am", rel);
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_has_every_family),
		cmocka_unit_test(every_case_names_a_known_fault),
		cmocka_unit_test(every_case_cites_requirements),
		cmocka_unit_test(every_case_is_installed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
