# sockscan's libFuzzer harnesses, one per language (fuzz_go.c, fuzz_py.c
# over fuzz_one.h), run by `make fuzz` with the project's others
# (tests/fuzz/fuzz.mk, tests/fuzz/README.md):
#
#   make fuzz FUZZ="sockscan_go sockscan_py" FUZZ_SECONDS=600
#
# Seeds: every file under tests/sockscan (fixtures of both languages,
# robustness cases, the benchmark corpus; libFuzzer reads directories
# recursively). Included by sockscan.mk.

FUZZ_HARNESSES	+= sockscan_go:$(SOCKSCAN_DIR)/fuzz/fuzz_go.c \
		   sockscan_py:$(SOCKSCAN_DIR)/fuzz/fuzz_py.c
SOCKSCAN_FUZZ_LIBS = $(SOCKSCAN_LIB_OBJS)
FUZZ_LIBS_sockscan_go = $(SOCKSCAN_FUZZ_LIBS)
FUZZ_LIBS_sockscan_py = $(SOCKSCAN_FUZZ_LIBS)
FUZZ_CORPUS_sockscan_go := tests/sockscan
FUZZ_CORPUS_sockscan_py := tests/sockscan
$(BUILD)/fuzz/sockscan_go $(BUILD)/fuzz/sockscan_py: LDLIBS += -ltree-sitter -linih
$(BUILD)/fuzz/sockscan_go $(BUILD)/fuzz/sockscan_py: $(wildcard $(SOCKSCAN_DIR)/fuzz/*.h)
