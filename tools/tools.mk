# Benchmark workloads and the event-pipeline benchmark (tools/bench/README.md).
# Included by the root Makefile; BUILD, CC, CFLAGS, USER_LIB, LDLIBS and
# DEPS_STAMP come from there.

BENCH_WORKLOADS := $(patsubst tools/workload/%.c,$(BUILD)/tools/%,$(wildcard tools/workload/*.c))

$(BENCH_WORKLOADS): $(BUILD)/tools/%: tools/workload/%.c tools/workload/loopback.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpthread

# The pipeline benchmark links the agent's own decoding, socket table and
# detectors, so it measures exactly the code the agent runs.
PIPELINE_BENCH := $(BUILD)/tools/pipeline_bench

$(PIPELINE_BENCH): tools/bench/pipeline_bench.c $(USER_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) $< -o $@ $(USER_LIB) $(LDLIBS)

.PHONY: bench-tools
bench-tools: $(BENCH_WORKLOADS)

EXTRA_BENCH_DEPS += $(BENCH_WORKLOADS) $(PIPELINE_BENCH)

# The reconciliation test holds sockets with holdsocks.
EXTRA_E2E_DEPS += $(BUILD)/tools/holdsocks
# The cost test drives traffic with churn.
EXTRA_E2E_DEPS += $(BUILD)/tools/churn
