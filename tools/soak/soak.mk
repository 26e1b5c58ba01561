# make soak SOAK_MINUTES=N [SOAK_SOCKETS=100000]: the agent under a held
# and churning socket workload, its table compared with ss every minute
# (tools/soak/README.md). Included by the root Makefile.
SOAK_MINUTES	?= 10
SOAK_SOCKETS	?= 100000

.PHONY: soak
soak: all $(BUILD)/tools/holdsocks $(BUILD)/tools/churn
	python3 tools/soak/soak.py --minutes $(SOAK_MINUTES) --sockets $(SOAK_SOCKETS) \
		--build $(BUILD) $(if $(SOAK_JSON),--json $(SOAK_JSON))
