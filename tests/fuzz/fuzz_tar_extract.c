/* Fuzzes the tar extractor behind `isula cp` into a container (lib/engine/tar_extract.c, with
 * libarchive) on archive bytes. Each input is extracted into a fresh tmp/root (its root fd is
 * the container's root) that holds symlinks leading out of it (absolute and relative, to the
 * sibling tmp/outside, which holds one sentinel file); the first byte picks the options and
 * the destination. Invariants: nothing appears, changes or gets a hard link outside root
 * (tmp holds only root and outside, outside only the sentinel, unchanged, with one link);
 * a refusal says why; a check-only pass writes nothing; nothing leaks. Everything under
 * root is removed after each input; tmp when the fuzzer exits. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "engine/tar_stream.h"

static char g_tmp[] = "/tmp/fuzz_tar_extract.XXXXXX";
static char g_root[64], g_outside[64], g_sentinel[80];
static const char g_sentinel_text[] = "host data\n";

struct mem_in {
	const uint8_t *p;
	size_t left;
};

static ssize_t mem_read(void *cls, void *buf, size_t len)
{
	struct mem_in *m = cls;
	size_t n = len < m->left ? len : m->left;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

/* Removes everything below dirfd (made writable first: archives set any mode). */
static void clear_dir(int dirfd)
{
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0)
			continue;
		fchmodat(dirfd, de->d_name, 0700, 0);
		int sub =
		    openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			clear_dir(sub);
		if (unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0)
			abort(); /* the next input would not start from a fresh root */
	}
	closedir(d);
}

static void clear_root(void)
{
	chmod(g_root, 0700);
	int fd = open(g_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		abort();
	clear_dir(fd);
}

static void remove_tmp(void)
{
	clear_root();
	rmdir(g_root);
	unlink(g_sentinel);
	rmdir(g_outside);
	rmdir(g_tmp);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!mkdtemp(g_tmp))
		abort();
	snprintf(g_root, sizeof(g_root), "%s/root", g_tmp);
	snprintf(g_outside, sizeof(g_outside), "%s/outside", g_tmp);
	snprintf(g_sentinel, sizeof(g_sentinel), "%s/sentinel", g_outside);
	FILE *f;
	if (mkdir(g_root, 0755) < 0 || mkdir(g_outside, 0755) < 0 || !(f = fopen(g_sentinel, "w")))
		abort();
	fputs(g_sentinel_text, f);
	fclose(f);
	atexit(remove_tmp);
	return 0;
}

/* The root as each input finds it: a directory, and links that lead out of it. */
static void populate_root(void)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/dir", g_root);
	if (mkdir(p, 0755) < 0)
		abort();
	snprintf(p, sizeof(p), "%s/abs", g_root);
	if (symlink(g_outside, p) < 0)
		abort();
	snprintf(p, sizeof(p), "%s/dir/rel", g_root);
	if (symlink("../../outside", p) < 0)
		abort();
	snprintf(p, sizeof(p), "%s/file", g_root);
	if (symlink(g_sentinel, p) < 0)
		abort();
}

static size_t count_entries(const char *path, const char *only)
{
	DIR *d = opendir(path);
	if (!d)
		abort();
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (only && strcmp(de->d_name, only) != 0 && strcmp(de->d_name, "outside") != 0)
			abort();
		n++;
	}
	closedir(d);
	return n;
}

static void check_outside(void)
{
	if (count_entries(g_tmp, "root") != 2 || count_entries(g_outside, "sentinel") != 1)
		abort();
	struct stat st;
	char buf[64];
	int fd = open(g_sentinel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    (st.st_mode & 07777) != 0644)
		abort();
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n != (ssize_t)strlen(g_sentinel_text) || memcmp(buf, g_sentinel_text, (size_t)n) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256 * 1024)
		return 0;
	uint8_t sel = data[0];
	size_t skipped = 0;
	struct tar_extract_opts o = {
	    .chown = sel & 1,
	    .no_overwrite_dir_nondir = sel & 2,
	    .strip_special = sel & 4,
	    .skipped_devices = &skipped,
	};
	if (sel & 8) {
		o.rebase_from = "a";
		o.rebase_to = "renamed";
	}
	static const char *const dests[] = {"/", "/dir", "dir/rel", "/abs"};
	const char *dest = dests[(sel >> 4) & 3];
	populate_root();
	int root_fd = open(g_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		abort();
	struct error e = {0};
	struct mem_in in = {data + 1, size - 1};
	if (sel & 0x40) {
		o.check_only = true;
		size_t before = count_entries(g_root, NULL);
		if (tar_extract(mem_read, &in, root_fd, dest, &o, &e) < 0 && !e.msg[0])
			abort();
		if (count_entries(g_root, NULL) != before)
			abort();
		o.check_only = false;
		in = (struct mem_in){data + 1, size - 1};
		memset(&e, 0, sizeof(e));
	}
	if (tar_extract(mem_read, &in, root_fd, dest, &o, &e) < 0 && !e.msg[0])
		abort();
	close(root_fd);
	check_outside();
	clear_root();
	return 0;
}
