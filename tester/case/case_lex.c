/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_lex.c: the lexer of the case language, and the diagnostics list.
 *
 * The language is line-oriented, so the lexer hands out end-of-line tokens
 * and the parser works one line at a time.  Input is untrusted bytes (the
 * fuzz target feeds it anything): every read is bounded by the buffer's
 * length, NUL bytes are ordinary stray bytes, and an error never stops the
 * lexer, which skips what it could not read and carries on.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "case_lex.h"
#include "hex.h"

static int	is_alpha(int);
static int	is_digit(int);
static int	is_hex(int);
static int	peekc(const struct case_lexer *, size_t);
static int	lex_one(struct case_lexer *, struct case_tok *, int *);
static int	col_of(const struct case_lexer *, size_t);
static void	lex_error(struct case_lexer *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	lex_word(struct case_lexer *, struct case_tok *);
static void	lex_number(struct case_lexer *, struct case_tok *);
static int	lex_string(struct case_lexer *, struct case_tok *);
static size_t	lex_escape(struct case_lexer *, size_t);
static void	lex_stray(struct case_lexer *);

static const char punct_chars[] = "<>:(),~+-*!@=|";

void
case_diags_init(struct case_diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
	d->f = open_memstream(&d->text, &d->len);
}

void
case_diag(struct case_diags *d, int warn, int line, int col, const char *fmt,
    ...)
{
	va_list ap;

	if (d->full)
		return;
	if (!warn && d->nerr >= CASE_ERRORS_MAX) {
		if (d->f != NULL)
			fprintf(d->f, "%s:%d:%d: error: too many errors, "
			    "stopping\n", d->file, line, col);
		d->full = 1;
		return;
	}
	if (warn)
		d->nwarn++;
	else
		d->nerr++;
	/* Warnings do not stop parsing, so cap them to bound the output. */
	if (d->f == NULL || (warn && d->nwarn > CASE_ERRORS_MAX))
		return;
	fprintf(d->f, "%s:%d:%d: %s: ", d->file, line, col,
	    warn ? "warning" : "error");
	va_start(ap, fmt);
	vfprintf(d->f, fmt, ap);
	va_end(ap);
	fputc('\n', d->f);
}

char *
case_diags_finish(struct case_diags *d)
{
	char *s;

	if (d->f == NULL)
		return NULL;
	fclose(d->f);
	d->f = NULL;
	s = d->text;
	d->text = NULL;
	if (s != NULL && d->len == 0) {
		free(s);
		s = NULL;
	}
	return s;
}

void
case_lex_init(struct case_lexer *lx, const char *buf, size_t len,
    struct case_diags *d)
{
	memset(lx, 0, sizeof(*lx));
	lx->buf = buf;
	lx->len = len;
	lx->line = 1;
	lx->d = d;
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The byte at pos + off, or -1 past the end: the only way bytes are read. */
static int
peekc(const struct case_lexer *lx, size_t off)
{
	if (lx->pos + off >= lx->len)
		return -1;
	return (unsigned char)lx->buf[lx->pos + off];
}

static int
col_of(const struct case_lexer *lx, size_t pos)
{
	return (int)(pos - lx->linestart) + 1;
}

static void
lex_error(struct case_lexer *lx, size_t pos, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	case_diag(lx->d, 0, lx->line, col_of(lx, pos), "%s", msg);
	lx->bad = 1;
}

void
case_lex_next(struct case_lexer *lx, struct case_tok *t)
{
	int spc;

	spc = lx->pos == lx->linestart;
	while (lex_one(lx, t, &spc) == -1)
		continue;	/* a malformed string was skipped: read on */
}

/* One token, or -1 when what was there had to be skipped. */
static int
lex_one(struct case_lexer *lx, struct case_tok *t, int *spc)
{
	int c;

	for (;;) {
		c = peekc(lx, 0);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			lx->pos++;
			*spc = 1;
		} else if (c == '#' || (c == '/' && peekc(lx, 1) == '/')) {
			while ((c = peekc(lx, 0)) != -1 && c != '\n')
				lx->pos++;
		} else if (c == -1 || c == '\n' || c == '"' || c == '.' ||
		    is_alpha(c) || is_digit(c) || strchr(punct_chars, c) != NULL)
			break;
		else {
			lex_stray(lx);
			*spc = 1;
		}
	}
	memset(t, 0, sizeof(*t));
	t->line = lx->line;
	t->col = col_of(lx, lx->pos);
	t->spc = *spc;
	t->p = lx->buf + lx->pos;
	t->n = 1;
	if (c == -1) {
		t->type = CASE_TK_EOF;
		t->n = 0;
	} else if (c == '\n') {
		t->type = CASE_TK_EOL;
		lx->pos++;
		lx->line++;
		lx->linestart = lx->pos;
	} else if (is_alpha(c))
		lex_word(lx, t);
	else if (is_digit(c) || (c == '.' && is_digit(peekc(lx, 1))))
		lex_number(lx, t);
	else if (c == '"') {
		*spc = 1;
		return lex_string(lx, t);
	} else if (c == '.' && peekc(lx, 1) == '.' && peekc(lx, 2) == '.') {
		t->type = CASE_TK_ELLIPSIS;
		t->n = 3;
		lx->pos += 3;
	} else {
		t->type = CASE_TK_PUNCT;
		lx->pos++;
	}
	return 0;
}

static void
lex_word(struct case_lexer *lx, struct case_tok *t)
{
	size_t n = 0;
	int c;

	while ((c = peekc(lx, n)) != -1 && (is_alpha(c) || is_digit(c) ||
	    c == '-' || c == '.'))
		n++;
	t->type = CASE_TK_WORD;
	t->n = n;
	lx->pos += n;
}

static void
lex_number(struct case_lexer *lx, struct case_tok *t)
{
	size_t n = 0;

	if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'x' || peekc(lx, 1) == 'X')
	    && is_hex(peekc(lx, 2))) {
		n = 2;
		while (is_hex(peekc(lx, n)))
			n++;
		t->type = CASE_TK_HEX;
	} else {
		while (is_digit(peekc(lx, n)))
			n++;
		if (peekc(lx, n) == '.' && peekc(lx, n + 1) != '.') {
			n++;
			while (is_digit(peekc(lx, n)))
				n++;
		}
		t->type = CASE_TK_NUM;
	}
	t->n = n;
	lx->pos += n;
}

/*
 * A string runs to the next unescaped '"' on the same line.  Returns -1
 * (after reporting) when it is malformed; the lexer has then skipped it.
 */
static int
lex_string(struct case_lexer *lx, struct case_tok *t)
{
	size_t start = lx->pos, n = 1, k;
	int c, bad = 0;

	for (;;) {
		c = peekc(lx, n);
		if (c == -1 || c == '\n') {
			lex_error(lx, start, "expected '\"' to end the string, "
			    "found end of %s", c == -1 ? "file" : "line");
			lx->pos += n;
			return -1;
		}
		if (c == '"')
			break;
		if (c == '\\') {
			if ((k = lex_escape(lx, n)) == 0) {
				bad = 1;
				c = peekc(lx, n + 1);
				k = c == -1 || c == '\n' ? 1 : 2;
			}
			n += k;
			continue;
		}
		if (c < 0x20 && c != '\t') {
			lex_error(lx, start + n, "control byte 0x%02x in a "
			    "string (write it as \\x%02x)", c, c);
			bad = 1;
		} else if (c == 0x7f) {
			lex_error(lx, start + n, "control byte 0x7f in a string "
			    "(write it as \\x7f)");
			bad = 1;
		}
		n++;
	}
	n++;
	lx->pos += n;
	if (bad)
		return -1;
	t->type = CASE_TK_STR;
	t->n = n;
	return 0;
}

/* Length of the escape at pos + off, or 0 (reported) when it is invalid. */
static size_t
lex_escape(struct case_lexer *lx, size_t off)
{
	int c = peekc(lx, off + 1);

	if (c != -1 && strchr("\\\"nrt0", c) != NULL)
		return 2;
	if (c == 'x' && is_hex(peekc(lx, off + 2)) &&
	    is_hex(peekc(lx, off + 3)))
		return 4;
	if (c == -1 || c == '\n')
		return 0;	/* the caller reports the missing '"' */
	if (c == 'x')
		lex_error(lx, lx->pos + off, "expected two hex digits after "
		    "'\\x' in a string");
	else if (c > 0x20 && c < 0x7f)
		lex_error(lx, lx->pos + off, "unknown escape '\\%c' in a "
		    "string (known: \\\\ \\\" \\n \\r \\t \\0 \\xHH)", c);
	else
		lex_error(lx, lx->pos + off, "unknown escape in a string "
		    "(known: \\\\ \\\" \\n \\r \\t \\0 \\xHH)");
	return 0;
}

/* Report a run of bytes the language has no use for, and skip it. */
static void
lex_stray(struct case_lexer *lx)
{
	int c = peekc(lx, 0);

	if (c > 0x20 && c < 0x7f)
		lex_error(lx, lx->pos, "stray character '%c'", c);
	else
		lex_error(lx, lx->pos, "stray byte 0x%02x", c);
	lx->pos++;
	/* One message for a run of binary bytes, not one per byte. */
	while ((c = peekc(lx, 0)) != -1 && (c >= 0x80 || (c < 0x20 &&
	    c != '\n' && c != '\t' && c != '\r')))
		lx->pos++;
}

/*
 * Optimal string alignment distance, ignoring case, between a[0..n) and
 * b: edits, with a swap of neighbours counting as one.  Long words are not
 * compared (the answer would be "far" anyway).
 */
int
case_distance(const char *a, size_t n, const char *b)
{
	int d[33][33], i, j, m = (int)strlen(b), c, v;

	if (n > 32 || m > 32)
		return 99;
	for (i = 0; i <= (int)n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= (int)n; i++)
		for (j = 1; j <= m; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			v = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

uint8_t *
case_str_decode(const struct case_tok *t, size_t *n)
{
	uint8_t *out;
	size_t i, k = 0;
	int c;

	if ((out = malloc(t->n)) == NULL)
		return NULL;
	for (i = 1; i + 1 < t->n; i++) {
		c = (unsigned char)t->p[i];
		if (c != '\\') {
			out[k++] = (uint8_t)c;
			continue;
		}
		c = (unsigned char)t->p[++i];
		switch (c) {
		case 'n':
			out[k++] = '\n';
			break;
		case 'r':
			out[k++] = '\r';
			break;
		case 't':
			out[k++] = '\t';
			break;
		case '0':
			out[k++] = 0;
			break;
		case 'x':
			/* The lexer let only two hex digits follow. */
			out[k++] = (uint8_t)(hex_val(t->p[i + 1]) << 4 |
			    hex_val(t->p[i + 2]));
			i += 2;
			break;
		default:	/* \\ and \" */
			out[k++] = (uint8_t)c;
			break;
		}
	}
	out[k] = 0;
	*n = k;
	return out;
}
