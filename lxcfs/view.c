#include "view.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_layout.h"

static volatile sig_atomic_t g_off;

void view_toggle(void)
{
	g_off = !g_off;
}

bool view_enabled(void)
{
	return !g_off;
}

/* A reader of our own namespace: its own /proc/PID/cgroup. */
static void own_cgroups(pid_t reader, struct view *v)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)reader);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n;
	do
		n = read(fd, v->text, sizeof(v->text) - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return;
	v->text[n] = '\0';
	pid_cgroups_parse(v->text, &v->cg);
	v->init.pid = reader;
	v->init.start = 0;
	v->host = false;
	v->shared = true;
}

void view_of_reader(pid_t reader, struct view *v)
{
	v->host = true;
	v->shared = false;
	if (reader <= 0 || !view_enabled())
		return;
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)reader);
	if (stat(path, &st) < 0)
		return;
	if (st.st_ino == initpid_own_ns()) {
		own_cgroups(reader, v);
		return;
	}
	if (initpid_lookup(reader, st.st_ino, &v->init, v->text, sizeof(v->text)) < 0)
		return;
	pid_cgroups_parse(v->text, &v->cg);
	v->host = false;
}

const char *view_cgroup(const struct view *v, enum cg_ctrl c)
{
	return v->host ? NULL : cgroup_of(&v->cg, c);
}
