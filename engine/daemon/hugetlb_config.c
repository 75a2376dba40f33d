#include "hugetlb_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "engine/hugetlb_spec.h"
#include "engine/lxc_conf.h"
#include "host/cgroup_mounts.h"
#include "host/hugetlb.h"

void hugetlb_config_gen(yajl_gen g, const struct hugetlb_config *h)
{
	jg_key(g, "Hugetlbs");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < h->n; i++) {
		yajl_gen_map_open(g);
		jg_kstr(g, "PageSize", h->v[i].page_size);
		jg_kint(g, "Limit", h->v[i].limit);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

int hugetlb_config_parse(yajl_val node, struct hugetlb_config *h, char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
	yajl_val arr = json_get(node, "Hugetlbs");
	if (!arr || YAJL_IS_NULL(arr))
		return 0;
	if (!YAJL_IS_ARRAY(arr)) {
		snprintf(err, errlen, "Hugetlbs must be an array of {\"PageSize\", \"Limit\"}");
		return -1;
	}
	h->v = calloc(arr->u.array.len + 1, sizeof(*h->v));
	if (!h->v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < arr->u.array.len; i++) {
		yajl_val e = arr->u.array.values[i];
		const char *ps = json_get_str(e, "PageSize");
		int64_t limit = json_get_int(e, "Limit", -1);
		uint64_t bytes = 0;
		char name[32] = "";
		if (ps && *ps && hugetlb_page_size_parse(ps, &bytes) < 0) {
			snprintf(err, errlen,
			         "Invalid --hugetlb-limit (Hugetlbs) page size '%.64s': expected a "
			         "size such as 2MB or 1GB",
			         ps);
			return -1;
		}
		if (limit <= 0) {
			snprintf(
			    err, errlen,
			    "Invalid --hugetlb-limit (Hugetlbs) limit %lld for page size '%.64s': "
			    "allowed is a size in bytes greater than 0",
			    (long long)limit, ps ? ps : "");
			return -1;
		}
		if (bytes)
			hugetlb_size_name(bytes, name, sizeof(name));
		h->v[h->n].page_size = strdup(name);
		h->v[h->n].limit = limit;
		if (!h->v[h->n++].page_size) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

void hugetlb_config_free(struct hugetlb_config *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i].page_size);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

bool hugetlb_cgroup_v2(void)
{
	const struct cgroup_mounts *m = cgroup_mounts_host();
	return !cgroup_mounts_v1(m, "hugetlb") && cgroup_mounts_v2(m);
}

/* The controller is there: a v1 hierarchy, or the v2 tree offering it. */
static bool hugetlb_cgroup_present(void)
{
	const struct cgroup_mounts *m = cgroup_mounts_host();
	if (cgroup_mounts_v1(m, "hugetlb"))
		return true;
	const struct cgroup_hier *v2 = cgroup_mounts_v2(m);
	char *path = v2 ? path_join(v2->mount_point, "cgroup.controllers") : NULL;
	char *ctrls = path ? read_file(path, 4096, NULL) : NULL;
	bool ok = ctrls && word_list_has(ctrls, "hugetlb");
	free(ctrls);
	free(path);
	return ok;
}

int hugetlb_config_resolve(struct hugetlb_config *h, char *err, size_t errlen)
{
	if (!h->n)
		return 0;
	if (!hugetlb_cgroup_present()) {
		snprintf(err, errlen,
		         "Your kernel does not support hugetlb limits (no hugetlb cgroup): "
		         "--hugetlb-limit cannot be applied");
		return -1;
	}
	uint64_t sizes[HUGETLB_MAX_SIZES];
	size_t n = hugetlb_host_sizes(sizes);
	char list[256];
	hugetlb_host_size_list(list, sizeof(list));
	for (size_t i = 0; i < h->n; i++) {
		struct hugetlb_limit *l = &h->v[i];
		if (!l->page_size[0]) {
			uint64_t dflt = hugetlb_default_size();
			char name[32];
			hugetlb_size_name(dflt, name, sizeof(name));
			char *copy = dflt ? strdup(name) : NULL;
			if (!copy) {
				snprintf(
				    err, errlen,
				    "Invalid --hugetlb-limit: no page size given and the host has "
				    "no default huge page size (supported: %s)",
				    list);
				return -1;
			}
			free(l->page_size);
			l->page_size = copy;
		}
		bool offered = false;
		for (size_t k = 0; k < n && !offered; k++) {
			char name[32];
			hugetlb_size_name(sizes[k], name, sizeof(name));
			offered = strcmp(name, l->page_size) == 0;
		}
		for (size_t k = 0; k < i && offered; k++) {
			if (strcmp(h->v[k].page_size, l->page_size) == 0) {
				snprintf(err, errlen,
				         "Invalid --hugetlb-limit: page size %s is given twice",
				         l->page_size);
				return -1;
			}
		}
		if (!offered) {
			snprintf(err, errlen,
			         "Invalid --hugetlb-limit page size %s: this host supports %s",
			         l->page_size, list);
			return -1;
		}
	}
	return 0;
}

void hugetlb_file(const struct hugetlb_config *h, size_t i, bool v2, char *buf, size_t len)
{
	snprintf(buf, len, v2 ? "hugetlb.%s.max" : "hugetlb.%s.limit_in_bytes", h->v[i].page_size);
}

void hugetlb_lxc_config(struct strbuf *f, const struct hugetlb_config *h, bool v2, bool hybrid,
                        struct strbuf *hybrid_v2)
{
	for (size_t i = 0; i < h->n; i++) {
		char file[64], key[96];
		hugetlb_file(h, i, v2, file, sizeof(file));
		if (v2 && hybrid) {
			strbuf_printf(hybrid_v2, "%s %lld\n", file, (long long)h->v[i].limit);
			continue;
		}
		snprintf(key, sizeof(key), "lxc.cgroup%s.%s", v2 ? "2" : "", file);
		lxc_conf_line(f, key, "%lld", (long long)h->v[i].limit);
	}
}
