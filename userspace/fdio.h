/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* A whole buffer to a file descriptor: the files snatctl writes (the log, state, metrics). */
#ifndef FDIO_H
#define FDIO_H

#include <errno.h>
#include <stddef.h>
#include <unistd.h>

/*
 * Writes buf[0..len) to fd, going on after short writes and EINTR; returns
 * the bytes written: len, or fewer with *err set (errno; ENOSPC for a
 * write that took nothing).
 */
static inline size_t write_all(int fd, const void *buf, size_t len, int *err)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = n < 0 ? errno : ENOSPC;
			break;
		}
		done += (size_t)n;
	}
	return done;
}

#endif
