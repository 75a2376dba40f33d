/* Test helper: bpf-devices attach CGDIR [--exclusive] RULE... attaches a device program of
 * the rules to a cgroup2 directory (--exclusive: without BPF_F_ALLOW_MULTI, so nothing can be
 * attached below it); bpf-devices count CGDIR prints how many device programs it holds. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host/bpf_devices.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr,
		        "usage: bpf-devices attach CGDIR [--exclusive] RULE... | count CGDIR\n");
		return 2;
	}
	int fd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	if (strcmp(argv[1], "count") == 0) {
		int n = bpf_devices_count(fd);
		if (n < 0) {
			perror("BPF_PROG_QUERY");
			return 1;
		}
		printf("%d\n", n);
		return 0;
	}
	int i = 3;
	unsigned flags = BPF_F_ALLOW_MULTI;
	if (i < argc && strcmp(argv[i], "--exclusive") == 0) {
		flags = 0;
		i++;
	}
	struct device_rule rules[64];
	size_t n = 0;
	char err[512];
	for (; i < argc && n < 64; i++) {
		if (device_rule_parse(argv[i], &rules[n++], err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
	}
	if (bpf_devices_attach(fd, rules, n, flags, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	return 0;
}
