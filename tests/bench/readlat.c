/* Read latency of files, as a program sees it: open + read to EOF + close, timed with
 * CLOCK_MONOTONIC, no process start in the loop (bench_lxcfs.sh).
 *
 *   readlat ITERATIONS FILE...   one line per file: "FILE median_us p99_us bytes"
 *   readlat 1 FILE               the first read's time ("FILE us bytes"), e.g. in a new
 *                                container
 * Files are read in turn (a round of every file, ITERATIONS rounds), so a slow moment of the
 * machine hits them alike. Exits 1 if a read fails or returns an empty file.
 *
 * A FILE given as eof:PATH is opened and read once, then each round times one read at its
 * end (one FUSE round trip the daemon answers from the open handle: the floor of a read). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One timed read; the byte count, or -1. */
static long read_once(const char *path, double *us)
{
	static char buf[1 << 20];
	double t0 = now_us();
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	long total = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	*us = now_us() - t0;
	return n < 0 ? -1 : total;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: readlat ITERATIONS FILE...\n");
		return 2;
	}
	int iters = atoi(argv[1]), nfiles = argc - 2;
	if (iters < 1) {
		fprintf(stderr, "readlat: ITERATIONS must be >= 1, got %s\n", argv[1]);
		return 2;
	}
	double *t = calloc((size_t)iters * nfiles, sizeof(double));
	long *bytes = calloc((size_t)nfiles, sizeof(long));
	if (!t || !bytes)
		return 1;
	int *eof_fd = calloc((size_t)nfiles, sizeof(int));
	if (!eof_fd)
		return 1;
	for (int f = 0; f < nfiles; f++) {
		eof_fd[f] = -1;
		if (strncmp(argv[2 + f], "eof:", 4) != 0)
			continue;
		static char buf[1 << 16];
		eof_fd[f] = open(argv[2 + f] + 4, O_RDONLY | O_CLOEXEC);
		ssize_t n;
		while (eof_fd[f] >= 0 && (n = read(eof_fd[f], buf, sizeof(buf))) > 0)
			bytes[f] += n;
		if (eof_fd[f] < 0 || bytes[f] <= 0) {
			fprintf(stderr, "readlat: %s: cannot read\n", argv[2 + f] + 4);
			return 1;
		}
	}
	for (int i = 0; i < iters; i++) {
		for (int f = 0; f < nfiles; f++) {
			if (eof_fd[f] >= 0) {
				char c;
				double t0 = now_us();
				if (pread(eof_fd[f], &c, 1, bytes[f]) != 0) {
					fprintf(stderr, "readlat: %s: no end of file\n",
					        argv[2 + f]);
					return 1;
				}
				t[(size_t)f * iters + i] = now_us() - t0;
				continue;
			}
			bytes[f] = read_once(argv[2 + f], &t[(size_t)f * iters + i]);
			if (bytes[f] <= 0) {
				fprintf(stderr, "readlat: %s: %s\n", argv[2 + f],
				        bytes[f] < 0 ? "read failed" : "empty");
				return 1;
			}
		}
	}
	for (int f = 0; f < nfiles; f++) {
		double *v = &t[(size_t)f * iters];
		if (iters == 1) {
			printf("%s %.1f %ld\n", argv[2 + f], v[0], bytes[f]);
			continue;
		}
		qsort(v, (size_t)iters, sizeof(double), cmp);
		double med = iters % 2 ? v[iters / 2] : (v[iters / 2 - 1] + v[iters / 2]) / 2;
		printf("%s %.1f %.1f %ld\n", argv[2 + f], med, v[(size_t)(iters * 0.99)], bytes[f]);
	}
	for (int f = 0; f < nfiles; f++) {
		if (eof_fd[f] >= 0)
			close(eof_fd[f]);
	}
	free(eof_fd);
	free(t);
	free(bytes);
	return 0;
}
