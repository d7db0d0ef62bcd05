/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The host-side tests' one vocabulary: one "PASS: ..." or "FAIL: ..." line
 * per case, as tests/run-all.sh counts them, and the totals at the end.
 * Each test program includes this once.
 */
#ifndef TESTS_REPORT_H
#define TESTS_REPORT_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

/*
 * One case's line. A failure's message is printed whole; a pass's only up
 * to its first newline, so details meant for failures stay out of the log.
 */
static void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(bool ok, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ok)
		msg[strcspn(msg, "\n")] = '\0';
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	printf("%s: %s\n", ok ? "PASS" : "FAIL", msg);
	ok ? passed++ : failed++;
}

/* mkdtemp(tmpl); false after a FAIL line saying why. */
static inline bool report_mkdtemp(char *tmpl)
{
	if (mkdtemp(tmpl))
		return true;
	report(false, "mkdtemp %s: %s", tmpl, strerror(errno));
	return false;
}

/* "NAME: N passed, N failed"; the program's exit status. */
static int report_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
