/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * cmd.h: the subcommands of tcpconform, one file each (cmd_<name>.c), gathered
 * in the table of main.c, the way tmux gathers its commands in cmd_table[].
 */
#ifndef TCPCONFORM_CMD_H
#define TCPCONFORM_CMD_H

/* Exit statuses (EXIT_*): the contract documented in tcpconform(1). */
#include "result.h"

struct cmd_entry {
	const char	*name;
	const char	*args;		/* synopsis after the name */
	const char	*summary;	/* one line for the command list */
	int		(*exec)(int argc, char **argv);	/* argv[0] = name */
	void		(*help)(void);	/* full help for "NAME --help" */
};

extern const struct cmd_entry *const cmd_table[];

/* Print "tcpconform NAME: " + message to stderr; for usage errors. */
void	cmd_usage_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * After getopt_long(3) with opterr 0 and a leading ':' in the option string
 * returned '?' or ':' (c): one line naming the option, as "run" does, and
 * EXIT_SETUP.
 */
int	cmd_getopt_error(const char *cmd, int c, char **argv);

#endif /* TCPCONFORM_CMD_H */
