/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_opts.c: the options of "tcpconform run", parsed and checked for
 * combinations that cannot work, before anything touches the network.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_int.h"
#include "text.h"
#include "errmsg.h"

static int	set_str(char **, const char *);
static int	get_int(const char *, const char *, long, long, int *, char **);
static int	get_msl(const char *, uint64_t *, char **);
static int	get_service(struct run_opts *, const char *, char **);
static int	parse_one(struct run_opts *, int, const char *, char **);
static int	check_target(struct run_opts *, char **);
static int	read_targets(struct run_opts *, const char *, char **);
static int	check_targets(struct run_opts *, char **);
static int	resolve_targets(struct run_opts *, char **);
static int	addr_family(const char *, int *);
static int	is_loopback(const char *);
static int	check_agent(const struct run_opts *, char **);

enum {
	OPT_LOOPBACK = 256, OPT_TARGET, OPT_TARGETS, OPT_REMOTE, OPT_MODE, OPT_IFACE,
	OPT_PHANTOM, OPT_SERVICE, OPT_AGENT, OPT_KIND, OPT_IDENTITY, OPT_TAP, OPT_JSON,
	OPT_REPEAT, OPT_EXPECT, OPT_STRICT, OPT_COMPLETE, OPT_RATE, OPT_MSL,
	OPT_TARGET_MSL, OPT_NOSANITY,
	OPT_PROGRESS, OPT_NOPROGRESS, OPT_TAG, OPT_SKIPTAG, OPT_NAME,
	OPT_INTRUSIVE,
};

static const struct option longopts[] = {
	{ "loopback",	no_argument,		NULL, OPT_LOOPBACK },
	{ "target",	required_argument,	NULL, OPT_TARGET },
	{ "targets",	required_argument,	NULL, OPT_TARGETS },
	{ "remote",	no_argument,		NULL, OPT_REMOTE },
	{ "mode",	required_argument,	NULL, OPT_MODE },
	{ "iface",	required_argument,	NULL, OPT_IFACE },
	{ "phantom-addr", required_argument,	NULL, OPT_PHANTOM },
	{ "port",	required_argument,	NULL, 'p' },
	{ "service",	required_argument,	NULL, OPT_SERVICE },
	{ "agent",	required_argument,	NULL, OPT_AGENT },
	{ "kind",	required_argument,	NULL, OPT_KIND },
	{ "identity",	required_argument,	NULL, OPT_IDENTITY },
	{ "output",	required_argument,	NULL, 'o' },
	{ "tap",	required_argument,	NULL, OPT_TAP },
	{ "json",	required_argument,	NULL, OPT_JSON },
	{ "jobs",	required_argument,	NULL, 'j' },
	{ "repeat",	required_argument,	NULL, OPT_REPEAT },
	{ "expect",	required_argument,	NULL, OPT_EXPECT },
	{ "strict",	no_argument,		NULL, OPT_STRICT },
	{ "complete",	no_argument,		NULL, OPT_COMPLETE },
	{ "rate",	required_argument,	NULL, OPT_RATE },
	{ "msl",	required_argument,	NULL, OPT_MSL },
	{ "target-msl",	required_argument,	NULL, OPT_TARGET_MSL },
	{ "no-sanity",	no_argument,		NULL, OPT_NOSANITY },
	{ "progress",	no_argument,		NULL, OPT_PROGRESS },
	{ "no-progress", no_argument,		NULL, OPT_NOPROGRESS },
	{ "tag",	required_argument,	NULL, OPT_TAG },
	{ "skip-tag",	required_argument,	NULL, OPT_SKIPTAG },
	{ "name",	required_argument,	NULL, OPT_NAME },
	{ "intrusive",	no_argument,		NULL, OPT_INTRUSIVE },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 }
};

void
run_opts_init(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->jobs = 1;
	o->repeat = 1;
	o->msl_us = RUN_MSL_DEFAULT_US;
	/* RFC 9293 3.4.2: "the MSL is taken to be 2 minutes". */
	o->target_msl_us = 120ULL * 1000000;
	o->progress = -1;
	o->color = -1;
	o->mode = RUN_MODE_HOST;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
run_opts_free(struct run_opts *o)
{
	free_strv(o->paths, o->npaths);
	free_strv(o->tags, o->ntags);
	free_strv(o->skip_tags, o->nskip);
	free_strv(o->names, o->nnames);
	free(o->target);
	free_strv(o->targets, o->ntargets);
	free(o->iface);
	free(o->phantom_addr);
	free(o->agent);
	free(o->kind);
	free_strv(o->identity, o->nidentity);
	free(o->outdir);
	free(o->tap);
	free(o->json);
	free(o->expect);
	free(o->command_line);
	memset(o, 0, sizeof(*o));
}

static int
set_str(char **dst, const char *s)
{
	free(*dst);
	if ((*dst = strdup(s)) == NULL)
		abort();
	return 0;
}

static int
get_int(const char *opt, const char *s, long lo, long hi, int *out,
    char **err)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return tc_seterr(err, "%s: expected a number from %ld to %ld, "
		    "found '%s'", opt, lo, hi, s);
	*out = (int)v;
	return 0;
}

/* "120", "120s", "500ms", "2min": the peer's MSL, as serve takes it. */
static int
get_msl(const char *s, uint64_t *out, char **err)
{
	if (text_duration_us(s, 3600, out) == -1)
		return tc_seterr(err, "--msl: expected a duration such as 30s, "
		    "500ms or 2min (at most 1 hour), found '%s'", s);
	return 0;
}

const char *
run_service_name(enum run_service svc)
{
	static const char *const names[RUN_SVC_N] = { "any", "http", "echo",
	    "discard", "banner" };

	return svc < RUN_SVC_N ? names[svc] : "?";
}

/*
 * "--service NAME" says what listens on --port (the first form, kept);
 * "--service NAME:PORT" adds a service of its own, so that one run can
 * drive an HTTP server, an echo and a banner service together.
 */
static int
get_service(struct run_opts *o, const char *s, char **err)
{
	const char *colon = strchr(s, ':');
	size_t i, n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	int port;

	for (i = 0; i < RUN_SVC_N; i++)
		if (strlen(run_service_name((enum run_service)i)) == n &&
		    strncmp(s, run_service_name((enum run_service)i), n) == 0)
			break;
	if (i == RUN_SVC_N)
		return tc_seterr(err, "--service: expected any, http, echo, discard "
		    "or banner, with :PORT or without, found '%s'", s);
	if (colon == NULL) {
		o->service = (enum run_service)i;
		return 0;
	}
	if (get_int("--service", colon + 1, 1, 65535, &port, err) == -1)
		return -1;
	if (o->svc_port[i] != 0)
		return tc_seterr(err, "--service: %s given twice", run_service_name(
		    (enum run_service)i));
	o->svc_port[i] = (uint16_t)port;
	return 0;
}

static int
parse_one(struct run_opts *o, int c, const char *arg, char **err)
{
	switch (c) {
	case '4':
		o->families |= RUN_FAM_4;
		return 0;
	case '6':
		o->families |= RUN_FAM_6;
		return 0;
	case 'p':
		return get_int("--port", arg, 1, 65535, &o->port, err);
	case 'o':
		return set_str(&o->outdir, arg);
	case 'j':
		return get_int("-j", arg, 1, 256, &o->jobs, err);
	case 'v':
		o->verbose++;
		return 0;
	case OPT_LOOPBACK:
		o->loopback = 1;
		return 0;
	case OPT_TARGET:
		xstrv_add(&o->targets, &o->ntargets, arg);
		if (o->target == NULL)
			return set_str(&o->target, arg);
		return 0;
	case OPT_TARGETS:
		return read_targets(o, arg, err);
	case OPT_REMOTE:
		o->remote = 1;
		return 0;
	case OPT_MODE:
		if (strcmp(arg, "host") == 0)
			o->mode = RUN_MODE_HOST;
		else if (strcmp(arg, "phantom") == 0)
			o->mode = RUN_MODE_PHANTOM;
		else
			return tc_seterr(err, "--mode: expected host or "
			    "phantom, "
			    "found '%s'", arg);
		return 0;
	case OPT_IFACE:
		return set_str(&o->iface, arg);
	case OPT_PHANTOM:
		return set_str(&o->phantom_addr, arg);
	case OPT_SERVICE:
		return get_service(o, arg, err);
	case OPT_AGENT:
		return set_str(&o->agent, arg);
	case OPT_KIND:
		return set_str(&o->kind, arg);
	case OPT_IDENTITY:
		if (arg[0] == '=' || strchr(arg, '=') == NULL)
			return tc_seterr(err, "--identity: expected KEY=VALUE "
			    "(e.g. firmware=2.4), found '%s'", arg);
		xstrv_add(&o->identity, &o->nidentity, arg);
		return 0;
	case OPT_TAP:
		return set_str(&o->tap, arg);
	case OPT_JSON:
		return set_str(&o->json, arg);
	case OPT_REPEAT:
		return get_int("--repeat", arg, 1, 10000, &o->repeat, err);
	case OPT_EXPECT:
		return set_str(&o->expect, arg);
	case OPT_STRICT:
		o->strict = 1;
		return 0;
	case OPT_COMPLETE:
		o->complete = 1;
		return 0;
	case OPT_RATE: {
		char *end;

		o->rate = strtod(arg, &end);
		if (end == arg || *end != '\0' || o->rate < 1 ||
		    o->rate > 1e6)
			return tc_seterr(err, "--rate: expected packets per "
			    "second "
			    "from 1 to 1000000, found '%s'", arg);
		return 0;
	}
	case OPT_MSL:
		return get_msl(arg, &o->msl_us, err);
	case OPT_TARGET_MSL:
		if (text_duration_us(arg, 3600, &o->target_msl_us) == -1 ||
		    o->target_msl_us == 0)
			return tc_seterr(err, "--target-msl: expected a duration such "
			    "as 2min or 30s (at most 1 hour), found '%s'", arg);
		return 0;
	case OPT_NOSANITY:
		o->no_sanity = 1;
		return 0;
	case OPT_PROGRESS:
	case OPT_NOPROGRESS:
		o->progress = c == OPT_PROGRESS;
		return 0;
	case OPT_TAG:
		xstrv_add(&o->tags, &o->ntags, arg);
		return 0;
	case OPT_SKIPTAG:
		xstrv_add(&o->skip_tags, &o->nskip, arg);
		return 0;
	case OPT_NAME:
		xstrv_add(&o->names, &o->nnames, arg);
		return 0;
	case OPT_INTRUSIVE:
		o->intrusive = 1;
		return 0;
	}
	return tc_seterr(err, "unknown option (\"tcpconform run --help\" lists "
	    "them)");
}

/* AF_INET or AF_INET6 for a numeric address; -1 if it is not one. */
static int
addr_family(const char *s, int *fam)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1)
		*fam = AF_INET;
	else if (inet_pton(AF_INET6, s, &a6) == 1)
		*fam = AF_INET6;
	else
		return -1;
	return 0;
}

static int
is_loopback(const char *s)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, s, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

/*
 * The target: loopback, or an address given with --target.  Anything that
 * is not loopback needs --remote: the tester crafts unusual segments, and
 * pointing it at a host by a typo must not be possible.
 */
static int
check_target(struct run_opts *o, char **err)
{
	int fam;

	if (o->loopback && o->target != NULL)
		return tc_seterr(err, "--loopback and --target exclude each "
		    "other");
	if (!o->loopback && o->target == NULL)
		return tc_seterr(err, "no target: give --loopback, or --target "
		    "ADDR (with --remote for an address that is not "
		    "loopback)");
	if (o->loopback) {
		if (o->mode == RUN_MODE_PHANTOM)
			return tc_seterr(err, "--loopback works in host mode "
			    "only "
			    "(Linux drops link-layer frames for 127/8 on lo)");
		if (o->families == 0) {
			o->families = RUN_FAM_4 | RUN_FAM_6;
			o->families_implicit = 1;
		}
		return 0;
	}
	if (addr_family(o->target, &fam) == -1)
		return tc_seterr(err, "--target: expected an IPv4 or IPv6 "
		    "address or a host name, found '%s'", o->target);
	if (!is_loopback(o->target) && !o->remote)
		return tc_seterr(err, "refusing to send to %s: it is not a "
		    "loopback "
		    "address; add --remote if this host is yours to test",
		    o->target);
	if (o->families & (fam == AF_INET ? RUN_FAM_6 : RUN_FAM_4))
		return tc_seterr(err, "--target %s is an IPv%d address, but "
		    "-%d was "
		    "given", o->target, fam == AF_INET ? 4 : 6,
		    fam == AF_INET ? 6 : 4);
	o->families = fam == AF_INET ? RUN_FAM_4 : RUN_FAM_6;
	if (o->mode == RUN_MODE_PHANTOM && (o->iface == NULL ||
	    o->phantom_addr == NULL))
		return tc_seterr(err, "--mode phantom needs --iface and "
		    "--phantom-addr");
	if (o->phantom_addr != NULL && (addr_family(o->phantom_addr,
	    &fam) == -1 || (fam == AF_INET) != (o->families == RUN_FAM_4)))
		return tc_seterr(err, "--phantom-addr: expected an address of "
		    "the "
		    "target's family, found '%s'", o->phantom_addr);
	return 0;
}

/*
 * "--targets FILE": one numeric address a line; blank lines and '#'
 * comments are skipped.  Both families of a dual-stack host are two lines.
 */
static int
read_targets(struct run_opts *o, const char *path, char **err)
{
	char line[256], *p, *e;
	FILE *f;
	int n = 0;

	if ((f = fopen(path, "r")) == NULL)
		return tc_seterr(err, "--targets: cannot read %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		for (e = p + strlen(p); e > p && (e[-1] == '\n' ||
		    e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (*p == '\0')
			continue;
		xstrv_add(&o->targets, &o->ntargets, p);
		if (o->target == NULL)
			set_str(&o->target, p);
		n++;
	}
	fclose(f);
	if (n == 0)
		return tc_seterr(err, "--targets: no address in %s", path);
	return 0;
}

/*
 * A target given by name stands for each of its addresses (both families
 * of a dual-stack host, -4 or -6 keeping one), each a target of its own;
 * they are held to the rules of a numeric --target after that, so a name
 * that is not loopback still needs --remote.  What is neither an address
 * nor a host name is left for those rules to refuse.
 */
static int
resolve_targets(struct run_opts *o, char **err)
{
	struct addrinfo hints, *res, *ai;
	char **out = NULL, addr[INET6_ADDRSTRLEN];
	size_t nout = 0, i, k, before;
	int fam, rc;

	for (i = 0; i < o->ntargets; i++) {
		if (addr_family(o->targets[i], &fam) == 0 ||
		    strspn(o->targets[i], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") !=
		    strlen(o->targets[i]) || o->targets[i][0] == '-' ||
		    o->targets[i][0] == '\0') {
			xstrv_add(&out, &nout, o->targets[i]);
			continue;
		}
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = o->families == RUN_FAM_4 ? AF_INET :
		    o->families == RUN_FAM_6 ? AF_INET6 : AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		if ((rc = getaddrinfo(o->targets[i], NULL, &hints, &res)) != 0) {
			tc_seterr(err, "--target: cannot resolve '%s': %s",
			    o->targets[i], gai_strerror(rc));
			free_strv(out, nout);
			return -1;
		}
		before = nout;
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			if (ai->ai_family == AF_INET)
				inet_ntop(AF_INET, &((struct sockaddr_in *)
				    (void *)ai->ai_addr)->sin_addr, addr,
				    sizeof(addr));
			else if (ai->ai_family == AF_INET6)
				inet_ntop(AF_INET6, &((struct sockaddr_in6 *)
				    (void *)ai->ai_addr)->sin6_addr, addr,
				    sizeof(addr));
			else
				continue;
			for (k = before; k < nout; k++)
				if (strcmp(out[k], addr) == 0)
					break;
			if (k == nout)
				xstrv_add(&out, &nout, addr);
		}
		freeaddrinfo(res);
		if (nout == before) {
			tc_seterr(err, "--target: '%s' has no IPv4 or IPv6 "
			    "address", o->targets[i]);
			free_strv(out, nout);
			return -1;
		}
	}
	free_strv(o->targets, o->ntargets);
	o->targets = out;
	o->ntargets = nout;
	if (nout > 0)
		set_str(&o->target, out[0]);
	return 0;
}

/*
 * Several targets (a list, both families of a host, a file): each is
 * held to the rules of one --target, and runs as a target of its own, a
 * column of the report's matrix.  -4 or -6 keep the targets of that
 * family.  The agent drives one host, and phantom mode claims one
 * address per family: neither goes with several targets.
 */
static int
check_targets(struct run_opts *o, char **err)
{
	unsigned fams = 0, want = o->families;
	size_t i, k = 0;
	int fam;

	if (o->loopback)
		return tc_seterr(err, "--loopback and --target exclude each "
		    "other");
	if (o->agent != NULL)
		return tc_seterr(err, "--agent drives one target: give one "
		    "--target with it (a host name stands for each of its "
		    "addresses: add -4 or -6)");
	if (o->mode == RUN_MODE_PHANTOM)
		return tc_seterr(err, "--mode phantom takes one target");
	for (i = 0; i < o->ntargets; i++) {
		if (addr_family(o->targets[i], &fam) == -1)
			return tc_seterr(err, "--target: expected an IPv4 or "
			    "IPv6 address or a host name, found '%s'",
			    o->targets[i]);
		if (!is_loopback(o->targets[i]) && !o->remote)
			return tc_seterr(err, "refusing to send to %s: it is "
			    "not a loopback address; add --remote if this host "
			    "is yours to test", o->targets[i]);
		if (want != 0 && !(want & (fam == AF_INET ? RUN_FAM_4 :
		    RUN_FAM_6))) {
			free(o->targets[i]);
			continue;
		}
		fams |= fam == AF_INET ? RUN_FAM_4 : RUN_FAM_6;
		o->targets[k++] = o->targets[i];
	}
	o->ntargets = k;
	if (k == 0)
		return tc_seterr(err, "no target of the family -%d asks for",
		    want == RUN_FAM_4 ? 4 : 6);
	set_str(&o->target, o->targets[0]);
	o->families = fams;
	return 0;
}

/* The agent's address is held to the same rule as the target's. */
static int
check_agent(const struct run_opts *o, char **err)
{
	char host[256];
	uint16_t port;
	int fam;

	if (o->agent == NULL)
		return 0;
	if (run_agent_addr(o->agent, host, sizeof(host), &port) == -1 ||
	    addr_family(host, &fam) == -1)
		return tc_seterr(err, "--agent: expected HOST[:PORT] with a "
		    "numeric "
		    "address, found '%s'", o->agent);
	if (!is_loopback(host) && !o->remote)
		return tc_seterr(err, "refusing to contact the agent at %s: it "
		    "is "
		    "not a loopback address; add --remote", host);
	return 0;
}

int
run_opts_parse(struct run_opts *o, int argc, char **argv, char **err)
{
	int c, i;

	*err = NULL;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":46p:o:j:vh", longopts,
	    NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?')
			return tc_seterr(err, "unknown option '%s' "
			    "(\"tcpconform "
			    "run --help\" lists them)", argv[optind - 1]);
		if (c == ':')
			return tc_seterr(err, "option '%s' needs a value",
			    argv[optind - 1]);
		if (parse_one(o, c, optarg, err) == -1)
			return -1;
	}
	for (i = optind; i < argc; i++)
		xstrv_add(&o->paths, &o->npaths, argv[i]);
	if (o->port != 0 && o->service != RUN_SVC_ANY &&
	    o->svc_port[o->service] == 0)
		o->svc_port[o->service] = (uint16_t)o->port;
	if (resolve_targets(o, err) == -1)
		return -1;
	if (o->ntargets > 1) {
		if (check_targets(o, err) == -1)
			return -1;
		return check_agent(o, err);
	}
	if (check_target(o, err) == -1)
		return -1;
	return check_agent(o, err);
}
