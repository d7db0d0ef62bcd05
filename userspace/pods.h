/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Which pod held an address when: a map from pod IP to pod, kept by
 * snatctl log and monitor from what the node's CNI and container runtime
 * leave on disk, and refreshed as they change it (inotify on their
 * directories):
 *
 * - the VPC CNI's IPAM checkpoint, /var/run/aws-node/ipam.json (ipamd's
 *   AWS_VPC_K8S_CNI_BACKING_STORE), and ipam-nic-N.json beside it for
 *   network card N: which container holds which address, and from v1.11
 *   the pod's namespace and name (pkg/ipamd/datastore in
 *   aws/amazon-vpc-cni-k8s); IPv4 and IPv6 addresses alike;
 * - the CNI result cache of the container runtime, /var/lib/cni/results
 *   (libcni's cacheAdd, containernetworking/cni libcni/api.go): the pod's
 *   namespace, name and UID (the K8S_POD_* cniArgs containerd passes) for
 *   a container, when the checkpoint has no name; and, when there is no
 *   checkpoint at all, which pod has which address.
 *
 * Pod addresses are reused 30 s after a pod ends, and events may be read
 * later than they happened: the map keeps each holding's time span (from
 * the allocation timestamp or the checkpoint's modification time, until
 * the checkpoint that no longer has it was written) for ten minutes, and
 * answers for the time of the translation. An address held by no pod then,
 * or by more than one as far as the files tell, has no pod: never a guess.
 */
#ifndef PODS_H
#define PODS_H

#include <stdint.h>

#include "event.h"

#define PODS_DEFAULT_IPAM "/var/run/aws-node/ipam.json"
#define PODS_DEFAULT_CNI_RESULTS "/var/lib/cni/results"

struct pods;

/*
 * Watches and reads the checkpoint at ipam (and its per-card files) and
 * the cache directory results; either may be missing, now or for good
 * (said once on stderr). NULL only when out of memory, after saying so.
 */
struct pods *pods_open(const char *ipam, const char *results);
/* The descriptor to poll for changes (readable when there are some). */
int pods_fd(const struct pods *p);
/* Takes in the changes made so far; never blocks. */
void pods_update(struct pods *p);
/*
 * The pod that held ip (either family) at time at (ns since the epoch),
 * into *pod; pod->source POD_UNKNOWN when there is no name (a container ID
 * may still be known).
 */
void pods_find(struct pods *p, const struct ipaddr *ip, uint64_t at, struct pod_id *pod);
void pods_close(struct pods *p);

#endif
