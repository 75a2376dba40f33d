/* logs: a container's output, demultiplexed (stdout to stdout, stderr to stderr). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "core/fileutil.h"
#include "engine/json_log.h"
#include "core/units.h"

enum { G_HOST, G_HELP, G_FOLLOW, G_TAIL, G_TIMESTAMPS, G_SINCE, G_UNTIL, G_COUNT };

static const struct cli_option g_opts[G_COUNT] = {
    [G_HOST] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
    [G_HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
    [G_FOLLOW] = {"follow", 'f', CLI_BOOL, NULL, "Follow log output"},
    [G_TAIL] = {"tail", 0, CLI_STRING, "N",
                "Number of lines to show from the end of the logs (default all)"},
    [G_TIMESTAMPS] = {"timestamps", 't', CLI_BOOL, NULL, "Show timestamps"},
    [G_SINCE] = {"since", 0, CLI_STRING, "TIME",
                 "Show logs since a time (RFC 3339 like 2024-01-02T15:04:05Z, UNIX "
                 "seconds, or a duration back from now like 10m)"},
    [G_UNTIL] = {"until", 0, CLI_STRING, "TIME", "Show logs before a time (same forms)"},
};

#define USAGE "isula logs [OPTIONS] CONTAINER"
#define OUT_BUF (64 * 1024)

/* --since/--until to the API's "seconds.nanoseconds". */
static int convert_time(const char *flag, const char *v, char *out, size_t len)
{
	struct timespec ts;
	int64_t ms;
	if (json_log_parse_time(v, strlen(v), &ts) == 0) {
		snprintf(out, len, "%lld.%09ld", (long long)ts.tv_sec, (long)ts.tv_nsec);
		return 0;
	}
	size_t digits = strspn(v, "0123456789");
	if (digits > 0 && (v[digits] == '\0' ||
	                   (v[digits] == '.' && v[digits + 1] &&
	                    strspn(v + digits + 1, "0123456789") == strlen(v + digits + 1)))) {
		snprintf(out, len, "%s", v);
		return 0;
	}
	if (parse_duration_ms(v, &ms) == 0 && digits < strlen(v)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		int64_t t = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - ms;
		snprintf(out, len, "%lld.%03lld000000", (long long)(t / 1000),
		         (long long)(t % 1000));
		return 0;
	}
	fprintf(stderr,
	        "Invalid value %s for flag --%s: expected an RFC 3339 time "
	        "(2006-01-02T15:04:05Z), UNIX seconds, or a duration like 10m\n",
	        v, flag);
	return -1;
}

static int build_path(struct cli_values *v, const char *name, char *path, size_t len)
{
	char since[64] = "", until[64] = "";
	const char *tail = cli_string(v, G_TAIL);
	int64_t n;
	if (tail && strcmp(tail, "all") != 0 && (parse_int64(tail, &n) < 0 || n < 0)) {
		fprintf(stderr,
		        "Invalid value %s for flag --tail: expected a number of lines >= 0 "
		        "or all\n",
		        tail);
		return -1;
	}
	if ((cli_string(v, G_SINCE) &&
	     convert_time("since", cli_string(v, G_SINCE), since, sizeof(since)) < 0) ||
	    (cli_string(v, G_UNTIL) &&
	     convert_time("until", cli_string(v, G_UNTIL), until, sizeof(until)) < 0))
		return -1;
	char *esc = url_escape(name);
	snprintf(path, len,
	         "/containers/%s/logs?stdout=1&stderr=1&follow=%d&timestamps=%d%s%s%s%s%s%s",
	         esc ? esc : name, cli_bool(v, G_FOLLOW), cli_bool(v, G_TIMESTAMPS),
	         tail ? "&tail=" : "", tail ? tail : "", *since ? "&since=" : "", since,
	         *until ? "&until=" : "", until);
	free(esc);
	return 0;
}

struct demux {
	unsigned char hdr[8];
	size_t hdr_have;
	size_t left; /* payload bytes left in the current frame */
	int fd;      /* where the current frame goes */
	char out[OUT_BUF];
	size_t out_len;
	int out_fd;
};

static int flush_out(struct demux *d)
{
	int ret = d->out_len ? fd_write_all(d->out_fd, d->out, d->out_len) : 0;
	d->out_len = 0;
	return ret;
}

/* Output is gathered per fd, so a long log costs few writes. */
static int emit(struct demux *d, int fd, const char *p, size_t n)
{
	if (fd != d->out_fd || d->out_len + n > OUT_BUF) {
		if (flush_out(d) < 0)
			return -1;
		d->out_fd = fd;
	}
	if (n >= OUT_BUF)
		return fd_write_all(fd, p, n);
	memcpy(d->out + d->out_len, p, n);
	d->out_len += n;
	return 0;
}

static int demux(struct demux *d, const char *p, size_t n)
{
	while (n > 0) {
		if (d->left == 0) {
			size_t take = 8 - d->hdr_have < n ? 8 - d->hdr_have : n;
			memcpy(d->hdr + d->hdr_have, p, take);
			d->hdr_have += take;
			p += take;
			n -= take;
			if (d->hdr_have < 8)
				break;
			d->hdr_have = 0;
			d->left = (size_t)d->hdr[4] << 24 | (size_t)d->hdr[5] << 16 |
			          (size_t)d->hdr[6] << 8 | d->hdr[7];
			d->fd = d->hdr[0] == 2 ? 2 : 1;
			continue;
		}
		size_t take = d->left < n ? d->left : n;
		if (emit(d, d->fd, p, take) < 0)
			return -1;
		d->left -= take;
		p += take;
		n -= take;
	}
	return 0;
}

static int read_logs(struct http_conn *conn)
{
	bool mux = strstr(conn->content_type, "vnd.docker.raw-stream") ||
	           strstr(conn->content_type, "vnd.docker.multiplexed-stream");
	struct demux *d = calloc(1, sizeof(*d));
	char *buf = malloc(OUT_BUF);
	int ret = -1;
	if (!d || !buf)
		goto out;
	d->out_fd = 1;
	for (;;) {
		ssize_t n = http_read_body(conn, buf, OUT_BUF);
		if (n <= 0) {
			ret = n == 0 ? 0 : -1;
			break;
		}
		if ((mux ? demux(d, buf, (size_t)n) : emit(d, 1, buf, (size_t)n)) < 0)
			break;
		/* Followed output shows up as it comes: flush before a read that would wait. */
		struct pollfd p = {.fd = conn->fd, .events = POLLIN};
		if (poll(&p, 1, 0) == 0 && flush_out(d) < 0)
			break;
	}
	if (flush_out(d) < 0)
		ret = -1;
out:
	free(d);
	free(buf);
	return ret;
}

int cmd_logs(struct client *cl, int argc, char **argv)
{
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, USAGE, g_opts, G_COUNT, G_HELP, G_HOST, argc,
	                                           argv, false, 1, &code);
	if (!v)
		return code;
	char path[2048];
	if (cli_npositional(v) != 1) {
		fprintf(stderr, "\"isula logs\" requires exactly 1 argument.\nUsage:  %s\n", USAGE);
		cli_values_free(v);
		return 1;
	}
	if (build_path(v, cli_positional(v, 0), path, sizeof(path)) < 0) {
		cli_values_free(v);
		return EXIT_DAEMON_ERROR;
	}
	cli_values_free(v);
	struct http_conn *conn = malloc(sizeof(*conn));
	if (!conn || api_open_ok(cl, "GET", path, NULL, conn) < 0) {
		free(conn);
		return EXIT_DAEMON_ERROR;
	}
	if (read_logs(conn) < 0) {
		if (errno != EPIPE)
			fprintf(stderr, "Error: lost the connection to the daemon: %s\n",
			        strerror(errno));
		code = EXIT_DAEMON_ERROR;
	}
	http_close(conn);
	free(conn);
	return code;
}
