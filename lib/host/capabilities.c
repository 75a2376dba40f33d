#include "host/capabilities.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Indexed by capability number (linux/capability.h). */
static const char *const g_cap_names[CAPABILITY_LAST + 1] = {
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
};

static const char *strip_prefix(const char *name)
{
	return strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
}

int capability_from_name(const char *name)
{
	if (!name)
		return -1;
	const char *n = strip_prefix(name);
	for (int i = 0; i <= CAPABILITY_LAST; i++) {
		if (strcasecmp(n, g_cap_names[i]) == 0)
			return i;
	}
	return -1;
}

const char *capability_name(int cap)
{
	return cap >= 0 && cap <= CAPABILITY_LAST ? g_cap_names[cap] : NULL;
}

bool capability_is_all(const char *name)
{
	return name && strcasecmp(strip_prefix(name), "ALL") == 0;
}

int capability_list_check(char *const *list, const char *flag, char *err, size_t errlen)
{
	for (size_t i = 0; list && list[i]; i++) {
		if (capability_is_all(list[i]) || capability_from_name(list[i]) >= 0)
			continue;
		snprintf(err, errlen,
		         "Invalid capability \"%s\" in %s: unknown capability (use a name such as "
		         "NET_ADMIN or CAP_NET_ADMIN, or ALL)",
		         list[i], flag);
		return -1;
	}
	return 0;
}

static bool list_has_all(char *const *list)
{
	for (size_t i = 0; list && list[i]; i++) {
		if (capability_is_all(list[i]))
			return true;
	}
	return false;
}

/* The mask of the named capabilities in list (ALL entries skipped). */
static uint64_t list_mask(char *const *list)
{
	uint64_t m = 0;
	for (size_t i = 0; list && list[i]; i++) {
		int c = capability_from_name(list[i]);
		if (c >= 0)
			m |= 1ULL << c;
	}
	return m;
}

int capability_set_compute(const char *const *base, char *const *add, char *const *drop,
                           int last_cap, uint64_t *out, char *err, size_t errlen)
{
	if (capability_list_check(add, "--cap-add", err, errlen) < 0 ||
	    capability_list_check(drop, "--cap-drop", err, errlen) < 0)
		return -1;
	if (last_cap > CAPABILITY_LAST)
		last_cap = CAPABILITY_LAST;
	uint64_t all = last_cap < 0 ? 0 : (last_cap >= 63 ? ~0ULL : (2ULL << last_cap) - 1);
	uint64_t set;
	if (list_has_all(add)) {
		set = all & ~list_mask(drop);
	} else if (list_has_all(drop)) {
		set = list_mask(add);
	} else {
		set = 0;
		for (size_t i = 0; base && base[i]; i++) {
			int c = capability_from_name(base[i]);
			if (c >= 0)
				set |= 1ULL << c;
		}
		set = (set & ~list_mask(drop)) | list_mask(add);
	}
	*out = set & all;
	return 0;
}
