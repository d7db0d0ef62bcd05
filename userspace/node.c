// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The node a record comes from; see node.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "node.h"

#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"

/*
 * The instance ID's source: none yet. Issue #13's metadata client
 * (imds_get() for "instance-id", userspace/imds.c on its branch) fills
 * buf here when the branches merge; until then records say null. It must
 * give up within a few seconds: it runs once, before the first event.
 * Returns 0 with buf filled in, or -1.
 */
static int instance_id(char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return -1;
}

/* "i-" and 8 or 17 hex digits, or nothing: never a stray string in a record. */
static bool instance_id_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (strncmp(s, "i-", 2) || (n != 10 && n != 19))
		return false;
	for (i = 2; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

void node_read(struct node_id *n)
{
	struct utsname u;
	FILE *f;

	memset(n, 0, sizeof(*n));
	if (uname(&u) == 0)
		snprintf(n->hostname, sizeof(n->hostname), "%s", u.nodename);
	f = fopen(BOOT_ID_PATH, "re");
	if (f) {
		if (!fgets(n->boot_id, sizeof(n->boot_id), f))
			n->boot_id[0] = '\0';
		n->boot_id[strcspn(n->boot_id, "\n")] = '\0';
		fclose(f);
	}
	if (instance_id(n->instance_id, sizeof(n->instance_id)) < 0 ||
	    !instance_id_ok(n->instance_id))
		n->instance_id[0] = '\0';
}
