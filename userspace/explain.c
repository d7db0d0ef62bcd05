// SPDX-License-Identifier: GPL-2.0 OR MIT
/* snatctl explain: what the kernel would do with a new connection, and why. */
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

static void print_json(const struct verdict *v, const char *src, const char *dst, const char *oif)
{
	char s[CIDR_STR_LEN], ip[IPV4_STR_LEN];
	bool snat = translates(v->reason);
	json_t *o;

	o = json_pack("{s:s,s:s,s:o,s:b,s:s,s:o,s:o}", "src", src, "dst", dst,
		      "oif", oif ? json_string(oif) : json_null(), "translate", snat,
		      "reason", reason_key(v->reason),
		      "entry", v->has_cidr ? json_pack("{s:s,s:s}", "cidr", cidr_str(&v->cidr, s),
						       "kind", kind_name(v->cidr.kind)) : json_null(),
		      "snat_ip", !snat ? json_null() :
		      json_string(v->has_snat_ip ? ipv4_str(v->snat_ip, ip) : "auto"));
	json_dumpf(o, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(o);
}

static void print_text(const struct verdict *v)
{
	char s[CIDR_STR_LEN], ip[IPV4_STR_LEN], r[REASON_NAME_LEN];

	if (!translates(v->reason))
		printf("decision: leave alone\n");
	else if (v->has_snat_ip)
		printf("decision: translate to %s\n", ipv4_str(v->snat_ip, ip));
	else
		printf("decision: translate to the egress device's address (snat-ip auto)\n");
	printf("reason: %s\n", reason_name(v->reason, r));
	if (v->has_cidr)
		printf("entry: %s %s\n", cidr_str(&v->cidr, s), kind_name(v->cidr.kind));
	else
		printf("entry: none\n");
}

void explain_usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j|--json] explain <src-ip> <dst-ip> [<oif>]\n", g.prog);
}

int explain_main(int argc, const char *argv[])
{
	char err[PARSE_ERR_LEN];
	const char *oif = NULL;
	struct verdict v;
	struct nl_error e;
	uint32_t src, dst;
	struct nl nl;
	int ret;

	argc = take_json_flag(argc, argv);
	if (argc < 3) {
		fputs("Error: explain needs a source and a destination address\n", stderr);
		explain_usage(stderr);
		return EXIT_USAGE;
	}
	if (!parse_ipv4(argv[1], &src, err) || !parse_ipv4(argv[2], &dst, err) ||
	    (argc > 3 && !parse_iface_name(argv[3], err))) {
		fprintf(stderr, "Error: %s\n", err);
		return EXIT_USAGE;
	}
	if (argc > 3)
		oif = argv[3];
	if (argc > 4) {
		fprintf(stderr, "Error: Unexpected argument %s after %s\n", argv[4], argv[3]);
		return EXIT_USAGE;
	}
	if ((ret = nl_open(&nl, g.netns)))
		return ret;
	ret = client_explain(&nl, src, dst, oif, &v, &e);
	nl_close(&nl);
	if (ret < 0) {
		nl_perror(&e, "explain %s %s%s%s", argv[1], argv[2], oif ? " " : "", oif ? oif : "");
		return EXIT_FAILURE;
	}
	if (g.json)
		print_json(&v, argv[1], argv[2], oif);
	else
		print_text(&v);
	return EXIT_SUCCESS;
}
