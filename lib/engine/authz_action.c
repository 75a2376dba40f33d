/* Method + URI → authz action name: a table of routes tried in order. */
#include "engine/authz_action.h"

#include <stdbool.h>
#include <string.h>

struct action_row {
	const char *method;
	const char *pattern; /* at most one "{}" */
	const char *action;
};

/* Groups in the original's order (engine, images, volumes, networks, containers); the
 * first row matching wins. */
static const struct action_row g_rows[] = {
    {"GET", "/events", "docker_events"},
    {"GET", "/version", "docker_version"},
    {"POST", "/auth", "login"},
    {"GET", "/_ping", "docker_ping"},
    {"GET", "/info", "docker_info"},
    {"POST", "/build", "image_build"},
    {"GET", "/images/{}/get", "images_archive"},
    {"GET", "/images/search", "image_search"},
    {"POST", "/images/{}/tag", "image_tag"},
    {"GET", "/images/{}/json", "image_inspect"},
    {"DELETE", "/images/{}", "image_delete"},
    {"GET", "/images/{}/history", "image_history"},
    {"POST", "/images/{}/push", "image_push"},
    {"POST", "/images/create", "pull"},
    {"POST", "/images/load", "image_load"},
    {"GET", "/images/json", "image_list"},
    {"GET", "/volumes/{}", "volume_inspect"},
    {"GET", "/volumes", "volume_list"},
    {"POST", "/volumes/create", "volume_create"},
    {"POST", "/volumes/prune", "volume_prune"},
    {"DELETE", "/volumes/{}", "volume_remove"},
    {"GET", "/networks/{}", "network_inspect"},
    {"GET", "/networks", "network_list"},
    {"POST", "/networks/create", "network_create"},
    {"POST", "/networks/{}/connect", "network_connect"},
    {"POST", "/networks/{}/disconnect", "network_disconnect"},
    {"DELETE", "/networks/{}", "network_remove"},
    {"POST", "/commit", "container_commit"},
    {"POST", "/containers/{}/wait", "container_wait"},
    {"POST", "/containers/{}/resize", "container_resize"},
    {"GET", "/containers/{}/export", "container_export"},
    {"POST", "/containers/{}/stop", "container_stop"},
    {"POST", "/containers/{}/kill", "container_kill"},
    {"POST", "/containers/{}/restart", "container_restart"},
    {"POST", "/containers/{}/start", "container_start"},
    {"POST", "/containers/{}/update", "container_update"},
    {"POST", "/containers/{}/exec", "container_exec_create"},
    {"POST", "/containers/{}/unpause", "container_unpause"},
    {"POST", "/containers/{}/pause", "container_pause"},
    {"POST", "/containers/{}/copy", "container_copyfiles"},
    {"PUT", "/containers/{}/archive", "container_archive_extract"},
    {"HEAD", "/containers/{}/archive", "container_archive_info"},
    {"GET", "/containers/{}/archive", "container_archive"},
    {"GET", "/containers/{}/attach/ws", "container_attach_websocket"},
    {"POST", "/containers/{}/attach", "container_attach"},
    {"GET", "/containers/json", "container_list"},
    {"GET", "/containers/{}/json", "container_inspect"},
    {"DELETE", "/containers/{}", "container_delete"},
    {"POST", "/containers/{}/rename", "container_rename"},
    {"GET", "/containers/{}/stats", "container_stats"},
    {"GET", "/containers/{}/changes", "container_changes"},
    {"GET", "/containers/{}/top", "container_top"},
    {"GET", "/containers/{}/logs", "container_logs"},
    {"POST", "/containers/create", "container_create"},
    {"GET", "/exec/{}/json", "container_exec_inspect"},
    {"POST", "/exec/{}/start", "container_exec_start"},
    {"POST", "/exec/{}/resize", "container_exec_resize"},
};

static bool param_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("_.:/-", c) != NULL;
}

/* path[0..len) against a pattern with at most one "{}". */
static bool path_matches(const char *pattern, const char *path, size_t len)
{
	const char *hole = strstr(pattern, "{}");
	if (!hole)
		return strlen(pattern) == len && memcmp(pattern, path, len) == 0;
	size_t pre = (size_t)(hole - pattern);
	const char *suf = hole + 2;
	size_t suflen = strlen(suf);
	if (len < pre + suflen + 1 || memcmp(path, pattern, pre) != 0 ||
	    memcmp(path + len - suflen, suf, suflen) != 0)
		return false;
	for (size_t i = pre; i < len - suflen; i++)
		if (!param_char(path[i]))
			return false;
	return true;
}

/* Past "/vDIGITS[.DIGITS]" when the path starts with one followed by '/'. */
static const char *skip_version(const char *p)
{
	if (p[0] != '/' || p[1] != 'v')
		return p;
	const char *q = p + 2;
	if (*q < '0' || *q > '9')
		return p;
	while (*q >= '0' && *q <= '9')
		q++;
	if (*q == '.') {
		q++;
		if (*q < '0' || *q > '9')
			return p;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	return *q == '/' ? q : p;
}

const char *authz_action(const char *method, const char *uri)
{
	if (!method || !uri)
		return "";
	const char *path = skip_version(uri);
	size_t len = strcspn(path, "?#");
	for (size_t i = 0; i < sizeof(g_rows) / sizeof(g_rows[0]); i++)
		if (strcmp(method, g_rows[i].method) == 0 &&
		    path_matches(g_rows[i].pattern, path, len))
			return g_rows[i].action;
	return "";
}

bool authz_method_ok(const char *method)
{
	size_t n = method ? strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") : 0;
	return n > 0 && n <= 16 && method[n] == '\0';
}
