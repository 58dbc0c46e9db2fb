/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_main.c: one whole run: cases loaded and filtered, the guard and the
 * wire set up, per address family the sanity case and the path measurement,
 * then the cases of both families side by side in one event loop (retried,
 * repeated, judged against the baseline), then the report files, the
 * failures recap and the exit status.
 *
 * Each case of each family is one entry of the results model; its attempts
 * (retries after an inconclusive or timing-only miss, and --repeat runs)
 * are recorded in it, and the attempt whose verdict became the case's
 * verdict gives it its segments, diffs and pcap.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <ftw.h>

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "guard.h"
#include "report.h"
#include "report_util.h"
#include "errmsg.h"
#include "run_int.h"
#include "wire.h"


struct runstate {
	const struct run_opts *o;
	const struct run_caselist *cl;
	struct run	*run;		/* the results */
	struct target	*t;		/* this family's entry */
	struct run	*scratch;	/* the sanity case's record */
	struct target	*st;
	struct run_expect *expect;
	struct run_agent_target agent;
	char		*outdir;
	const char	*famtag;	/* "v4", "v6" */
	int		 family;
	int		 progress;
	int		 dumb;
	int		 color;
	FILE		*out;
	FILE		*log;
	int		 setup_failed;
	int		 tix;		/* several targets: this one's number
					   (1, 2, ...); 0 for one target */
};

/* One address family: its wire, runner and batch of cases. */
struct family {
	int		 family;
	struct run_target tgt;
	struct run_wire	*rw;
	struct run_net	 net;
	struct runner	 rn;
	struct run_batch b;
	struct target	*t;		/* its entry in the results */
	int		 ready;		/* set up: its batch is to run */
	char		 tag[16];	/* pcaps' and pages' prefix: "v4", or
					   "t2-v4" among several targets */
};

/* The sanity case's scheduler: one attempt. */
struct sanity_arg {
	struct run_case	*rcs;
	struct case_result *res;
	int		 started;
	int		 passed;
	int		 error;
	char		*reason;
	int		 saw_target;	/* any segment from the target */
	int		 saw_rst;
	int		 host_rst;
};

static void	on_signal(int);
static int	setup_dirs(struct runstate *, int, char **);
static int	clear_dir(const char *, char **);
static int	fail_errno(char **, const char *);
static int	partial_mark(const char *, int, char **);
static int	rm_entry(const char *, const struct stat *, int,
		    struct FTW *);
static int	family_start(struct runstate *, struct family *, int,
		    struct guard *);
static void	run_families(struct runstate *, struct family *, int);
static void	family_end(struct family *);
static int	sanity(struct runstate *, struct runner *);
static struct rcase *sanity_next(void *, struct runner *);
static void	sanity_done(void *, struct rcase *);
static void	sanity_diag(struct runstate *, struct runner *,
		    const struct sanity_arg *);
static void	recap(struct runstate *);
static void	stopped(struct runstate *, struct family *, int);
static int	guard_setup(struct runstate *, struct guard **);
static int	write_reports(struct runstate *);

/*
 * SIGINT, SIGTERM or SIGHUP (the terminal went away): finish with a report;
 * a second one ends at once.
 */
static volatile int interrupted;

static void
on_signal(int sig)
{
	interrupted = 1;
	signal(sig, SIG_DFL);
}

/*
 * On a port whose application may close first (a banner service sends a
 * line and its FIN at once), the peer's close can come after the target's
 * FIN: it never sees FIN-WAIT-2 then, and waiting for it would fail a good
 * target whenever its FIN is captured early.  The handshake is what tells
 * whether the set-up works.
 */
static const char sanity_port[] =
	"title \"sanity: a plain handshake and close\"\n"
	"checks RFC9293-3.5\n"
	"fault none \"the set-up check, not a conformance case\"\n"
	"connect timeout 3\n"
	"close\n";

static const char sanity_agent[] =
	"title \"sanity: a plain handshake and close, with the agent\"\n"
	"checks RFC9293-3.5\n"
	"needs agent\n"
	"fault none \"the set-up check, not a conformance case\"\n"
	"agent listen\n"
	"connect timeout 3\n"
	"agent accept timeout 3\n"
	"close\n"
	"wait fin-wait-2 timeout 3\n"
	"agent close\n";

/* The next attempt to start: a case with work left and none running. */

static struct rcase *
sanity_next(void *arg, struct runner *rn)
{
	struct sanity_arg *sa = arg;

	if (sa->started)
		return NULL;
	sa->started = 1;
	return rcase_new(rn, sa->rcs, sa->res, 0);
}

static void
sanity_done(void *arg, struct rcase *rc)
{
	struct sanity_arg *sa = arg;
	size_t i;
	int retry;

	check_judge_attempt(sa->res, &rc->fnd, 0, &retry, NULL);
	sa->passed = sa->res->verdict == VERDICT_PASS;
	sa->error = sa->res->verdict == VERDICT_ERROR;
	if (sa->res->reason != NULL && (sa->reason =
	    strdup(sa->res->reason)) == NULL)
		abort();
	sa->host_rst = rcase_found(rc, FIND_HOSTRST);
	for (i = 0; i < sa->res->nsegs; i++) {
		const struct seg_rec *r = sa->res->segs[i];

		if (r->dir != SEGDIR_FROM_TARGET || r->kind != SEGK_OBSERVED)
			continue;
		sa->saw_target = 1;
		if (r->flags & SEGF_RST)
			sa->saw_rst = 1;
	}
	rcase_free(rc);
}

/* One message about the set-up, naming the likeliest cause. */
static void
sanity_diag(struct runstate *rs, struct runner *rn,
    const struct sanity_arg *sa)
{
	char addr[64], port[48];

	(void)rs;
	seg_addr_str(rn->tgt.family, rn->tgt.addr, addr, sizeof(addr));
	if (rn->tgt.port != 0)
		snprintf(port, sizeof(port), "port %u", rn->tgt.port);
	else
		snprintf(port, sizeof(port), "the port the agent opened");
	if (sa->error && sa->reason != NULL) {
		/* The reason may quote the agent: escaped. */
		fprintf(stderr, "tcpconform: set-up failed on %s: ", addr);
		text_term(stderr, sa->reason);
		fputc('\n', stderr);
	}
	else if (sa->host_rst)
		fprintf(stderr, "tcpconform: set-up failed: this host's kernel "
		    "reset the connection to %s (the nftables guard did not "
		    "hold)\n", addr);
	else if (!sa->saw_target)
		fprintf(stderr, "tcpconform: set-up failed: %s did not answer "
		    "our SYN on %s (nothing came back: is a server listening "
		    "there, and is the path to it right?)\n", addr, port);
	else if (sa->saw_rst)
		fprintf(stderr, "tcpconform: set-up failed: %s refused a "
		    "connection on %s with RST: nothing listens there (give "
		    "--port of an open port, or --agent)\n", addr, port);
	else {
		fprintf(stderr, "tcpconform: set-up failed: a plain handshake "
		    "and close with %s on %s did not work: ", addr, port);
		text_term(stderr, sa->reason != NULL ? sa->reason : "?");
		fputs(" (the target answers, so the path works: its TCP "
		    "itself may be at fault)\n", stderr);
		/*
		 * Only here can the cases still tell something: the path
		 * works and the target's TCP is what fails.  After no
		 * answer, an RST or an error, every case would meet the same
		 * wall, so skipping the check would only hide the cause.
		 */
		fprintf(stderr, "tcpconform: (this check runs before the "
		    "cases; --no-sanity runs them anyway, to see how this TCP "
		    "fails)\n");
	}
}

/*
 * Runs the sanity case; 0 when it passed, -2 when the family's port was
 * refused and the run may go on without the family, -1 otherwise.
 */
static int
sanity(struct runstate *rs, struct runner *rn)
{
	struct run_case sc = { NULL, (char *)"sanity" };
	struct run_sched sched;
	struct sanity_arg sa = { 0 };
	const char *text = rn->tgt.port != 0 ? sanity_port : sanity_agent;
	char *msgs = NULL;
	int rc, tries;

	if (rn->tgt.port == 0 && !rn->tgt.has_agent) {
		fprintf(stderr, "tcpconform: no way to reach a service on the "
		    "target: give --port (an open port) or --agent\n");
		return -1;
	}
	if (case_parse("sanity", text, strlen(text), &sc.prog, &msgs) == -1) {
		fprintf(stderr, "tcpconform: internal: %s\n", msgs);
		free(msgs);
		return -1;
	}
	free(msgs);
	/*
	 * Up to three tries: on a lossy path our FIN and its retransmission
	 * can both be lost within the 3 s the check waits.  A refusal (RST),
	 * our own kernel's RST or an error of ours is an answer: no retry.
	 */
	for (tries = 0; tries < RUN_SANITY_TRIES; tries++) {
		free(sa.reason);
		memset(&sa, 0, sizeof(sa));
		sa.rcs = &sc;
		sa.res = result_case_add(rs->st);
		sched.next = sanity_next;
		sched.done = sanity_done;
		sched.arg = &sa;
		runner_loop(rn, &sched);
		if (sa.passed || sa.error ||
		    sa.saw_rst || sa.host_rst || interrupted || rn->fatal != NULL)
			break;
	}
	rc = sa.passed ? 0 : -1;
	/*
	 * On loopback with both families by default, a service that
	 * listens on one family only refuses the other with RST: that
	 * family is skipped (family_start says why), not the run.
	 */
	if (rc == -1 && !interrupted && rs->o->families_implicit &&
	    rn->tgt.port != 0 && sa.saw_target && sa.saw_rst &&
	    !sa.host_rst && !sa.error)
		rc = -2;
	else if (rc == -1 && !interrupted)
		sanity_diag(rs, rn, &sa);
	free(sa.reason);
	case_free(sc.prog);
	return rc;
}

static int
mkdir_p(const char *path, char **err)
{
	char buf[1024], *p;

	if (strlen(path) >= sizeof(buf)) {
		*err = strdup("output folder name too long");
		return -1;
	}
	strcpy(buf, path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(buf, 0755) == -1 && errno != EEXIST)
		goto fail;
	return 0;
fail:
	return tc_seterr(err, "%s: %s", buf, strerror(errno));
}

/*
 * -o DIR (default ./out/run-YYYYmmdd-HHMMSS) and its pcaps/v4, pcaps/v6.
 * Started as root, the runner never writes through a symbolic link given
 * as -o: it would let whoever made the link choose where root writes.
 */
static int
setup_dirs(struct runstate *rs, int root, char **err)
{
	char buf[1024];
	struct stat st;
	struct tm tm;
	time_t now = time(NULL);
	size_t i;

	if (rs->o->outdir != NULL) {
		snprintf(buf, sizeof(buf), "%s", rs->o->outdir);
		while (strlen(buf) > 1 && buf[strlen(buf) - 1] == '/')
			buf[strlen(buf) - 1] = '\0';
		if (root && lstat(buf, &st) == 0 && S_ISLNK(st.st_mode)) {
			if (asprintf(err, "%s is a symbolic link; started as "
			    "root, tcpconform does not write through one "
			    "(give the folder it points to)", buf) < 0)
				*err = NULL;
			return -1;
		}
	}
	if (rs->o->outdir != NULL)
		rs->outdir = strdup(rs->o->outdir);
	else {
		localtime_r(&now, &tm);
		strftime(buf, sizeof(buf), "out/run-%Y%m%d-%H%M%S", &tm);
		rs->outdir = strdup(buf);
	}
	if (rs->outdir == NULL)
		abort();
	if (clear_dir(rs->outdir, err) == -1)
		return -1;
	snprintf(buf, sizeof(buf), "%s/pcaps/v4", rs->outdir);
	if (mkdir_p(buf, err) == -1)
		return -1;
	snprintf(buf, sizeof(buf), "%s/pcaps/v6", rs->outdir);
	if (mkdir_p(buf, err) == -1)
		return -1;
	/* Several targets: pcaps/t2-v4 for the second, and so on. */
	for (i = 1; rs->o->ntargets > 1 && i <= rs->o->ntargets; i++) {
		snprintf(buf, sizeof(buf), "%s/pcaps/t%zu-v%c", rs->outdir, i,
		    strchr(rs->o->targets[i - 1], ':') != NULL ? '6' : '4');
		if (mkdir_p(buf, err) == -1)
			return -1;
	}
	return partial_mark(rs->outdir, 1, err);
}

/* What a run writes into its folder (report.h, wire_dump.c). */
static const char *const run_files[] = {
	"index.html", "results.json", "junit.xml", "results.tap", "cases",
	"pcaps", RUN_PARTIAL, NULL
};

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

/*
 * A folder given again with -o: the files of the run before go first, so
 * that two runs' pages and pcaps never mix.  Only what a run writes is
 * removed (links are removed, never followed), and only from a folder that
 * holds a run's results (or its PARTIAL mark); any other folder that is
 * not empty is refused rather than emptied.
 */
static int
clear_dir(const char *dir, char **err)
{
	char path[1100];
	struct dirent *de;
	struct stat st;
	const char *const *f;
	int known = 0, other = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : fail_errno(err, dir);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		for (f = run_files; *f != NULL; f++)
			if (strcmp(de->d_name, *f) == 0)
				break;
		if (*f == NULL)
			other = 1;
		else if (strcmp(*f, "results.json") == 0 ||
		    strcmp(*f, RUN_PARTIAL) == 0)
			known = 1;
	}
	closedir(d);
	if (!known && !other)
		return 0;
	if (!known) {
		if (asprintf(err, "%s holds files but no tcpconform results: "
		    "give a new or empty folder", dir) < 0)
			*err = NULL;
		return -1;
	}
	for (f = run_files; *f != NULL; f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *f);
		if (lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode) ? nftw(path, rm_entry, 16,
		    FTW_DEPTH | FTW_PHYS) != 0 : unlink(path) == -1)
			return fail_errno(err, path);
	}
	return 0;
}

static int
fail_errno(char **err, const char *path)
{
	if (asprintf(err, "%s: %s", path, strerror(errno)) < 0)
		*err = NULL;
	return -1;
}

/*
 * The PARTIAL mark: made before anything else in the folder, removed once
 * the report is whole, so that a run killed on the way (SIGKILL, a crash,
 * a power cut) leaves a folder that says it is incomplete.
 */
static int
partial_mark(const char *dir, int on, char **err)
{
	static const char text[] = "This folder holds an unfinished run of "
	    "tcpconform (still running, or killed):\nits files are "
	    "incomplete.  The file goes away when the report is whole.\n";
	char path[1100];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, RUN_PARTIAL);
	if (!on)
		return unlink(path) == -1 && errno != ENOENT ?
		    fail_errno(err, path) : 0;
	if ((f = fopen(path, "wx")) == NULL)
		return fail_errno(err, path);
	fputs(text, f);
	if (fclose(f) == EOF)
		return fail_errno(err, path);
	return 0;
}

/*
 * Host-address mode needs the guard: without it the host kernel resets the
 * target's answers.  It is created once, before anything is sent, and a
 * rule per family is added (and verified) when the family starts.
 */
static int
guard_setup(struct runstate *rs, struct guard **g)
{
	char *err = NULL;

	*g = NULL;
	if (rs->o->mode == RUN_MODE_PHANTOM && !rs->o->loopback)
		return 0;
	if ((*g = guard_open(WIRE_MARK_DEFAULT, 0, &err)) == NULL) {
		fprintf(stderr, "tcpconform: cannot install the nftables guard "
		    "that keeps this host's kernel out of the peer's "
		    "connections: %s\n", err != NULL ? err : "?");
		free(err);
		return -1;
	}
	if (guard_note(*g) != NULL && rs->o->verbose)
		fprintf(stderr, "tcpconform: %s\n", guard_note(*g));
	return 0;
}

static int
family_setup(struct runstate *rs, struct run_target *tgt, struct guard *g,
    struct run_wire **rw, struct run_net *net)
{
	struct guard_rule rule;
	char *err = NULL;

	memset(tgt, 0, sizeof(*tgt));
	tgt->family = rs->family;
	run_target_services(rs->o, tgt);
	tgt->has_agent = rs->o->agent != NULL;
	if (run_wire_open(rs->o, tgt, rw, net, &err) == -1) {
		fprintf(stderr, "tcpconform: cannot open the wire for IPv%d: "
		    "%s\n", rs->family == AF_INET ? 4 : 6, err ? err : "?");
		free(err);
		return -1;
	}
	if (g == NULL)
		return 0;
	memset(&rule, 0, sizeof(rule));
	rule.family = rs->family;
	memcpy(rule.peer, tgt->peer, sizeof(rule.peer));
	rule.port_lo = WIRE_PORT_LO_DEFAULT;
	rule.port_hi = WIRE_PORT_HI_DEFAULT;
	if (guard_add(g, &rule, &err) == -1 || guard_verify(g, &err) == -1) {
		fprintf(stderr, "tcpconform: the nftables guard could not be "
		    "verified, refusing to start: %s\n", err ? err : "?");
		free(err);
		run_wire_close(*rw);
		*rw = NULL;
		return -1;
	}
	return 0;
}

static void
target_entry(struct runstate *rs, const struct runner *rn)
{
	struct target *t = rs->t = result_target_add(rs->run);
	char addr[64], name[80], key[64];
	const char *eq;
	size_t i;

	/* Each family is a target of its own: name them apart, so that a
	 * report's matrix and target cards say which is which. */
	seg_addr_str(rn->tgt.family, rn->tgt.addr, addr, sizeof(addr));
	/* Several targets: each by its address, a column of the matrix. */
	if (rs->tix > 0)
		snprintf(name, sizeof(name), "%s %s", rs->o->kind != NULL ?
		    rs->o->kind : "target", addr);
	else
		snprintf(name, sizeof(name), "%s IPv%d", rs->o->kind != NULL ?
		    rs->o->kind : "target", rn->tgt.family == AF_INET ? 4 :
		    6);
	result_set(&t->name, name);
	result_set(&t->kind, rs->o->kind);
	for (i = 0; i < rs->o->nidentity; i++) {
		eq = strchr(rs->o->identity[i], '=');
		snprintf(key, sizeof(key), "%.*s", (int)(eq -
		    rs->o->identity[i]), rs->o->identity[i]);
		result_target_identity_add(t, key, eq + 1);
	}
	result_set(&t->address, addr);
	t->family = rn->tgt.family == AF_INET ? 4 : 6;
	t->port = rn->tgt.port;
	t->mode = rs->o->loopback ? TARGET_LOOPBACK : rs->o->mode ==
	    RUN_MODE_PHANTOM ? TARGET_PHANTOM : TARGET_HOST;
	t->started_us = (int64_t)runner_now((struct runner *)rn);
	t->rtt_us = t->jitter_us = -1;
}

/*
 * One family's set-up: the wire, the sanity case, the path, its entry in
 * the results and its batch.  -1: stop the run (family_end() still frees
 * what was made); 1: the family is skipped (its port is closed, on
 * loopback with both families by default).
 */
static int
family_start(struct runstate *rs, struct family *f, int family,
    struct guard *g)
{
	char *err = NULL, addr[64], why[160];
	int rc;

	f->family = rs->family = family;
	if (rs->tix > 0)
		snprintf(f->tag, sizeof(f->tag), "t%d-%s", rs->tix,
		    family == AF_INET ? "v4" : "v6");
	else
		snprintf(f->tag, sizeof(f->tag), "%s", family == AF_INET ?
		    "v4" : "v6");
	rs->famtag = f->tag;
	if (family_setup(rs, &f->tgt, g, &f->rw, &f->net) == -1)
		return -1;
	if (runner_init(&f->rn, rs->o, &f->tgt, &f->net, &run_agent_client_ops,
	    &rs->agent, NULL, &err) == -1) {
		fputs("tcpconform: ", stderr);
		text_term(stderr, err ? err : "?");
		fputc('\n', stderr);
		free(err);
		return -1;
	}
	f->rn.stop = &interrupted;
	if (!rs->o->no_sanity && (rc = sanity(rs, &f->rn)) < 0) {
		if (rc == -1)
			return -1;
		seg_addr_str(family, f->tgt.addr, addr, sizeof(addr));
		snprintf(why, sizeof(why), "%s refused a connection on port "
		    "%u with RST: the service listens on IPv%d only", addr,
		    f->tgt.port, family == AF_INET ? 6 : 4);
		fprintf(stderr, "tcpconform: IPv%d skipped: %s (-%d says so; "
		    "-%d insists on it)\n", family == AF_INET ? 4 : 6, why,
		    family == AF_INET ? 6 : 4, family == AF_INET ? 4 : 6);
		result_option_add(rs->run, family == AF_INET ?
		    "skipped IPv4" : "skipped IPv6", why);
		return 1;
	}
	if (run_measure_path(&f->rn, &err) == -1 && f->rn.fatal == NULL) {
		fputs("tcpconform: warning: the path's RTT was not measured (",
		    stderr);
		text_term(stderr, err ? err : "no port to probe");
		fputs("); timing misses will be inconclusive\n", stderr);
	}
	free(err);
	err = NULL;
	target_entry(rs, &f->rn);
	f->t = rs->t;
	/* A target that cannot say who it is still runs; the report says
	 * its identity is not known, and the cases meet the agent. */
	if (rs->o->agent != NULL && run_agent_identity(&rs->agent, f->t,
	    &err) == -1 && rs->o->verbose > 0) {
		fputs("tcpconform: the agent did not tell the target's "
		    "identity: ", stderr);
		text_term(stderr, err ? err : "?");
		fputc('\n', stderr);
	}
	free(err);
	err = NULL;
	f->t->rtt_us = f->rn.path.rtt_us;
	f->t->jitter_us = f->rn.path.jitter_us;
	run_batch_init(&f->b, rs->o, rs->cl, f->t, family);
	f->b.famtag = f->tag;
	f->b.expect = rs->expect;
	f->b.outdir = rs->outdir;
	f->b.progress = rs->progress;
	f->b.dumb = rs->dumb;
	f->b.color = rs->color;
	f->b.out = rs->o->verbose > 0 ? rs->out : NULL;
	f->b.log = rs->log;
	f->ready = 1;
	return 0;
}

/*
 * The cases of every family that is set up, all in one loop: the
 * families run side by side, so the run takes about as long as its
 * longest case, not twice that.
 */
static void
run_families(struct runstate *rs, struct family *fs, int n)
{
	struct run_batch *bs[2];
	struct runner *rns[2];
	int i, k = 0;

	for (i = 0; i < n; i++) {
		if (!fs[i].ready)
			continue;
		/* Its span: its cases, not the other family's set-up. */
		fs[i].t->started_us = (int64_t)runner_now(&fs[i].rn);
		bs[k] = &fs[i].b;
		rns[k++] = &fs[i].rn;
	}
	if (k == 0 || run_batch_run_many(bs, rns, k) == 0)
		return;
	for (i = 0; i < k; i++) {
		if (rns[i]->fatal == NULL)
			continue;
		rs->setup_failed = 1;
		/* An interrupt stops both families: say so once. */
		if (i == 1 && rns[0]->fatal != NULL &&
		    strcmp(rns[0]->fatal, rns[1]->fatal) == 0)
			continue;
		fputs("tcpconform: the run stopped: ", stderr);
		text_term(stderr, rns[i]->fatal);
		fputc('\n', stderr);
	}
}

/*
 * Why the run stopped before every case ran, for the report and the exit
 * status (never 0 then): an interrupt at any moment, set-up included, or
 * a family's network.
 */
static void
stopped(struct runstate *rs, struct family *fs, int n)
{
	int i;

	if (interrupted)
		result_set(&rs->run->stopped, "interrupted (SIGINT, SIGTERM or "
		    "SIGHUP)");
	for (i = 0; i < n && rs->run->stopped == NULL; i++)
		if (fs[i].rn.fatal != NULL)
			result_set(&rs->run->stopped, fs[i].rn.fatal);
}

/* A family's capture statistics and end time; then free it. */
static void
family_end(struct family *f)
{
	uint64_t rcv, drop;

	if (f->ready) {
		if (f->net.ops->stats(f->net.arg, &rcv, &drop) == 0) {
			f->t->cap_received = rcv;
			f->t->cap_dropped = drop;
		}
		f->t->ended_us = (int64_t)(f->b.ended != 0 ? f->b.ended :
		    runner_now(&f->rn));
		run_batch_free(&f->b);
	}
	runner_free(&f->rn);
	run_wire_close(f->rw);
	memset(f, 0, sizeof(*f));
}

static int
write_reports(struct runstate *rs)
{
	const struct run_opts *o = rs->o;
	char *err = NULL;
	int rc = 0;

	if (report_write_all(rs->run, rs->outdir, REPORT_DEFAULT, &err) == -1 ||
	    partial_mark(rs->outdir, 0, &err) == -1)
		goto fail;
	if (o->tap != NULL && report_write_file(o->tap, report_tap_write,
	    rs->run, &err) == -1)
		goto fail;
	if (o->json != NULL && strcmp(o->json, "-") == 0) {
		if (report_json_write(stdout, rs->run) == -1)
			rc = -1;
	} else if (o->json != NULL && report_write_file(o->json,
	    report_json_write, rs->run, &err) == -1)
		goto fail;
	return rc;
fail:
	fprintf(stderr, "tcpconform: writing the report: %s\n",
	    err != NULL ? err : "?");
	free(err);
	return -1;
}

/* The summary, and every case that needs a look, one line each. */
static void
recap(struct runstate *rs)
{
	size_t counts[VERDICT_N], i, j, total = 0, shown = 0;
	const char *col;
	struct cover cv;
	char line[512];
	int v;

	/* First what was covered: a pass over few cases is not the suite. */
	result_cover(rs->run, &cv);
	fprintf(rs->out, "tcpconform: %s%s\n", rs->run->stopped != NULL ?
	    "the run stopped early: " : "", result_cover_str(&cv, line,
	    sizeof(line)));
	result_count_run(rs->run, counts);
	for (v = 0; v < VERDICT_N; v++)
		total += counts[v];
	fprintf(rs->out, "tcpconform: %zu result%s:", total, total == 1 ?
	    "" : "s");
	for (v = 0; v < VERDICT_N; v++)
		if (counts[v] > 0)
			fprintf(rs->out, "%s %zu %s", shown++ ? "," : "",
			    counts[v], verdict_name((enum verdict)v));
	fputc('\n', rs->out);
	for (i = 0; i < rs->run->ntargets; i++) {
		const struct target *t = rs->run->targets[i];
		const char *cl, *st;
		size_t k = 0;

		for (j = 0; (cl = result_claim_name(t, j)) != NULL; j++) {
			if ((st = result_claim_status(t, cl)) == NULL)
				continue;
			if (k++ == 0)
				fprintf(rs->out, "Claims [IPv%d]:", t->family);
			fprintf(rs->out, "%s %s %s", k > 1 ? "," : "", cl, st);
		}
		if (k > 0)
			fputc('\n', rs->out);
	}
	for (i = 0, shown = 0; i < rs->run->ntargets; i++) {
		const struct target *t = rs->run->targets[i];

		for (j = 0; j < t->ncases; j++) {
			const struct case_result *c = t->cases[j];

			if (!run_needs_look(c->verdict))
				continue;
			if (shown++ == 0)
				fprintf(rs->out, "Needs a look:\n");
			col = rs->color ? run_verdict_color(c->verdict) : "";
			fprintf(rs->out, "  %s%-12s%s ", col,
			    verdict_label(c->verdict), *col ? "\033[0m" : "");
			text_term(rs->out, c->id);
			fprintf(rs->out, " [IPv%d]", t->family);
			run_where(rs->out, c);
			fputs(": ", rs->out);
			text_term(rs->out, run_reason(c));
			fputc('\n', rs->out);
		}
	}
	fprintf(rs->out, "Report: %s/index.html\n", rs->outdir);
}

static void
run_record_opts(struct runstate *rs)
{
	const struct run_opts *o = rs->o;
	const struct case_req *reqs;
	char buf[32], svcs[160];
	size_t i, n;

	result_set(&rs->run->tester_version, PACKAGE_VERSION);
	result_set(&rs->run->command_line, o->command_line);
	rs->run->strict = o->strict;
	rs->run->complete = o->complete;

	/* What a case's "run it again" needs to reach the same target the
	 * same way (report_html_case.c). */
	if (o->loopback)
		result_option_add(rs->run, "loopback", "yes");
	if (o->target != NULL)
		result_option_add(rs->run, "target", o->target);
	if (o->remote)
		result_option_add(rs->run, "remote", "yes");
	if (o->intrusive)
		result_option_add(rs->run, "intrusive", "yes");
	if (o->mode == RUN_MODE_PHANTOM) {
		result_option_add(rs->run, "mode", "phantom");
		if (o->phantom_addr != NULL)
			result_option_add(rs->run, "phantom-addr",
			    o->phantom_addr);
	}
	if (o->iface != NULL)
		result_option_add(rs->run, "iface", o->iface);
	if (o->port > 0) {
		snprintf(buf, sizeof(buf), "%d", o->port);
		result_option_add(rs->run, "port", buf);
	}
	if (o->service != RUN_SVC_ANY)
		result_option_add(rs->run, "service",
		    run_service_name(o->service));
	/* --service NAME:PORT, each: "http:80 echo:7". */
	for (i = 1, n = 0; i < RUN_SVC_N; i++) {
		if (o->svc_port[i] == 0 || (o->port != 0 && (enum run_service)i
		    == o->service && o->svc_port[i] == o->port))
			continue;
		n += (size_t)snprintf(svcs + n, sizeof(svcs) - n, "%s%s:%u",
		    n > 0 ? " " : "", run_service_name((enum run_service)i),
		    o->svc_port[i]);
		if (n >= sizeof(svcs))
			break;
	}
	if (n > 0 && n < sizeof(svcs))
		result_option_add(rs->run, "services", svcs);
	if (o->kind != NULL)
		result_option_add(rs->run, "kind", o->kind);
	if (o->rate > 0) {
		snprintf(buf, sizeof(buf), "%g", o->rate);
		result_option_add(rs->run, "rate", buf);
	}
	if (o->msl_us != RUN_MSL_DEFAULT_US) {
		snprintf(buf, sizeof(buf), "%llums",
		    (unsigned long long)(o->msl_us / 1000));
		result_option_add(rs->run, "msl", buf);
	}
	if (o->no_sanity)
		result_option_add(rs->run, "no-sanity", "yes");
	snprintf(buf, sizeof(buf), "%d", o->jobs);
	result_option_add(rs->run, "jobs", buf);
	snprintf(buf, sizeof(buf), "%d", o->repeat);
	result_option_add(rs->run, "repeat", buf);
	if (o->expect != NULL)
		result_option_add(rs->run, "expect", o->expect);
	if (o->agent != NULL)
		result_option_add(rs->run, "agent", o->agent);
	/* The catalogue of the requirement view: those a peer can see. */
	reqs = case_req_all(&n);
	for (i = 0; i < n; i++) {
		char sect[64];

		if (case_req_wire(&reqs[i]) == CASE_WIRE_NO)
			continue;
		snprintf(sect, sizeof(sect), "%s%s%s", reqs[i].rfc,
		    reqs[i].section[0] ? " " : "", reqs[i].section);
		result_known_req_add(rs->run, reqs[i].id, sect,
		    reqs[i].keyword, reqs[i].text);
	}
}

static int
run_prepare(struct runstate *rs, struct run_caselist *cl)
{
	const struct run_opts *o = rs->o;
	char *msgs = NULL, *err = NULL, *dir[1];
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	int plain = nc != NULL && *nc != '\0';

	dir[0] = (char *)run_default_casedir();
	if (run_cases_load(cl, o->npaths ? o->paths : dir, o->npaths ?
	    o->npaths : 1, &msgs) == -1) {
		fprintf(stderr, "%s", msgs != NULL ? msgs : "");
		fprintf(stderr, "tcpconform run: fix the case files above "
		    "first (\"tcpconform check\" shows every error)\n");
		free(msgs);
		return -1;
	}
	free(msgs);
	run_cases_filter(cl, o);
	if (cl->n == 0) {
		fprintf(stderr, "tcpconform run: no case to run\n");
		return -1;
	}
	if (o->expect != NULL && run_expect_load(o->expect, &rs->expect,
	    &err) == -1) {
		fprintf(stderr, "tcpconform run: --expect: %s\n", err);
		free(err);
		return -1;
	}
	if (o->agent != NULL && run_agent_addr(o->agent, rs->agent.host,
	    sizeof(rs->agent.host), &rs->agent.port) == -1) {
		fprintf(stderr, "tcpconform run: --agent: expected HOST[:PORT] "
		    "with a numeric address, found '%s'\n", o->agent);
		return -1;
	}
	/*
	 * NO_COLOR (no-color.org) takes the colours away, not the progress
	 * line; TERM=dumb knows no escape sequence, so it gets neither
	 * colours nor "erase line": the progress line is redrawn with "\r"
	 * and spaces.
	 */
	rs->dumb = term != NULL && strcmp(term, "dumb") == 0;
	rs->progress = o->progress >= 0 ? o->progress : isatty(2);
	rs->color = isatty(1) && !plain && !rs->dumb;
	return 0;
}

int
run_main(const struct run_opts *o)
{
	static const int fams[2] = { AF_INET, AF_INET6 };
	struct run_caselist cl = { NULL, 0 };
	struct runstate rs;
	struct family *fs;
	struct run_opts *ots;
	struct guard *g = NULL;
	struct sigaction sa;
	char *err = NULL;
	size_t ti, nt = o->ntargets > 1 ? o->ntargets : 1;
	int i, fam, multi = o->ntargets > 1, root, status = EXIT_SETUP;

	memset(&rs, 0, sizeof(rs));
	fs = xcalloc(nt * 2, sizeof(*fs));
	/* Each target runs with the options of one --target. */
	ots = xcalloc(nt, sizeof(*ots));
	for (ti = 0; ti < nt; ti++) {
		ots[ti] = *o;
		if (!multi)
			continue;
		ots[ti].target = o->targets[ti];
		fam = strchr(o->targets[ti], ':') != NULL ? RUN_FAM_6 :
		    RUN_FAM_4;
		ots[ti].families = (unsigned)fam;
	}
	rs.o = o;
	rs.cl = &cl;
	/* With --json -, standard output is the JSON's alone. */
	rs.out = o->json != NULL && strcmp(o->json, "-") == 0 ? stderr :
	    stdout;
	rs.log = o->verbose > 1 ? stderr : NULL;
	if (run_prepare(&rs, &cl) == -1 || guard_setup(&rs, &g) == -1)
		goto out;
	root = geteuid() == 0;
	if (run_priv_drop(RUN_PRIV_USER, &err) == -1) {
		fprintf(stderr, "tcpconform run: %s\n", err ? err : "?");
		free(err);
		goto out;
	}
	if (setup_dirs(&rs, root, &err) == -1) {
		fprintf(stderr, "tcpconform run: output folder: %s\n", err);
		free(err);
		goto out;
	}
	rs.run = result_run_new();
	rs.scratch = result_run_new();
	rs.st = result_target_add(rs.scratch);
	run_record_opts(&rs);
	rs.run->started_us = (int64_t)time(NULL) * 1000000;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/*
	 * Every target's wires are opened (and its sanity case run) before
	 * privileges are dropped; then the targets run one after another,
	 * the families of each side by side.
	 */
	for (ti = 0; ti < nt && !interrupted; ti++) {
		rs.o = &ots[ti];
		rs.tix = multi ? (int)ti + 1 : 0;
		for (i = 0; i < 2; i++) {
			if (!(ots[ti].families & (1U << i)))
				continue;
			if (family_start(&rs, &fs[ti * 2 + i], fams[i], g) == -1 &&
			    !interrupted) {
				if (!multi)
					goto out;
				/* A host of the list that is down is not
				 * the others': say so, go on, exit 2. */
				fprintf(stderr, "tcpconform: %s skipped: its "
				    "set-up failed (above)\n", ots[ti].target);
				result_option_add(rs.run, "skipped target",
				    ots[ti].target);
				rs.setup_failed = 1;
				family_end(&fs[ti * 2]);
				family_end(&fs[ti * 2 + 1]);
				memset(&fs[ti * 2], 0, 2 * sizeof(*fs));
				break;
			}
			if (interrupted)
				break;
		}
	}
	for (i = 0, ti = 0; ti < nt * 2; ti++)
		i += fs[ti].ready;
	if (!interrupted && i == 0) {
		fprintf(stderr, "tcpconform: set-up failed: no %s could "
		    "run\n", multi ? "target" : "family");
		goto out;
	}
	if (run_priv_drop(RUN_PRIV_WIRE, &err) == -1) {
		fprintf(stderr, "tcpconform run: %s\n", err ? err : "?");
		free(err);
		goto out;
	}
	for (ti = 0; ti < nt && !interrupted; ti++) {
		rs.o = &ots[ti];
		run_families(&rs, &fs[ti * 2], 2);
	}
	rs.o = o;
	stopped(&rs, fs, (int)nt * 2);
	for (ti = 0; ti < nt * 2; ti++)
		family_end(&fs[ti]);
	rs.run->ended_us = (int64_t)time(NULL) * 1000000;
	if (write_reports(&rs) == -1)
		goto out;
	recap(&rs);
	status = result_exit_status(rs.run, result_flags(rs.run));
	if (rs.setup_failed)
		status = EXIT_SETUP;
out:
	for (ti = 0; fs != NULL && ti < nt * 2; ti++)
		family_end(&fs[ti]);
	free(fs);
	free(ots);
	guard_close(g);
	err = NULL;
	run_priv_drop(RUN_PRIV_NONE, &err);
	free(err);
	run_expect_free(rs.expect);
	result_run_free(rs.scratch);
	result_run_free(rs.run);
	run_cases_free(&cl);
	free(rs.outdir);
	return status;
}
