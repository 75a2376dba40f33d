#include "engine/signals.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/units.h"

struct signal_entry {
	const char *name; /* without the "SIG" prefix */
	int number;
};

/* Canonical names come before their aliases (IOT, CLD, POLL), so signal_name() finds them. */
static const struct signal_entry signal_table[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL},     {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},     {"TERM", SIGTERM},
#ifdef SIGSTKFLT
    {"STKFLT", SIGSTKFLT},
#endif
    {"CHLD", SIGCHLD},     {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},
#ifdef SIGPWR
    {"PWR", SIGPWR},
#endif
    {"SYS", SIGSYS},       {"IOT", SIGIOT},       {"CLD", SIGCHLD},  {"POLL", SIGPOLL},
};

#define SIGNAL_TABLE_LEN (sizeof(signal_table) / sizeof(signal_table[0]))

/* "" or "+N"/"-N" after RTMIN/RTMAX: *offset = N (0 if empty), sign-checked by the caller. */
static int parse_rt_offset(const char *s, char want_sign, int *offset)
{
	uint64_t n;

	if (*s == '\0') {
		*offset = 0;
		return 0;
	}
	if (*s != want_sign || parse_uint64(s + 1, &n) != 0 || n > (uint64_t)(SIGRTMAX - SIGRTMIN))
		return -1;
	*offset = (int)n;
	return 0;
}

/* "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N" (already without "SIG"). */
static int parse_rt_name(const char *name)
{
	int offset;

	if (strncasecmp(name, "RTMIN", 5) == 0 && parse_rt_offset(name + 5, '+', &offset) == 0)
		return SIGRTMIN + offset;
	if (strncasecmp(name, "RTMAX", 5) == 0 && parse_rt_offset(name + 5, '-', &offset) == 0)
		return SIGRTMAX - offset;
	return -1;
}

static int parse_signal_number(const char *s)
{
	uint64_t n;

	if (parse_uint64(s, &n) != 0 || n < 1 || n > (uint64_t)SIGRTMAX)
		return -1;
	return (int)n;
}

int signal_parse(const char *s)
{
	const char *name = s;
	size_t i;

	if (s == NULL || *s == '\0')
		return -1;
	if (isdigit((unsigned char)*s))
		return parse_signal_number(s);
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < SIGNAL_TABLE_LEN; i++) {
		if (strcasecmp(name, signal_table[i].name) == 0)
			return signal_table[i].number;
	}
	return parse_rt_name(name);
}

/* Returns buf, or NULL if the text did not fit. */
static const char *fit(char *buf, size_t len, int written)
{
	return (written >= 0 && (size_t)written < len) ? buf : NULL;
}

const char *signal_name(int sig, char *buf, size_t len)
{
	size_t i;

	if (buf == NULL || len == 0 || sig < 1 || sig > SIGRTMAX)
		return NULL;
	for (i = 0; i < SIGNAL_TABLE_LEN; i++) {
		if (signal_table[i].number == sig)
			return fit(buf, len, snprintf(buf, len, "SIG%s", signal_table[i].name));
	}
	if (sig < SIGRTMIN)
		return fit(buf, len, snprintf(buf, len, "%d", sig));
	if (sig == SIGRTMIN)
		return fit(buf, len, snprintf(buf, len, "SIGRTMIN"));
	if (sig == SIGRTMAX)
		return fit(buf, len, snprintf(buf, len, "SIGRTMAX"));
	if (sig - SIGRTMIN <= SIGRTMAX - sig)
		return fit(buf, len, snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN));
	return fit(buf, len, snprintf(buf, len, "SIGRTMAX-%d", SIGRTMAX - sig));
}
