#include "view.h"

#include <stdio.h>
#include <sys/stat.h>

#include "cgroup_layout.h"

void view_of_reader(pid_t reader, struct view *v)
{
	v->host = true;
	if (reader <= 0)
		return;
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)reader);
	if (stat(path, &st) < 0 || st.st_ino == initpid_own_ns())
		return;
	if (initpid_lookup(reader, st.st_ino, &v->init, v->text, sizeof(v->text)) < 0)
		return;
	pid_cgroups_parse(v->text, &v->cg);
	v->host = false;
}

const char *view_cgroup(const struct view *v, enum cg_ctrl c)
{
	return v->host ? NULL : cgroup_of(&v->cg, c);
}
