// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vpcsnat/lookup_bench: times the packet path's table
 * lookup in the kernel, on the initial netns's table. Writing a count runs
 * that many lookups of pseudo-random addresses; reading gives the result of
 * the last run. For the benchmark (tests/bench): Kbuild builds it into test
 * builds only.
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

static struct dentry *bench_dir;
static DEFINE_MUTEX(bench_lock);
static u64 bench_count, bench_ns, bench_hits;
static u32 bench_entries;

static int bench_show(struct seq_file *m, void *v)
{
	mutex_lock(&bench_lock);
	seq_printf(m, "lookups %llu ns %llu entries %u matched %llu\n",
		   bench_count, bench_ns, bench_entries, bench_hits);
	mutex_unlock(&bench_lock);
	return 0;
}

static int bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, bench_show, NULL);
}

static ssize_t bench_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	struct vpcsnat_net *vn = vpcsnat_pernet(&init_net);
	struct rnd_state rnd;
	u64 count, done, ns = 0, hits = 0;
	u32 *addrs, entries = 0;
	int err, i;

	err = kstrtoull_from_user(buf, len, 10, &count);
	if (err)
		return err;
	if (!count || count > BENCH_MAX)
		return -ERANGE;
	addrs = vmalloc(BENCH_ADDRS * sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	prandom_seed_state(&rnd, 42);
	for (i = 0; i < BENCH_ADDRS; i++)
		addrs[i] = prandom_u32_state(&rnd);

	for (done = 0; done < count;) {
		const struct vpcsnat_table *t;
		u64 n = min_t(u64, count - done, BENCH_ADDRS), start;

		rcu_read_lock_bh();
		t = rcu_dereference_bh(vn->conf)->table;
		entries = t->nr_entries;
		start = ktime_get_ns();
		for (i = 0; i < n; i++)
			hits += vpcsnat_table_lookup(t, addrs[i]) !=
				VPCSNAT_KIND_NONE;
		ns += ktime_get_ns() - start;
		rcu_read_unlock_bh();
		done += n;
		cond_resched();
	}
	vfree(addrs);

	mutex_lock(&bench_lock);
	bench_count = count;
	bench_ns = ns;
	bench_hits = hits;
	bench_entries = entries;
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
	debugfs_create_file("lookup_bench", 0600, bench_dir, NULL,
			    &bench_fops);
}

void vpcsnat_bench_exit(void)
{
	debugfs_remove(bench_dir);
}
