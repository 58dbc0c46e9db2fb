/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report.c: writing every output of a run into its folder at once.
 */
#include "config.h"

#include <stdio.h>

#include "report.h"

/* Everything a run writes, into one folder; index.html last of all. */
int
report_write_all(const struct run *r, const char *dir, unsigned what,
    char **err)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
		int		(*fn)(FILE *, const struct run *);
	} files[] = {
		{ REPORT_JSON, "results.json", report_json_write },
		{ REPORT_JUNIT, "junit.xml", report_junit_write },
		{ REPORT_TAP, "results.tap", report_tap_write },
	};
	char path[4096];
	size_t i;

	*err = NULL;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!(what & files[i].bit))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		if (report_write_file(path, files[i].fn, r, err) == -1)
			return -1;
	}
	if ((what & REPORT_HTML) && report_html_write_dir(r, dir, err) == -1)
		return -1;
	return 0;
}
