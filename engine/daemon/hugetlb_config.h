/* --hugetlb-limit's HostConfig field, iSulad's Hugetlbs [{"PageSize": "2MB", "Limit": N}]
 * (Docker has none): a limit per huge page size, written to hugetlb.<size>.limit_in_bytes
 * (v1) or hugetlb.<size>.max (the v2 tree: on a hybrid host too, where hugetlb may be
 * there alone). */
#ifndef ENGINE_HUGETLB_CONFIG_H
#define ENGINE_HUGETLB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "core/strbuf.h"

struct hugetlb_limit {
	char *page_size; /* the kernel's name ("2MB"); "" until resolved: the host's default */
	int64_t limit;   /* bytes, > 0 */
};

struct hugetlb_config {
	struct hugetlb_limit *v;
	size_t n;
};

void hugetlb_config_gen(yajl_gen g, const struct hugetlb_config *h);
/* Absent or null: none. A page size must read as one (engine/hugetlb_spec.h), a limit be
 * > 0; -1 with err naming them. */
int hugetlb_config_parse(yajl_val hostconfig, struct hugetlb_config *h, char *err, size_t errlen);
void hugetlb_config_free(struct hugetlb_config *h);
/* At create: an empty page size becomes the host's default; each must be one the host
 * offers, and a hugetlb cgroup be there. -1 with err naming the size and the host's. */
int hugetlb_config_resolve(struct hugetlb_config *h, char *err, size_t errlen);
/* Where the host's hugetlb controller is: true for the v2 tree. */
bool hugetlb_cgroup_v2(void);
/* Entry i's cgroup file: hugetlb.<size>.limit_in_bytes (v1) or hugetlb.<size>.max (v2). */
void hugetlb_file(const struct hugetlb_config *h, size_t i, bool v2, char *buf, size_t len);
/* Their lxc.cgroup or lxc.cgroup2 lines; on a hybrid host with hugetlb in the v2 tree, where
 * liblxc ignores lxc.cgroup2 lines, "FILE VALUE" lines of hybrid_v2 (the cgroup2-limits
 * hook's) instead. */
void hugetlb_lxc_config(struct strbuf *f, const struct hugetlb_config *h, bool v2, bool hybrid,
                        struct strbuf *hybrid_v2);

#endif
