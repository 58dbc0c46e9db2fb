/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * fuzz_json.c: libFuzzer target for the JSON reader and everything behind
 * it: arbitrary bytes are parsed as JSON, loaded as results, and, when they
 * load, rendered by every writer (HTML index and case pages, JUnit, TAP,
 * JSON), so hostile results files cannot crash "tcpconform report".
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "report.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct json_value *v;
	struct run *r;
	char *err = NULL;
	size_t ti, ci;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	if ((v = json_parse((const char *)data, size, &err)) != NULL)
		json_free(v);
	free(err);
	err = NULL;
	if ((r = report_json_parse((const char *)data, size, &err)) == NULL) {
		free(err);
		return 0;
	}
	report_html_index(null, r);
	for (ti = 0; ti < r->ntargets; ti++)
		for (ci = 0; ci < r->targets[ti]->ncases; ci++)
			report_html_case(null, r, ti, ci);
	report_junit_write(null, r);
	report_tap_write(null, r);
	report_json_write(null, r);
	result_run_free(r);
	return 0;
}
