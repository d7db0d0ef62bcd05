// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host-side tests of the pod map (pods.c): the VPC CNI's IPAM checkpoint in
 * each format it has written (with and without metadata, per-card files,
 * empty), the container runtime's CNI result cache as a fallback, files
 * changed the way their writers change them (temporary file and rename;
 * written in place), and who held an address when, across a reuse; IPv4
 * and IPv6 pod addresses. One
 * PASS:/FAIL: line per case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#include "pods.h"
#include "tests/report.h"

#define S 1000000000ull
/*
 * The test's clock: seconds from a start a minute ago, as the files' mtimes
 * say (what ended more than ten minutes before now is forgotten).
 */
static unsigned long long T0;
#define AT(sec) ((T0 + (sec)) * S)

#define POD_A "10.0.1.10"
#define IP_A 0x0a00010a
#define IP_B 0x0a00010b
#define IP_N1 0x0a004105	/* 10.0.65.5, on card 1 */
#define CID_A "3a6a58386dfbf2471a6f86bd41e4e9a32aac54ccccd1943742cb67d1e9c58b5b"
#define CID_B "cc6e8f4f4bec547058b215b2f103113cb0acf4523be6b9fc5a7fc05fe7889178"
#define CID_C "75ebe0da8b3f1e5ee3faab89e538fb32af7c038fd0cd0ebf39dee8e459d1788e"

static char root[] = "/tmp/pods_test.XXXXXX";
static char ipam_dir[64], results[64], ipam[80];

/* Writes dir/name with mtime T0 + sec, as the CNI does: a temporary file, then rename(). */
static void write_renamed(const char *dir, const char *name, long sec, const char *text)
{
	char tmp[160], path[160];
	struct timespec t[2] = { { (time_t)(T0 + sec), 0 }, { (time_t)(T0 + sec), 0 } };
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s/%s.tmp%d", dir, name, rand());
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(tmp, "w");
	fputs(text, f);
	fclose(f);
	utimensat(AT_FDCWD, tmp, t, 0);
	rename(tmp, path);
}

/* Writes dir/name in place, as libcni's os.WriteFile does; partial: half of it. */
static void write_in_place(const char *dir, const char *name, long sec, const char *text,
			   bool partial)
{
	char path[160];
	struct timespec t[2] = { { (time_t)(T0 + sec), 0 }, { (time_t)(T0 + sec), 0 } };
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (write(fd, text, partial ? strlen(text) / 2 : strlen(text)) < 0)
		perror("write");
	futimens(fd, t);
	if (!partial)
		close(fd);
	else
		close(fd);	/* a reader may come between two writes: see below */
}

static void remove_file(const char *dir, const char *name)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

/*
 * A checkpoint entry of v1.11 and later: "ipv4", or in an IPv6 cluster
 * "ipv6" (data_store.go's CheckpointEntry).
 */
static char *entry(const char *cid, const char *ip, unsigned long long alloc_sec,
		   const char *ns, const char *name)
{
	static char buf[8][512];
	static int n;
	char *b = buf[n++ % 8];

	snprintf(b, 512, "{\"networkName\":\"aws-cni\",\"containerID\":\"%s\",\"ifName\":\"eth0\","
		 "\"ipv%c\":\"%s\",\"allocationTimestamp\":%llu,\"metadata\":{\"k8sPodNamespace\":"
		 "\"%s\",\"k8sPodName\":\"%s\",\"interfacesCount\":1}}", cid, strchr(ip, ':') ? '6' : '4', ip,
		 (T0 + alloc_sec) * S + 402933178, ns, name);
	return b;
}

/* A checkpoint entry of v1.7 to v1.10: no timestamp, no metadata. */
static char *old_entry(const char *cid, const char *ip)
{
	static char buf[8][256];
	static int n;
	char *b = buf[n++ % 8];

	snprintf(b, 256, "{\"networkName\":\"aws-cni\",\"containerID\":\"%s\",\"ifName\":\"eth0\","
		 "\"ipv4\":\"%s\"}", cid, ip);
	return b;
}

static char *checkpoint(const char *e1, const char *e2)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf), "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":[%s%s%s]}\n",
		 e1 ? e1 : "", e1 && e2 ? "," : "", e2 ? e2 : "");
	return buf;
}

/* A libcni cache file of a pod, cniArgs in containerd's random order; ip of either family. */
static char *cache(const char *cid, const char *ip, const char *ns, const char *name,
		   const char *uid)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf), "{\"kind\":\"cniCacheV1\",\"containerId\":\"%s\",\"config\":"
		 "\"ewogICJjbmlWZXJzaW9uIjogIjAuNC4wIiwKICAibmFtZSI6ICJhd3MtY25pIiwK\",\"ifName\":"
		 "\"eth0\",\"networkName\":\"aws-cni\",\"netns\":\"/var/run/netns/cni-1d80f6e3\","
		 "\"cniArgs\":[[\"IgnoreUnknown\",\"1\"],[\"K8S_POD_NAME\",\"%s\"],"
		 "[\"K8S_POD_INFRA_CONTAINER_ID\",\"%s\"],[\"K8S_POD_UID\",\"%s\"],"
		 "[\"K8S_POD_NAMESPACE\",\"%s\"]],\"capabilityArgs\":{\"io.kubernetes.cri.pod-annotations\":"
		 "{\"kubernetes.io/config.source\":\"api\"}},\"result\":{\"cniVersion\":\"0.4.0\",\"dns\":{},"
		 "\"interfaces\":[{\"name\":\"enib3e5d2a1c4f\"},{\"name\":\"eth0\",\"sandbox\":"
		 "\"/var/run/netns/cni-1d80f6e3\"},{\"mac\":\"0\",\"name\":\"dummyb3e5d2a1c4f\","
		 "\"sandbox\":\"0\"}],\"ips\":[{\"address\":\"%s/%s\",\"interface\":1,\"version\":\"%c\"}]}}",
		 cid, name, cid, uid, ns, ip, strchr(ip, ':') ? "128" : "32", strchr(ip, ':') ? '6' : '4');
	return buf;
}

static char *cache_name(const char *cid)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "aws-cni-%s-eth0", cid);
	return buf;
}

/* Whether p says ip at sec is ns/name from source (ns NULL: unknown), and the container. */
static bool is_addr(struct pods *p, const struct ipaddr *ip, long sec, enum pod_source source,
		    const char *ns, const char *name, const char *cid, const char *uid)
{
	struct pod_id pod;

	pods_update(p);
	pods_find(p, ip, AT(sec), &pod);
	if (!ns)
		return pod.source == POD_UNKNOWN && !pod.ns[0] && !pod.name[0] &&
		       !strcmp(pod.container_id, cid ? cid : "");
	return pod.source == source && !strcmp(pod.ns, ns) && !strcmp(pod.name, name) &&
	       !strcmp(pod.container_id, cid) && !strcmp(pod.uid, uid ? uid : "");
}

static bool is(struct pods *p, uint32_t ip, long sec, enum pod_source source, const char *ns,
	       const char *name, const char *cid, const char *uid)
{
	struct ipaddr a = { .v4 = ip };

	return is_addr(p, &a, sec, source, ns, name, cid, uid);
}

/* The same for an address given as text, of either family. */
static bool is_s(struct pods *p, const char *ip, long sec, enum pod_source source, const char *ns,
		 const char *name, const char *cid, const char *uid)
{
	char err[PARSE_ERR_LEN];
	struct ipaddr a;

	return parse_ipaddr(ip, &a, err) && is_addr(p, &a, sec, source, ns, name, cid, uid);
}

static void test_v111(void)
{
	struct pods *p;

	write_renamed(ipam_dir, "ipam.json", 100,
		      checkpoint(entry(CID_A, POD_A, 90, "default", "web-7d9c8f6b5-x2k4q"),
				 entry(CID_B, "10.0.1.11", 95, "ml", "trainer-0")));
	p = pods_open(ipam, results);
	report(is(p, IP_A, 200, POD_FROM_IPAM, "default", "web-7d9c8f6b5-x2k4q", CID_A, NULL),
	       "v1.11+ checkpoint: pod A by name, from the checkpoint");
	report(is(p, IP_B, 200, POD_FROM_IPAM, "ml", "trainer-0", CID_B, NULL),
	       "v1.11+ checkpoint: pod B");
	report(is(p, IP_A, 89, 0, NULL, NULL, NULL, NULL),
	       "v1.11+ checkpoint: before its allocation the address had no pod");
	report(is(p, 0x0a000163, 200, 0, NULL, NULL, NULL, NULL), "an address not in it: unknown");

	write_in_place(results, cache_name(CID_A), 101,
		       cache(CID_A, POD_A, "default", "web-7d9c8f6b5-x2k4q",
			     "8304765e-fd7e-4968-9144-c42c53be04f4"), false);
	report(is(p, IP_A, 200, POD_FROM_IPAM, "default", "web-7d9c8f6b5-x2k4q", CID_A,
		  "8304765e-fd7e-4968-9144-c42c53be04f4"),
	       "v1.11+ checkpoint and the cache: the UID joined by container ID");

	/* Pod A ends: the CNI rewrites the checkpoint without it; the runtime removes its cache. */
	write_renamed(ipam_dir, "ipam.json", 300,
		      checkpoint(entry(CID_B, "10.0.1.11", 95, "ml", "trainer-0"), NULL));
	remove_file(results, cache_name(CID_A));
	report(is(p, IP_A, 310, 0, NULL, NULL, NULL, NULL), "after pod A ended: its address has no pod");
	report(is(p, IP_A, 299, POD_FROM_IPAM, "default", "web-7d9c8f6b5-x2k4q", CID_A,
		  "8304765e-fd7e-4968-9144-c42c53be04f4"),
	       "a translation read late, from before pod A ended: still pod A, UID kept");

	/* 30 s later its address goes to pod C. */
	write_renamed(ipam_dir, "ipam.json", 340,
		      checkpoint(entry(CID_B, "10.0.1.11", 95, "ml", "trainer-0"),
				 entry(CID_C, POD_A, 339, "default", "web-7d9c8f6b5-zzzzz")));
	report(is(p, IP_A, 341, POD_FROM_IPAM, "default", "web-7d9c8f6b5-zzzzz", CID_C, NULL),
	       "reused: pod C after the reuse");
	report(is(p, IP_A, 200, POD_FROM_IPAM, "default", "web-7d9c8f6b5-x2k4q", CID_A,
		  "8304765e-fd7e-4968-9144-c42c53be04f4"),
	       "reused: pod A before it, asked after the reuse");
	report(is(p, IP_A, 320, 0, NULL, NULL, NULL, NULL), "reused: in between, no pod");

	/* Not a checkpoint: what was known stays. */
	write_renamed(ipam_dir, "ipam.json", 400, "{\"version\":\"vpc-cni-ipam/9x\"}\n");
	report(is(p, IP_A, 401, POD_FROM_IPAM, "default", "web-7d9c8f6b5-zzzzz", CID_C, NULL),
	       "an unknown format changes nothing (said once on stderr)");
	write_renamed(ipam_dir, "ipam.json", 500, "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":null}\n");
	report(is(p, IP_A, 501, 0, NULL, NULL, NULL, NULL) &&
	       is(p, IP_A, 499, POD_FROM_IPAM, "default", "web-7d9c8f6b5-zzzzz", CID_C, NULL),
	       "allocations null: an empty node from then on");
	pods_close(p);
	remove_file(ipam_dir, "ipam.json");
}

/* v1.7-v1.10: the checkpoint has the container, the cache the pod's name. */
static void test_pre111(void)
{
	struct pods *p;

	write_renamed(ipam_dir, "ipam.json", 1000,
		      checkpoint(old_entry(CID_A, POD_A), old_entry(CID_B, "10.0.1.11")));
	write_in_place(results, cache_name(CID_A), 1001,
		       cache(CID_A, POD_A, "default", "web-a", "11111111-2222-4333-8444-555555555555"),
		       false);
	p = pods_open(ipam, results);
	report(is(p, IP_A, 1100, POD_FROM_CNI_CACHE, "default", "web-a", CID_A,
		  "11111111-2222-4333-8444-555555555555"),
	       "pre-1.11 checkpoint: the name from the cache, by container ID");
	report(is(p, IP_B, 1100, 0, NULL, NULL, CID_B, NULL),
	       "pre-1.11 checkpoint, no cache file: unknown, the container ID kept");

	/* A ends; its address goes to C: the checkpoint lists C from its write on. */
	write_renamed(ipam_dir, "ipam.json", 1200, checkpoint(old_entry(CID_B, "10.0.1.11"), NULL));
	remove_file(results, cache_name(CID_A));
	pods_update(p);	/* snatctl log wakes up for each change */
	write_renamed(ipam_dir, "ipam.json", 1240,
		      checkpoint(old_entry(CID_B, "10.0.1.11"), old_entry(CID_C, POD_A)));
	write_in_place(results, cache_name(CID_C), 1241,
		       cache(CID_C, POD_A, "default", "web-c", "99999999-2222-4333-8444-555555555555"),
		       false);
	report(is(p, IP_A, 1250, POD_FROM_CNI_CACHE, "default", "web-c", CID_C,
		  "99999999-2222-4333-8444-555555555555"), "pre-1.11, reused: pod C after");
	report(is(p, IP_A, 1150, POD_FROM_CNI_CACHE, "default", "web-a", CID_A,
		  "11111111-2222-4333-8444-555555555555"),
	       "pre-1.11, reused: pod A before, though its cache file is gone");
	report(is(p, IP_A, 1239, 0, NULL, NULL, NULL, NULL), "pre-1.11, reused: in between, no pod");

	/* A card's own file. */
	write_renamed(ipam_dir, "ipam-nic-1.json", 1300,
		      checkpoint(entry(CID_B, "10.0.65.5", 1299, "ml", "trainer-0"), NULL));
	report(is(p, IP_N1, 1301, POD_FROM_IPAM, "ml", "trainer-0", CID_B, NULL),
	       "ipam-nic-1.json: an address on network card 1");
	remove_file(ipam_dir, "ipam-nic-1.json");
	report(is(p, IP_N1, 99999, 0, NULL, NULL, NULL, NULL), "ipam-nic-1.json removed: its pods end");
	pods_close(p);
	remove_file(ipam_dir, "ipam.json");
	remove_file(results, cache_name(CID_C));
}

/*
 * An IPv6 cluster: the checkpoint's entries have "ipv6" (Go's form, which
 * is RFC 5952's), the cache's results /128s of version 6. A dual-stack
 * node's files may hold both families.
 */
static void test_ipv6(void)
{
	struct pods *p;

	write_renamed(ipam_dir, "ipam.json", 5000,
		      checkpoint(entry(CID_A, "2001:db8:1:2::5", 4990, "default", "web-v6"),
				 entry(CID_B, POD_A, 4995, "ml", "trainer-0")));
	p = pods_open(ipam, results);
	report(is_s(p, "2001:db8:1:2::5", 5100, POD_FROM_IPAM, "default", "web-v6", CID_A, NULL),
	       "IPv6 checkpoint entry: the pod by its IPv6 address");
	report(is_s(p, "2001:db8:1:2:0:0:0:5", 5100, POD_FROM_IPAM, "default", "web-v6", CID_A,
		    NULL), "IPv6: the same address in another spelling");
	report(is_s(p, POD_A, 5100, POD_FROM_IPAM, "ml", "trainer-0", CID_B, NULL),
	       "IPv4 entry beside it: its own pod");
	report(is_s(p, "::ffff:10.0.1.10", 5100, 0, NULL, NULL, NULL, NULL) &&
	       is_s(p, "::a00:10a", 5100, 0, NULL, NULL, NULL, NULL),
	       "IPv6 spellings of the IPv4 pod address name nobody: families never mix");
	report(is_s(p, "2001:db8:1:2::6", 5100, 0, NULL, NULL, NULL, NULL),
	       "an IPv6 address not in it: unknown");
	pods_close(p);
	remove_file(ipam_dir, "ipam.json");

	write_in_place(results, cache_name(CID_C), 5200,
		       cache(CID_C, "2001:db8:1:2::7", "default", "web-v6c",
			     "33333333-2222-4333-8444-555555555555"), false);
	p = pods_open(ipam, results);
	report(is_s(p, "2001:db8:1:2::7", 5300, POD_FROM_CNI_CACHE, "default", "web-v6c", CID_C,
		    "33333333-2222-4333-8444-555555555555"),
	       "no checkpoint: the cache by IPv6 address (a /128 of version 6)");
	pods_close(p);
	remove_file(results, cache_name(CID_C));
}

/* No checkpoint at all: the cache says who has which address. */
static void test_cache_only(void)
{
	char loop[2048];
	struct pods *p;

	write_in_place(results, cache_name(CID_A), 2000,
		       cache(CID_A, POD_A, "default", "web-a", "11111111-2222-4333-8444-555555555555"),
		       false);
	/* containerd's loopback network, and a legacy (pre-cniCacheV1) file. */
	snprintf(loop, sizeof(loop), "%s", cache(CID_B, "127.0.0.1", "default", "web-b", "u"));
	write_in_place(results, "cni-loopback-" CID_B "-lo", 2000, loop, false);
	write_in_place(results, "aws-cni-legacy-eth0", 2000,
		       "{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\",\"address\":\"10.0.1.11/32\"}]}",
		       false);
	p = pods_open(ipam, results);
	report(is(p, IP_A, 2100, POD_FROM_CNI_CACHE, "default", "web-a", CID_A,
		  "11111111-2222-4333-8444-555555555555"), "no checkpoint: the cache by address");
	report(is(p, IP_B, 2100, 0, NULL, NULL, NULL, NULL), "a legacy cache file names nobody");

	/* Written in place: a reader may see half of it, then the rest. */
	write_in_place(results, cache_name(CID_B), 2200,
		       cache(CID_B, "10.0.1.11", "default", "web-b", "22222222-2222-4333-8444-555555555555"),
		       true);
	report(is(p, IP_B, 2300, 0, NULL, NULL, NULL, NULL), "a half-written cache file: not yet");
	write_in_place(results, cache_name(CID_B), 2200,
		       cache(CID_B, "10.0.1.11", "default", "web-b", "22222222-2222-4333-8444-555555555555"),
		       false);
	report(is(p, IP_B, 2300, POD_FROM_CNI_CACHE, "default", "web-b", CID_B,
		  "22222222-2222-4333-8444-555555555555"), "... and once whole, pod B");

	/* Two files claim one address at once (one left over): no answer. */
	write_in_place(results, cache_name(CID_C), 2400,
		       cache(CID_C, POD_A, "default", "web-c", "33333333-2222-4333-8444-555555555555"),
		       false);
	report(is(p, IP_A, 2500, 0, NULL, NULL, NULL, NULL),
	       "two cache files with one address: unknown, not a guess");
	report(is(p, IP_A, 2100, POD_FROM_CNI_CACHE, "default", "web-a", CID_A,
		  "11111111-2222-4333-8444-555555555555"), "... but before the second, pod A");
	pods_close(p);
	remove_file(results, cache_name(CID_A));
	remove_file(results, cache_name(CID_B));
	remove_file(results, cache_name(CID_C));
	remove_file(results, "cni-loopback-" CID_B "-lo");
	remove_file(results, "aws-cni-legacy-eth0");
}

/*
 * dir is made (p sees it), then a checkpoint in it at sec giving pod A's
 * address to default/name: whether p names that pod a little later.
 */
static bool appears(struct pods *p, const char *dir, long sec, const char *cid, const char *name)
{
	mkdir(dir, 0700);
	pods_update(p);
	write_renamed(dir, "ipam.json", sec,
		      checkpoint(entry(cid, POD_A, sec - 1, "default", name), NULL));
	return is(p, IP_A, sec + 100, POD_FROM_IPAM, "default", name, cid, NULL);
}

/* aws-node starts after snatctl log: the directory appears later. */
static void test_late_directory(void)
{
	char dir[96], path[128];
	struct pods *p;

	snprintf(dir, sizeof(dir), "%s/late/aws-node", root);
	snprintf(path, sizeof(path), "%s/ipam.json", dir);
	p = pods_open(path, results);
	report(is(p, IP_A, 3100, 0, NULL, NULL, NULL, NULL), "no directory yet: unknown");
	snprintf(path, sizeof(path), "%s/late", root);
	mkdir(path, 0700);
	report(appears(p, dir, 3000, CID_A, "late-a"),
	       "the directory and the checkpoint came: pod A");
	remove_file(dir, "ipam.json");
	rmdir(dir);
	rmdir(path);
	pods_close(p);
}

/*
 * The checkpoint's directory replaced under a running log: moved away and
 * another put in its place, then removed and made again. The new one is
 * what counts, each time.
 */
static void test_replaced_directory(void)
{
	char base[96], dir[112], gone[112], next[112], path[128];
	struct pods *p;

	snprintf(base, sizeof(base), "%s/replaced", root);
	snprintf(dir, sizeof(dir), "%s/aws-node", base);
	snprintf(gone, sizeof(gone), "%s/gone", base);
	snprintf(next, sizeof(next), "%s/next", base);
	snprintf(path, sizeof(path), "%s/ipam.json", dir);
	mkdir(base, 0700);
	mkdir(dir, 0700);
	write_renamed(dir, "ipam.json", 3500,
		      checkpoint(entry(CID_A, POD_A, 3499, "default", "old-a"), NULL));
	p = pods_open(path, results);
	report(is(p, IP_A, 3600, POD_FROM_IPAM, "default", "old-a", CID_A, NULL),
	       "replaced directory: the first one's pod");
	mkdir(next, 0700);
	write_renamed(next, "ipam.json", 3700,
		      checkpoint(entry(CID_B, POD_A, 3699, "default", "new-a"), NULL));
	rename(dir, gone);
	rename(next, dir);
	report(is(p, IP_A, 3800, POD_FROM_IPAM, "default", "new-a", CID_B, NULL),
	       "moved away and another put in its place: the new one's pod");
	write_renamed(dir, "ipam.json", 3900,
		      checkpoint(entry(CID_C, POD_A, 3899, "default", "newer-a"), NULL));
	report(is(p, IP_A, 4000, POD_FROM_IPAM, "default", "newer-a", CID_C, NULL),
	       "... and a change in it is followed");
	remove_file(dir, "ipam.json");
	rmdir(dir);
	report(is(p, IP_A, 4100, 0, NULL, NULL, NULL, NULL),
	       "removed: unknown, not the last pod it named");
	report(appears(p, dir, 4200, CID_A, "again-a"), "made again: its pod");
	pods_close(p);
	remove_file(dir, "ipam.json");
	remove_file(gone, "ipam.json");
	rmdir(dir);
	rmdir(gone);
	rmdir(base);
}

int main(void)
{
	T0 = (unsigned long long)time(NULL) - 60;
	if (!report_mkdtemp(root))
		return 1;
	snprintf(ipam_dir, sizeof(ipam_dir), "%s/aws-node", root);
	snprintf(results, sizeof(results), "%s/results", root);
	snprintf(ipam, sizeof(ipam), "%s/ipam.json", ipam_dir);
	mkdir(ipam_dir, 0700);
	mkdir(results, 0700);
	test_v111();
	test_pre111();
	test_cache_only();
	test_ipv6();
	test_late_directory();
	test_replaced_directory();
	rmdir(ipam_dir);
	rmdir(results);
	rmdir(root);
	return report_done("pods_test");
}
