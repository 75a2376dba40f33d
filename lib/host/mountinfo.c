#include "host/mountinfo.h"

#include <stdlib.h>
#include <string.h>

/* Decodes the kernel's \ooo escapes (space, tab, newline, backslash) in place. */
static void unescape(char *s)
{
	char *out = s;
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/* The next space-separated field; NULL at the end of the line. */
static char *next_field(char **cur)
{
	char *s = *cur;
	if (!s || !*s)
		return NULL;
	char *sp = strchr(s, ' ');
	if (sp) {
		*sp = '\0';
		*cur = sp + 1;
	} else {
		*cur = s + strlen(s);
	}
	return s;
}

static int parse_id(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 0x7fffffff)
		return -1;
	*out = (int)v;
	return 0;
}

int mountinfo_parse_line(char *line, struct mountinfo_entry *e)
{
	/* 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue */
	char *cur = line;
	char *id = next_field(&cur), *parent = next_field(&cur), *devno = next_field(&cur);
	char *root = next_field(&cur), *mnt = next_field(&cur), *opts = next_field(&cur);
	int maj, min;
	char *colon = opts ? strchr(devno, ':') : NULL;
	if (!colon || parse_id(id, &e->mount_id) < 0 || parse_id(parent, &e->parent_id) < 0)
		return -1;
	*colon = '\0';
	if (parse_id(devno, &maj) < 0 || parse_id(colon + 1, &min) < 0)
		return -1;
	e->major = (unsigned)maj;
	e->minor = (unsigned)min;
	/* Optional fields run up to the lone "-"; they are kept as one string, so the spaces
	 * that next_field cut between them are put back. */
	char *opt_start = cur, *opt_end = NULL;
	for (;;) {
		char *f = next_field(&cur);
		if (!f)
			return -1;
		if (strcmp(f, "-") == 0)
			break;
		opt_end = f + strlen(f);
	}
	for (char *p = opt_start; opt_end && p < opt_end; p++) {
		if (*p == '\0')
			*p = ' ';
	}
	char *type = next_field(&cur), *source = next_field(&cur), *super = next_field(&cur);
	if (!type || !source)
		return -1;
	unescape(root);
	unescape(mnt);
	unescape(source);
	e->root = root;
	e->mount_point = mnt;
	e->options = opts;
	e->optional = opt_end ? opt_start : "";
	e->fs_type = type;
	e->source = source;
	e->super_options = super ? super : "";
	return 0;
}
