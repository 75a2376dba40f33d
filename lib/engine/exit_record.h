/* The record a container's monitor leaves when the container's init exits, read back by the
 * daemon (possibly a later daemon, if the one that started the container is gone). */
#ifndef LIB_ENGINE_EXIT_RECORD_H
#define LIB_ENGINE_EXIT_RECORD_H

#include <stdbool.h>
#include <time.h>

#define EXIT_RECORD_FILE "exit.json"
#define EXIT_TARGET_FILE "lxc-target"
/* The monitor's own stdout/stderr in the state dir (never the container's log). */
#define MONITOR_LOG_FILE "monitor.log"

struct exit_record {
	int exit_code; /* exit status, or 128+signal; reboot 129, halt 130 */
	bool reboot;   /* the init asked for a reboot */
	bool started;  /* liblxc reported a successful start */
	struct timespec finished_at;
};

/* Docker's exit code of an init's wait status: the exit code, or 128+signal. liblxc reports a
 * killed init as (signal << 8 | 0x7f), the shape of a stop status: taken as the signal too. */
int exit_record_code(int status);
int exit_record_write(const char *state_dir, const struct exit_record *rec);
/* 0 when a record exists and parses, -1 otherwise. */
int exit_record_read(const char *state_dir, struct exit_record *rec);
/* Removes the record and the lxc target marker before a new start. */
void exit_record_clear(const char *state_dir);

#endif
