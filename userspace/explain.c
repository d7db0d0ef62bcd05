// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <uapi/linux/vpcsnat.h>
#include "json.h"
#include "netlink.h"
#include "parse.h"
#include "subcommands.h"

struct verdict {
	bool has_reason, has_cidr, has_snat_ip;
	uint8_t reason;
	struct cidr cidr;
	uint32_t snat_ip;
};

static int explain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VPCSNAT_A_MAX + 1], *ctb[VPCSNAT_CIDR_A_MAX + 1];
	struct verdict *v = data;

	nl_parse_genl(nlh, tb, VPCSNAT_A_MAX);
	if (!tb[VPCSNAT_A_REASON] || mnl_attr_validate(tb[VPCSNAT_A_REASON], MNL_TYPE_U8) < 0)
		goto bad;
	v->has_reason = true;
	v->reason = mnl_attr_get_u8(tb[VPCSNAT_A_REASON]);
	if (tb[VPCSNAT_A_SNAT_IP]) {
		if (mnl_attr_validate(tb[VPCSNAT_A_SNAT_IP], MNL_TYPE_U32) < 0)
			goto bad;
		v->has_snat_ip = true;
		v->snat_ip = ntohl(mnl_attr_get_u32(tb[VPCSNAT_A_SNAT_IP]));
	}
	if (tb[VPCSNAT_A_CIDR]) {
		if (mnl_attr_validate(tb[VPCSNAT_A_CIDR], MNL_TYPE_NESTED) < 0)
			goto bad;
		nl_parse_nested(tb[VPCSNAT_A_CIDR], ctb, VPCSNAT_CIDR_A_MAX);
		if (!ctb[VPCSNAT_CIDR_A_ADDR] || !ctb[VPCSNAT_CIDR_A_PREFIXLEN] ||
		    mnl_attr_validate(ctb[VPCSNAT_CIDR_A_ADDR], MNL_TYPE_U32) < 0 ||
		    mnl_attr_validate(ctb[VPCSNAT_CIDR_A_PREFIXLEN], MNL_TYPE_U8) < 0 ||
		    (ctb[VPCSNAT_CIDR_A_KIND] &&
		     mnl_attr_validate(ctb[VPCSNAT_CIDR_A_KIND], MNL_TYPE_U8) < 0))
			goto bad;
		v->has_cidr = true;
		v->cidr.addr = ntohl(mnl_attr_get_u32(ctb[VPCSNAT_CIDR_A_ADDR]));
		v->cidr.prefixlen = mnl_attr_get_u8(ctb[VPCSNAT_CIDR_A_PREFIXLEN]);
		v->cidr.kind = ctb[VPCSNAT_CIDR_A_KIND] ? mnl_attr_get_u8(ctb[VPCSNAT_CIDR_A_KIND]) : 0;
	}
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static bool translates(uint8_t reason)
{
	return reason == VPCSNAT_REASON_SNAT_ENTRY || reason == VPCSNAT_REASON_NO_MATCH;
}

static void print_verdict(const struct verdict *v, const char *src, const char *dst,
			  const char *oif)
{
	char s[CIDR_STR_LEN], ip[16];
	bool snat = translates(v->reason);

	if (g.json) {
		printf("{\"src\":\"%s\",\"dst\":\"%s\",\"oif\":", src, dst);
		if (oif)
			json_string(stdout, oif);
		else
			printf("null");
		printf(",\"translate\":%s,\"reason\":\"%s\",\"entry\":", snat ? "true" : "false",
		       reason_key(v->reason));
		if (v->has_cidr)
			printf("{\"cidr\":\"%s\",\"kind\":\"%s\"}", cidr_str(&v->cidr, s),
			       kind_name(v->cidr.kind));
		else
			printf("null");
		printf(",\"snat_ip\":");
		if (!snat)
			printf("null");
		else
			printf("\"%s\"", v->has_snat_ip ? ipv4_str(v->snat_ip, ip) : "auto");
		printf("}\n");
		return;
	}
	if (!snat)
		printf("decision: leave alone\n");
	else if (v->has_snat_ip)
		printf("decision: translate to %s\n", ipv4_str(v->snat_ip, ip));
	else
		printf("decision: translate to the egress device's address (snat-ip auto)\n");
	printf("reason: %s\n", reason_name(v->reason));
	if (v->has_cidr)
		printf("entry: %s %s\n", cidr_str(&v->cidr, s), kind_name(v->cidr.kind));
	else
		printf("entry: none\n");
}

int explain_main(int argc, const char *argv[])
{
	char buf[NL_TX_SIZE], err[PARSE_ERR_LEN], what[160];
	const char *oif = NULL;
	struct verdict v = { 0 };
	struct nlmsghdr *nlh;
	struct nl_error e;
	uint32_t src, dst;
	struct nl nl;
	int ret;

	if (wants_help(argc, argv)) {
		printf("Usage: %s [-j|--json] explain <src-ip> <dst-ip> [<oif>]\n", g.prog);
		return EXIT_SUCCESS;
	}
	argc = take_json_flag(argc, argv);
	if (argc < 3) {
		fprintf(stderr, "Error: explain needs a source and a destination address\n"
			"Usage: %s [-j|--json] explain <src-ip> <dst-ip> [<oif>]\n", g.prog);
		return EXIT_USAGE;
	}
	if (!parse_ipv4(argv[1], &src, err) || !parse_ipv4(argv[2], &dst, err)) {
		fprintf(stderr, "Error: %s\n", err);
		return EXIT_USAGE;
	}
	if (argc > 3) {
		struct iface_list l;

		oif = argv[3];
		if (!strcmp(oif, "none") || !parse_iface_list(oif, &l, err) || l.n != 1) {
			fprintf(stderr, "Error: Invalid interface name %s\n", oif);
			return EXIT_USAGE;
		}
	}
	if (argc > 4) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[4], argv[3]);
		return EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "explain %s %s%s%s", argv[1], argv[2], oif ? " " : "",
		 oif ? oif : "");
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	nlh = nl_request(&nl, buf, VPCSNAT_CMD_EXPLAIN, 0);
	mnl_attr_put_u32(nlh, VPCSNAT_A_SRC, htonl(src));
	mnl_attr_put_u32(nlh, VPCSNAT_A_DST, htonl(dst));
	if (oif)
		mnl_attr_put_strz(nlh, VPCSNAT_A_OIFNAME, oif);
	if (nl_talk(&nl, nlh, explain_cb, &v, &e) < 0 || !v.has_reason) {
		if (!e.err)
			e.err = EBADMSG;
		nl_perror(&e, "%s", what);
		nl_close(&nl);
		return EXIT_FAILURE;
	}
	nl_close(&nl);
	print_verdict(&v, argv[1], argv[2], oif);
	return EXIT_SUCCESS;
}
