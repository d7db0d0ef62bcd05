// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The instance metadata client, what snatctl reads with it, and its parsers; see imds.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "imds.h"
#include "parse.h"

#define TOKEN_PATH "/latest/api/token"
#define META_PATH "/latest/meta-data/"
#define TTL_HEADER "X-aws-ec2-metadata-token-ttl-seconds"
#define TOKEN_HEADER "X-aws-ec2-metadata-token"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool disabled(void)
{
	const char *v = getenv(IMDS_DISABLED_ENV);

	return v && !strcasecmp(v, "true");
}

int imds_open(struct imds *m, const char *endpoint, char *err)
{
	static bool global;
	char *scheme = NULL, *host = NULL, *port = NULL;
	CURLU *u;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	if (!endpoint) {
		endpoint = getenv(IMDS_ENDPOINT_ENV);
		if (!endpoint || !*endpoint)
			endpoint = IMDS_DEFAULT_ENDPOINT;
	}
	if (disabled()) {
		snprintf(err, IMDS_ERR_LEN, "instance metadata is disabled (%s=true)",
			 IMDS_DISABLED_ENV);
		return -1;
	}
	if (!global) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
			snprintf(err, IMDS_ERR_LEN, "Cannot initialize libcurl");
			return -1;
		}
		global = true;
	}
	u = curl_url();
	if (!u || curl_url_set(u, CURLUPART_URL, endpoint, 0) ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) ||
	    (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
		snprintf(err, IMDS_ERR_LEN, "Invalid instance metadata endpoint %.200s; expected "
			 "http://HOST[:PORT]", endpoint);
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	snprintf(m->base, sizeof(m->base), "%s://%s%s%s", scheme, host, port ? ":" : "",
		 port ? port : "");
	m->curl = curl_easy_init();
	if (!m->curl) {
		snprintf(err, IMDS_ERR_LEN, "Cannot initialize libcurl");
		goto out;
	}
	ret = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ret;
}

void imds_close(struct imds *m)
{
	if (m->curl)
		curl_easy_cleanup(m->curl);
	memset(m, 0, sizeof(*m));
}

struct answer {
	char *body;
	size_t len;
	bool too_big;
	long ttl;	/* the TTL header of a token answer, -1 if absent */
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct answer *a = ctx;
	size_t len = size * n;
	char *b;

	if (a->len + len > IMDS_BODY_MAX) {
		a->too_big = true;
		return 0;
	}
	b = realloc(a->body, a->len + len + 1);
	if (!b)
		return 0;
	memcpy(b + a->len, data, len);
	a->len += len;
	b[a->len] = '\0';
	a->body = b;
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct answer *a = ctx;
	size_t len = size * n, hl = strlen(TTL_HEADER);
	char v[32], *end;

	if (len > hl + 1 && !strncasecmp(data, TTL_HEADER, hl) && data[hl] == ':') {
		snprintf(v, sizeof(v), "%.*s", (int)(len - hl - 1), data + hl + 1);
		a->ttl = strtol(v, &end, 10);
		while (*end == ' ' || *end == '\r' || *end == '\n' || *end == '\t')
			end++;
		if (*end || end == v || a->ttl <= 0)
			a->ttl = -1;
	}
	return len;
}

/*
 * One attempt: method on path with the token (a GET) or the TTL (a PUT)
 * within timeout_ms. The HTTP status, or 0 after a transport error (why in
 * err); a's body is the caller's to free.
 */
static long attempt(struct imds *m, bool put, const char *path, uint64_t timeout_ms,
		    struct answer *a, char *err)
{
	struct curl_slist *hdrs = NULL;
	char url[512], h[IMDS_TOKEN_MAX + 64];
	CURL *c = m->curl;
	long status = 0;
	CURLcode rc;

	memset(a, 0, sizeof(*a));
	a->ttl = -1;
	snprintf(url, sizeof(url), "%s%s", m->base, path);
	if (put)
		snprintf(h, sizeof(h), TTL_HEADER ": %d", IMDS_TOKEN_TTL);
	else
		snprintf(h, sizeof(h), TOKEN_HEADER ": %s", m->token);
	hdrs = curl_slist_append(NULL, h);
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, put ? "PUT" : NULL);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)IMDS_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	/* A link-local service: never through a proxy of the environment. */
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	rc = curl_easy_perform(c);
	curl_slist_free_all(hdrs);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		return status;
	}
	snprintf(err, IMDS_ERR_LEN, "%s", a->too_big ? "answer longer than 64 KiB" :
		 curl_easy_strerror(rc));
	return 0;
}

static bool retryable(long status)
{
	return !status || status == 401 || status == 500 || status == 502 || status == 503 ||
	       status == 504;
}

/* "HTTP 500", or the transport error of err, into why. */
static void say_status(long status, const char *err, char *why, size_t size)
{
	if (status)
		snprintf(why, size, "HTTP %ld", status);
	else
		snprintf(why, size, "%s", err);
}

/*
 * A new token, in one attempt: the status (200 with a token taken), or 0
 * after a transport error.
 */
static long get_token(struct imds *m, uint64_t timeout_ms, char *why, size_t size)
{
	char err[IMDS_ERR_LEN];
	struct answer a;
	long status = attempt(m, true, TOKEN_PATH, timeout_ms, &a, err), ttl = a.ttl;
	size_t len = a.body ? strcspn(a.body, "\r\n") : 0;

	if (status == 200 && (!len || len > IMDS_TOKEN_MAX || ttl <= 0)) {
		/* As the SDK: a token without a lifetime is unusable. */
		snprintf(why, size, "token answer without %s", !len || len > IMDS_TOKEN_MAX ?
			 "a token" : "a valid " TTL_HEADER);
		status = -1;
	} else if (status == 200) {
		memcpy(m->token, a.body, len);
		m->token[len] = '\0';
		m->token_renew_ns = (now_ms() + (uint64_t)ttl * 750) * 1000000;
	} else {
		say_status(status, err, why, size);
	}
	free(a.body);
	return status;
}

static void backoff(unsigned int n, uint64_t deadline)
{
	static bool seeded;
	uint64_t ms, now = now_ms();
	struct timespec ts;

	if (!seeded) {
		srand48((long)now ^ (long)getpid());
		seeded = true;
	}
	/* aws-sdk-go-v2 retry.ExponentialJitterBackoff: rand * 2^attempt s, capped. */
	ms = (uint64_t)(drand48() * (double)(1000u << n));
	if (ms > IMDS_MAX_BACKOFF_MS)
		ms = IMDS_MAX_BACKOFF_MS;
	if (now + ms > deadline)
		ms = deadline > now ? deadline - now : 0;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

int imds_get(struct imds *m, const char *path, char **body, char *err)
{
	uint64_t deadline = now_ms() + IMDS_OPERATION_TIMEOUT_MS;
	char url[300], why[IMDS_ERR_LEN] = "no attempt", terr[IMDS_ERR_LEN];
	long last = 0;
	unsigned int n;

	*body = NULL;
	snprintf(url, sizeof(url), META_PATH "%s", path);
	for (n = 1; n <= IMDS_MAX_ATTEMPTS; n++) {
		uint64_t now = now_ms(), left = deadline > now ? deadline - now : 0;
		struct answer a;
		long status;

		if (!left)
			break;
		if (left > IMDS_ATTEMPT_TIMEOUT_MS)
			left = IMDS_ATTEMPT_TIMEOUT_MS;
		if (!m->token[0] || now * 1000000 >= m->token_renew_ns) {
			m->token[0] = '\0';
			status = get_token(m, left, terr, sizeof(terr));
			if (status != 200) {
				snprintf(why, sizeof(why), "PUT " TOKEN_PATH ": %.300s", terr);
				/* 400, 403, 404, 405: the SDK's terminal answers to a PUT. */
				if (status < 0 || !retryable(status))
					break;
				goto again;
			}
			now = now_ms();
			left = deadline > now ? deadline - now : 1;
			if (left > IMDS_ATTEMPT_TIMEOUT_MS)
				left = IMDS_ATTEMPT_TIMEOUT_MS;
		}
		status = attempt(m, false, url, left, &a, terr);
		if (status == 200) {
			*body = a.body ? a.body : strdup("");
			if (!*body) {
				snprintf(err, IMDS_ERR_LEN, "instance metadata: Out of memory");
				return -1;
			}
			return 0;
		}
		free(a.body);
		if (status)
			snprintf(terr, sizeof(terr), "HTTP %ld", status);
		last = status;
		snprintf(why, sizeof(why), "GET %.200s: %.150s", url, terr);
		if (status == 401)	/* expired or revoked: the next attempt gets a new one */
			m->token[0] = '\0';
		if (!retryable(status))
			break;
again:
		if (n < IMDS_MAX_ATTEMPTS)
			backoff(n, deadline);
	}
	snprintf(err, IMDS_ERR_LEN, "instance metadata %.60s: %.300s (%u attempt%s)", m->base, why,
		 n > IMDS_MAX_ATTEMPTS ? IMDS_MAX_ATTEMPTS : n, n == 1 ? "" : "s");
	return last == 404 ? -2 : -1;
}

/* s with the white space around it removed, into buf; false if it does not fit. */
static bool trimmed(const char *s, char *buf, size_t size)
{
	size_t len;

	while (*s && isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= size)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return true;
}

bool imds_parse_ipv4(const char *s, uint32_t *addr, char *err)
{
	char v[IPV4_STR_LEN + 1], t[TOKEN_LEN];

	if (!trimmed(s, v, sizeof(v))) {
		snprintf(err, PARSE_ERR_LEN, "Invalid IPv4 address %s", token(s, t));
		return false;
	}
	return parse_ipv4(v, addr, err);
}

bool imds_parse_ipv6(const char *s, struct vpcsnat_in6 *addr, char *err)
{
	char v[IPV6_STR_LEN + 1], t[TOKEN_LEN];
	enum vpcsnat_snat_err bad;
	struct vpcsnat_in6 a;

	if (!trimmed(s, v, sizeof(v))) {
		snprintf(err, PARSE_ERR_LEN, "Invalid IPv6 address %s", token(s, t));
		return false;
	}
	if (!parse_ipv6(v, &a, err))
		return false;
	if (!a.hi && !a.lo) {
		snprintf(err, PARSE_ERR_LEN, "Invalid IPv6 address %s: not one to translate to", v);
		return false;
	}
	bad = vpcsnat_snat_ip6_check(&a);
	if (bad) {
		snprintf(err, PARSE_ERR_LEN, "Invalid IPv6 address %s: %s", v, vpcsnat_snat_err_msg[bad]);
		return false;
	}
	*addr = a;
	return true;
}

/* "0a:1b:2c:3d:4e:5f": six pairs of hex digits, colon separated. */
static bool mac_ok(const char *v)
{
	int i;

	if (strlen(v) != IMDS_MAC_LEN - 1)
		return false;
	for (i = 0; i < IMDS_MAC_LEN - 1; i++)
		if (i % 3 == 2 ? v[i] != ':' : !isxdigit((unsigned char)v[i]))
			return false;
	return true;
}

/* Letters, digits and '-', at least one. */
static bool id_ok(const char *v)
{
	size_t i;

	for (i = 0; v[i]; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '-')
			return false;
	return i > 0;
}

/* s trimmed into out (size bytes) if ok() takes it, else "Invalid WHAT s". */
static bool metadata_word(const char *s, char *out, size_t size, bool (*ok)(const char *),
			  const char *what, char *err)
{
	char t[TOKEN_LEN];

	if (trimmed(s, out, size) && ok(out))
		return true;
	out[0] = '\0';
	snprintf(err, PARSE_ERR_LEN, "Invalid %s %s", what, token(s, t));
	return false;
}

bool imds_parse_mac(const char *s, char *mac, char *err)
{
	return metadata_word(s, mac, IMDS_MAC_LEN, mac_ok, "MAC address", err);
}

bool imds_parse_id(const char *s, char *id, char *err)
{
	return metadata_word(s, id, IMDS_ID_LEN, id_ok, "instance id", err);
}

bool imds_parse_cidrs(const char *s, int af, struct cidr_list *l, char *err)
{
	static const char space[] = " \t\n\v\f\r";
	unsigned long n = 0;
	bool oom = false;

	memset(l, 0, sizeof(*l));
	for (s += strspn(s, space); *s; s += strspn(s, space)) {
		size_t len = strcspn(s, space);
		char item[64], e[PARSE_ERR_LEN];
		struct cidr c;
		bool masked;

		n++;
		snprintf(item, sizeof(item), "%.*s", (int)(len < sizeof(item) ? len : 63), s);
		if (len >= sizeof(item)) {
			snprintf(err, PARSE_ERR_LEN, "item %lu: Invalid CIDR %s...: too long", n, item);
			goto bad;
		}
		/* net.ParseCIDR wants the prefix length; a bare address is no CIDR. */
		if (!strchr(item, '/')) {
			snprintf(err, PARSE_ERR_LEN, "item %lu: Invalid CIDR %s: missing /prefix "
				 "length", n, item);
			goto bad;
		}
		if (!parse_cidr_as(item, af, &c, &masked, e)) {
			snprintf(err, PARSE_ERR_LEN, "item %lu: %.280s", n, e);
			goto bad;
		}
		c.kind = VPCSNAT_KIND_VPC;
		cidr_list_add(l, &c, 0, &oom);
		if (oom) {
			snprintf(err, PARSE_ERR_LEN, "Out of memory");
			goto bad;
		}
		s += len;
	}
	return true;
bad:
	cidr_list_free(l);
	return false;
}

/*
 * GET path and parse it with fn into out; 0, or -1 with err set; or, if
 * optional, 1 for a key the instance does not have (404).
 */
static int read_value(struct imds *m, const char *path, bool (*fn)(const char *, void *, char *),
		      void *out, bool optional, char *err)
{
	char *body, e[PARSE_ERR_LEN];
	int got = imds_get(m, path, &body, err);
	bool ok;

	if (got < 0)
		return got == -2 && optional ? 1 : -1;
	ok = fn(body, out, e);
	free(body);
	if (!ok)
		snprintf(err, IMDS_ERR_LEN, "instance metadata %.60s: %s%.100s: %.180s", m->base,
			 META_PATH, path, e);
	return ok ? 0 : -1;
}

static bool ipv4_fn(const char *s, void *out, char *err) { return imds_parse_ipv4(s, out, err); }
static bool ipv6_fn(const char *s, void *out, char *err) { return imds_parse_ipv6(s, out, err); }
static bool mac_fn(const char *s, void *out, char *err) { return imds_parse_mac(s, out, err); }
static bool id_fn(const char *s, void *out, char *err) { return imds_parse_id(s, out, err); }
static bool cidrs_fn(const char *s, void *out, char *err)
{
	return imds_parse_cidrs(s, AF_INET, out, err);
}

static bool cidrs6_fn(const char *s, void *out, char *err)
{
	return imds_parse_cidrs(s, AF_INET6, out, err);
}

int imds_read_node(struct imds *m, unsigned int what, struct imds_node *n, char *err)
{
	struct cidr_list v6 = { 0 };
	bool oom = false;
	char path[128];
	size_t i;
	int got;

	memset(n, 0, sizeof(*n));
	if (what & IMDS_LOCAL_IPV4 &&
	    read_value(m, "local-ipv4", ipv4_fn, &n->local_ipv4, false, err))
		return -1;
	/* The egress plugin's nodeIP, as aws-node reads it (getPrimaryIP(false)). */
	if (what & IMDS_IPV6 && read_value(m, "ipv6", ipv6_fn, &n->ipv6, false, err))
		return -1;
	if (what & IMDS_VPC_CIDRS) {
		/* The primary ENI's, as the CNI's GetVPCIPv4CIDRs reads them. */
		if (read_value(m, "mac", mac_fn, n->mac, false, err))
			return -1;
		snprintf(path, sizeof(path), "network/interfaces/macs/%s/vpc-ipv4-cidr-blocks",
			 n->mac);
		if (read_value(m, path, cidrs_fn, &n->vpc_cidrs, false, err))
			return -1;
		/* And the IPv6 ones, absent where the VPC has none (GetVPCIPv6CIDRs). */
		snprintf(path, sizeof(path), "network/interfaces/macs/%s/vpc-ipv6-cidr-blocks",
			 n->mac);
		got = read_value(m, path, cidrs6_fn, &v6, true, err);
		for (i = 0; !got && i < v6.n && !oom; i++)
			cidr_list_add(&n->vpc_cidrs, &v6.entries[i].cidr, 0, &oom);
		cidr_list_free(&v6);
		if (oom)
			snprintf(err, IMDS_ERR_LEN, "instance metadata: Out of memory");
		if (got < 0 || oom)
			return -1;
	}
	if (what & IMDS_INSTANCE_ID &&
	    read_value(m, "instance-id", id_fn, n->instance_id, false, err))
		return -1;
	return 0;
}

void imds_node_free(struct imds_node *n)
{
	cidr_list_free(&n->vpc_cidrs);
}

int imds_resolve(struct imds *m, struct conf *c, char *err)
{
	unsigned int what = c->vpc_cidrs_imds ? IMDS_VPC_CIDRS : 0;
	char e[PARSE_ERR_LEN];
	struct imds_node n;
	int ret = 0, k;

	for (k = 0; k < CONF_NKEYS; k++)
		if (c->imds & 1u << k)
			what |= conf_settings[k].type == CONF_T_ADDR6 ? IMDS_IPV6 : IMDS_LOCAL_IPV4;

	if (!what)
		return 0;
	if (imds_read_node(m, what, &n, err) < 0) {
		ret = -1;
	} else if (!conf_resolve(c, n.local_ipv4, &n.ipv6, &n.vpc_cidrs, e)) {
		snprintf(err, IMDS_ERR_LEN, "instance metadata %.60s: %.300s", m->base, e);
		ret = -1;
	}
	imds_node_free(&n);
	return ret;
}
