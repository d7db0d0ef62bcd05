/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef JSON_H
#define JSON_H

#include <stdio.h>

/* Writes s as a JSON string, quotes included; invalid UTF-8 becomes U+FFFD. */
void json_string(FILE *out, const char *s);

#endif
