/* For the tests of lib/host/bpf_devices: runs a compiled device program on one request
 * (struct bpf_cgroup_dev_ctx: type | access << 16, major, minor) as the kernel would, for the
 * instructions bpf_devices_compile emits. 1 allowed, 0 denied, -1 for anything it should
 * never emit (an unknown instruction, a register out of range, a jump or a run off the end). */
#ifndef TESTS_COMMON_BPF_DEVICES_RUN_H
#define TESTS_COMMON_BPF_DEVICES_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "host/bpf_devices.h"

static inline int bpf_devices_run(const struct bpf_insn *p, size_t n, int type, int access,
                                  uint32_t major, uint32_t minor)
{
	uint64_t r[11] = {0};
	uint32_t ctx[3] = {(uint32_t)type | (uint32_t)access << 16, major, minor};
	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];
		if (i->dst_reg > 10 || i->src_reg > 10)
			return -1;
		switch (i->code) {
		case BPF_LDX | BPF_MEM | BPF_W:
			if (i->src_reg != 1 || i->off < 0 || i->off > 8 || i->off % 4)
				return -1;
			r[i->dst_reg] = ctx[i->off / 4];
			break;
		case BPF_ALU64 | BPF_MOV | BPF_X:
			r[i->dst_reg] = r[i->src_reg];
			break;
		case BPF_ALU64 | BPF_MOV | BPF_K:
			r[i->dst_reg] = (uint64_t)(int64_t)i->imm;
			break;
		case BPF_ALU64 | BPF_AND | BPF_K:
			r[i->dst_reg] &= (uint64_t)(int64_t)i->imm;
			break;
		case BPF_ALU64 | BPF_RSH | BPF_K:
			r[i->dst_reg] >>= i->imm;
			break;
		case BPF_JMP32 | BPF_JNE | BPF_K:
			if (i->off < 0 || pc + 1 + (size_t)i->off >= n)
				return -1;
			if ((uint32_t)r[i->dst_reg] != (uint32_t)i->imm)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_EXIT:
			return (int)r[0];
		default:
			return -1;
		}
	}
	return -1;
}

#endif
