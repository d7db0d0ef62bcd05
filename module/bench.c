// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vpcsnat/lookup_bench and lookup_bench6: time the packet
 * path's table lookup in the kernel, on the initial netns's IPv4 and IPv6
 * tables. Writing a count runs that many lookups of pseudo-random addresses;
 * reading gives the result of the last run. For the benchmark (tests/bench):
 * Kbuild builds it into test builds only.
 */

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/vmalloc.h>

#include "vpcsnat.h"

#define BENCH_ADDRS 65536	/* a power of two */
#define BENCH_MAX 1000000000ull

/* The last run of one family's file: [0] IPv4, [1] IPv6. */
struct bench_result {
	u64 count, ns, hits;
	u32 entries, ranges;
};

static struct dentry *bench_dir;
static DEFINE_MUTEX(bench_lock);
static struct bench_result bench_last[2];

/*
 * One family: draws BENCH_ADDRS addresses into @addrs; looks up @n of them
 * in the table of @conf and returns how many an entry covers (the count
 * kept in a register, as the packet path keeps nothing), the table's size
 * in @r: prefixes, and the ranges they flatten into (prefixes of one kind
 * that touch merge, so a list can flatten into far fewer ranges).
 * bench_write() is the one place that times them.
 */
struct bench_family {
	size_t addr_size;
	void (*draw)(const struct vpcsnat_conf *conf, void *addrs,
		     struct rnd_state *rnd);
	u32 (*lookups)(const struct vpcsnat_conf *conf, const void *addrs,
		       u32 n, struct bench_result *r);
};

/*
 * IPv4: uniformly random addresses. The benchmark's IPv4 tables spread
 * over the whole space, so the table's span is most of it anyway.
 */
static void draw4(const struct vpcsnat_conf *conf, void *addrs,
		  struct rnd_state *rnd)
{
	u32 *a = addrs;
	int i;

	for (i = 0; i < BENCH_ADDRS; i++)
		a[i] = prandom_u32_state(rnd);
}

static u32 lookups4(const struct vpcsnat_conf *conf, const void *addrs,
		    u32 n, struct bench_result *r)
{
	const struct vpcsnat_table *t = conf->table;
	const u32 *a = addrs;
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += vpcsnat_table_lookup(t, a[i]) != VPCSNAT_KIND_NONE;
	r->entries = t->nr_entries;
	r->ranges = t->nr_ranges;
	return hits;
}

static u64 rnd64(struct rnd_state *rnd)
{
	return (u64)prandom_u32_state(rnd) << 32 | prandom_u32_state(rnd);
}

/*
 * IPv6: uniformly random addresses would almost all fall outside the
 * table's span (a table in one VPC's /56 spans 2^-56 of the space, one
 * spread over the global unicast 2000::/3 an eighth of it), and time only
 * the early exit for an address above or below the span. A pod's new
 * connections go mostly where the table has entries (its VPC, connected
 * networks) and the rest to the internet, so three addresses in four are
 * drawn inside the span of the table at the start of the run (its base
 * with random bits after its prefix), the fourth from the whole space.
 */
static void draw6(const struct vpcsnat_conf *conf, void *addrs,
		  struct rnd_state *rnd)
{
	const struct vpcsnat_table6 *t = conf->table6;
	struct vpcsnat_in6 *a = addrs;
	int i;

	for (i = 0; i < BENCH_ADDRS; i++) {
		a[i].hi = rnd64(rnd);
		a[i].lo = rnd64(rnd);
		if (i % 4 == 3)
			continue;
		a[i].hi = (a[i].hi & ~t->mask.hi) | (t->base.hi & t->mask.hi);
		a[i].lo = (a[i].lo & ~t->mask.lo) | (t->base.lo & t->mask.lo);
	}
}

static u32 lookups6(const struct vpcsnat_conf *conf, const void *addrs,
		    u32 n, struct bench_result *r)
{
	const struct vpcsnat_table6 *t = conf->table6;
	const struct vpcsnat_in6 *a = addrs;
	u32 i, hits = 0;

	for (i = 0; i < n; i++)
		hits += vpcsnat_table6_lookup(t, a[i]) != VPCSNAT_KIND_NONE;
	r->entries = t->nr_entries;
	r->ranges = t->nr_ranges;
	return hits;
}

static const struct bench_family bench_families[2] = {
	{ sizeof(u32), draw4, lookups4 },
	{ sizeof(struct vpcsnat_in6), draw6, lookups6 },
};

static int bench_show(struct seq_file *m, void *v)
{
	const struct bench_result *r = m->private;

	mutex_lock(&bench_lock);
	seq_printf(m, "lookups %llu ns %llu entries %u matched %llu ranges %u\n",
		   r->count, r->ns, r->entries, r->hits, r->ranges);
	mutex_unlock(&bench_lock);
	return 0;
}

static int bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, bench_show, inode->i_private);
}

static ssize_t bench_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	struct bench_result *r = file_inode(file)->i_private;
	const struct bench_family *f = &bench_families[r - bench_last];
	struct vpcsnat_net *vn = vpcsnat_pernet(&init_net);
	struct bench_result res = {};
	struct rnd_state rnd;
	u64 done;
	void *addrs;
	int err;

	err = kstrtoull_from_user(buf, len, 10, &res.count);
	if (err)
		return err;
	if (!res.count || res.count > BENCH_MAX)
		return -ERANGE;
	addrs = vmalloc(array_size(BENCH_ADDRS, f->addr_size));
	if (!addrs)
		return -ENOMEM;
	prandom_seed_state(&rnd, 42);
	rcu_read_lock_bh();
	f->draw(rcu_dereference_bh(vn->conf), addrs, &rnd);
	rcu_read_unlock_bh();

	for (done = 0; done < res.count;) {
		u32 n = min_t(u64, res.count - done, BENCH_ADDRS);
		u64 start;

		rcu_read_lock_bh();
		start = ktime_get_ns();
		res.hits += f->lookups(rcu_dereference_bh(vn->conf), addrs,
				       n, &res);
		res.ns += ktime_get_ns() - start;
		rcu_read_unlock_bh();
		done += n;
		cond_resched();
	}
	vfree(addrs);

	mutex_lock(&bench_lock);
	*r = res;
	mutex_unlock(&bench_lock);
	return len;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = bench_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = bench_write,
};

void vpcsnat_bench_init(void)
{
	bench_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("lookup_bench", 0600, bench_dir, &bench_last[0],
			    &bench_fops);
	debugfs_create_file("lookup_bench6", 0600, bench_dir, &bench_last[1],
			    &bench_fops);
}

void vpcsnat_bench_exit(void)
{
	debugfs_remove(bench_dir);
}
