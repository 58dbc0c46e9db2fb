/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report.h: the writers of a run's results (results.json, the HTML report,
 * JUnit XML, TAP 13) and the reader that loads a results.json back.
 *
 * Layout of a report folder (report_write_all):
 *	results.json		every result (report_json_write)
 *	index.html		summary, failures, cases by topic, matrix,
 *				requirements, legend (self-contained)
 *	cases/t<N>/<case>.html	one self-contained page per case and target
 *	junit.xml		for CI systems (surefire/Jenkins schema)
 *	results.tap		TAP version 13, when asked for
 * Every file is written to a temporary name and renamed into place, so a
 * reader never sees half a file; index.html is written last.
 */
#ifndef TCPCONFORM_REPORT_H
#define TCPCONFORM_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "result.h"

#define REPORT_JSON	0x01
#define REPORT_HTML	0x02
#define REPORT_JUNIT	0x04
#define REPORT_TAP	0x08
#define REPORT_DEFAULT	(REPORT_JSON | REPORT_HTML | REPORT_JUNIT)

/* Version of the results.json format written and the newest one read. */
#define REPORT_JSON_VERSION	1
/*
 * The version of reports/results.schema.json that results.json follows,
 * written as its "schema_version": MAJOR (REPORT_JSON_VERSION) . MINOR,
 * which grows when fields are added.  Change the schema with the writer.
 */
#define REPORT_SCHEMA_VERSION	"1.3"

/*
 * Limits of the reader, so that a hostile results file cannot make the
 * report fill a disk: every case becomes a page of its own.
 */
#define REPORT_MAX_CASES	20000	/* in one results file */
#define REPORT_MAX_SEGS		10000	/* in one case */

/*
 * Write the files named by "what" (REPORT_*) into dir, which must exist.
 * Returns 0, or -1 with *err set (malloc'ed).
 */
int	report_write_all(const struct run *, const char *dir, unsigned what,
	    char **err);

/* Each writer returns 0, or -1 when the stream failed (ferror). */
int	report_json_write(FILE *, const struct run *);
int	report_junit_write(FILE *, const struct run *);
int	report_tap_write(FILE *, const struct run *);

/*
 * The HTML report: the index page, and one case page (target ti, case ci;
 * the page lives in cases/t<ti+1>/, two folders below the index).  Writing
 * to FILE * is what tests and the fuzz target use; report_html_write_dir()
 * writes the whole folder.
 */
int	report_html_index(FILE *, const struct run *);
int	report_html_case(FILE *, const struct run *, size_t ti, size_t ci);
int	report_html_write_dir(const struct run *, const char *dir,
	    char **err);

/*
 * Write path atomically: fn writes to a temporary file in the same folder,
 * which is renamed to path if fn and the stream succeeded, removed if not.
 */
int	report_write_file(const char *path,
	    int (*fn)(FILE *, const struct run *), const struct run *,
	    char **err);

/*
 * Load a results.json (any bytes: the reader is safe on hostile input).
 * Returns the run, or NULL with *err set to "where: what" (malloc'ed).
 */
struct run *report_json_parse(const char *buf, size_t len, char **err);
struct run *report_json_read_file(const char *path, char **err);

#endif /* TCPCONFORM_REPORT_H */
