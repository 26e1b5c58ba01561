# libFuzzer harnesses for every parser that takes outside input
# (tests/fuzz/README.md). Included by the root Makefile.
#
#   make fuzz FUZZ_SECONDS=N   build, replay the seed corpora, fuzz each
#                              harness N seconds; fails on any finding
#   make fuzz FUZZ=config      only the harnesses named
#   make fuzz FUZZ_SECONDS=0   replay the corpora only (regression inputs)
#
# Adding a harness: drop tests/fuzz/fuzz_NAME.c (seeds in
# tests/fuzz/corpus/NAME/), or, from another fragment, one line
#   FUZZ_HARNESSES += NAME:path/to/harness.c
# with, if it needs more than libsockwatch.a, FUZZ_LIBS_NAME := objects
# and libraries (paths under $(BUILD), which is the fuzz build when the
# harness is linked) and FUZZ_CORPUS_NAME := its seed directory.
#
# The harnesses and everything they link are built by clang with
# -fsanitize=fuzzer-no-link,address,undefined in a build directory of
# their own ($(FUZZ_BUILD)), by a second make of this tree.

FUZZ_BUILD	?= build-fuzz
FUZZ_SECONDS	?= 60
FUZZ_SANITIZE	:= fuzzer-no-link,address,undefined
FUZZ_HARNESSES	+= $(foreach f,$(wildcard tests/fuzz/fuzz_*.c),$(patsubst tests/fuzz/fuzz_%.c,%,$(f)):$(f))
# Everything this fragment reads is expanded when a recipe runs, so that
# fragments included after this one can still add harnesses.
fuzz_names	= $(foreach h,$(FUZZ_HARNESSES),$(firstword $(subst :, ,$(h))))
fuzz_src	= $(word 2,$(subst :, ,$(filter $(1):%,$(FUZZ_HARNESSES))))
FUZZ		?= $(fuzz_names)

.PHONY: fuzz fuzz-build fuzz-bins
fuzz: fuzz-build
	@bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) \
		$(foreach n,$(FUZZ),$(n):$(or $(FUZZ_CORPUS_$(n)),tests/fuzz/corpus/$(n)))

fuzz-build: | $(DEPS_STAMP)
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
		SANITIZE=$(FUZZ_SANITIZE) FUZZ="$(FUZZ)" fuzz-bins

fuzz-bins: $(foreach n,$(FUZZ),$(BUILD)/fuzz/$(n))

# The harness's source is looked up by name when make needs the file.
.SECONDEXPANSION:
$(BUILD)/fuzz/%: $$(call fuzz_src,$$*) $(USER_LIB) $$(FUZZ_LIBS_$$*)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(call fuzz_src,$*) -o $@ \
		$(FUZZ_LIBS_$*) $(USER_LIB) $(LDLIBS)
