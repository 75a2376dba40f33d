#include "host/bpf_devices.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int parse_number(const char *s, size_t len, int64_t *out)
{
	if (len == 1 && s[0] == '*') {
		*out = DEVICE_ANY;
		return 0;
	}
	if (len == 0 || len > 10)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

int device_rule_parse(const char *text, struct device_rule *out, char *err, size_t errlen)
{
	if (strcmp(text, "a") == 0) {
		*out = (struct device_rule){DEVICE_TYPE_ALL, DEVICE_ANY, DEVICE_ANY,
		                            DEVICE_ACC_MKNOD | DEVICE_ACC_READ | DEVICE_ACC_WRITE};
		return 0;
	}
	struct device_rule r = {0};
	const char *p = text;
	switch (*p) {
	case 'a':
		r.type = DEVICE_TYPE_ALL;
		break;
	case 'b':
		r.type = DEVICE_TYPE_BLOCK;
		break;
	case 'c':
		r.type = DEVICE_TYPE_CHAR;
		break;
	default:
		goto bad;
	}
	if (p[1] != ' ')
		goto bad;
	p += 2;
	const char *colon = strchr(p, ':');
	const char *space = colon ? strchr(colon, ' ') : NULL;
	if (!colon || !space || parse_number(p, (size_t)(colon - p), &r.major) < 0 ||
	    parse_number(colon + 1, (size_t)(space - colon - 1), &r.minor) < 0)
		goto bad;
	for (p = space + 1; *p; p++) {
		int bit = *p == 'r'   ? DEVICE_ACC_READ
		          : *p == 'w' ? DEVICE_ACC_WRITE
		          : *p == 'm' ? DEVICE_ACC_MKNOD
		                      : 0;
		if (!bit || (r.access & bit))
			goto bad;
		r.access |= bit;
	}
	if (!r.access)
		goto bad;
	*out = r;
	return 0;
bad:
	snprintf(err, errlen,
	         "invalid device rule \"%s\": expected \"a\" or \"TYPE MAJOR:MINOR ACCESS\" "
	         "(TYPE a, b or c; MAJOR and MINOR a number or *; ACCESS of r, w, m)",
	         text);
	return -1;
}

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){
	    .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

/* Registers: the context arrives in r1; r2 holds the access, r3 the type, r4 the major and
 * r5 the minor; r1 is scratch once they are loaded. */
enum { R0, R1, R2, R3, R4, R5 };
#define ALL_ACCESS (DEVICE_ACC_MKNOD | DEVICE_ACC_READ | DEVICE_ACC_WRITE)
/* Instructions of one rule's block at most: 4 tests (the access one is 3) and the allow. */
#define BLOCK_MAX 8

/* One rule: each test jumps past the block when it does not match (JMP32 compares the low 32
 * bits, so majors and minors above INT32_MAX compare right); the last two allow. */
static size_t compile_rule(const struct device_rule *r, struct bpf_insn *out)
{
	size_t n = 0;
	size_t jumps[BLOCK_MAX];
	size_t n_jumps = 0;
	if (r->type != DEVICE_TYPE_ALL) {
		jumps[n_jumps++] = n;
		out[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, R3, 0, 0, r->type);
	}
	if ((r->access & ALL_ACCESS) != ALL_ACCESS) {
		/* Denied when the request has a bit the rule does not grant. */
		out[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, R1, R2, 0, 0);
		out[n++] = insn(BPF_ALU64 | BPF_AND | BPF_K, R1, 0, 0, ~r->access & ALL_ACCESS);
		jumps[n_jumps++] = n;
		out[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, R1, 0, 0, 0);
	}
	if (r->major != DEVICE_ANY) {
		jumps[n_jumps++] = n;
		out[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, R4, 0, 0, (int32_t)(uint32_t)r->major);
	}
	if (r->minor != DEVICE_ANY) {
		jumps[n_jumps++] = n;
		out[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, R5, 0, 0, (int32_t)(uint32_t)r->minor);
	}
	out[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 1);
	out[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (size_t i = 0; i < n_jumps; i++)
		out[jumps[i]].off = (int16_t)(n - jumps[i] - 1);
	return n;
}

struct bpf_insn *bpf_devices_compile(const struct device_rule *rules, size_t n_rules, size_t *n)
{
	enum { PROLOGUE = 6, EPILOGUE = 2 };
	struct bpf_insn *p = calloc(PROLOGUE + n_rules * BLOCK_MAX + EPILOGUE, sizeof(*p));
	if (!p)
		return NULL;
	size_t k = 0;
	/* struct bpf_cgroup_dev_ctx: access_type (type | access << 16), major, minor. */
	p[k++] = insn(BPF_LDX | BPF_MEM | BPF_W, R2, R1, 0, 0);
	p[k++] = insn(BPF_LDX | BPF_MEM | BPF_W, R4, R1, 4, 0);
	p[k++] = insn(BPF_LDX | BPF_MEM | BPF_W, R5, R1, 8, 0);
	p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, R3, R2, 0, 0);
	p[k++] = insn(BPF_ALU64 | BPF_AND | BPF_K, R3, 0, 0, 0xffff);
	p[k++] = insn(BPF_ALU64 | BPF_RSH | BPF_K, R2, 0, 0, 16);
	bool allow_all = false;
	for (size_t i = 0; i < n_rules && !allow_all; i++) {
		size_t len = compile_rule(&rules[i], p + k);
		k += len;
		/* A rule without tests allows everything: what follows could never run, and the
		 * verifier refuses unreachable instructions. */
		allow_all = len == 2;
	}
	if (!allow_all) {
		p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 0);
		p[k++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	*n = k;
	return p;
}

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load(const struct bpf_insn *prog, size_t n, char *log, size_t logsize)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t) "GPL";
	if (log) {
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = (uint32_t)logsize;
		a.log_level = 1;
	}
	return (int)bpf(BPF_PROG_LOAD, &a);
}

/* The loaded program of the rules: its fd, or -1 with err (the verifier's complaint
 * included when it refused the program). */
static int load_rules(const struct device_rule *rules, size_t n_rules, char *err, size_t errlen)
{
	size_t n;
	struct bpf_insn *prog = bpf_devices_compile(rules, n_rules, &n);
	if (!prog) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int fd = load(prog, n, NULL, 0);
	if (fd < 0) {
		int e = errno;
		/* Again with the verifier's log, for the message. */
		char log[512] = "";
		int fd2 = load(prog, n, log, sizeof(log));
		if (fd2 >= 0)
			close(fd2);
		log[strcspn(log, "\n")] = '\0';
		snprintf(err, errlen, "cannot load the BPF device program: %s%s%s", strerror(e),
		         log[0] ? ": " : "", log);
	}
	free(prog);
	return fd;
}

static int attach_fd(int cgroup_fd, int prog_fd, unsigned flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgroup_fd;
	a.attach_bpf_fd = (uint32_t)prog_fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = flags;
	return (int)bpf(BPF_PROG_ATTACH, &a);
}

int bpf_devices_attach(int cgroup_fd, const struct device_rule *rules, size_t n_rules,
                       unsigned flags, char *err, size_t errlen)
{
	int fd = load_rules(rules, n_rules, err, errlen);
	if (fd < 0)
		return -1;
	int ret = attach_fd(cgroup_fd, fd, flags);
	if (ret < 0)
		snprintf(err, errlen, "cannot attach the BPF device program: %s", strerror(errno));
	/* The attachment holds the program; it goes with the cgroup. */
	close(fd);
	return ret < 0 ? -1 : 0;
}

int bpf_devices_ids(int cgroup_fd, uint32_t *ids, size_t max)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)cgroup_fd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (uint64_t)(uintptr_t)ids;
	a.query.prog_cnt = (uint32_t)max;
	if (bpf(BPF_PROG_QUERY, &a) < 0)
		return -1; /* ENOSPC: more than max */
	return (int)a.query.prog_cnt;
}

/* Detaches the program of id from the cgroup. 0, or -1 with errno. */
static int detach_id(int cgroup_fd, uint32_t id)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	int fd = (int)bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgroup_fd;
	a.attach_bpf_fd = (uint32_t)fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	int ret = (int)bpf(BPF_PROG_DETACH, &a);
	int saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

int bpf_devices_replace(int cgroup_fd, const struct device_rule *rules, size_t n_rules, char *err,
                        size_t errlen)
{
	uint32_t old[BPF_DEVICES_MAX_PROGS];
	int n_old = bpf_devices_ids(cgroup_fd, old, BPF_DEVICES_MAX_PROGS);
	if (n_old < 0) {
		snprintf(err, errlen, "cannot list the cgroup's BPF device programs: %s",
		         strerror(errno));
		return -1;
	}
	int fd = load_rules(rules, n_rules, err, errlen);
	if (fd < 0)
		return -1;
	int ret = attach_fd(cgroup_fd, fd, BPF_F_ALLOW_MULTI);
	close(fd);
	if (ret < 0) {
		snprintf(err, errlen, "cannot attach the BPF device program: %s", strerror(errno));
		return -1;
	}
	/* Until the old ones are gone both apply: the cgroup is never less confined than either
	 * set of rules. A failure leaves the new one in place (stricter, never looser). */
	for (int i = 0; i < n_old; i++) {
		if (detach_id(cgroup_fd, old[i]) < 0 && errno != ENOENT) {
			snprintf(err, errlen, "cannot detach the old BPF device program %u: %s",
			         old[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

int bpf_devices_count(int cgroup_fd)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)cgroup_fd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	if (bpf(BPF_PROG_QUERY, &a) < 0)
		return -1;
	return (int)a.query.prog_cnt;
}
