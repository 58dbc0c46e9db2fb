/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * json.c: the JSON writer (always valid UTF-8 out, whatever bytes come in)
 * and a recursive-descent reader that treats its input as hostile.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "json.h"
#include "hex.h"

struct parser {
	const char	*start;
	const char	*p;
	const char	*end;
	int		 depth;
	size_t		 nvalues;
	char		*err;
};

static void	 w_sep(struct json_writer *, const char *);
static void	 w_open(struct json_writer *, const char *, int);
static void	 w_close(struct json_writer *, int);
static void	 put_utf8(char *, size_t *, uint32_t);
static int	 perr(struct parser *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 skip_ws(struct parser *);
static int	 parse_value(struct parser *, struct json_value *);
static int	 parse_literal(struct parser *, struct json_value *);
static int	 parse_number(struct parser *, struct json_value *);
static int	 parse_hex4(struct parser *, uint32_t *);
static int	 parse_escape(struct parser *, char *, size_t *);
static int	 parse_string(struct parser *, char **, size_t *);
static int	 parse_array(struct parser *, struct json_value *);
static int	 parse_object(struct parser *, struct json_value *);
static void	 value_clear(struct json_value *);
static int	 grow(struct parser *, void **, size_t *, size_t, size_t);

/* ---- writer ---- */

void
json_writer_init(struct json_writer *w, FILE *f, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
}

int
json_writer_error(const struct json_writer *w)
{
	return w->overflow || ferror(w->f);
}

/* The comma, the newline and indent, and the key before every value. */
static void
w_sep(struct json_writer *w, const char *key)
{
	int i, pretty = w->pretty && w->flat == 0;

	if (w->depth > 0 && w->depth <= JSON_MAX_DEPTH) {
		if (w->count[w->depth - 1]++ > 0)
			fputc(',', w->f);
		if (pretty) {
			fputc('\n', w->f);
			for (i = 0; i < w->depth; i++)
				fputs("  ", w->f);
		}
	}
	if (key != NULL) {
		json_write_escaped(w->f, key, strlen(key));
		fputs(pretty ? ": " : ":", w->f);
	}
}

static void
w_open(struct json_writer *w, const char *key, int c)
{
	w_sep(w, key);
	fputc(c, w->f);
	if (w->depth >= JSON_MAX_DEPTH)
		w->overflow = 1;
	else
		w->count[w->depth] = 0;
	w->depth++;
}

static void
w_close(struct json_writer *w, int c)
{
	int i;

	if (w->depth == 0) {
		w->overflow = 1;
		return;
	}
	w->depth--;
	if (w->flat > w->depth)
		w->flat = 0;
	else if (w->pretty && w->flat == 0 && w->depth < JSON_MAX_DEPTH &&
	    w->count[w->depth] > 0) {
		fputc('\n', w->f);
		for (i = 0; i < w->depth; i++)
			fputs("  ", w->f);
	}
	fputc(c, w->f);
	if (w->pretty && w->depth == 0)
		fputc('\n', w->f);
}

void
json_begin_object(struct json_writer *w, const char *key)
{
	w_open(w, key, '{');
}

void
json_begin_object_flat(struct json_writer *w, const char *key)
{
	w_open(w, key, '{');
	if (w->flat == 0)
		w->flat = w->depth;
}

void
json_end_object(struct json_writer *w)
{
	w_close(w, '}');
}

void
json_begin_array(struct json_writer *w, const char *key)
{
	w_open(w, key, '[');
}

void
json_end_array(struct json_writer *w)
{
	w_close(w, ']');
}

void
json_string(struct json_writer *w, const char *key, const char *s)
{
	if (s == NULL) {
		json_null(w, key);
		return;
	}
	json_string_n(w, key, s, strlen(s));
}

void
json_string_n(struct json_writer *w, const char *key, const char *s, size_t n)
{
	w_sep(w, key);
	json_write_escaped(w->f, s, n);
}

void
json_int(struct json_writer *w, const char *key, int64_t v)
{
	w_sep(w, key);
	fprintf(w->f, "%lld", (long long)v);
}

void
json_uint(struct json_writer *w, const char *key, uint64_t v)
{
	w_sep(w, key);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

/* JSON has no NaN or infinity: they are written as null. */
void
json_double(struct json_writer *w, const char *key, double v)
{
	w_sep(w, key);
	if (!isfinite(v))
		fputs("null", w->f);
	else
		fprintf(w->f, "%.17g", v);
}

void
json_bool(struct json_writer *w, const char *key, int v)
{
	w_sep(w, key);
	fputs(v ? "true" : "false", w->f);
}

void
json_null(struct json_writer *w, const char *key)
{
	w_sep(w, key);
	fputs("null", w->f);
}

void
json_hex(struct json_writer *w, const char *key, const uint8_t *p, size_t n)
{
	char hex[2 * 64 + 1];
	size_t i, k;

	w_sep(w, key);
	fputc('"', w->f);
	for (i = 0; i < n; i += k) {
		k = n - i < 64 ? n - i : 64;
		hex_encode(hex, p + i, k);
		fputs(hex, w->f);
	}
	fputc('"', w->f);
}

size_t
json_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/*
 * Besides what RFC 8259 requires, < > & are escaped so that the text stays
 * inert if it ever lands inside HTML, and U+2028/U+2029 for JavaScript.
 */
void
json_write_escaped(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, k;

	fputc('"', f);
	for (i = 0; i < n; i += k) {
		k = 1;
		switch (s[i]) {
		case '"': fputs("\\\"", f); continue;
		case '\\': fputs("\\\\", f); continue;
		case '\n': fputs("\\n", f); continue;
		case '\r': fputs("\\r", f); continue;
		case '\t': fputs("\\t", f); continue;
		case '<': case '>': case '&': case 0x7f:
			fprintf(f, "\\u%04x", s[i]);
			continue;
		}
		if (s[i] < 0x20) {
			fprintf(f, "\\u%04x", s[i]);
		} else if (s[i] < 0x80) {
			fputc(s[i], f);
		} else if ((k = json_utf8_len(str + i, n - i)) == 0) {
			k = 1;
			fprintf(f, "\\udc%02x", s[i]);
		} else if (k == 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
			fprintf(f, "\\u202%c", s[i + 2] == 0xa8 ? '8' : '9');
		} else {
			fwrite(s + i, 1, k, f);
		}
	}
	fputc('"', f);
}

/* ---- reader ---- */

static int
perr(struct parser *ps, const char *fmt, ...)
{
	const char *q;
	size_t line = 1, col = 1;
	char *msg = NULL;
	va_list ap;

	if (ps->err != NULL)
		return -1;
	for (q = ps->start; q < ps->p && q < ps->end; q++) {
		if (*q == '\n')
			line++, col = 1;
		else
			col++;
	}
	va_start(ap, fmt);
	tc_vseterr(&msg, fmt, ap);
	va_end(ap);
	tc_seterr(&ps->err, "line %zu, column %zu: %s", line, col, msg);
	free(msg);
	return -1;
}

static void
skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
	    *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* Make room for one more element of size sz in *arr (n used, *cap). */
static int
grow(struct parser *ps, void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap == 0 ? 4 : *cap * 2;
	if (ncap > SIZE_MAX / sz || (p = realloc(*arr, ncap * sz)) == NULL)
		return perr(ps, "out of memory");
	*arr = p;
	*cap = ncap;
	return 0;
}

static int
parse_literal(struct parser *ps, struct json_value *v)
{
	static const struct {
		const char	*word;
		enum json_type	 type;
	} lit[] = {
		{ "null", JSON_NULL }, { "true", JSON_TRUE },
		{ "false", JSON_FALSE },
	};
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(lit[i].word);
		if ((size_t)(ps->end - ps->p) >= n &&
		    memcmp(ps->p, lit[i].word, n) == 0) {
			ps->p += n;
			v->type = lit[i].type;
			return 0;
		}
	}
	return perr(ps, "expected a value");
}

/* RFC 8259 section 6: -? int frac? exp?, checked before strtod sees it. */
static int
parse_number(struct parser *ps, struct json_value *v)
{
	const char *q = ps->p, *e = ps->end;
	char buf[64];
	int integral = 1;

	if (q < e && *q == '-')
		q++;
	if (q < e && *q == '0')
		q++;
	else if (q < e && *q >= '1' && *q <= '9')
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	else
		return perr(ps, "expected a digit");
	if (q < e && *q == '.') {
		integral = 0;
		if (++q >= e || *q < '0' || *q > '9')
			return perr(ps, "expected a digit after '.'");
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		integral = 0;
		if (++q < e && (*q == '+' || *q == '-'))
			q++;
		if (q >= e || *q < '0' || *q > '9')
			return perr(ps, "expected a digit in the exponent");
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	}
	if ((size_t)(q - ps->p) >= sizeof(buf))
		return perr(ps, "number too long");
	memcpy(buf, ps->p, (size_t)(q - ps->p));
	buf[q - ps->p] = '\0';
	v->type = JSON_NUMBER;
	v->num = strtod(buf, NULL);
	if (!isfinite(v->num))
		return perr(ps, "number out of range");
	if (integral) {
		errno = 0;
		v->inum = strtoll(buf, NULL, 10);
		v->is_int = errno == 0;
	}
	ps->p = q;
	return 0;
}

static int
parse_hex4(struct parser *ps, uint32_t *u)
{
	int i, c;

	*u = 0;
	if (ps->end - ps->p < 4)
		return perr(ps, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		c = (unsigned char)*ps->p;
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return perr(ps, "bad hex digit in \\u escape");
		*u = *u << 4 | (uint32_t)c;
		ps->p++;
	}
	return 0;
}

static void
put_utf8(char *out, size_t *n, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | cp >> 6);
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xe0 | cp >> 12);
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | cp >> 18);
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/*
 * One escape after the backslash, appended to out (never more bytes than
 * the escape took in the input, so the output buffer cannot overflow).
 * A lone \udc80..\udcff is a byte the writer could not put as UTF-8.
 */
static int
parse_escape(struct parser *ps, char *out, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *q;
	uint32_t u, lo;

	if (ps->p >= ps->end)
		return perr(ps, "truncated escape");
	if ((q = memchr(from, *ps->p, sizeof(from) - 1)) != NULL) {
		out[(*n)++] = to[q - from];
		ps->p++;
		return 0;
	}
	if (*ps->p++ != 'u')
		return perr(ps, "unknown escape '\\%c'", ps->p[-1]);
	if (parse_hex4(ps, &u) == -1)
		return -1;
	if (u >= 0xd800 && u <= 0xdbff && ps->end - ps->p >= 6 &&
	    ps->p[0] == '\\' && ps->p[1] == 'u') {
		q = ps->p;
		ps->p += 2;
		if (parse_hex4(ps, &lo) == -1)
			return -1;
		if (lo >= 0xdc00 && lo <= 0xdfff) {
			put_utf8(out, n, 0x10000 + ((u - 0xd800) << 10) +
			    (lo - 0xdc00));
			return 0;
		}
		ps->p = q;	/* not a pair: the second escape stands alone */
	}
	if (u >= 0xdc80 && u <= 0xdcff)
		out[(*n)++] = (char)(u & 0xff);
	else if (u >= 0xd800 && u <= 0xdfff)
		put_utf8(out, n, 0xfffd);
	else
		put_utf8(out, n, u);
	return 0;
}

static int
parse_string(struct parser *ps, char **sp, size_t *lenp)
{
	const char *q;
	char *out;
	size_t n = 0;

	*sp = NULL;
	*lenp = 0;
	ps->p++;	/* the opening quote */
	/* The decoded string is never longer than its source. */
	for (q = ps->p; q < ps->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < ps->end)
			q++;
	if (q >= ps->end)
		return perr(ps, "unterminated string");
	if ((out = malloc((size_t)(q - ps->p) + 1)) == NULL)
		return perr(ps, "out of memory");
	while (*ps->p != '"') {
		if ((unsigned char)*ps->p < 0x20) {
			free(out);
			return perr(ps, "control character in string");
		}
		if (*ps->p != '\\') {
			out[n++] = *ps->p++;
			continue;
		}
		ps->p++;
		if (parse_escape(ps, out, &n) == -1) {
			free(out);
			return -1;
		}
	}
	ps->p++;
	out[n] = '\0';
	*sp = out;
	*lenp = n;
	return 0;
}

static int
parse_array(struct parser *ps, struct json_value *v)
{
	size_t cap = 0;

	v->type = JSON_ARRAY;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return 0;
	}
	for (;;) {
		if (grow(ps, (void **)&v->items, &cap, v->n,
		    sizeof(*v->items)) == -1)
			return -1;
		memset(&v->items[v->n], 0, sizeof(*v->items));
		v->n++;
		if (parse_value(ps, &v->items[v->n - 1]) == -1)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		return perr(ps, "expected ',' or ']' in array");
	}
}

static int
parse_object(struct parser *ps, struct json_value *v)
{
	struct json_member *m;
	size_t cap = 0;

	v->type = JSON_OBJECT;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return 0;
	}
	for (;;) {
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			return perr(ps, "expected a string as object key");
		if (grow(ps, (void **)&v->members, &cap, v->n,
		    sizeof(*v->members)) == -1)
			return -1;
		m = &v->members[v->n++];
		memset(m, 0, sizeof(*m));
		if (parse_string(ps, &m->key, &m->keylen) == -1)
			return -1;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':')
			return perr(ps, "expected ':' after object key");
		ps->p++;
		if (parse_value(ps, &m->value) == -1)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return 0;
		}
		return perr(ps, "expected ',' or '}' in object");
	}
}

static int
parse_value(struct parser *ps, struct json_value *v)
{
	int rc;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return perr(ps, "unexpected end of input");
	if (++ps->nvalues > JSON_MAX_VALUES)
		return perr(ps, "more than %u values", JSON_MAX_VALUES);
	switch (*ps->p) {
	case '{':
	case '[':
		if (++ps->depth > JSON_MAX_DEPTH)
			return perr(ps, "nested deeper than %d",
			    JSON_MAX_DEPTH);
		rc = *ps->p == '{' ? parse_object(ps, v) : parse_array(ps, v);
		ps->depth--;
		return rc;
	case '"':
		v->type = JSON_STRING;
		return parse_string(ps, &v->str, &v->len);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(ps, v);
	default:
		return parse_literal(ps, v);
	}
}

struct json_value *
json_parse(const char *buf, size_t len, char **err)
{
	struct parser ps;
	struct json_value *v;
	int rc = -1;

	*err = NULL;
	memset(&ps, 0, sizeof(ps));
	ps.start = ps.p = buf;
	ps.end = buf + len;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		perr(&ps, "out of memory");
	else if (len > JSON_MAX_INPUT)
		perr(&ps, "document larger than %u bytes", JSON_MAX_INPUT);
	else {
		/* A UTF-8 byte order mark is tolerated (RFC 8259 8.1). */
		if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			ps.p += 3;
		if ((rc = parse_value(&ps, v)) == 0) {
			skip_ws(&ps);
			if (ps.p < ps.end)
				rc = perr(&ps, "unexpected data after the "
				    "document");
		}
	}
	if (rc == 0)
		return v;
	json_free(v);
	*err = ps.err != NULL ? ps.err : strdup("out of memory");
	return NULL;
}

static void
value_clear(struct json_value *v)
{
	size_t i;

	free(v->str);
	for (i = 0; v->items != NULL && i < v->n; i++)
		value_clear(&v->items[i]);
	free(v->items);
	for (i = 0; v->members != NULL && i < v->n; i++) {
		free(v->members[i].key);
		value_clear(&v->members[i].value);
	}
	free(v->members);
}

void
json_free(struct json_value *v)
{
	if (v == NULL)
		return;
	value_clear(v);
	free(v);
}

const struct json_value *
json_get(const struct json_value *obj, const char *key)
{
	size_t i, n;

	if (obj == NULL || obj->type != JSON_OBJECT)
		return NULL;
	n = strlen(key);
	for (i = 0; i < obj->n; i++)
		if (obj->members[i].keylen == n &&
		    memcmp(obj->members[i].key, key, n) == 0)
			return &obj->members[i].value;
	return NULL;
}
