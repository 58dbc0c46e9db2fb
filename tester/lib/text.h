/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * text.h: small text helpers every module may use (lib/).
 */
#ifndef TCPCONFORM_TEXT_H
#define TCPCONFORM_TEXT_H

#include <stdint.h>

/* Compare with digit runs as numbers, so MUST-9 sorts before MUST-10. */
int	text_natcmp(const char *, const char *);

/* The value of a hex digit, or -1. */
int	hex_val(int c);

/*
 * A duration as every command's options take it: "30" and "30s" (seconds),
 * "500ms", "2min"; at most max_s seconds.  0 and *us, or -1.
 */
int	text_duration_us(const char *s, double max_s, uint64_t *us);

#endif /* TCPCONFORM_TEXT_H */
