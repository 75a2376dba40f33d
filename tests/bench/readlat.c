/* Read latency of files, as a program sees it: open + read to EOF + close, timed with
 * CLOCK_MONOTONIC, no process start in the loop (bench_lxcfs.sh).
 *
 *   readlat ITERATIONS FILE...   one line per file: "FILE median_us p99_us bytes"
 *   readlat 1 FILE               the first read's time ("FILE us bytes"), e.g. in a new
 *                                container
 * Files are read in turn (a round of every file, ITERATIONS rounds), so a slow moment of the
 * machine hits them alike. Exits 1 if a read fails or returns an empty file. */
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
	for (int i = 0; i < iters; i++) {
		for (int f = 0; f < nfiles; f++) {
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
	free(t);
	free(bytes);
	return 0;
}
