/* Fuzzes device_rule_parse and bpf_devices_compile (lib/bpf_devices.h): one rule per line.
 * Invariants: a parsed rule is in range; its program has only reachable instructions, ends
 * in an exit, and (run by a small interpreter) allows exactly what some rule grants. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/bpf_devices.h"

#define MAX_RULES 16
#define ALL_ACC (DEVICE_ACC_MKNOD | DEVICE_ACC_READ | DEVICE_ACC_WRITE)

/* Runs the program on one request (struct bpf_cgroup_dev_ctx); aborts on anything that
 * bpf_devices_compile should never emit. */
static int run(const struct bpf_insn *p, size_t n, uint32_t ctx[3])
{
	uint64_t r[11] = {0};
	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];
		if (i->dst_reg > 10 || i->src_reg > 10)
			abort();
		switch (i->code) {
		case BPF_LDX | BPF_MEM | BPF_W:
			if (i->src_reg != 1 || i->off < 0 || i->off > 8 || i->off % 4)
				abort();
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
				abort();
			if ((uint32_t)r[i->dst_reg] != (uint32_t)i->imm)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_EXIT:
			return (int)r[0];
		default:
			abort();
		}
	}
	abort(); /* fell off the end */
}

static bool grants(const struct device_rule *r, int type, uint32_t maj, uint32_t min, int acc)
{
	return (r->type == DEVICE_TYPE_ALL || r->type == type) &&
	       (r->major == DEVICE_ANY || r->major == maj) &&
	       (r->minor == DEVICE_ANY || r->minor == min) && (acc & ~r->access) == 0;
}

static void check_program(const struct device_rule *rules, size_t n_rules)
{
	size_t n;
	struct bpf_insn *p = bpf_devices_compile(rules, n_rules, &n);
	if (!p)
		return;
	if (n < 8 || n > 6 + n_rules * 8 + 2 || p[n - 1].code != (BPF_JMP | BPF_EXIT))
		abort();
	/* The verifier refuses unreachable instructions; jumps only go forward. */
	bool reach[6 + MAX_RULES * 8 + 2] = {true};
	for (size_t i = 0; i < n; i++) {
		if (!reach[i])
			abort();
		if (p[i].code == (BPF_JMP | BPF_EXIT))
			continue;
		if (i + 1 >= n)
			abort(); /* falls off the end */
		reach[i + 1] = true;
		if (p[i].code == (BPF_JMP32 | BPF_JNE | BPF_K)) {
			if (p[i].off < 0 || i + 1 + (size_t)p[i].off >= n)
				abort();
			reach[i + 1 + (size_t)p[i].off] = true;
		}
	}
	for (size_t k = 0; k < n_rules; k++) {
		const struct device_rule *r = &rules[k];
		uint32_t majs[2] = {r->major == DEVICE_ANY ? 0 : (uint32_t)r->major,
		                    r->major == DEVICE_ANY ? 7 : (uint32_t)r->major + 1};
		uint32_t mins[2] = {r->minor == DEVICE_ANY ? 1 : (uint32_t)r->minor,
		                    r->minor == DEVICE_ANY ? 0xffffffffu : (uint32_t)r->minor - 1};
		for (int type = DEVICE_TYPE_BLOCK; type <= DEVICE_TYPE_CHAR; type++)
			for (int acc = 1; acc <= ALL_ACC; acc++)
				for (int a = 0; a < 4; a++) {
					uint32_t ctx[3] = {(uint32_t)type | (uint32_t)acc << 16,
					                   majs[a & 1], mins[a >> 1]};
					bool want = false;
					for (size_t j = 0; j < n_rules && !want; j++)
						want = grants(&rules[j], type, ctx[1], ctx[2], acc);
					if (run(p, n, ctx) != (want ? 1 : 0))
						abort();
				}
	}
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct device_rule rules[MAX_RULES];
	size_t n_rules = 0;
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l && n_rules < MAX_RULES;
	     l = strtok_r(NULL, "\n", &save)) {
		char err[128];
		struct device_rule r;
		if (device_rule_parse(l, &r, err, sizeof(err)) < 0)
			continue;
		if (r.type < DEVICE_TYPE_ALL || r.type > DEVICE_TYPE_CHAR || r.major < DEVICE_ANY ||
		    r.major > UINT32_MAX || r.minor < DEVICE_ANY || r.minor > UINT32_MAX ||
		    r.access <= 0 || (r.access & ~ALL_ACC))
			abort();
		rules[n_rules++] = r;
		check_program(&r, 1);
	}
	check_program(rules, n_rules);
	free(text);
	return 0;
}
