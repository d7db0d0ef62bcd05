/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The node a record comes from: node addresses are reused when instances
 * are replaced, so a record names its node by what is not reused.
 */
#ifndef NODE_H
#define NODE_H

#include "event.h"

/*
 * This node now: its hostname (of this UTS namespace), the boot ID of the
 * running kernel (/proc/sys/kernel/random/boot_id: a new one at each boot,
 * so a record of one boot is never taken for another's), and the EC2
 * instance ID where a source for it is wired in. What cannot be read is
 * left "" (unknown). Never blocks for long: snatctl log reads it once at
 * start, before its first event.
 */
void node_read(struct node_id *n);

#endif
