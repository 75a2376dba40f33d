# Top-level build: `make` builds every binary, `make check` runs every suite,
# `make check SANITIZE=1` does the same under ASan/UBSan.
CC ?= cc
BUILD ?= build
PREFIX ?= /usr
DESTDIR ?=

PKGS := lxc yajl libmicrohttpd libcap libarchive
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))

CFLAGS ?= -O2 -g
GIT_COMMIT := $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
CFLAGS += -DGIT_COMMIT='"$(GIT_COMMIT)"'
# lib/ is included path-qualified: "core/json.h", "host/cgroup_fs.h", "engine/oci_hooks.h".
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -Ilib $(PKG_CFLAGS)
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
LIBCOMMON := $(BUILD)/libcommon.a

DAEMON_SRC := $(wildcard engine/daemon/*.c)
CLIENT_SRC := $(wildcard engine/client/*.c)
MONITOR_SRC := $(wildcard engine/monitor/*.c)
TOOLKIT_SRC := $(wildcard tools/lxcfs-toolkit/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)

# lxcfs: everything but main.c also goes into an archive the unit tests link (pure parsers
# and renderers); only lxcfs itself links fuse3.
FUSE_CFLAGS := $(shell pkg-config --cflags fuse3)
FUSE_LIBS := $(shell pkg-config --libs fuse3)
LXCFS_SRC := $(wildcard lxcfs/*.c)
LXCFS_LIB := $(BUILD)/lxcfs.a
LXCFS_LIB_OBJ := $(filter-out %/main.o,$(LXCFS_SRC:%.c=$(BUILD)/obj/%.o))

BINS := $(BUILD)/bin/isulad $(BUILD)/bin/isula $(BUILD)/bin/isulad-monitor $(BUILD)/bin/lxcfs
BINS += $(BUILD)/bin/lxcfs-toolkit
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Helpers the integration tests run (not installed).
TEST_TOOLS := $(BUILD)/test-tools/shift-rootfs $(BUILD)/test-tools/bpf-devices

all: $(BINS) $(TEST_TOOLS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBCOMMON): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

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
$(DAEMON_LIB): $(filter-out %/main.o,$(DAEMON_SRC:%.c=$(BUILD)/obj/%.o))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
$(CLIENT_LIB): $(filter-out %/main.o,$(CLIENT_SRC:%.c=$(BUILD)/obj/%.o))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(DAEMON_LIB) $(CLIENT_LIB) $(LXCFS_LIB) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka

$(BUILD)/test-tools/shift-rootfs: $(BUILD)/obj/tests/tools/shift_rootfs.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/test-tools/bpf-devices: $(BUILD)/obj/tests/tools/bpf_devices_tool.o $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

check: all $(UNIT_BINS)
	@BUILD=$(BUILD) tests/run-all.sh $(UNIT_BINS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	@# The sample hook spec: where the seed's example run takes it from, and where its
	@# lxcfs-toolkit package puts it (/var/lib/lcrd, iSulad's former name).
	for d in /var/lib/isulad/hooks /var/lib/lcrd/hooks; do \
		install -d $(DESTDIR)$$d && \
		sed 's|"/usr/bin/lxcfs-toolkit"|"$(PREFIX)/bin/lxcfs-toolkit"|' \
			tools/lxcfs-toolkit/hookspec.json >$(DESTDIR)$$d/hookspec.json && \
		chmod 0644 $(DESTDIR)$$d/hookspec.json || exit 1; \
	done

format:
	clang-format -i $(LIB_SRC) $(wildcard lib/*/*.h) $(DAEMON_SRC) $(CLIENT_SRC) $(MONITOR_SRC) \
		$(wildcard engine/*/*.h) $(UNIT_SRC) $(wildcard tests/tools/*.c) \
		$(TOOLKIT_SRC) $(wildcard tools/lxcfs-toolkit/*.h) \
		$(wildcard tests/integration/helpers/*.c) $(LXCFS_SRC) $(wildcard lxcfs/*.h)

clean:
	rm -rf build build-san

.PHONY: all unit check install format clean
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
.SECONDARY:
