/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * text.h: small text helpers every module may use (lib/).
 */
#ifndef TCPCONFORM_TEXT_H
#define TCPCONFORM_TEXT_H

/* Compare with digit runs as numbers, so MUST-9 sorts before MUST-10. */
int	text_natcmp(const char *, const char *);

/* The value of a hex digit, or -1. */
int	hex_val(int c);

#endif /* TCPCONFORM_TEXT_H */
