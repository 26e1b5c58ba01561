# sockscan's libFuzzer harnesses (tools/sockscan/fuzz/fuzz_extract.c), one
# per language, built with clang -fsanitize=fuzzer,address,undefined.
# Included by sockscan.mk.
#
#   make fuzz FUZZ_SECONDS=N     run each harness for N seconds (default 60);
#                                fails on any crash, sanitizer report, leak
#                                or timeout (the input is kept in
#                                build/fuzz/sockscan-LANG/artifacts/)
#
# Each harness starts from the fixtures, the robustness cases and the
# benchmark corpus of its language (copied into build/fuzz/sockscan-LANG/
# corpus, where libFuzzer adds what it finds; never committed).

FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_FLAGS	?= -max_len=16384 -timeout=10 -rss_limit_mb=2048
SOCKSCAN_FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -Wall -Wno-unused-parameter \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		   -fno-omit-frame-pointer -I$(SOCKSCAN_DIR)
SOCKSCAN_FUZZ_SRCS := $(filter-out $(SOCKSCAN_DIR)/main.c,$(SOCKSCAN_SRCS)) \
		   $(SOCKSCAN_DIR)/fuzz/fuzz_extract.c
SOCKSCAN_FUZZERS := $(BUILD)/fuzz/sockscan-fuzz-go $(BUILD)/fuzz/sockscan-fuzz-py

$(BUILD)/fuzz/sockscan-fuzz-go: FUZZ_LANG := LANG_GO
$(BUILD)/fuzz/sockscan-fuzz-py: FUZZ_LANG := LANG_PY
$(SOCKSCAN_FUZZERS): $(SOCKSCAN_FUZZ_SRCS) $(SOCKSCAN_HDRS) $(GRAMMAR_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(SOCKSCAN_FUZZ_CFLAGS) -DFUZZ_LANG=$(FUZZ_LANG) \
		$(SOCKSCAN_FUZZ_SRCS) $(GRAMMAR_OBJS) -o $@ -ltree-sitter -ljansson -lpthread

.PHONY: fuzz sockscan-fuzz sockscan-fuzzers
sockscan-fuzzers: $(SOCKSCAN_FUZZERS)

sockscan-fuzz: $(SOCKSCAN_FUZZERS)
	@for lang in go py; do \
		dir=$(BUILD)/fuzz/sockscan-$$lang; \
		mkdir -p $$dir/corpus $$dir/artifacts; \
		find tests/sockscan -name "*.$$lang" -exec cp -n {} $$dir/corpus/ \; ; \
		echo "fuzz: sockscan $$lang for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/sockscan-fuzz-$$lang $(FUZZ_FLAGS) \
			-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$$dir/artifacts/ $$dir/corpus \
			>$$dir/log.txt 2>&1 || { tail -n 60 $$dir/log.txt; \
			echo "fuzz: sockscan $$lang: FINDING (see $$dir/artifacts, $$dir/log.txt)"; exit 1; }; \
		grep -E '^stat::|cov:' $$dir/log.txt | tail -n 8; \
	done

fuzz: sockscan-fuzz
