/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_lex.h: the tokens of the case language and the diagnostics list that
 * the lexer and the parser share (internal to case_*.c).
 */
#ifndef TCPCONFORM_CASE_LEX_H
#define TCPCONFORM_CASE_LEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "case.h"

/*
 * Diagnostics, kept in the order they were found, formatted at once as
 * "FILE:LINE:COL: error: MESSAGE" lines.  After CASE_ERRORS_MAX errors a
 * last line says so and everything after it is dropped.
 */
struct case_diags {
	const char	*file;
	FILE		*f;		/* open_memstream on text/len */
	char		*text;
	size_t		len;
	int		nerr;
	int		nwarn;
	int		full;		/* CASE_ERRORS_MAX reached */
};

void	case_diags_init(struct case_diags *, const char *file);
void	case_diag(struct case_diags *, int warn, int line, int col,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
char	*case_diags_finish(struct case_diags *);	/* NULL when empty */

enum case_tok_type {
	CASE_TK_EOF,
	CASE_TK_EOL,
	CASE_TK_WORD,		/* [A-Za-z_][A-Za-z0-9_.-]* */
	CASE_TK_NUM,		/* [0-9]+ ("." [0-9]*)? or "." [0-9]+ */
	CASE_TK_HEX,		/* 0x[0-9A-Fa-f]+ */
	CASE_TK_STR,		/* "..." with escapes; p/n include the quotes */
	CASE_TK_PUNCT,		/* one of < > : ( ) , ~ + - * ! @ = | . */
	CASE_TK_ELLIPSIS,	/* ... */
};

struct case_tok {
	enum case_tok_type type;
	int		line;
	int		col;
	int		spc;		/* white space (or line start) before it */
	const char	*p;		/* its text, in the parsed buffer */
	size_t		n;
};

struct case_lexer {
	const char	*buf;
	size_t		len;
	size_t		pos;
	size_t		linestart;
	int		line;
	int		bad;		/* a lexical error on the current line */
	struct case_diags *d;
};

void	case_lex_init(struct case_lexer *, const char *buf, size_t len,
	    struct case_diags *);
/* The next token; after an error the offending bytes are skipped. */
void	case_lex_next(struct case_lexer *, struct case_tok *);
/*
 * Decode a string token that the lexer accepted.  Returns the malloc'ed
 * bytes (NUL-terminated for convenience) and their count in *n; NULL when
 * out of memory.
 */
uint8_t	*case_str_decode(const struct case_tok *, size_t *n);

/*
 * Names shared by the parser and the printer (case_print.c), each indexed by
 * its enum and NULL-terminated; case_need_names by bit position.
 */
extern const char *const case_state_names[];
extern const char *const case_sev_names[];
extern const char *const case_verdict_names[];
extern const char *const case_opt_names[];
extern const char *const case_switch_names[];
extern const char *const case_match_names[];
extern const char *const case_agent_names[];
extern const char *const case_shut_names[];
extern const char *const case_measure_names[];
extern const char *const case_need_names[];
extern const char *const case_kind_names[];
extern const char *const case_icmp_names[];

/*
 * Edit distance between a[0..n) and b, ignoring case, a swap of neighbours
 * counting as one edit; for "did you mean" (99 for words over 32 bytes).
 */
int	case_distance(const char *a, size_t n, const char *b);

/* Free what a statement owns (case_parse.c). */
void	case_stmt_clear(struct case_stmt *);

#endif /* TCPCONFORM_CASE_LEX_H */
