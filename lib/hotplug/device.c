/* The device flows of isulad-tools and syscontainer-hooks (see device.h): record first, then
 * apply to the running container; a failure undoes what was applied and restores the record. */
#include "hotplug/device.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <yajl/yajl_gen.h>

#include "core/json.h"

#include "hotplug/device_impl.h"
#include "hotplug/list_json.h"

/* ------------------------------------------------------------------------ the record */

/* The record as it was, to put back after a failure. */
struct saved {
	char *text;
};

static int save_begin(const struct hotplug_record *r, struct saved *s, struct error *e)
{
	s->text = hotplug_record_render(r);
	return s->text ? 0 : error_set(e, ERR_INTERNAL, "out of memory");
}

/* Puts the record back as it was, in memory and on disk (best effort: e keeps the first
 * error). */
static void save_restore(const struct hotplug_target *t, struct hotplug_record *r, struct saved *s)
{
	struct error e2 = {0};
	hotplug_record_free(r);
	memset(r, 0, sizeof(*r));
	if (hotplug_record_parse(s->text, r, &e2) == 0)
		hotplug_record_save(t->dir, r, &e2);
}

static void save_end(struct saved *s)
{
	free(s->text);
	s->text = NULL;
}

static int find_qos(const struct hotplug_record *r, enum hp_qos_kind k, int64_t major,
                    int64_t minor)
{
	for (size_t i = 0; i < r->n_qos[k]; i++)
		if (r->qos[k][i].major == major && r->qos[k][i].minor == minor)
			return (int)i;
	return -1;
}

/* Sets (value 0: removes) the record's QoS rule of the device. 0, or -1 with e. */
static int record_qos(struct hotplug_record *r, enum hp_qos_kind k, const char *path, int64_t major,
                      int64_t minor, uint64_t value, struct error *e)
{
	int i = find_qos(r, k, major, minor);
	if (i >= 0 && value == 0) {
		hp_qos_free(&r->qos[k][i]);
		hp_array_remove(&r->qos[k], &r->n_qos[k], sizeof(struct hp_qos), (size_t)i);
		return 0;
	}
	if (value == 0)
		return 0;
	char *p = strdup(path);
	if (!p)
		return error_set(e, ERR_INTERNAL, "out of memory");
	if (i >= 0) {
		free(r->qos[k][i].path);
		r->qos[k][i].path = p;
		r->qos[k][i].value = value;
		return 0;
	}
	if (r->n_qos[k] >= HOTPLUG_MAX_DEVICES) {
		free(p);
		return error_set(e, ERR_INVALID, "more than %d %s rules", HOTPLUG_MAX_DEVICES,
		                 hp_qos_words(k));
	}
	struct hp_qos q = {p, major, minor, value};
	if (hp_array_push(&r->qos[k], &r->n_qos[k], sizeof(q), &q) < 0) {
		free(p);
		return error_set(e, ERR_INTERNAL, "out of memory");
	}
	return 0;
}

/* ------------------------------------------------------------------- applying devices */

static struct hp_node node_of(const struct hotplug_target *t, const struct hp_device *d,
                              const struct hp_host_node *h)
{
	bool remapped = t->root_uid != 0 || t->root_gid != 0;
	return (struct hp_node){
	    .path = d->path_in_container,
	    .mode = (d->type == 'b' ? S_IFBLK : S_IFCHR) | (h ? h->perm : 0600),
	    .dev = makedev((unsigned)d->major, (unsigned)d->minor),
	    .uid = remapped || !h ? t->root_uid : h->uid,
	    .gid = remapped || !h ? t->root_gid : h->gid,
	};
}

/* What apply_devices did, for undo_devices. */
struct applied {
	struct hp_node *nodes;
	struct hp_node_done *done;
	size_t n;
	bool made;    /* the nodes were made */
	size_t n_v1;  /* devices allowed in v1 */
	bool v2;      /* the v2 program was replaced */
	size_t n_qos; /* QoS rules written */
};

static void applied_free(struct applied *a)
{
	free(a->nodes);
	free(a->done);
	memset(a, 0, sizeof(*a));
}

/* Makes the nodes of devs (hosts: their host nodes) and allows them (v1 each, v2 the
 * program of the record r, which has them). 0, or -1 with e and a of what was done. */
static int apply_devices(const struct hotplug_target *t, const struct hotplug_record *r,
                         const struct hp_device *devs, const struct hp_host_node *hosts, size_t n,
                         bool force, FILE *out, struct applied *a, struct error *e)
{
	a->nodes = calloc(n ? n : 1, sizeof(*a->nodes));
	a->done = calloc(n ? n : 1, sizeof(*a->done));
	a->n = n;
	if (!a->nodes || !a->done)
		return error_set(e, ERR_INTERNAL, "out of memory");
	for (size_t i = 0; i < n; i++)
		a->nodes[i] = node_of(t, &devs[i], hosts ? &hosts[i] : NULL);
	if (hp_nodes_make(t, a->nodes, n, force, a->done, e) < 0)
		return -1;
	a->made = true;
	for (size_t i = 0; i < n; i++)
		if (a->done[i].replaced && out)
			fprintf(out, "path %s in container already exists. removing it.\n",
			        devs[i].path_in_container);
	for (; a->n_v1 < n; a->n_v1++)
		if (hp_confine_v1_allow(t, &devs[a->n_v1], e) < 0)
			return -1;
	a->v2 = true;
	return hp_confine_v2(t, r, e);
}

/* Undoes apply_devices; old is the record before (its v2 program is put back). */
static void undo_devices(const struct hotplug_target *t, const struct hotplug_record *old,
                         const struct hp_device *devs, struct applied *a)
{
	struct error e2 = {0};
	if (a->v2)
		hp_confine_v2(t, old, &e2);
	/* The one that failed may have been allowed in part. What the container had before
	 * (the engine's rules, old's devices) stays allowed. */
	for (size_t i = a->n_v1 < a->n ? a->n_v1 + 1 : a->n; a->made && i-- > 0;)
		hp_confine_v1_deny(t, &devs[i], old, &e2);
	if (a->made)
		hp_nodes_undo(t, a->nodes, a->done, a->n);
}

/* ------------------------------------------------------------------------------ QoS */

/* One QoS rule in a request, resolved. */
struct qos_item {
	enum hp_qos_kind kind;
	const char *path;
	int64_t major, minor;
	uint64_t value, old; /* the new value and the one it replaces (0: none) */
	bool weight_ok;      /* a weight and the device's scheduler has them */
};

/* Writes the rules; a weight whose device has no such scheduler is skipped. *done counts
 * the ones written. */
static int write_qos(const struct hotplug_target *t, const struct qos_item *q, size_t n,
                     size_t *done, struct error *e)
{
	for (*done = 0; *done < n; (*done)++) {
		const struct qos_item *it = &q[*done];
		if (it->kind == HP_WEIGHT && !it->weight_ok)
			continue;
		if (hp_qos_write(t, it->kind, it->major, it->minor, it->value, e) < 0)
			return -1;
	}
	return 0;
}

static void unwrite_qos(const struct hotplug_target *t, const struct qos_item *q, size_t n)
{
	struct error e2 = {0};
	for (size_t i = n; i-- > 0;)
		if (q[i].kind != HP_WEIGHT || q[i].weight_ok)
			hp_qos_write(t, q[i].kind, q[i].major, q[i].minor, q[i].old, &e2);
}

static void print_qos(FILE *out, const struct qos_item *q, size_t n)
{
	for (size_t i = 0; out && i < n; i++) {
		if (q[i].kind == HP_WEIGHT && !q[i].weight_ok)
			fprintf(out, "device not support cfq:%s\n", q[i].path);
		else
			fprintf(out, "Update %s for device (%s,%llu) done.\n",
			        hp_qos_words(q[i].kind), q[i].path, (unsigned long long)q[i].value);
	}
}

/* Resolves a QoS option to one of the block devices devs (n of them): by the device its
 * path names, or by the path itself. NULL with e. */
static const struct hp_device *qos_device(const struct hp_qos_arg *q, const struct hp_device *devs,
                                          size_t n, const char *not_found, struct error *e)
{
	struct stat st;
	bool numbered = stat(q->path, &st) == 0 && S_ISBLK(st.st_mode);
	for (size_t i = 0; i < n; i++) {
		const struct hp_device *d = &devs[i];
		bool same = strcmp(d->path_on_host, q->path) == 0 ||
		            (numbered && d->type == 'b' && d->major == major(st.st_rdev) &&
		             d->minor == minor(st.st_rdev));
		if (!same)
			continue;
		if (d->type != 'b') {
			error_set(e, ERR_INVALID, "cannot set Qos of a char device");
			return NULL;
		}
		if (d->parent || hp_block_kind(d->major, d->minor) == HP_BLOCK_PARTITION) {
			error_set(e, ERR_INVALID, "cannot set Qos of a child device");
			return NULL;
		}
		return d;
	}
	error_set(e, ERR_NOT_FOUND, "device %s %s", q->path, not_found);
	return NULL;
}

/* The items of the QoS options over the devices devs; r gives the values they replace. */
static int qos_items(const struct hotplug_record *r, const struct hp_qos_arg *args, size_t n,
                     const struct hp_device *devs, size_t n_devs, const char *not_found,
                     struct qos_item **out, struct error *e)
{
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return error_set(e, ERR_INTERNAL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct hp_device *d = qos_device(&args[i], devs, n_devs, not_found, e);
		if (!d)
			return -1;
		struct qos_item *it = &(*out)[i];
		it->kind = args[i].kind;
		it->path = args[i].path;
		it->major = d->major;
		it->minor = d->minor;
		it->value = args[i].value;
		int k = find_qos(r, it->kind, d->major, d->minor);
		it->old = k >= 0 ? r->qos[it->kind][k].value : 0;
		it->weight_ok =
		    it->kind != HP_WEIGHT || hp_qos_weight_supported(d->major, d->minor);
	}
	return 0;
}

/* ------------------------------------------------------------------------------ add */

/* The devices of an add request, with their host nodes. */
struct pending {
	struct hp_device *devs;
	struct hp_host_node *hosts;
	size_t n, cap;
};

static void pending_free(struct pending *p)
{
	for (size_t i = 0; i < p->n; i++)
		hp_device_free(&p->devs[i]);
	free(p->devs);
	free(p->hosts);
	memset(p, 0, sizeof(*p));
}

static int pending_push(struct pending *p, const char *host, const char *ctr, const char *perms,
                        const char *parent, const struct hp_host_node *h, struct error *e)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct hp_device *d = realloc(p->devs, cap * sizeof(*d));
		if (d)
			p->devs = d;
		struct hp_host_node *hn = d ? realloc(p->hosts, cap * sizeof(*hn)) : NULL;
		if (!hn)
			return error_set(e, ERR_INTERNAL, "out of memory");
		p->hosts = hn;
		p->cap = cap;
	}
	struct hp_device *d = &p->devs[p->n];
	*d = (struct hp_device){h->type,
	                        h->major,
	                        h->minor,
	                        strdup(host),
	                        strdup(ctr),
	                        strdup(perms),
	                        parent ? strdup(parent) : NULL};
	p->hosts[p->n++] = *h;
	if (!d->path_on_host || !d->path_in_container || !d->permissions || (parent && !d->parent))
		return error_set(e, ERR_INTERNAL, "out of memory");
	return 0;
}

/* The device of one argument and, with follow, the partitions of a whole disk. */
static int pending_add_arg(struct pending *p, const struct hp_device_arg *a, bool follow,
                           struct error *e)
{
	const char *host = a->host ? a->host : a->ctr;
	const char *ctr = a->ctr ? a->ctr : a->host;
	struct hp_host_node h;
	char err[512];
	if (hp_host_node_read(host, &h, err, sizeof(err)) < 0)
		return error_set(e, ERR_INVALID, "Failed to parse device: %s, %s", a->text, err);
	if (pending_push(p, host, ctr, a->perms, NULL, &h, e) < 0)
		return -1;
	if (!follow)
		return 0;
	if (h.type == 'c')
		return error_set(
		    e, ERR_INVALID,
		    "Failed to add device: Char device %s not support follow partition", host);
	if (hp_block_kind(h.major, h.minor) != HP_BLOCK_DISK)
		return 0;
	struct hp_partition *parts = NULL;
	size_t n = 0;
	if (hp_disk_partitions(h.major, h.minor, &parts, &n, e) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		struct hp_host_node ph;
		char path[HP_CTR_PATH_MAX + 16];
		snprintf(path, sizeof(path), "%s%u", ctr, parts[i].number);
		if (hp_host_node_read(parts[i].devnode, &ph, err, sizeof(err)) < 0)
			ret = error_set(e, ERR_INVALID, "Failed to parse device: %s, %s",
			                parts[i].devnode, err);
		else if (strlen(path) > HP_CTR_PATH_MAX)
			ret = error_set(e, ERR_INVALID,
			                "Failed to add device: containerpath is too "
			                "long: %s",
			                path);
		else
			ret = pending_push(p, parts[i].devnode, path, a->perms, host, &ph, e);
	}
	hp_partitions_free(parts, n);
	return ret;
}

/* A device already recorded, or twice in the request, at either end. */
static int check_conflicts(const struct hotplug_record *r, const struct pending *p, struct error *e)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct hp_device *d = &p->devs[i];
		bool clash = false;
		for (size_t k = 0; k < r->n_devices && !clash; k++)
			clash = strcmp(r->devices[k].path_on_host, d->path_on_host) == 0 ||
			        strcmp(r->devices[k].path_in_container, d->path_in_container) == 0;
		for (size_t k = 0; k < i && !clash; k++)
			clash = strcmp(p->devs[k].path_on_host, d->path_on_host) == 0 ||
			        strcmp(p->devs[k].path_in_container, d->path_in_container) == 0;
		if (clash)
			return error_set(
			    e, ERR_EXISTS,
			    "Failed to add device: device %s:%s has been already added "
			    "into container",
			    d->path_on_host, d->path_in_container);
	}
	if (r->n_devices + p->n > HOTPLUG_MAX_DEVICES)
		return error_set(e, ERR_INVALID,
		                 "Failed to add device: a container has at most %d "
		                 "devices",
		                 HOTPLUG_MAX_DEVICES);
	return 0;
}

/* Puts prefix before e's message (cut to fit). */
static void prefix_msg(struct error *e, const char *prefix)
{
	size_t p = strlen(prefix), m = strnlen(e->msg, sizeof(e->msg) - 1);
	if (p >= sizeof(e->msg))
		return;
	if (p + m >= sizeof(e->msg))
		m = sizeof(e->msg) - 1 - p;
	memmove(e->msg + p, e->msg, m);
	memcpy(e->msg, prefix, p);
	e->msg[p + m] = '\0';
}

/* Prefixes e's message with the command's words, unless it has one. */
static int fail_with(struct error *e, const char *prefix)
{
	if (strncmp(e->msg, "Failed to ", 10) != 0)
		prefix_msg(e, prefix);
	return -1;
}

int hotplug_devices_add(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                        const struct hp_device_add *req, FILE *out, struct error *e)
{
	static const char prefix[] = "Failed to add device: ";
	struct pending p = {0};
	struct qos_item *q = NULL;
	struct saved s = {0};
	struct applied a = {0};
	struct hotplug_record old = {0};
	size_t n_before = r->n_devices, n_written = 0;
	int ret = -1;
	for (size_t i = 0; i < req->n_devices; i++)
		if (pending_add_arg(&p, &req->devices[i], req->follow_partition, e) < 0)
			goto out;
	if (check_conflicts(r, &p, e) < 0 ||
	    qos_items(r, req->qos, req->n_qos, p.devs, p.n,
	              "was not added to container or not in add-device args", &q, e) < 0 ||
	    save_begin(r, &s, e) < 0 || hotplug_record_parse(s.text, &old, e) < 0)
		goto fail;
	for (size_t i = 0; i < p.n; i++) {
		if (hp_array_push(&r->devices, &r->n_devices, sizeof(p.devs[i]), &p.devs[i]) < 0) {
			error_set(e, ERR_INTERNAL, "out of memory");
			goto restore;
		}
		memset(&p.devs[i], 0, sizeof(p.devs[i])); /* moved into the record */
	}
	for (size_t i = 0; i < req->n_qos; i++)
		if (record_qos(r, q[i].kind, q[i].path, q[i].major, q[i].minor, q[i].value, e) < 0)
			goto restore;
	if (hotplug_record_save(t->dir, r, e) < 0)
		goto restore;
	if (live) {
		const struct hp_device *added = r->devices + n_before;
		if (apply_devices(t, r, added, p.hosts, p.n, req->force, out, &a, e) < 0 ||
		    write_qos(t, q, req->n_qos, &n_written, e) < 0) {
			unwrite_qos(t, q, n_written);
			undo_devices(t, &old, added, &a);
			goto restore;
		}
	}
	for (size_t i = n_before; out && i < r->n_devices; i++)
		fprintf(out, "Add device (%s) to container(%s,%s) done.\n",
		        r->devices[i].path_on_host, t->name, r->devices[i].path_in_container);
	print_qos(out, q, req->n_qos);
	ret = 0;
	goto out;
restore:
	save_restore(t, r, &s);
fail:
	fail_with(e, prefix);
out:
	applied_free(&a);
	hotplug_record_free(&old);
	save_end(&s);
	free(q);
	pending_free(&p);
	return ret;
}

/* ---------------------------------------------------------------------------- remove */

/* The record's index of the device an argument names, or -1. */
static int find_device(const struct hotplug_record *r, const struct hp_device_arg *a)
{
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct hp_device *d = &r->devices[i];
		if ((!a->host || strcmp(d->path_on_host, a->host) == 0) &&
		    (!a->ctr || strcmp(d->path_in_container, a->ctr) == 0))
			return (int)i;
	}
	return -1;
}

int hotplug_devices_remove(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                           const struct hp_device_arg *args, size_t n, bool follow_partition,
                           FILE *out, struct error *e)
{
	static const char prefix[] = "Failed to remove device: ";
	bool *gone = calloc(r->n_devices + 1, sizeof(*gone));
	struct hotplug_record old = {0};
	struct qos_item *q = calloc(HP_QOS_KINDS * (r->n_devices + 1), sizeof(*q));
	struct hp_device *removed = calloc(r->n_devices + 1, sizeof(*removed));
	struct hp_node *nodes = calloc(r->n_devices + 1, sizeof(*nodes));
	struct hp_node_done *done = calloc(r->n_devices + 1, sizeof(*done));
	struct saved s = {0};
	size_t n_rm = 0, n_q = 0, n_v1 = 0, n_written = 0;
	int ret = -1;
	if (!gone || !q || !removed || !nodes || !done) {
		error_set(e, ERR_INTERNAL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		int k = find_device(r, &args[i]);
		if (k < 0) {
			error_set(e, ERR_NOT_FOUND,
			          "Device pair(%s:%s) is not added by isulad-tools, can not "
			          "remove it, please check input parameter.",
			          args[i].host ? args[i].host : "", args[i].ctr ? args[i].ctr : "");
			goto fail;
		}
		gone[k] = true;
		for (size_t c = 0; follow_partition && c < r->n_devices; c++)
			if (r->devices[c].parent &&
			    strcmp(r->devices[c].parent, r->devices[k].path_on_host) == 0)
				gone[c] = true;
	}
	if (save_begin(r, &s, e) < 0 || hotplug_record_parse(s.text, &old, e) < 0)
		goto fail;
	/* removed: copies of the devices leaving (their strings stay in old); the QoS rules of
	 * their numbers leave with them. */
	for (size_t i = 0; i < old.n_devices; i++) {
		if (!gone[i])
			continue;
		const struct hp_device *d = &old.devices[i];
		removed[n_rm] = *d;
		nodes[n_rm++] = node_of(t, d, NULL);
		for (int k = 0; k < HP_QOS_KINDS; k++) {
			int j = d->type == 'b' ? find_qos(&old, k, d->major, d->minor) : -1;
			if (j >= 0)
				q[n_q++] = (struct qos_item){
				    k,
				    old.qos[k][j].path,
				    d->major,
				    d->minor,
				    0,
				    old.qos[k][j].value,
				    k != HP_WEIGHT || hp_qos_weight_supported(d->major, d->minor)};
		}
	}
	for (size_t i = r->n_devices; i-- > 0;) {
		if (!gone[i])
			continue;
		const struct hp_device *d = &r->devices[i];
		for (int k = 0; k < HP_QOS_KINDS; k++)
			if (d->type == 'b' && record_qos(r, k, "", d->major, d->minor, 0, e) < 0)
				goto restore;
		hp_device_free(&r->devices[i]);
		hp_array_remove(&r->devices, &r->n_devices, sizeof(struct hp_device), i);
	}
	if (hotplug_record_save(t->dir, r, e) < 0)
		goto restore;
	if (live) {
		bool nodes_gone = false;
		int bad = hp_nodes_remove(t, nodes, n_rm, done, e);
		nodes_gone = bad == 0;
		for (; bad == 0 && n_v1 < n_rm; n_v1++)
			bad = hp_confine_v1_deny(t, &removed[n_v1], r, e);
		if (bad == 0)
			bad = hp_confine_v2(t, r, e);
		if (bad == 0)
			bad = write_qos(t, q, n_q, &n_written, e);
		if (bad < 0) {
			/* Put back what went: rules, program, nodes. */
			struct error e2 = {0};
			for (size_t i = n_written; i-- > 0;)
				if (q[i].kind != HP_WEIGHT || q[i].weight_ok)
					hp_qos_write(t, q[i].kind, q[i].major, q[i].minor, q[i].old,
					             &e2);
			for (size_t i = 0; i < n_v1; i++)
				hp_confine_v1_allow(t, &removed[i], &e2);
			hp_confine_v2(t, &old, &e2);
			if (nodes_gone) {
				struct hp_node_done redo[1];
				for (size_t i = 0; i < n_rm; i++)
					if (done[i].created)
						hp_nodes_make(t, &nodes[i], 1, false, redo, &e2);
			}
			goto restore;
		}
	}
	for (size_t i = 0; out && i < n_rm; i++) {
		fprintf(out, "Remove device (%s) from container(%s,%s) done.\n",
		        removed[i].path_on_host, t->name, removed[i].path_in_container);
		for (size_t k = 0; k < n_q; k++)
			if (q[k].major == removed[i].major && q[k].minor == removed[i].minor &&
			    removed[i].type == 'b')
				fprintf(out, "Remove %s for device (%s) done.\n",
				        hp_qos_words(q[k].kind), q[k].path);
	}
	ret = 0;
	goto out;
restore:
	save_restore(t, r, &s);
fail:
	fail_with(e, prefix);
out:
	hotplug_record_free(&old);
	save_end(&s);
	free(gone);
	free(q);
	free(removed);
	free(nodes);
	free(done);
	return ret;
}

/* ---------------------------------------------------------------------------- update */

int hotplug_devices_update(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                           const struct hp_qos_arg *args, size_t n, FILE *out, struct error *e)
{
	static const char prefix[] = "Failed to update device: ";
	struct qos_item *q = NULL;
	struct saved s = {0};
	size_t n_written = 0;
	int ret = -1;
	if (qos_items(r, args, n, r->devices, r->n_devices, "was not added to container", &q, e) <
	        0 ||
	    save_begin(r, &s, e) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (record_qos(r, q[i].kind, q[i].path, q[i].major, q[i].minor, q[i].value, e) < 0)
			goto restore;
	if (hotplug_record_save(t->dir, r, e) < 0)
		goto restore;
	if (live && write_qos(t, q, n, &n_written, e) < 0) {
		unwrite_qos(t, q, n_written);
		goto restore;
	}
	print_qos(out, q, n);
	ret = 0;
	goto out;
restore:
	save_restore(t, r, &s);
fail:
	fail_with(e, prefix);
out:
	save_end(&s);
	free(q);
	return ret;
}

/* ------------------------------------------------------------------------------ list */

char *hotplug_devices_list(const struct hotplug_record *r, bool pretty, bool sub_partitions)
{
	size_t shown = 0;
	for (size_t i = 0; i < r->n_devices; i++)
		shown += sub_partitions || !r->devices[i].parent || !*r->devices[i].parent;
	yajl_gen g = hp_list_begin(pretty);
	if (!g)
		return NULL;
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct hp_device *d = &r->devices[i];
		if (!sub_partitions && d->parent && *d->parent)
			continue;
		hp_device_gen(g, d);
	}
	return hp_list_end(g, shown);
}

/* ---------------------------------------------------------------------------- reapply */

int hotplug_devices_reapply(const struct hotplug_target *t, struct hotplug_record *r,
                            struct error *e)
{
	if (!r->n_devices && !r->n_qos[HP_READ_BPS] && !r->n_qos[HP_WRITE_BPS] &&
	    !r->n_qos[HP_READ_IOPS] && !r->n_qos[HP_WRITE_IOPS] && !r->n_qos[HP_WEIGHT])
		return 0;
	struct hp_host_node *hosts = calloc(r->n_devices + 1, sizeof(*hosts));
	if (!hosts)
		return error_set(e, ERR_INTERNAL, "out of memory");
	char err[512];
	int ret = -1;
	for (size_t i = 0; i < r->n_devices; i++) {
		struct hp_device *d = &r->devices[i];
		if (hp_host_node_read(d->path_on_host, &hosts[i], err, sizeof(err)) < 0) {
			error_set(e, ERR_NOT_FOUND, "[device-hook] Add device (%s) failed: %s",
			          d->path_on_host, err);
			goto out;
		}
		/* A disk may come back with other numbers (or, for a path, as another kind). */
		d->type = hosts[i].type;
		d->major = hosts[i].major;
		d->minor = hosts[i].minor;
	}
	for (int k = 0; k < HP_QOS_KINDS; k++) {
		for (size_t i = 0; i < r->n_qos[k]; i++) {
			struct hp_qos *q = &r->qos[k][i];
			struct hp_host_node h;
			if (hp_host_node_read(q->path, &h, err, sizeof(err)) < 0) {
				error_set(e, ERR_NOT_FOUND,
				          "[device-hook] Update %s of device (%s) "
				          "failed: %s",
				          hp_qos_words(k), q->path, err);
				goto out;
			}
			q->major = h.major;
			q->minor = h.minor;
		}
	}
	struct applied a = {0};
	if (apply_devices(t, r, r->devices, hosts, r->n_devices, true, NULL, &a, e) < 0) {
		prefix_msg(e, "[device-hook] Add devices failed: ");
		applied_free(&a);
		goto out;
	}
	applied_free(&a);
	for (int k = 0; k < HP_QOS_KINDS; k++) {
		for (size_t i = 0; i < r->n_qos[k]; i++) {
			struct hp_qos *q = &r->qos[k][i];
			if (k == HP_WEIGHT && !hp_qos_weight_supported(q->major, q->minor))
				continue;
			if (hp_qos_write(t, k, q->major, q->minor, q->value, e) < 0) {
				char pre[256];
				snprintf(pre, sizeof(pre),
				         "[device-hook] Update %s of device (%.128s) failed: ",
				         hp_qos_words(k), q->path);
				prefix_msg(e, pre);
				goto out;
			}
		}
	}
	ret = 0;
out:
	free(hosts);
	return ret;
}
