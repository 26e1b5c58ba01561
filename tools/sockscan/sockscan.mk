# sockscan: static socket analysis of Go and Python code (tools/sockscan/).
# Included by the root Makefile, which defines BUILD, CC, CFLAGS and
# DEPS_STAMP. The tree-sitter grammars are fetched from npm into
# $(BUILD)/grammars by fetch-grammars.sh (pinned, sha256-checked) and
# compiled in; they are never committed.

SOCKSCAN_DIR	:= tools/sockscan
SOCKSCAN_SRCS	:= $(wildcard $(SOCKSCAN_DIR)/*.c)
SOCKSCAN_OBJS	:= $(patsubst $(SOCKSCAN_DIR)/%.c,$(BUILD)/obj/sockscan/%.o,$(SOCKSCAN_SRCS))
SOCKSCAN_HDRS	:= $(wildcard $(SOCKSCAN_DIR)/*.h)

GRAMMARS	:= $(BUILD)/grammars
GRAMMARS_STAMP	:= $(GRAMMARS)/.fetched
GRAMMAR_GO	:= $(GRAMMARS)/tree-sitter-go/src
GRAMMAR_PY	:= $(GRAMMARS)/tree-sitter-python/src
GRAMMAR_OBJS	:= $(BUILD)/obj/sockscan/grammar-go-parser.o \
		   $(BUILD)/obj/sockscan/grammar-py-parser.o \
		   $(BUILD)/obj/sockscan/grammar-py-scanner.o

# Generated code: compiled as shipped, its warnings are not ours to fix.
GRAMMAR_CFLAGS	:= -O2 -std=gnu11 -w

all: $(BUILD)/sockscan

-include $(SOCKSCAN_DIR)/fuzz/fuzz.mk

EXTRA_E2E_DEPS += $(BUILD)/sockscan

# deps.sh runs fetch-grammars.sh too, but the deps stamp does not follow
# this script or build/grammars: this rule makes sure the sources exist.
$(GRAMMARS_STAMP): $(SOCKSCAN_DIR)/fetch-grammars.sh | $(DEPS_STAMP)
	@GRAMMAR_DIR=$(abspath $(GRAMMARS)) bash $(SOCKSCAN_DIR)/fetch-grammars.sh
	@touch $@

$(BUILD)/obj/sockscan/grammar-go-parser.o: $(GRAMMARS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(GRAMMAR_CFLAGS) -I$(GRAMMAR_GO) -c $(GRAMMAR_GO)/parser.c -o $@

$(BUILD)/obj/sockscan/grammar-py-parser.o: $(GRAMMARS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(GRAMMAR_CFLAGS) -I$(GRAMMAR_PY) -c $(GRAMMAR_PY)/parser.c -o $@

$(BUILD)/obj/sockscan/grammar-py-scanner.o: $(GRAMMARS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(GRAMMAR_CFLAGS) -I$(GRAMMAR_PY) -c $(GRAMMAR_PY)/scanner.c -o $@

$(BUILD)/obj/sockscan/%.o: $(SOCKSCAN_DIR)/%.c $(SOCKSCAN_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/sockscan: $(SOCKSCAN_OBJS) $(GRAMMAR_OBJS)
	$(CC) $(CFLAGS) $^ -o $@ -ltree-sitter -ljansson -linih -lpthread

# Unit tests of the extractors and resolver (tests/sockscan/unit, cmocka):
# they link sockscan's own objects, so they live beside it rather than in
# tests/unit, whose tests link libsockwatch.a.
SOCKSCAN_UNIT	:= $(BUILD)/tests/test_sockscan
SOCKSCAN_LIB_OBJS := $(filter-out $(BUILD)/obj/sockscan/main.o,$(SOCKSCAN_OBJS)) $(GRAMMAR_OBJS)

$(SOCKSCAN_UNIT): tests/sockscan/unit/test_sockscan.c $(SOCKSCAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(SOCKSCAN_DIR) $< $(SOCKSCAN_LIB_OBJS) -o $@ \
		-ltree-sitter -ljansson -linih -lpthread -lcmocka

# run by `make unit` with the others (its recipe runs all of $^)
unit: $(SOCKSCAN_UNIT)
