/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * cmd_check.c: "tcpconform check PATH...": parse case files without running
 * them, print their errors, and exit 0 when all of them parse, 2 otherwise.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case.h"
#include "cmd.h"
#include "text.h"

static void	put_title(const char *);
static int	check_one(struct case_prog *, int, int);
static int	check_path(const char *, int, int);
static int	cmd_check_exec(int, char **);
static void	cmd_check_help(void);

/*
 * The title as the case file writes it: quotes and backslashes escaped,
 * and what a terminal would obey (controls, C1, broken UTF-8) as \xNN by
 * text_term(), which the case language reads back as the same bytes.
 */
static void
put_title(const char *s)
{
	char *t, *p;
	size_t n;
	char c;

	if ((t = strdup(s)) == NULL)
		return;
	for (p = t; *p != '\0'; p += n) {
		n = strcspn(p, "\"\\");
		c = p[n];
		p[n] = '\0';
		text_term(stdout, p);
		p[n] = c;
		if (c != '\0')
			printf("\\%c", c), n++;
	}
	free(t);
}

/* "PATH: ok: "TITLE" [ID ...] N statements", or the canonical form. */
static int
check_one(struct case_prog *p, int print, int quiet)
{
	char *text;
	int i;

	if (print) {
		if ((text = case_print(p)) == NULL)
			return -1;
		fputs(text, stdout);
		free(text);
	} else if (!quiet) {
		printf("%s: ok: \"", p->path);
		put_title(p->title);
		printf("\" [");
		for (i = 0; i < p->nreqs; i++)
			printf("%s%s", i ? " " : "", p->reqs[i]->id);
		printf("] %d statement%s\n", p->nstmts, p->nstmts == 1 ? "" :
		    "s");
	}
	return 0;
}

/* A file, or every *.case under a directory.  Returns -1 on any error. */
static int
check_path(const char *path, int print, int quiet)
{
	struct case_prog **v;
	struct stat st;
	size_t i, n;
	char *msgs;
	int rc;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = case_load_dir(path, &v, &n, &msgs);
		if (msgs != NULL)
			fputs(msgs, stderr);
		free(msgs);
		for (i = 0; i < n; i++)
			if (check_one(v[i], print, quiet) == -1)
				rc = -1;
		case_free_all(v, n);
		/* Checking nothing is not a pass: a typo would look fine. */
		if (n == 0 && rc == 0) {
			fprintf(stderr, "%s: error: no *.case or *.matrix file under this "
			    "folder\n", path);
			rc = -1;
		}
		return rc;
	}
	rc = case_load_file(path, &v, &n, &msgs);
	if (msgs != NULL)
		fputs(msgs, stderr);
	free(msgs);
	for (i = 0; rc == 0 && i < n; i++)
		if (check_one(v[i], print, quiet) == -1)
			rc = -1;
	case_free_all(v, n);
	return rc;
}

static int
cmd_check_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 }
	};
	int c, i, print = 0, quiet = 0, fail = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hpq", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cmd_check_help();
			return EXIT_PASS;
		case 'p':
			print = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			return cmd_getopt_error("check", c, argv);
		}
	}
	if (optind >= argc) {
		cmd_usage_error("check", "no case file given (usage: "
		    "tcpconform check [-pq] PATH...)");
		return EXIT_SETUP;
	}
	for (i = optind; i < argc; i++)
		if (check_path(argv[i], print, quiet) == -1)
			fail = 1;
	fflush(stdout);
	return fail ? EXIT_SETUP : EXIT_PASS;
}

static void
cmd_check_help(void)
{
	printf("usage: tcpconform check [-pq] PATH...\n\n"
	    "Parse case files without running them.  A PATH that is a "
	    "directory stands\nfor every *.case file under it.  Errors and "
	    "warnings go to standard error\nas FILE:LINE:COLUMN: error: "
	    "MESSAGE; each case that parses gets a line\nwith its title, "
	    "requirement IDs and number of statements.\n\n"
	    "  -p  print each case in canonical form instead\n"
	    "  -q  print errors and warnings only\n\n"
	    "Only regular files are read; symbolic links that lead out of a "
	    "directory\nare not followed.\n\n"
	    "Exit status: 0 when every case parsed, 2 otherwise (a directory "
	    "with no\ncase file included).  The language is described in "
	    "tcpconform-case(5).\n");
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.args = "[-pq] PATH...",
	.summary = "parse case files and report errors",
	.exec = cmd_check_exec,
	.help = cmd_check_help,
};
