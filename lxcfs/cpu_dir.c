#include "cpu_dir.h"

#include <stdio.h>
#include <string.h>

#include "cpuinfo_render.h"

bool sys_name_ok(const char *name)
{
	size_t len = strnlen(name, 256);
	return len > 0 && len < 256 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
	       !memchr(name, '/', len);
}

bool cpu_dir_cpu_number(const char *name, unsigned *n)
{
	if (strncmp(name, "cpu", 3) != 0 || name[3] < '0' || name[3] > '9')
		return false;
	const char *d = name + 3;
	if (d[0] == '0' && d[1] != '\0')
		return false;
	unsigned v = 0;
	for (; *d; d++) {
		if (*d < '0' || *d > '9')
			return false;
		v = v * 10 + (unsigned)(*d - '0');
		if (v >= CPUSET_MAX)
			return false;
	}
	*n = v;
	return true;
}

bool cpu_dir_names_cpu(const char *name)
{
	return strncmp(name, "cpu", 3) == 0 && name[3] >= '0' && name[3] <= '9';
}

bool cpu_dir_host_name(const char *visible, const struct cpuset *set, char *host, size_t len)
{
	if (!sys_name_ok(visible) || strcmp(visible, "online") == 0)
		return false;
	unsigned k;
	if (!cpu_dir_names_cpu(visible)) {
		return (size_t)snprintf(host, len, "%s", visible) < len;
	}
	if (!cpu_dir_cpu_number(visible, &k))
		return false;
	if (!set)
		return (size_t)snprintf(host, len, "cpu%u", k) < len;
	/* The k-th cpu of the set. */
	for (unsigned cpu = 0, seen = 0; cpu < CPUSET_MAX; cpu++) {
		if (cpuset_has(set, cpu) && seen++ == k)
			return (size_t)snprintf(host, len, "cpu%u", cpu) < len;
	}
	return false;
}

bool cpu_dir_visible_name(const char *host_name, const struct cpuset *set, char *visible,
                          size_t len)
{
	if (!sys_name_ok(host_name) || strcmp(host_name, "online") == 0)
		return false;
	unsigned n;
	if (!cpu_dir_names_cpu(host_name))
		return (size_t)snprintf(visible, len, "%s", host_name) < len;
	if (!cpu_dir_cpu_number(host_name, &n))
		return false;
	if (!set)
		return (size_t)snprintf(visible, len, "cpu%u", n) < len;
	if (!cpuset_has(set, n))
		return false;
	/* Its place in the set. */
	unsigned k = 0;
	for (unsigned cpu = 0; cpu < n; cpu++)
		k += (unsigned)cpuset_has(set, cpu);
	return (size_t)snprintf(visible, len, "cpu%u", k) < len;
}
