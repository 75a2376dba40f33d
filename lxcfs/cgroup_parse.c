#include "cgroup_parse.h"

#include <string.h>

static const char *const ctrl_names[CG_NCTRL] = {
    [CG_MEMORY] = "memory", [CG_CPUSET] = "cpuset",   [CG_CPUACCT] = "cpuacct",
    [CG_BLKIO] = "blkio",   [CG_DEVICES] = "devices",
};

const char *cg_ctrl_name(enum cg_ctrl c)
{
	return c < CG_NCTRL ? ctrl_names[c] : "?";
}

bool word_list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ", \n");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		if (*p)
			p++;
	}
	return false;
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

/* Decodes the kernel's \ooo escapes (space, tab, newline, backslash) in place. */
static void unescape_octal(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

int mountinfo_parse(char *line, struct mount_line *out)
{
	/* ID PARENT MAJ:MIN ROOT TARGET OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS */
	char *f[6], *save = NULL, *tok = strtok_r(line, " \n", &save);
	int n = 0;
	for (; tok && n < 6; tok = strtok_r(NULL, " \n", &save))
		f[n++] = tok;
	if (n < 6)
		return -1;
	while (tok && strcmp(tok, "-") != 0)
		tok = strtok_r(NULL, " \n", &save);
	char *fstype = tok ? strtok_r(NULL, " \n", &save) : NULL;
	char *source = fstype ? strtok_r(NULL, " \n", &save) : NULL;
	char *superopts = source ? strtok_r(NULL, " \n", &save) : NULL;
	if (!superopts)
		return -1;
	unescape_octal(f[3]);
	unescape_octal(f[4]);
	out->root = f[3];
	out->target = f[4];
	out->fstype = fstype;
	out->opts = superopts;
	return 0;
}
