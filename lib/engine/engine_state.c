#include "engine/engine_state.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "engine/container_ref.h"
#include "core/fileutil.h"
#include "core/idgen.h"
#include "core/json.h"
#include "engine/engine_layout.h"

static int load_one(const char *lcr, const char *dirname, struct engine_container *out)
{
	char *dir = path_join(lcr, dirname);
	char *path = dir ? path_join(dir, "config.v2.json") : NULL;
	char *text = path ? read_file(path, 16 << 20, NULL) : NULL;
	yajl_val root = text ? json_parse(text, NULL, 0) : NULL;
	const char *id = json_get_str(root, "ID");
	const char *name = json_get_str(root, "Name");
	yajl_val state = json_get(root, "State");
	int ret = -1;
	if (id && name && idgen_is_full_id(id) && strcmp(id, dirname) == 0 && state) {
		int64_t pid = json_get_int(state, "Pid", 0);
		out->id = strdup(id);
		/* Docker keeps names with a leading slash; accept both spellings. */
		out->name = strdup(name[0] == '/' ? name + 1 : name);
		out->running =
		    json_get_bool(state, "Running", false) && pid > 0 && pid <= 0x7fffffff;
		out->pid = out->running ? (int)pid : 0;
		if (out->id && out->name) {
			ret = 0;
		} else {
			free(out->id);
			free(out->name);
		}
	}
	if (root)
		yajl_tree_free(root);
	free(text);
	free(path);
	free(dir);
	return ret;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct engine_container *)a)->id,
	              ((const struct engine_container *)b)->id);
}

int engine_containers_load(const char *graph, struct engine_containers *out, char *err,
                           size_t errlen)
{
	memset(out, 0, sizeof(*out));
	char *lcr = engine_lcr_dir(graph);
	DIR *d = lcr ? opendir(lcr) : NULL;
	if (!d) {
		snprintf(err, errlen, "cannot read the engine's containers in %s: %s",
		         lcr ? lcr : graph, strerror(errno));
		free(lcr);
		return -1;
	}
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!idgen_is_full_id(de->d_name))
			continue;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct engine_container *nv = realloc(out->v, ncap * sizeof(*nv));
			if (!nv)
				break;
			out->v = nv;
			cap = ncap;
		}
		if (load_one(lcr, de->d_name, &out->v[out->n]) == 0)
			out->n++;
	}
	closedir(d);
	free(lcr);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), by_id);
	return 0;
}

static const char *id_at(const void *ctx, size_t i)
{
	return ((const struct engine_containers *)ctx)->v[i].id;
}

static const char *name_at(const void *ctx, size_t i)
{
	return ((const struct engine_containers *)ctx)->v[i].name;
}

const struct engine_container *engine_containers_find(const struct engine_containers *all,
                                                      const char *ref, char *err, size_t errlen)
{
	struct container_ref_list l = {.n = all->n, .ctx = all, .id_at = id_at, .name_at = name_at};
	struct error e;
	long i = container_ref_find(&l, ref, &e);
	if (i < 0) {
		snprintf(err, errlen, "%s", e.msg);
		return NULL;
	}
	return &all->v[i];
}

void engine_containers_free(struct engine_containers *all)
{
	for (size_t i = 0; i < all->n; i++) {
		free(all->v[i].id);
		free(all->v[i].name);
	}
	free(all->v);
	memset(all, 0, sizeof(*all));
}
