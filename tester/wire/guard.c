/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * guard.c: the nftables table that drops the host kernel's RSTs from the
 * peer's ports in host-address mode (see guard.h for the table and rule).
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/netlink.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nftables/libnftables.h>

#include "guard.h"
#include "errmsg.h"

#define TABLE		GUARD_TABLE_FAMILY " " GUARD_TABLE
#define PID_COMMENT	"tcpconform guard pid "

struct guard {
	struct nft_ctx		*nft;
	uint32_t		 mark;
	int			 owner;		/* "flags owner" */
	pid_t			 pid;
	pid_t			 reaper;	/* fallback: the reaper, or -1 */
	int			 reaper_fd;	/* its pipe's write end */
	int			 nrules;
	struct guard_rule	 rules[GUARD_RULES_MAX];
	char			*note;
};

static int	have_net_admin(void);
static int	list_table(struct guard *, const char **, char **);
static struct nft_ctx *ctx_new(void);
static void	cloexec_netlink(void);
static int	run(struct nft_ctx *, const char *, const char **, char **);
static int	take_over(struct guard *, const char *, char **);
static int	create(struct guard *, int, char **);
static int	reaper_start(struct guard *, char **);
static void	reaper_main(int, pid_t) __attribute__((noreturn));
static int	line_has_rule(const char *, size_t, const char *,
		    const char *, const char *);

/*
 * CAP_NET_ADMIN (bit 12) in the effective set, from /proc/self/status:
 * without it libnftables fails after printing to stderr itself, so the
 * guard asks first and says why in its own words.
 */
static int
have_net_admin(void)
{
	unsigned long long caps = 0;
	char line[256];
	FILE *f;
	int found = 0;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return 1;	/* cannot tell: let nftables decide */
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = sscanf(line, "CapEff: %llx", &caps) == 1;
	fclose(f);
	return !found || (caps & (1ULL << 12)) != 0;
}

/*
 * libnftables opens its netlink socket without close-on-exec.  An owner
 * table lives as long as that socket, so a program the tester starts must
 * not inherit it: mark every netfilter netlink socket of ours FD_CLOEXEC.
 */
static void
cloexec_netlink(void)
{
	struct dirent *de;
	socklen_t len;
	DIR *d;
	int fd, v;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		fd = atoi(de->d_name);
		len = sizeof(v);
		if (fd <= 2 || getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v,
		    &len) == -1 || v != NETLINK_NETFILTER)
			continue;
		len = sizeof(v);
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) == 0 &&
		    v == AF_NETLINK)
			fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	}
	closedir(d);
}

static struct nft_ctx *
ctx_new(void)
{
	struct nft_ctx *nft;

	if ((nft = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL)
		return NULL;
	if (nft_ctx_buffer_output(nft) != 0 ||
	    nft_ctx_buffer_error(nft) != 0) {
		nft_ctx_free(nft);
		return NULL;
	}
	cloexec_netlink();
	return nft;
}

/*
 * Run nft commands.  On success *out (if asked) is the output, valid until
 * the next run; on failure *err gets the first line of nft's message.
 */
static int
run(struct nft_ctx *nft, const char *cmd, const char **out, char **err)
{
	const char *e;
	size_t n;

	if (nft_run_cmd_from_buffer(nft, cmd) == 0) {
		if (out != NULL)
			*out = nft_ctx_get_output_buffer(nft);
		return 0;
	}
	e = nft_ctx_get_error_buffer(nft);
	if (e == NULL || *e == '\0')
		e = "failed";
	n = strcspn(e, "\n");
	tc_seterr(err, "%.*s", (int)n, e);
	/* Drain the output buffer so the next run starts clean. */
	nft_ctx_get_output_buffer(nft);
	return -1;
}

int
guard_table_text(char *buf, size_t cap, int owner, pid_t pid)
{
	int n;

	n = snprintf(buf, cap, "create table " TABLE " { %scomment \""
	    PID_COMMENT "%ld\"; }\n"
	    "add chain " TABLE " " GUARD_CHAIN " { type filter hook output "
	    "priority filter; policy accept; }\n",
	    owner ? "flags owner; " : "", (long)pid);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int
guard_rule_text(char *buf, size_t cap, const struct guard_rule *r,
    uint32_t mark)
{
	char a[INET6_ADDRSTRLEN], ports[16];
	int n;

	if (inet_ntop(r->family, r->peer, a, sizeof(a)) == NULL)
		return -1;
	if (r->port_lo == r->port_hi)
		snprintf(ports, sizeof(ports), "%u", r->port_lo);
	else
		snprintf(ports, sizeof(ports), "%u-%u", r->port_lo,
		    r->port_hi);
	n = snprintf(buf, cap, "%s saddr %s tcp sport %s tcp flags & rst == "
	    "rst meta mark != 0x%08x counter drop comment \""
	    GUARD_RULE_COMMENT "\"", r->family == AF_INET6 ? "ip6" : "ip", a,
	    ports, mark);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Does line [p, p+len) hold the address, ports and mark of one rule? */
static int
line_has_rule(const char *p, size_t len, const char *saddr, const char *sport,
    const char *mark)
{
	char line[512];

	if (len >= sizeof(line))
		return 0;
	memcpy(line, p, len);
	line[len] = '\0';
	return strstr(line, saddr) != NULL && strstr(line, sport) != NULL &&
	    strstr(line, mark) != NULL && strstr(line, "rst") != NULL &&
	    strstr(line, " drop") != NULL &&
	    strstr(line, "\"" GUARD_RULE_COMMENT "\"") != NULL;
}

/*
 * Check a listing of the table: ours (owner flag when expected), the
 * output hook, and each rule.  nft normalises what it prints, so each rule
 * is recognised by its parts, each of which must be on one line.
 */
int
guard_listing_check(const char *listing, int owner, uint32_t mark,
    const struct guard_rule *rules, int nrules, char **err)
{
	char saddr[64], sport[32], mk[32], a[INET6_ADDRSTRLEN];
	const char *p, *nl;
	int i, found;

	if (strstr(listing, "table " TABLE " {") == NULL ||
	    (owner && strstr(listing, "\tflags owner\n") == NULL) ||
	    strstr(listing, "type filter hook output priority filter; "
	    "policy accept;") == NULL) {
		tc_seterr(err, "guard: table " TABLE " is not as created "
		    "(owner flag or output hook missing)");
		return -1;
	}
	snprintf(mk, sizeof(mk), "meta mark != 0x%08x", mark);
	for (i = 0; i < nrules; i++) {
		inet_ntop(rules[i].family, rules[i].peer, a, sizeof(a));
		snprintf(saddr, sizeof(saddr), "%s saddr %s ",
		    rules[i].family == AF_INET6 ? "ip6" : "ip", a);
		if (rules[i].port_lo == rules[i].port_hi)
			snprintf(sport, sizeof(sport), "tcp sport %u ",
			    rules[i].port_lo);
		else
			snprintf(sport, sizeof(sport), "tcp sport %u-%u ",
			    rules[i].port_lo, rules[i].port_hi);
		for (found = 0, p = listing; !found && *p != '\0'; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				nl = p + strlen(p) - 1;
			found = line_has_rule(p, nl - p + 1, saddr, sport, mk);
		}
		if (!found) {
			tc_seterr(err, "guard: table " TABLE " lacks the rule "
			    "dropping RSTs from %s%s", saddr, sport);
			return -1;
		}
	}
	return 0;
}

pid_t
guard_listing_pid(const char *listing)
{
	const char *p;

	if ((p = strstr(listing, "comment \"" PID_COMMENT)) == NULL)
		return 0;
	return (pid_t)strtol(p + strlen("comment \"" PID_COMMENT), NULL, 10);
}

/* 1 when the listing has "flags owner"; the owning program's name (nft
 * prints "# progname NAME" after the table's name) goes to progname. */
int
guard_listing_owned(const char *listing, char *progname, size_t cap)
{
	const char *p;
	size_t n;

	if (cap > 0)
		progname[0] = '\0';
	if (strstr(listing, "\tflags owner\n") == NULL)
		return 0;
	if ((p = strstr(listing, "# progname ")) != NULL && cap > 0) {
		p += strlen("# progname ");
		n = strcspn(p, "\n");
		snprintf(progname, cap, "%.*s", (int)n, p);
	}
	return 1;
}

uint64_t
guard_listing_packets(const char *listing)
{
	const char *p = listing, *c, *nl, *ours;
	uint64_t sum = 0;

	while ((c = strstr(p, "counter packets ")) != NULL) {
		nl = strchr(c, '\n');
		ours = strstr(c, "\"" GUARD_RULE_COMMENT "\"");
		/* Only our rules' counters, which carry our comment. */
		if (ours != NULL && (nl == NULL || ours < nl))
			sum += strtoull(c + strlen("counter packets "), NULL,
			    10);
		p = c + 1;
	}
	return sum;
}

/*
 * The table exists already.  Owned: another tester is running here.  Not
 * owned: left by a fallback run; in use if its pid lives, else stale.
 */
static int
take_over(struct guard *g, const char *listing, char **err)
{
	char prog[64], *e = NULL;
	pid_t pid;

	if (guard_listing_owned(listing, prog, sizeof(prog))) {
		tc_seterr(err, "guard: nftables "
		    "table " TABLE " already exists and "
		    "belongs to process \"%s\": is another tcpconform running "
		    "in this network namespace?", prog);
		return -1;
	}
	pid = guard_listing_pid(listing);
	if (pid > 0 && pid != g->pid && (kill(pid, 0) == 0 || errno == EPERM)) {
		tc_seterr(err, "guard: nftables table " TABLE " is in use by "
		    "process %ld: is another tcpconform running in this "
		    "network namespace?", (long)pid);
		return -1;
	}
	if (run(g->nft, "delete table " TABLE, NULL, &e) == -1) {
		tc_seterr(err, "guard: removing the stale "
		    "table " TABLE ": %s", e);
		free(e);
		return -1;
	}
	if (asprintf(&g->note, "guard: replaced the stale nftables table "
	    TABLE " left by process %ld", (long)pid) == -1)
		g->note = NULL;
	return 0;
}

static int
create(struct guard *g, int owner, char **err)
{
	char cmd[512];

	if (guard_table_text(cmd, sizeof(cmd), owner, g->pid) == -1) {
		tc_seterr(err, "guard: command too long");
		return -1;
	}
	return run(g->nft, cmd, NULL, err);
}

/*
 * The fallback's reaper: a child that waits for the tester's end of a
 * pipe to close, which happens however the tester ends, then deletes the
 * table if it still carries the tester's pid.  It ignores the signals a
 * terminal or a process-group kill sends, so that it outlives the tester.
 */
static void
reaper_main(int fd, pid_t parent)
{
	struct nft_ctx *nft;
	const char *out;
	char c;

	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (fd > 3)
		close_range(3, fd - 1, 0);
	close_range(fd + 1, ~0U, 0);
	while (read(fd, &c, 1) == -1 && errno == EINTR)
		;
	if ((nft = ctx_new()) != NULL &&
	    run(nft, "list table " TABLE, &out, NULL) == 0 &&
	    guard_listing_pid(out) == parent)
		run(nft, "delete table " TABLE, NULL, NULL);
	_exit(0);
}

static int
reaper_start(struct guard *g, char **err)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) == -1) {
		tc_seterr(err, "guard: pipe: %s", strerror(errno));
		return -1;
	}
	if ((g->reaper = fork()) == -1) {
		tc_seterr(err, "guard: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (g->reaper == 0) {
		close(fds[1]);
		reaper_main(fds[0], g->pid);
	}
	close(fds[0]);
	g->reaper_fd = fds[1];
	return 0;
}

struct guard *
guard_open(uint32_t mark, int flags, char **err)
{
	struct guard *g;
	const char *out;
	char *e1 = NULL, *e2 = NULL;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		tc_seterr(err, "guard: out of memory");
		return NULL;
	}
	g->mark = mark;
	g->pid = getpid();
	g->reaper = -1;
	g->reaper_fd = -1;
	if (!have_net_admin()) {
		tc_seterr(err, "guard: creating the nftables "
		    "table " TABLE " needs "
		    "CAP_NET_ADMIN: run as root");
		goto fail;
	}
	if ((g->nft = ctx_new()) == NULL) {
		tc_seterr(err, "guard: cannot set up libnftables");
		goto fail;
	}
	if (run(g->nft, "list table " TABLE, &out, NULL) == 0 &&
	    take_over(g, out, err) == -1)
		goto fail;
	if (!(flags & GUARD_NO_OWNER) && create(g, 1, &e1) == 0)
		g->owner = 1;
	else if (e1 != NULL && strstr(e1, "not permitted") != NULL) {
		tc_seterr(err, "guard: creating nftables table " TABLE ": %s "
		    "(needs root or CAP_NET_ADMIN)", e1);
		goto fail;
	} else {
		if (reaper_start(g, err) == -1)
			goto fail;
		if (create(g, 0, &e2) == -1) {
			tc_seterr(err, "guard: creating nftables table " TABLE
			    ": %s", e1 != NULL ? e1 : e2);
			goto fail;
		}
		free(g->note);
		if (asprintf(&g->note, "guard: no owner table (%s); table "
		    TABLE " is removed by a reaper process when the tester "
		    "ends", e1 != NULL ? e1 : "not asked for") == -1)
			g->note = NULL;
	}
	free(e1);
	free(e2);
	if (guard_verify(g, err) == -1)
		goto fail;
	return g;
fail:
	free(e1);
	free(e2);
	guard_close(g);
	return NULL;
}

int
guard_add(struct guard *g, const struct guard_rule *r, char **err)
{
	char cmd[512], *e = NULL;
	int n;

	if (g->nrules == GUARD_RULES_MAX) {
		tc_seterr(err, "guard: more than %d rules", GUARD_RULES_MAX);
		return -1;
	}
	n = snprintf(cmd, sizeof(cmd), "add rule " TABLE " " GUARD_CHAIN " ");
	if (guard_rule_text(cmd + n, sizeof(cmd) - n, r, g->mark) == -1) {
		tc_seterr(err, "guard: bad rule (family %d)", r->family);
		return -1;
	}
	if (run(g->nft, cmd, NULL, &e) == -1) {
		tc_seterr(err, "guard: adding \"%s\": %s", cmd, e);
		free(e);
		return -1;
	}
	g->rules[g->nrules++] = *r;
	return guard_verify(g, err);
}

/* The table as nft lists it, in *out (libnftables' buffer). */
static int
list_table(struct guard *g, const char **out, char **err)
{
	char *e = NULL;

	if (run(g->nft, "list table " TABLE, out, &e) == -1) {
		tc_seterr(err, "guard: cannot list table " TABLE ": %s", e);
		free(e);
		return -1;
	}
	return 0;
}

int
guard_verify(struct guard *g, char **err)
{
	const char *out;

	if (list_table(g, &out, err) == -1)
		return -1;
	return guard_listing_check(out, g->owner, g->mark, g->rules,
	    g->nrules, err);
}

int
guard_dropped(struct guard *g, uint64_t *packets, char **err)
{
	const char *out;

	if (list_table(g, &out, err) == -1)
		return -1;
	*packets = guard_listing_packets(out);
	return 0;
}

int
guard_owned(const struct guard *g)
{
	return g->owner;
}

const char *
guard_note(const struct guard *g)
{
	return g->note;
}

void
guard_close(struct guard *g)
{
	const char *out;

	if (g == NULL)
		return;
	/* Delete only our own table: listing it tells (pid comment). */
	if (g->nft != NULL && run(g->nft, "list table " TABLE, &out,
	    NULL) == 0 && guard_listing_pid(out) == g->pid)
		run(g->nft, "delete table " TABLE, NULL, NULL);
	if (g->nft != NULL)
		nft_ctx_free(g->nft);
	if (g->reaper_fd != -1)
		close(g->reaper_fd);
	if (g->reaper > 0)
		while (waitpid(g->reaper, NULL, 0) == -1 && errno == EINTR)
			;
	free(g->note);
	free(g);
}
