# The reliability runs of CI (.ci/run). Included by the root Makefile.
#
#   make ci-stress   the whole of `make test` while two busy loops keep
#                    both CPUs loaded (a test that needs an idle machine
#                    fails here rather than on a busy CI runner)
#   make test-san    unit and end-to-end tests on the ASan+UBSan build
#                    (build-san/); LeakSanitizer on
SAN_BUILD	?= build-san

.PHONY: ci-stress test-san
ci-stress:
	@bash tests/ci-stress.sh $(MAKE) test

# allocator_may_return_null: a failed allocation is a NULL, as in the
# normal build, so that tests of out-of-memory paths (an impossible size)
# exercise them instead of stopping in the allocator.
# tests/lsan.supp: what LeakSanitizer reports inside third-party libraries.
test-san:
	@ASAN_OPTIONS=allocator_may_return_null=1$${ASAN_OPTIONS:+:$$ASAN_OPTIONS} \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp$${LSAN_OPTIONS:+:$$LSAN_OPTIONS} \
		$(MAKE) --no-print-directory SANITIZE=address,undefined BUILD=$(SAN_BUILD) test
