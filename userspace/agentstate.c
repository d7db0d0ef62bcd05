// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The agent's state file, written and read; see agentstate.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agentstate.h"
#include "cli.h"
#include "parse.h"

static json_t *ns_json(uint64_t ns)
{
	return json_integer((json_int_t)ns);
}

int agent_state_write(const char *path, const struct agent_state *s)
{
	char t[TIME_STR_LEN], digest[17];
	json_t *o;
	char *text;
	int ret;

	snprintf(digest, sizeof(digest), "%016" PRIx64, s->wanted_digest);
	o = json_pack("{s:i,s:i,s:b,s:s,s:i,s:s,s:o,s:b,s:o,s:o,s:o,s:s?,s:o,s:o,s:o,s:o,s:o,s:s?}",
		"version", AGENT_STATE_VERSION,
		"pid", s->pid,
		"running", s->running,
		"config", s->config,
		"interval", (int)s->interval,
		"updated", time_str(s->updated_ns, t),
		"updated_ns", ns_json(s->updated_ns),
		"ok", s->ok,
		"error", s->ok ? json_null() : json_string(s->error),
		"last_success_ns", ns_json(s->last_success_ns),
		"last_apply_ns", ns_json(s->last_apply_ns),
		"wanted_digest", s->wanted_digest ? digest : NULL,
		"config_generation", json_integer((json_int_t)s->config_generation),
		"applies", json_integer((json_int_t)s->applies),
		"apply_errors", json_integer((json_int_t)s->apply_errors),
		"metadata_errors", json_integer((json_int_t)s->metadata_errors),
		"config_errors", json_integer((json_int_t)s->config_errors),
		"instance_id", s->instance_id[0] ? s->instance_id : NULL);
	if (!o) {
		errno = ENOMEM;
		return -1;
	}
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text) {
		errno = ENOMEM;
		return -1;
	}
	ret = replace_file(path, text, strlen(text));
	free(text);
	return ret;
}

/* o's key as an unsigned number into *v; false if absent or not one. */
static bool get_u64(json_t *o, const char *key, uint64_t *v)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return false;
	*v = (uint64_t)json_integer_value(j);
	return true;
}

int agent_state_read(const char *path, struct agent_state *s, char *err)
{
	json_t *o, *j;
	json_error_t je;
	uint64_t v;

	memset(s, 0, sizeof(*s));
	errno = 0;
	o = json_load_file(path, 0, &je);
	if (!o) {
		/* jansson's text names the file already when it cannot open it. */
		if (je.line < 0 && errno == ENOENT)
			snprintf(err, AGENT_ERROR_LEN, "Cannot read %s: %s", path, strerror(ENOENT));
		else if (je.line < 0)
			snprintf(err, AGENT_ERROR_LEN, "Cannot read %s: %s", path, je.text);
		else
			snprintf(err, AGENT_ERROR_LEN, "%s:%d: %s", path, je.line, je.text);
		return -1;
	}
	if (!get_u64(o, "version", &v) || v != AGENT_STATE_VERSION) {
		snprintf(err, AGENT_ERROR_LEN, "%s: not version %d of the agent's state", path,
			 AGENT_STATE_VERSION);
		goto bad;
	}
	if (!get_u64(o, "pid", &v) || !get_u64(o, "interval", &v) ||
	    !json_is_boolean(json_object_get(o, "running")) ||
	    !json_is_boolean(json_object_get(o, "ok")) ||
	    !get_u64(o, "updated_ns", &s->updated_ns) ||
	    !get_u64(o, "last_success_ns", &s->last_success_ns) ||
	    !get_u64(o, "last_apply_ns", &s->last_apply_ns) ||
	    !get_u64(o, "config_generation", &s->config_generation) ||
	    !get_u64(o, "applies", &s->applies) || !get_u64(o, "apply_errors", &s->apply_errors) ||
	    !get_u64(o, "metadata_errors", &s->metadata_errors) ||
	    !get_u64(o, "config_errors", &s->config_errors)) {
		snprintf(err, AGENT_ERROR_LEN, "%s: a key of the agent's state is missing or wrong",
			 path);
		goto bad;
	}
	get_u64(o, "pid", &v);
	s->pid = (int)v;
	get_u64(o, "interval", &v);
	s->interval = (unsigned int)v;
	s->running = json_is_true(json_object_get(o, "running"));
	s->ok = json_is_true(json_object_get(o, "ok"));
	if (json_is_string(j = json_object_get(o, "config")))
		snprintf(s->config, sizeof(s->config), "%s", json_string_value(j));
	if (json_is_string(j = json_object_get(o, "error")))
		snprintf(s->error, sizeof(s->error), "%s", json_string_value(j));
	if (json_is_string(j = json_object_get(o, "instance_id")))
		snprintf(s->instance_id, sizeof(s->instance_id), "%s", json_string_value(j));
	if (json_is_string(j = json_object_get(o, "wanted_digest")))
		s->wanted_digest = strtoull(json_string_value(j), NULL, 16);
	json_decref(o);
	return 0;
bad:
	json_decref(o);
	return -1;
}
