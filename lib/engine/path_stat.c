#include "engine/path_stat.h"

#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/json.h"
#include "core/timeutil.h"

#define GO_MODE_DIR (1u << 31)
#define GO_MODE_SYMLINK (1u << 27)
#define GO_MODE_DEVICE (1u << 26)
#define GO_MODE_NAMED_PIPE (1u << 25)
#define GO_MODE_SOCKET (1u << 24)
#define GO_MODE_SETUID (1u << 23)
#define GO_MODE_SETGID (1u << 22)
#define GO_MODE_CHAR_DEVICE (1u << 21)
#define GO_MODE_STICKY (1u << 20)

uint32_t path_stat_go_mode(mode_t m)
{
	uint32_t go = m & 0777;
	if (S_ISDIR(m))
		go |= GO_MODE_DIR;
	else if (S_ISLNK(m))
		go |= GO_MODE_SYMLINK;
	else if (S_ISBLK(m))
		go |= GO_MODE_DEVICE;
	else if (S_ISCHR(m))
		go |= GO_MODE_DEVICE | GO_MODE_CHAR_DEVICE;
	else if (S_ISFIFO(m))
		go |= GO_MODE_NAMED_PIPE;
	else if (S_ISSOCK(m))
		go |= GO_MODE_SOCKET;
	if (m & S_ISUID)
		go |= GO_MODE_SETUID;
	if (m & S_ISGID)
		go |= GO_MODE_SETGID;
	if (m & S_ISVTX)
		go |= GO_MODE_STICKY;
	return go;
}

bool path_stat_is_dir(const struct path_stat *ps)
{
	return (ps->mode & GO_MODE_DIR) != 0;
}

bool path_stat_is_symlink(const struct path_stat *ps)
{
	return (ps->mode & GO_MODE_SYMLINK) != 0;
}

char *path_stat_encode(const char *name, const struct stat *st, const char *link_target)
{
	char mtime[64];
	time_format_rfc3339(&st->st_mtim, mtime, sizeof(mtime));
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return NULL;
	yajl_gen_map_open(g);
	jg_kstr(g, "name", name);
	jg_kint(g, "size", st->st_size);
	jg_kint(g, "mode", path_stat_go_mode(st->st_mode));
	jg_kstr(g, "mtime", mtime);
	jg_kstr(g, "linkTarget", link_target ? link_target : "");
	yajl_gen_map_close(g);
	size_t len;
	char *json = jg_finish(g, &len);
	if (!json)
		return NULL;
	char *b64 = base64_encode(json, len);
	free(json);
	return b64;
}

int path_stat_decode(const char *value, struct path_stat *out)
{
	memset(out, 0, sizeof(*out));
	char *json = base64_decode(value, NULL);
	if (!json)
		return -1;
	yajl_val root = json_parse(json, NULL, 0);
	free(json);
	if (!root || !YAJL_IS_OBJECT(root)) {
		if (root)
			yajl_tree_free(root);
		return -1;
	}
	const char *name = json_get_str(root, "name");
	const char *link = json_get_str(root, "linkTarget");
	out->name = strdup(name ? name : "");
	out->link_target = strdup(link ? link : "");
	out->size = json_get_int(root, "size", 0);
	out->mode = (uint32_t)json_get_int(root, "mode", 0);
	yajl_tree_free(root);
	if (!out->name || !out->link_target) {
		path_stat_free(out);
		return -1;
	}
	return 0;
}

void path_stat_free(struct path_stat *ps)
{
	free(ps->name);
	free(ps->link_target);
	memset(ps, 0, sizeof(*ps));
}
