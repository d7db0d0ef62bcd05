// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * snatctl agent: keeps the network namespace in the wanted state, for a
 * node (vpcsnat-agent.service) or a DaemonSet. Each cycle reads the
 * configuration and what it names of instance metadata (the VPC CIDRs are
 * re-read, as the VPC CNI's ipamd does every 30 s), reads the running
 * state, and applies only when the two differ: so a new VPC CIDR, a new
 * ConfigMap and a hand edit of the table (undone, as ip-masq-agent's resync
 * undoes one) are each one apply. A cycle runs every --interval, at once
 * when the configuration changes (inotify on its directory: kubelet swaps
 * the ..data symlink of a ConfigMap volume) and on SIGHUP.
 *
 * Whatever fails (metadata, a bad configuration, an empty VPC CIDR list,
 * the kernel's refusal), what runs is kept: one line says why, and the
 * next cycle tries again. SIGTERM and SIGINT stop it without touching the
 * running state. Each cycle ends by writing the state file (agentstate.h)
 * and, with --metrics, the metrics (metrics.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>

#include "agentstate.h"
#include "cli.h"
#include "client.h"
#include "conffile.h"
#include "event.h"
#include "imds.h"
#include "metrics.h"
#include "verbs.h"

#define DEFAULT_INTERVAL 30
#define MAX_INTERVAL 86400
/* After a change in the watched directory, how long more events may follow. */
#define SETTLE_MS 100

static void agent_usage(FILE *f)
{
	fprintf(f, "Usage: %s agent [--config FILE|DIR] [--interval SECONDS] [--imds URL]\n"
		"                     [--state FILE] [--metrics FILE]\n"
		"Keeps this network namespace in the state the configuration (default %s;\n"
		"a directory holds %s, as a mounted ConfigMap does) and instance metadata\n"
		"(snat-ip imds, vpc-cidrs imds) want: applies it at start, then re-reads both\n"
		"every SECONDS (default %d), at once when the configuration changes and on\n"
		"SIGHUP, and applies only when the running state differs. On any error what\n"
		"runs is kept. SIGTERM stops it and leaves the running state alone. Writes its\n"
		"state to FILE (default %s; snatctl status --check reads it) and\n"
		"with --metrics, Prometheus metrics to FILE.\n",
		g.prog, CONFIG_DEFAULT_PATH, CONFIG_DIR_FILE, DEFAULT_INTERVAL,
		AGENT_STATE_DEFAULT_PATH);
}

struct agent {
	const char *config, *state_path, *metrics_path, *imds_url;
	unsigned int interval;
	struct imds imds;
	bool imds_open;
	struct agent_state st;
	uint64_t config_digest;		/* of the last good configuration as written */
	uint64_t applied_digest;	/* of the last wanted state applied or found */
	int inotify, watch;		/* watch: -1 until the directory could be watched */
	char dir[PATH_MAX], name[NAME_MAX + 1];	/* what is watched, and the file's name */
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * The cycle failed: err says why, in one line; what runs stays. said: that
 * line is in the log already (the config's reader and nl_open() say theirs).
 */
static void failed(struct agent *a, uint64_t *counter, const char *err, bool said)
{
	(*counter)++;
	a->st.ok = false;
	snprintf(a->st.error, sizeof(a->st.error), "%s", err);
	if (!said)
		say("%s; keeping what runs", err);
}

/*
 * The configuration, as conf_load() reads it; the lines it says are
 * passed on, the first of them kept for the state file.
 */
static int read_config(struct agent *a, struct conf *c, char *first, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	FILE *errs = open_memstream(&text, &len);
	int ret;

	if (!errs) {
		conf_init(c);	/* the caller frees it either way */
		return EXIT_FAILURE;
	}
	ret = conf_load(a->config, c, "keeping what runs", errs);
	fclose(errs);
	if (text && *text) {
		fputs(text, stderr);
		snprintf(first, size, "%.*s", (int)strcspn(text, "\n"), text);
	}
	free(text);
	return ret;
}

struct replace {
	struct nl *nl;
	const struct conf *c;
	const char *name;
};

static int do_replace(void *data)
{
	struct replace *rp = data;
	struct replace_result r;

	return report_replace(client_replace(rp->nl, &rp->c->cidrs, rp->c, &r), &r, rp->c,
			      rp->name, "agent", "agent: apply");
}

/* Whether a routing rule c wants (IPv4's, IPv6's) is missing (a hand edit to undo). */
static bool rule_missing(struct conf *c)
{
	look_at_rules(c);
	return c->rule[0] == CONF_RULE_MISSING || c->rule[1] == CONF_RULE_MISSING;
}

/* "12 entries, snat-ip 10.0.0.10": what was applied, in short. */
static const char *summary(const struct conf *c, char *buf, size_t size)
{
	char v[64];

	snprintf(buf, size, "%zu %s, snat-ip %s%s", c->cidrs.n, c->cidrs.n == 1 ? "entry" : "entries",
		 conf_value_str(c, CONF_SNAT_IP, v, sizeof(v)), c->enabled ? "" : ", disabled");
	return buf;
}

/* The instance id, once, for the state file: nothing fails for want of it. */
static void read_instance_id(struct agent *a)
{
	char err[IMDS_ERR_LEN];
	struct imds_node n;

	if (a->st.instance_id[0] || !a->imds_open)
		return;
	if (!imds_read_node(&a->imds, IMDS_INSTANCE_ID, &n, err))
		snprintf(a->st.instance_id, sizeof(a->st.instance_id), "%s", n.instance_id);
	imds_node_free(&n);
}

/*
 * One cycle: the wanted state, the running one, an apply if they differ.
 * *running is what the kernel reported (for the metrics), if have_running.
 */
static void cycle(struct agent *a, struct conf *running, bool *have_running)
{
	char err[IMDS_ERR_LEN + 64] = "", what[300], s[200];
	struct nl_error e;
	struct conf want;
	bool was_ok = a->st.ok, drift;
	uint64_t digest;
	struct nl nl;
	int ret, same;

	*have_running = false;
	conf_init(running);
	ret = read_config(a, &want, err, sizeof(err));
	if (ret) {
		failed(a, &a->st.config_errors, err[0] ? err : "Cannot read the configuration",
		       err[0] != '\0');
		goto out;
	}
	digest = conf_digest(&want);
	if (digest != a->config_digest) {
		a->config_digest = digest;
		a->st.config_generation++;
		say("configuration %" PRIu64 " read from %s", a->st.config_generation, a->config);
	}
	if (conf_needs_imds(&want)) {
		if (!a->imds_open) {
			if (imds_open(&a->imds, a->imds_url, err) < 0) {
				failed(a, &a->st.metadata_errors, err, false);
				goto out;
			}
			a->imds_open = true;
		}
		if (imds_resolve(&a->imds, &want, err) < 0) {
			failed(a, &a->st.metadata_errors, err, false);
			goto out;
		}
		read_instance_id(a);
	}
	digest = conf_digest(&want);

	if (nl_open(&nl, g.netns)) {	/* it said why: the module is not loaded, say */
		failed(a, &a->st.apply_errors, "Cannot reach the vpcsnat module", true);
		goto out;
	}
	if (client_get_conf(&nl, running, &e) < 0) {
		snprintf(err, sizeof(err), "Cannot read the running configuration: %s",
			 e.has_msg ? e.msg : strerror(e.err));
		failed(a, &a->st.apply_errors, err, false);
		goto close;
	}
	*have_running = true;
	same = conf_same(&want, running, true);
	drift = same != 1 || rule_missing(&want);
	if (drift) {
		struct replace rp = { &nl, &want, input_name(a->config) };

		snprintf(what, sizeof(what), "%s", !a->st.wanted_digest ? "first apply" :
			 digest != a->applied_digest ? "the wanted state changed" :
			 same != 1 ? "the running table or settings drifted" :
			 "the routing rule went missing");
		if (with_rule(&want, do_replace, &rp)) {
			snprintf(err, sizeof(err), "Cannot apply (%s)", what);
			failed(a, &a->st.apply_errors, err, false);
			goto close;
		}
		a->st.applies++;
		a->st.last_apply_ns = now_ns();
		say("applied: %s (%s)", what, summary(&want, s, sizeof(s)));
		conf_free(running);
		conf_init(running);
		*have_running = client_get_conf(&nl, running, &e) == 0;
	}
	a->applied_digest = digest;
	a->st.wanted_digest = digest;
	a->st.ok = true;
	a->st.error[0] = '\0';
	a->st.last_success_ns = now_ns();
	if (!was_ok && !drift)
		say("in the wanted state (%s)", summary(&want, s, sizeof(s)));
close:
	nl_close(&nl);
out:
	conf_free(&want);
}

static void report(struct agent *a, const struct conf *running, bool have_running)
{
	a->st.updated_ns = now_ns();
	if (agent_state_write(a->state_path, &a->st) < 0)
		say("Cannot write %s: %s", a->state_path, strerror(errno));
	if (a->metrics_path &&
	    metrics_write(a->metrics_path, have_running ? running : NULL, &a->st) < 0)
		say("Cannot write %s: %s", a->metrics_path, strerror(errno));
}

/*
 * Watches the configuration's directory: a directory given is watched
 * itself (for kubelet's ..data swap and a vpcsnat.conf written there), a
 * file's directory for events that name the file. Tried again each cycle
 * until it works (the directory may appear later).
 */
static void watch_config(struct agent *a)
{
	char copy[PATH_MAX];
	struct stat st;

	if (a->watch >= 0 || a->inotify < 0)
		return;
	if (!stat(a->config, &st) && S_ISDIR(st.st_mode)) {
		snprintf(a->dir, sizeof(a->dir), "%s", a->config);
		snprintf(a->name, sizeof(a->name), "%s", CONFIG_DIR_FILE);
	} else {
		snprintf(copy, sizeof(copy), "%s", a->config);
		snprintf(a->dir, sizeof(a->dir), "%s", dirname(copy));
		snprintf(copy, sizeof(copy), "%s", a->config);
		snprintf(a->name, sizeof(a->name), "%s", basename(copy));
	}
	a->watch = inotify_add_watch(a->inotify, a->dir, IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE |
				     IN_DELETE | IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF |
				     IN_MOVE_SELF);
}

/* Whether the events waiting on the inotify descriptor touch the configuration. */
static bool config_changed(struct agent *a)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	while ((n = read(a->inotify, buf, sizeof(buf))) > 0) {
		const char *p;

		for (p = buf; p < buf + n; p += sizeof(struct inotify_event) +
						 ((const struct inotify_event *)p)->len) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if (ev->mask & IN_Q_OVERFLOW) {
				changed = true;	/* events were lost: it may be among them */
			} else if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
				if (ev->mask & IN_MOVE_SELF)	/* still watched where it went */
					inotify_rm_watch(a->inotify, ev->wd);
				a->watch = -1;	/* gone: watched again next cycle */
				changed = true;
			} else if (ev->len && (!strcmp(ev->name, a->name) ||
					       !strcmp(ev->name, "..data"))) {
				changed = true;
			}
		}
	}
	return changed;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int run(struct agent *a)
{
	struct pollfd pfd[2];
	uint64_t next = 0;
	sigset_t sigs;
	int sfd;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fprintf(stderr, "Error: Cannot watch signals: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	a->inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (a->inotify < 0)
		say("Cannot watch %s (%s); re-reading it every %u s only", a->config,
		    strerror(errno), a->interval);
	say("started: configuration %s, every %u s, state %s%s%s", a->config, a->interval,
	    a->state_path, a->metrics_path ? ", metrics " : "", a->metrics_path ? a->metrics_path : "");
	for (;;) {
		struct signalfd_siginfo si;
		uint64_t now = mono_ms();
		int timeout;

		if (now >= next) {
			struct conf running;
			bool have;

			watch_config(a);
			cycle(a, &running, &have);
			report(a, &running, have);
			conf_free(&running);
			next = mono_ms() + (uint64_t)a->interval * 1000;
			continue;
		}
		timeout = (int)(next - now);
		pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = a->watch >= 0 ? a->inotify : -1, .events = POLLIN };
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR) {
			fprintf(stderr, "Error: poll: %s\n", strerror(errno));
			break;
		}
		if (pfd[0].revents && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGHUP) {
				say("stopping on %s; the running state is left as it is",
				    strsignal((int)si.ssi_signo));
				break;
			}
			next = 0;
		}
		if (pfd[1].revents && config_changed(a)) {
			/* kubelet's swap is several steps: let them settle, then read once. */
			poll(NULL, 0, SETTLE_MS);
			config_changed(a);
			next = 0;
		}
	}
	a->st.running = false;
	a->st.updated_ns = now_ns();
	if (agent_state_write(a->state_path, &a->st) < 0)
		say("Cannot write %s: %s", a->state_path, strerror(errno));
	close(sfd);
	if (a->inotify >= 0)
		close(a->inotify);
	return EXIT_SUCCESS;
}

static int agent_main(int argc, const char *argv[])
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "imds", required_argument, NULL, 'm' },
		{ "state", required_argument, NULL, 's' },
		{ "metrics", required_argument, NULL, 'p' },
		{ 0 }
	};
	struct agent a = {
		.config = CONFIG_DEFAULT_PATH, .state_path = AGENT_STATE_DEFAULT_PATH,
		.interval = DEFAULT_INTERVAL, .inotify = -1, .watch = -1,
	};
	char err[IMDS_ERR_LEN];
	int o, ret;

	while ((o = next_option(argc, argv, "", options)) != -1) {
		switch (o) {
		case 'c': a.config = optarg; break;
		case 'm': a.imds_url = optarg; break;
		case 's': a.state_path = optarg; break;
		case 'p': a.metrics_path = optarg; break;
		case 'i':
			if (!parse_u32("interval", optarg, 1, MAX_INTERVAL, &a.interval, err)) {
				fprintf(stderr, "Error: %s seconds\n", err);
				return EXIT_USAGE;
			}
			break;
		default:
			agent_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: Unexpected argument %s after agent\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!*a.config || !*a.state_path || (a.metrics_path && !*a.metrics_path) ||
	    !strcmp(a.config, "-")) {
		fprintf(stderr, "Error: --config, --state and --metrics need a path\n");
		return EXIT_USAGE;
	}
	a.st.pid = (int)getpid();
	a.st.running = true;
	a.st.interval = a.interval;
	snprintf(a.st.config, sizeof(a.st.config), "%s", a.config);
	/* Refused at start, an endpoint is a usage error, not a cycle's. */
	if (a.imds_url) {
		if (imds_open(&a.imds, a.imds_url, err) < 0)
			return bad_input(err);
		a.imds_open = true;
	}
	ret = run(&a);
	if (a.imds_open)
		imds_close(&a.imds);
	return ret;
}

VERB(agent, "agent", agent_main, agent_usage,
     "Keeps the wanted state running: config, instance metadata, drift");
