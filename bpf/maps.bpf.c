// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The one definition of the maps and load-time settings (see sockwatch.bpf.h). */
#define SW_DEFINE_MAPS
#include "sockwatch.bpf.h"

const volatile struct sw_filter filter = {};
const volatile bool owned_only = false;
const volatile __u64 wakeup_bytes = 256 * 1024;
const volatile bool task_btf = true;
const volatile bool owner_at_create = false;
const volatile bool perf_output = false;
const volatile bool cpu_rings_on = false;

char LICENSE[] SEC("license") = "Dual BSD/GPL";
