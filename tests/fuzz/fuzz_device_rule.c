/* Fuzzes device_rule_parse and bpf_devices_compile (lib/host/bpf_devices.h): one rule per line.
 * Invariants: a parsed rule is in range; its program has only reachable instructions, ends
 * in an exit, and (run by a small interpreter) allows exactly what some rule grants. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/bpf_devices.h"
#include "tests/common/bpf_devices_run.h"
#include "tests/fuzz/fuzz_input.h"

#define MAX_RULES 16
#define ALL_ACC (DEVICE_ACC_MKNOD | DEVICE_ACC_READ | DEVICE_ACC_WRITE)

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
					uint32_t maj = majs[a & 1], min = mins[a >> 1];
					bool want = false;
					for (size_t j = 0; j < n_rules && !want; j++)
						want = grants(&rules[j], type, maj, min, acc);
					if (bpf_devices_run(p, n, type, acc, maj, min) !=
					    (want ? 1 : 0))
						abort();
				}
	}
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
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
