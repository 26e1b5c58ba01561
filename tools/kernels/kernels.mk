# make test-kernels: the end-to-end suite on Debian's own kernels under
# qemu (tools/kernels/kernels.sh). KERNELS picks them (default 5.10 6.1;
# 6.12 is pinned too); E2E narrows the suite as for `make e2e`.
KERNELS	?= 5.10 6.1

.PHONY: test-kernels
test-kernels: all $(EXTRA_E2E_DEPS) $(UNIT_BINS)
	@bash tools/kernels/kernels.sh $(KERNELS)
