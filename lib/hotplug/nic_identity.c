/* The identities of the physical NICs in containers, and their file (see nic.h). The file is
 * kept under the run directory, by container ID: the poststop hook knows no more than the ID,
 * and an identity (an index in a namespace) means nothing once that namespace has gone. */
#include "hotplug/nic.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "core/fileutil.h"
#include "core/hex.h"
#include "core/json.h"
#include "core/utf8.h"

#define IDS_FILE_MAX (256 << 10)

bool hp_nic_link_is(const struct netlink_link_ident *want, const struct netlink_link_ident *l)
{
	if (strcmp(want->kind, l->kind) != 0 || strcmp(want->parent, l->parent) != 0 ||
	    strcmp(want->parent_bus, l->parent_bus) != 0)
		return false;
	if (want->perm_len > 0)
		return l->perm_len == want->perm_len &&
		       memcmp(l->perm, want->perm, want->perm_len) == 0;
	return l->perm_len == 0 && l->ifindex == want->ifindex;
}

static void hex(const unsigned char *p, size_t n, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off + 3 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, i ? ":%02x" : "%02x", p[i]);
}

char *hp_nic_ids_render(const struct hp_nic_ids *ids)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return NULL;
	yajl_gen_map_open(g);
	for (size_t i = 0; i < ids->n; i++) {
		const struct netlink_link_ident *l = &ids->v[i].link;
		char perm[sizeof(l->perm) * 3 + 1];
		hex(l->perm, l->perm_len, perm, sizeof(perm));
		jg_key(g, ids->v[i].host_name);
		yajl_gen_map_open(g);
		jg_kstr(g, "ctr", l->name);
		jg_kint(g, "ifindex", l->ifindex);
		jg_kstr(g, "kind", l->kind);
		jg_kstr(g, "perm", perm);
		jg_kstr(g, "parent", l->parent);
		jg_kstr(g, "bus", l->parent_bus);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	return jg_finish_line(g);
}

/* The string member key of o into buf (its size len): 0, or -1 when absent, not a string,
 * too long or with a control character. */
static int get_field(yajl_val o, const char *key, char *buf, size_t len)
{
	const char *v = json_get_str(o, key);
	if (!v || strlen(v) >= len || str_has_control(v))
		return -1;
	memcpy(buf, v, strlen(v) + 1);
	return 0;
}

static int parse_one(const char *host, yajl_val o, struct hp_nic_id *id)
{
	memset(id, 0, sizeof(*id));
	struct netlink_link_ident *l = &id->link;
	char perm[sizeof(l->perm) * 3 + 1];
	int64_t idx = json_get_int(o, "ifindex", 0);
	if (!YAJL_IS_OBJECT(o) || !hp_ifname_valid(host) || idx <= 0 || idx > INT32_MAX ||
	    get_field(o, "ctr", l->name, sizeof(l->name)) < 0 ||
	    get_field(o, "kind", l->kind, sizeof(l->kind)) < 0 ||
	    get_field(o, "perm", perm, sizeof(perm)) < 0 ||
	    get_field(o, "parent", l->parent, sizeof(l->parent)) < 0 ||
	    get_field(o, "bus", l->parent_bus, sizeof(l->parent_bus)) < 0)
		return -1;
	int n = hex_bytes_parse(perm, ':', l->perm, sizeof(l->perm));
	if (n < 0)
		return -1;
	l->perm_len = (size_t)n;
	l->ifindex = (int)idx;
	snprintf(id->host_name, sizeof(id->host_name), "%s", host);
	return 0;
}

int hp_nic_ids_parse(const char *text, struct hp_nic_ids *ids, struct error *e)
{
	memset(ids, 0, sizeof(*ids));
	char perr[256];
	yajl_val v = json_parse(text, perr, sizeof(perr));
	if (!v)
		return error_set(e, ERR_INVALID, "bad NIC identities: %s", perr);
	int ret = 0;
	if (!YAJL_IS_OBJECT(v) || v->u.object.len > HOTPLUG_MAX_NICS)
		ret = error_set(e, ERR_INVALID,
		                "bad NIC identities: not an object of at most %d "
		                "entries",
		                HOTPLUG_MAX_NICS);
	else if (v->u.object.len > 0 && !(ids->v = calloc(v->u.object.len, sizeof(*ids->v))))
		ret = error_set(e, ERR_INTERNAL, "out of memory");
	for (size_t i = 0; ret == 0 && i < v->u.object.len; i++) {
		const char *host = v->u.object.keys[i];
		if (parse_one(host, v->u.object.values[i], &ids->v[ids->n]) < 0)
			ret = error_set(e, ERR_INVALID, "bad NIC identity of \"%.*s\"", IFNAMSIZ,
			                host);
		else if (hp_nic_ids_find(ids, host))
			ret = error_set(e, ERR_INVALID, "NIC identity of %s given twice", host);
		else
			ids->n++;
	}
	yajl_tree_free(v);
	if (ret < 0)
		hp_nic_ids_free(ids);
	return ret;
}

static int ids_path(const char *id, char *buf, size_t len, struct error *e)
{
	if (!id || !*id || strchr(id, '/') || id[0] == '.' ||
	    (size_t)snprintf(buf, len, "%s/%s.json", HOTPLUG_NIC_ID_DIR, id) >= len)
		return error_set(e, ERR_INVALID, "invalid container ID \"%s\"", id ? id : "");
	return 0;
}

int hp_nic_ids_load(const char *id, struct hp_nic_ids *ids, struct error *e)
{
	char path[512];
	memset(ids, 0, sizeof(*ids));
	if (ids_path(id, path, sizeof(path), e) < 0)
		return -1;
	char *text = read_file(path, IDS_FILE_MAX, NULL);
	if (!text) {
		if (errno == ENOENT)
			return 0;
		return error_set(e, ERR_INTERNAL, "cannot read %s: %s", path, strerror(errno));
	}
	struct error local = {0};
	int ret = hp_nic_ids_parse(text, ids, &local);
	free(text);
	if (ret < 0)
		return error_set(e, local.code, "%s: %s", path, local.msg);
	return 0;
}

int hp_nic_ids_save(const char *id, const struct hp_nic_ids *ids, struct error *e)
{
	char path[512];
	if (ids_path(id, path, sizeof(path), e) < 0)
		return -1;
	if (ids->n == 0) {
		if (unlink(path) < 0 && errno != ENOENT)
			return error_set(e, ERR_INTERNAL, "cannot remove %s: %s", path,
			                 strerror(errno));
		return 0;
	}
	if ((mkdir(HOTPLUG_RUN_DIR, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(HOTPLUG_NIC_ID_DIR, 0700) < 0 && errno != EEXIST) ||
	    chmod(HOTPLUG_NIC_ID_DIR, 0700) < 0)
		return error_set(e, ERR_INTERNAL, "cannot create %s: %s", HOTPLUG_NIC_ID_DIR,
		                 strerror(errno));
	char *text = hp_nic_ids_render(ids);
	if (!text)
		return error_set(e, ERR_INTERNAL, "out of memory");
	int ret = atomic_write_file(path, text, strlen(text), 0600);
	int err = errno;
	free(text);
	if (ret < 0)
		return error_set(e, ERR_INTERNAL, "cannot write %s: %s", path, strerror(err));
	return 0;
}

const struct hp_nic_id *hp_nic_ids_find(const struct hp_nic_ids *ids, const char *host_name)
{
	for (size_t i = 0; host_name && i < ids->n; i++)
		if (strcmp(ids->v[i].host_name, host_name) == 0)
			return &ids->v[i];
	return NULL;
}

int hp_nic_ids_put(struct hp_nic_ids *ids, const struct hp_nic_id *id)
{
	struct hp_nic_id *have = (struct hp_nic_id *)hp_nic_ids_find(ids, id->host_name);
	if (have) {
		*have = *id;
		return 0;
	}
	return hp_array_push(&ids->v, &ids->n, sizeof(*id), id);
}

void hp_nic_ids_drop(struct hp_nic_ids *ids, const char *host_name)
{
	const struct hp_nic_id *have = hp_nic_ids_find(ids, host_name);
	if (have)
		hp_array_remove(&ids->v, &ids->n, sizeof(*have), (size_t)(have - ids->v));
}

void hp_nic_ids_free(struct hp_nic_ids *ids)
{
	free(ids->v);
	ids->v = NULL;
	ids->n = 0;
}
