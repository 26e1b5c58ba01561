// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness: sockscan on one Go file (see fuzz_one.h). */
#include "fuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sockscan_fuzz_one(LANG_GO, data, size);
}
