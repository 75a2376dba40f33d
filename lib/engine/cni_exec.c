#include "engine/cni_exec.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "core/proc_spawn.h"
#include "core/strv.h"
#include "engine/cni_result.h"

#define CNI_OUT_MAX (1 << 20)
#define CNI_ERR_MAX (64 << 10)
/* The plugins run iptables and friends by name. */
#define CNI_HELPER_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int cni_find_plugin(char *const *bin_dirs, const char *type, char *path, size_t len)
{
	for (size_t i = 0; bin_dirs && bin_dirs[i]; i++) {
		struct stat st;
		int n = snprintf(path, len, "%s/%s", bin_dirs[i], type);
		if (n > 0 && (size_t)n < len && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(path, X_OK) == 0)
			return 0;
	}
	return -1;
}

static void dirs_text(char *const *dirs, char *out, size_t outlen, char sep)
{
	size_t pos = 0;
	out[0] = '\0';
	for (size_t i = 0; dirs && dirs[i] && pos + 1 < outlen; i++) {
		int n =
		    snprintf(out + pos, outlen - pos, "%s%s", i ? (char[]){sep, 0} : "", dirs[i]);
		if (n < 0)
			break;
		pos += (size_t)n < outlen - pos ? (size_t)n : outlen - pos - 1;
	}
}

int cni_check_plugins(const struct cni_conflist *l, char *const *bin_dirs, char *err, size_t errlen)
{
	char path[4096], dirs[1024];
	for (size_t i = 0; i < l->n; i++) {
		const char *type = json_get_str(l->plugins[i], "type");
		if (cni_find_plugin(bin_dirs, type, path, sizeof(path)) < 0) {
			dirs_text(bin_dirs, dirs, sizeof(dirs), ' ');
			snprintf(err, errlen,
			         "network %s: CNI plugin \"%s\" not found in the cni-bin-dir [%s]",
			         l->name, type, dirs);
			return -1;
		}
	}
	return 0;
}

/* Runs plugin i with command; 0 with *out its stdout (malloc'd, when out is given), or -1
 * with err. */
static int run_plugin(const struct cni_conflist *l, size_t i, const char *command,
                      const struct cni_call *call, const char *prev, char **out, char *err,
                      size_t errlen)
{
	const char *type = json_get_str(l->plugins[i], "type");
	char path[4096];
	if (cni_find_plugin(call->bin_dirs, type, path, sizeof(path)) < 0)
		return cni_check_plugins(l, call->bin_dirs, err, errlen);
	char *input = cni_plugin_stdin(l, i, prev, &call->rt);
	if (!input) {
		snprintf(err, errlen, "network %s: cannot build the config of plugin %s", l->name,
		         type);
		return -1;
	}
	char cni_path[1024], v_path[1100];
	dirs_text(call->bin_dirs, cni_path, sizeof(cni_path), ':');
	snprintf(v_path, sizeof(v_path), "CNI_PATH=%s", cni_path);
	char **env = NULL;
	strv_pushf(&env, "CNI_COMMAND=%s", command);
	strv_pushf(&env, "CNI_CONTAINERID=%s", call->container_id);
	strv_pushf(&env, "CNI_NETNS=%s", call->netns);
	strv_pushf(&env, "CNI_IFNAME=%s", call->ifname);
	strv_push(&env, v_path);
	strv_push(&env, CNI_HELPER_PATH);
	char *argv[] = {path, NULL};
	struct spawn_opts o = {
	    .envp = env,
	    .input = input,
	    .input_len = strlen(input),
	    .timeout_ms = call->timeout_ms > 0 ? call->timeout_ms : CNI_DEFAULT_TIMEOUT_MS,
	};
	struct spawn_capture cap;
	int ret = -1;
	char msg[512];
	if (spawn_capture_opts(path, argv, 0, CNI_OUT_MAX, CNI_ERR_MAX, &o, &cap) < 0) {
		snprintf(err, errlen, "network %s: cannot run %s: %m", l->name, path);
	} else if (cap.timed_out) {
		snprintf(err, errlen, "network %s: %s %s did not finish within %lld ms", l->name,
		         type, command, (long long)o.timeout_ms);
	} else if (cap.status != 0 || cap.out_truncated) {
		cni_error_text(cap.out[0] ? cap.out : cap.err, msg, sizeof(msg));
		snprintf(err, errlen, "network %s: %s %s failed: %s", l->name, type, command,
		         cap.out_truncated ? "its output is too large" : msg);
	} else {
		ret = 0;
		if (out) {
			*out = cap.out;
			cap.out = NULL;
		}
	}
	if (cap.out || cap.err)
		spawn_capture_free(&cap);
	strv_free(env);
	free(input);
	return ret;
}

/* The portmap plugin with nothing to publish would only cost a run (and an iptables-restore
 * or two) at each ADD and DEL: it is left out, consistently, since the ports are fixed at
 * create. */
static bool skipped(const struct cni_conflist *l, size_t i, const struct cni_call *call)
{
	const char *type = json_get_str(l->plugins[i], "type");
	return call->rt.n_ports == 0 && type && strcmp(type, "portmap") == 0;
}

/* DEL of plugins [0, upto) in reverse order. */
static int del_range(const struct cni_conflist *l, size_t upto, const struct cni_call *call,
                     const char *prev, char *err, size_t errlen)
{
	int ret = 0;
	for (size_t i = upto; i-- > 0;) {
		char one[1024];
		if (skipped(l, i, call))
			continue;
		if (run_plugin(l, i, "DEL", call, prev, NULL, one, sizeof(one)) < 0 && ret == 0) {
			snprintf(err, errlen, "%s", one);
			ret = -1;
		}
	}
	return ret;
}

int cni_add(const struct cni_conflist *l, const struct cni_call *call, char **result, char *err,
            size_t errlen)
{
	*result = NULL;
	if (cni_check_plugins(l, call->bin_dirs, err, errlen) < 0)
		return -1;
	char *prev = NULL;
	for (size_t i = 0; i < l->n; i++) {
		char *out = NULL;
		if (skipped(l, i, call))
			continue;
		struct cni_result parsed;
		char perr[256];
		int rc = run_plugin(l, i, "ADD", call, prev, &out, err, errlen);
		if (rc == 0 && cni_result_parse(out, &parsed, perr, sizeof(perr)) < 0) {
			snprintf(err, errlen, "network %s: %s ADD: %s", l->name,
			         json_get_str(l->plugins[i], "type"), perr);
			rc = -1;
		}
		if (rc < 0) {
			/* The spec: a failed ADD is undone by DEL (a plugin that failed half-way
			 * may have left a link or a lease too). */
			char ignored[1024];
			del_range(l, i + 1, call, prev, ignored, sizeof(ignored));
			free(out);
			free(prev);
			return -1;
		}
		free(prev);
		prev = out;
	}
	*result = prev;
	return 0;
}

int cni_del(const struct cni_conflist *l, const struct cni_call *call, const char *prev_result,
            char *err, size_t errlen)
{
	return del_range(l, l->n, call, prev_result, err, errlen);
}

int cni_check(const struct cni_conflist *l, const struct cni_call *call, const char *prev_result,
              char *err, size_t errlen)
{
	for (size_t i = 0; i < l->n; i++) {
		if (!skipped(l, i, call) &&
		    run_plugin(l, i, "CHECK", call, prev_result, NULL, err, errlen) < 0)
			return -1;
	}
	return 0;
}
