#include "engine/hook_state.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "core/json.h"

/* Copies an optional string member; -1 if it is there but not a string. */
static int take_str(yajl_val obj, const char *key, char **out, char *err, size_t errlen)
{
	yajl_val v = json_get(obj, key);
	*out = NULL;
	if (!v || YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_STRING(v)) {
		snprintf(err, errlen, "\"%s\" must be a string", key);
		return -1;
	}
	const char *s = YAJL_GET_STRING(v);
	*out = strdup(s ? s : "");
	return *out ? 0 : -1;
}

static int parse_state(const char *json, bool pid_required, struct hook_state *out, char *err,
                       size_t errlen)
{
	char perr[256] = "";
	memset(out, 0, sizeof(*out));
	yajl_val root = json_parse(json, perr, sizeof(perr));
	if (!root) {
		/* yajl's message spans lines; its first line names the problem. */
		perr[strcspn(perr, "\n")] = '\0';
		snprintf(err, errlen, "not JSON: %s", perr[0] ? perr : "parse error");
		return -1;
	}
	int ret = -1;
	if (!YAJL_IS_OBJECT(root)) {
		snprintf(err, errlen, "not a JSON object");
		goto out;
	}
	yajl_val pid = json_get(root, "pid");
	if (!pid_required &&
	    (!pid || YAJL_IS_NULL(pid) || (YAJL_IS_INTEGER(pid) && YAJL_GET_INTEGER(pid) <= 0))) {
		out->pid = 0;
	} else if (!pid || !YAJL_IS_INTEGER(pid) || YAJL_GET_INTEGER(pid) <= 0 ||
	           YAJL_GET_INTEGER(pid) > 0x7fffffff) {
		snprintf(err, errlen, "\"pid\" must be a positive integer (the container's init)");
		goto out;
	} else {
		out->pid = (int)YAJL_GET_INTEGER(pid);
	}
	if (take_str(root, "id", &out->id, err, errlen) < 0 ||
	    take_str(root, "status", &out->status, err, errlen) < 0 ||
	    take_str(root, "bundle", &out->bundle, err, errlen) < 0 ||
	    take_str(root, "root", &out->root, err, errlen) < 0)
		goto out;
	if (out->root && out->root[0] != '/') {
		snprintf(err, errlen, "\"root\" must be an absolute path, not \"%s\"", out->root);
		goto out;
	}
	ret = 0;
out:
	yajl_tree_free(root);
	if (ret < 0)
		hook_state_free(out);
	return ret;
}

int hook_state_parse(const char *json, struct hook_state *out, char *err, size_t errlen)
{
	return parse_state(json, true, out, err, errlen);
}

int hook_state_parse_stopped(const char *json, struct hook_state *out, char *err, size_t errlen)
{
	return parse_state(json, false, out, err, errlen);
}

char *hook_state_read(int fd, char *err, size_t errlen)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1);
	if (!buf)
		snprintf(err, errlen, "out of memory");
	while (buf) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read the container state on stdin: %s",
			         strerror(errno));
			break;
		}
		if (n == 0) {
			buf[len] = '\0';
			if (strlen(buf) == len)
				return buf;
			snprintf(err, errlen, "the container state on stdin holds a NUL byte");
			break;
		}
		len += (size_t)n;
		if (len == cap) {
			if (cap >= HOOK_STATE_MAX) {
				snprintf(err, errlen,
				         "the container state on stdin exceeds %d bytes",
				         HOOK_STATE_MAX);
				break;
			}
			cap *= 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				snprintf(err, errlen, "out of memory");
				break;
			}
			buf = nb;
		}
	}
	free(buf);
	return NULL;
}

void hook_state_free(struct hook_state *s)
{
	free(s->id);
	free(s->status);
	free(s->bundle);
	free(s->root);
	memset(s, 0, sizeof(*s));
}
