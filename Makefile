# sockwatch: socket-lifecycle observability agent.
#
#   make            build build/sockwatch (and build/sockscan)
#   make test       unit tests, then end-to-end tests (root)
#   make run        build, then run `sockwatch trace`
#   make deps       install missing Debian packages (run by the targets above)
#   make bench      benchmarks (QUICK=1 for a smoke run)
#   make vmlinux    regenerate vmlinux/<arch>/vmlinux.h from this kernel's BTF
#   make install    install to $(PREFIX)/sbin
#   make soak       the agent under load, checked against ss (SOAK_MINUTES)
#   make fuzz       every libFuzzer harness for FUZZ_SECONDS (tests/fuzz/)
#   make SANITIZE=address,undefined [target]   ASan+UBSan build in build-san/

# make SANITIZE=address,undefined: the same programs and unit tests built
# with sanitizers, into their own directory (build-san/) beside build/.
ifneq ($(SANITIZE),)
BUILD	?= build-san
endif
BUILD	?= build
PREFIX	?= /usr/local
ARCH	:= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VMLINUX	:= vmlinux/$(ARCH)/vmlinux.h
VERSION	:= $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GITREV	:= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CC	?= cc
CLANG	?= clang
BPFTOOL	?= bpftool

CFLAGS	?= -O2 -g
CFLAGS	+= -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	   -D_GNU_SOURCE -Iinclude -Iuser -I$(BUILD) \
	   -DSW_VERSION='"$(VERSION)"' -DSW_GITREV='"$(GITREV)"'
LDLIBS	+= -lbpf -lelf -lz -lmicrohttpd -linih -ljansson -lgnutls -lm -lpthread
LDLIBS	+= -lyaml -lcrypt -lcurl -lncursesw
ifneq ($(SANITIZE),)
CFLAGS	+= -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

# Each object's header dependencies come from the compiler (-MMD writes
# build/.../x.d beside x.o; -MP adds a phony target per header so that a
# deleted header does not break the build). Included at the end.
DEPFLAGS := -MMD -MP

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Iinclude -I$(dir $(VMLINUX)) -Wall -Werror

# Kernel side: every bpf/*.bpf.c is one concern; they are linked into one
# object so that they share the ring buffer and the socket storage map.
BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_LINKED := $(BUILD)/sockwatch.bpf.o
SKEL	  := $(BUILD)/sockwatch.skel.h

# User side: user/<stage>/*.c, every file but cmd/main.c a library module,
# so that unit tests link exactly the code the agent runs. Headers are
# included by their stage folder ("table/sock_table.h").
USER_SRCS := $(filter-out user/cmd/main.c,$(wildcard user/*/*.c))
USER_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(USER_SRCS))
USER_LIB  := $(BUILD)/libsockwatch.a

# The revision the binary reports (status, /api/v1/status, the build-info
# metric) is a compiler flag, which make does not track: a file rewritten
# only when HEAD moves, which the objects that print it depend on, keeps
# an incremental build from reporting an older build's revision.
GITREV_STAMP := $(BUILD)/gitrev
$(shell mkdir -p $(BUILD) && { [ "$$(cat $(GITREV_STAMP) 2>/dev/null)" = "$(GITREV)" ] || echo "$(GITREV)" > $(GITREV_STAMP); })

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all deps test unit e2e run install clean vmlinux bench
.DELETE_ON_ERROR:

all: $(BUILD)/sockwatch

deps: $(DEPS_STAMP)

$(DEPS_STAMP): tools/deps.sh
	@mkdir -p $(BUILD)
	@bash tools/deps.sh
	@touch $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BPF_LINKED): $(BPF_OBJS)
	$(BPFTOOL) gen object $@ $^

$(SKEL): $(BPF_LINKED)
	$(BPFTOOL) gen skeleton $< name sockwatch_bpf > $@

# The skeleton is order-only: it must exist before the first compile (the
# loader includes it); after that the .d files say who depends on it.
$(BUILD)/user/%.o: user/%.c | $(SKEL) $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

# the objects that print the revision (GITREV_STAMP above)
$(addprefix $(BUILD)/user/,agent/agent_api.o agent/agent_metrics.o cmd/cmd_status.o): $(GITREV_STAMP)

# Built afresh: ar would keep the object of a source that was removed.
$(USER_LIB): $(USER_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/sockwatch: $(BUILD)/user/cmd/main.o $(USER_LIB)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(USER_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) -Itests/unit $< -o $@ $(USER_LIB) $(LDLIBS) -lcmocka

# Further programs and their tests live beside their sources.
-include tools/sockscan/sockscan.mk
-include tools/tools.mk
-include tools/kernels/kernels.mk
-include tests/fuzz/fuzz.mk
-include tools/soak/soak.mk
-include tests/ci.mk

unit: $(UNIT_BINS)
	@bash tests/run-unit.sh $^

e2e: all $(EXTRA_E2E_DEPS)
	@BUILD=$(BUILD) bash tests/e2e/run.sh

test: all unit e2e

run: all
	$(BUILD)/sockwatch trace $(ARGS)

install: all
	install -D -m 0755 $(BUILD)/sockwatch $(DESTDIR)$(PREFIX)/sbin/sockwatch
	@if [ -x $(BUILD)/sockscan ]; then install -D -m 0755 $(BUILD)/sockscan $(DESTDIR)$(PREFIX)/bin/sockscan; fi

vmlinux: | $(DEPS_STAMP)
	@mkdir -p $(dir $(VMLINUX))
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX).tmp
	mv $(VMLINUX).tmp $(VMLINUX)

bench: all $(EXTRA_BENCH_DEPS)
	@bash tools/bench/run.sh

clean:
	rm -rf $(BUILD)

-include $(wildcard $(BUILD)/bpf/*.d $(BUILD)/user/*/*.d $(BUILD)/tests/*.d $(BUILD)/tools/*.d)
