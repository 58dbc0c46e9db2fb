/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_matrix.c: a matrix file, written once, that stands for many cases:
 * the states a target can be driven into, the events that can reach it
 * there, and for each (state, event) cell what RFC 9293 says the answer
 * is.  tcpconform-case(5), MATRIX FILES, is the reference.
 *
 *	title "{event} in {state}"		header: metadata for every cell
 *	tags matrix
 *
 *	state ESTABLISHED snd=1 rcv=1		how to get there, and numbers
 *		needs agent			 that hold there
 *		agent listen
 *		connect
 *		agent accept = ok
 *
 *	event rst-exact "an RST at RCV.NXT"	what arrives
 *		< R {snd}:{snd}(0)
 *
 *	cell ESTABLISHED CLOSE-WAIT x rst-exact	what must follow
 *		checks RFC9293-3.10.7.4
 *		fault rst-ignored
 *		agent read eof = ECONNRESET
 *
 * Each cell becomes the text of an ordinary case: the metadata of header,
 * state, event and cell merged into one line of each kind, then the
 * state's statements, the event's and the cell's, with {name} replaced by
 * the state's numbers ({snd+100} adds), {state}, {event} and {what}.  That
 * text goes through case_parse(), so a cell is a case like any other (in
 * the catalogue, the report and the baselines), known by the id
 * <file without .matrix>/<state>/<event>.  A message about the generated
 * text names the matrix file's line and the cell.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

#define MX_NAME		48	/* longest state or event name */
#define MX_VARS		16	/* numbers of one state */

enum mx_kind { MX_HEADER, MX_STATE, MX_EVENT, MX_CELL };

struct mx_line {
	const char	*p;		/* into the file's buffer */
	size_t		 n;
	int		 line;		/* 1-based, in the matrix file */
	int		 col;		/* of p */
};

struct mx_block {
	enum mx_kind	 kind;
	int		 line;
	char		 name[MX_NAME];		/* state or event */
	char		*what;			/* an event's description */
	int		 nvars;
	char		 var[MX_VARS][MX_NAME];
	long		 val[MX_VARS];
	char		**states, **events;	/* a cell's */
	int		 nstates, nevents;
	struct mx_line	*lines;
	int		 nlines;
};

struct mx {
	const char	*path;
	FILE		*err;		/* messages */
	int		 nerr;
	struct mx_block	*b;
	int		 nb;
};

/* Where the generated text of a cell came from, line by line. */
struct mx_out {
	char		*text;
	size_t		 len;
	FILE		*f;
	int		*src;		/* src[i]: matrix line of line i+1 */
	int		*col;		/* col[i]: its column 1 in the matrix */
	int		 nsrc;
};

static const char *const mx_meta[] = {
	"title", "checks", "needs", "tags", "fault", "severity", "linux",
	"claim", NULL
};
/* Metadata that takes a list: merged into one line. */
#define MX_LIST(k)	((k) >= 1 && (k) <= 4)
#define MX_NMETA	8

static void	mx_error(struct mx *, int, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static int	mx_word(const char **, const char *, char *, size_t);
static int	mx_read(struct mx *, const char *, size_t);
static int	mx_header(struct mx *, struct mx_block *, const char *,
		    const char *, int);
static struct mx_block *mx_find(struct mx *, enum mx_kind, const char *);
static int	mx_meta_kind(const struct mx_line *);
static int	mx_subst(struct mx *, const struct mx_block *,
		    const struct mx_block *, const struct mx_line *, FILE *);
static void	mx_emit(struct mx_out *, const char *, size_t, int, int);
static void	mx_remap(struct mx *, const char *, const struct mx_out *,
		    const char *, const char *);
static int	valid_name(const char *, int);
static int	add_name(char ***, int *, const char *);
static char	*cell_path(const char *, const char *, const char *);
static int	mx_cell(struct mx *, const struct mx_block *,
		    const struct mx_block *, const struct mx_block *,
		    const char *, struct case_prog **);
static void	mx_free(struct mx *);

static void
mx_error(struct mx *m, int line, int col, const char *fmt, ...)
{
	va_list ap;

	fprintf(m->err, "%s:%d:%d: error: ", m->path, line, col);
	va_start(ap, fmt);
	vfprintf(m->err, fmt, ap);
	va_end(ap);
	fputc('\n', m->err);
	m->nerr++;
}

/* The next blank-separated word of *s (at most cap - 1 bytes); 0 if none. */
static int
mx_word(const char **s, const char *end, char *buf, size_t cap)
{
	const char *p = *s;
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return 0;
	while (p < end && *p != ' ' && *p != '\t') {
		if (n + 1 < cap)
			buf[n++] = *p;
		p++;
	}
	buf[n] = '\0';
	*s = p;
	return 1;
}

static int
valid_name(const char *s, int upper)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!(upper ? isupper((unsigned char)*s) :
		    islower((unsigned char)*s)) &&
		    !isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

static int
add_name(char ***v, int *n, const char *s)
{
	char **nv;

	if ((nv = reallocarray(*v, (size_t)*n + 1, sizeof(*nv))) == NULL)
		return -1;
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

/* The words after "state", "event" or "cell" on a block's first line. */
static int
mx_header(struct mx *m, struct mx_block *b, const char *p, const char *end,
    int line)
{
	char w[MX_NAME + 32], *eq, *e;
	const char *q;
	int after_x = 0;
	long v;

	switch (b->kind) {
	case MX_STATE:
		if (!mx_word(&p, end, w, sizeof(w)) || !valid_name(w, 1) ||
		    strlen(w) >= MX_NAME) {
			mx_error(m, line, 7, "expected a state name (upper-case "
			    "letters, digits, '-'), as in 'state ESTABLISHED'");
			return -1;
		}
		strcpy(b->name, w);
		while (mx_word(&p, end, w, sizeof(w))) {
			eq = strchr(w, '=');
			if (eq == NULL || eq == w || eq - w >= MX_NAME ||
			    b->nvars == MX_VARS) {
				mx_error(m, line, 1, "expected NAME=NUMBER after "
				    "the state's name, found '%s'", w);
				return -1;
			}
			*eq = '\0';
			v = strtol(eq + 1, &e, 10);
			if (eq[1] == '\0' || *e != '\0' || !valid_name(w, 0)) {
				mx_error(m, line, 1, "expected NAME=NUMBER "
				    "(lower-case name), found '%s=%s'", w,
				    eq + 1);
				return -1;
			}
			strcpy(b->var[b->nvars], w);
			b->val[b->nvars++] = v;
		}
		return 0;
	case MX_EVENT:
		if (!mx_word(&p, end, w, sizeof(w)) || !valid_name(w, 0) ||
		    strlen(w) >= MX_NAME) {
			mx_error(m, line, 7, "expected an event name (lower-case "
			    "letters, digits, '-'), as in 'event rst-exact'");
			return -1;
		}
		strcpy(b->name, w);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end) {
			if (*p != '"' || (q = memchr(p + 1, '"',
			    (size_t)(end - p - 1))) == NULL || q + 1 != end) {
				mx_error(m, line, 1, "expected a quoted "
				    "description after the event's name");
				return -1;
			}
			if ((b->what = strndup(p + 1, (size_t)(q - p - 1))) ==
			    NULL)
				return -1;
		}
		return 0;
	case MX_CELL:
		while (mx_word(&p, end, w, sizeof(w))) {
			if (strcmp(w, "x") == 0 && !after_x) {
				after_x = 1;
				continue;
			}
			if (strcmp(w, "*") != 0 && !valid_name(w, !after_x)) {
				mx_error(m, line, 1, "expected %s, found '%s'",
				    after_x ? "an event name" : "a state name "
				    "or 'x'", w);
				return -1;
			}
			if (add_name(after_x ? &b->events : &b->states,
			    after_x ? &b->nevents : &b->nstates, w) == -1)
				return -1;
		}
		if (b->nstates == 0 || b->nevents == 0) {
			mx_error(m, line, 1, "expected 'cell STATE... x "
			    "EVENT...'");
			return -1;
		}
		return 0;
	case MX_HEADER:
		break;
	}
	return 0;
}

/* Split the file into blocks of lines. */
static int
mx_read(struct mx *m, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *eol, *s;
	struct mx_block *b, *nb;
	struct mx_line *nl;
	char w[16];
	int line = 0, indented;

	if ((m->b = calloc(1, sizeof(*m->b))) == NULL)
		return -1;
	m->nb = 1;		/* block 0: the header */
	for (; p < end; p = eol + (eol < end)) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		indented = *p == ' ' || *p == '\t';
		for (s = p; s < eol && (*s == ' ' || *s == '\t'); s++)
			;
		if (s == eol || *s == '#')
			continue;
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL) {
			mx_error(m, line, 1, "expected text, found a NUL byte");
			return -1;
		}
		b = &m->b[m->nb - 1];
		if (!indented) {
			s = p;
			mx_word(&s, eol, w, sizeof(w));
			if (strcmp(w, "state") == 0 || strcmp(w, "event") ==
			    0 || strcmp(w, "cell") == 0) {
				nb = reallocarray(m->b, (size_t)m->nb + 1,
				    sizeof(*nb));
				if (nb == NULL)
					return -1;
				m->b = nb;
				b = &m->b[m->nb++];
				memset(b, 0, sizeof(*b));
				b->kind = w[0] == 's' ? MX_STATE : w[0] == 'e' ?
				    MX_EVENT : MX_CELL;
				b->line = line;
				if (mx_header(m, b, s, eol, line) == -1)
					return -1;
				continue;
			}
			if (m->nb > 1) {
				mx_error(m, line, 1, "expected 'state', 'event' "
				    "or 'cell', or an indented line of the "
				    "block above, found '%s'", w);
				continue;
			}
		} else if (m->nb == 1) {
			mx_error(m, line, 1, "expected a header line at the left "
			    "margin (an indented line belongs to a state, "
			    "event or cell)");
			continue;
		}
		nl = reallocarray(b->lines, (size_t)b->nlines + 1,
		    sizeof(*nl));
		if (nl == NULL)
			return -1;
		b->lines = nl;
		nl = &b->lines[b->nlines++];
		for (s = p; s < eol && (*s == ' ' || *s == '\t'); s++)
			;
		nl->p = s;
		nl->n = (size_t)(eol - s);
		if (nl->n > 0 && s[nl->n - 1] == '\r')
			nl->n--;
		nl->line = line;
		nl->col = (int)(s - p) + 1;
	}
	return 0;
}

static struct mx_block *
mx_find(struct mx *m, enum mx_kind k, const char *name)
{
	int i;

	for (i = 1; i < m->nb; i++)
		if (m->b[i].kind == k && strcmp(m->b[i].name, name) == 0)
			return &m->b[i];
	return NULL;
}

/* Which metadata a line is (index into mx_meta), or -1 for a statement. */
static int
mx_meta_kind(const struct mx_line *l)
{
	size_t n;
	int k;

	for (k = 0; mx_meta[k] != NULL; k++) {
		n = strlen(mx_meta[k]);
		if (l->n >= n && memcmp(l->p, mx_meta[k], n) == 0 &&
		    (l->n == n || l->p[n] == ' ' || l->p[n] == '\t'))
			return k;
	}
	return -1;
}

/* Write l to f with every {name} or {name+N} / {name-N} replaced. */
static int
mx_subst(struct mx *m, const struct mx_block *st, const struct mx_block *ev,
    const struct mx_line *l, FILE *f)
{
	const char *p = l->p, *end = l->p + l->n, *c, *op;
	char name[MX_NAME], *e;
	long v, d;
	int i, found;

	while (p < end) {
		if (*p != '{') {
			fputc(*p++, f);
			continue;
		}
		if ((c = memchr(p, '}', (size_t)(end - p))) == NULL) {
			mx_error(m, l->line, l->col + (int)(p - l->p),
			    "expected '}' to close '{'");
			return -1;
		}
		for (op = p + 1; op < c && *op != '+' && *op != '-'; op++)
			;
		if (op - p - 1 <= 0 || op - p - 1 >= MX_NAME) {
			mx_error(m, l->line, l->col + (int)(p - l->p),
			    "expected a name inside '{}'");
			return -1;
		}
		memcpy(name, p + 1, (size_t)(op - p - 1));
		name[op - p - 1] = '\0';
		d = 0;
		if (op < c) {
			d = strtol(op + 1, &e, 10);
			if (e != c || op + 1 == c) {
				mx_error(m, l->line, l->col + (int)(op - l->p),
				    "expected a number after '%c'", *op);
				return -1;
			}
			if (*op == '-')
				d = -d;
		}
		if (op == c && strcmp(name, "state") == 0)
			fputs(st->name, f);
		else if (op == c && strcmp(name, "event") == 0)
			fputs(ev->name, f);
		else if (op == c && strcmp(name, "what") == 0)
			fputs(ev->what != NULL ? ev->what : ev->name, f);
		else {
			for (found = 0, i = 0; i < st->nvars && !found; i++)
				if (strcmp(st->var[i], name) == 0) {
					found = 1;
					v = st->val[i] + d;
					/* The case language's -n: 2^32 - n. */
					fprintf(f, "%ld", v);
				}
			if (!found) {
				mx_error(m, l->line, l->col + (int)(p - l->p),
				    "expected a number of state %s, found "
				    "'{%s}' (it has none of that name)",
				    st->name, name);
				return -1;
			}
		}
		p = c + 1;
	}
	return 0;
}

static void
mx_emit(struct mx_out *o, const char *s, size_t n, int src, int col)
{
	int *ns, *nc;

	fwrite(s, 1, n, o->f);
	fputc('\n', o->f);
	ns = reallocarray(o->src, (size_t)o->nsrc + 1, sizeof(*ns));
	if (ns != NULL)
		o->src = ns;
	nc = reallocarray(o->col, (size_t)o->nsrc + 1, sizeof(*nc));
	if (nc != NULL)
		o->col = nc;
	if (ns != NULL && nc != NULL) {
		o->src[o->nsrc] = src;
		o->col[o->nsrc++] = col;
	}
}

/*
 * Rewrite the parser's "PATH:LINE:COL: ..." lines so that LINE is the
 * matrix file's, and name the cell.
 */
static void
mx_remap(struct mx *m, const char *vpath, const struct mx_out *o,
    const char *msgs, const char *cell)
{
	const char *p = msgs, *eol, *rest;
	size_t pl = strlen(vpath);
	long line, col;
	char *e, *e2;

	for (; *p != '\0'; p = eol + (*eol != '\0')) {
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		if (strncmp(p, vpath, pl) == 0 && p[pl] == ':' &&
		    (line = strtol(p + pl + 1, &e, 10)) > 0 && *e == ':') {
			rest = e;
			col = strtol(e + 1, &e2, 10);
			if (e2 != e + 1 && *e2 == ':')
				rest = e2;
			else
				col = 1;
			if (line <= o->nsrc) {
				col += o->col[line - 1] - 1;
				line = o->src[line - 1];
			}
			fprintf(m->err, "%s:%ld:%ld%.*s (cell %s)\n", m->path,
			    line, col, (int)(eol - rest), rest, cell);
		} else
			fprintf(m->err, "%.*s (cell %s)\n", (int)(eol - p), p,
			    cell);
		if (strstr(p, ": error: ") != NULL && strstr(p, ": error: ") <
		    eol)
			m->nerr++;
	}
}

/* The case of one cell; -1 (with messages) when it does not parse. */
static int
mx_cell(struct mx *m, const struct mx_block *st, const struct mx_block *ev,
    const struct mx_block *cl, const char *vpath, struct case_prog **prog)
{
	const struct mx_block *src[4] = { &m->b[0], st, ev, cl };
	struct mx_out o = { NULL, 0, NULL, NULL, NULL, 0 };
	char *meta[MX_NMETA] = { NULL }, *msgs = NULL, cell[2 * MX_NAME + 4];
	size_t mlen[MX_NMETA] = { 0 };
	int mline[MX_NMETA] = { 0 }, mcol[MX_NMETA] = { 0 };
	FILE *mf[MX_NMETA] = { NULL };
	const struct mx_line *l;
	int i, j, k, rc = -1, nstate = 0, from = -1;

	*prog = NULL;
	snprintf(cell, sizeof(cell), "%s x %s", st->name, ev->name);
	if ((o.f = open_memstream(&o.text, &o.len)) == NULL)
		return -1;
	/* Metadata, merged: lists joined, the rest from the last block. */
	for (i = 0; i < 4; i++)
		for (j = 0; j < src[i]->nlines; j++) {
			l = &src[i]->lines[j];
			if ((k = mx_meta_kind(l)) == -1)
				continue;
			if (mf[k] != NULL && !MX_LIST(k)) {
				fclose(mf[k]);
				free(meta[k]);
				mf[k] = NULL;
			}
			if (mf[k] == NULL) {
				if ((mf[k] = open_memstream(&meta[k],
				    &mlen[k])) == NULL)
					goto out;
				fputs(mx_meta[k], mf[k]);
				mline[k] = l->line;
				/* One line's value: its column; a merged
				 * list counts from the first. */
				mcol[k] = l->col;
			}
			fputc(' ', mf[k]);
			{
				struct mx_line rest = *l;

				rest.p += strlen(mx_meta[k]);
				rest.n -= strlen(mx_meta[k]);
				while (rest.n > 0 && (*rest.p == ' ' ||
				    *rest.p == '\t')) {
					rest.p++;
					rest.n--;
				}
				if (mx_subst(m, st, ev, &rest, mf[k]) == -1)
					goto out;
			}
		}
	for (k = 0; k < MX_NMETA; k++)
		if (mf[k] != NULL) {
			fclose(mf[k]);
			mf[k] = NULL;
			mx_emit(&o, meta[k], mlen[k], mline[k], mcol[k]);
		}
	/* Statements: the state's, the event's, the cell's. */
	for (i = 1; i < 4; i++) {
		if (i == 2)
			nstate = o.nsrc;	/* the state's lines end here */
		for (j = 0; j < src[i]->nlines; j++) {
			char *s = NULL;
			size_t n = 0;
			FILE *sf;

			l = &src[i]->lines[j];
			if (mx_meta_kind(l) != -1)
				continue;
			if ((sf = open_memstream(&s, &n)) == NULL)
				goto out;
			k = mx_subst(m, st, ev, l, sf);
			fclose(sf);
			if (k == 0)
				mx_emit(&o, s, n, l->line, l->col);
			free(s);
			if (k == -1)
				goto out;
		}
	}
	if (fclose(o.f) != 0) {
		o.f = NULL;
		goto out;
	}
	o.f = NULL;
	rc = case_parse(vpath, o.text, o.len, prog, &msgs);
	if (msgs != NULL)
		mx_remap(m, vpath, &o, msgs, cell);
	/* Statements name the matrix file and its lines, not the text. */
	if (rc == 0 && ((*prog)->source = strdup(m->path)) == NULL)
		rc = -1;
	for (j = 0; rc == 0 && j < (*prog)->nstmts; j++) {
		struct case_loc *lc = &(*prog)->stmts[j].loc;

		/* A claim's answer is the event's, not the state's. */
		if (from < 0 && lc->line > nstate)
			from = j;
		lc->file = (*prog)->source;
		if (lc->line >= 1 && lc->line <= o.nsrc) {
			lc->col += o.col[lc->line - 1] - 1;
			lc->line = o.src[lc->line - 1];
		}
	}
	if (rc == 0 && from > 0)
		(*prog)->claim_from = from;
out:
	for (k = 0; k < MX_NMETA; k++) {
		if (mf[k] != NULL)
			fclose(mf[k]);
		free(meta[k]);
	}
	if (o.f != NULL)
		fclose(o.f);
	free(o.text);
	free(o.src);
	free(o.col);
	free(msgs);
	return rc;
}

static void
mx_free(struct mx *m)
{
	int i, j;

	for (i = 0; i < m->nb; i++) {
		free(m->b[i].lines);
		free(m->b[i].what);
		for (j = 0; j < m->b[i].nstates; j++)
			free(m->b[i].states[j]);
		for (j = 0; j < m->b[i].nevents; j++)
			free(m->b[i].events[j]);
		free(m->b[i].states);
		free(m->b[i].events);
	}
	free(m->b);
}

/* "dir/x.matrix", "ESTABLISHED", "rst-exact": "dir/x/established/rst-exact.case" */
static char *
cell_path(const char *path, const char *state, const char *event)
{
	size_t n = strlen(path);
	char *s, *q;

	if (n > 7 && strcmp(path + n - 7, ".matrix") == 0)
		n -= 7;
	if (asprintf(&s, "%.*s/%s/%s.case", (int)n, path, state, event) < 0)
		return NULL;
	for (q = s + n + 1; *q != '/'; q++)
		*q = (char)tolower((unsigned char)*q);
	return s;
}

int
case_matrix_parse(const char *path, const char *buf, size_t len,
    struct case_prog ***progs, size_t *nprogs, char **msgs)
{
	struct mx m = { path, NULL, 0, NULL, 0 };
	struct case_prog *p, **nv;
	const struct mx_block *cl, *st, *ev;
	char *text = NULL, *cp;
	size_t tlen = 0;
	int i, s, e, nst, nev, j, dup;
	size_t k;

	*progs = NULL;
	*nprogs = 0;
	*msgs = NULL;
	if ((m.err = open_memstream(&text, &tlen)) == NULL)
		return -1;
	if (mx_read(&m, buf, len) == -1 && m.nerr == 0)
		mx_error(&m, 1, 1, "out of memory");
	for (i = 1; i < m.nb && m.nerr == 0; i++) {
		if (m.b[i].kind == MX_STATE || m.b[i].kind == MX_EVENT) {
			for (j = 1; j < i; j++)
				if (m.b[j].kind == m.b[i].kind &&
				    strcmp(m.b[j].name, m.b[i].name) == 0)
					mx_error(&m, m.b[i].line, 1, "expected "
					    "each %s once, found '%s' again "
					    "(line %d)", m.b[i].kind == MX_STATE
					    ? "state" : "event", m.b[i].name,
					    m.b[j].line);
			continue;
		}
		cl = &m.b[i];
		for (s = 0; s < cl->nstates; s++)
			if (strcmp(cl->states[s], "*") != 0 &&
			    mx_find(&m, MX_STATE, cl->states[s]) == NULL)
				mx_error(&m, cl->line, 1, "expected a state "
				    "defined above, found '%s'", cl->states[s]);
		for (e = 0; e < cl->nevents; e++)
			if (strcmp(cl->events[e], "*") != 0 &&
			    mx_find(&m, MX_EVENT, cl->events[e]) == NULL)
				mx_error(&m, cl->line, 1, "expected an event "
				    "defined above, found '%s'", cl->events[e]);
	}
	/* Every (state, event) of every cell, in the order of the file. */
	for (i = 1; i < m.nb && m.nerr == 0; i++) {
		if ((cl = &m.b[i])->kind != MX_CELL)
			continue;
		nst = nev = 0;
		for (s = 1; s < m.nb; s++) {
			if (m.b[s].kind != MX_STATE)
				continue;
			for (j = 0; j < cl->nstates; j++)
				if (strcmp(cl->states[j], "*") == 0 ||
				    strcmp(cl->states[j], m.b[s].name) == 0)
					break;
			if (j == cl->nstates)
				continue;
			st = &m.b[s];
			nst++;
			for (e = 1; e < m.nb; e++) {
				if (m.b[e].kind != MX_EVENT)
					continue;
				for (j = 0; j < cl->nevents; j++)
					if (strcmp(cl->events[j], "*") == 0 ||
					    strcmp(cl->events[j],
					    m.b[e].name) == 0)
						break;
				if (j == cl->nevents)
					continue;
				ev = &m.b[e];
				nev++;
				if ((cp = cell_path(path, st->name,
				    ev->name)) == NULL) {
					mx_error(&m, cl->line, 1, "out of memory");
					break;
				}
				for (dup = 0, k = 0; k < *nprogs; k++)
					if (strcmp((*progs)[k]->path, cp) == 0)
						dup = 1;
				if (dup) {
					mx_error(&m, cl->line, 1, "expected each "
					    "cell once, found %s x %s again",
					    st->name, ev->name);
					free(cp);
					continue;
				}
				if (mx_cell(&m, st, ev, cl, cp, &p) == -1) {
					free(cp);
					case_free(p);
					if (m.nerr == 0)
						mx_error(&m, cl->line, 1,
						    "out of memory");
					continue;
				}
				free(cp);
				nv = reallocarray(*progs, *nprogs + 1,
				    sizeof(*nv));
				if (nv == NULL) {
					case_free(p);
					mx_error(&m, cl->line, 1, "out of memory");
					break;
				}
				*progs = nv;
				(*progs)[(*nprogs)++] = p;
			}
		}
		(void)nst;
		(void)nev;
	}
	if (m.nerr == 0 && *nprogs == 0)
		mx_error(&m, 1, 1, "expected at least one 'cell' line");
	mx_free(&m);
	fclose(m.err);
	if (tlen > 0)
		*msgs = text;
	else
		free(text);
	if (m.nerr > 0) {
		case_free_all(*progs, *nprogs);
		*progs = NULL;
		*nprogs = 0;
		return -1;
	}
	return 0;
}
