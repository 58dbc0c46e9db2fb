/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_agent.c: the runner's agent back end over agent_client.h (one control
 * connection per case, asynchronous requests), and the parsing of
 * --agent HOST[:PORT].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "run_int.h"

static void	*ac_open(void *, char **);
static void	*ac_start(void *, char **);
static int	 ac_ready(void *, char **);
static void	 ac_close(void *);
static int	 ac_send(void *, const char *, char **);
static int	 ac_fd(void *);
static int	 ac_recv(void *, struct agent_reply *, char **);

const struct run_agent_ops run_agent_client_ops = {
	.open = ac_open,
	.start = ac_start,
	.ready = ac_ready,
	.close = ac_close,
	.send = ac_send,
	.fd = ac_fd,
	.recv = ac_recv,
};

static void *
ac_open(void *arg, char **err)
{
	const struct run_agent_target *t = arg;

	return agent_connect(t->host, t->port, RUN_AGENT_TIMEOUT_MS, err);
}

static void *
ac_start(void *arg, char **err)
{
	const struct run_agent_target *t = arg;

	return agent_connect_start(t->host, t->port, RUN_AGENT_TIMEOUT_MS,
	    err);
}

static int
ac_ready(void *c, char **err)
{
	return agent_connect_poll(c, err);
}

static void
ac_close(void *c)
{
	agent_free(c);
}

static int
ac_send(void *c, const char *line, char **err)
{
	return agent_send(c, err, "%s", line);
}

static int
ac_fd(void *c)
{
	return agent_fd(c);
}

static int
ac_recv(void *c, struct agent_reply *r, char **err)
{
	return agent_recv(c, 0, r, err);
}

/*
 * Each key=value word of an agent's reply into the target's identity;
 * other words are skipped.
 */
void
run_identity_words(struct target *t, const char *words)
{
	char *copy = xstrdup(words), *w, *eq, *save = NULL;

	for (w = strtok_r(copy, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save))
		if ((eq = strchr(w, '=')) != NULL && eq > w) {
			*eq = '\0';
			result_target_identity_add(t, w, eq + 1);
		}
	free(copy);
}

/*
 * What the target is, asked once per target on a control connection of its
 * own: INFO's words; from an agent older than INFO, HELLO's os= alone.
 */
int
run_agent_identity(const struct run_agent_target *at, struct target *t,
    char **err)
{
	struct agent_reply r;
	struct agent *a;
	const char *os;
	char word[128];
	size_t n;

	if ((a = agent_connect(at->host, at->port, RUN_AGENT_TIMEOUT_MS,
	    err)) == NULL)
		return -1;
	if (agent_request(a, 0, &r, err, "INFO") == -1) {
		agent_free(a);
		return -1;
	}
	if (r.ok)
		run_identity_words(t, r.text);
	else if ((os = strstr(agent_hello(a), "os=")) != NULL) {
		n = strcspn(os, " ");
		snprintf(word, sizeof(word), "%.*s", (int)(n < sizeof(word) ?
		    n : sizeof(word) - 1), os);
		run_identity_words(t, word);
	}
	agent_free(a);
	return 0;
}

/*
 * "198.18.0.2", "198.18.0.2:7447", "[2001:db8::2]:7447", "2001:db8::2"
 * (a bare IPv6 address has no port).  Returns -1 when it is none of these.
 */
int
run_agent_addr(const char *spec, char *host, size_t cap, uint16_t *port)
{
	const char *colon, *end;
	char *e;
	size_t n;
	long v;

	*port = AGENT_DEFAULT_PORT;
	if (spec[0] == '[') {
		if ((end = strchr(spec, ']')) == NULL)
			return -1;
		n = (size_t)(end - spec - 1);
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL)
			return -1;
		spec++;
	} else if ((colon = strchr(spec, ':')) != NULL &&
	    strchr(colon + 1, ':') != NULL) {
		n = strlen(spec);
		colon = NULL;
	} else
		n = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	if (n == 0 || n >= cap)
		return -1;
	memcpy(host, spec, n);
	host[n] = '\0';
	if (colon == NULL)
		return 0;
	v = strtol(colon + 1, &e, 10);
	if (colon[1] == '\0' || *e != '\0' || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}
