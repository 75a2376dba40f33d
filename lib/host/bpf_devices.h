/* Device confinement on cgroup v2: the v1 devices controller's rules ("c 1:3 rwm") compiled
 * into a BPF_PROG_TYPE_CGROUP_DEVICE program and attached to a cgroup. The program allows an
 * access only when one rule grants all of it; everything else is denied (the v1 "deny a"
 * default). */
#ifndef LIB_HOST_BPF_DEVICES_H
#define LIB_HOST_BPF_DEVICES_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#define DEVICE_ANY (-1)

/* Access bits as the kernel passes them to the program (BPF_DEVCG_ACC_*). */
enum { DEVICE_ACC_MKNOD = 1, DEVICE_ACC_READ = 2, DEVICE_ACC_WRITE = 4 };
/* Types as the kernel passes them (BPF_DEVCG_DEV_*); DEVICE_TYPE_ALL is the rule "a". */
enum { DEVICE_TYPE_ALL = 0, DEVICE_TYPE_BLOCK = 1, DEVICE_TYPE_CHAR = 2 };

struct device_rule {
	int type;      /* DEVICE_TYPE_* */
	int64_t major; /* DEVICE_ANY or 0..UINT32_MAX */
	int64_t minor;
	int access; /* DEVICE_ACC_* bits, non-zero */
};

/* Parses one allow rule in the v1 devices.allow syntax: "a", or "TYPE MAJ:MIN ACCESS" with
 * TYPE one of a b c, MAJ and MIN a number or "*", ACCESS a non-empty subset of "rwm".
 * 0, or -1 with err naming the rule. */
int device_rule_parse(const char *text, struct device_rule *out, char *err, size_t errlen);

/* The program for the rules (malloc'd, *n instructions), or NULL (out of memory). */
struct bpf_insn *bpf_devices_compile(const struct device_rule *rules, size_t n_rules, size_t *n);

/* Loads the program of the rules and attaches it to the cgroup directory cgroup_fd with flags
 * (BPF_F_ALLOW_MULTI: every program on the path must allow an access; 0: none may be added
 * below). 0, or -1 with err (the kernel verifier's complaint included when it refused the
 * program). */
int bpf_devices_attach(int cgroup_fd, const struct device_rule *rules, size_t n_rules,
                       unsigned flags, char *err, size_t errlen);
/* The number of device programs attached to the cgroup itself, or -1 (errno set). */
int bpf_devices_count(int cgroup_fd);

/* The most device programs bpf_devices_replace expects on one cgroup. */
#define BPF_DEVICES_MAX_PROGS 64
/* The ids of the device programs attached to the cgroup itself, at most max of them: their
 * number, or -1 with errno (ENOSPC: more than max). */
int bpf_devices_ids(int cgroup_fd, uint32_t *ids, size_t max);
/* Replaces the device programs attached to the cgroup by one of the rules: the new one is
 * attached first (BPF_F_ALLOW_MULTI), then each one that was there is detached, so the cgroup
 * is never less confined than both rule sets allow, and after success exactly one remains.
 * 0, or -1 with err (a failed detach leaves the new program beside the old ones). */
int bpf_devices_replace(int cgroup_fd, const struct device_rule *rules, size_t n_rules, char *err,
                        size_t errlen);

#endif
