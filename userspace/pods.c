// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Which pod held an address when, from the VPC CNI's IPAM checkpoint and
 * the container runtime's CNI result cache; see pods.h. The formats, as
 * their writers write them:
 *
 * The checkpoint (aws/amazon-vpc-cni-k8s pkg/ipamd/datastore/data_store.go,
 * CheckpointData and CheckpointEntry; written by checkpoint.go's
 * JSONFile.Checkpoint(): a temporary file ipam.json.tmpNNN in the same
 * directory, then rename(), so a reader never sees half of one):
 *
 *   {"version":"vpc-cni-ipam/1","allocations":[{"networkName":"aws-cni",
 *    "containerID":"3a6a...","ifName":"eth0","ipv4":"10.0.1.23",
 *    "allocationTimestamp":1752573225402933178,
 *    "metadata":{"k8sPodNamespace":"default","k8sPodName":"web-1"}}]}
 *
 * allocationTimestamp (nanoseconds) and metadata came with v1.11 (PR 1958);
 * v1.7 to v1.10 wrote entries with networkName, containerID, ifName and
 * ipv4 only; an "ip" key stands for "ipv4" in some revisions. IPv6
 * clusters write "ipv6" in its place (CheckpointEntry's IPv6, omitempty;
 * writeBackingStoreUnsafe() writes one entry per address, from the ENI's
 * IPv4 prefixes, then from its IPv6 ones, in Go's net.IP.String() form):
 *
 *   {"networkName":"aws-cni","containerID":"3a6a...","ifName":"eth0",
 *    "ipv6":"2001:db8:1:2::5","allocationTimestamp":...,"metadata":{...}}
 *
 * "allocations" may be null when empty. With several network cards (PR 3347), card N > 0 has
 * its own file, ipam-nic-N.json (InitializeDataStores(): the path less
 * ".json", then "-nic-N.json").
 *
 * The cache (containernetworking/cni libcni/api.go, cachedInfo, written by
 * cacheAdd() with os.WriteFile, in place, once the CNI ADD succeeded, and
 * removed by cacheDel() after the DEL), one file per attachment:
 *
 *   {"kind":"cniCacheV1","containerId":"3a6a...","config":"...","ifName":"eth0",
 *    "networkName":"aws-cni","cniArgs":[["K8S_POD_NAMESPACE","default"],
 *    ["K8S_POD_NAME","web-1"],["K8S_POD_UID","8304..."],...],
 *    "result":{"cniVersion":"0.4.0","interfaces":[...],
 *              "ips":[{"address":"10.0.1.23/32","interface":1,"version":"4"}]}}
 *
 * cniArgs come in any order (containerd's go-cni ranges over a map);
 * K8S_POD_UID is missing from older containerd. Files without "kind" are
 * the legacy form, a bare result without the pod: of no use here.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <jansson.h>

#include "parse.h"
#include "pods.h"

/* How long a holding that ended, or a cache entry removed, is kept. */
#define RETAIN_NS (600ull * 1000000000ull)
#define FOREVER UINT64_MAX
#define MAX_CARDS 64

/* A container's hold on an address, as one checkpoint file tells it. */
struct holding {
	struct ipaddr ip;
	int card;
	uint64_t from, to;		/* [from, to), ns; to FOREVER while held */
	char container_id[129];
	char ifname[16];
	char ns[64], name[254];		/* the checkpoint's metadata, "" without */
	bool seen;
};

/* One file of the cache. */
struct cni_entry {
	char file[NAME_MAX + 1];
	char container_id[129];
	char ns[64], name[254], uid[40];
	struct ipaddr ips[8];
	unsigned int nips;
	uint64_t from, to;		/* the file's mtime; its removal, or FOREVER */
	bool seen;
};

/* A directory watched, or the nearest existing ancestor until it exists. */
struct dwatch {
	char *dir;
	int wd, awd;			/* -1: none */
	uint32_t mask;
	bool rescan, warned;
};

struct card {
	bool present, warned;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
};

struct pods {
	int fd;
	struct dwatch ipam, results;
	char *ipam_base;		/* "ipam.json" */
	char *ipam_stem;		/* "ipam": before "-nic-N.json" */
	bool initial;			/* the first reading, at open */
	struct card cards[MAX_CARDS];
	struct holding *h;
	size_t nh, caph;
	struct cni_entry *c;
	size_t nc, capc;
};

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

/* A Kubernetes name: a DNS subdomain (lowercase letters, digits, '-', '.'). */
static bool k8s_name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n && n <= max && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.") == n;
}

/* An identifier printed as it is: letters, digits, '-', '_', '.'. */
static bool id_ok(const char *s, size_t size)
{
	size_t n = strlen(s);

	return n && n < size &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* Which card's checkpoint name is: 0 for ipam.json, N for ipam-nic-N.json, else -1. */
static int card_of(const struct pods *p, const char *name)
{
	size_t n = strlen(p->ipam_stem);
	char *end;
	long c;

	if (!strcmp(name, p->ipam_base))
		return 0;
	if (strncmp(name, p->ipam_stem, n) || strncmp(name + n, "-nic-", 5) ||
	    name[n + 5] < '1' || name[n + 5] > '9')
		return -1;
	c = strtol(name + n + 5, &end, 10);
	return strcmp(end, ".json") || c >= MAX_CARDS ? -1 : (int)c;
}

static char *card_path(const struct pods *p, int card)
{
	char *path;

	if (!card) {
		if (asprintf(&path, "%s/%s", p->ipam.dir, p->ipam_base) < 0)
			return NULL;
	} else if (asprintf(&path, "%s/%s-nic-%d.json", p->ipam.dir, p->ipam_stem, card) < 0) {
		return NULL;
	}
	return path;
}

static struct holding *add_holding(struct pods *p)
{
	if (p->nh == p->caph) {
		size_t cap = p->caph ? 2 * p->caph : 64;
		struct holding *h = realloc(p->h, cap * sizeof(*h));

		if (!h)
			return NULL;
		p->h = h;
		p->caph = cap;
	}
	memset(&p->h[p->nh], 0, sizeof(p->h[0]));
	return &p->h[p->nh++];
}

/* One allocation of a checkpoint of card, written at m (ns). */
static void take_allocation(struct pods *p, int card, uint64_t m, json_t *a)
{
	const char *ip_s = json_string_value(json_object_get(a, "ipv4"));
	const char *ip6_s = json_string_value(json_object_get(a, "ipv6"));
	const char *cid = json_string_value(json_object_get(a, "containerID"));
	const char *ifname = json_string_value(json_object_get(a, "ifName"));
	json_t *meta = json_object_get(a, "metadata"), *ts = json_object_get(a, "allocationTimestamp");
	const char *ns = json_string_value(json_object_get(meta, "k8sPodNamespace"));
	const char *name = json_string_value(json_object_get(meta, "k8sPodName"));
	char err[PARSE_ERR_LEN];
	struct holding *h;
	struct ipaddr ip;
	size_t i;

	if (!ip_s)
		ip_s = json_string_value(json_object_get(a, "ip"));
	/* One address an entry: an IPv4 one, else an IPv6 one. */
	if (!ip_s)
		ip_s = ip6_s;
	if (!ip_s || !parse_ipaddr(ip_s, &ip, err) || !cid || !id_ok(cid, sizeof(h->container_id)))
		return;
	if (!ifname || !id_ok(ifname, sizeof(h->ifname)))
		ifname = "";
	if (!ns || !name || !k8s_name_ok(ns, 63) || !k8s_name_ok(name, 253))
		ns = name = "";
	for (i = 0; i < p->nh; i++) {
		h = &p->h[i];
		if (h->card == card && h->to == FOREVER && ipaddr_equal(&h->ip, &ip) &&
		    !strcmp(h->container_id, cid) && !strcmp(h->ifname, ifname)) {
			h->seen = true;
			if (*name) {
				copy(h->ns, sizeof(h->ns), ns);
				copy(h->name, sizeof(h->name), name);
			}
			return;
		}
	}
	h = add_holding(p);
	if (!h)
		return;
	h->ip = ip;
	h->card = card;
	h->to = FOREVER;
	h->seen = true;
	/*
	 * Since its allocation, if the CNI says when; else since this
	 * checkpoint was written, or since ever if it was there when we came.
	 */
	if (json_is_integer(ts) && json_integer_value(ts) > 0 &&
	    (uint64_t)json_integer_value(ts) <= m)
		h->from = (uint64_t)json_integer_value(ts);
	else
		h->from = p->initial ? 0 : m;
	copy(h->container_id, sizeof(h->container_id), cid);
	copy(h->ifname, sizeof(h->ifname), ifname);
	copy(h->ns, sizeof(h->ns), ns);
	copy(h->name, sizeof(h->name), name);
}

/* Every holding of card still open ends at t, or those not seen. */
static void end_holdings(struct pods *p, int card, uint64_t t, bool unseen_only)
{
	size_t i;

	for (i = 0; i < p->nh; i++)
		if (p->h[i].card == card && p->h[i].to == FOREVER &&
		    (!unseen_only || !p->h[i].seen))
			p->h[i].to = t;
}

/* Reads the checkpoint of card if it changed; a vanished one ends its holdings. */
static void read_card(struct pods *p, int card)
{
	struct card *c = &p->cards[card];
	char *path = card_path(p, card);
	json_error_t jerr;
	json_t *root = NULL, *allocs, *a;
	const char *version;
	struct stat st;
	uint64_t m;
	size_t i;
	int fd = -1;

	if (!path)
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (errno == ENOENT && c->present)
			end_holdings(p, card, now_ns(), false);
		else if (errno != ENOENT && !c->warned)
			fprintf(stderr, "Warning: Cannot read %s: %s; its pods are unknown\n", path,
				strerror(errno));
		c->warned = errno != ENOENT;
		c->present = false;
		goto out;
	}
	if (c->present && c->dev == st.st_dev && c->ino == st.st_ino &&
	    c->mtime.tv_sec == st.st_mtim.tv_sec && c->mtime.tv_nsec == st.st_mtim.tv_nsec)
		goto out;
	root = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
	version = json_string_value(json_object_get(root, "version"));
	allocs = json_object_get(root, "allocations");
	if (!root || !version || strncmp(version, "vpc-cni-ipam/", 13) ||
	    !(json_is_array(allocs) || json_is_null(allocs))) {
		/* Written by rename: this is what the CNI wrote, not half of it. */
		if (!c->warned)
			fprintf(stderr, "Warning: %s is not a VPC CNI IPAM checkpoint (%s); "
				"its pods are unknown\n", path,
				!root ? jerr.text : !version ? "no version" :
				strncmp(version, "vpc-cni-ipam/", 13) ? "unknown version" :
				"no allocations");
		c->warned = true;
		goto out;
	}
	c->warned = false;
	c->present = true;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->mtime = st.st_mtim;
	m = ts_ns(&st.st_mtim);
	for (i = 0; i < p->nh; i++)
		if (p->h[i].card == card)
			p->h[i].seen = false;
	json_array_foreach(allocs, i, a)
		take_allocation(p, card, m, a);
	end_holdings(p, card, m, true);
out:
	json_decref(root);
	if (fd >= 0)
		close(fd);
	free(path);
}

/* Every card's checkpoint, those that are there and those that were. */
static void read_checkpoints(struct pods *p)
{
	bool there[MAX_CARDS] = { false };
	struct dirent *d;
	DIR *dir;
	int card;

	there[0] = true;
	dir = opendir(p->ipam.dir);
	while (dir && (d = readdir(dir))) {
		card = card_of(p, d->d_name);
		if (card > 0)
			there[card] = true;
	}
	if (dir)
		closedir(dir);
	for (card = 0; card < MAX_CARDS; card++)
		if (there[card] || p->cards[card].present)
			read_card(p, card);
}

/* The value of key in cniArgs' [key, value] pairs, or NULL. */
static const char *cni_arg(json_t *args, const char *key)
{
	json_t *pair;
	size_t i;

	json_array_foreach(args, i, pair) {
		if (json_array_size(pair) == 2 &&
		    !strcmp(json_string_value(json_array_get(pair, 0)) ?: "", key))
			return json_string_value(json_array_get(pair, 1));
	}
	return NULL;
}

/* Parses one cache file into *e; false if it is not a pod's (or half written). */
static bool parse_cni(int dirfd, const char *file, struct cni_entry *e)
{
	json_t *root = NULL, *args, *ips, *ip;
	const char *cid, *ns, *name, *uid, *kind;
	char addr[INET6_ADDRSTRLEN + 8], err[PARSE_ERR_LEN];
	struct stat st;
	bool ok = false;
	size_t i;
	int fd;

	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		goto out;
	root = json_loadfd(fd, 0, NULL);
	kind = json_string_value(json_object_get(root, "kind"));
	cid = json_string_value(json_object_get(root, "containerId"));
	args = json_object_get(root, "cniArgs");
	ns = cni_arg(args, "K8S_POD_NAMESPACE");
	name = cni_arg(args, "K8S_POD_NAME");
	uid = cni_arg(args, "K8S_POD_UID");
	if (!kind || strcmp(kind, "cniCacheV1") || !cid || !id_ok(cid, sizeof(e->container_id)) ||
	    !ns || !name || !k8s_name_ok(ns, 63) || !k8s_name_ok(name, 253))
		goto out;
	memset(e, 0, sizeof(*e));
	copy(e->file, sizeof(e->file), file);
	copy(e->container_id, sizeof(e->container_id), cid);
	copy(e->ns, sizeof(e->ns), ns);
	copy(e->name, sizeof(e->name), name);
	if (uid && id_ok(uid, sizeof(e->uid)))
		copy(e->uid, sizeof(e->uid), uid);
	ips = json_object_get(json_object_get(root, "result"), "ips");
	json_array_foreach(ips, i, ip) {
		const char *a = json_string_value(json_object_get(ip, "address"));

		struct ipaddr *ipa = &e->ips[e->nips];

		/* "10.0.1.23/32", "2001:db8:1:2::5/128": the address alone matters. */
		if (!a || e->nips == sizeof(e->ips) / sizeof(e->ips[0]))
			continue;
		copy(addr, sizeof(addr), a);
		addr[strcspn(addr, "/")] = '\0';
		if (parse_ipaddr(addr, ipa, err) && (ipa->v6 || ipa->v4 >> 24 != 127) &&
		    (!ipa->v6 || ipa->in6.hi || ipa->in6.lo != 1))
			e->nips++;
	}
	e->from = ts_ns(&st.st_mtim);
	e->to = FOREVER;
	ok = true;
out:
	json_decref(root);
	close(fd);
	return ok;
}

/* The live entry of file, or NULL. */
static struct cni_entry *cni_live(struct pods *p, const char *file)
{
	size_t i;

	for (i = 0; i < p->nc; i++)
		if (p->c[i].to == FOREVER && !strcmp(p->c[i].file, file))
			return &p->c[i];
	return NULL;
}

/* (Re)reads one cache file; a removed one is kept, ended, for a while. */
static void read_cni(struct pods *p, int dirfd, const char *file)
{
	struct cni_entry e, *old = cni_live(p, file);

	if (!parse_cni(dirfd, file, &e)) {
		/* Gone, or not (yet) a whole pod's: a write ends in IN_CLOSE_WRITE. */
		if (old && faccessat(dirfd, file, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
			old->to = now_ns();
		if (old)
			old->seen = true;
		return;
	}
	e.seen = true;
	if (old && !strcmp(old->container_id, e.container_id)) {
		e.from = old->from;
		*old = e;
		return;
	}
	if (old)
		old->to = now_ns();
	if (p->nc == p->capc) {
		size_t cap = p->capc ? 2 * p->capc : 64;
		struct cni_entry *c = realloc(p->c, cap * sizeof(*c));

		if (!c)
			return;
		p->c = c;
		p->capc = cap;
	}
	p->c[p->nc++] = e;
}

static void read_cni_file(struct pods *p, const char *file, bool removed)
{
	struct cni_entry *old;
	int dirfd;

	if (removed) {
		old = cni_live(p, file);
		if (old)
			old->to = now_ns();
		return;
	}
	dirfd = open(p->results.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return;
	read_cni(p, dirfd, file);
	close(dirfd);
}

/* The whole cache directory again. */
static void read_cni_dir(struct pods *p)
{
	uint64_t now = now_ns();
	struct dirent *d;
	size_t i;
	DIR *dir;

	for (i = 0; i < p->nc; i++)
		p->c[i].seen = false;
	dir = opendir(p->results.dir);
	while (dir && (d = readdir(dir)))
		if (d->d_name[0] != '.')
			read_cni(p, dirfd(dir), d->d_name);
	if (dir)
		closedir(dir);
	for (i = 0; i < p->nc; i++)
		if (!p->c[i].seen && p->c[i].to == FOREVER)
			p->c[i].to = now;
}

/* w->dir is watched: its ancestor's creations no longer matter, unless to the other watch. */
static void watching(struct pods *p, struct dwatch *w)
{
	if (w->awd >= 0 && w->awd != p->ipam.wd && w->awd != p->results.wd &&
	    (w == &p->ipam ? p->results.awd : p->ipam.awd) != w->awd)
		inotify_rm_watch(p->fd, w->awd);
	w->awd = -1;
	w->rescan = true;
}

static int watch_dir(struct pods *p, struct dwatch *w)
{
	return inotify_add_watch(p->fd, w->dir, w->mask | IN_ONLYDIR | IN_MASK_ADD);
}

/*
 * Watches w->dir, or until it exists its nearest existing ancestor: any
 * creation there may be it (or a step towards it).
 */
static void arm(struct pods *p, struct dwatch *w)
{
	char *dir, *slash;

	w->wd = watch_dir(p, w);
	if (w->wd >= 0) {
		watching(p, w);
		return;
	}
	if (!w->warned)
		fprintf(stderr, "Warning: Cannot watch %s: %s; its pods are unknown until it %s\n",
			w->dir, strerror(errno), errno == ENOENT ? "exists" : "can be read");
	w->warned = true;
	dir = strdup(w->dir);
	w->awd = -1;
	while (dir && w->awd < 0 && (slash = strrchr(dir, '/'))) {
		slash[slash == dir] = '\0';
		w->awd = inotify_add_watch(p->fd, dir, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR |
					   IN_MASK_ADD);
		if (slash == dir)
			break;
	}
	free(dir);
	/* Made between the first try and the ancestor's watch: no event will say so. */
	w->wd = watch_dir(p, w);
	if (w->wd >= 0)
		watching(p, w);
}

/*
 * A watch's directory went away or was moved (a moved one is still
 * watched where it went: drop that): start over from its path.
 */
static void lost(struct pods *p, struct dwatch *w, uint32_t mask)
{
	if (!(mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)))
		return;
	if (mask & IN_MOVE_SELF)
		inotify_rm_watch(p->fd, w->wd);
	w->wd = -1;
	w->rescan = true;
}

void pods_update(struct pods *p)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	uint64_t now = now_ns();
	bool ipam = false;
	ssize_t n;
	size_t i, j;

	while ((n = read(p->fd, buf, sizeof(buf))) > 0) {
		for (ev = (void *)buf; (char *)ev < buf + n;
		     ev = (void *)((char *)ev + sizeof(*ev) + ev->len)) {
			if (ev->mask & IN_Q_OVERFLOW) {
				p->ipam.rescan = p->results.rescan = true;
				continue;
			}
			if (ev->wd == p->ipam.wd) {
				lost(p, &p->ipam, ev->mask);
				ipam |= ev->len && card_of(p, ev->name) >= 0;
			}
			if (ev->wd == p->results.wd) {
				lost(p, &p->results, ev->mask);
				if (ev->len && ev->name[0] != '.' && !p->results.rescan)
					read_cni_file(p, ev->name,
						      ev->mask & (IN_DELETE | IN_MOVED_FROM));
			}
			/* Something appeared on the way to a missing directory. */
			if (ev->wd == p->ipam.awd && p->ipam.wd < 0)
				p->ipam.rescan = true;
			if (ev->wd == p->results.awd && p->results.wd < 0)
				p->results.rescan = true;
		}
	}
	if (p->ipam.wd < 0 && p->ipam.rescan)
		arm(p, &p->ipam);
	if (p->results.wd < 0 && p->results.rescan)
		arm(p, &p->results);
	if (p->ipam.rescan || ipam)
		read_checkpoints(p);
	if (p->results.rescan)
		read_cni_dir(p);
	p->ipam.rescan = p->results.rescan = false;
	p->initial = false;

	/* What ended long ago can no longer be asked about. */
	for (i = j = 0; i < p->nh; i++)
		if (p->h[i].to == FOREVER || p->h[i].to + RETAIN_NS > now)
			p->h[j++] = p->h[i];
	p->nh = j;
	for (i = j = 0; i < p->nc; i++)
		if (p->c[i].to == FOREVER || p->c[i].to + RETAIN_NS > now)
			p->c[j++] = p->c[i];
	p->nc = j;
}

struct pods *pods_open(const char *ipam, const char *results)
{
	struct pods *p = calloc(1, sizeof(*p));
	char *slash;

	if (!p)
		goto oom;
	p->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (p->fd < 0) {
		fprintf(stderr, "Error: Cannot watch for pods: %s\n", strerror(errno));
		free(p);
		return NULL;
	}
	p->ipam.dir = strdup(ipam);
	p->results.dir = strdup(results);
	if (!p->ipam.dir || !p->results.dir)
		goto oom;
	/* "/x/ipam.json": the directory /x, the name, the stem "ipam". */
	slash = strrchr(p->ipam.dir, '/');
	p->ipam_base = strdup(slash ? slash + 1 : p->ipam.dir);
	if (!slash)
		strcpy(p->ipam.dir, ".");
	else
		slash[slash == p->ipam.dir] = '\0';
	if (!p->ipam_base)
		goto oom;
	p->ipam_stem = strdup(p->ipam_base);
	if (!p->ipam_stem)
		goto oom;
	if (strlen(p->ipam_stem) > 5 && !strcmp(p->ipam_stem + strlen(p->ipam_stem) - 5, ".json"))
		p->ipam_stem[strlen(p->ipam_stem) - 5] = '\0';
	/* The checkpoint is renamed into place; a test or a tool may write it in place. */
	p->ipam.mask = IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM |
		       IN_DELETE_SELF | IN_MOVE_SELF;
	p->results.mask = p->ipam.mask;
	p->ipam.wd = p->ipam.awd = p->results.wd = p->results.awd = -1;
	p->ipam.rescan = p->results.rescan = true;
	p->initial = true;
	pods_update(p);
	return p;
oom:
	fputs("Error: Out of memory\n", stderr);
	pods_close(p);
	return NULL;
}

int pods_fd(const struct pods *p)
{
	return p->fd;
}

/* The cache's entry of a container, removed or not, or NULL. */
static const struct cni_entry *cni_of(const struct pods *p, const char *cid)
{
	size_t i;

	for (i = p->nc; i-- > 0;)
		if (!strcmp(p->c[i].container_id, cid))
			return &p->c[i];
	return NULL;
}

static bool any_checkpoint(const struct pods *p)
{
	int card;

	for (card = 0; card < MAX_CARDS; card++)
		if (p->cards[card].present)
			return true;
	return false;
}

void pods_find(struct pods *p, const struct ipaddr *ip, uint64_t at, struct pod_id *pod)
{
	const struct holding *found = NULL;
	const struct cni_entry *c = NULL;
	size_t i, k;

	memset(pod, 0, sizeof(*pod));
	for (i = 0; i < p->nh; i++) {
		const struct holding *h = &p->h[i];

		if (!ipaddr_equal(&h->ip, ip) || at < h->from || at >= h->to)
			continue;
		/* Two containers on one address at once: the files disagree. */
		if (found && strcmp(found->container_id, h->container_id))
			return;
		found = h;
	}
	if (found) {
		copy(pod->container_id, sizeof(pod->container_id), found->container_id);
		c = cni_of(p, found->container_id);
		if (found->name[0]) {
			pod->source = POD_FROM_IPAM;
			copy(pod->ns, sizeof(pod->ns), found->ns);
			copy(pod->name, sizeof(pod->name), found->name);
			if (c && !strcmp(c->ns, found->ns) && !strcmp(c->name, found->name))
				copy(pod->uid, sizeof(pod->uid), c->uid);
			return;
		}
	} else if (!any_checkpoint(p)) {
		/* No checkpoint: the cache alone says who has the address. */
		for (i = 0; i < p->nc; i++) {
			const struct cni_entry *e = &p->c[i];

			if (at < e->from || at >= e->to)
				continue;
			for (k = 0; k < e->nips && !ipaddr_equal(&e->ips[k], ip); k++)
				;
			if (k == e->nips)
				continue;
			if (c && strcmp(c->container_id, e->container_id))
				return;
			c = e;
		}
		if (c)
			copy(pod->container_id, sizeof(pod->container_id), c->container_id);
	} else {
		return;
	}
	if (c) {
		pod->source = POD_FROM_CNI_CACHE;
		copy(pod->ns, sizeof(pod->ns), c->ns);
		copy(pod->name, sizeof(pod->name), c->name);
		copy(pod->uid, sizeof(pod->uid), c->uid);
	}
}

void pods_close(struct pods *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p->ipam.dir);
	free(p->results.dir);
	free(p->ipam_base);
	free(p->ipam_stem);
	free(p->h);
	free(p->c);
	free(p);
}
