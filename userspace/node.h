/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The node a record comes from: node addresses are reused when instances
 * are replaced, so a record names its node by what is not reused.
 */
#ifndef NODE_H
#define NODE_H

#include <stdbool.h>

#include "event.h"

/*
 * This node now: its hostname (of this UTS namespace), the boot ID of the
 * running kernel (/proc/sys/kernel/random/boot_id: a new one at each boot,
 * so a record of one boot is never taken for another's), and the EC2
 * instance ID: from the board asset tag (Nitro), else, if ask_imds, from
 * the instance metadata service (IMDS_ENDPOINT_ENV and IMDS_DISABLED_ENV
 * apply; at most IMDS_OPERATION_TIMEOUT_MS). What cannot be read is left
 * "" (unknown). snatctl log and monitor read it once at start, asking the
 * metadata service; who, answering from conntrack, does not wait for it.
 */
void node_read(struct node_id *n, bool ask_imds);

#endif
