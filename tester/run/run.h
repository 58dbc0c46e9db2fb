/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run.h: the runner, which executes case programs against one target, turns
 * what it saw into verdicts and fills the results model (result.h); and the
 * helpers that "tcpconform run" and "tcpconform list" share (loading,
 * naming and filtering cases).
 *
 * The flow of one run (run_main):
 *
 *	load the cases, filter them by tag and name
 *	set up the wire: guard + raw IP socket (host-address mode) or a
 *	    claimed address on a link (phantom-address mode)
 *	per address family (IPv4, then IPv6):
 *	    sanity case: a plain handshake and close; if it fails, stop
 *	    with one message about the set-up (exit status 2)
 *	    measure the path's RTT and jitter (SYN -> SYN-ACK probes)
 *	    run the cases, -j N at a time, each on its own 4-tuples
 *	write results.json, index.html, junit.xml, pcaps/, TAP
 *
 * The statement interpreter, matching, verdicts and timing windows are in
 * run_exec.c, check_match.c, check_verdict.c and check_timing.c; their contract
 * with case authors is in tcpconform(1) ("HOW CASES RUN").
 */
#ifndef TCPCONFORM_RUN_H
#define TCPCONFORM_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "case.h"

/* Bits of run_opts.families. */
#define RUN_FAM_4	0x1
#define RUN_FAM_6	0x2

enum run_mode {
	RUN_MODE_HOST,		/* raw IP with the host's own address */
	RUN_MODE_PHANTOM,	/* an unused address claimed on a link */
};

/*
 * Services an agentless target offers (--service NAME[:PORT]); each is a
 * profile whose application the cases can drive by its protocol alone.
 */
enum run_service {
	RUN_SVC_ANY,		/* any open port: handshake, RST, options */
	RUN_SVC_HTTP,
	RUN_SVC_ECHO,
	RUN_SVC_DISCARD,
	RUN_SVC_BANNER,		/* daytime-like: a line, then close unread */
	RUN_SVC_N
};

/* "http" for RUN_SVC_HTTP. */
const char	*run_service_name(enum run_service);

/* Defaults. */
/* The tag of cases that run against a remote target only with --intrusive. */
#define RUN_TAG_INTRUSIVE	"intrusive"
#define RUN_RATE_REMOTE		100	/* packets per second, remote targets */
#define RUN_MSL_DEFAULT_US	(2ULL * 1000000)	/* the peer's MSL */

/* Everything "tcpconform run" was told; run_opts_parse() fills it. */
struct run_opts {
	char		**paths;	/* cases and directories */
	size_t		 npaths;
	char		**tags;		/* --tag: only cases with one of these */
	size_t		 ntags;
	char		**skip_tags;	/* --skip-tag: never these */
	size_t		 nskip;
	char		**names;	/* --name: case id prefixes */
	size_t		 nnames;
	int		 intrusive;	/* --intrusive: run the cases tagged
					   intrusive against a remote target */

	int		 loopback;	/* --loopback */
	char		*target;	/* --target ADDR (the first) */
	char		**targets;	/* every --target, then --targets FILE's
					   lines: each a column of the matrix */
	size_t		 ntargets;
	int		 remote;	/* --remote: a non-loopback target is ok */
	enum run_mode	 mode;		/* --mode host|phantom */
	char		*iface;		/* --iface */
	char		*phantom_addr;	/* --phantom-addr (phantom mode) */
	unsigned	 families;	/* RUN_FAM_*; -4, -6, or both */
	int		 families_implicit; /* --loopback without -4 or -6:
					   a family whose port is closed is
					   skipped, with the reason */
	int		 port;		/* --port: target port, 0 = none */
	enum run_service service;	/* --service NAME without a port:
					   what listens on --port */
	uint16_t	 svc_port[RUN_SVC_N]; /* --service NAME:PORT; 0 none */
	char		*agent;		/* --agent HOST[:PORT] */
	char		*kind;		/* --kind: kind of target ("linux") */
	char		**identity;	/* --identity KEY=VALUE: what the user
					 * knows of the target */
	size_t		 nidentity;

	char		*outdir;	/* -o; NULL: ./out/run-<date> */
	char		*tap;		/* --tap FILE */
	char		*json;		/* --json FILE ("-": stdout) */
	int		 jobs;		/* -j */
	int		 repeat;	/* --repeat */
	char		*expect;	/* --expect FILE */
	int		 strict;	/* --strict */
	int		 complete;	/* --complete */
	double		 rate;		/* --rate PPS; 0: default by target */
	uint64_t	 msl_us;	/* --msl */
	uint64_t	 target_msl_us;	/* --target-msl: TIME-WAIT >= 2 of it */
	int		 no_sanity;	/* --no-sanity */
	int		 progress;	/* -1 auto (a TTY), 0 off, 1 on */
	int		 color;		/* -1 auto (TTY and no NO_COLOR) */
	int		 verbose;	/* -v */
	char		*command_line;	/* for the results */
};

void	run_opts_init(struct run_opts *);
void	run_opts_free(struct run_opts *);

/*
 * Parse "run" arguments (argv[0] is "run").  Returns 0, 1 when --help was
 * asked (nothing else done), or -1 with *err set for a usage error.
 * Checks the combinations too (--remote for non-loopback targets, ...).
 */
int	run_opts_parse(struct run_opts *, int argc, char **argv, char **err);

/* Run everything; returns the exit status (cmd.h EXIT_*). */
int	run_main(const struct run_opts *);

/*
 * The cases of a run: loaded, named and filtered.  A case's id is its path
 * after the last "cases/" folder, or else relative to the directory it was
 * found in (the file's name for a file given alone), without ".case":
 * "handshake/passive-open".
 */
struct run_case {
	struct case_prog *prog;
	char		*id;
};

struct run_caselist {
	struct run_case	*v;
	size_t		 n;
};

/*
 * Load every path (a file, or all *.case under a directory).  Parse errors
 * are appended to *msgs (malloc'ed, or NULL); returns -1 when any path
 * failed to load or parse, 0 otherwise.  The list holds what did parse.
 */
int	run_cases_load(struct run_caselist *, char *const *paths, size_t n,
	    char **msgs);
void	run_cases_free(struct run_caselist *);
/* Keep only cases that pass the tag and name filters of opts. */
void	run_cases_filter(struct run_caselist *, const struct run_opts *);
char	*run_case_id(const char *path, const char *base);

/* Where cases are when none are named: CASESDIR, or ./cases. */
const char *run_default_casedir(void);

/* "agent any-port ipv6" for a needs mask (buf of at least 80 bytes). */
char	*run_needs_str(unsigned needs, char *buf, size_t cap);

#endif /* TCPCONFORM_RUN_H */
