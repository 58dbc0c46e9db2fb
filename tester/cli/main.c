/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * main.c: the tcpconform command: global options, then one subcommand from
 * the table below.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_serve_entry;
extern const struct cmd_entry cmd_version_entry;

/* Keep sorted by name; "tcpconform help" prints them in this order. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_check_entry,
	&cmd_list_entry,
	&cmd_report_entry,
	&cmd_run_entry,
	&cmd_serve_entry,
	&cmd_version_entry,
	NULL
};

static void
usage(FILE *f)
{
	const struct cmd_entry *const *c;

	fprintf(f, "usage: tcpconform [-h | --help | -V | --version] COMMAND "
	    "[ARGS]\n\n"
	    "A packet-level TCP conformance tester.  Commands:\n");
	for (c = cmd_table; *c != NULL; c++)
		fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fprintf(f, "\n\"tcpconform COMMAND --help\" describes one command; "
	    "tcpconform(1) describes them all.\n");
}

void
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tcpconform %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cmd_getopt_error(const char *cmd, int c, char **argv)
{
	char name[64];
	const char *arg = argv[optind - 1];

	/*
	 * optopt names a short option; a long one is the argument as written,
	 * without any "=VALUE".
	 */
	if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		snprintf(name, sizeof(name), "-%c", optopt);
	else
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="),
		    arg);
	if (c == ':')
		cmd_usage_error(cmd, "option '%s' needs a value (\"tcpconform "
		    "%s --help\" shows it)", name, cmd);
	else
		cmd_usage_error(cmd, "unknown option '%s' (\"tcpconform %s "
		    "--help\" lists them)", name, cmd);
	return EXIT_SETUP;
}

static int
cmd_version_exec(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		cmd_usage_error("version", "takes no arguments");
		return EXIT_SETUP;
	}
	printf("tcpconform %s\n", PACKAGE_VERSION);
	return EXIT_PASS;
}

static void
cmd_version_help(void)
{
	printf("usage: tcpconform version\n\nPrint the version and exit.\n");
}

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.args = "",
	.summary = "print the version",
	.exec = cmd_version_exec,
	.help = cmd_version_help,
};

int
main(int argc, char **argv)
{
	const struct cmd_entry *const *c;

	if (argc < 2) {
		usage(stderr);
		return EXIT_SETUP;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2) {
			for (c = cmd_table; *c != NULL; c++)
				if (strcmp((*c)->name, argv[2]) == 0) {
					(*c)->help();
					return EXIT_PASS;
				}
			cmd_usage_error("help", "unknown command '%s'", argv[2]);
			return EXIT_SETUP;
		}
		usage(stdout);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version_exec(1, argv + 1);
	for (c = cmd_table; *c != NULL; c++) {
		if (strcmp((*c)->name, argv[1]) != 0)
			continue;
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
		    strcmp(argv[2], "-h") == 0)) {
			(*c)->help();
			return EXIT_PASS;
		}
		return (*c)->exec(argc - 1, argv + 1);
	}
	fprintf(stderr, "tcpconform: unknown command '%s' "
	    "(\"tcpconform --help\" lists them)\n", argv[1]);
	return EXIT_SETUP;
}
