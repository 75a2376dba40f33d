# Top-level build: `make` builds every binary, `make check` runs every suite,
# `make check SANITIZE=1` does the same under ASan/UBSan.
CC ?= cc
BUILD ?= build
PREFIX ?= /usr
DESTDIR ?=
# Where `make install` puts things (FHS); nothing goes anywhere else. The binaries' own
# defaults (/etc/isulad/daemon.json, /var/lib/isulad, ...) are compiled in and do not follow
# SYSCONFDIR/LOCALSTATEDIR: point them elsewhere with their flags.
BINDIR ?= $(PREFIX)/bin
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
UNITDIR ?= $(PREFIX)/lib/systemd/system
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
VERSION := $(shell sed -n 's/^\#define ISULAD_VERSION "\(.*\)"/\1/p' lib/core/version.h)

PKGS := lxc yajl libmicrohttpd libcap libarchive
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))

# The daemon's TLS listener (libmicrohttpd's own TLS is GnuTLS). The client dlopen()s it
# instead (lib/core/tls_client.c): over the unix socket, isula must not pay for loading it.
TLS_CFLAGS := $(shell pkg-config --cflags gnutls)

CFLAGS ?= -O2 -g
# A `make dist` tarball carries its commit in COMMIT (no git there).
GIT_COMMIT := $(shell cat COMMIT 2>/dev/null || git rev-parse HEAD 2>/dev/null || echo unknown)
CFLAGS += -DGIT_COMMIT='"$(GIT_COMMIT)"'
# The man pages' date: the last commit's (a `make dist` tarball carries it in SOURCE_DATE), so
# that a build says the same whenever it runs: an RPM built today and make install tomorrow.
MAN_DATE := $(shell cat SOURCE_DATE 2>/dev/null || git log -1 --format=%ct 2>/dev/null || echo 0)
# lib/ is included path-qualified: "core/json.h", "host/cgroup_fs.h", "engine/oci_hooks.h".
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -Ilib $(PKG_CFLAGS) $(TLS_CFLAGS)
LDFLAGS ?=
# Each binary loads only the libraries it calls (client start-up time counts).
LDFLAGS += -Wl,--as-needed
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=address,undefined
BUILD := build-san
endif

# lib/ in layers, each using only the ones before it: core, host, engine (ARCHITECTURE.md).
LIB_SRC := $(wildcard lib/core/*.c lib/host/*.c lib/engine/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
# The default seccomp profile compiled in (lib/host/seccomp_profile.h) from the file `make
# install` ships as /etc/isulad/seccomp_default.json: one source for both.
SECCOMP_DEFAULT := packaging/etc/seccomp_default.json
SECCOMP_GEN := $(BUILD)/gen/seccomp_default_json.c
LIB_OBJ += $(BUILD)/obj/gen/seccomp_default_json.o
LIBCOMMON := $(BUILD)/libcommon.a
# lib/hotplug/, the layer after engine: what isulad-tools applies and syscontainer-hooks
# re-applies. Its own archive, so that only those two (and the unit tests) link netlink and udev.
HOTPLUG_PKGS := libnl-3.0 libnl-route-3.0 libudev
HOTPLUG_LIBS := $(shell pkg-config --libs $(HOTPLUG_PKGS))
CFLAGS += $(shell pkg-config --cflags $(HOTPLUG_PKGS))
HOTPLUG_SRC := $(wildcard lib/hotplug/*.c)
LIBHOTPLUG := $(BUILD)/libhotplug.a

DAEMON_SRC := $(wildcard engine/daemon/*.c)
CLIENT_SRC := $(wildcard engine/client/*.c)
MONITOR_SRC := $(wildcard engine/monitor/*.c)
TOOLKIT_SRC := $(wildcard tools/lxcfs-toolkit/*.c)
TOOLS_SRC := $(wildcard tools/syscontainer-tools/*.c)
HOOKS_SRC := $(wildcard hooks/*.c)
AUTHZ_SRC := $(wildcard authz/*.c)
AUTHZ_LIB := $(BUILD)/authz.a
UNIT_SRC := $(wildcard tests/unit/test_*.c)

# lxcfs: everything but main.c also goes into an archive the unit tests link (pure parsers
# and renderers); only lxcfs itself links fuse3.
FUSE_CFLAGS := $(shell pkg-config --cflags fuse3)
FUSE_LIBS := $(shell pkg-config --libs fuse3)
LXCFS_SRC := $(wildcard lxcfs/*.c)
LXCFS_LIB := $(BUILD)/lxcfs.a
LXCFS_LIB_OBJ := $(filter-out %/main.o,$(LXCFS_SRC:%.c=$(BUILD)/obj/%.o))

BINS := $(BUILD)/bin/isulad $(BUILD)/bin/isula $(BUILD)/bin/isulad-monitor $(BUILD)/bin/lxcfs
BINS += $(BUILD)/bin/lxcfs-toolkit $(BUILD)/bin/isulad-tools $(BUILD)/bin/syscontainer-hooks
BINS += $(BUILD)/bin/authz-broker
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Helpers the integration tests run (not installed).
TEST_TOOLS := $(BUILD)/test-tools/shift-rootfs $(BUILD)/test-tools/bpf-devices

all: $(BINS) $(TEST_TOOLS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(SECCOMP_GEN): $(SECCOMP_DEFAULT)
	@mkdir -p $(dir $@)
	@{ printf '/* Generated from %s by make. */\n#include "host/seccomp_profile.h"\n' $<; \
		printf 'const char seccomp_default_json[] =\n'; \
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
		printf ';\n'; } >$@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/seccomp_default_json.o: $(SECCOMP_GEN)
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(LIBCOMMON): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(LIBHOTPLUG): $(HOTPLUG_SRC:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/bin/isulad-tools: $(TOOLS_SRC:%.c=$(BUILD)/obj/%.o) $(LIBHOTPLUG) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(HOTPLUG_LIBS)

$(BUILD)/bin/syscontainer-hooks: $(HOOKS_SRC:%.c=$(BUILD)/obj/%.o) $(LIBHOTPLUG) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(HOTPLUG_LIBS)

$(BUILD)/bin/isulad: $(DAEMON_SRC:%.c=$(BUILD)/obj/%.o) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bin/isula: $(CLIENT_SRC:%.c=$(BUILD)/obj/%.o) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bin/isulad-monitor: $(MONITOR_SRC:%.c=$(BUILD)/obj/%.o) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bin/lxcfs-toolkit: $(TOOLKIT_SRC:%.c=$(BUILD)/obj/%.o) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bin/authz-broker: $(BUILD)/obj/authz/main.o $(AUTHZ_LIB) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

$(BUILD)/obj/lxcfs/%.o: CFLAGS += $(FUSE_CFLAGS)
$(BUILD)/obj/tests/unit/%.o: CFLAGS += -Ilxcfs -I.

$(LXCFS_LIB): $(LXCFS_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/bin/lxcfs: $(BUILD)/obj/lxcfs/main.o $(LXCFS_LIB) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(FUSE_LIBS) -lpthread

# Unit tests link each binary's objects but its main.o, so code one binary alone uses can
# live (and be tested) in that binary's folder.
DAEMON_LIB := $(BUILD)/daemon.a
CLIENT_LIB := $(BUILD)/client.a
$(AUTHZ_LIB): $(filter-out %/main.o,$(AUTHZ_SRC:%.c=$(BUILD)/obj/%.o))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
$(DAEMON_LIB): $(filter-out %/main.o,$(DAEMON_SRC:%.c=$(BUILD)/obj/%.o))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
$(CLIENT_LIB): $(filter-out %/main.o,$(CLIENT_SRC:%.c=$(BUILD)/obj/%.o))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(DAEMON_LIB) $(CLIENT_LIB) $(LXCFS_LIB) $(AUTHZ_LIB) \
		$(LIBHOTPLUG) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(HOTPLUG_LIBS) -lcmocka

$(BUILD)/test-tools/shift-rootfs: $(BUILD)/obj/tests/tools/shift_rootfs.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/test-tools/bpf-devices: $(BUILD)/obj/tests/tools/bpf_devices_tool.o $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

# Fuzzing: one libFuzzer target per parser of outside input, tests/fuzz/fuzz_NAME.c with its
# seeds in tests/fuzz/corpus/NAME/. `make fuzz` builds them with clang (libFuzzer, ASan, UBSan)
# into $(BUILD)/fuzz/ and runs each for FUZZ_SECONDS on a copy of its seeds
# ($(BUILD)/fuzz/corpus/NAME, which keeps growing across runs); a crash fails the run and its
# input is left in $(BUILD)/fuzz/crashes/ (replay: $(BUILD)/fuzz/fuzz_NAME FILE). `make
# fuzz-smoke` runs each over its seeds and FUZZ_SMOKE_RUNS more inputs (a few seconds each:
# for CI). The lib sources a target tests are compiled again by clang into $(BUILD)/fuzz-obj/
# (never gcc's).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -Ilib -I. \
	$(PKG_CFLAGS) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_NAMES := json device_rule cgroup2_mount cgroup2_path mountinfo lxc_conf utf8 proc_stat \
	hotplug_record hotplug_args authz_policy cni daemon_log_opts \
	units json_log sysopt_specs env_target hook_spec inspect_template \
	tar_extract lxcfs create_body update_body filters container_texts api_args seccomp_json bind_spec \
	storage_specs health monitor_job proc_status
# The lib sources (lib/LAYER/NAME.c) each target links; FUZZ_OBJ_NAME: a binary's own sources.
FUZZ_LIB_json := core/json core/strv core/utf8
FUZZ_LIB_monitor_job := core/strv
FUZZ_LIB_device_rule := host/bpf_devices
FUZZ_LIB_cgroup2_mount := host/cgroup_v2 host/cgroup_mounts host/mountinfo core/fileutil core/durable_batch
FUZZ_LIB_cgroup2_path := host/cgroup_v2 host/cgroup_mounts host/mountinfo core/fileutil core/durable_batch
FUZZ_LIB_mountinfo := host/mountinfo
FUZZ_LIB_lxc_conf := engine/lxc_conf core/strbuf
FUZZ_LIB_utf8 := core/utf8
FUZZ_LIB_proc_stat := host/pid_pin core/fileutil core/durable_batch
FUZZ_LIB_proc_status := $(FUZZ_LIB_proc_stat)
FUZZ_LIB_hotplug_record := hotplug/record host/ns_exec core/json core/strv core/utf8 \
	core/fileutil core/durable_batch core/error
FUZZ_LIB_hotplug_args := hotplug/route_spec hotplug/nic_list hotplug/nic_check hotplug/path_spec \
	hotplug/device_args hotplug/list_json hotplug/record host/ns_exec host/inet_addr \
	engine/device_spec core/path_clean core/hex core/json core/strv core/utf8 core/fileutil core/durable_batch \
	core/error core/units
FUZZ_LIB_authz_policy := core/json core/strv core/utf8 core/fileutil core/durable_batch
FUZZ_OBJ_authz_policy := authz/policy
FUZZ_LIB_seccomp_json := host/seccomp_json host/capabilities core/json core/strbuf core/strv core/utf8
FUZZ_LIB_bind_spec := engine/bind_spec
FUZZ_LIB_storage_specs := engine/blkio_spec engine/hugetlb_spec engine/mount_spec \
	engine/bind_spec core/units
FUZZ_LIB_cni := engine/cni_result engine/cni_conf engine/port_spec core/json core/strv core/utf8
FUZZ_LIB_daemon_log_opts := core/units core/log core/fileutil core/durable_batch
FUZZ_OBJ_daemon_log_opts := engine/daemon/daemon_log
FUZZ_LIB_units := core/units core/timeutil
FUZZ_LIB_json_log := engine/json_log_codec engine/json_log_read core/json_text core/strbuf \
	core/utf8 core/hex
FUZZ_LIB_sysopt_specs := engine/host_channel engine/device_spec engine/user_remap \
	engine/ns_change_opt core/units core/json core/strv core/utf8
FUZZ_LIB_env_target := engine/env_merge core/strv
FUZZ_LIB_inspect_template := core/json core/strv core/utf8 core/json_text core/strbuf core/hex \
	core/units core/timeutil
FUZZ_OBJ_inspect_template := engine/client/inspect_template engine/client/inspect_print \
	engine/client/event_line
FUZZ_LIB_tar_extract := engine/tar_extract engine/tar_write engine/archive_dl engine/cp_path \
	host/rootfs_path core/path_clean core/fileutil core/durable_batch core/error
FUZZ_LIB_lxcfs := host/cpuset host/cgroup_mounts host/mountinfo core/fileutil core/durable_batch core/strbuf
FUZZ_OBJ_lxcfs := lxcfs/cgroup_parse lxcfs/proc_parse lxcfs/cpuinfo_render lxcfs/meminfo_render \
	lxcfs/stat_render lxcfs/disk_render
FUZZ_LIB_create_body := core/json core/json_time core/strv core/utf8 core/timeutil core/units core/strbuf \
	host/seccomp_json \
	engine/restart_policy engine/oci_hooks core/fileutil core/durable_batch host/capabilities host/cgroup_info \
	core/error engine/lxc_conf host/sysctl_apply engine/sysctl_policy host/cpuset \
	engine/device_spec engine/host_channel engine/ns_change_opt engine/port_spec \
	host/cgroup_mounts host/mountinfo host/ns_exec engine/blkio_spec engine/hugetlb_spec \
	host/hugetlb engine/mount_spec engine/bind_spec core/path_clean engine/healthcheck
FUZZ_OBJ_create_body := engine/daemon/container engine/daemon/security_config \
	engine/daemon/blkio_config engine/daemon/hugetlb_config engine/daemon/mount_config \
	engine/daemon/sysopt_config engine/daemon/net_config engine/daemon/net_files \
	engine/daemon/ns_modes engine/daemon/health_state
FUZZ_LIB_update_body := $(FUZZ_LIB_create_body)
FUZZ_LIB_health := core/json core/json_time core/strv core/utf8 core/strbuf core/timeutil core/units
FUZZ_OBJ_health := engine/daemon/health_state
FUZZ_OBJ_update_body := $(FUZZ_OBJ_create_body) engine/daemon/update_config
FUZZ_LIB_filters := engine/list_filter core/json core/strv core/utf8 core/strbuf
FUZZ_LIB_container_texts := host/passwd engine/hook_state core/json core/strv core/utf8
FUZZ_OBJ_container_texts := engine/daemon/ps_output
FUZZ_LIB_api_args := engine/signals engine/restart_policy engine/cp_path core/path_clean \
	core/units
FUZZ_LIB_hook_spec := engine/oci_hooks core/json core/strv core/utf8 core/fileutil
# lib/core/fileutil's atomic writes join an open durable batch (lib/core/durable_batch): every
# target that links the one links the other.
$(foreach n,$(FUZZ_NAMES),$(if $(filter core/fileutil,$(FUZZ_LIB_$(n))),\
	$(eval FUZZ_LIB_$(n) += core/durable_batch)))
FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
# fuzz-smoke's inputs per target; fewer for the slow ones (they write files), so
# that the whole smoke run stays within a couple of minutes.
FUZZ_SMOKE_RUNS ?= 20000
FUZZ_SMOKE_RUNS_tar_extract := 3000
FUZZ_SMOKE_RUNS_json_log := 5000
rparen := )
FUZZ_ENV := UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# clang and its libFuzzer runtime (Debian ships the runtime in libclang-rt-N-dev).
fuzz-toolchain:
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz: $(FUZZ_CC) not found:" \
		"install clang and libclang-rt-14-dev (Debian 12)" >&2; exit 1; }
	@mkdir -p $(BUILD)/fuzz
	@v=$$($(FUZZ_CC) -dumpversion | cut -d. -f1); \
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' | \
		$(FUZZ_CC) $(FUZZ_SAN) -x c - -o $(BUILD)/fuzz/.toolchain-check 2>/dev/null || { \
		echo "make fuzz: $(FUZZ_CC) has no libFuzzer runtime (-fsanitize=fuzzer):" \
			"install the Debian package libclang-rt-$$v-dev" >&2; exit 1; }; \
	rm -f $(BUILD)/fuzz/.toolchain-check

$(BUILD)/fuzz-obj/%.o: %.c | fuzz-toolchain
	@mkdir -p $(dir $@)
	@echo "  FUZZCC $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

define FUZZ_LINK
$(BUILD)/fuzz/fuzz_$(1): $(BUILD)/fuzz-obj/tests/fuzz/fuzz_$(1).o $(FUZZ_LIB_$(1):%=$(BUILD)/fuzz-obj/lib/%.o) \
		$(FUZZ_OBJ_$(1):%=$(BUILD)/fuzz-obj/%.o)
	@mkdir -p $$(dir $$@)
	$(FUZZ_CC) $(FUZZ_SAN) -Wl,--as-needed -o $$@ $$^ $(PKG_LIBS)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_LINK,$(n))))

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@failed=; for n in $(FUZZ_NAMES); do \
		c=$(BUILD)/fuzz/corpus/$$n; log=$(BUILD)/fuzz/$$n.log; \
		mkdir -p $$c $(BUILD)/fuzz/crashes && cp tests/fuzz/corpus/$$n/* $$c/ || exit 1; \
		echo "=== fuzz_$$n: $(FUZZ_SECONDS)s"; \
		if $(FUZZ_ENV) $(BUILD)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/crashes/$$n- $$c \
			>$$log 2>&1; then \
			grep -E '^Done|average_exec_per_sec|new_units_added' $$log; \
		else \
			tail -n 40 $$log; echo "=== fuzz_$$n FAILED (log: $$log)"; failed="$$failed $$n"; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in:$$failed" >&2; exit 1; fi

fuzz-smoke: $(FUZZ_BINS)
	@failed=; for n in $(FUZZ_NAMES); do \
		s=$(BUILD)/fuzz/smoke/$$n; log=$(BUILD)/fuzz/$$n-smoke.log; \
		rm -rf $$s && mkdir -p $$s $(BUILD)/fuzz/crashes || exit 1; \
		runs=$(FUZZ_SMOKE_RUNS); case $$n in $(foreach n,$(FUZZ_NAMES),$(if \
			$(FUZZ_SMOKE_RUNS_$(n)),$(n)$(rparen) runs=$(FUZZ_SMOKE_RUNS_$(n));;)) esac; \
		if $(FUZZ_ENV) $(BUILD)/fuzz/fuzz_$$n -runs=$$runs -seed=1 -timeout=10 \
			-artifact_prefix=$(BUILD)/fuzz/crashes/$$n- $$s tests/fuzz/corpus/$$n \
			>$$log 2>&1; then \
			echo "fuzz_$$n: $$(grep '^Done' $$log)"; \
		else \
			tail -n 40 $$log; echo "=== fuzz_$$n FAILED (log: $$log)"; failed="$$failed $$n"; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz-smoke: crashes in:$$failed" >&2; exit 1; fi

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-toolchain

unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

check: all $(UNIT_BINS)
	@BUILD=$(BUILD) tests/run-all.sh $(UNIT_BINS)

# Man pages: man/NAME.SECTION.scd, turned into troff by scdoc.
MAN_SRC := $(wildcard man/*.scd)
MAN_PAGES := $(MAN_SRC:man/%.scd=$(BUILD)/man/%)
# Remade when the date changes (a new commit), not only when their source does.
$(BUILD)/man-date: FORCE
	@mkdir -p $(dir $@)
	@echo $(MAN_DATE) | cmp -s - $@ || echo $(MAN_DATE) >$@
$(BUILD)/man/%: man/%.scd $(BUILD)/man-date
	@mkdir -p $(dir $@)
	SOURCE_DATE_EPOCH=$(MAN_DATE) scdoc <$< >$@

man: $(MAN_PAGES)

.PHONY: FORCE
FORCE:

UNITS := isulad.service lxcfs.service authz.service
COMPLETIONS := isula isulad-tools
# The files `make install` puts in place: programs (replaced on every install) and
# configuration (installed only when absent, never over a user's edit; `make uninstall`
# removes it only while it is still the shipped one).
INSTALL_CONFIG := $(SYSCONFDIR)/isulad/daemon.json $(SYSCONFDIR)/sysconfig/iSulad \
	$(SYSCONFDIR)/isulad/seccomp_default.json \
	$(SYSCONFDIR)/isulad-tools/hookspec.json $(LOCALSTATEDIR)/lib/authz-broker/policy.json
INSTALL_FILES := $(BINS:$(BUILD)/bin/%=$(BINDIR)/%) $(UNITS:%=$(UNITDIR)/%) \
	$(COMPLETIONS:%=$(BASHCOMPDIR)/%) \
	$(foreach m,$(MAN_PAGES),$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
	$(LOCALSTATEDIR)/lib/isulad/hooks/hookspec.json $(LOCALSTATEDIR)/lib/lcrd/hooks/hookspec.json

# The units and sample specs name the binaries and sysconfig where this install puts them.
FIX_PATHS := sed -e 's|/usr/bin/|$(BINDIR)/|g' -e 's|/etc/sysconfig/|$(SYSCONFDIR)/sysconfig/|g'

# install_conf SRC DEST MODE: a configuration file (SRC's paths fixed), only when none is
# there; its directory is made when missing (an existing one keeps its mode).
install_conf = { [ -d $(DESTDIR)$(dir $(2)) ] || install -d $(DESTDIR)$(dir $(2)); } && \
	{ [ -e $(DESTDIR)$(2) ] || { $(FIX_PATHS) $(1) >$(DESTDIR)$(2).tmp && \
	chmod $(3) $(DESTDIR)$(2).tmp && mv $(DESTDIR)$(2).tmp $(DESTDIR)$(2); }; }

install: all $(MAN_PAGES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	@# Configuration directories: root's only (as the RPM), when this install makes them.
	for d in $(SYSCONFDIR)/isulad $(SYSCONFDIR)/isulad-tools; do \
		[ -d $(DESTDIR)$$d ] || install -d -m 0750 $(DESTDIR)$$d || exit 1; done
	@set -e; for u in $(UNITS); do echo "install $$u -> $(DESTDIR)$(UNITDIR)/"; \
		$(FIX_PATHS) packaging/systemd/$$u >$(DESTDIR)$(UNITDIR)/$$u; \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u; done
	install -m 0644 $(COMPLETIONS:%=completion/%) $(DESTDIR)$(BASHCOMPDIR)/
	@set -e; for m in $(MAN_PAGES); do s=$${m##*.}; \
		install -d $(DESTDIR)$(MANDIR)/man$$s; \
		echo "install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/"; \
		install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	@# The sample hook spec: where the seed's example run takes it from, and where its
	@# lxcfs-toolkit package puts it (/var/lib/lcrd, iSulad's former name).
	install -d $(DESTDIR)$(LOCALSTATEDIR)/lib/isulad/hooks $(DESTDIR)$(LOCALSTATEDIR)/lib/lcrd/hooks
	set -e; for d in isulad lcrd; do \
		$(FIX_PATHS) tools/lxcfs-toolkit/hookspec.json \
			>$(DESTDIR)$(LOCALSTATEDIR)/lib/$$d/hooks/hookspec.json; \
		chmod 0644 $(DESTDIR)$(LOCALSTATEDIR)/lib/$$d/hooks/hookspec.json; done
	$(call install_conf,packaging/etc/daemon.json,$(SYSCONFDIR)/isulad/daemon.json,0640)
	@# The containers' default seccomp profile, the seed's editable one.
	$(call install_conf,$(SECCOMP_DEFAULT),$(SYSCONFDIR)/isulad/seccomp_default.json,0640)
	$(call install_conf,packaging/etc/iSulad.sysconfig,$(SYSCONFDIR)/sysconfig/iSulad,0640)
	@# syscontainer-tools' sample hook spec, where the seed's examples take it from.
	$(call install_conf,policies/syscontainer-hooks.json,$(SYSCONFDIR)/isulad-tools/hookspec.json,0640)
	@# authz-broker's default policy (allows everyone everything, as the original's RPM).
	install -d -m 0750 $(DESTDIR)$(LOCALSTATEDIR)/lib/authz-broker
	$(call install_conf,policies/authz-broker/policy.json,$(LOCALSTATEDIR)/lib/authz-broker/policy.json,0640)

# Removes what install put there; a configuration file only while it is the shipped one.
uninstall:
	rm -f $(INSTALL_FILES:%=$(DESTDIR)%)
	@set -e; printf '%s %s\n' \
		packaging/etc/daemon.json $(SYSCONFDIR)/isulad/daemon.json \
		$(SECCOMP_DEFAULT) $(SYSCONFDIR)/isulad/seccomp_default.json \
		packaging/etc/iSulad.sysconfig $(SYSCONFDIR)/sysconfig/iSulad \
		policies/syscontainer-hooks.json $(SYSCONFDIR)/isulad-tools/hookspec.json \
		policies/authz-broker/policy.json $(LOCALSTATEDIR)/lib/authz-broker/policy.json | \
	while read -r src dst; do \
		if $(FIX_PATHS) $$src | cmp -s - $(DESTDIR)$$dst; then rm -f $(DESTDIR)$$dst; \
		elif [ -e $(DESTDIR)$$dst ]; then echo "kept $(DESTDIR)$$dst (edited)"; fi; \
	done
	@# Directories only when empty (a user's data and edits stay).
	@for d in $(LOCALSTATEDIR)/lib/isulad/hooks $(LOCALSTATEDIR)/lib/lcrd/hooks \
		$(LOCALSTATEDIR)/lib/lcrd $(LOCALSTATEDIR)/lib/authz-broker $(SYSCONFDIR)/isulad \
		$(SYSCONFDIR)/isulad-tools; do rmdir $(DESTDIR)$$d 2>/dev/null || true; done

# A versioned source tarball of the tree's tracked files as they are now (committed or not),
# with the commit in COMMIT and the man pages' date in SOURCE_DATE: build/isulad-VERSION.tar.gz.
DIST := $(BUILD)/isulad-$(VERSION).tar.gz
dist:
	@mkdir -p $(BUILD)
	@set -e; tree=$$(git stash create); echo $(GIT_COMMIT) >$(BUILD)/COMMIT; \
	echo $(MAN_DATE) >$(BUILD)/SOURCE_DATE; \
	git archive --format=tar.gz --prefix=isulad-$(VERSION)/ \
		--add-file=$(BUILD)/COMMIT --add-file=$(BUILD)/SOURCE_DATE -o $(DIST) $${tree:-HEAD}; \
	rm -f $(BUILD)/COMMIT $(BUILD)/SOURCE_DATE; echo "$(DIST)"

# RPMs from the spec (packaging/rpm/isulad.spec) with Debian's rpmbuild, into
# $(BUILD)/rpm/RPMS. Debian's rpm database knows none of the spec's BuildRequires (they are
# Debian packages here, installed by scripts/install-deps.sh): hence --nodeps.
RPM_TOP := $(abspath $(BUILD))/rpm
rpm: dist
	@rm -rf $(RPM_TOP) && mkdir -p $(RPM_TOP)/SOURCES
	cp $(DIST) $(RPM_TOP)/SOURCES/
	rpmbuild -ba --nodeps --define '_topdir $(RPM_TOP)' --define 'version $(VERSION)' \
		packaging/rpm/isulad.spec
	@find $(RPM_TOP)/RPMS $(RPM_TOP)/SRPMS -name '*.rpm'

format:
	clang-format -i $(LIB_SRC) $(wildcard lib/*/*.h) $(DAEMON_SRC) $(CLIENT_SRC) $(MONITOR_SRC) \
		$(wildcard engine/*/*.h) $(UNIT_SRC) $(wildcard tests/tools/*.c) \
		$(TOOLKIT_SRC) $(wildcard tools/lxcfs-toolkit/*.h) $(HOTPLUG_SRC) $(wildcard lib/hotplug/*.h) \
		$(TOOLS_SRC) $(wildcard tools/syscontainer-tools/*.h) $(HOOKS_SRC) \
		$(wildcard tests/integration/helpers/*.c) $(LXCFS_SRC) $(wildcard lxcfs/*.h) \
		$(AUTHZ_SRC) $(wildcard authz/*.h)

clean:
	rm -rf build build-san

.PHONY: all unit check install uninstall dist rpm man format clean
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
-include $(shell find $(BUILD)/fuzz-obj -name '*.d' 2>/dev/null)
.SECONDARY:
