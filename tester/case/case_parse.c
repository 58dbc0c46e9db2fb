/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_parse.c: the parser of the case language (tcpconform-case(5)), from
 * text to the case program of case.h.
 *
 * Hand-written recursive descent over one line of tokens at a time: every
 * statement is one line, so an error costs at most the rest of its line and
 * parsing goes on with the next, collecting up to CASE_ERRORS_MAX errors.
 * Every error names what was expected and what was found.  A statement is
 * appended to the program only once it parsed completely; a half-parsed one
 * is freed on the spot, so error paths leak nothing.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "case_lex.h"
#include "segment.h"

/* Metadata lines, each allowed once, before the first statement. */
enum meta {
	META_TITLE,
	META_CHECKS,
	META_NEEDS,
	META_TAGS,
	META_FAULT,
	META_SEVERITY,
	META_LINUX,
	META_CLAIM,
	META_N
};

static const char *const meta_names[] = {
	"title", "checks", "needs", "tags", "fault", "severity", "linux",
	"claim", NULL
};

struct parser {
	struct case_lexer lx;
	struct case_diags d;
	struct case_prog *prog;
	struct case_tok	*t;		/* this line's tokens; EOL/EOF last */
	size_t		nt;
	size_t		cap;
	size_t		i;
	int		eof;
	int		oom;
	int		binary;		/* a NUL byte: not parsed at all */
	unsigned	meta;		/* 1 << META_* seen */
	int		body;		/* a statement was seen */
	struct case_loc	first;		/* where the first statement is */
	enum case_sev	sev;		/* for the next statement */
	int64_t		last_abs;	/* last absolute time, -1 = none */
	int		nmatch;		/* '>' lines so far, not negated */
	int		stmtcap;
};

/* Trailing modifiers a directive accepts. */
#define MOD_TIMEOUT	0x1
#define MOD_RESULT	0x2

struct directive {
	const char	*name;
	enum case_stmt_kind kind;
	int		(*parse)(struct parser *, struct case_stmt *);
	unsigned	mods;
};

static int	parse_noargs(struct parser *, struct case_stmt *);
static int	parse_send(struct parser *, struct case_stmt *);
static int	parse_read_dir(struct parser *, struct case_stmt *);
static int	parse_wait(struct parser *, struct case_stmt *);
static int	parse_sleep(struct parser *, struct case_stmt *);
static char	*head_comment(const char *, size_t);
static int	parse_set(struct parser *, struct case_stmt *);
static int	parse_agent(struct parser *, struct case_stmt *);
static int	parse_http(struct parser *, struct case_stmt *);
static int	parse_measure(struct parser *, struct case_stmt *);

static const struct directive directives[] = {
	{ "abort",	CASE_S_ABORT,	parse_noargs,	0 },
	{ "agent",	CASE_S_AGENT,	parse_agent,	MOD_TIMEOUT | MOD_RESULT },
	{ "close",	CASE_S_CLOSE,	parse_noargs,	0 },
	{ "connect",	CASE_S_CONNECT,	parse_noargs,	MOD_TIMEOUT },
	{ "http",	CASE_S_HTTP,	parse_http,	0 },
	{ "listen",	CASE_S_LISTEN,	parse_noargs,	0 },
	{ "measure",	CASE_S_MEASURE,	parse_measure,	MOD_TIMEOUT },
	{ "read",	CASE_S_READ,	parse_read_dir,	MOD_TIMEOUT },
	{ "send",	CASE_S_SEND,	parse_send,	0 },
	{ "set",	CASE_S_SET,	parse_set,	0 },
	{ "shutdown",	CASE_S_SHUTDOWN, parse_noargs,	0 },
	{ "sleep",	CASE_S_SLEEP,	parse_sleep,	0 },
	{ "wait",	CASE_S_WAIT,	parse_wait,	MOD_TIMEOUT },
};
#define NDIRECTIVES	(sizeof(directives) / sizeof(directives[0]))

/* For "did you mean": directives, and metadata for a line that misspells it. */
static const char *const directive_names[] = {
	"abort", "agent", "close", "connect", "http", "listen", "measure",
	"read", "send", "set", "shutdown", "sleep", "wait",
	"title", "checks", "needs", "tags", "fault", "severity", "linux",
	"claim", NULL
};

static const char *const onoff_names[] = { "off", "on", NULL };

/* Lines and tokens. */
static int	read_line(struct parser *);
static const struct case_tok *cur(const struct parser *);
static const struct case_tok *nxt(const struct parser *);
static void	adv(struct parser *);
static int	at_end(const struct parser *);
static int	is_word(const struct case_tok *, const char *);
static int	is_punct(const struct case_tok *, int);
static int	lookup(const struct case_tok *, const char *const *);
static const char *tokdesc(const struct case_tok *, char *, size_t);

/* Diagnostics. */
static int	err_at(struct parser *, const struct case_tok *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static void	warn_at(struct parser *, const struct case_tok *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static int	expected(struct parser *, const char *);
static int	expected_word(struct parser *, const char *,
		    const char *const *);
static const char *suggest(const char *, size_t, const char *const *);
static int	nomem(struct parser *);

/* Values. */
static int	tok_uint(const struct case_tok *, uint64_t *);
static int	get_uint(struct parser *, const char *, uint64_t, uint64_t,
		    uint64_t *);
static int	get_seq(struct parser *, const char *, uint32_t *);
static int	get_duration(struct parser *, const char *, int64_t *);
static int	get_duration_unit(struct parser *, const char *, int64_t *,
		    int *);
static int	get_string(struct parser *, const char *, int, uint8_t **,
		    size_t *);
static int	get_hex(struct parser *, const char *, size_t, uint8_t *,
		    int *);
static int	get_keyword(struct parser *, const char *,
		    const char *const *, int *);
static int	get_data(struct parser *, const char *, struct case_data *);
static int	get_read(struct parser *, struct case_read *);
static int	seq_ahead(const struct parser *);

/* Statements. */
static void	parse_line(struct parser *);
static void	parse_statement(struct parser *);
static int	parse_time(struct parser *, struct case_time *);
static int	parse_point(struct parser *, int *, int64_t *, int *);
static int	check_time(struct parser *, const struct case_tok *,
		    struct case_stmt *);
static int	check_needs(struct parser *, const struct case_tok *,
		    const struct case_stmt *);
static int	parse_conn(struct parser *, struct case_stmt *);
static int	parse_packet(struct parser *, struct case_stmt *);
static int	parse_icmp(struct parser *, struct case_stmt *);
static int	parse_seg(struct parser *, struct case_pkt *,
		    struct case_seg *);
static int	parse_flags(struct parser *, struct case_seg *);
static int	parse_seqspec(struct parser *, const struct case_pkt *,
		    struct case_seg *);
static int	is_edge(const struct case_tok *);
static int	get_edge(struct parser *, uint32_t *);
static int	get_dseq(struct parser *, const char *, uint32_t *, int *);
static int	parse_fields(struct parser *, const struct case_pkt *,
		    struct case_seg *);
static int	parse_past(struct parser *, const struct case_pkt *,
		    struct case_seg *);
static int	parse_len_max(struct parser *, const struct case_pkt *,
		    struct case_seg *);
static int	parse_end(struct parser *, const struct case_pkt *,
		    struct case_seg *);
static int	check_seg(struct parser *, const struct case_tok *,
		    const struct case_pkt *, const struct case_seg *);
static int	parse_optlist(struct parser *, struct case_optlist *, int);
static int	parse_opts(struct parser *, struct case_optlist *, int,
		    struct case_opt *, int *);
static int	parse_opt(struct parser *, struct case_opt *);
static int	parse_opt_not(struct parser *, struct case_opt *);
static int	parse_opt_sack(struct parser *, struct case_opt *);
static int	parse_opt_ts(struct parser *, struct case_opt *);
static int	parse_opt_raw(struct parser *, struct case_opt *);
static int	opt_bytes(const struct case_opt *);
static int	parse_directive(struct parser *, struct case_stmt *);
static int	parse_mods(struct parser *, struct case_stmt *, unsigned);
static int	parse_result(struct parser *, struct case_agent *);
static int	add_stmt(struct parser *, struct case_stmt *);

/* Metadata. */
static void	parse_meta(struct parser *, int);
static int	meta_title(struct parser *);
static int	meta_checks(struct parser *);
static int	meta_needs(struct parser *);
static int	meta_tags(struct parser *);
static int	meta_fault(struct parser *);
static int	meta_severity(struct parser *);
static int	meta_linux(struct parser *);
static int	meta_claim(struct parser *);
static int	get_ident(struct parser *, const char *, char **);
static int	add_str(struct parser *, char ***, int *, char *);
static int	check_req(struct parser *, const struct case_tok *,
		    const struct case_req **);
static void	start_body(struct parser *);
static int	binary(struct parser *, const char *, size_t);
static void	skipped_line(struct parser *);
static void	finish(struct parser *);

/*
 * Lines and tokens
 */

/* Read the next line's tokens.  Returns -1 when out of memory. */
static int
read_line(struct parser *p)
{
	struct case_tok *nt;

	p->nt = 0;
	p->i = 0;
	p->lx.bad = 0;
	for (;;) {
		if (p->nt == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 32;
			nt = reallocarray(p->t, p->cap, sizeof(*p->t));
			if (nt == NULL)
				return nomem(p);
			p->t = nt;
		}
		case_lex_next(&p->lx, &p->t[p->nt]);
		if (p->t[p->nt].type == CASE_TK_EOF)
			p->eof = 1;
		if (p->t[p->nt++].type <= CASE_TK_EOL)
			return 0;
	}
}

static const struct case_tok *
cur(const struct parser *p)
{
	return &p->t[p->i];
}

/* The token after the current one (the current one at the line's end). */
static const struct case_tok *
nxt(const struct parser *p)
{
	return &p->t[p->i + 1 < p->nt ? p->i + 1 : p->i];
}

static void
adv(struct parser *p)
{
	if (p->i + 1 < p->nt)
		p->i++;
}

static int
at_end(const struct parser *p)
{
	return cur(p)->type <= CASE_TK_EOL;
}

static int
is_word(const struct case_tok *t, const char *w)
{
	return t->type == CASE_TK_WORD && t->n == strlen(w) &&
	    memcmp(t->p, w, t->n) == 0;
}

static int
is_punct(const struct case_tok *t, int c)
{
	return t->type == CASE_TK_PUNCT && t->p[0] == c;
}

/* Index of the word t in the NULL-terminated names, or -1. */
static int
lookup(const struct case_tok *t, const char *const *names)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (is_word(t, names[i]))
			return i;
	return -1;
}

/* How a token reads in "found ...": quoted, and cut when long. */
static const char *
tokdesc(const struct case_tok *t, char *buf, size_t cap)
{
	switch (t->type) {
	case CASE_TK_EOF:
		return "end of file";
	case CASE_TK_EOL:
		return "end of line";
	case CASE_TK_STR:
		return "a string";
	default:
		break;
	}
	if (t->n > 32)
		snprintf(buf, cap, "'%.29s...'", t->p);
	else
		snprintf(buf, cap, "'%.*s'", (int)t->n, t->p);
	return buf;
}

/*
 * Diagnostics
 */

static int
err_at(struct parser *p, const struct case_tok *t, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	case_diag(&p->d, 0, t->line, t->col, "%s", msg);
	return -1;
}

static void
warn_at(struct parser *p, const struct case_tok *t, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	case_diag(&p->d, 1, t->line, t->col, "%s", msg);
}

/* "expected WHAT, found TOKEN" at the current token; returns -1. */
static int
expected(struct parser *p, const char *what)
{
	char b[48];

	return err_at(p, cur(p), "expected %s, found %s", what,
	    tokdesc(cur(p), b, sizeof(b)));
}

/* The same, with "did you mean" when the token is close to a name. */
static int
expected_word(struct parser *p, const char *what, const char *const *names)
{
	const struct case_tok *t = cur(p);
	const char *s = NULL;
	char b[48];

	if (t->type == CASE_TK_WORD)
		s = suggest(t->p, t->n, names);
	if (s == NULL)
		return expected(p, what);
	return err_at(p, t, "expected %s, found %s (did you mean '%s'?)",
	    what, tokdesc(t, b, sizeof(b)), s);
}

/* The name closest to w (at most 2 edits, fewer than w's length), or NULL. */
static const char *
suggest(const char *w, size_t n, const char *const *names)
{
	const char *best = NULL;
	int i, dd, bestd = 3;

	for (i = 0; names[i] != NULL; i++) {
		dd = case_distance(w, n, names[i]);
		if (dd < bestd && dd < (int)n) {
			bestd = dd;
			best = names[i];
		}
	}
	return best;
}

static int
nomem(struct parser *p)
{
	if (!p->oom)
		case_diag(&p->d, 0, p->lx.line, 1, "out of memory");
	p->oom = 1;
	return -1;
}

/*
 * Values
 */

/*
 * The value of an integer token (decimal or 0x hex).  Returns -1 when t is
 * not one; a value too big for any field reads as UINT64_MAX, so the range
 * check reports it.
 */
static int
tok_uint(const struct case_tok *t, uint64_t *v)
{
	size_t i, start = t->type == CASE_TK_HEX ? 2 : 0;
	int base = t->type == CASE_TK_HEX ? 16 : 10, dig;

	if (t->type != CASE_TK_NUM && t->type != CASE_TK_HEX)
		return -1;
	*v = 0;
	for (i = start; i < t->n; i++) {
		if (t->p[i] == '.')
			return -1;
		dig = isdigit((unsigned char)t->p[i]) ? t->p[i] - '0' :
		    tolower((unsigned char)t->p[i]) - 'a' + 10;
		if (*v > (UINT64_MAX >> 8)) {
			*v = UINT64_MAX;
			return 0;
		}
		*v = *v * (uint64_t)base + (uint64_t)dig;
	}
	return 0;
}

static int
get_uint(struct parser *p, const char *what, uint64_t min, uint64_t max,
    uint64_t *out)
{
	const struct case_tok *t = cur(p);
	uint64_t v;
	char b[48];

	if (tok_uint(t, &v) == -1)
		return expected(p, what);
	if (v < min || v > max)
		return err_at(p, t, "expected %s from %llu to %llu, found %s",
		    what, (unsigned long long)min, (unsigned long long)max,
		    tokdesc(t, b, sizeof(b)));
	adv(p);
	*out = v;
	return 0;
}

/* Does a sequence number start here ("N", or "-N" with no space)? */
static int
seq_ahead(const struct parser *p)
{
	const struct case_tok *t = cur(p), *n = nxt(p);

	if (t->type == CASE_TK_NUM || t->type == CASE_TK_HEX)
		return 1;
	return is_punct(t, '-') && !n->spc &&
	    (n->type == CASE_TK_NUM || n->type == CASE_TK_HEX);
}

/*
 * A sequence or acknowledgment number, relative and modulo 2^32: "-N" is
 * 2^32 - N, so that "old" numbers below the ISN read naturally.
 */
static int
get_seq(struct parser *p, const char *what, uint32_t *out)
{
	uint64_t v;
	int neg = 0;

	if (is_punct(cur(p), '-') && seq_ahead(p)) {
		neg = 1;
		adv(p);
	}
	if (get_uint(p, what, 0, UINT32_MAX, &v) == -1)
		return -1;
	*out = neg ? (uint32_t)(0 - (uint32_t)v) : (uint32_t)v;
	return 0;
}

/*
 * A duration: a decimal number of seconds, or with a unit written right
 * after it (s, ms, us, min), in whole microseconds.
 */
static int
get_duration(struct parser *p, const char *what, int64_t *out)
{
	return get_duration_unit(p, what, out, NULL);
}

/*
 * A duration; with unit non-NULL the unit may also be "rtt" (the path's
 * round-trip time) or "gap" (the time between the last two segments '>'
 * lines matched), and *unit says which (CASE_U_*).
 */
static int
get_duration_unit(struct parser *p, const char *what, int64_t *out,
    int *rtt)
{
	static const char *const units[] = { "s", "ms", "us", "min", NULL };
	static const int64_t unit_us[] = { 1000000, 1000, 1, 60000000 };
	const struct case_tok *t = cur(p), *u = nxt(p);
	int64_t unit = 1000000, ip = 0, frac = 0, scale = 1;
	size_t i = 0;
	char b[48];
	int k;

	if (t->type != CASE_TK_NUM)
		return expected(p, what);
	if (rtt != NULL)
		*rtt = CASE_U_SEC;
	if (u->type == CASE_TK_WORD && !u->spc) {
		if (rtt != NULL && u->n == 3 && memcmp(u->p, "rtt", 3) == 0)
			*rtt = CASE_U_RTT;
		else if (rtt != NULL && u->n == 3 &&
		    memcmp(u->p, "gap", 3) == 0)
			*rtt = CASE_U_GAP;
		else if ((k = lookup(u, units)) == -1) {
			adv(p);
			return expected(p, rtt != NULL ? "a time unit (s, ms, "
			    "us, min, rtt, gap)" : "a time unit (s, ms, us, "
			    "min)");
		} else
			unit = unit_us[k];
	}
	for (; i < t->n && t->p[i] != '.'; i++) {
		if (ip > CASE_TIME_MAX)
			break;
		ip = ip * 10 + (t->p[i] - '0');
	}
	for (i++; i < t->n; i++) {
		if (scale >= 1000000000)
			return err_at(p, t, "expected %s in whole microseconds,"
			    " found %s", what, tokdesc(t, b, sizeof(b)));
		frac = frac * 10 + (t->p[i] - '0');
		scale *= 10;
	}
	if (ip > CASE_TIME_MAX / unit)
		return err_at(p, t, "expected %s of at most one day, found %s",
		    what, tokdesc(t, b, sizeof(b)));
	if (frac * unit % scale != 0)
		return err_at(p, t, "expected %s in whole microseconds, "
		    "found %s", what, tokdesc(t, b, sizeof(b)));
	*out = ip * unit + frac * unit / scale;
	if (*out > CASE_TIME_MAX)
		return err_at(p, t, "expected %s of at most one day, found %s",
		    what, tokdesc(t, b, sizeof(b)));
	adv(p);
	if (u->type == CASE_TK_WORD && !u->spc)
		adv(p);
	return 0;
}

/*
 * A string token, decoded.  Text strings (binary == 0) may not hold NUL
 * bytes, since they end up as C strings.
 */
static int
get_string(struct parser *p, const char *what, int binary, uint8_t **out,
    size_t *n)
{
	const struct case_tok *t = cur(p);

	if (t->type != CASE_TK_STR)
		return expected(p, what);
	if ((*out = case_str_decode(t, n)) == NULL)
		return nomem(p);
	if (!binary && memchr(*out, 0, *n) != NULL) {
		free(*out);
		*out = NULL;
		return err_at(p, t, "expected %s without NUL bytes, found a "
		    "string with one", what);
	}
	adv(p);
	return 0;
}

/* "0x" and an even number of hex digits: at most max bytes. */
static int
get_hex(struct parser *p, const char *what, size_t max, uint8_t *out,
    int *n)
{
	const struct case_tok *t = cur(p);
	size_t i, nd;
	char b[48];

	if (t->type != CASE_TK_HEX)
		return expected(p, what);
	nd = t->n - 2;
	if (nd % 2 != 0 || nd / 2 > max)
		return err_at(p, t, "expected %s (an even number of hex digits,"
		    " at most %zu bytes), found %s", what, max,
		    tokdesc(t, b, sizeof(b)));
	for (i = 0; i < nd / 2; i++) {
		unsigned hi = (unsigned)tolower((unsigned char)t->p[2 + 2 * i]);
		unsigned lo = (unsigned)tolower((unsigned char)t->p[3 + 2 * i]);

		hi = hi <= '9' ? hi - '0' : hi - 'a' + 10;
		lo = lo <= '9' ? lo - '0' : lo - 'a' + 10;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*n = (int)(nd / 2);
	adv(p);
	return 0;
}

/* One word out of names, with "did you mean" when it is close to one. */
static int
get_keyword(struct parser *p, const char *what, const char *const *names,
    int *out)
{
	if ((*out = lookup(cur(p), names)) == -1)
		return expected_word(p, what, names);
	adv(p);
	return 0;
}

/* A byte count, or a string of given bytes. */
static int
get_data(struct parser *p, const char *what, struct case_data *dt)
{
	uint64_t v;
	size_t n;

	if (cur(p)->type == CASE_TK_STR) {
		if (get_string(p, what, 1, &dt->bytes, &n) == -1)
			return -1;
		if (n == 0) {
			free(dt->bytes);
			dt->bytes = NULL;
			p->i--;
			return expected(p, "a non-empty string");
		}
		dt->count = (uint32_t)n;
		return 0;
	}
	if (tok_uint(cur(p), &v) == -1)
		return expected(p, what);
	if (get_uint(p, "a byte count", 1, CASE_COUNT_MAX, &v) == -1)
		return -1;
	dt->count = (uint32_t)v;
	return 0;
}

/* "N", "all" or "eof". */
static int
get_read(struct parser *p, struct case_read *rd)
{
	uint64_t v;

	if (is_word(cur(p), "all") || is_word(cur(p), "eof")) {
		rd->mode = is_word(cur(p), "all") ? CASE_RD_ALL : CASE_RD_EOF;
		adv(p);
		return 0;
	}
	if (tok_uint(cur(p), &v) == -1)
		return expected(p, "a byte count, 'all' or 'eof'");
	rd->mode = CASE_RD_COUNT;
	if (get_uint(p, "a byte count", 1, CASE_COUNT_MAX, &v) == -1)
		return -1;
	rd->count = (uint32_t)v;
	return 0;
}

/*
 * Statements
 */

static void
parse_line(struct parser *p)
{
	int k;

	if ((k = lookup(cur(p), meta_names)) != -1) {
		parse_meta(p, k);
		return;
	}
	parse_statement(p);
}

/* [time] [@conn] (packet | directive), then the end of the line. */
static void
parse_statement(struct parser *p)
{
	struct case_stmt s;
	const struct case_tok *start = cur(p);
	int rc;

	memset(&s, 0, sizeof(s));
	s.loc.file = p->prog->path;
	s.loc.line = start->line;
	s.loc.col = start->col;
	s.timeout = -1;
	start_body(p);
	s.sev = p->sev;
	rc = parse_time(p, &s.time);
	if (rc == 0)
		rc = parse_conn(p, &s);
	if (rc == 0 && lookup(cur(p), meta_names) != -1)
		rc = err_at(p, cur(p), "expected a packet line or a directive, "
		    "found metadata '%.*s' (metadata takes no time or "
		    "connection)", (int)cur(p)->n, cur(p)->p);
	if (rc == 0 && is_punct(cur(p), '<') && is_word(nxt(p), "icmp"))
		rc = parse_icmp(p, &s);
	else if (rc == 0 && (is_punct(cur(p), '<') || is_punct(cur(p), '>')))
		rc = parse_packet(p, &s);
	else if (rc == 0)
		rc = parse_directive(p, &s);
	if (rc == 0 && !at_end(p))
		rc = expected(p, "end of line");
	if (rc == 0)
		rc = check_time(p, start, &s);
	if (rc == 0)
		rc = check_needs(p, start, &s);
	if (rc == 0 && add_stmt(p, &s) == 0)
		return;
	case_stmt_clear(&s);
}

/*
 * Timing: nothing, "*", "T", "+T", "~T", "~+T", "T~T" or "+T~+T".  Which
 * forms suit which statement is checked later, in check_time().
 */
static int
parse_time(struct parser *p, struct case_time *tm)
{
	const struct case_tok *t = cur(p);
	int rel, rel2;

	memset(tm, 0, sizeof(*tm));
	if (is_punct(t, '*')) {
		tm->kind = CASE_T_ANY;
		adv(p);
		return 0;
	}
	if (is_punct(t, '~')) {
		tm->about = 1;
		adv(p);
	} else if (!is_punct(t, '+') && t->type != CASE_TK_NUM)
		return 0;
	if (parse_point(p, &rel, &tm->lo, &tm->lo_unit) == -1)
		return -1;
	tm->kind = rel ? CASE_T_REL : CASE_T_ABS;
	tm->hi = tm->lo;
	tm->hi_unit = tm->lo_unit;
	if (!is_punct(cur(p), '~'))
		return 0;
	if (tm->about)
		return expected(p, "a single time after '~' (about)");
	adv(p);
	t = cur(p);
	if (parse_point(p, &rel2, &tm->hi, &tm->hi_unit) == -1)
		return -1;
	if (rel2 != rel)
		return err_at(p, t, "expected %s time to end the range, found "
		    "%s one", rel ? "a relative ('+')" : "an absolute",
		    rel ? "an absolute" : "a relative");
	if (tm->hi < tm->lo && tm->lo_unit == tm->hi_unit)
		return err_at(p, t, "expected the end of the time range at or "
		    "after its start, found an earlier one");
	return 0;
}

static int
parse_point(struct parser *p, int *rel, int64_t *v, int *rtt)
{
	*rel = 0;
	if (is_punct(cur(p), '+')) {
		*rel = 1;
		adv(p);
	}
	return get_duration_unit(p, "a time", v, rtt);
}

/*
 * Ranges, "*" and "~" describe when a segment may be seen, so they suit
 * '>' lines only; other statements happen at one time.  Absolute times may
 * not go back.
 */
static int
check_time(struct parser *p, const struct case_tok *start,
    struct case_stmt *s)
{
	const struct case_time *tm = &s->time;
	struct case_time tm2 = { CASE_T_ABS, 0, 0, 0, CASE_U_SEC, CASE_U_SEC };
	int out = s->kind == CASE_S_PACKET && s->u.pkt.dir == CASE_DIR_OUT;
	char b[48];

	if (!out && tm->kind == CASE_T_ANY)
		return err_at(p, start, "expected a time for this statement, "
		    "found '*' (any time suits '>' lines only)");
	if ((tm->lo_unit || tm->hi_unit) && (!out || tm->kind != CASE_T_REL ||
	    tm->about))
		return err_at(p, start, "expected a time in seconds, found one "
		    "in '%s' (%s suits relative times of '>' lines only)",
		    tm->lo_unit == CASE_U_GAP || tm->hi_unit == CASE_U_GAP ?
		    "gap" : "rtt", tm->lo_unit == CASE_U_GAP ||
		    tm->hi_unit == CASE_U_GAP ? "the gap between two segments" :
		    "the round-trip time");
	/* A gap is that between the segments of two earlier '>' lines. */
	if ((tm->lo_unit == CASE_U_GAP || tm->hi_unit == CASE_U_GAP) &&
	    p->nmatch < 2)
		return err_at(p, start, "expected two '>' lines before a time "
		    "in 'gap' (the time between their segments), found %d",
		    p->nmatch);
	if (out && !s->u.pkt.negate)
		p->nmatch++;
	if (!out && (tm->about || tm->lo != tm->hi))
		return err_at(p, start, "expected a single time for this "
		    "statement, found %s (%s suits '>' lines only)",
		    tm->about ? "'~'" : "a range", tm->about ? "about" :
		    "a range");
	if (tm->kind != CASE_T_ABS)
		return 0;
	if (tm->lo < p->last_abs) {
		tm2.kind = CASE_T_ABS;
		tm2.lo = tm2.hi = p->last_abs;
		return err_at(p, start, "expected an absolute time at or after "
		    "%s (the previous one), found an earlier one",
		    case_time_fmt(&tm2, b, sizeof(b)));
	}
	p->last_abs = tm->lo;
	return 0;
}

/*
 * A case declares what it needs so that a run without it can call the case
 * not applicable up front; an agent or HTTP action it did not declare would
 * only fail half-way.
 */
static int
check_needs(struct parser *p, const struct case_tok *start,
    const struct case_stmt *s)
{
	if (s->kind == CASE_S_AGENT && !(p->prog->needs & CASE_NEED_AGENT))
		return err_at(p, start, "expected 'needs agent' in the metadata "
		    "of a case with agent actions, found none");
	if (s->kind == CASE_S_HTTP && !(p->prog->needs & CASE_NEED_HTTP))
		return err_at(p, start, "expected 'needs http' in the metadata "
		    "of a case with HTTP requests, found none");
	return 0;
}

/* "@NAME": the connection the statement acts on. */
static int
parse_conn(struct parser *p, struct case_stmt *s)
{
	struct case_prog *pr = p->prog;
	const struct case_tok *t;
	char *name;
	int i;

	if (!is_punct(cur(p), '@'))
		return 0;
	adv(p);
	t = cur(p);
	if (t->type != CASE_TK_WORD || t->spc)
		return expected(p, "a connection name right after '@'");
	for (i = 0; i < pr->nconns; i++)
		if (strlen(pr->conns[i]) == t->n &&
		    memcmp(pr->conns[i], t->p, t->n) == 0)
			break;
	if (i == pr->nconns) {
		if (pr->nconns == CASE_CONN_MAX)
			return err_at(p, t, "expected at most %d connections in"
			    " one case, found a %dth", CASE_CONN_MAX,
			    CASE_CONN_MAX + 1);
		if ((name = strndup(t->p, t->n)) == NULL)
			return nomem(p);
		if (add_str(p, &pr->conns, &pr->nconns, name) == -1)
			return -1;
	}
	s->conn = i;
	adv(p);
	return 0;
}

/*
 * "< icmp KIND [mtu N] [seq N]": an ICMP error about the connection, as a
 * router on the path would send it (RFC 1122 4.2.3.9, RFC 5927).  The
 * condition is named, not numbered, so one case runs over both families;
 * the two that ICMPv6 lacks need "needs ipv4".
 */
static const char *const icmp_words[] = {
	"unreachable", "too-big", "time-exceeded", "param-problem", "quench",
	NULL
};
static const char *const icmp_unreach[] = {
	"net", "host", "proto", "port", "srcfail", "admin", NULL
};

static int
parse_icmp(struct parser *p, struct case_stmt *s)
{
	struct case_icmp *ic = &s->u.icmp;
	const struct case_tok *t;
	uint64_t v;
	int k;

	s->kind = CASE_S_ICMP;
	adv(p);		/* '<' */
	adv(p);		/* icmp */
	t = cur(p);
	if (get_keyword(p, "an ICMP error", icmp_words, &k) == -1)
		return -1;
	switch (k) {
	case 0:
		if (get_keyword(p, "an unreachable code", icmp_unreach,
		    &k) == -1)
			return -1;
		ic->kind = k == 5 ? CASE_IC_ADMIN : (enum case_icmp_kind)k;
		break;
	case 1:
		ic->kind = CASE_IC_TOOBIG;
		if (!is_word(cur(p), "mtu"))
			return expected(p, "'mtu'");
		adv(p);
		/* IPv4's smallest datagram every host takes (RFC 791) up to
		 * the largest an IP header can say. */
		if (get_uint(p, "an MTU", 68, 65535, &v) == -1)
			return -1;
		ic->mtu = (uint32_t)v;
		break;
	case 2:
		ic->kind = CASE_IC_TIMXCEED;
		break;
	case 3:
		ic->kind = CASE_IC_PARAMPROB;
		break;
	default:
		ic->kind = CASE_IC_QUENCH;
		break;
	}
	if ((ic->kind == CASE_IC_QUENCH || ic->kind == CASE_IC_SRCFAIL) &&
	    !(p->prog->needs & CASE_NEED_IPV4))
		return err_at(p, t, "expected 'needs ipv4' in the metadata of a "
		    "case that sends '%s' (ICMPv6 has no such message)",
		    case_icmp_names[ic->kind]);
	if (is_word(cur(p), "seq")) {
		adv(p);
		if (get_seq(p, "a sequence number", &ic->seq) == -1)
			return -1;
		ic->seq_given = 1;
	}
	return 0;
}

/* '<' seg, or '>' ['!'] seg { '|' seg }. */
static int
parse_packet(struct parser *p, struct case_stmt *s)
{
	struct case_pkt *pk = &s->u.pkt;
	struct case_seg *sg;

	s->kind = CASE_S_PACKET;
	pk->dir = is_punct(cur(p), '<') ? CASE_DIR_IN : CASE_DIR_OUT;
	adv(p);
	if (is_punct(cur(p), '!')) {
		if (pk->dir == CASE_DIR_IN)
			return err_at(p, cur(p), "expected flags, found '!' "
			    "(\"none may come\" suits '>' lines only)");
		pk->negate = 1;
		adv(p);
	}
	if ((pk->alt = calloc(CASE_ALT_MAX, sizeof(*pk->alt))) == NULL)
		return nomem(p);
	for (;;) {
		sg = &pk->alt[pk->nalt++];
		if (parse_seg(p, pk, sg) == -1)
			return -1;
		if (!is_punct(cur(p), '|')) {
			/*
			 * Keep only the alternatives written, which is one on
			 * most lines, so a catalogue of hundreds of cases
			 * stays small (their options are allocated as
			 * written).  A failed shrink keeps the larger array.
			 */
			if (pk->nalt < CASE_ALT_MAX &&
			    (sg = realloc(pk->alt, (size_t)pk->nalt *
			    sizeof(*pk->alt))) != NULL)
				pk->alt = sg;
			return 0;
		}
		if (pk->dir == CASE_DIR_IN)
			return err_at(p, cur(p), "expected end of line, found "
			    "'|' (alternatives suit '>' lines only)");
		if (pk->nalt == CASE_ALT_MAX)
			return err_at(p, cur(p), "expected at most %d "
			    "alternatives, found more", CASE_ALT_MAX);
		adv(p);
	}
}

/*
 * flags [start:end(len) | past N] {ack N | win N | urg N | csum bad}
 * [<options>]
 */
static int
parse_seg(struct parser *p, struct case_pkt *pk, struct case_seg *sg)
{
	const struct case_tok *start = cur(p);

	if (parse_flags(p, sg) == -1)
		return -1;
	if (seq_ahead(p) || is_word(cur(p), "data") || is_edge(cur(p))) {
		if (parse_seqspec(p, pk, sg) == -1)
			return -1;
	} else if (is_word(cur(p), "past") && parse_past(p, pk, sg) == -1)
		return -1;
	if (parse_fields(p, pk, sg) == -1)
		return -1;
	if (is_punct(cur(p), '<')) {
		if (parse_optlist(p, &sg->opts, pk->dir == CASE_DIR_OUT) == -1)
			return -1;
		sg->given |= CASE_G_OPTS;
	}
	if (is_word(cur(p), "end") && parse_end(p, pk, sg) == -1)
		return -1;
	return check_seg(p, start, pk, sg);
}

/*
 * "end" or "end not-applicable STRING" after an alternative of a '>'
 * line: when it is the alternative that matched, the case ends there,
 * not applicable with the reason if one is given (the target's
 * application kept the behaviour the case checks from happening, and the
 * wire shows it).
 */
static int
parse_end(struct parser *p, const struct case_pkt *pk, struct case_seg *sg)
{
	static const char *const words[] = { "not-applicable", NULL };
	const struct case_tok *at;
	uint8_t *why;
	size_t n;

	if (pk->dir == CASE_DIR_IN)
		return err_at(p, cur(p), "expected end of line, found 'end' "
		    "(it suits '>' lines only)");
	if (pk->negate)
		return err_at(p, cur(p), "expected end of line, found 'end' "
		    "(a '!' line matches nothing that could end the case)");
	adv(p);
	sg->given |= CASE_G_END;
	if (cur(p)->type != CASE_TK_WORD)
		return 0;
	if (!is_word(cur(p), "not-applicable"))
		return expected_word(p, "'not-applicable', '|' or end of line "
		    "after 'end'", words);
	adv(p);
	at = cur(p);
	if (get_string(p, "a reason string after 'not-applicable'", 0, &why,
	    &n) == -1)
		return -1;
	if (n == 0) {
		free(why);
		return err_at(p, at, "expected a reason, found an empty "
		    "string");
	}
	sg->na_why = (char *)why;
	return 0;
}

/*
 * packetdrill's flag letters, in any order: S SYN, F FIN, R RST, P PSH,
 * '.' ACK, U URG, E ECE, W CWR, A AE; '-' for none, '*' for any.
 */
static int
parse_flags(struct parser *p, struct case_seg *sg)
{
	static const char letters[] = "SFRP.UEWA";
	static const uint16_t bits[] = { SEG_SYN, SEG_FIN, SEG_RST, SEG_PSH,
	    SEG_ACK, SEG_URG, SEG_ECE, SEG_CWR, SEG_AE };
	const struct case_tok *t = cur(p);
	const char *q;
	size_t i;

	if (is_punct(t, '*')) {
		adv(p);
		return 0;
	}
	sg->given |= CASE_G_FLAGS;
	if (is_punct(t, '-') && !seq_ahead(p)) {
		adv(p);
		return 0;
	}
	if (is_punct(t, '.')) {
		/* ".P" lexes as '.' and "P": the dot may lead too. */
		sg->flags = SEG_ACK;
		adv(p);
		t = cur(p);
		if (t->type != CASE_TK_WORD || t->spc)
			return 0;
	}
	if (t->type != CASE_TK_WORD)
		return expected(p, "flags (S F R P . U E W A, '-' or '*')");
	for (i = 0; i < t->n; i++) {
		q = memchr(letters, t->p[i], sizeof(letters) - 1);
		if (q == NULL)
			return expected(p, "flags (S F R P . U E W A, '-' or "
			    "'*')");
		if (sg->flags & bits[q - letters])
			return err_at(p, t, "expected each flag once, found "
			    "'%c' twice", t->p[i]);
		sg->flags |= bits[q - letters];
	}
	adv(p);
	return 0;
}

/* "edge", "edge+N" or "edge-N" (one word for the lexer) ahead. */
static int
is_edge(const struct case_tok *t)
{
	size_t i;

	if (is_word(t, "edge"))
		return 1;
	if (t->type != CASE_TK_WORD || t->n < 6 || memcmp(t->p, "edge-",
	    5) != 0)
		return 0;
	for (i = 5; i < t->n; i++)
		if (t->p[i] < '0' || t->p[i] > '9')
			return 0;
	return 1;
}

/*
 * "edge", "edge+N", "edge-N": relative to the right edge of the window the
 * target last offered (its SEG.ACK + SEG.WND, scaled), its RCV.NXT +
 * RCV.WND, modulo 2^32.
 */
static int
get_edge(struct parser *p, uint32_t *out)
{
	const struct case_tok *t = cur(p);
	uint64_t v = 0;
	size_t i;

	adv(p);
	*out = 0;
	if (t->n > 4) {
		for (i = 5; i < t->n; i++) {
			v = v * 10 + (uint64_t)(t->p[i] - '0');
			if (v > UINT32_MAX)
				return err_at(p, t, "expected a number after "
				    "'edge-' of at most %u", UINT32_MAX);
		}
		*out = (uint32_t)-v;
		return 0;
	}
	if (!is_punct(cur(p), '+') || cur(p)->spc)
		return 0;
	adv(p);
	if (get_uint(p, "a number after 'edge+'", 0, UINT32_MAX, &v) == -1)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * A sequence number, or "data" or "data+N": N after where the target's data
 * ends (*isdata 1), whatever its length; or "edge", "edge+N", "edge-N"
 * (*isdata 2): get_edge().
 */
static int
get_dseq(struct parser *p, const char *what, uint32_t *out, int *isdata)
{
	uint64_t v;

	*isdata = 0;
	if (is_edge(cur(p))) {
		*isdata = 2;
		return get_edge(p, out);
	}
	if (!is_word(cur(p), "data"))
		return get_seq(p, what, out);
	adv(p);
	*isdata = 1;
	*out = 0;
	if (!is_punct(cur(p), '+') || cur(p)->spc)
		return 0;
	adv(p);
	if (get_uint(p, "a number after 'data+'", 0, UINT32_MAX, &v) == -1)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * start:end(len), with end == start + len modulo 2^32; on a '>' line both
 * may count from "data", on a '<' line from "edge" (both or neither).
 */
static int
parse_seqspec(struct parser *p, const struct case_pkt *pk,
    struct case_seg *sg)
{
	const struct case_tok *et, *st = cur(p);
	uint64_t len;
	char b[48];
	int d1, d2;

	if (get_dseq(p, "a start sequence number", &sg->seq, &d1) == -1)
		return -1;
	if (d1 == 1 && pk->dir != CASE_DIR_OUT)
		return err_at(p, st, "expected a sequence number, found 'data' "
		    "(it suits '>' lines only: the peer's own numbers are "
		    "known)");
	if (d1 == 2 && pk->dir != CASE_DIR_IN)
		return err_at(p, st, "expected a sequence number, found 'edge' "
		    "(it suits '<' lines only: the edge of the window the "
		    "target offers)");
	if (!is_punct(cur(p), ':'))
		return expected(p, "':' after the start sequence number");
	adv(p);
	et = cur(p);
	if (is_punct(et, '*') && d1)
		return err_at(p, et, "expected an end counted from '%s', "
		    "found '*' (a length bound follows a plain start)",
		    d1 == 2 ? "edge" : "data");
	if (is_punct(et, '*'))
		return parse_len_max(p, pk, sg);
	if (get_dseq(p, "an end sequence number", &sg->end, &d2) == -1)
		return -1;
	if (d1 != d2)
		return err_at(p, et, "expected start and end both counted from "
		    "'%s' or neither", d1 == 2 || d2 == 2 ? "edge" : "data");
	if (d1 == 1)
		sg->given |= CASE_G_SEQ_DATA;
	if (d1 == 2)
		sg->given |= CASE_G_SEQ_EDGE;
	if (!is_punct(cur(p), '('))
		return expected(p, "'(' and the length after the end sequence "
		    "number");
	adv(p);
	if (get_uint(p, "a segment length", 0, CASE_LEN_MAX, &len) == -1)
		return -1;
	if (!is_punct(cur(p), ')'))
		return expected(p, "')' after the length");
	adv(p);
	sg->len = (uint32_t)len;
	sg->given |= CASE_G_SEQ;
	if (sg->end != sg->seq + sg->len)
		return err_at(p, et, "expected end sequence number %u (start "
		    "%u + length %u), found %s", sg->seq + sg->len, sg->seq,
		    sg->len, tokdesc(et, b, sizeof(b)));
	return 0;
}

/*
 * The rest of "start:*(max N)" and "start:*(max mss)" on a '>' line: data
 * from start, 1 to N bytes, or up to the effective send MSS (RFC 9293
 * 3.7.1), for a segment whose length is the target's to choose within a
 * bound.  The end is the target's too, so no number follows.
 */
static int
parse_len_max(struct parser *p, const struct case_pkt *pk,
    struct case_seg *sg)
{
	static const char *const maxw[] = { "max", NULL };
	uint64_t v;

	if (pk->dir != CASE_DIR_OUT)
		return err_at(p, cur(p), "expected an end sequence number, "
		    "found '*' (a length bound suits '>' lines only: the "
		    "peer's own lengths are known)");
	adv(p);
	if (!is_punct(cur(p), '('))
		return expected(p, "'(max' after '*'");
	adv(p);
	if (lookup(cur(p), maxw) == -1)
		return expected_word(p, "'max' after '*('", maxw);
	adv(p);
	if (is_word(cur(p), "mss")) {
		adv(p);
		v = 0;
	} else if (tok_uint(cur(p), &v) == -1)
		return expected(p, "a length bound or 'mss'");
	else if (get_uint(p, "a length bound", 1, CASE_LEN_MAX, &v) == -1)
		return -1;
	if (!is_punct(cur(p), ')'))
		return expected(p, "')' after the length bound");
	adv(p);
	sg->len_max = (uint32_t)v;
	sg->end = sg->seq;
	sg->len = 0;
	sg->given |= CASE_G_SEQ | CASE_G_LEN_MAX;
	return 0;
}

/*
 * "past N" on a '> !' line, in place of start:end(len): no segment whose
 * sequence space ends beyond N may come, whatever its start and length.
 * A target that sends data it must hold back may send it again otherwise
 * cut (old and new bytes in one segment after the first copy was lost),
 * and the line forbids every such shape.
 */
static int
parse_past(struct parser *p, const struct case_pkt *pk, struct case_seg *sg)
{
	const struct case_tok *at = cur(p);

	if (pk->dir != CASE_DIR_OUT || !pk->negate)
		return err_at(p, at, "expected start:end(len) or a field, "
		    "found 'past' (it suits '> !' lines only: no segment may "
		    "come that ends beyond the number)");
	adv(p);
	if (get_seq(p, "a sequence number after 'past'", &sg->end) == -1)
		return -1;
	sg->seq = 0;
	sg->len = 0;
	sg->given |= CASE_G_PAST;
	return 0;
}

/* ack, win, urg and csum, in any order, each once. */
static int
parse_fields(struct parser *p, const struct case_pkt *pk,
    struct case_seg *sg)
{
	static const char *const names[] = { "ack", "win", "urg", "csum",
	    NULL };
	static const char *const csums[] = { "bad", NULL };
	static const unsigned bit[] = { CASE_G_ACK, CASE_G_WIN, CASE_G_URG,
	    CASE_G_CSUM_BAD };
	const struct case_tok *at;
	uint64_t v;
	int k, isdata;

	while ((k = lookup(cur(p), names)) != -1) {
		if (sg->given & bit[k])
			return err_at(p, cur(p), "expected '%s' once, found it "
			    "again", names[k]);
		adv(p);
		sg->given |= bit[k];
		if (k == 3) {
			/* Only "bad": a good checksum is the default. */
			if (lookup(cur(p), csums) == -1)
				return expected_word(p, "'bad' after 'csum'",
				    csums);
			adv(p);
			continue;
		}
		at = cur(p);
		if (k == 0 && get_dseq(p, "an acknowledgment number",
		    &sg->ack, &isdata) == -1)
			return -1;
		if (k == 0 && isdata && pk->dir != CASE_DIR_IN)
			return err_at(p, at, "expected an acknowledgment "
			    "number, found 'data' (it suits '<' lines only: "
			    "the target acknowledges the peer's known "
			    "numbers)");
		if (k == 0 && isdata)
			sg->given |= CASE_G_ACK_DATA;
		if (k > 0 && get_uint(p, k == 1 ? "a window" :
		    "an urgent pointer", 0, 65535, &v) == -1)
			return -1;
		if (k == 1)
			sg->win = (uint16_t)v;
		else if (k == 2)
			sg->urg = (uint16_t)v;
	}
	if (cur(p)->type == CASE_TK_WORD && !is_word(cur(p), "end"))
		return expected_word(p, "'ack', 'win', 'urg', 'csum', options "
		    "or end of line", names);
	return 0;
}

/*
 * What the peer cannot send, and what a '>' line cannot mean.  An ack
 * number without the ACK flag is legal on the wire but mostly a slip.
 */
static int
check_seg(struct parser *p, const struct case_tok *start,
    const struct case_pkt *pk, const struct case_seg *sg)
{
	if (pk->dir == CASE_DIR_IN && !(sg->given & CASE_G_FLAGS))
		return err_at(p, start, "expected flags for a '<' line, found "
		    "'*' (any flags suit '>' lines only)");
	/* What checksum the target sends is the passive checks' business. */
	if (pk->dir == CASE_DIR_OUT && (sg->given & CASE_G_CSUM_BAD))
		return err_at(p, start, "expected no 'csum' on a '>' line "
		    "('csum bad' suits '<' lines only)");
	if ((sg->given & CASE_G_FLAGS) && (sg->given & CASE_G_ACK) &&
	    !(sg->flags & SEG_ACK) && !pk->negate)
		warn_at(p, start, "'ack' is given but the ACK flag ('.') is "
		    "not set");
	return 0;
}

/*
 * "<...>", "<>", "<opt, opt>", "<opt, opt, ...>".  wild: whether "..."
 * (not checked / at least these) is allowed, i.e. on '>' lines.
 */
static int
parse_optlist(struct parser *p, struct case_optlist *ol, int wild)
{
	struct case_opt v[CASE_OPT_MAX];
	int n = 0;

	ol->n = 0;
	ol->v = NULL;
	if (parse_opts(p, ol, wild, v, &n) == -1)
		return -1;
	/*
	 * Only the options written are kept (one case_opt is about 100
	 * bytes): a catalogue of hundreds of cases, each with several
	 * packet lines, stays small.
	 */
	if (n > 0) {
		if ((ol->v = reallocarray(NULL, (size_t)n, sizeof(*v))) == NULL)
			return nomem(p);
		memcpy(ol->v, v, (size_t)n * sizeof(*v));
	}
	ol->n = n;
	return 0;
}

static int
parse_opts(struct parser *p, struct case_optlist *ol, int wild,
    struct case_opt *v, int *np)
{
	const struct case_tok *open = cur(p);
	int i, bytes = 0;

	adv(p);
	ol->mode = CASE_OPTS_EXACT;
	*np = 0;
	if (cur(p)->type == CASE_TK_ELLIPSIS) {
		if (!wild)
			return err_at(p, cur(p), "expected options, found '...'"
			    " (unchecked options suit '>' lines only)");
		ol->mode = CASE_OPTS_ANY;
		adv(p);
	}
	while (ol->mode == CASE_OPTS_EXACT && !is_punct(cur(p), '>')) {
		if (*np == CASE_OPT_MAX)
			return err_at(p, cur(p), "expected at most %d options, "
			    "found more", CASE_OPT_MAX);
		if (wild && is_punct(cur(p), '!')) {
			if (parse_opt_not(p, &v[(*np)++]) == -1)
				return -1;
		} else if (parse_opt(p, &v[(*np)++]) == -1)
			return -1;
		if (is_punct(cur(p), '>'))
			break;
		if (!is_punct(cur(p), ','))
			return expected(p, "',' or '>' in the option list");
		adv(p);
		if (cur(p)->type != CASE_TK_ELLIPSIS)
			continue;
		if (!wild)
			return err_at(p, cur(p), "expected an option, found "
			    "'...' (\"at least these\" suits '>' lines only)");
		ol->mode = CASE_OPTS_SUBSET;
		adv(p);
	}
	if (!is_punct(cur(p), '>'))
		return expected(p, "'>' to end the option list");
	for (i = 0; i < *np; i++)
		if ((v[i].wild & CASE_OW_NOT) && ol->mode != CASE_OPTS_SUBSET)
			return err_at(p, cur(p), "expected ',...>' after a "
			    "'!' option (it suits \"at least these\" lists)");
	adv(p);
	for (i = 0; i < *np; i++)
		if (!(v[i].wild & CASE_OW_NOT))
			bytes += opt_bytes(&v[i]);
	if (bytes > 40)
		return err_at(p, open, "expected options that fit in 40 bytes, "
		    "found %d bytes of them", bytes);
	return 0;
}

static int
parse_opt(struct parser *p, struct case_opt *o)
{
	uint64_t v;
	int k;

	if (get_keyword(p, "a TCP option", case_opt_names, &k) == -1)
		return -1;
	memset(o, 0, sizeof(*o));
	o->kind = (enum case_opt_kind)k;
	o->len = -1;
	switch (o->kind) {
	case CASE_O_MSS:
		if (get_uint(p, "an MSS", 0, 65535, &v) == -1)
			return -1;
		o->val = (uint32_t)v;
		return 0;
	case CASE_O_WSCALE:
		if (get_uint(p, "a window scale", 0, 255, &v) == -1)
			return -1;
		o->val = (uint32_t)v;
		if (v > 14)
			warn_at(p, &p->t[p->i - 1], "window scale %u is above "
			    "14, which RFC 7323 2.3 says to treat as 14",
			    o->val);
		return 0;
	case CASE_O_SACK:
		return parse_opt_sack(p, o);
	case CASE_O_TS:
		return parse_opt_ts(p, o);
	case CASE_O_FO:
	case CASE_O_FOEXP:
		if (cur(p)->type != CASE_TK_HEX)
			return 0;	/* a cookie request */
		return get_hex(p, "a cookie", SEG_TFO_MAX, o->data, &o->ndata);
	case CASE_O_RAW:
		return parse_opt_raw(p, o);
	default:
		return 0;
	}
}

/*
 * "!wscale": the segment carries no option of that kind (RFC 7323 2.2: no
 * WS in a SYN-ACK unless the SYN had one).  The kind alone: no value.
 */
static int
parse_opt_not(struct parser *p, struct case_opt *o)
{
	int k;

	adv(p);
	if (get_keyword(p, "a TCP option", case_opt_names, &k) == -1)
		return -1;
	memset(o, 0, sizeof(*o));
	o->kind = (enum case_opt_kind)k;
	o->len = -1;
	o->wild = CASE_OW_NOT;
	if (o->kind == CASE_O_RAW) {
		uint64_t v;

		if (get_uint(p, "an option kind", 0, 255, &v) == -1)
			return -1;
		o->val = (uint32_t)v;
	}
	if (o->kind == CASE_O_EOL || o->kind == CASE_O_NOP ||
	    (o->kind == CASE_O_RAW && o->val <= 1))
		return err_at(p, &p->t[p->i - 1], "expected an option other "
		    "than eol or nop after '!'");
	return 0;
}

/* "sack L:R [L:R ...]", one to four blocks. */
static int
parse_opt_sack(struct parser *p, struct case_opt *o)
{
	struct case_sack *b;

	do {
		if (o->nsack == CASE_SACK_MAX)
			return err_at(p, cur(p), "expected at most %d SACK "
			    "blocks, found more", CASE_SACK_MAX);
		b = &o->sack[o->nsack++];
		if (get_seq(p, "a SACK block 'left:right'", &b->left) == -1)
			return -1;
		if (!is_punct(cur(p), ':'))
			return expected(p, "':' in the SACK block");
		adv(p);
		if (get_seq(p, "the right edge of the SACK block",
		    &b->right) == -1)
			return -1;
	} while (seq_ahead(p));
	return 0;
}

/* "TS val N ecr N", either value "*". */
static int
parse_opt_ts(struct parser *p, struct case_opt *o)
{
	uint64_t v;
	int i;

	for (i = 0; i < 2; i++) {
		if (!is_word(cur(p), i == 0 ? "val" : "ecr"))
			return expected(p, i == 0 ? "'val' after 'TS'" :
			    "'ecr' after the TS value");
		adv(p);
		if (is_punct(cur(p), '*')) {
			o->wild |= i == 0 ? CASE_OW_VAL : CASE_OW_ECR;
			adv(p);
			continue;
		}
		if (get_uint(p, "a timestamp or '*'", 0, UINT32_MAX, &v) == -1)
			return -1;
		if (i == 0)
			o->val = (uint32_t)v;
		else
			o->ecr = (uint32_t)v;
	}
	return 0;
}

/* "kind N [len L] [0xHEX]": any option, malformed ones included. */
static int
parse_opt_raw(struct parser *p, struct case_opt *o)
{
	uint64_t v;

	if (get_uint(p, "an option kind", 0, 255, &v) == -1)
		return -1;
	o->val = (uint32_t)v;
	if (is_word(cur(p), "len")) {
		adv(p);
		if (get_uint(p, "an option length", 0, 255, &v) == -1)
			return -1;
		o->len = (int)v;
	}
	if (cur(p)->type == CASE_TK_HEX)
		return get_hex(p, "option data", CASE_OPTDATA_MAX, o->data,
		    &o->ndata);
	return 0;
}

/* Bytes an option takes in the header. */
static int
opt_bytes(const struct case_opt *o)
{
	switch (o->kind) {
	case CASE_O_EOL:
	case CASE_O_NOP:
		return 1;
	case CASE_O_MSS:
		return 4;
	case CASE_O_WSCALE:
		return 3;
	case CASE_O_SACKOK:
		return 2;
	case CASE_O_SACK:
		return 2 + 8 * o->nsack;
	case CASE_O_TS:
		return 10;
	case CASE_O_MD5:
		return 18;
	case CASE_O_FO:
		return 2 + o->ndata;
	case CASE_O_FOEXP:
		return 4 + o->ndata;
	case CASE_O_RAW:
		return (o->val <= 1 && o->len == -1 && o->ndata == 0) ? 1 :
		    2 + o->ndata;
	}
	return 0;
}

static int
parse_directive(struct parser *p, struct case_stmt *s)
{
	const struct directive *dv = NULL;
	size_t i;

	for (i = 0; i < NDIRECTIVES; i++)
		if (is_word(cur(p), directives[i].name))
			dv = &directives[i];
	if (dv == NULL)
		return expected_word(p, "'<', '>' or a directive",
		    directive_names);
	adv(p);
	s->kind = dv->kind;
	if (dv->parse(p, s) == -1)
		return -1;
	return parse_mods(p, s, dv->mods);
}

/* "timeout D" and, for agent actions, "= RESULT", in any order. */
static int
parse_mods(struct parser *p, struct case_stmt *s, unsigned mods)
{
	const char *what = mods == 0 ? "end of line" : mods == MOD_TIMEOUT ?
	    "'timeout' or end of line" : "'=', 'timeout' or end of line";

	while (!at_end(p)) {
		if ((mods & MOD_TIMEOUT) && is_word(cur(p), "timeout")) {
			if (s->timeout != -1)
				return err_at(p, cur(p), "expected 'timeout' "
				    "once, found it again");
			adv(p);
			if (get_duration(p, "a timeout", &s->timeout) == -1)
				return -1;
		} else if ((mods & MOD_RESULT) && is_punct(cur(p), '=')) {
			if (s->u.agent.result != CASE_RES_NONE)
				return err_at(p, cur(p), "expected '=' once, "
				    "found it again");
			adv(p);
			if (parse_result(p, &s->u.agent) == -1)
				return -1;
		} else
			return expected(p, what);
	}
	return 0;
}

/* An errno name: E and upper-case letters or digits, as EPIPE. */
static int
is_errname(const struct case_tok *t)
{
	size_t i;

	if (t->type != CASE_TK_WORD || t->n < 2 || t->p[0] != 'E' ||
	    t->n >= 24)
		return 0;
	for (i = 1; i < t->n; i++)
		if (!isupper((unsigned char)t->p[i]) &&
		    !isdigit((unsigned char)t->p[i]))
			return 0;
	return 1;
}

/*
 * "ok", "eof" (reads), N (reads and writes) or an errno name, or several
 * joined by '|'.
 */
static int
parse_result(struct parser *p, struct case_agent *a)
{
	const struct case_tok *t = cur(p);
	int rw = a->op == CASE_AG_READ || a->op == CASE_AG_WRITE;
	uint64_t v;
	size_t len;

	if (is_word(t, "ok")) {
		a->result = CASE_RES_OK;
	} else if (is_word(t, "eof") && a->op == CASE_AG_READ) {
		a->result = CASE_RES_EOF;
	} else if (rw && tok_uint(t, &v) == 0) {
		if (get_uint(p, "a byte count", 0, CASE_COUNT_MAX, &v) == -1)
			return -1;
		a->result = CASE_RES_COUNT;
		a->result_count = (uint32_t)v;
		return 0;
	} else if (is_errname(t)) {
		/*
		 * "= EPIPE | ENOTCONN": where the RFC asks only for an error
		 * ("error: connection closing"), the sockets APIs of stacks
		 * name it differently.
		 */
		a->result = CASE_RES_ERRNO;
		for (;;) {
			if (!is_errname(t))
				return expected(p, "an errno name like EPIPE");
			len = strlen(a->errname);
			if (len + 1 + t->n >= sizeof(a->errname))
				return expected(p, "fewer errno names");
			if (len > 0)
				a->errname[len++] = '|';
			memcpy(a->errname + len, t->p, t->n);
			adv(p);
			if (!is_punct(cur(p), '|'))
				return 0;
			adv(p);
			t = cur(p);
		}
	} else
		return expected(p, a->op == CASE_AG_READ ?
		    "'ok', 'eof', a byte count or an errno name" : rw ?
		    "'ok', a byte count or an errno name" :
		    "'ok' or an errno name");
	adv(p);
	return 0;
}

static int
parse_noargs(struct parser *p, struct case_stmt *s)
{
	(void)p;
	(void)s;
	return 0;
}

static int
parse_send(struct parser *p, struct case_stmt *s)
{
	return get_data(p, "a byte count or a string", &s->u.data);
}

static int
parse_read_dir(struct parser *p, struct case_stmt *s)
{
	return get_read(p, &s->u.read);
}

/* "wait STATE" or "wait received N". */
static int
parse_wait(struct parser *p, struct case_stmt *s)
{
	static const char *const rcvd[] = { "received", NULL };
	struct case_wait *w = &s->u.wait;
	uint64_t v;
	int k;

	if (is_word(cur(p), "received")) {
		adv(p);
		w->received = 1;
		if (get_uint(p, "a byte count", 1, CASE_COUNT_MAX, &v) == -1)
			return -1;
		w->count = (uint32_t)v;
		return 0;
	}
	if ((k = lookup(cur(p), case_state_names)) == -1) {
		if (cur(p)->type == CASE_TK_WORD &&
		    suggest(cur(p)->p, cur(p)->n, rcvd) != NULL)
			return expected_word(p, "a state or 'received'", rcvd);
		return expected_word(p, "a state or 'received'",
		    case_state_names);
	}
	w->state = (enum case_state)k;
	adv(p);
	return 0;
}

static int
parse_sleep(struct parser *p, struct case_stmt *s)
{
	return get_duration(p, "a duration", &s->u.duration);
}

/* "set SWITCH VALUE". */
static int
parse_set(struct parser *p, struct case_stmt *s)
{
	struct case_set *st = &s->u.set;
	uint64_t v;
	int k;

	if (get_keyword(p, "a switch", case_switch_names, &k) == -1)
		return -1;
	st->which = (enum case_switch)k;
	switch (st->which) {
	case CASE_SET_ISN:
		if (is_punct(cur(p), '+') || (is_punct(cur(p), '-') &&
		    seq_ahead(p))) {
			st->isn_rel = cur(p)->p[0] == '+' ? 1 : -1;
			adv(p);
		}
		if (get_uint(p, "an ISN", 0, UINT32_MAX, &v) == -1)
			return -1;
		st->value = (uint32_t)v;
		return 0;
	case CASE_SET_WINDOW:
		/* The largest window scaling can express (RFC 7323 2.3). */
		if (get_uint(p, "a window", 0, 65535U << 14, &v) == -1)
			return -1;
		st->value = (uint32_t)v;
		return 0;
	case CASE_SET_MSS:
		if (get_uint(p, "an MSS", 1, 65535, &v) == -1)
			return -1;
		st->value = (uint32_t)v;
		return 0;
	case CASE_SET_OPTIONS:
		if (!is_punct(cur(p), '<'))
			return expected(p, "an option list '<...>'");
		if ((st->opts = calloc(1, sizeof(*st->opts))) == NULL)
			return nomem(p);
		return parse_optlist(p, st->opts, 0);
	case CASE_SET_MATCH:
		if (get_keyword(p, "'next' or 'any'", case_match_names,
		    &k) == -1)
			return -1;
		st->match = (enum case_match)k;
		return 0;
	case CASE_SET_SEVERITY:
		if (s->conn != 0)
			return err_at(p, &p->t[p->i - 1], "expected 'set "
			    "severity' without a connection, found one (it "
			    "applies to the whole case)");
		if (get_keyword(p, "'must', 'should' or 'may'",
		    case_sev_names, &k) == -1)
			return -1;
		st->sev = (enum case_sev)k;
		p->sev = st->sev;
		return 0;
	default:
		if (get_keyword(p, "'on' or 'off'", onoff_names, &st->on) == -1)
			return -1;
		return 0;
	}
}

/* "agent OP ARGS": what the agent does on the target. */
static int
parse_agent(struct parser *p, struct case_stmt *s)
{
	static const char *const linger_off[] = { "off", NULL };
	struct case_agent *a = &s->u.agent;
	uint64_t v;
	int k;

	if (get_keyword(p, "an agent action", case_agent_names, &k) == -1)
		return -1;
	a->op = (enum case_agent_op)k;
	switch (a->op) {
	case CASE_AG_READ:
		return get_read(p, &a->read);
	case CASE_AG_WRITE:
		return get_data(p, "a byte count or a string", &a->data);
	case CASE_AG_SHUTDOWN:
		if (get_keyword(p, "'rd', 'wr' or 'rdwr'", case_shut_names,
		    &k) == -1)
			return -1;
		a->how = (enum case_shut)k;
		return 0;
	case CASE_AG_LINGER:
		if (lookup(cur(p), linger_off) == 0) {
			adv(p);
			return 0;
		}
		if (tok_uint(cur(p), &v) == -1)
			return expected(p, "seconds or 'off'");
		if (get_uint(p, "seconds", 0, 65535, &v) == -1)
			return -1;
		a->linger_on = 1;
		a->value = (uint32_t)v;
		return 0;
	case CASE_AG_RCVBUF:
		if (get_uint(p, "a buffer size", 1, CASE_COUNT_MAX, &v) == -1)
			return -1;
		a->value = (uint32_t)v;
		return 0;
	case CASE_AG_NODELAY:
		if (get_keyword(p, "'on' or 'off'", onoff_names, &k) == -1)
			return -1;
		a->value = (uint32_t)k;
		return 0;
	case CASE_AG_KEEPALIVE:
		/* The idle time before the first probe and between probes. */
		if (lookup(cur(p), linger_off) == 0) {
			adv(p);
			return 0;
		}
		if (tok_uint(cur(p), &v) == -1)
			return expected(p, "seconds or 'off'");
		if (get_uint(p, "seconds", 1, 86400, &v) == -1)
			return -1;
		a->value = (uint32_t)v;
		return 0;
	case CASE_AG_URGENT:
		if (get_uint(p, "a byte count", 1, 1024, &v) == -1)
			return -1;
		a->value = (uint32_t)v;
		return 0;
	default:
		return 0;
	}
}

/* "http request STRING" or "http get PATH [close]". */
static int
parse_http(struct parser *p, struct case_stmt *s)
{
	static const char *const ops[] = { "request", "get", NULL };
	struct case_http *h = &s->u.http;
	uint8_t *path;
	size_t n;
	int k;

	if (get_keyword(p, "'request' or 'get'", ops, &k) == -1)
		return -1;
	if (k == 0) {
		if (cur(p)->type != CASE_TK_STR)
			return expected(p, "a request string");
		return get_data(p, "a request string", &h->request);
	}
	h->get = 1;
	if (get_string(p, "a path string", 0, &path, &n) == -1)
		return -1;
	h->path = (char *)path;
	if (n == 0 || path[0] != '/' || strpbrk(h->path, " \r\n") != NULL) {
		p->i--;
		return expected(p, "a path that starts with '/' and has no "
		    "spaces");
	}
	if (is_word(cur(p), "close")) {
		h->close = 1;
		adv(p);
	}
	return 0;
}

/* "measure NAME [count N] [interval D]". */
static int
parse_measure(struct parser *p, struct case_stmt *s)
{
	struct case_measure *m = &s->u.measure;
	uint64_t v;
	int k;

	if (get_keyword(p, "a measurement", case_measure_names, &k) == -1)
		return -1;
	m->kind = (enum case_measure_kind)k;
	m->interval = -1;
	while (m->kind == CASE_M_ISN_SPACING && !at_end(p) &&
	    !is_word(cur(p), "timeout")) {
		if ((is_word(cur(p), "count") && m->count != 0) ||
		    (is_word(cur(p), "interval") && m->interval != -1))
			return err_at(p, cur(p), "expected '%.*s' once, found "
			    "it again", (int)cur(p)->n, cur(p)->p);
		if (is_word(cur(p), "count")) {
			adv(p);
			if (get_uint(p, "a connection count", 2, 10000,
			    &v) == -1)
				return -1;
			m->count = (uint32_t)v;
		} else if (is_word(cur(p), "interval")) {
			adv(p);
			if (get_duration(p, "an interval", &m->interval) == -1)
				return -1;
		} else
			return expected(p, "'count', 'interval', 'timeout' or "
			    "end of line");
	}
	return 0;
}

static int
add_stmt(struct parser *p, struct case_stmt *s)
{
	struct case_prog *pr = p->prog;
	struct case_stmt *ns;

	if (pr->nstmts == p->stmtcap) {
		p->stmtcap = p->stmtcap ? p->stmtcap * 2 : 16;
		ns = reallocarray(pr->stmts, (size_t)p->stmtcap, sizeof(*ns));
		if (ns == NULL)
			return nomem(p);
		pr->stmts = ns;
	}
	pr->stmts[pr->nstmts++] = *s;
	return 0;
}

void
case_stmt_clear(struct case_stmt *s)
{
	int i;

	switch (s->kind) {
	case CASE_S_PACKET:
		for (i = 0; s->u.pkt.alt != NULL && i < s->u.pkt.nalt;
		    i++) {
			free(s->u.pkt.alt[i].opts.v);
			free(s->u.pkt.alt[i].na_why);
		}
		free(s->u.pkt.alt);
		break;
	case CASE_S_SEND:
		free(s->u.data.bytes);
		break;
	case CASE_S_SET:
		if (s->u.set.opts != NULL)
			free(s->u.set.opts->v);
		free(s->u.set.opts);
		break;
	case CASE_S_AGENT:
		free(s->u.agent.data.bytes);
		break;
	case CASE_S_HTTP:
		free(s->u.http.path);
		free(s->u.http.request.bytes);
		break;
	default:
		break;
	}
	memset(&s->u, 0, sizeof(s->u));
}

/*
 * Metadata
 */

static void
parse_meta(struct parser *p, int k)
{
	static int (*const fn[META_N])(struct parser *) = {
		meta_title, meta_checks, meta_needs, meta_tags, meta_fault,
		meta_severity, meta_linux, meta_claim,
	};
	const struct case_tok *t = cur(p);

	if (p->body) {
		err_at(p, t, "expected a packet line or a directive, found "
		    "metadata '%s' (metadata comes before the first "
		    "statement)", meta_names[k]);
		return;
	}
	if (p->meta & (1U << k)) {
		err_at(p, t, "expected '%s' once, found it again",
		    meta_names[k]);
		return;
	}
	p->meta |= 1U << k;
	adv(p);
	if (fn[k](p) == 0 && !at_end(p))
		expected(p, "end of line");
}

static int
meta_title(struct parser *p)
{
	uint8_t *s;
	size_t n;

	if (get_string(p, "a title string", 0, &s, &n) == -1)
		return -1;
	p->prog->title = (char *)s;
	if (n == 0) {
		p->i--;
		return expected(p, "a non-empty title");
	}
	return 0;
}

static int
meta_checks(struct parser *p)
{
	struct case_prog *pr = p->prog;
	const struct case_req *r = NULL, **nr;
	int i, rc = 0;

	if (at_end(p))
		return expected(p, "a requirement ID");
	/* Report every unknown ID of the line, not just the first. */
	for (; !at_end(p); adv(p)) {
		if (check_req(p, cur(p), &r) == -1) {
			rc = -1;
			continue;
		}
		for (i = 0; i < pr->nreqs; i++)
			if (pr->reqs[i] == r)
				return err_at(p, cur(p), "expected each "
				    "requirement ID once, found '%s' again",
				    r->id);
		nr = reallocarray(pr->reqs, (size_t)pr->nreqs + 1,
		    sizeof(*nr));
		if (nr == NULL)
			return nomem(p);
		pr->reqs = nr;
		pr->reqs[pr->nreqs++] = r;
	}
	return rc;
}

/* A known requirement ID, or an error that says what is known. */
static int
check_req(struct parser *p, const struct case_tok *t,
    const struct case_req **r)
{
	static const char *const labels[] = { "MUST", "SHLD", "MAY", "REC" };
	static const int top[] = { 69, 31, 18, 1 };
	char id[48], b[48];
	const char *s;
	size_t i, n;

	if (t->type != CASE_TK_WORD || t->n >= sizeof(id))
		return expected(p, "a requirement ID (MUST-n, SHLD-n, MAY-n, "
		    "RFCnnnn-section)");
	memcpy(id, t->p, t->n);
	id[t->n] = '\0';
	if ((*r = case_req_find(id)) != NULL)
		return 0;
	for (i = 0; i < 4; i++) {
		n = strlen(labels[i]);
		if (strncmp(id, labels[i], n) == 0 && id[n] == '-' &&
		    strspn(id + n + 1, "0123456789") == strlen(id + n + 1) &&
		    id[n + 1] != '\0')
			return err_at(p, t, "expected a known requirement ID, "
			    "found %s (RFC 9293 has %s-1 to %s-%d)",
			    tokdesc(t, b, sizeof(b)), labels[i], labels[i],
			    top[i]);
	}
	if ((s = case_req_suggest(id)) != NULL)
		return err_at(p, t, "expected a known requirement ID, found %s "
		    "(did you mean '%s'?)", tokdesc(t, b, sizeof(b)), s);
	return err_at(p, t, "expected a known requirement ID, found %s (see "
	    "tcpconform-case(5) for the list)", tokdesc(t, b, sizeof(b)));
}

static int
meta_needs(struct parser *p)
{
	struct case_prog *pr = p->prog;
	int k;

	if (at_end(p))
		return expected(p, "a need (agent, any-port, http, echo, "
		    "discard, banner, ipv4, ipv6, same-link)");
	while (!at_end(p)) {
		if (get_keyword(p, "a need (agent, any-port, http, echo, "
		    "discard, banner, ipv4, ipv6, same-link)", case_need_names,
		    &k) == -1)
			return -1;
		if (pr->needs & (1U << k)) {
			p->i--;
			return err_at(p, cur(p), "expected each need once, "
			    "found '%s' again", case_need_names[k]);
		}
		pr->needs |= 1U << k;
	}
	if ((pr->needs & CASE_NEED_IPV4) && (pr->needs & CASE_NEED_IPV6)) {
		p->i--;
		return err_at(p, cur(p), "expected at most one of 'ipv4' and "
		    "'ipv6', found both (a case that runs over both needs "
		    "neither)");
	}
	return 0;
}

/* Tags and fault names: lower-case letters, digits and '-'. */
static int
get_ident(struct parser *p, const char *what, char **out)
{
	const struct case_tok *t = cur(p);
	size_t i;

	if (t->type != CASE_TK_WORD)
		return expected(p, what);
	for (i = 0; i < t->n; i++)
		if (!islower((unsigned char)t->p[i]) &&
		    !isdigit((unsigned char)t->p[i]) && t->p[i] != '-')
			return expected(p, what);
	if ((*out = strndup(t->p, t->n)) == NULL)
		return nomem(p);
	adv(p);
	return 0;
}

/* Append s to a string array; on failure s is freed. */
static int
add_str(struct parser *p, char ***v, int *n, char *s)
{
	char **nv;
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0) {
			free(s);
			return err_at(p, &p->t[p->i - 1], "expected each name "
			    "once, found '%s' again", (*v)[i]);
		}
	if ((nv = reallocarray(*v, (size_t)*n + 1, sizeof(*nv))) == NULL) {
		free(s);
		return nomem(p);
	}
	*v = nv;
	(*v)[(*n)++] = s;
	return 0;
}

static int
meta_tags(struct parser *p)
{
	char *s;

	if (at_end(p))
		return expected(p, "a tag");
	while (!at_end(p))
		if (get_ident(p, "a tag (lower-case letters, digits, '-')",
		    &s) == -1 || add_str(p, &p->prog->tags, &p->prog->ntags,
		    s) == -1)
			return -1;
	return 0;
}

/* "fault NAME..." or "fault none REASON". */
static int
meta_fault(struct parser *p)
{
	struct case_prog *pr = p->prog;
	uint8_t *s;
	size_t n;
	char *f;

	if (is_word(cur(p), "none")) {
		adv(p);
		if (get_string(p, "a reason string after 'fault none'", 0, &s,
		    &n) == -1)
			return -1;
		pr->fault_none = (char *)s;
		return 0;
	}
	if (at_end(p))
		return expected(p, "a fault name or 'none'");
	while (!at_end(p)) {
		if (is_word(cur(p), "none"))
			return expected(p, "a fault name ('none' stands alone)");
		if (get_ident(p, "a fault name (lower-case letters, digits, "
		    "'-')", &f) == -1 || add_str(p, &pr->faults, &pr->nfaults,
		    f) == -1)
			return -1;
	}
	return 0;
}

static int
meta_severity(struct parser *p)
{
	int k;

	if (get_keyword(p, "'must', 'should' or 'may'", case_sev_names,
	    &k) == -1)
		return -1;
	p->prog->severity = (enum case_sev)k;
	p->prog->severity_given = 1;
	return 0;
}

/*
 * "linux VERDICT [or pass] [REASON]"; a verdict other than pass or info
 * needs one.  "or pass": Linux meets the rule on some paths (a timer that
 * follows the RTT), so a pass there is no surprise.
 */
static int
meta_linux(struct parser *p)
{
	struct case_prog *pr = p->prog;
	uint8_t *s;
	size_t n;
	int k;

	if (get_keyword(p, "a verdict (pass, fail, warn, info, "
	    "not-applicable)", case_verdict_names, &k) == -1)
		return -1;
	pr->linux_verdict = (enum case_verdict)k;
	if (!at_end(p) && is_word(cur(p), "or")) {
		if (k != CASE_V_FAIL && k != CASE_V_WARN)
			return err_at(p, cur(p), "'or pass' follows only fail "
			    "or warn");
		adv(p);
		if (!is_word(cur(p), "pass"))
			return expected(p, "'pass' after 'or'");
		adv(p);
		pr->linux_or_pass = 1;
	}
	if (at_end(p) && (k == CASE_V_PASS || k == CASE_V_INFO))
		return 0;
	if (get_string(p, "a reason string", 0, &s, &n) == -1)
		return -1;
	pr->linux_reason = (char *)s;
	return 0;
}

/*
 * "claim NAME": the case shows whether the target implements an optional
 * mechanism; its failures are info (start_body), so no "severity".
 */
static int
meta_claim(struct parser *p)
{
	const struct case_tok *t = cur(p);
	char *s;

	if (get_ident(p, "a claim name (rfc5961-rst, rfc5961-syn, "
	    "rfc5961-ack, linger-abort)", &s) == -1)
		return -1;
	if ((p->prog->claim = case_claim_find(s)) == NULL) {
		err_at(p, t, "expected a claim name (rfc5961-rst, rfc5961-syn, "
		    "rfc5961-ack, linger-abort), found '%s'", s);
		free(s);
		return -1;
	}
	free(s);
	return 0;
}

/* The first statement: metadata is complete, so severity is known. */
static void
start_body(struct parser *p)
{
	struct case_prog *pr = p->prog;
	int i;

	if (p->body)
		return;
	p->body = 1;
	p->first.line = cur(p)->line;
	p->first.col = cur(p)->col;
	if (pr->claim != NULL) {
		if (pr->severity_given)
			err_at(p, cur(p), "expected no 'severity' in a case with "
			    "a 'claim' (its failures are info)");
		pr->severity = CASE_SEV_MAY;
	} else if (!pr->severity_given) {
		pr->severity = pr->nreqs > 0 ? CASE_SEV_MAY : CASE_SEV_MUST;
		for (i = 0; i < pr->nreqs; i++)
			if (pr->reqs[i]->level < pr->severity)
				pr->severity = pr->reqs[i]->level;
	}
	p->sev = pr->severity;
}

/* What must be there once the whole file is read. */
static void
finish(struct parser *p)
{
	static const int need[] = { META_TITLE, META_CHECKS, META_FAULT };
	struct case_loc at = p->first;
	size_t i;

	if (!p->body) {
		at.line = p->lx.line;
		at.col = (int)(p->lx.pos - p->lx.linestart) + 1;
	}
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!(p->meta & (1U << need[i])))
			case_diag(&p->d, 0, at.line, at.col, "expected "
			    "metadata '%s' before the first statement, found "
			    "%s", meta_names[need[i]], p->body ?
			    "a statement" : "end of file");
	if (!p->body)
		case_diag(&p->d, 0, at.line, at.col, "expected at least one "
		    "statement, found end of file");
	start_body(p);
}

/*
 * A line with a lexical error is not parsed, but it still counts as the
 * metadata or the statement it starts with, so that finish() does not
 * follow an unterminated title with "missing title".
 */
static void
skipped_line(struct parser *p)
{
	int k;

	if (at_end(p))
		return;
	if ((k = lookup(cur(p), meta_names)) != -1 && !p->body)
		p->meta |= 1U << k;
	else
		start_body(p);
}

/*
 * A NUL byte means this is no text file: say so once instead of listing
 * stray bytes until the error limit.
 */
static int
binary(struct parser *p, const char *buf, size_t len)
{
	const char *nul = memchr(buf, 0, len), *q;
	int line = 1, col = 1;

	if (nul == NULL)
		return 0;
	for (q = buf; q < nul; q++, col++)
		if (*q == '\n') {
			line++;
			col = 0;
		}
	case_diag(&p->d, 0, line, col, "expected a text file, found a NUL "
	    "byte (is this a binary file?)");
	return -1;
}

/*
 * Entry points
 */

int
case_parse(const char *name, const char *buf, size_t len,
    struct case_prog **progp, char **msgs)
{
	struct parser p;
	struct case_prog *pr;
	char *path;

	*progp = NULL;
	memset(&p, 0, sizeof(p));
	case_diags_init(&p.d, name);
	pr = calloc(1, sizeof(*pr));
	path = strdup(name);
	if (pr == NULL || path == NULL ||
	    (pr->conns = calloc(1, sizeof(*pr->conns))) == NULL ||
	    (pr->conns[0] = strdup("")) == NULL) {
		free(path);
		case_free(pr);
		nomem(&p);
		*msgs = case_diags_finish(&p.d);
		return -1;
	}
	pr->path = path;
	pr->nconns = 1;
	p.d.file = pr->path;
	p.prog = pr;
	p.last_abs = -1;
	case_lex_init(&p.lx, buf, len, &p.d);
	if (binary(&p, buf, len) == -1)
		p.eof = p.binary = 1;
	while (!p.eof && !p.d.full && !p.oom && read_line(&p) == 0) {
		if (p.lx.bad)
			skipped_line(&p);
		else if (!at_end(&p))
			parse_line(&p);
	}
	if (!p.d.full && !p.oom && !p.binary)
		finish(&p);
	free(p.t);
	*msgs = case_diags_finish(&p.d);
	if (p.d.nerr > 0) {
		case_free(pr);
		return -1;
	}
	pr->about = head_comment(buf, len);
	*progp = pr;
	return 0;
}

/*
 * The comment block at the head of a case ('#' or '//' lines before the
 * first statement, blank lines before it skipped): the case's own words on
 * the rule it checks, for its report page and -v.  The markers and one
 * space after them are dropped; NULL when there is none (or no memory).
 */
static char *
head_comment(const char *buf, size_t len)
{
	size_t i = 0, n, k, m = 0;
	char *out;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	while (i < len) {
		n = i;
		while (n < len && buf[n] != '\n')
			n++;
		k = i;
		while (k < n && (buf[k] == ' ' || buf[k] == '\t'))
			k++;
		if (k == n && m == 0) {			/* leading blank line */
			i = n + 1;
			continue;
		}
		if (k < n && buf[k] == '#')
			k++;
		else if (k + 1 < n && buf[k] == '/' && buf[k + 1] == '/')
			k += 2;
		else
			break;
		if (k < n && buf[k] == ' ')
			k++;
		if (m > 0)
			out[m++] = '\n';
		memcpy(out + m, buf + k, n - k);
		m += n - k;
		if (m > 0 && out[m - 1] == '\r')
			m--;
		i = n + 1;
	}
	while (m > 0 && (out[m - 1] == '\n' || out[m - 1] == ' '))
		m--;
	if (m == 0) {
		free(out);
		return NULL;
	}
	out[m] = '\0';
	return out;
}

void
case_free(struct case_prog *pr)
{
	int i;

	if (pr == NULL)
		return;
	free(pr->about);
	for (i = 0; i < pr->nstmts; i++)
		case_stmt_clear(&pr->stmts[i]);
	free(pr->stmts);
	for (i = 0; i < pr->ntags; i++)
		free(pr->tags[i]);
	free(pr->tags);
	for (i = 0; i < pr->nfaults; i++)
		free(pr->faults[i]);
	free(pr->faults);
	for (i = 0; i < pr->nconns; i++)
		free(pr->conns[i]);
	free(pr->conns);
	free(pr->reqs);
	free(pr->fault_none);
	free(pr->linux_reason);
	free(pr->title);
	free(pr->path);
	free(pr->source);
	free(pr);
}

void
case_free_all(struct case_prog **progs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		case_free(progs[i]);
	free(progs);
}
