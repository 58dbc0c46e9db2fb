/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * text.h: small text helpers every module may use (lib/).
 */
#ifndef TCPCONFORM_TEXT_H
#define TCPCONFORM_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Compare with digit runs as numbers, so MUST-9 sorts before MUST-10. */
int	text_natcmp(const char *, const char *);

/*
 * A duration as every command's options take it: "30" and "30s" (seconds),
 * "500ms", "2min"; at most max_s seconds.  0 and *us, or -1.
 */
int	text_duration_us(const char *s, double max_s, uint64_t *us);

/*
 * Write untrusted text (a target's reply, an agent's error string, a case
 * title) to a terminal so that it can only be read, never obeyed: C0 and
 * C1 control characters (ESC above all: no colour, cursor, title or
 * hyperlink sequence gets through), DEL, the bidirectional overrides
 * (U+202A..U+202E, U+2066..U+2069) and bytes of broken UTF-8 are written
 * visibly as \xNN (the bytes of the character); printable UTF-8 stays as
 * it is.  NULL writes nothing.  The same as the HTML report's escaping,
 * for a terminal.
 */
void	text_term(FILE *, const char *s);

#endif /* TCPCONFORM_TEXT_H */
