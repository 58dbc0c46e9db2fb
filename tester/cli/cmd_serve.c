/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * cmd_serve.c: "tcpconform serve": run the peer's own TCP as a target, with
 * services, a built-in agent and the faults named on the command line, so
 * that the suite can be run against a target known to be wrong.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_proto.h"
#include "cmd.h"
#include "serve.h"
#include "text.h"
#include "wire.h"

static int	parse_addr(const char *, int *, uint8_t *);
static int	parse_port(const char *, const char *, uint16_t *);
static int	parse_fault(const char *, struct serve_config *);
struct serve_opts;
static int	parse_num(const char *, const char *, unsigned long,
		    unsigned long *);
static int	parse_opt(int, struct serve_opts *);
static const char *host_iface(const struct serve_config *);
static int	check_config(struct serve_config *, struct serve_net *,
		    int, const uint8_t *, int);
static int	cmd_serve_exec(int, char **);
static void	cmd_serve_help(void);

enum {
	OPT_ADDR = 256, OPT_CLIENT, OPT_IFACE, OPT_MODE, OPT_AGENT_ADDR,
	OPT_AGENT_PORT, OPT_FAULT, OPT_LIST, OPT_ECHO, OPT_DISCARD, OPT_HTTP,
	OPT_NO_ANY, OPT_BANNER, OPT_MSL, OPT_PCAP, OPT_ISN
};

static const struct option longopts[] = {
	{ "addr", required_argument, NULL, OPT_ADDR },
	{ "client", required_argument, NULL, OPT_CLIENT },
	{ "iface", required_argument, NULL, OPT_IFACE },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "agent-addr", required_argument, NULL, OPT_AGENT_ADDR },
	{ "agent-port", required_argument, NULL, OPT_AGENT_PORT },
	{ "fault", required_argument, NULL, OPT_FAULT },
	{ "list-faults", no_argument, NULL, OPT_LIST },
	{ "echo-port", required_argument, NULL, OPT_ECHO },
	{ "discard-port", required_argument, NULL, OPT_DISCARD },
	{ "http-port", required_argument, NULL, OPT_HTTP },
	{ "banner-port", required_argument, NULL, OPT_BANNER },
	{ "no-any-port", no_argument, NULL, OPT_NO_ANY },
	{ "msl", required_argument, NULL, OPT_MSL },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "isn", required_argument, NULL, OPT_ISN },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
parse_addr(const char *s, int *family, uint8_t *a)
{
	memset(a, 0, 16);
	if (inet_pton(AF_INET, s, a) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, s, a) == 1)
		*family = AF_INET6;
	else {
		cmd_usage_error("serve", "'%s' is not a numeric address", s);
		return -1;
	}
	return 0;
}

static int
parse_port(const char *opt, const char *s, uint16_t *port)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v > 65535) {
		cmd_usage_error("serve", "%s: '%s' is not a port (0-65535)",
		    opt, s);
		return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

static int
parse_fault(const char *s, struct serve_config *cfg)
{
	int id;

	if ((id = serve_fault_lookup(s)) == -1) {
		cmd_usage_error("serve", "unknown fault '%s' "
		    "(--list-faults lists them)", s);
		return -1;
	}
	if (!SERVE_FAULT_HAS(&cfg->faults, id))
		cfg->nfaults++;
	SERVE_FAULT_SET(&cfg->faults, id);
	return 0;
}

/*
 * Host mode without --iface: the tester's segments arrive, and ours leave,
 * on the interface that holds --addr; on lo when the tester is this host
 * too.  Capturing anywhere else would say "ready" and never see a SYN, so
 * an --addr that is not this host's is refused.
 */
static const char *
host_iface(const struct serve_config *cfg)
{
	static char name[IF_NAMESIZE];
	char a[INET6_ADDRSTRLEN];

	if (wire_iface_of(cfg->family, cfg->client, name, sizeof(name)) == 0)
		return "lo";
	if (wire_iface_of(cfg->family, cfg->addr, name, sizeof(name)) == 0)
		return name;
	inet_ntop(cfg->family, cfg->addr, a, sizeof(a));
	cmd_usage_error("serve", "--addr %s is not an address of this host: "
	    "give it to an interface (host mode), or use --mode phantom "
	    "--iface IF", a);
	return NULL;
}

/* Addresses agree in family; the modes have what they need. */
static int
check_config(struct serve_config *cfg, struct serve_net *net, int cfam,
    const uint8_t *caddr, int have_agent_addr)
{
	if (cfg->family == 0 || cfam == 0) {
		cmd_usage_error("serve", "--addr and --client are required");
		return -1;
	}
	if (cfam != cfg->family) {
		cmd_usage_error("serve", "--addr and --client must be of one "
		    "address family");
		return -1;
	}
	memcpy(cfg->client, caddr, 16);
	if (net->phantom && net->ifname == NULL) {
		cmd_usage_error("serve", "--mode phantom needs --iface");
		return -1;
	}
	if (!net->phantom && net->ifname == NULL &&
	    (net->ifname = host_iface(cfg)) == NULL)
		return -1;
	if (!have_agent_addr) {
		/* Host mode: the target's address is the host's, use it. */
		net->agent_family = cfg->family;
		if (!net->phantom)
			memcpy(net->agent_addr, cfg->addr, 16);
		else if (cfg->family == AF_INET)
			inet_pton(AF_INET, "127.0.0.1", net->agent_addr);
		else
			inet_pton(AF_INET6, "::1", net->agent_addr);
	}
	return 0;
}

/* What the options set, before check_config() completes it. */
struct serve_opts {
	struct serve_config cfg;
	struct serve_net net;
	uint8_t		caddr[16];
	int		cfam;
	int		have_agent;
	int		list;
};

/* A number in [0, max] for option opt; -1 after a usage error. */
static int
parse_num(const char *opt, const char *s, unsigned long max,
    unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 0);
	if (*s == '\0' || *end != '\0' || *v > max) {
		cmd_usage_error("serve", "%s: '%s' is not a number from 0 to "
		    "%lu", opt, s, max);
		return -1;
	}
	return 0;
}

/* One option; -1 after a usage error. */
static int
parse_opt(int ch, struct serve_opts *o)
{
	unsigned long v;

	switch (ch) {
	case OPT_ADDR:
		return parse_addr(optarg, &o->cfg.family, o->cfg.addr);
	case OPT_CLIENT:
		return parse_addr(optarg, &o->cfam, o->caddr);
	case OPT_IFACE:
		o->net.ifname = optarg;
		return 0;
	case OPT_MODE:
		if (strcmp(optarg, "phantom") != 0 &&
		    strcmp(optarg, "host") != 0) {
			cmd_usage_error("serve", "--mode is host or phantom");
			return -1;
		}
		o->net.phantom = strcmp(optarg, "phantom") == 0;
		return 0;
	case OPT_AGENT_ADDR:
		o->have_agent = 1;
		return parse_addr(optarg, &o->net.agent_family,
		    o->net.agent_addr);
	case OPT_AGENT_PORT:
		return parse_port("--agent-port", optarg, &o->cfg.agent_port);
	case OPT_FAULT:
		return parse_fault(optarg, &o->cfg);
	case OPT_LIST:
		o->list = 1;
		return 0;
	case OPT_ECHO:
		return parse_port("--echo-port", optarg, &o->cfg.echo_port);
	case OPT_DISCARD:
		return parse_port("--discard-port", optarg,
		    &o->cfg.discard_port);
	case OPT_HTTP:
		return parse_port("--http-port", optarg, &o->cfg.http_port);
	case OPT_BANNER:
		return parse_port("--banner-port", optarg,
		    &o->cfg.banner_port);
	case OPT_NO_ANY:
		o->cfg.any_port = 0;
		return 0;
	case OPT_MSL:
		if (text_duration_us(optarg, 3600, &o->cfg.tcp.msl_us) == -1) {
			cmd_usage_error("serve", "--msl: expected a duration "
			    "such as 30s, 500ms or 2min (at most 1 hour), "
			    "found '%s'", optarg);
			return -1;
		}
		return 0;
	case OPT_PCAP:
		o->net.pcap = optarg;
		return 0;
	case OPT_ISN:
		if (parse_num("--isn", optarg, UINT32_MAX, &v) == -1)
			return -1;
		o->cfg.isn_base = (uint32_t)v;
		return 0;
	case 'v':
		o->cfg.log = stderr;
		return 0;
	default:
		cmd_usage_error("serve", "see \"tcpconform serve --help\"");
		return -1;
	}
}

static int
cmd_serve_exec(int argc, char **argv)
{
	struct serve_opts o;
	char *err = NULL;
	int ch;

	memset(&o, 0, sizeof(o));
	serve_config_default(&o.cfg, 0);
	o.cfg.agent_port = AGENT_DEFAULT_PORT;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hv", longopts, NULL)) != -1) {
		if (ch == '?' || ch == ':')
			return cmd_getopt_error("serve", ch, argv);
		if (ch == 'h') {
			cmd_serve_help();
			return EXIT_PASS;
		}
		if (parse_opt(ch, &o) == -1)
			return EXIT_SETUP;
	}
	if (o.list) {
		serve_fault_list(stdout);
		return EXIT_PASS;
	}
	if (optind != argc) {
		cmd_usage_error("serve", "unexpected argument '%s'",
		    argv[optind]);
		return EXIT_SETUP;
	}
	if (check_config(&o.cfg, &o.net, o.cfam, o.caddr, o.have_agent) == -1)
		return EXIT_SETUP;
	if (serve_run(&o.cfg, &o.net, &err) == -1) {
		fprintf(stderr, "tcpconform serve: %s\n",
		    err != NULL ? err : "failed");
		free(err);
		return EXIT_SETUP;
	}
	return EXIT_PASS;
}

static void
cmd_serve_help(void)
{
	printf("usage: tcpconform serve --addr ADDR --client ADDR "
	    "[--mode host|phantom]\n"
	    "                        [--iface IF] [--fault NAME]... "
	    "[--agent-addr ADDR]\n"
	    "                        [--agent-port PORT] [--echo-port PORT] "
	    "[--discard-port PORT]\n"
	    "                        [--http-port PORT] [--banner-port PORT] "
	    "[--no-any-port]\n"
	    "                        [--msl DURATION]"
	    " [--isn N] [--pcap FILE] [-v]\n"
	    "       tcpconform serve --list-faults\n\n"
	    "Run tcpconform's own TCP as a target on ADDR for the tester at "
	    "--client,\nwith the named faults switched on, so that the cases "
	    "can be seen to fail.\nIt serves echo (7), discard (9), HTTP (80), "
	    "a banner (13: a line, then\nclose without reading) and any "
	    "other port (read and discard), and a built-in\nagent (the "
	    "protocol of tcpconform-agent) on --agent-addr:--agent-port\n"
	    "(default: ADDR in host mode, loopback in phantom mode; port "
	    "%d, 0 for none).  Runs until SIGINT, SIGTERM or SIGHUP.\n\n"
	    "  --mode host     ADDR is the host's own address (a raw socket; "
	    "an nftables\n                  table keeps the kernel's RSTs "
	    "off the wire); the default\n"
	    "  --mode phantom  ADDR is an unused address on the link of "
	    "--iface\n"
	    "  --list-faults   the faults: name, case family, what goes "
	    "wrong\n", AGENT_DEFAULT_PORT);
}

const struct cmd_entry cmd_serve_entry = {
	.name = "serve",
	.args = "--addr ADDR --client ADDR [--fault NAME]...",
	.summary = "run tcpconform's own TCP as a target, with faults",
	.exec = cmd_serve_exec,
	.help = cmd_serve_help,
};
