#include "loadavg_calc.h"

#include <string.h>

/* 2048 / exp(5 s / 1 min), / exp(5 s / 5 min), / exp(5 s / 15 min): the kernel's constants. */
static const unsigned long exp_of[3] = {1884, 2014, 2037};

static unsigned long calc(unsigned long load, unsigned long e, unsigned long active)
{
	unsigned long next = load * e + active * (LOADAVG_FIXED_1 - e);
	/* Rounded up while rising, as the kernel does, so that a steady load is reached. */
	if (active >= load)
		next += LOADAVG_FIXED_1 - 1;
	return next / LOADAVG_FIXED_1;
}

void load_avg_step(struct load_avg *l, unsigned active)
{
	unsigned long a = (unsigned long)active * LOADAVG_FIXED_1;
	for (int i = 0; i < 3; i++)
		l->avg[i] = calc(l->avg[i], exp_of[i], a);
}

static void put_avg(struct strbuf *out, unsigned long x, const char *sep)
{
	/* The kernel's LOAD_INT and LOAD_FRAC, after adding 1/200 to round to 2 places. */
	x += LOADAVG_FIXED_1 / 200;
	unsigned long whole = x >> LOADAVG_FSHIFT;
	unsigned long frac = ((x & (LOADAVG_FIXED_1 - 1)) * 100) >> LOADAVG_FSHIFT;
	strbuf_printf(out, "%lu.%02lu%s", whole, frac, sep);
}

void load_avg_render(const struct load_avg *l, unsigned running, unsigned total, long last_pid,
                     struct strbuf *out)
{
	strbuf_reset(out);
	put_avg(out, l->avg[0], " ");
	put_avg(out, l->avg[1], " ");
	put_avg(out, l->avg[2], " ");
	strbuf_printf(out, "%u/%u %ld\n", running, total, last_pid);
}

char proc_stat_state(const char *stat)
{
	/* The command may hold ") ": the last one ends it. */
	const char *p = stat ? strrchr(stat, ')') : NULL;
	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return 0;
	return p[2];
}
