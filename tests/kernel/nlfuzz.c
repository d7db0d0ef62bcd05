// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded fuzzer for the vpcsnat generic netlink family: valid messages
 * of every command, mutated (bit flips, lengths, types, truncation, random
 * attributes, nesting), plus plain random ones, sent from a few sockets
 * that are reopened now and then (to drop staged replaces).
 *
 *   nlfuzz MESSAGES SECONDS [SEED]
 *   nlfuzz replace FILE_A FILE_B COUNT
 *
 * Stops after MESSAGES messages or SECONDS seconds, whichever comes first,
 * then checks that GET_CONFIG still answers. Exit 0 if it does.
 *
 * replace: replaces the table COUNT times, alternately with the CIDRs of
 * FILE_A and FILE_B ("a.b.c.d/len [vpc|exclude|snat]" lines, at most 2340),
 * from one process: the stress test's fast path next to snatctl's.
 *
 *   nlfuzz failnth OLD NEW [CHUNK]
 *
 * failnth: with the table set to OLD, replaces it with NEW while the N-th
 * allocation of this thread fails (/proc/thread-self/fail-nth), for N = 1,
 * 2, ... until the replace no longer reaches the N-th allocation. After
 * each: the table must be OLD with an error returned, or NEW with success
 * (or NEW with ENOBUFS: the ACK itself could not be allocated). With CHUNK,
 * NEW goes in messages of CHUNK entries, all but the last with
 * VPCSNAT_A_MORE, so that staging is in the path too; after a failure the
 * socket is closed, which drops what it staged.
 * Prints "N points, R refused (errno list), A absorbed" or what went wrong.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/vpcsnat.h>

#define NSOCK 3
#define BUFSZ 65536

static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned int rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng >> 11);
}

static struct mnl_socket *nl[NSOCK];
static unsigned int seq;
static int family;

static struct mnl_socket *open_sock(void)
{
	struct mnl_socket *s = mnl_socket_open(NETLINK_GENERIC);
	int one = 1;

	if (!s || mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlfuzz: socket");
		exit(1);
	}
	mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s, NETLINK_CAP_ACK, &one, sizeof(one));
	return s;
}

static struct nlmsghdr *genl_hdr(char *buf, int type, int cmd, int flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VPCSNAT_GENL_VERSION;
	return nlh;
}

static int family_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
		*(int *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int family_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_cb, data);
	return MNL_CB_OK;
}

/* Send one request and wait for its answer; the return of mnl_cb_run. */
static int transact(struct mnl_socket *s, struct nlmsghdr *nlh,
		    mnl_cb_t cb, void *data)
{
	char buf[BUFSZ];
	int n, ret;

	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(s, buf, sizeof(buf));
		if (n <= 0)
			return -1;
		ret = mnl_cb_run(buf, n, nlh->nlmsg_seq, mnl_socket_get_portid(s), cb, data);
	} while (ret == MNL_CB_OK);
	return ret;
}

static int resolve_family(struct mnl_socket *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = genl_hdr(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	int id = 0;

	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VPCSNAT_GENL_NAME);
	if (transact(s, nlh, family_msg_cb, &id) < 0 || !id) {
		fprintf(stderr, "nlfuzz: family %s not found\n", VPCSNAT_GENL_NAME);
		exit(1);
	}
	return id;
}

static void put_cidr(struct nlmsghdr *nlh, int type)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int plen = rnd() % 34;
	unsigned int addr = rnd();

	if (rnd() % 4)
		addr &= plen >= 32 ? ~0u : plen ? ~0u << (32 - plen) : 0;
	mnl_attr_put_u32(nlh, VPCSNAT_CIDR_A_ADDR, addr);
	if (rnd() % 8)
		mnl_attr_put_u8(nlh, VPCSNAT_CIDR_A_PREFIXLEN, plen);
	if (rnd() % 2)
		mnl_attr_put_u8(nlh, VPCSNAT_CIDR_A_KIND, rnd() % 4);
	mnl_attr_nest_end(nlh, nest);
}

static void put_settings(struct nlmsghdr *nlh)
{
	if (rnd() % 3 == 0)
		mnl_attr_put_u8(nlh, VPCSNAT_A_ENABLED, rnd() % 3);
	if (rnd() % 3 == 0)
		mnl_attr_put_u8(nlh, VPCSNAT_A_EXTERNAL_SNAT, rnd() % 3);
	if (rnd() % 3 == 0)
		mnl_attr_put_u32(nlh, VPCSNAT_A_SNAT_IP, rnd() % 2 ? 0 : rnd());
	if (rnd() % 3 == 0)
		mnl_attr_put_u8(nlh, VPCSNAT_A_RANDOM, rnd() % 4);
	if (rnd() % 4 == 0)
		mnl_attr_put_u32(nlh, VPCSNAT_A_TABLE_LIMIT, rnd() % 3 ? rnd() % 5000 : rnd());
	if (rnd() % 4 == 0) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, VPCSNAT_A_SKIP_IFACES);
		static const char *const names[] = { "vlan", "eth", "", "a/b", "0123456789abcdef", "x y" };
		unsigned int i, n = rnd() % 20;

		for (i = 0; i < n; i++)
			mnl_attr_put_strz(nlh, VPCSNAT_A_IFACE, names[rnd() % 6]);
		mnl_attr_nest_end(nlh, nest);
	}
}

/* A valid-looking message of a random command. */
static struct nlmsghdr *seed_msg(char *buf)
{
	int cmd = rnd() % (VPCSNAT_CMD_MAX + 2);
	int flags = rnd() % 8 ? NLM_F_ACK : (rnd() % 2 ? NLM_F_DUMP : 0);
	struct nlmsghdr *nlh = genl_hdr(buf, family, cmd, flags);
	struct nlattr *list;
	unsigned int i, n;

	switch (cmd) {
	case VPCSNAT_CMD_SET_CONFIG:
		put_settings(nlh);
		break;
	case VPCSNAT_CMD_ADD_CIDR:
	case VPCSNAT_CMD_DEL_CIDR:
		put_cidr(nlh, VPCSNAT_A_CIDR);
		break;
	case VPCSNAT_CMD_REPLACE_CIDRS:
		if (rnd() % 3 == 0)
			mnl_attr_put(nlh, VPCSNAT_A_MORE, 0, NULL);
		if (rnd() % 4 == 0)
			put_settings(nlh);
		list = mnl_attr_nest_start(nlh, VPCSNAT_A_CIDRS);
		n = rnd() % 4 ? rnd() % 40 : rnd() % 2000;
		for (i = 0; i < n; i++)
			put_cidr(nlh, rnd() % 50 ? VPCSNAT_A_CIDR : rnd() % 20);
		mnl_attr_nest_end(nlh, list);
		break;
	case VPCSNAT_CMD_EXPLAIN:
		mnl_attr_put_u32(nlh, VPCSNAT_A_SRC, rnd());
		mnl_attr_put_u32(nlh, VPCSNAT_A_DST, rnd());
		if (rnd() % 2)
			mnl_attr_put_strz(nlh, VPCSNAT_A_OIFNAME, rnd() % 2 ? "vlan0" : "eth0");
		break;
	case VPCSNAT_CMD_GET_CIDRS:
		nlh->nlmsg_flags |= NLM_F_DUMP;
		break;
	case VPCSNAT_CMD_WHO:
		mnl_attr_put_u8(nlh, VPCSNAT_A_PROTO, rnd() % 2 ? 17 : rnd());
		mnl_attr_put_u32(nlh, VPCSNAT_A_NAT_SRC, rnd());
		mnl_attr_put_u16(nlh, VPCSNAT_A_NAT_SPORT, rnd());
		mnl_attr_put_u32(nlh, VPCSNAT_A_DST, rnd());
		mnl_attr_put_u16(nlh, VPCSNAT_A_DPORT, rnd());
		break;
	}
	return nlh;
}

/* Damage @nlh in place; keeps nlmsg_len within the buffer. */
static void mutate(struct nlmsghdr *nlh)
{
	unsigned char *p = (unsigned char *)nlh;
	unsigned int hdr = NLMSG_HDRLEN, len = nlh->nlmsg_len, i, n = 1 + rnd() % 4;

	for (i = 0; i < n; i++) {
		unsigned int at = len > hdr ? hdr + rnd() % (len - hdr) : hdr;

		switch (rnd() % 9) {
		case 0:		/* flip a bit */
			if (at < len)
				p[at] ^= 1 << (rnd() % 8);
			break;
		case 1:		/* a random byte */
			if (at < len)
				p[at] = rnd();
			break;
		case 2:		/* an interesting 16-bit value: attribute lengths and types */
			if (at + 1 < len) {
				static const unsigned short v[] = { 0, 1, 3, 4, 5, 8, 0xffff, 0x8000, 0x7fff, 0x8001 };
				unsigned short x = v[rnd() % 10];

				memcpy(p + at, &x, 2);
			}
			break;
		case 3:		/* truncate */
			if (len > hdr + 4)
				len = hdr + 4 + rnd() % (len - hdr - 4);
			break;
		case 4:		/* append a random attribute */
			if (len + 64 < BUFSZ) {
				struct nlattr *a = (struct nlattr *)(p + NLMSG_ALIGN(len));
				unsigned int alen = rnd() % 40;

				a->nla_type = rnd() % 2 ? rnd() % (VPCSNAT_A_MAX + 3) : rnd();
				a->nla_len = NLA_HDRLEN + alen;
				for (unsigned int j = 0; j < alen; j++)
					p[NLMSG_ALIGN(len) + NLA_HDRLEN + j] = rnd();
				len = NLMSG_ALIGN(len) + NLA_ALIGN(a->nla_len);
			}
			break;
		case 5:		/* another command */
			((struct genlmsghdr *)(p + hdr))->cmd = rnd() % 12;
			break;
		case 6:		/* another version or reserved field */
			p[hdr + 1 + rnd() % 3] = rnd();
			break;
		case 7:		/* flags */
			nlh->nlmsg_flags ^= 1 << (rnd() % 12);
			nlh->nlmsg_flags |= NLM_F_REQUEST;
			break;
		case 8:		/* a deep nest of nests */
			if (len + 400 < BUFSZ) {
				unsigned int depth = 1 + rnd() % 40, start = NLMSG_ALIGN(len), j;

				for (j = 0; j < depth; j++) {
					struct nlattr *a = (struct nlattr *)(p + start + j * NLA_HDRLEN);

					a->nla_type = NLA_F_NESTED | (rnd() % (VPCSNAT_A_MAX + 1));
					a->nla_len = (depth - j) * NLA_HDRLEN;
				}
				len = start + depth * NLA_HDRLEN;
			}
			break;
		}
	}
	nlh->nlmsg_len = len;
}

static void drain(struct mnl_socket *s)
{
	char buf[BUFSZ];

	while (recv(mnl_socket_get_fd(s), buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	*(int *)data = 1;
	return MNL_CB_OK;
}

static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/*
 * A REPLACE_CIDRS message with the entries of @file from the @from-th on,
 * at most @max of them (0: all), and VPCSNAT_A_MORE if more follow. Sets
 * *@more when it stopped before the end of the file.
 */
static struct nlmsghdr *replace_part(char *buf, const char *file, int from,
				     int max, bool *more)
{
	struct nlmsghdr *nlh = genl_hdr(buf, family, VPCSNAT_CMD_REPLACE_CIDRS, NLM_F_ACK);
	struct nlattr *list = mnl_attr_nest_start(nlh, VPCSNAT_A_CIDRS);
	char line[128], kind[16];
	unsigned int a, b, c, d, plen;
	FILE *f = fopen(file, "r");
	int at = 0;

	if (!f) {
		perror(file);
		exit(2);
	}
	*more = false;
	while (fgets(line, sizeof(line), f)) {
		struct nlattr *nest;
		int n = sscanf(line, "%u.%u.%u.%u/%u %15s", &a, &b, &c, &d, &plen, kind);

		if (n < 5 || at++ < from)
			continue;
		if (max && at > from + max) {
			*more = true;
			break;
		}
		nest = mnl_attr_nest_start(nlh, VPCSNAT_A_CIDR);
		mnl_attr_put_u32(nlh, VPCSNAT_CIDR_A_ADDR, htonl(a << 24 | b << 16 | c << 8 | d));
		mnl_attr_put_u8(nlh, VPCSNAT_CIDR_A_PREFIXLEN, plen);
		mnl_attr_put_u8(nlh, VPCSNAT_CIDR_A_KIND,
				n < 6 || !strcmp(kind, "vpc") ? VPCSNAT_KIND_VPC :
				!strcmp(kind, "exclude") ? VPCSNAT_KIND_EXCLUDE : VPCSNAT_KIND_SNAT);
		mnl_attr_nest_end(nlh, nest);
	}
	fclose(f);
	mnl_attr_nest_end(nlh, list);
	if (*more)
		mnl_attr_put(nlh, VPCSNAT_A_MORE, 0, NULL);
	return nlh;
}

static struct nlmsghdr *replace_msg(char *buf, const char *file)
{
	bool more;

	return replace_part(buf, file, 0, 0, &more);
}

static int replace_loop(const char *fa, const char *fb, long count)
{
	static char bufa[BUFSZ], bufb[BUFSZ];
	struct nlmsghdr *ma, *mb;
	long i;

	nl[0] = open_sock();
	family = resolve_family(nl[0]);
	ma = replace_msg(bufa, fa);
	mb = replace_msg(bufb, fb);
	for (i = 0; i < count; i++) {
		struct nlmsghdr *m = i % 2 ? mb : ma;

		m->nlmsg_seq = ++seq;
		if (transact(nl[0], m, ack_cb, NULL) < 0) {
			fprintf(stderr, "nlfuzz: replace %ld: %s\n", i + 1, strerror(errno));
			return 1;
		}
	}
	printf("%ld\n", count);
	return 0;
}

static int size_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == VPCSNAT_A_TABLE_SIZE)
		*(int *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int size_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), size_cb, data);
	return MNL_CB_OK;
}

static int table_size(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int size = -1;

	transact(nl[0], genl_hdr(buf, family, VPCSNAT_CMD_GET_CONFIG, NLM_F_ACK),
		 size_msg_cb, &size);
	return size;
}

#define MAXPARTS 16

static int failnth(const char *fold, const char *fnew, int chunk)
{
	static char bufo[BUFSZ], bufn[MAXPARTS][BUFSZ];
	struct nlmsghdr *mo, *mn[MAXPARTS];
	int old_size, new_size, n, refused = 0, absorbed = 0, ack_lost = 0, fd;
	int parts = 0;
	char errs[256] = "";
	bool more = true;

	nl[0] = open_sock();
	family = resolve_family(nl[0]);
	mo = replace_msg(bufo, fold);
	while (more) {
		if (parts == MAXPARTS)
			return fprintf(stderr, "nlfuzz: more than %d messages\n", MAXPARTS), 2;
		mn[parts] = replace_part(bufn[parts], fnew, parts * chunk, chunk, &more);
		parts++;
	}
	mo->nlmsg_seq = ++seq;
	if (transact(nl[0], mo, ack_cb, NULL) < 0)
		return perror("nlfuzz: replace OLD"), 1;
	old_size = table_size();
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0)
		return perror("nlfuzz: fail-nth"), 1;
	for (n = 1; n < 1000; n++) {
		char num[16], left[16] = "";
		int ret, err, len;

		len = snprintf(num, sizeof(num), "%d", n);
		if (pwrite(fd, num, len, 0) != len)
			return perror("nlfuzz: fail-nth"), 1;
		ret = 0;
		for (int k = 0; k < parts && ret >= 0; k++) {
			mn[k]->nlmsg_seq = ++seq;
			ret = transact(nl[0], mn[k], ack_cb, NULL);
		}
		err = errno;
		if (pread(fd, left, sizeof(left) - 1, 0) < 0)
			return perror("nlfuzz: fail-nth"), 1;
		pwrite(fd, "0", 1, 0);
		if (ret < 0 && parts > 1) {	/* drops what the socket staged */
			mnl_socket_close(nl[0]);
			nl[0] = open_sock();
		}
		new_size = table_size();
		if (atoi(left) != 0) {	/* never reached the N-th allocation */
			if (ret < 0 || new_size == old_size)
				return fprintf(stderr, "nlfuzz: without a fault the replace failed\n"), 1;
			break;
		}
		if (ret < 0 && new_size == old_size) {
			refused++;
			if (!strstr(errs, strerror(err)) && strlen(errs) < 150)
				snprintf(errs + strlen(errs), sizeof(errs) - strlen(errs), "%s%s",
					 *errs ? ", " : "", strerror(err));
		} else if (ret >= 0 && new_size != old_size) {
			absorbed++;
		} else if (ret < 0 && err == ENOBUFS && new_size != old_size) {
			ack_lost++;	/* applied; the ACK could not be allocated */
		} else {
			printf("fail-nth %d: replace %s, table size %d (old %d)\n", n,
			       ret < 0 ? strerror(err) : "succeeded", new_size, old_size);
			return 1;
		}
		if (new_size != old_size) {
			mo->nlmsg_seq = ++seq;
			transact(nl[0], mo, ack_cb, NULL);
		}
	}
	printf("%d points over %d message%s, %d refused (%s) with the old table kept, %d absorbed, %d applied with the ACK lost (ENOBUFS)\n",
	       n - 1, parts, parts > 1 ? "s" : "", refused, errs, absorbed, ack_lost);
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[BUFSZ];
	unsigned long max, i, sent = 0, refused = 0;
	time_t end;
	int got = 0;

	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "failnth"))
		return failnth(argv[2], argv[3], argc == 5 ? atoi(argv[4]) : 0);
	if (argc == 5 && !strcmp(argv[1], "replace"))
		return replace_loop(argv[2], argv[3], strtol(argv[4], NULL, 0));
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: nlfuzz MESSAGES SECONDS [SEED] | nlfuzz replace FILE_A FILE_B COUNT\n");
		return 2;
	}
	max = strtoul(argv[1], NULL, 0);
	end = time(NULL) + strtol(argv[2], NULL, 0);
	if (argc == 4)
		rng ^= strtoull(argv[3], NULL, 0) * 0x2545f4914f6cdd1dull;

	for (i = 0; i < NSOCK; i++)
		nl[i] = open_sock();
	family = resolve_family(nl[0]);

	for (i = 0; i < max && (i % 256 || time(NULL) < end); i++) {
		unsigned int which = rnd() % NSOCK;
		struct nlmsghdr *nlh;

		if (rnd() % 2000 == 0) {	/* close mid-replace now and then */
			mnl_socket_close(nl[which]);
			nl[which] = open_sock();
		}
		if (rnd() % 20 == 0) {		/* pure noise after a valid header */
			unsigned int n = rnd() % 256;

			nlh = genl_hdr(buf, rnd() % 8 ? (unsigned int)family : rnd() % 0x40, rnd() % 16, NLM_F_ACK);
			for (unsigned int j = 0; j < n; j++)
				((unsigned char *)nlh)[nlh->nlmsg_len + j] = rnd();
			nlh->nlmsg_len += n;
		} else {
			memset(buf, 0, 8192);
			nlh = seed_msg(buf);
			if (rnd() % 4)
				mutate(nlh);
		}
		if (send(mnl_socket_get_fd(nl[which]), nlh, nlh->nlmsg_len, 0) < 0)
			refused++;
		sent++;
		drain(nl[which]);
	}

	for (i = 0; i < NSOCK; i++)
		mnl_socket_close(nl[i]);
	nl[0] = open_sock();
	genl_hdr(buf, family, VPCSNAT_CMD_GET_CONFIG, NLM_F_ACK);
	if (transact(nl[0], (struct nlmsghdr *)buf, config_cb, &got) < 0 || !got) {
		fprintf(stderr, "nlfuzz: GET_CONFIG does not answer after %lu messages\n", sent);
		return 1;
	}
	printf("nlfuzz: %lu messages sent (%lu refused by send), GET_CONFIG still answers\n",
	       sent, refused);
	return 0;
}
