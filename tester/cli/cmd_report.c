/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * cmd_report.c: "tcpconform report": build the HTML report (and JUnit, TAP)
 * again from one or more results.json files; with several targets in them,
 * the report shows a matrix of cases by target.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "report_util.h"

static int	 report_exec(int, char **);
static void	 report_help(void);
static char	*dir_of(const char *);
static char	*rel_path(const char *, const char *);
static int	 load_all(int, char **, const char *, struct run **);
static int	 mkdir_p(const char *, char **);

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.args = "[-o DIR] [--tap FILE] RESULTS.json...",
	.summary = "write the HTML report of results.json files",
	.exec = report_exec,
	.help = report_help,
};

static void
report_help(void)
{
	printf("usage: tcpconform report [-o DIR] [--tap FILE] "
	    "RESULTS.json...\n\n"
	    "Write the HTML report (index.html and cases/), junit.xml and,\n"
	    "with --tap, TAP from the results of one or more runs.\n"
	    "When the results hold several targets (several files, or a run\n"
	    "against several targets), the report has a matrix of cases by\n"
	    "target.  Several files are merged, and the merged results.json\n"
	    "is written to DIR as well.  Links to pcaps point back to each\n"
	    "file's folder.\n\n"
	    "  -o, --output DIR  the report's folder (created if needed);\n"
	    "                    default: the folder of the only RESULTS.json\n"
	    "  -t, --tap FILE    also write TAP version 13 to FILE, as run "
	    "does\n\n"
	    "Prints the path of index.html.  Exit status 0, or 2 when a file\n"
	    "cannot be read or written.\n");
}

/* The folder part of path, malloc'ed; "." for a bare name. */
static char *
dir_of(const char *path)
{
	char *copy, *d;

	if ((copy = strdup(path)) == NULL)
		return NULL;
	d = strdup(dirname(copy));
	free(copy);
	return d;
}

/*
 * The path from folder "from" to folder "to", both existing, as the report
 * links pcaps with it: "" when they are the same, "../run1" and so on.
 */
static char *
rel_path(const char *from, const char *to)
{
	char a[PATH_MAX + 2], b[PATH_MAX + 2], *out;
	size_t i = 0, common = 0, len = 0;
	const char *p;

	if (realpath(from, a) == NULL || realpath(to, b) == NULL)
		return strdup(to);
	strcat(a, "/");
	strcat(b, "/");
	for (i = 0; a[i] != '\0' && a[i] == b[i]; i++)
		if (a[i] == '/')
			common = i + 1;
	if ((out = calloc(1, PATH_MAX * 2)) == NULL)
		return NULL;
	for (p = a + common; *p != '\0'; p++)
		if (*p == '/' && len + 3 < PATH_MAX) {
			memcpy(out + len, "../", 3);
			len += 3;
		}
	snprintf(out + len, PATH_MAX * 2 - len, "%s", b + common);
	len = strlen(out);
	while (len > 0 && out[len - 1] == '/')
		out[--len] = '\0';
	return out;
}

/* mkdir -p: every missing folder of path, then path itself. */
static int
mkdir_p(const char *path, char **err)
{
	char *copy, *p;
	int rc;

	if ((copy = strdup(path)) == NULL)
		return -1;
	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		rc = file_mkdir(copy, err);
		*p = '/';
		if (rc == -1) {
			free(copy);
			return -1;
		}
	}
	rc = file_mkdir(copy, err);
	free(copy);
	return rc;
}

static int
load_all(int n, char **files, const char *outdir, struct run **runp)
{
	struct run *all = NULL, *r;
	char *err = NULL, *dir;
	size_t ti;
	int i;

	for (i = 0; i < n; i++) {
		if ((r = report_json_read_file(files[i], &err)) == NULL) {
			cmd_usage_error("report", "%s", err != NULL ? err :
			    "out of memory");
			free(err);
			result_run_free(all);
			return -1;
		}
		dir = dir_of(files[i]);
		for (ti = 0; ti < r->ntargets; ti++)
			r->targets[ti]->pcap_dir = dir != NULL ?
			    rel_path(outdir, dir) : NULL;
		free(dir);
		if (all == NULL)
			all = r;
		else {
			result_run_merge(all, r);
			result_run_free(r);
		}
	}
	*runp = all;
	return 0;
}

static int
report_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "tap", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run *r = NULL;
	char *outdir = NULL, *tap = NULL, *err = NULL;
	unsigned what = REPORT_HTML | REPORT_JUNIT;
	int c, rc = EXIT_SETUP;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:t:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
		case 't':
			free(c == 'o' ? outdir : tap);
			if (c == 'o')
				outdir = strdup(optarg);
			else
				tap = strdup(optarg);
			break;
		case 'h':
			report_help();
			rc = EXIT_PASS;
			goto out;
		default:
			rc = cmd_getopt_error("report", c, argv);
			goto out;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		cmd_usage_error("report", "no results file given "
		    "(\"tcpconform report --help\")");
		goto out;
	}
	if (outdir == NULL && argc > 1) {
		cmd_usage_error("report", "several results files need -o DIR");
		goto out;
	}
	if (outdir == NULL && (outdir = dir_of(argv[0])) == NULL)
		goto out;
	while (strlen(outdir) > 1 && outdir[strlen(outdir) - 1] == '/')
		outdir[strlen(outdir) - 1] = '\0';
	if (mkdir_p(outdir, &err) == -1 ||
	    load_all(argc, argv, outdir, &r) == -1)
		goto out;
	if (argc > 1)
		what |= REPORT_JSON;
	if (report_write_all(r, outdir, what, &err) == -1)
		goto out;
	if (tap != NULL && report_write_file(tap, report_tap_write, r,
	    &err) == -1)
		goto out;
	printf("%s/index.html\n", outdir);
	rc = EXIT_PASS;
out:
	if (err != NULL) {
		cmd_usage_error("report", "%s", err);
		free(err);
	}
	result_run_free(r);
	free(outdir);
	free(tap);
	return rc;
}
