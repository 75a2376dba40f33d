#include "mount_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/json.h"
#include "core/path_clean.h"
#include "engine/bind_spec.h"

void mount_config_gen(yajl_gen g, const struct mount_config *m)
{
	jg_key(g, "Mounts");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < m->n; i++) {
		const struct mount_spec *s = &m->v[i];
		yajl_gen_map_open(g);
		jg_kstr(g, "Type", mount_type_name(s->type));
		jg_kstr(g, "Source", s->source ? s->source : "");
		jg_kstr(g, "Target", s->target);
		jg_kbool(g, "ReadOnly", s->readonly);
		if (s->type == MOUNT_BIND) {
			jg_key(g, "BindOptions");
			yajl_gen_map_open(g);
			if (s->propagation)
				jg_kstr(g, "Propagation", s->propagation);
			if (s->nonrecursive)
				jg_kbool(g, "NonRecursive", true);
			yajl_gen_map_close(g);
		} else {
			jg_key(g, "TmpfsOptions");
			yajl_gen_map_open(g);
			if (s->tmpfs_size > 0)
				jg_kint(g, "SizeBytes", s->tmpfs_size);
			if (s->tmpfs_mode > 0)
				jg_kint(g, "Mode", s->tmpfs_mode);
			yajl_gen_map_close(g);
		}
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static int clean_path(char **p)
{
	if (!*p || !**p)
		return 0;
	char *c = path_clean(*p);
	if (!c)
		return -1;
	free(*p);
	*p = c;
	return 0;
}

/* One API entry; err says what is wrong with it. */
static int parse_entry(yajl_val e, struct mount_spec *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (!YAJL_IS_OBJECT(e)) {
		snprintf(err, errlen, "must be an object");
		return -1;
	}
	if (mount_type_parse(json_get_str(e, "Type"), &s->type, err, errlen) < 0)
		return -1;
	const char *src = json_get_str(e, "Source"), *dst = json_get_str(e, "Target");
	s->source = src && *src ? strdup(src) : NULL;
	s->target = dst ? strdup(dst) : NULL;
	s->readonly = json_get_bool(e, "ReadOnly", false);
	yajl_val bo = json_get(e, "BindOptions"), to = json_get(e, "TmpfsOptions");
	const char *prop = json_get_str(bo, "Propagation");
	if (prop && *prop && !(s->propagation = bind_propagation_of(prop))) {
		snprintf(
		    err, errlen,
		    "BindOptions.Propagation '%.32s': expected shared, slave, private, rshared, "
		    "rslave or rprivate",
		    prop);
		return -1;
	}
	s->nonrecursive = json_get_bool(bo, "NonRecursive", false);
	if (bo && !YAJL_IS_NULL(bo) && s->type != MOUNT_BIND) {
		snprintf(err, errlen, "BindOptions need type bind");
		return -1;
	}
	if (to && !YAJL_IS_NULL(to)) {
		if (s->type != MOUNT_TMPFS) {
			snprintf(err, errlen, "TmpfsOptions need type tmpfs");
			return -1;
		}
		/* Docker's FileMode: 0 (or none) is the kernel's default. */
		yajl_val mode = json_get(to, "Mode");
		s->tmpfs_size = json_get_int(to, "SizeBytes", 0);
		s->tmpfs_mode = mode && !YAJL_IS_NULL(mode) ? json_get_int(to, "Mode", -1) : 0;
	}
	if ((src && *src && !s->source) || (dst && !s->target) || clean_path(&s->source) < 0 ||
	    clean_path(&s->target) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return mount_spec_check(s, err, errlen);
}

int mount_config_parse(yajl_val node, struct mount_config *m, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	yajl_val arr = json_get(node, "Mounts");
	if (!arr || YAJL_IS_NULL(arr))
		return 0;
	if (!YAJL_IS_ARRAY(arr)) {
		snprintf(err, errlen, "Mounts must be an array");
		return -1;
	}
	m->v = calloc(arr->u.array.len + 1, sizeof(*m->v));
	if (!m->v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < arr->u.array.len; i++) {
		char why[1024];
		int ret = parse_entry(arr->u.array.values[i], &m->v[m->n], why, sizeof(why));
		m->n++; /* freed with the others even when half made */
		if (ret < 0) {
			snprintf(err, errlen, "Invalid --mount (Mounts entry %zu): %s", i + 1,
			         strncmp(why, "Invalid mount: ", 15) == 0 ? why + 15 : why);
			return -1;
		}
		for (size_t k = 0; k + 1 < m->n; k++) {
			if (strcmp(m->v[k].target, m->v[i].target) == 0) {
				snprintf(err, errlen,
				         "Invalid --mount (Mounts entry %zu): duplicate mount "
				         "point %.256s",
				         i + 1, m->v[i].target);
				return -1;
			}
		}
	}
	return 0;
}

void mount_config_free(struct mount_config *m)
{
	for (size_t i = 0; i < m->n; i++)
		mount_spec_free(&m->v[i]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

int mount_config_validate(const struct mount_config *m, char *err, size_t errlen)
{
	for (size_t i = 0; i < m->n; i++) {
		struct stat st;
		if (m->v[i].type == MOUNT_BIND && stat(m->v[i].source, &st) < 0) {
			snprintf(err, errlen, "Invalid --mount: bind source path %.256s: %s",
			         m->v[i].source, strerror(errno));
			return -1;
		}
	}
	return 0;
}

void mount_inspect_gen(yajl_gen g, const struct mount_spec *m)
{
	yajl_gen_map_open(g);
	jg_kstr(g, "Type", mount_type_name(m->type));
	jg_kstr(g, "Source", m->source ? m->source : "");
	jg_kstr(g, "Destination", m->target);
	jg_kstr(g, "Mode", "");
	jg_kbool(g, "RW", !m->readonly);
	jg_kstr(g, "Propagation",
	        m->type == MOUNT_BIND ? (m->propagation ? m->propagation : "rprivate") : "");
	yajl_gen_map_close(g);
}
