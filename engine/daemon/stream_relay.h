/* Copies between a hijacked client connection and a process's stdio, Docker style: raw bytes
 * for a tty, otherwise stdout/stderr framed as 8-byte headers [stream,0,0,0,size BE32] plus
 * payload. Ctrl-P Ctrl-Q from the client detaches (the process keeps running). */
#ifndef ENGINE_STREAM_RELAY_H
#define ENGINE_STREAM_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct relay_fds {
	int sock;             /* the client */
	int in_fd;            /* process stdin (pipe write end or pty master), -1: none */
	int out_fd;           /* process stdout (pipe read end or pty master), -1: none */
	int err_fd;           /* process stderr (pipe read end), -1: none */
	bool tty;             /* out_fd is a pty master: raw copy, EIO means the end */
	bool close_in_on_eof; /* the client's end of input closes in_fd (pipes) */
};

enum relay_end { RELAY_DONE, RELAY_DETACHED, RELAY_CLIENT_GONE };

/* Runs until the process's output ends (and has been sent), the client detaches or leaves.
 * early: bytes the client sent before the hijack. Closes no fd but in_fd at the client's end
 * of input with close_in_on_eof (then sets f->in_fd to -1). */
enum relay_end relay_run(struct relay_fds *f, const char *early, size_t early_len);

/* The client → process half alone, in a thread of its own (for callers that produce the
 * output themselves). stop waits for it and tells whether the client detached. */
struct relay_input;
struct relay_input *relay_input_start(struct relay_fds *f, const char *early, size_t early_len);
bool relay_input_stop(struct relay_input *in);

/* One chunk of output to the client: raw for a tty, else framed as stream 1 or 2. 0 or -1. */
int relay_send_output(int sock, bool tty, int stream, const char *data, size_t n);

/* Scans client input for the detach sequence Ctrl-P Ctrl-Q (may span reads: *state carries
 * the half-seen sequence). Returns the number of bytes of buf to forward, or -1 to detach. */
ssize_t relay_detach_scan(const char *buf, size_t len, int *state);

#endif
