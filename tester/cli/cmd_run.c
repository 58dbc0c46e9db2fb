/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * cmd_run.c: "tcpconform run [options] CASE-OR-DIR...": run cases against
 * one target and write the report (the runner is run_*.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "run.h"

static char	*join_args(int, char **);
static int	cmd_run_exec(int, char **);
static void	cmd_run_help(void);

/* "tcpconform run --loopback cases/", for the results. */
static char *
join_args(int argc, char **argv)
{
	size_t len = strlen("tcpconform") + 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((s = malloc(len)) == NULL)
		abort();
	strcpy(s, "tcpconform");
	for (i = 0; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int
cmd_run_exec(int argc, char **argv)
{
	struct run_opts o;
	char *err = NULL;
	int r;

	run_opts_init(&o);
	o.command_line = join_args(argc, argv);
	if ((r = run_opts_parse(&o, argc, argv, &err)) != 0) {
		if (r == 1)
			cmd_run_help();
		else
			cmd_usage_error("run", "%s", err != NULL ? err : "?");
		free(err);
		run_opts_free(&o);
		return r == 1 ? EXIT_PASS : EXIT_SETUP;
	}
	r = run_main(&o);
	run_opts_free(&o);
	return r;
}

static void
cmd_run_help(void)
{
	printf("usage: tcpconform run [options] [CASE-OR-DIR...]\n\n"
	    "Run cases against a target (or several) and write a report.  "
	    "With no\nCASE-OR-DIR, the installed catalogue (or ./cases) is "
	    "run.\n\n"
	    "Target:\n"
	    "  --loopback             this host over lo (127.0.0.1 and ::1)\n"
	    "  --target ADDR|NAME     an address, or a host name (each of "
	    "its\n"
	    "                         addresses); not loopback needs "
	    "--remote;\n"
	    "                         repeatable: each target a column of "
	    "the matrix\n"
	    "  --targets FILE         targets, one address or name a line "
	    "('#' comments)\n"
	    "  --remote               allow a target that is not loopback\n"
	    "  --mode host|phantom    addressing mode (default host)\n"
	    "  --iface IF             capture (and phantom) interface\n"
	    "  --phantom-addr ADDR    the peer's claimed address (phantom "
	    "mode)\n"
	    "  -4, -6                 one family only (default: both on "
	    "loopback)\n"
	    "  -p, --port N           an open port for agentless cases\n"
	    "  --service NAME[:PORT]  a service of the target, for agentless "
	    "cases:\n"
	    "                         http, echo, discard or banner (a "
	    "line, then close);\n"
	    "                         repeatable; without :PORT, what "
	    "listens on --port\n"
	    "  --agent HOST[:PORT]    tcpconform-agent on the target\n"
	    "  --kind NAME            kind of target, for reports "
	    "(\"linux\")\n"
	    "  --identity KEY=VALUE   what you know of the target (firmware, "
	    "build\n"
	    "                         options), added to the identity the "
	    "agent\n"
	    "                         tells; repeatable\n\n"
	    "Cases:\n"
	    "  --tag TAG              only cases with this tag (repeatable)\n"
	    "  --skip-tag TAG         leave out cases with this tag\n"
	    "  --name PREFIX          only cases whose id starts with PREFIX\n"
	    "  --intrusive            also run the cases tagged intrusive "
	    "(malformed\n"
	    "                         options, forged ICMP, ...) against a "
	    "remote target\n"
	    "  -j, --jobs N           run N cases at once (default 1)\n"
	    "  --repeat N             run each case N times (flake rate)\n"
	    "  --expect FILE          expected-failure baseline: xfail/xpass\n"
	    "  --strict               SHOULD failures make the exit status 3\n"
	    "  --complete             cases that gave no verdict make it 4\n"
	    "  --rate PPS             packets per second (default 100 for "
	    "remote targets)\n"
	    "  --msl DURATION         the peer's MSL (default 2s)\n"
	    "  --target-msl DURATION  the MSL the target's TIME-WAIT is judged\n"
	    "                         against (default 2min, RFC 9293 3.4.2)\n"
	    "  --no-sanity            skip the handshake check before the "
	    "cases\n\n"
	    "Output:\n"
	    "  -o, --output DIR       report folder (default "
	    "out/run-YYYYmmdd-HHMMSS)\n"
	    "  --tap FILE             also write TAP version 13\n"
	    "  --json FILE            also write results.json there (- for "
	    "stdout)\n"
	    "  --progress, --no-progress   the progress line (default: on a "
	    "terminal)\n"
	    "  -v                     a line per case; -vv also the peer's "
	    "log\n\n"
	    "Exit status: 0 all passed (or xfail, info, not applicable), 1 a "
	    "MUST failed\nor an xpass, 2 usage or set-up error, 3 only SHOULDs "
	    "failed and --strict,\n4 cases that gave no verdict and --complete. "
	    "See tcpconform(1).\n");
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.args = "[options] [CASE-OR-DIR...]",
	.summary = "run cases against a target and write a report",
	.exec = cmd_run_exec,
	.help = cmd_run_help,
};
