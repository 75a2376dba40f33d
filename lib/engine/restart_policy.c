#include "engine/restart_policy.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/units.h"

/* Indexed by enum restart_kind. */
static const char *const restart_names[] = {
    [RESTART_NO] = "no",
    [RESTART_ALWAYS] = "always",
    [RESTART_ON_FAILURE] = "on-failure",
    [RESTART_UNLESS_STOPPED] = "unless-stopped",
    [RESTART_ON_REBOOT] = "on-reboot",
};

#define RESTART_KIND_COUNT (sizeof(restart_names) / sizeof(restart_names[0]))

const char *restart_policy_name(enum restart_kind k)
{
	if ((size_t)k >= RESTART_KIND_COUNT)
		return NULL;
	return restart_names[k];
}

/* Looks up a policy name of exactly len bytes. */
static bool restart_kind_lookup(const char *name, size_t len, enum restart_kind *kind)
{
	size_t i;

	for (i = 0; i < RESTART_KIND_COUNT; i++) {
		if (strlen(restart_names[i]) == len && strncmp(restart_names[i], name, len) == 0) {
			*kind = (enum restart_kind)i;
			return true;
		}
	}
	return false;
}

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errlen, const char *fmt,
                                                          ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A retry count as written after "on-failure:": plain digits that fit in an int. */
static int parse_retry_count(const char *s, int *count)
{
	uint64_t v;

	if (parse_uint64(s, &v) != 0 || v > INT_MAX)
		return -1;
	*count = (int)v;
	return 0;
}

int restart_policy_parse(const char *s, struct restart_policy *out, char *err, size_t errlen)
{
	const char *colon;
	size_t namelen;
	enum restart_kind kind;
	int count = 0;

	if (s == NULL || out == NULL) {
		set_err(err, errlen, "Invalid restart policy format");
		return -1;
	}
	colon = strchr(s, ':');
	namelen = colon != NULL ? (size_t)(colon - s) : strlen(s);
	if (namelen == 0 && colon == NULL) {
		*out = (struct restart_policy){RESTART_NO, 0};
		return 0;
	}
	if (!restart_kind_lookup(s, namelen, &kind)) {
		set_err(err, errlen, "Invalid restart policy '%.*s'", (int)namelen, s);
		return -1;
	}
	if (colon != NULL && kind != RESTART_ON_FAILURE) {
		set_err(err, errlen,
		        "Maximum retry count cannot be used with restart policy '%.*s'",
		        (int)namelen, s);
		return -1;
	}
	if (colon != NULL && parse_retry_count(colon + 1, &count) != 0) {
		set_err(err, errlen, "Invalid restart policy format");
		return -1;
	}
	*out = (struct restart_policy){kind, count};
	return 0;
}

int restart_policy_from_name(const char *name, int max_retries, struct restart_policy *out,
                             char *err, size_t errlen)
{
	enum restart_kind kind;

	if (name == NULL || out == NULL) {
		set_err(err, errlen, "Invalid restart policy format");
		return -1;
	}
	if (name[0] == '\0') {
		*out = (struct restart_policy){RESTART_NO, 0};
		return 0;
	}
	if (!restart_kind_lookup(name, strlen(name), &kind)) {
		set_err(err, errlen, "Invalid restart policy '%s'", name);
		return -1;
	}
	if (kind != RESTART_ON_FAILURE && max_retries != 0) {
		set_err(err, errlen, "Maximum retry count cannot be used with restart policy '%s'",
		        name);
		return -1;
	}
	if (max_retries < 0) {
		set_err(err, errlen, "Maximum retry count cannot be negative");
		return -1;
	}
	*out = (struct restart_policy){kind, max_retries};
	return 0;
}
