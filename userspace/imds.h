/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The EC2 instance metadata service (IMDSv2) as snatctl reads it, over
 * libcurl: a session token (PUT /latest/api/token) on every GET, renewed
 * before it expires and on a 401; bounded retries with backoff; short
 * timeouts; the endpoint http://169.254.169.254 unless --imds URL or
 * AWS_EC2_METADATA_SERVICE_ENDPOINT names another. What snatctl reads
 * through it (the node's primary address, MAC and VPC CIDRs, instance id),
 * the parsers of those answers, and the resolution of a configuration's
 * "imds" values (conf_resolve()) are here too: the one place they happen.
 */
#ifndef IMDS_H
#define IMDS_H

#include <stdbool.h>
#include <stdint.h>

#include "cidrs.h"
#include "conf.h"

#define IMDS_DEFAULT_ENDPOINT "http://169.254.169.254"
#define IMDS_ENDPOINT_ENV "AWS_EC2_METADATA_SERVICE_ENDPOINT"
#define IMDS_DISABLED_ENV "AWS_EC2_METADATA_DISABLED"

/*
 * What the AWS SDKs do (aws-sdk-go-v2 feature/ec2/imds, the VPC CNI's
 * client, and the SDKs' reference guide "IMDS client"): 3 attempts, a
 * jittered exponential backoff capped at 1 s, 250 ms to connect, 5 s for
 * the whole operation, retries on a connection error, 500, 502, 503, 504
 * and 401 (with a new token), none on 404. The SDK bounds the wait for the
 * answer's headers to 500 ms; libcurl bounds an attempt as a whole, to 1 s.
 * A token lives 6 hours (the reference guide's default; the server's
 * X-aws-ec2-metadata-token-ttl-seconds answer is what counts) and is
 * renewed once three quarters of that have passed.
 */
#define IMDS_MAX_ATTEMPTS 3
#define IMDS_MAX_BACKOFF_MS 1000
#define IMDS_CONNECT_TIMEOUT_MS 250
#define IMDS_ATTEMPT_TIMEOUT_MS 1000
#define IMDS_OPERATION_TIMEOUT_MS 5000
#define IMDS_TOKEN_TTL 21600
#define IMDS_TOKEN_MAX 512
#define IMDS_BODY_MAX (64 * 1024)

#define IMDS_ERR_LEN 400

struct imds {
	void *curl;			/* CURL *, kept: one connection while it lasts */
	char base[256];			/* scheme://host[:port] */
	char token[IMDS_TOKEN_MAX + 1];	/* "" if none */
	uint64_t token_renew_ns;	/* CLOCK_MONOTONIC: when to get a new one */
};

/*
 * Opens a client of endpoint (--imds URL), or if NULL of
 * AWS_EC2_METADATA_SERVICE_ENDPOINT, or of IMDS_DEFAULT_ENDPOINT; as the
 * SDK does, only the scheme (http or https), host and port of the URL are
 * used. AWS_EC2_METADATA_DISABLED=true refuses. 0, or -1 with err set.
 * No request is made until one is asked for.
 */
int imds_open(struct imds *m, const char *endpoint, char *err);
void imds_close(struct imds *m);

/*
 * GET /latest/meta-data/PATH into *body (malloc()ed, NUL-terminated, at
 * most IMDS_BODY_MAX bytes). 0, or -1 with err set to one line: what was
 * asked of whom, and the last answer; -2 (err set too) if that answer was
 * 404, the service's word for a key this instance does not have.
 */
int imds_get(struct imds *m, const char *path, char **body, char *err);

/* What imds_read_node() reads: bits of what. */
#define IMDS_LOCAL_IPV4 1u	/* local-ipv4: the primary ENI's primary address */
/*
 * mac, then network/interfaces/macs/MAC/vpc-ipv4-cidr-blocks and
 * vpc-ipv6-cidr-blocks (absent, 404, when the VPC has no IPv6 block)
 */
#define IMDS_VPC_CIDRS 2u
#define IMDS_INSTANCE_ID 4u	/* instance-id */
#define IMDS_IPV6 8u		/* ipv6: the primary ENI's IPv6 address (the egress plugin's nodeIP) */

#define IMDS_MAC_LEN 18
#define IMDS_ID_LEN 64

struct imds_node {
	uint32_t local_ipv4;		/* host order */
	struct vpcsnat_in6 ipv6;	/* host order */
	char mac[IMDS_MAC_LEN];		/* "0a:1b:2c:3d:4e:5f" */
	struct cidr_list vpc_cidrs;	/* both families; kind vpc, host bits cleared, each once */
	char instance_id[IMDS_ID_LEN];
};

/* Reads what asks for into n (zeroed first); 0, or -1 with err set. Free n either way. */
int imds_read_node(struct imds *m, unsigned int what, struct imds_node *n, char *err);
void imds_node_free(struct imds_node *n);

/*
 * Resolves c's "imds" values (conf_resolve()) from what the metadata says
 * now: nothing is read if c has none. 0, or -1 with err set and c unchanged.
 */
int imds_resolve(struct imds *m, struct conf *c, char *err);

/*
 * The parsers of the answers, each as lenient as the VPC CNI
 * (pkg/awsutils/imds.go) and no more. An address or id: white space
 * around it trimmed. The MAC: six pairs of hex digits, colon separated (it
 * goes into a path). The VPC CIDRs: separated by any white space, as
 * strings.Fields splits them; host bits cleared (the CNI keeps them only in
 * its own copy: the prefix is what counts); a prefix given twice is listed
 * once; one bad item fails the whole list, as net.ParseCIDR's error does
 * (an item of another family than af, AF_INET or AF_INET6, too).
 * true, or false with err set (PARSE_ERR_LEN).
 */
bool imds_parse_ipv4(const char *s, uint32_t *addr, char *err);
/* The same for ipv6, which must be an address snat-ip6 takes. */
bool imds_parse_ipv6(const char *s, struct vpcsnat_in6 *addr, char *err);
bool imds_parse_mac(const char *s, char *mac, char *err);
bool imds_parse_id(const char *s, char *id, char *err);
bool imds_parse_cidrs(const char *s, int af, struct cidr_list *l, char *err);

#endif
