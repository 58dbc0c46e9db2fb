/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * cmd_list.c: "tcpconform list [DIR...]": the case catalogue, one line per
 * case with its id, title, requirement IDs, needs and tags, or as JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "check.h"
#include "cmd.h"
#include "errmsg.h"
#include "file.h"
#include "json.h"
#include "run.h"
#include "text.h"

#ifndef CASESDIR
#define CASESDIR	"/usr/local/share/tcpconform/cases"
#endif

static void	list_text(const struct run_caselist *, const struct run_opts *);
static void	list_json(const struct run_caselist *, const struct run_opts *);
static int	passive_listed(const struct run_opts *, const char *);
static int	coverage_read(char *const *, size_t, struct case_figs *,
		    char **);
static void	coverage_text(const struct case_figs *, const char *);
static int	list_reqs(const struct run_caselist *, int,
		    const struct case_figs *);
static int	pct(size_t, size_t);
static void	list_reqs_text(const struct case_cover *);
static void	list_reqs_json(const struct case_cover *,
		    const struct case_figs *);
static int	cmd_list_exec(int, char **);
static void	cmd_list_help(void);

/*
 * The coverage the fault runs measured: the record cases/coverage.txt of
 * the first DIR that has one (tests/integration/suite.sh keeps it true).
 * Returns 1 with *f filled and *path the file (malloc'ed), 0 when no DIR
 * has a record, -1 when one does not read (a message on stderr).
 */
static int
coverage_read(char *const *dirs, size_t ndirs, struct case_figs *f,
    char **path)
{
	char *buf, *err = NULL, **ids;
	size_t i, len, n;

	for (i = 0; i < ndirs; i++) {
		*path = xasprintf("%s/coverage.txt", dirs[i]);
		if (access(*path, F_OK) != 0) {
			free(*path);
			continue;
		}
		if (file_slurp(*path, 1 << 20, &buf, &len, &err) == -1 ||
		    case_covered_parse(buf, len, &ids, &n, &err) == -1) {
			fprintf(stderr, "tcpconform list: %s: %s\n", *path,
			    err != NULL ? err : "out of memory");
			free(err);
			free(*path);
			return -1;
		}
		free(buf);
		case_covered_figs(ids, n, f);
		while (n > 0)
			free(ids[--n]);
		free(ids);
		return 1;
	}
	*path = NULL;
	return 0;
}

static void
coverage_text(const struct case_figs *f, const char *path)
{
	printf("\nCovered, as the fault runs measured it (%s: a fault of "
	    "\"tcpconform serve\"\nmade a case or passive check report the "
	    "requirement):\n", path);
	printf("  RFC 9293 requirements on the wire:         %3zu of %3zu "
	    "(%d%%)\n", f->rfc9293_covered, f->rfc9293_total,
	    pct(f->rfc9293_covered, f->rfc9293_total));
	printf("  key rules of RFC 5961, 7323, 2018, 6298,\n"
	    "  5681, 6528 and RFC 1122 4.2:                %3zu of %3zu "
	    "(%d%%)\n", f->key_covered, f->key_total,
	    pct(f->key_covered, f->key_total));
}

/*
 * Whether the passive check id is listed under the filters: it carries the
 * tag "passive", and its id is matched as a case's would be.
 */
static int
passive_listed(const struct run_opts *o, const char *id)
{
	size_t i;
	int ok = o->ntags == 0;

	for (i = 0; i < o->ntags; i++)
		if (strcmp(o->tags[i], "passive") == 0)
			ok = 1;
	for (i = 0; i < o->nskip; i++)
		if (strcmp(o->skip_tags[i], "passive") == 0)
			ok = 0;
	if (!ok || o->nnames == 0)
		return ok;
	for (i = 0; i < o->nnames; i++)
		if (strncmp(id, o->names[i], strlen(o->names[i])) == 0)
			return 1;
	return 0;
}

static void
list_text(const struct run_caselist *cl, const struct run_opts *o)
{
	char needs[128];
	size_t i, w = 0;
	int j;

	for (i = 0; i < cl->n; i++)
		if (strlen(cl->v[i].id) > w)
			w = strlen(cl->v[i].id);
	for (i = 0; i < cl->n; i++) {
		const struct case_prog *p = cl->v[i].prog;

		/* Ids (file names) and titles reach a terminal escaped. */
		text_term(stdout, cl->v[i].id);
		printf("%*s  \"", (int)(w - strlen(cl->v[i].id)), "");
		text_term(stdout, p->title);
		printf("\"  [");
		for (j = 0; j < p->nreqs; j++) {
			printf("%s", j ? " " : "");
			text_term(stdout, p->reqs[j]->id);
		}
		printf("]  needs: %s  tags:", p->needs ?
		    run_needs_str(p->needs, needs, sizeof(needs)) : "-");
		for (j = 0; j < p->ntags; j++) {
			printf("%s", j ? "," : " ");
			text_term(stdout, p->tags[j]);
		}
		printf("%s\n", p->ntags ? "" : " -");
	}
	/* The passive checks: every segment of the target, in every case. */
	for (j = 0; j < PV_N; j++) {
		const struct check_passive_def *d = &check_passive_defs[j];

		if (!passive_listed(o, d->id))
			continue;
		printf("%-*s  \"%s\"  [%s]  needs: -  tags: passive  fault: "
		    "%s\n", (int)w, d->id, d->title, d->req, d->fault);
	}
}

static void
list_json(const struct run_caselist *cl, const struct run_opts *o)
{
	struct json_writer w;
	char needs[128], *s, *tok;
	size_t i;
	int j;

	json_writer_init(&w, stdout, 1);
	json_begin_array(&w, NULL);
	for (i = 0; i < cl->n; i++) {
		const struct case_prog *p = cl->v[i].prog;

		json_begin_object(&w, NULL);
		json_string(&w, "id", cl->v[i].id);
		json_string(&w, "kind", "case");
		json_string(&w, "file", p->path);
		json_string(&w, "title", p->title);
		json_begin_array(&w, "reqs");
		for (j = 0; j < p->nreqs; j++) {
			json_begin_object(&w, NULL);
			json_string(&w, "id", p->reqs[j]->id);
			json_string(&w, "rfc", p->reqs[j]->rfc);
			json_string(&w, "section", p->reqs[j]->section);
			json_string(&w, "keyword", p->reqs[j]->keyword);
			json_end_object(&w);
		}
		json_end_array(&w);
		json_begin_array(&w, "needs");
		run_needs_str(p->needs, needs, sizeof(needs));
		for (s = needs; (tok = strsep(&s, " ")) != NULL;)
			if (*tok != '\0')
				json_string(&w, NULL, tok);
		json_end_array(&w);
		json_begin_array(&w, "tags");
		for (j = 0; j < p->ntags; j++)
			json_string(&w, NULL, p->tags[j]);
		json_end_array(&w);
		json_begin_array(&w, "faults");
		for (j = 0; j < p->nfaults; j++)
			json_string(&w, NULL, p->faults[j]);
		json_end_array(&w);
		json_string(&w, "severity", case_sev_name(p->severity));
		json_string(&w, "claim", p->claim != NULL ? p->claim->name :
		    NULL);
		json_end_object(&w);
	}
	for (j = 0; j < PV_N; j++) {
		const struct check_passive_def *d = &check_passive_defs[j];
		const struct case_req *q = case_req_find(d->req);

		if (!passive_listed(o, d->id) || q == NULL)
			continue;
		json_begin_object(&w, NULL);
		json_string(&w, "id", d->id);
		json_string(&w, "kind", "passive");
		json_string(&w, "title", d->title);
		json_begin_array(&w, "reqs");
		json_begin_object(&w, NULL);
		json_string(&w, "id", q->id);
		json_string(&w, "rfc", q->rfc);
		json_string(&w, "section", q->section);
		json_string(&w, "keyword", q->keyword);
		json_end_object(&w);
		json_end_array(&w);
		json_begin_array(&w, "needs");
		json_end_array(&w);
		json_begin_array(&w, "tags");
		json_string(&w, NULL, "passive");
		json_end_array(&w);
		json_begin_array(&w, "faults");
		json_string(&w, NULL, d->fault);
		json_end_array(&w);
		json_string(&w, "severity", case_sev_name(q->level));
		json_string(&w, "claim", NULL);
		json_end_object(&w);
	}
	json_end_array(&w);
	fputc('\n', stdout);
}

/*
 * The requirement view: per RFC and level, how many requirements a peer can
 * see on the wire and how many of them these cases name; then the ones no
 * case names.
 */
static int
list_reqs(const struct run_caselist *cl, int json, const struct case_figs *f)
{
	struct case_prog **progs;
	struct case_cover c;
	size_t i;

	if ((progs = calloc(cl->n + 1, sizeof(*progs))) == NULL)
		return -1;
	for (i = 0; i < cl->n; i++)
		progs[i] = cl->v[i].prog;
	if (case_cover_compute(progs, cl->n, &c) == -1) {
		free(progs);
		return -1;
	}
	free(progs);
	if (json)
		list_reqs_json(&c, f);
	else
		list_reqs_text(&c);
	case_cover_free(&c);
	return 0;
}

static int
pct(size_t a, size_t b)
{
	return b ? (int)((a * 100 + b / 2) / b) : 0;
}

static void
list_reqs_text(const struct case_cover *c)
{
	const char *rfc = NULL;
	size_t i;
	int col = 0;

	printf("%-9s %-7s %8s %10s %12s\n", "RFC", "level", "on wire",
	    "agentless", "cited");
	for (i = 0; i < c->nrows; i++) {
		const struct case_cover_row *r = &c->rows[i];

		printf("%-9s %-7s %8zu %10zu %6zu %4d%%\n", r->rfc,
		    case_sev_name(r->level), r->visible, r->agentless,
		    r->cited, pct(r->cited, r->visible));
	}
	printf("%-17s %8zu %10s %6zu %4d%%\n", "all", c->visible, "",
	    c->cited, pct(c->cited, c->visible));
	printf("\nOn the wire, named by no case (%zu):", c->nuncited);
	for (i = 0; i < c->nuncited; i++) {
		if (rfc == NULL || strcmp(rfc, c->uncited[i]->rfc) != 0) {
			rfc = c->uncited[i]->rfc;
			printf("\n  %s:", rfc);
			col = 4 + (int)strlen(rfc);
		}
		if (col + 1 + (int)strlen(c->uncited[i]->id) > 78) {
			printf("\n   ");
			col = 3;
		}
		col += printf(" %s", c->uncited[i]->id);
	}
	printf("\n");
}

static void
list_reqs_json(const struct case_cover *c, const struct case_figs *f)
{
	struct json_writer w;
	size_t i, k;

	json_writer_init(&w, stdout, 1);
	json_begin_object(&w, NULL);
	json_int(&w, "on_wire", (int64_t)c->visible);
	json_int(&w, "cited", (int64_t)c->cited);
	if (f != NULL) {
		/* From the fault runs' record (coverage.txt). */
		json_begin_object(&w, "covered");
		json_int(&w, "rfc9293", (int64_t)f->rfc9293_covered);
		json_int(&w, "rfc9293_total", (int64_t)f->rfc9293_total);
		json_int(&w, "key_rules", (int64_t)f->key_covered);
		json_int(&w, "key_rules_total", (int64_t)f->key_total);
		json_end_object(&w);
	}
	json_begin_array(&w, "rows");
	for (i = 0; i < c->nrows; i++) {
		const struct case_cover_row *r = &c->rows[i];

		json_begin_object(&w, NULL);
		json_string(&w, "rfc", r->rfc);
		json_string(&w, "level", case_sev_name(r->level));
		json_int(&w, "on_wire", (int64_t)r->visible);
		json_int(&w, "agentless", (int64_t)r->agentless);
		json_int(&w, "cited", (int64_t)r->cited);
		json_begin_array(&w, "not_cited");
		for (k = 0; k < c->nuncited; k++)
			if (strcmp(c->uncited[k]->rfc, r->rfc) == 0 &&
			    c->uncited[k]->level == r->level)
				json_string(&w, NULL, c->uncited[k]->id);
		json_end_array(&w);
		json_end_object(&w);
	}
	json_end_array(&w);
	json_end_object(&w);
	fputc('\n', stdout);
}

static int
cmd_list_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,		NULL, 'J' },
		{ "tag",	required_argument,	NULL, 't' },
		{ "skip-tag",	required_argument,	NULL, 'T' },
		{ "name",	required_argument,	NULL, 'n' },
		{ "requirements", no_argument,		NULL, 'R' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	struct run_opts o;
	struct run_caselist cl = { NULL, 0 };
	struct case_figs figs;
	char *msgs = NULL, *dir[1], *cpath = NULL;
	int c, json = 0, reqs = 0, rc = EXIT_PASS, cov;

	run_opts_init(&o);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hJt:T:n:R", longopts,
	    NULL)) != -1) {
		if (c == 'h' || c == '?' || c == ':') {
			run_opts_free(&o);
			if (c != 'h')
				return cmd_getopt_error("list", c, argv);
			cmd_list_help();
			return EXIT_PASS;
		}
		if (c == 't')
			xstrv_add(&o.tags, &o.ntags, optarg);
		else if (c == 'T')
			xstrv_add(&o.skip_tags, &o.nskip, optarg);
		else if (c == 'n')
			xstrv_add(&o.names, &o.nnames, optarg);
		if (c == 'J')
			json = 1;
		else if (c == 'R')
			reqs = 1;
	}
	dir[0] = (char *)run_default_casedir();
	if (run_cases_load(&cl, optind < argc ? argv + optind : dir,
	    optind < argc ? (size_t)(argc - optind) : 1, &msgs) == -1)
		rc = EXIT_SETUP;
	if (msgs != NULL)
		fputs(msgs, stderr);
	free(msgs);
	run_cases_filter(&cl, &o);
	if ((cov = coverage_read(optind < argc ? argv + optind : dir,
	    optind < argc ? (size_t)(argc - optind) : 1, &figs, &cpath)) == -1)
		rc = EXIT_SETUP;
	if (reqs) {
		if (list_reqs(&cl, json, cov == 1 ? &figs : NULL) == -1) {
			fprintf(stderr, "tcpconform list: out of memory\n");
			rc = EXIT_SETUP;
		}
		if (!json && cov == 1)
			coverage_text(&figs, cpath);
	} else if (json)
		list_json(&cl, &o);
	else {
		list_text(&cl, &o);
		if (cov == 1)
			coverage_text(&figs, cpath);
	}
	free(cpath);
	if (fflush(stdout) != 0)
		rc = EXIT_SETUP;
	run_cases_free(&cl);
	run_opts_free(&o);
	return rc;
}

static void
cmd_list_help(void)
{
	printf("usage: tcpconform list [--json] [--requirements] [--tag TAG] "
	    "[--skip-tag TAG]\n                      [--name PREFIX] "
	    "[DIR...]\n\n"
	    "Print the case catalogue: one line per case with its id, "
	    "title, requirement\nIDs, needs and tags, then the passive checks "
	    "(tag passive: rules every\nsegment the target sends must keep, "
	    "checked in every case) with the fault\nof \"tcpconform serve\" "
	    "that makes each fire.  Last, from DIR/coverage.txt\n(kept true by "
	    "the fault runs of tests/integration/suite.sh), the coverage\n"
	    "figures: RFC 9293 requirements on the wire, and the key rules of "
	    "RFC 5961,\n7323, 2018, 6298, 5681, 6528 and RFC 1122 4.2, that a "
	    "fault made a case or\npassive check report.  DIR defaults to the "
	    "installed catalogue\n(%s), or ./cases when that does not exist."
	    "\n\n"
	    "  --json           a JSON array of objects instead\n"
	    "  --requirements   the requirement view instead: per RFC and "
	    "level, how many\n                   requirements a peer can see "
	    "on the wire, how many need\n                   no agent, how "
	    "many the cases name, and which none names\n"
	    "  --tag TAG        only cases with this tag (repeatable)\n"
	    "  --skip-tag TAG   leave out cases with this tag (repeatable)\n"
	    "  --name PREFIX    only cases whose id starts with PREFIX\n\n"
	    "Exit status: 0, or 2 when a case file does not parse (the "
	    "others are listed).\n", CASESDIR);
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.args = "[--json] [--requirements] [DIR...]",
	.summary = "print the case catalogue with requirement IDs",
	.exec = cmd_list_exec,
	.help = cmd_list_help,
};
