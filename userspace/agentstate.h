/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What `snatctl agent` says of itself after each cycle, for `snatctl status
 * --check` (a readiness probe) and for people: one JSON object in a file
 * (default /run/vpcsnat/agent.json) that the agent replaces whole. Its one
 * definition, writer and reader are here:
 *
 *   {"version":1, "pid":1234, "running":true,
 *    "config":"/etc/vpcsnat", "interval":30,
 *    "updated":"2026-11-26T14:23:10.981Z", "updated_ns":...,
 *    "ok":true, "error":null,           (or false, and why, one line)
 *    "last_success_ns":..., "last_apply_ns":...,   (0: never)
 *    "wanted_digest":"89ab...",         (conf_digest() of what it applies, hex)
 *    "config_generation":3, "applies":2, "apply_errors":0,
 *    "metadata_errors":1, "config_errors":0, "instance_id":"i-..."}
 *
 * Times are nanoseconds since the epoch (CLOCK_REALTIME, event.h's
 * now_ns()), the strings
 * beside them for people. A reader ignores keys it does not know; a new
 * version number means an incompatible change.
 */
#ifndef AGENTSTATE_H
#define AGENTSTATE_H

#include <stdbool.h>
#include <stdint.h>

#define AGENT_STATE_DEFAULT_PATH "/run/vpcsnat/agent.json"
#define AGENT_STATE_VERSION 1
#define AGENT_ERROR_LEN 400

struct agent_state {
	int pid;
	bool running;			/* false once it stopped (SIGTERM) */
	char config[4096];		/* the file or directory it reads */
	unsigned int interval;		/* seconds between cycles */
	uint64_t updated_ns;		/* the end of the last cycle */
	bool ok;			/* the last cycle left the wanted state running */
	char error[AGENT_ERROR_LEN];	/* why not, when !ok */
	uint64_t last_success_ns;	/* the last cycle that did; 0 if none */
	uint64_t last_apply_ns;		/* the last change it made; 0 if none */
	uint64_t wanted_digest;		/* conf_digest() of the wanted state; 0 if unknown */
	uint64_t config_generation;	/* how many configurations it has read */
	uint64_t applies, apply_errors, metadata_errors, config_errors;
	char instance_id[64];		/* "" until known */
};

/* Replaces the file path with s; 0, or -1 with errno set. */
int agent_state_write(const char *path, const struct agent_state *s);

/* Reads path into s; 0, or -1 with err (AGENT_ERROR_LEN) saying why. */
int agent_state_read(const char *path, struct agent_state *s, char *err);

#endif
