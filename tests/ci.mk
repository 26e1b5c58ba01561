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

test-san:
	@$(MAKE) --no-print-directory SANITIZE=address,undefined BUILD=$(SAN_BUILD) test
