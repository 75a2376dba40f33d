#include "create_storage.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/json.h"
#include "engine/hugetlb_spec.h"
#include "engine/mount_spec.h"

static int gen_blkio(yajl_gen g, struct cli_values *v, enum blkio_kind k, size_t idx)
{
	if (cli_list_len(v, idx) == 0)
		return 0;
	jg_key(g, blkio_api_field(k));
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++) {
		char err[1024], *path;
		int64_t value;
		if (blkio_spec_parse(k, cli_list_at(v, idx, i), &path, &value, err, sizeof(err)) <
		    0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		yajl_gen_map_open(g);
		jg_kstr(g, "Path", path);
		jg_kint(g, blkio_api_value(k), value);
		yajl_gen_map_close(g);
		free(path);
	}
	yajl_gen_array_close(g);
	return 0;
}

/* iSulad's Hugetlbs [{PageSize, Limit}]; the daemon knows the host's page sizes. */
static int gen_hugetlb(yajl_gen g, struct cli_values *v, size_t idx)
{
	if (cli_list_len(v, idx) == 0)
		return 0;
	jg_key(g, "Hugetlbs");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++) {
		char err[1024], *page_size;
		int64_t limit;
		if (hugetlb_spec_parse(cli_list_at(v, idx, i), &page_size, &limit, err,
		                       sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		yajl_gen_map_open(g);
		jg_kstr(g, "PageSize", page_size);
		jg_kint(g, "Limit", limit);
		yajl_gen_map_close(g);
		free(page_size);
	}
	yajl_gen_array_close(g);
	return 0;
}

/* Docker's Mounts [{Type, Source, Target, ReadOnly, BindOptions, TmpfsOptions}]. */
static int gen_mounts(yajl_gen g, struct cli_values *v, size_t idx)
{
	if (cli_list_len(v, idx) == 0)
		return 0;
	jg_key(g, "Mounts");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++) {
		char err[1024];
		struct mount_spec m;
		if (mount_spec_parse(cli_list_at(v, idx, i), &m, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		yajl_gen_map_open(g);
		jg_kstr(g, "Type", mount_type_name(m.type));
		if (m.source)
			jg_kstr(g, "Source", m.source);
		jg_kstr(g, "Target", m.target);
		jg_kbool(g, "ReadOnly", m.readonly);
		if (m.type == MOUNT_BIND && (m.propagation || m.nonrecursive)) {
			jg_key(g, "BindOptions");
			yajl_gen_map_open(g);
			if (m.propagation)
				jg_kstr(g, "Propagation", m.propagation);
			if (m.nonrecursive)
				jg_kbool(g, "NonRecursive", true);
			yajl_gen_map_close(g);
		}
		if (m.type == MOUNT_TMPFS && (m.tmpfs_size || m.tmpfs_mode)) {
			jg_key(g, "TmpfsOptions");
			yajl_gen_map_open(g);
			if (m.tmpfs_size)
				jg_kint(g, "SizeBytes", m.tmpfs_size);
			if (m.tmpfs_mode)
				jg_kint(g, "Mode", m.tmpfs_mode);
			yajl_gen_map_close(g);
		}
		yajl_gen_map_close(g);
		mount_spec_free(&m);
	}
	yajl_gen_array_close(g);
	return 0;
}

int create_gen_storage(yajl_gen g, struct cli_values *v, const struct create_storage_flags *ix)
{
	for (int k = 0; k < BLKIO_KINDS; k++) {
		if (gen_blkio(g, v, k, ix->blkio[k]) < 0)
			return -1;
	}
	if (gen_hugetlb(g, v, ix->hugetlb) < 0)
		return -1;
	return gen_mounts(g, v, ix->mount);
}
