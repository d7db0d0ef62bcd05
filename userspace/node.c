// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The node a record comes from; see node.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "imds.h"
#include "node.h"

#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"

/* The first line of path into buf, without its newline; "" if it cannot be read. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
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

/*
 * The instance ID, without the network where the machine says it: a Nitro
 * instance's SMBIOS board asset tag is its instance ID (what AWS's "Detect
 * whether a host is an EC2 instance" shows, and datadog-agent's
 * pkg/util/dmi GetBoardAssetTag reads). A Xen instance's is not, so when
 * ask_imds allows, the metadata service's instance-id is asked next
 * (imds.h: a few seconds at most where there is none). Fills buf with an
 * ID instance_id_ok() takes, or leaves it ""; why not is said on stderr
 * when the service was asked.
 */
#define BOARD_ASSET_TAG_PATH "/sys/devices/virtual/dmi/id/board_asset_tag"

static void instance_id(char *buf, size_t len, bool ask_imds)
{
	char err[IMDS_ERR_LEN];
	struct imds_node n;
	struct imds m;

	read_line(BOARD_ASSET_TAG_PATH, buf, len);
	buf[strcspn(buf, " ")] = '\0';
	if (instance_id_ok(buf))
		return;
	buf[0] = '\0';
	if (!ask_imds)
		return;
	if (imds_open(&m, NULL, err) < 0) {
		fprintf(stderr, "Note: the instance ID is not recorded: %s\n", err);
		return;
	}
	if (imds_read_node(&m, IMDS_INSTANCE_ID, &n, err) < 0)
		fprintf(stderr, "Note: the instance ID is not recorded: %s\n", err);
	else if (instance_id_ok(n.instance_id))
		memcpy(buf, n.instance_id, strlen(n.instance_id) + 1);
	imds_node_free(&n);
	imds_close(&m);
}

void node_read(struct node_id *n, bool ask_imds)
{
	struct utsname u;

	memset(n, 0, sizeof(*n));
	if (uname(&u) == 0)
		snprintf(n->hostname, sizeof(n->hostname), "%s", u.nodename);
	read_line(BOOT_ID_PATH, n->boot_id, sizeof(n->boot_id));
	instance_id(n->instance_id, sizeof(n->instance_id), ask_imds);
}
