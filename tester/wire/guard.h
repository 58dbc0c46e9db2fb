/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * guard.h: keeping the host kernel out of the peer's flows in host-address
 * mode.  The kernel owns the peer's address there, has no socket on the
 * peer's ports, and so answers the target's segments with RSTs (RFC 9293
 * 3.10.7.1).  The guard installs one nftables table that drops exactly
 * those RSTs and lets the peer's own segments, which carry its socket mark,
 * through:
 *
 *	table inet tcpconform {
 *		flags owner
 *		comment "tcpconform guard pid PID"
 *		chain output {
 *			type filter hook output priority filter; policy accept;
 *			ip saddr PEER tcp sport LO-HI tcp flags & rst == rst
 *			    meta mark != MARK counter drop
 *			    comment "tcpconform guard"
 *		}
 *	}
 *
 * (one rule per guard_add(); ip6 saddr for IPv6).  The table is created
 * in-process through libnftables with "flags owner", so the kernel deletes
 * it when the tester's netlink socket closes: however the process ends,
 * SIGKILL included.  Kernels before 5.12 lack owner tables; the guard then
 * creates the table without the flag and forks a small reaper process that
 * deletes it when the tester's end of a pipe closes (exit, signal, crash).
 * A table left by such a run whose pid is gone is replaced, with a note.
 */
#ifndef TCPCONFORM_GUARD_H
#define TCPCONFORM_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define GUARD_TABLE_FAMILY	"inet"
#define GUARD_TABLE		"tcpconform"
#define GUARD_CHAIN		"output"
#define GUARD_RULE_COMMENT	"tcpconform guard"
#define GUARD_RULES_MAX		16

/* guard_open() flags. */
#define GUARD_NO_OWNER		0x01	/* use the fallback even if the kernel
					 * has owner tables (to test it) */

/* One rule: RSTs from peer (AF_INET or AF_INET6) and ports [lo, hi]. */
struct guard_rule {
	int		family;
	uint8_t		peer[16];
	uint16_t	port_lo;
	uint16_t	port_hi;
};

struct guard;

/*
 * Create the table and its output chain (no rules yet: it drops nothing).
 * mark is the socket mark of the peer's datagrams (wire_config.mark).
 * Fails with *err set when nftables is unusable (not root: it needs
 * CAP_NET_ADMIN), or when another live tester holds the table in this
 * network namespace: two testers cannot share one.
 */
struct guard	*guard_open(uint32_t mark, int flags, char **err);

/* Add a rule, then list the table back and verify it (guard_verify). */
int	guard_add(struct guard *g, const struct guard_rule *r, char **err);

/*
 * List the table back from the kernel and check that it is ours and holds
 * every rule: the run must not start unless this succeeds.
 */
int	guard_verify(struct guard *g, char **err);

/* The RSTs the guard has dropped so far (the rules' counters). */
int	guard_dropped(struct guard *g, uint64_t *packets, char **err);

/* 1 when the kernel owns the table's lifetime ("flags owner"). */
int	guard_owned(const struct guard *g);

/* A note for the log (fallback used, stale table replaced), or NULL. */
const char	*guard_note(const struct guard *g);

/* Delete the table (or let the kernel do it) and free g. */
void	guard_close(struct guard *g);

/*
 * The text the guard hands libnftables and the checks it makes on the
 * listing, exposed for unit tests.  Each returns 0, or -1 when cap is too
 * small (or, for the check, with *err saying what is missing).
 */
int	guard_table_text(char *buf, size_t cap, int owner, pid_t pid);
int	guard_rule_text(char *buf, size_t cap, const struct guard_rule *r,
	    uint32_t mark);
int	guard_listing_check(const char *listing, int owner, uint32_t mark,
	    const struct guard_rule *rules, int nrules, char **err);
pid_t	guard_listing_pid(const char *listing);
int	guard_listing_owned(const char *listing, char *progname, size_t cap);
uint64_t guard_listing_packets(const char *listing);

#endif /* TCPCONFORM_GUARD_H */
