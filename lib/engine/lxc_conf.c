#include "engine/lxc_conf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Characters a hook's words may hold: liblxc runs hooks through "sh -c". */
static bool is_hook_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("_./:,=+@%-", c) != NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *lxc_conf_field_problem(const char *s)
{
	if (!s || !*s)
		return "is empty";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (is_control(*p))
			return "contains a control character";
		/* liblxc splits mount entries on blanks and decodes \NNN escapes (fstab). */
		if (*p == ' ')
			return "contains a space";
		if (*p == '\\')
			return "contains a backslash";
	}
	return NULL;
}

/* "SRC DST TYPE OPTIONS DUMP PASS": six fields, one blank between each. */
static const char *mount_entry_problem(const char *v)
{
	int fields = 0;
	for (const char *p = v; *p;) {
		const char *end = strchr(p, ' ');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0)
			return "has an empty field (a path with a space?)";
		fields++;
		p += n;
		if (*p == ' ')
			p++;
	}
	if (fields != 6)
		return "does not have 6 fields (a path with a space?)";
	if (strchr(v, '\\'))
		return "contains a backslash";
	return NULL;
}

const char *lxc_conf_value_problem(const char *key, const char *value)
{
	if (!value)
		return "is missing";
	size_t len = strlen(value);
	for (size_t i = 0; i < len; i++) {
		if (is_control((unsigned char)value[i]))
			return value[i] == '\n'   ? "contains a newline"
			       : value[i] == '\r' ? "contains a carriage return"
			                          : "contains a control character";
	}
	/* liblxc trims blanks around the value and strips one pair of enclosing quotes. */
	if (len > 0 && (value[0] == ' ' || value[len - 1] == ' '))
		return "starts or ends with a space";
	if (len > 1 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
		return "is enclosed in quotes";
	if (!key)
		return NULL;
	if (strcmp(key, "lxc.mount.entry") == 0)
		return mount_entry_problem(value);
	if (starts_with(key, "lxc.hook.") && strcmp(value, LXC_HOOK_REFUSE_REBOOT) != 0) {
		for (size_t i = 0; i < len; i++) {
			if (!is_hook_char((unsigned char)value[i]) &&
			    !(value[i] == ' ' && i > 0 && value[i - 1] != ' '))
				return "contains a character the hook's shell would interpret";
		}
	}
	return NULL;
}

char *lxc_conf_quote(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	if (len == 0)
		return buf;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		char tmp[8];
		if (*p == '\n')
			snprintf(tmp, sizeof(tmp), "\\n");
		else if (*p == '\r')
			snprintf(tmp, sizeof(tmp), "\\r");
		else if (*p == '\t')
			snprintf(tmp, sizeof(tmp), "\\t");
		else if (*p == '\\')
			snprintf(tmp, sizeof(tmp), "\\\\");
		else if (is_control(*p))
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
		else
			snprintf(tmp, sizeof(tmp), "%c", *p);
		size_t n = strlen(tmp);
		if (o + n + 4 > len) {
			snprintf(buf + o, len - o, "...");
			return buf;
		}
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o] = '\0';
	return buf;
}

/* The first refusal since lxc_conf_begin, per rendering thread. */
static _Thread_local struct {
	bool refused;
	char msg[512];
} g_conf;

void lxc_conf_begin(void)
{
	g_conf.refused = false;
	g_conf.msg[0] = '\0';
}

void lxc_conf_line(struct strbuf *out, const char *key, const char *fmt, ...)
{
	char *value = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&value, fmt, ap);
	va_end(ap);
	const char *why =
	    n < 0 ? "cannot be formatted (out of memory)" : lxc_conf_value_problem(key, value);
	if (!why) {
		strbuf_printf(out, "%s = %s\n", key, value);
	} else if (!g_conf.refused) {
		char shown[256];
		g_conf.refused = true;
		snprintf(g_conf.msg, sizeof(g_conf.msg), "invalid value '%s' for %s: it %s",
		         lxc_conf_quote(n < 0 ? "" : value, shown, sizeof(shown)), key, why);
	}
	if (n >= 0)
		free(value);
}

int lxc_conf_end(char *err, size_t errlen)
{
	if (!g_conf.refused)
		return 0;
	snprintf(err, errlen, "cannot write the lxc config: %s", g_conf.msg);
	g_conf.refused = false;
	return -1;
}
