// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Whether the VPC CNI's own SNAT pieces are still in this network
 * namespace: AWS-SNAT-CHAIN-0 and AWS-CONNMARK-CHAIN-0 in the nat table
 * (iptables-legacy, or iptables-nft's "ip nat" table), and its native
 * nftables connmark table "ip aws-cni" (v1.23 and later; see
 * pkg/networkutils/network.go and nftables_connmark.go in
 * aws/amazon-vpc-cni-k8s). Read only: nothing here changes a rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_ipv4/ip_tables.h>

#include "cnirules.h"

static const char *const cni_chains[] = { "AWS-SNAT-CHAIN-0", "AWS-CONNMARK-CHAIN-0" };
#define NCHAINS (sizeof(cni_chains) / sizeof(cni_chains[0]))
#define CNI_NFT_TABLE "aws-cni"

static void found(struct cni_rules *r, const char *what, const char *where)
{
	if (r->n < CNI_RULES_MAX)
		snprintf(r->name[r->n++], sizeof(r->name[0]), "%s (%s)", what, where);
}

static int chain_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(a);

	if ((type == NFTA_CHAIN_TABLE || type == NFTA_CHAIN_NAME) &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		tb[type] = a;
	return MNL_CB_OK;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { 0 };
	struct cni_rules *r = data;
	const char *table, *name;
	size_t i;

	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), chain_attr_cb, tb);
	if (!tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME])
		return MNL_CB_OK;
	table = mnl_attr_get_str(tb[NFTA_CHAIN_TABLE]);
	name = mnl_attr_get_str(tb[NFTA_CHAIN_NAME]);
	if (!strcmp(table, CNI_NFT_TABLE)) {
		if (!r->nft_table) {
			r->nft_table = true;
			found(r, "table ip " CNI_NFT_TABLE, "nftables");
		}
		return MNL_CB_OK;
	}
	for (i = 0; i < NCHAINS; i++)
		if (!strcmp(table, "nat") && !strcmp(name, cni_chains[i]))
			found(r, cni_chains[i], "iptables-nft");
	return MNL_CB_OK;
}

/* The IPv4 nftables chains, iptables-nft's among them. */
static int nft_chains(struct cni_rules *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	struct nl_error e;
	struct nl nl;
	int ret;

	if (nl_open_bus(&nl, NETLINK_NETFILTER) < 0)
		return -1;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETCHAIN;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_IPV4;
	nfg->version = NFNETLINK_V0;
	ret = nl_talk(&nl, nlh, chain_cb, r, &e);
	nl_close(&nl);
	if (ret < 0)
		errno = e.err;
	return ret;
}

/* Whether this netns has an iptables-legacy table name, without making one. */
static bool legacy_table(const char *name)
{
	char line[64];
	bool have = false;
	FILE *f = fopen("/proc/net/ip_tables_names", "re");

	if (!f)
		return false;
	while (!have && fgets(line, sizeof(line), f))
		have = !strncmp(line, name, strlen(name)) && line[strlen(name)] == '\n';
	fclose(f);
	return have;
}

/*
 * The user-defined chains of iptables-legacy's nat table: each starts with
 * an ERROR target holding its name (how iptables-save finds them).
 */
static int legacy_chains(struct cni_rules *r)
{
	struct ipt_getinfo info = { .name = "nat" };
	struct ipt_get_entries *entries = NULL;
	socklen_t len = sizeof(info);
	unsigned int off;
	int fd, ret = -1;
	size_t i;

	if (!legacy_table("nat"))
		return 0;
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	if (getsockopt(fd, SOL_IP, IPT_SO_GET_INFO, &info, &len) < 0)
		goto out;
	len = sizeof(*entries) + info.size;
	entries = calloc(1, len);
	if (!entries)
		goto out;
	snprintf(entries->name, sizeof(entries->name), "nat");
	entries->size = info.size;
	if (getsockopt(fd, SOL_IP, IPT_SO_GET_ENTRIES, entries, &len) < 0)
		goto out;
	for (off = 0; off + sizeof(struct ipt_entry) <= entries->size;) {
		const struct ipt_entry *e = (const void *)((const char *)entries->entrytable + off);
		const struct xt_error_target *t = (const void *)((const char *)e + e->target_offset);

		if (e->next_offset < sizeof(*e) ||
		    e->target_offset + sizeof(t->target) > e->next_offset)
			break;
		for (i = 0; !strcmp(t->target.u.user.name, XT_ERROR_TARGET) &&
			    t->target.u.target_size >= sizeof(*t) && i < NCHAINS; i++)
			if (!strncmp(t->errorname, cni_chains[i], sizeof(t->errorname)))
				found(r, cni_chains[i], "iptables-legacy");
		off += e->next_offset;
	}
	ret = 0;
out:
	free(entries);
	close(fd);
	return ret;
}

int cni_rules_find(struct cni_rules *r)
{
	int nft, legacy;

	memset(r, 0, sizeof(*r));
	nft = nft_chains(r);
	legacy = legacy_chains(r);
	return nft < 0 && legacy < 0 ? -1 : 0;
}

void cni_rules_warn(void)
{
	struct cni_rules r;
	unsigned int i;

	/* Without CAP_NET_ADMIN neither can be read: then nothing is said. */
	if (cni_rules_find(&r) < 0)
		return;
	for (i = 0; i < r.n; i++)
		fprintf(stderr, "Warning: The VPC CNI's %s is still in this network namespace: it "
			"translates the same connections first; set AWS_VPC_K8S_CNI_EXTERNALSNAT=true "
			"on aws-node (README: Migrating from the VPC CNI)\n", r.name[i]);
}
