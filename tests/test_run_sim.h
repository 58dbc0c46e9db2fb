/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_run_sim.h: an in-process target for the runner's unit tests: a
 * second peer stack (tcp.h) wired back to back with the runner's, on a fake
 * clock, with a fake agent speaking the agent's protocol, and hooks that
 * switch faults on (a wrong field, a late or lost segment, a broken wire).
 */
#ifndef TCPCONFORM_TEST_RUN_SIM_H
#define TCPCONFORM_TEST_RUN_SIM_H

#include "run_int.h"

struct sim;

struct sim_cfg {
	int		 family;	/* AF_INET (default) or AF_INET6 */
	uint64_t	 delay_us;	/* one way, each direction [100] */
	uint16_t	 port;		/* the target's listener; 0 none */
	int		 agent;		/* offer the fake agent */
	/* Change (or drop: return 1) a segment the target sends. */
	int		(*fault)(struct sim *, struct seg *);
	/* The path copies this segment of the target's: the copy reaches
	 * the runner this much later (0: no copy). */
	uint64_t	(*dup_after)(struct sim *, const struct seg *);
	/* Change the copy dup_after makes (another connection's, say). */
	void		(*dup_edit)(struct sim *, struct seg *);
	/* Extra delay of a segment on its way to the runner. */
	uint64_t	(*extra_delay)(struct sim *, const struct seg *);
	void		(*tweak)(struct tcp_config *);	/* target's config */
	/* The listeners' hooks (the port's, the agent's), which their
	 * connections inherit. */
	void		(*hooks)(struct tcp_hooks *);
	/* The path loses this datagram of the runner's (return 1). */
	int		(*lose_ours)(struct sim *, const uint8_t *, size_t);
	/* The path copies this datagram of the runner's: the copy reaches
	 * the target this much later (0: no copy). */
	uint64_t	(*dup_ours)(struct sim *, const uint8_t *, size_t);
	/* The tester's host is busy: a wait meant to end at deadline,
	 * with nothing to read before it, ends this much later, the
	 * world going on meanwhile (0: on time). */
	uint64_t	(*oversleep)(struct sim *, uint64_t deadline);
	/* The tester's host is busy when the runner reads the clock, its
	 * nsent-th datagram sent: the clock jumps this much, the world
	 * going on meanwhile (0: no jump). */
	uint64_t	(*stall)(struct sim *, int nsent);
	/* A banner service on port: on each connection it sends this line
	 * and closes, without reading. */
	const char	*banner;
	/* The capture loses this segment of the target's (return 1). */
	int		(*drop)(struct sim *, const struct seg *);
	/* A request to the agent reaches it this much later (its control
	 * connection lost a segment): 0 at once. */
	uint64_t	(*agent_late)(struct sim *, const char *line);
	int		 fail_send_nth;	/* the wire fails on this datagram */
	int		 agent_break_nth; /* the agent's link breaks on this
					 * request (1..) */
	int		 agent_max;	/* control connections at once; 0 any */
	uint64_t	 agent_greet_us; /* a control connection is ready this
					 * long after it is started */
	/* The agent dies agent_die_us after its agent_die_nth-th request
	 * (1..), answered: its test connections are reset, as the target's
	 * kernel does, and the end of its control connection reaches the
	 * runner agent_end_us after that (a socket pair's end, which the
	 * runner polls). */
	int		 agent_die_nth;
	uint64_t	 agent_die_us;
	uint64_t	 agent_end_us;
	int		 agent_mute;	/* the first this many control
					 * connections get no reply (a lossy
					 * path lost the greeting) */
	int		 repeat;	/* --repeat */
	int		 jobs;		/* -j */
	int		 noisy;		/* pretend the path is noisy */
	double		 rate;		/* --rate; 0 none */
	const char	*expect;	/* a baseline's text */
	const char	*kind;		/* --kind */
	int		 routed;	/* the target is beyond a router (not
					 * on the tester's link) */
	uint64_t	 target_msl_us;	/* --target-msl; 0: the default */
	int		 intrusive;	/* --intrusive */
	int		 loopback;	/* the target is this host */
};

struct sim	*sim_new(const struct sim_cfg *);
void		 sim_free(struct sim *);
uint64_t	 sim_now(const struct sim *);
void		*sim_arg(struct sim *);
void		 sim_set_arg(struct sim *, void *);

/*
 * Run the case texts (each: a whole case file) against a fresh simulated
 * target; returns the results (free with result_run_free).  The first
 * target's cases are in the order given.
 */
struct run	*sim_run(const struct sim_cfg *, const char *const *cases,
		    int n);

/* RTT probes against a simulated target; run_measure_path()'s result. */
int		 sim_measure(const struct sim_cfg *, struct run_path *);

/* "title ... checks MUST-8 ... fault none ..." + body, for short cases. */
char		*sim_case(const char *needs, const char *body);

#endif /* TCPCONFORM_TEST_RUN_SIM_H */
