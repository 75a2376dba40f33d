#include "cgroup_parse.h"

#include <string.h>

static const char *const ctrl_names[CG_NCTRL] = {
    [CG_MEMORY] = "memory", [CG_CPUSET] = "cpuset",   [CG_CPUACCT] = "cpuacct",
    [CG_BLKIO] = "blkio",   [CG_DEVICES] = "devices", [CG_CPU] = "cpu",
};

const char *cg_ctrl_name(enum cg_ctrl c)
{
	return c < CG_NCTRL ? ctrl_names[c] : "?";
}

static void cut_init_scope(char *path)
{
	static const char suffix[] = "/init.scope";
	size_t len = strlen(path), n = sizeof(suffix) - 1;
	if (len >= n && strcmp(path + len - n, suffix) == 0)
		path[len == n ? 1 : len - n] = '\0';
}

int pid_cgroups_parse(char *text, struct pid_cgroups *out)
{
	memset(out, 0, sizeof(*out));
	int found = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || c2[1] != '/')
			continue;
		*c1 = *c2 = '\0';
		char *ctrls = c1 + 1, *path = c2 + 1;
		cut_init_scope(path);
		if (*ctrls == '\0') {
			if (strcmp(line, "0") == 0 && !out->unified) {
				out->unified = path;
				found++;
			}
			continue;
		}
		for (int c = 0; c < CG_NCTRL; c++) {
			if (!out->v1[c] && word_list_has(ctrls, ctrl_names[c])) {
				out->v1[c] = path;
				found++;
			}
		}
	}
	return found;
}
