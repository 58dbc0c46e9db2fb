/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * json.h: a small streaming JSON writer, and a small JSON reader that builds
 * a tree from bytes it does not trust (RFC 8259).
 *
 * Strings are C strings of arbitrary bytes.  The writer always produces
 * valid UTF-8: a byte that is not part of a well-formed UTF-8 sequence is
 * written as the lone surrogate escape \udcXX (XX the byte, as Python's
 * "surrogateescape" does), which the reader turns back into that byte, so
 * any string survives a round trip.  Other readers see U+DCXX.
 */
#ifndef TCPCONFORM_JSON_H
#define TCPCONFORM_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH		64		/* nesting, reader and writer */
#define JSON_MAX_INPUT		(64u << 20)	/* bytes the reader accepts */
#define JSON_MAX_VALUES		(4u << 20)	/* values in one document */

/*
 * The writer.  Each call writes one value; "key" names it inside an object
 * and must be NULL inside an array or at the top.  Errors of the stream
 * are sticky: check json_writer_error() (or ferror) at the end.
 */
struct json_writer {
	FILE		*f;
	int		 pretty;	/* newlines and two-space indents */
	int		 depth;
	int		 count[JSON_MAX_DEPTH];	/* values so far per level */
	int		 overflow;	/* nesting beyond JSON_MAX_DEPTH */
	int		 flat;		/* depth of a one-line object, or 0 */
};

void	json_writer_init(struct json_writer *, FILE *, int pretty);
int	json_writer_error(const struct json_writer *);
void	json_begin_object(struct json_writer *, const char *key);
void	json_end_object(struct json_writer *);
/* An object written on one line even when pretty (a row of a table). */
void	json_begin_object_flat(struct json_writer *, const char *key);
void	json_begin_array(struct json_writer *, const char *key);
void	json_end_array(struct json_writer *);
void	json_string(struct json_writer *, const char *key, const char *s);
void	json_string_n(struct json_writer *, const char *key, const char *s,
	    size_t n);
void	json_int(struct json_writer *, const char *key, int64_t);
void	json_uint(struct json_writer *, const char *key, uint64_t);
void	json_double(struct json_writer *, const char *key, double);
void	json_bool(struct json_writer *, const char *key, int);
void	json_null(struct json_writer *, const char *key);
/* Bytes as a string of lower-case hex digits, two per byte. */
void	json_hex(struct json_writer *, const char *key, const uint8_t *,
	    size_t);
/*
 * The length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if none; n > 0.
 */
size_t	json_utf8_len(const char *s, size_t n);
/* Write s escaped, with its quotes, to f; the core of json_string(). */
void	json_write_escaped(FILE *, const char *s, size_t n);

/* The reader's tree. */
enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

struct json_member;

struct json_value {
	enum json_type	 type;
	double		 num;		/* JSON_NUMBER */
	int64_t		 inum;		/* JSON_NUMBER, when is_int */
	int		 is_int;	/* an integer that fits int64_t */
	char		*str;		/* JSON_STRING: NUL-terminated, but */
	size_t		 len;		/* may hold NUL bytes: len is exact */
	struct json_value *items;	/* JSON_ARRAY */
	struct json_member *members;	/* JSON_OBJECT, in document order */
	size_t		 n;		/* items or members */
};

struct json_member {
	char		*key;
	size_t		 keylen;
	struct json_value value;
};

/*
 * Parse buf[0..len) as one JSON document.  Returns the tree (free it with
 * json_free), or NULL with *err set to a malloc'ed "line L, column C: ..."
 * message.  Survives any input: nesting, size and value count are limited
 * by the JSON_MAX_* constants, and memory exhaustion is an error, not a
 * crash.
 */
struct json_value *json_parse(const char *buf, size_t len, char **err);
void	json_free(struct json_value *);

/* The member of an object called key (the first one), or NULL. */
const struct json_value *json_get(const struct json_value *obj,
	    const char *key);

#endif /* TCPCONFORM_JSON_H */
