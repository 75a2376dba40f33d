/* Signal names and numbers as `isula kill -s` and `--stop-signal` accept them. */
#ifndef LIB_ENGINE_SIGNALS_H
#define LIB_ENGINE_SIGNALS_H

#include <stddef.h>

/*
 * "9", "KILL", "SIGKILL", "kill" (names are case-insensitive), "SIGRTMIN+3", "RTMIN+3",
 * "RTMAX-1", "RTMIN", "RTMAX". Numbers must be 1..SIGRTMAX; real-time offsets must stay within
 * SIGRTMIN..SIGRTMAX. Returns the signal number or -1.
 */
int signal_parse(const char *s);

/*
 * Writes the canonical name of sig into buf and returns buf: "SIGKILL", "SIGRTMIN+3",
 * "SIGRTMAX-1" (real-time signals use whichever end is nearer, like `kill -l`), or the decimal
 * number for a valid signal without a name (32 and 33 under glibc). signal_parse() accepts
 * every result. Returns NULL if sig is outside 1..SIGRTMAX or buf is too small.
 */
const char *signal_name(int sig, char *buf, size_t len);

#endif
