#include "fuse_ops.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "cpu_dir.h"
#include "dir_list.h"
#include "pinned.h"
#include "read_only_ops.h"
#include "sys_passthrough.h"
#include "vfile.h"

/* Two trees with the same files:
 *   MOUNT/proc/..., MOUNT/sys/...  each reader sees the view of its own pid namespace: a
 *     reader in a container's is given that container's pinned inode of the file (below) at
 *     each lookup; the others share one inode that never holds text in the page cache
 *     (direct_io: every read(2) comes here; open, read and the read that finds the end are 3
 *     round trips).
 *   MOUNT/.views/PID/proc/...  the view of process PID (a container's init) whoever reads:
 *     the toolkit mounts these, so a container has inodes of its own and the text may live
 *     in the page cache. Each open that finds no other handle open stores the freshly made
 *     text in the page cache before it answers, so open is the only round trip.
 *
 * The static tree never changes: the kernel may keep its names and attributes as long as it
 * likes. Its sys/devices/system/cpu (in both trees) holds, beside "online", the host's other
 * entries passed through (sys_passthrough.c, inodes of their own: pt_inodes.h), the cpuN
 * directories as the directory's view numbers its cpus. */
#define CACHE_SECONDS 86400.0
/* How long the kernel trusts a pinned file's size: a process that keeps the file open and
 * reads it again (top, vmstat) sees numbers at most this old. */
#define PINNED_ATTR_SECONDS 0.1
/* Larger than any text: the size a file claims at each open (see grow_for_splice). */
#define SIZE_CAP (64LL << 20)
/* The inode of MOUNT/.views. */
#define INO_VIEWS 16
/* The inode of MOUNT/sys/devices/system/cpu. */
#define INO_CPU_DIR 6

static struct fuse_session *g_session;

void fuse_ops_set_session(struct fuse_session *se)
{
	g_session = se;
}

/* The kernel keeps a view's directory (.views/PID) in its dentry cache long after the
 * container's mounts of it went, and we keep the view until it forgets the inodes. So now and
 * then the names of views whose process exited are invalidated: once nothing uses them the
 * kernel forgets them, and the view goes. Done from a thread of its own: from a request
 * handler in .views it would wait on the lock that lookup holds. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running, stop;
	unsigned seconds;
	pthread_t thread;
} g_reaper = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void reap_once(void)
{
	pid_t pids[256];
	size_t n;
	do {
		n = pinned_reap(pids, sizeof(pids) / sizeof(pids[0]));
		for (size_t i = 0; i < n; i++) {
			char name[16];
			int len = snprintf(name, sizeof(name), "%d", (int)pids[i]);
			fuse_lowlevel_notify_inval_entry(g_session, INO_VIEWS, name, (size_t)len);
		}
	} while (n == sizeof(pids) / sizeof(pids[0]));
}

static void *reaper(void *arg)
{
	pthread_mutex_lock(&g_reaper.lock);
	while (!g_reaper.stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += g_reaper.seconds;
		pthread_cond_timedwait(&g_reaper.wake, &g_reaper.lock, &until);
		if (g_reaper.stop)
			break;
		pthread_mutex_unlock(&g_reaper.lock);
		reap_once();
		pthread_mutex_lock(&g_reaper.lock);
	}
	pthread_mutex_unlock(&g_reaper.lock);
	return arg;
}

int fuse_ops_start_reaper(unsigned seconds)
{
	g_reaper.seconds = seconds;
	g_reaper.stop = false;
	g_reaper.running = pthread_create(&g_reaper.thread, NULL, reaper, NULL) == 0;
	return g_reaper.running ? 0 : -1;
}

void fuse_ops_stop_reaper(void)
{
	if (!g_reaper.running)
		return;
	pthread_mutex_lock(&g_reaper.lock);
	g_reaper.stop = true;
	pthread_cond_signal(&g_reaper.wake);
	pthread_mutex_unlock(&g_reaper.lock);
	pthread_join(g_reaper.thread, NULL);
	g_reaper.running = false;
}

struct node {
	const char *name;
	fuse_ino_t parent;
	int vf; /* enum vfile, or -1 for a directory */
};

/* Indexed by inode number; 1 is the root. */
static const struct node nodes[] = {
    [1] = {"", 1, -1},
    [2] = {"proc", 1, -1},
    [3] = {"sys", 1, -1},
    [4] = {"devices", 3, -1},
    [5] = {"system", 4, -1},
    [6] = {"cpu", 5, -1},
    [7] = {"cpuinfo", 2, VF_CPUINFO},
    [8] = {"meminfo", 2, VF_MEMINFO},
    [9] = {"stat", 2, VF_STAT},
    [10] = {"diskstats", 2, VF_DISKSTATS},
    [11] = {"partitions", 2, VF_PARTITIONS},
    [12] = {"swaps", 2, VF_SWAPS},
    [13] = {"uptime", 2, VF_UPTIME},
    [14] = {"loadavg", 2, VF_LOADAVG},
    [15] = {"online", 6, VF_CPU_ONLINE},
    [16] = {".views", 1, -1}, /* looked up, never listed: its entries are pids */
    [17] = {"slabinfo", 2, VF_SLABINFO},
    [18] = {"pressure", 2, -1},
    [19] = {"cpu", 18, VF_PRESSURE_CPU},
    [20] = {"memory", 18, VF_PRESSURE_MEMORY},
    [21] = {"io", 18, VF_PRESSURE_IO},
};
#define NNODES (sizeof(nodes) / sizeof(nodes[0]))
/* A pinned inode: slot << SLOT_SHIFT | node. */
#define SLOT_SHIFT 5
_Static_assert(NNODES <= (1u << SLOT_SHIFT), "a node number must fit below SLOT_SHIFT");
/* Pass-through inodes have a bit of their own, above every pinned one. */
_Static_assert(((uint64_t)PINNED_MAX_SLOTS << SLOT_SHIFT) < PT_INO_BIT,
               "pinned inodes must stay below the pass-through ones");

/* Every node but .views is mirrored in each MOUNT/.views/PID (1 being PID itself). */
static bool mirrored(unsigned node)
{
	return node >= 1 && node < NNODES && node != INO_VIEWS;
}

/* Files only root may read, as the kernel's own (0400). */
static bool root_only(unsigned node)
{
	return nodes[node].vf == VF_SLABINFO;
}

/* Where an inode sits: slot 0 for the static tree, else the pinned view's slot; node
 * indexes nodes[]. */
struct where {
	int slot;
	unsigned node;
};

static bool decode(fuse_ino_t ino, struct where *w)
{
	if (pt_is_ino(ino))
		return false;
	if (ino < (1u << SLOT_SHIFT)) {
		w->slot = 0;
		w->node = (unsigned)ino;
		return ino >= 1 && ino < NNODES && nodes[ino].name;
	}
	w->slot = (int)(ino >> SLOT_SHIFT);
	w->node = (unsigned)(ino & ((1u << SLOT_SHIFT) - 1));
	return mirrored(w->node) && nodes[w->node].name;
}

static fuse_ino_t encode(int slot, unsigned node)
{
	return slot ? ((fuse_ino_t)slot << SLOT_SHIFT) | node : node;
}

/* One open file: its content is made at a read at offset 0 (or the first read), and later
 * reads at other offsets are served from it, so reading in pieces gives one consistent
 * text; a reader that seeks back to 0 (top, free) gets fresh numbers. */
struct handle {
	pthread_mutex_t lock;
	enum vfile vf;
	int slot; /* pinned view, or 0: the reader's own */
	bool made;
	bool fresh; /* text was made for this open by fstat: the first read at 0 returns it */
	struct timespec made_at; /* pinned: when text was made */
	struct strbuf text;
};

/* The file's text for the reader of req; 0 or -errno. */
static int render_for(fuse_req_t req, const struct where *w, struct strbuf *out)
{
	struct view v;
	if (w->slot)
		pinned_view(w->slot, &v);
	else
		view_of_reader(fuse_req_ctx(req)->pid, &v);
	int ret = vfile_render((enum vfile)nodes[w->node].vf, &v, out);
	if (ret < 0)
		LOG_WARN("%s for pid %d: %s", nodes[w->node].name,
		         (int)(w->slot ? pinned_pid(w->slot) : fuse_req_ctx(req)->pid),
		         strerror(-ret));
	return ret;
}

static time_t g_mount_time;

static void fill_attr(fuse_ino_t ino, unsigned node, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	if (nodes[node].vf < 0) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		for (unsigned i = 2; i < NNODES; i++)
			st->st_nlink += mirrored(i) && nodes[i].parent == node && nodes[i].vf < 0;
		/* Its cpuN directories depend on the reader: 1, "not counted" (as btrfs). */
		if (node == INO_CPU_DIR)
			st->st_nlink = 1;
	} else {
		/* Size 0 like /proc: readers read to EOF, the content is made per read. */
		st->st_mode = S_IFREG | (root_only(node) ? 0400 : 0444);
		st->st_nlink = 1;
	}
	st->st_blksize = 4096;
	st->st_atime = st->st_mtime = st->st_ctime = g_mount_time;
}

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	g_mount_time = time(NULL);
	/* A pinned file's page cache goes when a getattr reports a new mtime. */
	if (conn->capable & FUSE_CAP_AUTO_INVAL_DATA)
		conn->want |= FUSE_CAP_AUTO_INVAL_DATA;
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

/* ------------------------------------------------------------------------------ names */

static bool parse_pid(const char *name, pid_t *pid)
{
	if (name[0] < '1' || name[0] > '9' || strlen(name) > 9)
		return false;
	char *end;
	long v = strtol(name, &end, 10);
	*pid = (pid_t)v;
	return *end == '\0';
}

/* The kernel counts the lookups it was answered and forgets them later: a pinned view
 * lives while that count is above 0. */
static void reply_entry(fuse_req_t req, const struct fuse_entry_param *e, int slot)
{
	if (fuse_reply_entry(req, e) != 0 && slot)
		pinned_forget(slot, 1);
}

/* MOUNT/.views/PID */
static void lookup_view(fuse_req_t req, const char *name)
{
	pid_t pid;
	int slot = parse_pid(name, &pid) ? pinned_acquire(pid) : -ENOENT;
	if (slot < 0) {
		/* Not cached as absent: the pid may be a process's tomorrow. */
		fuse_reply_err(req, slot == -ESRCH ? ENOENT : -slot);
		return;
	}
	struct fuse_entry_param e;
	memset(&e, 0, sizeof(e));
	e.ino = encode(slot, 1);
	fill_attr(e.ino, 1, &e.attr);
	e.attr_timeout = CACHE_SECONDS;
	e.entry_timeout = 0; /* asked again at each walk: a pid can pass to a new process */
	reply_entry(req, &e, slot);
}

/* The size and time the kernel should hold for a pinned file: what it holds already. */
static void pinned_entry_attr(const struct where *w, struct stat *st)
{
	struct pinned_file *f = pinned_file_lock(w->slot, w->node);
	if (!f)
		return;
	if (!f->size_known) {
		f->size = 0;
		f->size_known = true;
		f->mtime.tv_sec = g_mount_time;
	}
	st->st_size = (off_t)f->size;
	st->st_mtim = f->mtime;
	pinned_file_unlock(w->slot, w->node);
}

/* A file of the static tree. A reader in a container's pid namespace is given the inode of
 * that container's pinned view (as if it had walked MOUNT/.views/INIT/...): its open then
 * stores the text in the page cache and the reads that follow, the one at the end included,
 * need no round trip. Everyone else (the host, a reader of our own namespace, views turned
 * off) gets the shared inode, each read made for its reader (direct_io). The name is never
 * cached (entry_timeout 0): each walk asks again, so a reader of another container, or of the
 * host, never lands on an inode that is not its own. */
static void lookup_static_file(fuse_req_t req, unsigned node, struct fuse_entry_param *e)
{
	struct view v;
	view_of_reader(fuse_req_ctx(req)->pid, &v);
	int slot = !v.host && !v.shared ? pinned_acquire(v.init.pid) : -ESRCH;
	e->entry_timeout = 0;
	e->ino = encode(slot > 0 ? slot : 0, node);
	fill_attr(e->ino, node, &e->attr);
	if (slot > 0) {
		struct where w = {slot, node};
		pinned_entry_attr(&w, &e->attr);
		e->attr_timeout = PINNED_ATTR_SECONDS;
		reply_entry(req, e, slot);
		return;
	}
	e->attr_timeout = 0; /* stat asks each time: the size of the asker's text */
	fuse_reply_entry(req, e);
}

/* The cpus of the view a cpu directory shows (a pinned view's, or the reader's in the static
 * tree); false: the host's. */
static bool dir_view_cpus(fuse_req_t req, int slot, struct cpuset *set)
{
	struct view v;
	if (slot)
		pinned_view(slot, &v);
	else
		view_of_reader(fuse_req_ctx(req)->pid, &v);
	return vfile_cpus(&v, set) == 0;
}

/* A name of a cpu directory that is not lxcfs' own file: the host's entry. */
static void lookup_cpu_dir(fuse_req_t req, fuse_ino_t dir, int slot, const char *name)
{
	struct cpuset set;
	/* Only a cpuN name depends on the view. */
	bool own = cpu_dir_names_cpu(name) && dir_view_cpus(req, slot, &set);
	sys_pt_lookup_cpu_dir(req, dir, name, own ? &set : NULL, slot == 0);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	if (pt_is_ino(parent)) {
		sys_pt_lookup(req, parent, name);
		return;
	}
	struct where p;
	if (!decode(parent, &p)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (!p.slot && p.node == INO_VIEWS) {
		lookup_view(req, name);
		return;
	}
	struct fuse_entry_param e;
	memset(&e, 0, sizeof(e));
	e.attr_timeout = e.entry_timeout = CACHE_SECONDS;
	unsigned node = 0;
	for (unsigned i = 2; i < NNODES; i++) {
		if ((!p.slot || mirrored(i)) && nodes[i].parent == p.node &&
		    strcmp(nodes[i].name, name) == 0) {
			node = i;
			break;
		}
	}
	if (!node && p.node == INO_CPU_DIR) {
		lookup_cpu_dir(req, parent, p.slot, name);
		return;
	}
	if (!node) {
		fuse_reply_entry(req, &e); /* ino 0: a cached "no such entry" */
		return;
	}
	if (!p.slot && nodes[node].vf >= 0) {
		lookup_static_file(req, node, &e);
		return;
	}
	e.ino = encode(p.slot, node);
	fill_attr(e.ino, node, &e.attr);
	if (nodes[node].vf >= 0) {
		struct where w = {p.slot, node};
		pinned_entry_attr(&w, &e.attr);
		e.attr_timeout = PINNED_ATTR_SECONDS;
	}
	if (p.slot)
		pinned_ref(p.slot, 1);
	reply_entry(req, &e, p.slot);
}

static void forget_one(fuse_ino_t ino, uint64_t n)
{
	if (pt_is_ino(ino))
		pt_forget(ino, n);
	else if (ino >= (1u << SLOT_SHIFT))
		pinned_forget((int)(ino >> SLOT_SHIFT), n);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	forget_one(ino, nlookup);
	fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		forget_one(forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

/* ------------------------------------------------------------------------ attributes */

/* A pinned file's attributes. With a handle (fstat, or the kernel asking before a read once
 * PINNED_ATTR_SECONDS passed): new text for it and a new mtime, so the kernel drops what its
 * page cache held and reads the new text; except for a text made less than that ago (at the
 * open), whose size and time let the kernel keep what the open stored. Without one (stat):
 * new numbers only when no reader is open, so that a reader never has the size change under
 * it. */
static void pinned_getattr(fuse_req_t req, const struct where *w, struct handle *h, struct stat *st)
{
	struct pinned_file *f = pinned_file_lock(w->slot, w->node);
	if (!f) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (h) {
		pthread_mutex_lock(&h->lock);
		bool keep = h->made && seconds_since(&h->made_at) < PINNED_ATTR_SECONDS;
		if (!keep && render_for(req, w, &h->text) == 0) {
			h->made = h->fresh = true;
			clock_gettime(CLOCK_MONOTONIC, &h->made_at);
			f->mtime = now;
		}
		f->size = h->text.len;
		f->size_known = true;
		pthread_mutex_unlock(&h->lock);
	} else if (f->open == 0 || !f->size_known) {
		struct strbuf text = {0};
		if (render_for(req, w, &text) == 0) {
			f->size = text.len;
			f->size_known = true;
			f->mtime = now;
		}
		strbuf_free(&text);
	}
	st->st_size = (off_t)f->size;
	st->st_mtim = f->mtime;
	pinned_file_unlock(w->slot, w->node);
	fuse_reply_attr(req, st, PINNED_ATTR_SECONDS);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (pt_is_ino(ino)) {
		sys_pt_getattr(req, ino);
		return;
	}
	struct where w;
	if (!decode(ino, &w)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	struct stat st;
	fill_attr(ino, w.node, &st);
	if (nodes[w.node].vf < 0) {
		fuse_reply_attr(req, &st, CACHE_SECONDS);
		return;
	}
	struct handle *h = fi ? (struct handle *)(uintptr_t)fi->fh : NULL;
	if (w.slot) {
		pinned_getattr(req, &w, h, &st);
		return;
	}
	/* fstat of an open file: the size of the text its next read at 0 returns. */
	if (h) {
		pthread_mutex_lock(&h->lock);
		if (render_for(req, &w, &h->text) == 0) {
			h->made = h->fresh = true;
			st.st_size = (off_t)h->text.len;
		}
		pthread_mutex_unlock(&h->lock);
	} else {
		struct strbuf text = {0};
		if (render_for(req, &w, &text) == 0)
			st.st_size = (off_t)text.len;
		strbuf_free(&text);
	}
	fuse_reply_attr(req, &st, 0);
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	if (pt_is_ino(ino))
		sys_pt_readlink(req, ino);
	else
		fuse_reply_err(req, EINVAL);
}

/* ----------------------------------------------------------------------- directories */

/* The listing of a directory of the tree: its nodes, and in a cpu directory the host's
 * entries as the directory's view sees them. 0 or -errno. */
static int list_static_dir(fuse_req_t req, fuse_ino_t ino, const struct where *w,
                           struct dir_list *l)
{
	/* A view's directory sits in .views; the static root is its own parent. */
	fuse_ino_t up =
	    w->slot && w->node == 1 ? INO_VIEWS : encode(w->slot, nodes[w->node].parent);
	int ret = dir_list_add(l, ".", ino, DT_DIR);
	if (ret == 0)
		ret = dir_list_add(l, "..", up, DT_DIR);
	/* .views lists nothing: its entries are whatever pid is asked for. */
	for (unsigned i = 2; ret == 0 && i < NNODES && w->node != INO_VIEWS; i++) {
		if (mirrored(i) && nodes[i].parent == w->node)
			ret = dir_list_add(l, nodes[i].name, encode(w->slot, i),
			                   nodes[i].vf < 0 ? DT_DIR : DT_REG);
	}
	if (ret == 0 && w->node == INO_CPU_DIR) {
		struct cpuset set;
		ret = sys_pt_list_cpu_dir(ino, dir_view_cpus(req, w->slot, &set) ? &set : NULL, l);
	}
	return ret;
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct where w;
	bool pt = pt_is_ino(ino), known = pt || decode(ino, &w);
	if (!known || (!pt && nodes[w.node].vf >= 0)) {
		fuse_reply_err(req, known ? ENOTDIR : ENOENT);
		return;
	}
	struct dir_list *l = calloc(1, sizeof(*l));
	int ret = !l   ? -ENOMEM
	          : pt ? sys_pt_opendir(req, ino, l)
	               : list_static_dir(req, ino, &w, l);
	if (ret < 0) {
		if (l)
			dir_list_free(l);
		free(l);
		fuse_reply_err(req, -ret);
		return;
	}
	fi->fh = (uint64_t)(uintptr_t)l;
	if (fuse_reply_open(req, fi) != 0) {
		dir_list_free(l);
		free(l);
	}
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
	dir_list_reply(req, (const struct dir_list *)(uintptr_t)fi->fh, size, off);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dir_list *l = (struct dir_list *)(uintptr_t)fi->fh;
	dir_list_free(l);
	free(l);
	fuse_reply_err(req, 0);
}

/* ------------------------------------------------------------------------- open, read */

/* sendfile/splice (busybox cat into a pipe) read through the page cache, and only up to the
 * size the kernel holds for the inode, which a bind-mounted view never looks up again. So each
 * open of the static tree first claims a size larger than any text; the page cache is dropped
 * when the open completes, the first page read comes to us, and its short read sets the size
 * to this reader's text. (read(2) goes straight to us: direct_io.) */
void fuse_ops_grow_for_splice(fuse_ino_t ino)
{
	static const char nl = '\n';
	struct fuse_bufvec bv = FUSE_BUFVEC_INIT(1);
	bv.buf[0].mem = (void *)&nl;
	if (g_session)
		fuse_lowlevel_notify_store(g_session, ino, SIZE_CAP - 1, &bv, 0);
}

/* Puts text in the page cache of ino from offset 0; grows the kernel's size to its length if
 * it was smaller. 0 or -errno. */
static int store_text(fuse_ino_t ino, const struct strbuf *text)
{
	if (!g_session || text->len == 0)
		return -EINVAL;
	struct fuse_bufvec bv = FUSE_BUFVEC_INIT(text->len);
	bv.buf[0].mem = text->data;
	return fuse_lowlevel_notify_store(g_session, ino, 0, &bv, 0);
}

/* Open of a pinned file: the first handle makes the text and puts it in the page cache
 * before the open returns, so the reader's reads (and the one that finds the end) need no
 * round trip. Storing can only grow the kernel's size: a shorter text than the last drops the
 * page cache and the size instead, and the first read asks (getattr, then a page read that
 * comes back short), or a splice reader would get the old text's tail. Later handles opened
 * while one is open read the same page cache. */
static int pinned_open(fuse_req_t req, const struct where *w, fuse_ino_t ino, struct handle *h)
{
	struct pinned_file *f = pinned_file_lock(w->slot, w->node);
	if (!f)
		return -ENOENT;
	if (f->open++ == 0 && render_for(req, w, &h->text) == 0) {
		h->made = true;
		clock_gettime(CLOCK_MONOTONIC, &h->made_at);
		bool shrinks = !f->size_known || h->text.len < f->size;
		if (shrinks || store_text(ino, &h->text) != 0)
			fuse_lowlevel_notify_inval_inode(g_session, ino, 0, 0);
		f->size = h->text.len;
		f->size_known = true;
	}
	pinned_file_unlock(w->slot, w->node);
	return 0;
}

static void pinned_close(const struct where *w)
{
	struct pinned_file *f = pinned_file_lock(w->slot, w->node);
	if (f && f->open > 0)
		f->open--;
	if (f)
		pinned_file_unlock(w->slot, w->node);
}

static void handle_free(struct handle *h)
{
	pthread_mutex_destroy(&h->lock);
	strbuf_free(&h->text);
	free(h);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (pt_is_ino(ino)) {
		sys_pt_open(req, ino, fi);
		return;
	}
	struct where w;
	if (!decode(ino, &w)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (nodes[w.node].vf < 0) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY ||
	    (root_only(w.node) && fuse_req_ctx(req)->uid != 0)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	struct handle *h = calloc(1, sizeof(*h));
	if (!h) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_init(&h->lock, NULL);
	h->vf = (enum vfile)nodes[w.node].vf;
	h->slot = w.slot;
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->noflush = 1; /* nothing to flush: spare close() a round trip */
	if (w.slot) {
		int ret = pinned_open(req, &w, ino, h);
		if (ret < 0) {
			handle_free(h);
			fuse_reply_err(req, -ret);
			return;
		}
		fi->direct_io = 0;
		fi->keep_cache = 1; /* what pinned_open stored, or what the open handle reads */
	} else {
		fi->direct_io = 1; /* no page cache for read(2): each reader gets its own view */
		fi->keep_cache = 0;
		fuse_ops_grow_for_splice(ino);
	}
	if (fuse_reply_open(req, fi) != 0) {
		/* The opener was interrupted: the kernel will not release this handle. */
		if (w.slot)
			pinned_close(&w);
		handle_free(h);
	}
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
	if (pt_is_ino(ino)) {
		sys_pt_read(req, size, off, fi);
		return;
	}
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	struct where w;
	decode(ino, &w);
	pthread_mutex_lock(&h->lock);
	/* Static tree: a read at 0 (a reader seeking back) makes new numbers. Pinned: these are
	 * page reads, any of which may follow a drop of the page cache; the text stays that of
	 * the handle until a getattr makes a new one, so a reader never gets two halves. */
	bool remake = !h->made || (!h->slot && off == 0 && !h->fresh);
	if (remake) {
		int ret = render_for(req, &w, &h->text);
		if (ret < 0) {
			h->made = false;
			pthread_mutex_unlock(&h->lock);
			fuse_reply_err(req, -ret);
			return;
		}
		h->made = true;
		clock_gettime(CLOCK_MONOTONIC, &h->made_at);
	}
	h->fresh = false;
	size_t len = h->text.len;
	size_t start = off < 0 || (size_t)off >= len ? len : (size_t)off;
	size_t n = len - start < size ? len - start : size;
	fuse_reply_buf(req, h->text.data ? h->text.data + start : NULL, n);
	pthread_mutex_unlock(&h->lock);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (pt_is_ino(ino)) {
		sys_pt_release(req, fi);
		return;
	}
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	/* The last read may still be between its reply (which let the reader close the file)
	 * and its unlock: wait for that before the handle goes. */
	pthread_mutex_lock(&h->lock);
	pthread_mutex_unlock(&h->lock);
	struct where w;
	if (h->slot && decode(ino, &w))
		pinned_close(&w);
	handle_free(h);
	fuse_reply_err(req, 0);
}

const struct fuse_lowlevel_ops lxcfs_ops = {
    .init = op_init,
    .lookup = op_lookup,
    .forget = op_forget,
    .forget_multi = op_forget_multi,
    .getattr = op_getattr,
    .setattr = ro_setattr,
    .readlink = op_readlink,
    .mknod = ro_mknod,
    .mkdir = ro_mkdir,
    .unlink = ro_unlink,
    .rmdir = ro_unlink,
    .symlink = ro_symlink,
    .rename = ro_rename,
    .link = ro_link,
    .opendir = op_opendir,
    .readdir = op_readdir,
    .releasedir = op_releasedir,
    .open = op_open,
    .read = op_read,
    .release = op_release,
};
