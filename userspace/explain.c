// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl explain: what the kernel would do with a new connection, and why. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cli.h"
#include "client.h"
#include "verbs.h"

static bool translates(uint8_t reason)
{
	return reason == VPCSNAT_REASON_SNAT_ENTRY || reason == VPCSNAT_REASON_NO_MATCH;
}

/* The mark's reason as text, "" if the kernel said none. */
static const char *mark_key(const struct verdict *v)
{
	return v->mark_reason <= VPCSNAT_MARK_MAX ? vpcsnat_mark_reason_names[v->mark_reason] : "";
}

static void print_json(const struct verdict *v, const struct ipaddr *src, const struct ipaddr *dst,
		       const char *iif, const char *oif)
{
	char s[CIDR_STR_LEN], ip[IPV6_STR_LEN], sa[IPV6_STR_LEN], da[IPV6_STR_LEN];
	bool snat = translates(v->reason);
	json_t *o;

	o = json_pack("{s:s,s:s,s:o,s:b,s:s,s:o,s:o}", "src", ipaddr_str(src, sa),
		      "dst", ipaddr_str(dst, da), "oif", oif ? json_string(oif) : json_null(),
		      "translate", snat, "reason", reason_key(v->reason),
		      "entry", v->has_cidr ? json_pack("{s:s,s:s}", "cidr", cidr_str(&v->cidr, s),
						       "kind", kind_name(v->cidr.kind)) : json_null(),
		      "snat_ip", !snat ? json_null() :
		      json_string(v->has_snat_ip ? ipaddr_str(&v->snat_ip, ip) : "auto"));
	json_object_set_new(o, "iif", iif ? json_string(iif) : json_null());
	if (*mark_key(v))
		json_object_set_new(o, "mark", json_pack("{s:s,s:o}", "reason", mark_key(v), "value",
				    v->mark_reason == VPCSNAT_MARK_SET ? json_integer(v->mark) :
				    json_null()));
	json_dumpf(o, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(o);
}

static void print_text(const struct verdict *v, bool v6, const char *iif)
{
	char s[CIDR_STR_LEN], ip[IPV6_STR_LEN], r[REASON_NAME_LEN];

	if (!translates(v->reason))
		printf("decision: leave alone\n");
	else if (v->has_snat_ip)
		printf("decision: translate to %s\n", ipaddr_str(&v->snat_ip, ip));
	else
		printf("decision: translate to the egress device's address (snat-ip%s auto)\n",
		       v6 ? "6" : "");
	printf("reason: %s\n", reason_name(v->reason, r));
	if (v->has_cidr)
		printf("entry: %s %s\n", cidr_str(&v->cidr, s), kind_name(v->cidr.kind));
	else
		printf("entry: none\n");
	/* The routing half: said for a connection from an interface, or one it marks. */
	if (!iif && v->mark_reason != VPCSNAT_MARK_SET)
		return;
	switch (v->mark_reason) {
	case VPCSNAT_MARK_SET:
		printf("mark: %#x (routed by the main table, out of the primary ENI)\n", v->mark);
		break;
	case VPCSNAT_MARK_OFF:
		printf("mark: none (the mark setting is none)\n");
		break;
	case VPCSNAT_MARK_NOT_POD:
		printf("mark: none (%s is not a pod interface)\n", iif);
		break;
	case VPCSNAT_MARK_NOT_TRANSLATED:
		printf("mark: none (not translated)\n");
		break;
	}
}

static void explain_usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j|--json] explain <src-ip> <dst-ip> [<oif>] [--iif <iif>]\n"
		"<src-ip>, <dst-ip>: both IPv4 or both IPv6. <iif>: the interface it arrives on\n"
		"(a pod's veth); then explain also says whether it is marked for the main table.\n",
		g.prog);
}

static int explain_main(int argc, const char *argv[])
{
	static const struct option options[] = {
		{ "iif", required_argument, NULL, 'i' },
		{ 0 }
	};
	char err[PARSE_ERR_LEN];
	const char *oif = NULL, *iif = NULL;
	struct verdict v;
	struct nl_error e;
	struct ipaddr src, dst;
	struct nl nl;
	int ret, o, n;

	argc = take_json_flag(argc, argv);
	while ((o = next_option(argc, argv, "", options)) != -1) {
		if (o != 'i')
			return EXIT_USAGE;
		if (!parse_iface_name(optarg, err))
			return bad_input(err);
		iif = optarg;
	}
	argv += optind - 1;
	n = argc - optind;
	if (n < 2) {
		fputs("Error: explain needs a source and a destination address\n", stderr);
		explain_usage(stderr);
		return EXIT_USAGE;
	}
	if (!parse_ipaddr(argv[1], &src, err) || !parse_ipaddr(argv[2], &dst, err) ||
	    (n > 2 && !parse_iface_name(argv[3], err)))
		return bad_input(err);
	if (mixed_families(argv[1], &src, argv[2], &dst))
		return EXIT_USAGE;
	if (n > 2)
		oif = argv[3];
	if (n > 3) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[4], argv[3]);
		return EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	ret = client_explain(&nl, &src, &dst, iif, oif, &v, &e);
	nl_close(&nl);
	if (ret < 0) {
		nl_perror(&e, "explain %s %s%s%s", argv[1], argv[2], oif ? " " : "", oif ? oif : "");
		return EXIT_FAILURE;
	}
	if (g.json)
		print_json(&v, &src, &dst, iif, oif);
	else
		print_text(&v, src.v6, iif);
	return EXIT_SUCCESS;
}

VERB(explain, "explain", explain_main, explain_usage,
     "Asks the kernel whether and why it would translate a connection");
