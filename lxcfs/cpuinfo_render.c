#include "cpuinfo_render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

unsigned cpuset_count(const struct cpuset *s)
{
	unsigned n = 0;
	for (size_t i = 0; i < CPUSET_MAX / 64; i++)
		n += (unsigned)__builtin_popcountll(s->bits[i]);
	return n;
}

/* The line's key: the text before ':' without the padding tabs and spaces. */
static bool line_key_is(const char *line, size_t len, const char *key)
{
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return false;
	size_t k = (size_t)(colon - line);
	while (k > 0 && (line[k - 1] == '\t' || line[k - 1] == ' '))
		k--;
	return k == strlen(key) && memcmp(line, key, k) == 0;
}

/* Writes the line with its value (after ": ") replaced by v. */
static void put_with_value(struct strbuf *out, const char *line, size_t len, unsigned v)
{
	const char *colon = memchr(line, ':', len);
	size_t keep = (size_t)(colon - line) + 1;
	strbuf_printf(out, "%.*s %u\n", (int)keep, line, v);
}

unsigned cpuinfo_render(const char *host_cpuinfo, const struct cpuset *cpus, struct strbuf *out)
{
	bool in_block = false, keep = true;
	unsigned next = 0, cur = 0;
	struct cpuset shown = {0}; /* a cpu's block is kept once, however often the text has it */
	for (const char *p = host_cpuinfo; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *line = p;
		p = nl ? nl + 1 : NULL;
		if (line_key_is(line, len, "processor")) {
			const char *colon = memchr(line, ':', len);
			char *end;
			unsigned long host_cpu = strtoul(colon + 1, &end, 10);
			in_block = true;
			keep = end != colon + 1 && host_cpu < CPUSET_MAX &&
			       cpuset_has(cpus, (unsigned)host_cpu) &&
			       !cpuset_has(&shown, (unsigned)host_cpu);
			if (keep) {
				shown.bits[host_cpu / 64] |= UINT64_C(1) << (host_cpu % 64);
				cur = next++;
				put_with_value(out, line, len, cur);
			}
			continue;
		}
		if (in_block && !keep)
			continue;
		if (in_block && line_key_is(line, len, "physical id"))
			put_with_value(out, line, len, cur);
		else if (in_block && (line_key_is(line, len, "siblings") ||
		                      line_key_is(line, len, "cpu cores")))
			put_with_value(out, line, len, 1);
		else if (in_block && line_key_is(line, len, "core id"))
			put_with_value(out, line, len, 0);
		else
			strbuf_printf(out, "%.*s\n", (int)len, line);
	}
	return next;
}

void cpu_online_render(unsigned n, struct strbuf *out)
{
	if (n <= 1)
		strbuf_puts(out, "0\n");
	else
		strbuf_printf(out, "0-%u\n", n - 1);
}
