#include "fuse_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"
#include "vfile.h"

/* The tree never changes: the kernel may keep the directories' names and attributes as long
 * as it likes. A file's size is its reader's own (see op_lookup), so files are never cached. */
#define CACHE_SECONDS 86400.0
/* Larger than any text: the size a file claims at each open (see grow_for_splice). */
#define SIZE_CAP (64LL << 20)

static struct fuse_session *g_session;

void fuse_ops_set_session(struct fuse_session *se)
{
	g_session = se;
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
};
#define NNODES (sizeof(nodes) / sizeof(nodes[0]))

/* One open file: its content is made at a read at offset 0 (or the first read), and later
 * reads at other offsets are served from it, so reading in pieces gives one consistent
 * text; a reader that seeks back to 0 (top, free) gets fresh numbers. */
struct handle {
	pthread_mutex_t lock;
	enum vfile vf;
	bool made;
	bool fresh; /* text was made for this open by fstat: the first read at 0 returns it */
	struct outbuf text;
};

/* The file's text for the reader of req; 0 or -errno. */
static int render_for(fuse_req_t req, fuse_ino_t ino, struct outbuf *out)
{
	struct view v;
	view_of_reader(fuse_req_ctx(req)->pid, &v);
	int ret = vfile_render((enum vfile)nodes[ino].vf, &v, out);
	if (ret < 0)
		LOG_WARN("%s for pid %d: %s", nodes[ino].name, (int)fuse_req_ctx(req)->pid,
		         strerror(-ret));
	return ret;
}

static time_t g_mount_time;

static bool valid(fuse_ino_t ino)
{
	return ino >= 1 && ino < NNODES && nodes[ino].name;
}

static void fill_attr(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	if (nodes[ino].vf < 0) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		for (size_t i = 2; i < NNODES; i++)
			st->st_nlink += nodes[i].parent == ino && nodes[i].vf < 0;
	} else {
		/* Size 0 like /proc: readers read to EOF, the content is made per read. */
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
	}
	st->st_blksize = 4096;
	st->st_atime = st->st_mtime = st->st_ctime = g_mount_time;
}

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	g_mount_time = time(NULL);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	memset(&e, 0, sizeof(e));
	e.attr_timeout = e.entry_timeout = CACHE_SECONDS;
	for (fuse_ino_t i = 2; i < NNODES; i++) {
		if (nodes[i].parent == parent && strcmp(nodes[i].name, name) == 0) {
			e.ino = i;
			fill_attr(i, &e.attr);
			break;
		}
	}
	if (e.ino && nodes[e.ino].vf >= 0)
		e.attr_timeout = 0; /* stat asks each time: the size of the asker's text */
	/* ino 0 is a cached "no such entry". */
	fuse_reply_entry(req, &e);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (!valid(ino)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	struct stat st;
	fill_attr(ino, &st);
	if (nodes[ino].vf < 0) {
		fuse_reply_attr(req, &st, CACHE_SECONDS);
		return;
	}
	/* fstat of an open file: the size of the text its next read at 0 returns. */
	struct handle *h = fi ? (struct handle *)(uintptr_t)fi->fh : NULL;
	if (h) {
		pthread_mutex_lock(&h->lock);
		if (render_for(req, ino, &h->text) == 0) {
			h->made = h->fresh = true;
			st.st_size = (off_t)h->text.len;
		}
		pthread_mutex_unlock(&h->lock);
	} else {
		struct outbuf text = {0};
		if (render_for(req, ino, &text) == 0)
			st.st_size = (off_t)text.len;
		outbuf_free(&text);
	}
	fuse_reply_attr(req, &st, 0);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
	if (!valid(ino) || nodes[ino].vf >= 0) {
		fuse_reply_err(req, valid(ino) ? ENOTDIR : ENOENT);
		return;
	}
	const char *names[NNODES + 2];
	fuse_ino_t inos[NNODES + 2];
	size_t n = 0;
	names[n] = ".";
	inos[n++] = ino;
	names[n] = "..";
	inos[n++] = nodes[ino].parent;
	for (fuse_ino_t i = 2; i < NNODES; i++) {
		if (nodes[i].parent == ino) {
			names[n] = nodes[i].name;
			inos[n++] = i;
		}
	}
	char buf[4096];
	size_t used = 0;
	/* The offset of an entry is its index + 1: where the next call goes on. */
	for (size_t k = off < 0 ? 0 : (size_t)off; k < n; k++) {
		struct stat st;
		fill_attr(inos[k], &st);
		size_t want = fuse_add_direntry(req, buf + used, sizeof(buf) - used, names[k], &st,
		                                (off_t)k + 1);
		if (used + want > size || used + want > sizeof(buf))
			break;
		used += want;
	}
	fuse_reply_buf(req, buf, used);
}

/* sendfile/splice (busybox cat into a pipe) read through the page cache, and only up to the
 * size the kernel holds for the inode, which a bind-mounted view never looks up again. So each
 * open first claims a size larger than any text; the page cache is dropped when the open
 * completes, the first page read comes to us, and its short read sets the size to this
 * reader's text. (read(2) goes straight to us: direct_io.) */
static void grow_for_splice(fuse_ino_t ino)
{
	static const char nl = '\n';
	struct fuse_bufvec bv = FUSE_BUFVEC_INIT(1);
	bv.buf[0].mem = (void *)&nl;
	if (g_session)
		fuse_lowlevel_notify_store(g_session, ino, SIZE_CAP - 1, &bv, 0);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (!valid(ino)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (nodes[ino].vf < 0) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EACCES);
		return;
	}
	struct handle *h = calloc(1, sizeof(*h));
	if (!h) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_init(&h->lock, NULL);
	h->vf = (enum vfile)nodes[ino].vf;
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->direct_io = 1; /* no page cache for read(2): each reader gets its own view */
	fi->keep_cache = 0;
	grow_for_splice(ino);
	fi->noflush = 1; /* nothing to flush: spare close() a round trip */
	if (fuse_reply_open(req, fi) != 0) {
		/* The opener was interrupted: the kernel will not release this handle. */
		pthread_mutex_destroy(&h->lock);
		free(h);
	}
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	pthread_mutex_lock(&h->lock);
	if ((off == 0 && !h->fresh) || !h->made) {
		int ret = render_for(req, ino, &h->text);
		if (ret < 0) {
			h->made = false;
			pthread_mutex_unlock(&h->lock);
			fuse_reply_err(req, -ret);
			return;
		}
		h->made = true;
	}
	h->fresh = false; /* a later read at 0 (a reader seeking back) gets new numbers */
	size_t len = h->text.len;
	size_t start = off < 0 || (size_t)off >= len ? len : (size_t)off;
	size_t n = len - start < size ? len - start : size;
	fuse_reply_buf(req, h->text.data ? h->text.data + start : NULL, n);
	pthread_mutex_unlock(&h->lock);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct handle *h = (struct handle *)(uintptr_t)fi->fh;
	/* The last read may still be between its reply (which let the reader close the file)
	 * and its unlock: wait for that before the handle goes. */
	pthread_mutex_lock(&h->lock);
	pthread_mutex_unlock(&h->lock);
	pthread_mutex_destroy(&h->lock);
	outbuf_free(&h->text);
	free(h);
	fuse_reply_err(req, 0);
}

const struct fuse_lowlevel_ops lxcfs_ops = {
    .init = op_init,
    .lookup = op_lookup,
    .getattr = op_getattr,
    .readdir = op_readdir,
    .open = op_open,
    .read = op_read,
    .release = op_release,
};
