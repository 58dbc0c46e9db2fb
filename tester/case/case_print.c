/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_print.c: the case program back to text, in canonical form: for
 * reports ("expected: F. 1:1(0) ack 2"), for "tcpconform check -p", and
 * for the round-trip test (parse, print, parse again: the same program).
 *
 * The printer writes only what the parser reads, so anything it prints
 * parses; every value is printed in a form that parses back to the same
 * bits (strings byte for byte, times to the microsecond).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "case_lex.h"
#include "segment.h"

const char *const case_state_names[] = {
	"closed", "listen", "syn-sent", "syn-received", "established",
	"fin-wait-1", "fin-wait-2", "close-wait", "closing", "last-ack",
	"time-wait", NULL
};
const char *const case_sev_names[] = { "must", "should", "may", NULL };
const char *const case_verdict_names[] = {
	"pass", "fail", "warn", "info", "not-applicable", NULL
};
const char *const case_opt_names[] = {
	"eol", "nop", "mss", "wscale", "sackOK", "sack", "TS", "md5", "FO",
	"FOEXP", "kind", NULL
};
const char *const case_switch_names[] = {
	"auto-ack", "auto-fin", "auto-read", "retransmit", "isn", "window",
	"mss", "options", "match", "severity", "resend", "nagle",
	"syn-opens", NULL
};
const char *const case_match_names[] = { "next", "any", NULL };
const char *const case_agent_names[] = {
	"listen", "accept", "connect", "read", "write", "shutdown", "close",
	"linger", "rcvbuf", "nodelay", "keepalive", "urgent", NULL
};
const char *const case_shut_names[] = { "rd", "wr", "rdwr", NULL };
const char *const case_measure_names[] = {
	"isn-spacing", "time-wait", "initial-window", NULL
};
const char *const case_need_names[] = {
	"agent", "any-port", "http", "echo", "discard", "ipv4", "ipv6",
	"same-link", "banner", NULL
};
const char *const case_kind_names[] = {
	"packet", "connect", "listen", "send", "read", "shutdown", "close",
	"abort", "wait", "sleep", "set", "agent", "http", "measure", "icmp",
	NULL
};
/* "< icmp" kinds, in enum case_icmp_kind's order. */
const char *const case_icmp_names[] = {
	"unreachable net", "unreachable host", "unreachable proto",
	"unreachable port", "unreachable srcfail", "unreachable admin",
	"too-big", "time-exceeded", "param-problem", "quench", NULL
};

static void	put_dur(FILE *, int64_t);
static void	put_time(FILE *, const struct case_time *);
static void	put_bytes(FILE *, const uint8_t *, size_t);
static void	put_end(FILE *, const struct case_seg *, int);
static void	put_hex(FILE *, const uint8_t *, int);
static void	put_flags(FILE *, const struct case_seg *);
static void	put_opt(FILE *, const struct case_opt *);
static void	put_optlist(FILE *, const struct case_optlist *);
static void	put_seg(FILE *, const struct case_seg *);
static void	put_data(FILE *, const struct case_data *);
static void	put_read(FILE *, const struct case_read *);
static void	put_set(FILE *, const struct case_set *);
static void	put_agent(FILE *, const struct case_agent *);
static void	put_measure(FILE *, const struct case_measure *);
static void	put_body(FILE *, const struct case_stmt *, int);
static void	put_stmt(FILE *, const struct case_prog *, int,
		    const struct case_stmt *);
static void	put_meta(FILE *, const struct case_prog *);
static char	*to_buf(FILE *, char **, char *, size_t);

/* Seconds, with as many decimals as the microseconds need. */
static void
put_dur(FILE *f, int64_t us)
{
	char frac[8];
	int n;

	fprintf(f, "%lld", (long long)(us / 1000000));
	if (us % 1000000 == 0)
		return;
	n = snprintf(frac, sizeof(frac), "%06lld", (long long)(us % 1000000));
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	fprintf(f, ".%s", frac);
}

static void
put_time(FILE *f, const struct case_time *t)
{
	static const char *const units[] = { "", "rtt", "gap" };
	const char *rel = t->kind == CASE_T_REL ? "+" : "";

	switch (t->kind) {
	case CASE_T_DEFAULT:
		return;
	case CASE_T_ANY:
		fputs("* ", f);
		return;
	default:
		break;
	}
	fprintf(f, "%s%s", t->about ? "~" : "", rel);
	put_dur(f, t->lo);
	fputs(units[t->lo_unit], f);
	if (t->hi != t->lo || t->hi_unit != t->lo_unit) {
		fprintf(f, "~%s", rel);
		put_dur(f, t->hi);
		fputs(units[t->hi_unit], f);
	}
	fputc(' ', f);
}

/* A string literal that decodes to exactly these bytes. */
static void
put_bytes(FILE *f, const uint8_t *b, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		if (b[i] == '"' || b[i] == '\\')
			fprintf(f, "\\%c", b[i]);
		else if (b[i] == '\n')
			fputs("\\n", f);
		else if (b[i] == '\r')
			fputs("\\r", f);
		else if (b[i] == '\t')
			fputs("\\t", f);
		else if (b[i] >= 0x20 && b[i] < 0x7f)
			fputc(b[i], f);
		else
			fprintf(f, "\\x%02x", b[i]);
	}
	fputc('"', f);
}

static void
put_hex(FILE *f, const uint8_t *b, int n)
{
	int i;

	if (n == 0)
		return;
	fputs(" 0x", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

/* Letters in the order packetdrill prints them, the ACK dot last. */
static void
put_flags(FILE *f, const struct case_seg *s)
{
	static const char letters[] = "SFRPUEWA";
	static const uint16_t bits[] = { SEG_SYN, SEG_FIN, SEG_RST, SEG_PSH,
	    SEG_URG, SEG_ECE, SEG_CWR, SEG_AE };
	size_t i;

	if (!(s->given & CASE_G_FLAGS)) {
		fputc('*', f);
		return;
	}
	if (s->flags == 0) {
		fputc('-', f);
		return;
	}
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (s->flags & bits[i])
			fputc(letters[i], f);
	if (s->flags & SEG_ACK)
		fputc('.', f);
}

static void
put_opt(FILE *f, const struct case_opt *o)
{
	int i;

	if (o->wild & CASE_OW_NOT) {
		fprintf(f, "!%s", case_opt_names[o->kind]);
		if (o->kind == CASE_O_RAW)
			fprintf(f, " %u", o->val);
		return;
	}
	fputs(case_opt_names[o->kind], f);
	switch (o->kind) {
	case CASE_O_MSS:
	case CASE_O_WSCALE:
		fprintf(f, " %u", o->val);
		break;
	case CASE_O_SACK:
		for (i = 0; i < o->nsack; i++)
			fprintf(f, " %u:%u", o->sack[i].left, o->sack[i].right);
		break;
	case CASE_O_TS:
		if (o->wild & CASE_OW_VAL)
			fputs(" val *", f);
		else
			fprintf(f, " val %u", o->val);
		if (o->wild & CASE_OW_ECR)
			fputs(" ecr *", f);
		else
			fprintf(f, " ecr %u", o->ecr);
		break;
	case CASE_O_FO:
	case CASE_O_FOEXP:
		put_hex(f, o->data, o->ndata);
		break;
	case CASE_O_RAW:
		fprintf(f, " %u", o->val);
		if (o->len != -1)
			fprintf(f, " len %d", o->len);
		put_hex(f, o->data, o->ndata);
		break;
	default:
		break;
	}
}

static void
put_optlist(FILE *f, const struct case_optlist *ol)
{
	int i;

	fputc('<', f);
	if (ol->mode == CASE_OPTS_ANY)
		fputs("...", f);
	for (i = 0; i < ol->n; i++) {
		if (i > 0)
			fputc(',', f);
		put_opt(f, &ol->v[i]);
	}
	if (ol->mode == CASE_OPTS_SUBSET)
		fputs(",...", f);
	fputc('>', f);
}

/* "edge", "edge+N" or "edge-N": an offset from the window's edge. */
static void
put_edge(FILE *f, uint32_t off)
{
	if (off == 0)
		fputs("edge", f);
	else if (off < 0x80000000U)
		fprintf(f, "edge+%u", off);
	else
		fprintf(f, "edge-%u", (uint32_t)-off);
}

static void
put_seg(FILE *f, const struct case_seg *s)
{
	put_flags(f, s);
	if (s->given & CASE_G_SEQ_DATA)
		fprintf(f, " data+%u:data+%u(%u)", s->seq, s->end, s->len);
	else if ((s->given & CASE_G_LEN_MAX) && s->len_max == 0)
		fprintf(f, " %u:*(max mss)", s->seq);
	else if (s->given & CASE_G_LEN_MAX)
		fprintf(f, " %u:*(max %u)", s->seq, s->len_max);
	else if (s->given & CASE_G_SEQ_EDGE) {
		fputc(' ', f);
		put_edge(f, s->seq);
		fputc(':', f);
		put_edge(f, s->end);
		fprintf(f, "(%u)", s->len);
	} else if (s->given & CASE_G_SEQ)
		fprintf(f, " %u:%u(%u)", s->seq, s->end, s->len);
	else if (s->given & CASE_G_PAST)
		fprintf(f, " past %u", s->end);
	if (s->given & CASE_G_ACK_DATA)
		fprintf(f, " ack data+%u", s->ack);
	else if (s->given & CASE_G_ACK)
		fprintf(f, " ack %u", s->ack);
	if (s->given & CASE_G_WIN)
		fprintf(f, " win %u", s->win);
	if (s->given & CASE_G_URG)
		fprintf(f, " urg %u", s->urg);
	if (s->given & CASE_G_CSUM_BAD)
		fputs(" csum bad", f);
	if (s->given & CASE_G_OPTS) {
		fputc(' ', f);
		put_optlist(f, &s->opts);
	}
}

/*
 * An alternative that ends the case: "end [not-applicable STRING]"; brief
 * (a line quoted in a message) leaves the reason out.
 */
static void
put_end(FILE *f, const struct case_seg *s, int brief)
{
	if (!(s->given & CASE_G_END))
		return;
	fputs(" end", f);
	if (s->na_why != NULL && brief)
		fputs(" not-applicable", f);
	else if (s->na_why != NULL) {
		fputs(" not-applicable ", f);
		put_bytes(f, (const uint8_t *)s->na_why, strlen(s->na_why));
	}
}

static void
put_data(FILE *f, const struct case_data *d)
{
	if (d->bytes != NULL)
		put_bytes(f, d->bytes, d->count);
	else
		fprintf(f, "%u", d->count);
}

static void
put_read(FILE *f, const struct case_read *r)
{
	if (r->mode == CASE_RD_COUNT)
		fprintf(f, "%u", r->count);
	else
		fputs(r->mode == CASE_RD_ALL ? "all" : "eof", f);
}

static void
put_set(FILE *f, const struct case_set *s)
{
	fprintf(f, "%s ", case_switch_names[s->which]);
	switch (s->which) {
	case CASE_SET_ISN:
		fprintf(f, "%s%u", s->isn_rel > 0 ? "+" : s->isn_rel < 0 ?
		    "-" : "", s->value);
		break;
	case CASE_SET_WINDOW:
	case CASE_SET_MSS:
		fprintf(f, "%u", s->value);
		break;
	case CASE_SET_OPTIONS:
		put_optlist(f, s->opts);
		break;
	case CASE_SET_MATCH:
		fputs(case_match_names[s->match], f);
		break;
	case CASE_SET_SEVERITY:
		fputs(case_sev_names[s->sev], f);
		break;
	default:
		fputs(s->on ? "on" : "off", f);
		break;
	}
}

static void
put_agent(FILE *f, const struct case_agent *a)
{
	const char *e;

	fputs(case_agent_names[a->op], f);
	if (a->op == CASE_AG_READ) {
		fputc(' ', f);
		put_read(f, &a->read);
	} else if (a->op == CASE_AG_WRITE) {
		fputc(' ', f);
		put_data(f, &a->data);
	} else if (a->op == CASE_AG_SHUTDOWN)
		fprintf(f, " %s", case_shut_names[a->how]);
	else if (a->op == CASE_AG_LINGER && a->linger_on)
		fprintf(f, " %u", a->value);
	else if (a->op == CASE_AG_LINGER)
		fputs(" off", f);
	else if (a->op == CASE_AG_RCVBUF || a->op == CASE_AG_URGENT ||
	    (a->op == CASE_AG_KEEPALIVE && a->value != 0))
		fprintf(f, " %u", a->value);
	else if (a->op == CASE_AG_NODELAY)
		fputs(a->value ? " on" : " off", f);
	else if (a->op == CASE_AG_KEEPALIVE)
		fputs(" off", f);
	if (a->result == CASE_RES_OK)
		fputs(" = ok", f);
	else if (a->result == CASE_RES_EOF)
		fputs(" = eof", f);
	else if (a->result == CASE_RES_COUNT)
		fprintf(f, " = %u", a->result_count);
	else if (a->result == CASE_RES_ERRNO) {
		fputs(" = ", f);
		for (e = a->errname; *e != '\0'; e++)
			if (*e == '|')
				fputs(" | ", f);
			else
				fputc(*e, f);
	}
}

static void
put_measure(FILE *f, const struct case_measure *m)
{
	fputs(case_measure_names[m->kind], f);
	if (m->count != 0)
		fprintf(f, " count %u", m->count);
	if (m->interval != -1) {
		fputs(" interval ", f);
		put_dur(f, m->interval);
	}
}

/* The statement after its time and connection. */
static void
put_body(FILE *f, const struct case_stmt *s, int brief)
{
	int i;

	if (s->kind == CASE_S_ICMP) {
		fprintf(f, "< icmp %s", case_icmp_names[s->u.icmp.kind]);
		if (s->u.icmp.kind == CASE_IC_TOOBIG)
			fprintf(f, " mtu %u", s->u.icmp.mtu);
		if (s->u.icmp.seq_given)
			fprintf(f, " seq %u", s->u.icmp.seq);
		return;
	}
	if (s->kind == CASE_S_PACKET) {
		fputs(s->u.pkt.dir == CASE_DIR_IN ? "< " : "> ", f);
		if (s->u.pkt.negate)
			fputc('!', f);
		for (i = 0; i < s->u.pkt.nalt; i++) {
			if (i > 0)
				fputs(" | ", f);
			put_seg(f, &s->u.pkt.alt[i]);
			put_end(f, &s->u.pkt.alt[i], brief);
		}
		return;
	}
	fputs(case_kind_names[s->kind], f);
	if (s->kind != CASE_S_CONNECT && s->kind != CASE_S_LISTEN &&
	    s->kind != CASE_S_SHUTDOWN && s->kind != CASE_S_CLOSE &&
	    s->kind != CASE_S_ABORT)
		fputc(' ', f);
	switch (s->kind) {
	case CASE_S_SEND:
		put_data(f, &s->u.data);
		break;
	case CASE_S_READ:
		put_read(f, &s->u.read);
		break;
	case CASE_S_WAIT:
		if (s->u.wait.received)
			fprintf(f, "received %u", s->u.wait.count);
		else
			fputs(case_state_names[s->u.wait.state], f);
		break;
	case CASE_S_SLEEP:
		put_dur(f, s->u.duration);
		break;
	case CASE_S_SET:
		put_set(f, &s->u.set);
		break;
	case CASE_S_AGENT:
		put_agent(f, &s->u.agent);
		break;
	case CASE_S_HTTP:
		if (s->u.http.get) {
			fputs("get ", f);
			put_bytes(f, (const uint8_t *)s->u.http.path,
			    strlen(s->u.http.path));
			if (s->u.http.close)
				fputs(" close", f);
		} else {
			fputs("request ", f);
			put_data(f, &s->u.http.request);
		}
		break;
	case CASE_S_MEASURE:
		put_measure(f, &s->u.measure);
		break;
	default:
		break;
	}
}

static void
put_stmt(FILE *f, const struct case_prog *p, int brief,
    const struct case_stmt *s)
{
	put_time(f, &s->time);
	if (s->conn != 0)
		fprintf(f, "@%s ", p->conns[s->conn]);
	put_body(f, s, brief);
	if (s->timeout != -1) {
		fputs(" timeout ", f);
		put_dur(f, s->timeout);
	}
}

static void
put_meta(FILE *f, const struct case_prog *p)
{
	int i;

	fputs("title ", f);
	put_bytes(f, (const uint8_t *)p->title, strlen(p->title));
	fputs("\nchecks", f);
	for (i = 0; i < p->nreqs; i++)
		fprintf(f, " %s", p->reqs[i]->id);
	if (p->needs != 0) {
		fputs("\nneeds", f);
		for (i = 0; case_need_names[i] != NULL; i++)
			if (p->needs & (1U << i))
				fprintf(f, " %s", case_need_names[i]);
	}
	if (p->ntags > 0) {
		fputs("\ntags", f);
		for (i = 0; i < p->ntags; i++)
			fprintf(f, " %s", p->tags[i]);
	}
	fputs("\nfault", f);
	if (p->fault_none != NULL) {
		fputs(" none ", f);
		put_bytes(f, (const uint8_t *)p->fault_none,
		    strlen(p->fault_none));
	}
	for (i = 0; i < p->nfaults; i++)
		fprintf(f, " %s", p->faults[i]);
	if (p->severity_given)
		fprintf(f, "\nseverity %s", case_sev_names[p->severity]);
	if (p->claim != NULL)
		fprintf(f, "\nclaim %s", p->claim->name);
	if (p->linux_verdict != CASE_V_PASS || p->linux_reason != NULL)
		fprintf(f, "\nlinux %s%s", case_verdict_names[p->linux_verdict],
		    p->linux_or_pass ? " or pass" : "");
	if (p->linux_reason != NULL) {
		fputc(' ', f);
		put_bytes(f, (const uint8_t *)p->linux_reason,
		    strlen(p->linux_reason));
	}
	fputs("\n\n", f);
}

char *
case_print(const struct case_prog *p)
{
	char *text = NULL;
	size_t len;
	FILE *f;
	int i;

	if ((f = open_memstream(&text, &len)) == NULL)
		return NULL;
	put_meta(f, p);
	for (i = 0; i < p->nstmts; i++) {
		put_stmt(f, p, 0, &p->stmts[i]);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/*
 * Close a memstream, copy its text into buf (cut to cap) and free it.  The
 * stream updates *text when it closes, so the pointer goes by reference.
 */
static char *
to_buf(FILE *f, char **text, char *buf, size_t cap)
{
	int ok = f != NULL && fclose(f) == 0 && *text != NULL;

	if (cap > 0)
		snprintf(buf, cap, "%s", ok ? *text : "");
	free(*text);
	return buf;
}

char *
case_stmt_fmt(const struct case_prog *p, const struct case_stmt *s,
    char *buf, size_t cap)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) != NULL)
		put_stmt(f, p, 1, s);
	return to_buf(f, &text, buf, cap);
}

char *
case_seg_fmt(const struct case_seg *s, char *buf, size_t cap)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) != NULL)
		put_seg(f, s);
	return to_buf(f, &text, buf, cap);
}

char *
case_time_fmt(const struct case_time *t, char *buf, size_t cap)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) != NULL)
		put_time(f, t);
	to_buf(f, &text, buf, cap);
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == ' ')
		buf[len - 1] = '\0';
	return buf;
}

const char *
case_state_name(enum case_state st)
{
	return st < CASE_ST_N ? case_state_names[st] : "?";
}

const char *
case_agent_op_name(enum case_agent_op op)
{
	return op <= CASE_AG_URGENT ? case_agent_names[op] : "?";
}

const char *
case_sev_name(enum case_sev s)
{
	return s <= CASE_SEV_MAY ? case_sev_names[s] : "?";
}

const char *
case_verdict_name(enum case_verdict v)
{
	return v <= CASE_V_NA ? case_verdict_names[v] : "?";
}

const char *
case_stmt_kind_name(enum case_stmt_kind k)
{
	return k <= CASE_S_ICMP ? case_kind_names[k] : "?";
}
