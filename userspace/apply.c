// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * snatctl apply: the whole configuration, from a config file or the VPC
 * CNI's environment, into the kernel in one transaction.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "conffile.h"
#include "env.h"
#include "imds.h"
#include "verbs.h"

static void apply_usage(FILE *f)
{
	fprintf(f, "Usage: %s apply [--check] [--print] [--imds URL] [-f FILE|DIR]\n"
		"       %s apply --from-env --vpc-cidrs CIDR[,CIDR]...|imds --snat-ip IPv4|auto|imds\n"
		"                    [--snat-ip6 IPv6|auto|imds] [--check] [--print] [--imds URL]\n"
		"FILE is %s by default, - for stdin; a directory holds %s. The whole\n"
		"configuration and table are replaced in one atomic change. --check only\n"
		"validates, --print prints the configuration that would be applied, imds values\n"
		"resolved; neither changes anything. imds values (snat-ip, snat-ip6, vpc-cidrs)\n"
		"are read from instance metadata (IMDSv2) at %s, or --imds URL,\n"
		"or $%s.\n"
		"--from-env reads aws-node's AWS_VPC_K8S_CNI_*, ENABLE_IPv6 and ENABLE_V6_EGRESS\n"
		"variables as the VPC CNI does (ENABLE_V6_EGRESS=true needs --snat-ip6): a\n"
		"value it would log and replace with its default gets a warning and that default\n"
		"(--skip-invalid, which asked for that, is still accepted).\n",
		g.prog, g.prog, CONFIG_DEFAULT_PATH, CONFIG_DIR_FILE, IMDS_DEFAULT_ENDPOINT,
		IMDS_ENDPOINT_ENV);
}

struct replace {
	struct nl nl;
	const struct conf *c;
	const char *name, *what;
};

static int do_replace(void *data)
{
	struct replace *rp = data;
	struct replace_result r;

	return report_replace(client_replace(&rp->nl, &rp->c->cidrs, rp->c, &r), &r, rp->c,
			      rp->name, "apply", rp->what);
}

/*
 * The imds values of c, read once; 0, or EXIT_FAILURE after one line that
 * ends with what did not happen (print: nothing printed, else applied).
 */
static int resolve(struct conf *c, const char *url, bool print)
{
	char err[IMDS_ERR_LEN];
	struct imds m;
	int ret = 0;

	if (!conf_needs_imds(c))
		return 0;
	if (imds_open(&m, url, err) < 0 || imds_resolve(&m, c, err) < 0) {
		fprintf(stderr, "Error: %s; nothing was %s\n", err, print ? "printed" : "applied");
		ret = EXIT_FAILURE;
	}
	imds_close(&m);
	return ret;
}

enum { OPT_CHECK = 256, OPT_PRINT, OPT_FROM_ENV, OPT_SKIP_INVALID, OPT_VPC_CIDRS, OPT_SNAT_IP,
       OPT_SNAT_IP6, OPT_IMDS };
static const struct option options[] = {
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "from-env", no_argument, NULL, OPT_FROM_ENV },
	{ "skip-invalid", no_argument, NULL, OPT_SKIP_INVALID },
	{ "file", required_argument, NULL, 'f' },
	{ "vpc-cidrs", required_argument, NULL, OPT_VPC_CIDRS },
	{ "snat-ip", required_argument, NULL, OPT_SNAT_IP },
	{ "snat-ip6", required_argument, NULL, OPT_SNAT_IP6 },
	{ "imds", required_argument, NULL, OPT_IMDS },
	{ 0 }
};

static int apply_main(int argc, const char *argv[])
{
	const char *path = NULL, *name, *imds_url = NULL;
	bool check = false, print = false, from_env = false, skip_invalid = false;
	struct conf_env env = { 0 };
	struct replace rp;
	struct conf c;
	char what[300];
	long bad;
	int o, ret;

	while ((o = next_option(argc, argv, "f:", options)) != -1) {
		switch (o) {
		case OPT_CHECK: check = true; break;
		case OPT_PRINT: print = true; break;
		case OPT_FROM_ENV: from_env = true; break;
		case OPT_SKIP_INVALID: skip_invalid = true; break;
		case 'f': path = optarg; break;
		case OPT_VPC_CIDRS: env.vpc_cidrs = optarg; break;
		case OPT_SNAT_IP: env.snat_ip = optarg; break;
		case OPT_SNAT_IP6: env.snat_ip6 = optarg; break;
		case OPT_IMDS: imds_url = optarg; break;
		default:
			apply_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: Unexpected argument %s after apply\n", argv[optind]);
		apply_usage(stderr);
		return EXIT_USAGE;
	}
	if (from_env && path) {
		fprintf(stderr, "Error: apply takes -f FILE or --from-env, not both\n");
		return EXIT_USAGE;
	}
	if (!from_env && (skip_invalid || env.vpc_cidrs || env.snat_ip || env.snat_ip6)) {
		fprintf(stderr, "Error: %s goes with --from-env\n", skip_invalid ?
			"--skip-invalid" : env.vpc_cidrs ? "--vpc-cidrs" : env.snat_ip ? "--snat-ip" :
			"--snat-ip6");
		return EXIT_USAGE;
	}
	if (path && !*path) {
		fprintf(stderr, "Error: -f needs a file name\n");
		return EXIT_USAGE;
	}

	if (from_env) {
		conf_env_read(&env);
		name = "environment";
		bad = conf_from_env(&env, &c, stderr);
		if (bad) {
			if (bad < 0)
				fprintf(stderr, "Error: Out of memory reading the environment\n");
			else
				fprintf(stderr, "Error: %ld invalid setting%s; nothing was applied\n",
					bad, bad == 1 ? "" : "s");
			conf_free(&c);
			return bad < 0 ? EXIT_FAILURE : EXIT_USAGE;
		}
		snprintf(what, sizeof(what), "apply --from-env");
	} else {
		if (!path)
			path = CONFIG_DEFAULT_PATH;
		name = input_name(path);
		if ((ret = conf_read(path, &c))) {
			conf_free(&c);
			return ret;
		}
		snprintf(what, sizeof(what), "apply -f %.200s", path);
	}
	/* --check validates the file only: it needs neither the module nor the metadata. */
	if ((print || !check) && (ret = resolve(&c, imds_url, print))) {
		conf_free(&c);
		return ret;
	}
	if (print)
		conf_print(stdout, &c, from_env ?
			   "vpcsnat configuration from the VPC CNI's environment" :
			   "vpcsnat configuration");
	if (check || print) {
		conf_free(&c);
		return EXIT_SUCCESS;
	}
	if ((ret = nl_open(&rp.nl, g.netns))) {
		conf_free(&c);
		return ret;
	}
	rp.c = &c;
	rp.name = name;
	rp.what = what;
	ret = with_rule(&c, do_replace, &rp);
	nl_close(&rp.nl);
	conf_free(&c);
	return ret;
}

VERB(apply, "apply", apply_main, apply_usage,
     "Replaces the whole configuration from a file or the VPC CNI's environment");
