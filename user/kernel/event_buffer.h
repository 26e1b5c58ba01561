/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the kernel programs' records come through, by name: the agent's
 * [agent] event_buffer and trace's --event-buffer. bpf/sockwatch.bpf.h
 * says what each costs, README's Performance section what it measured.
 */
#ifndef SW_EVENT_BUFFER_H
#define SW_EVENT_BUFFER_H

enum sw_event_buffer {
	SW_BUF_RING,		/* a BPF ring buffer per CPU (the default) */
	SW_BUF_SHARED_RING,	/* one ring buffer for all CPUs */
	SW_BUF_PERF,		/* a perf buffer per CPU */
};

/* "ring", "shared-ring" or "perf" into @b; -1 for anything else. */
int sw_event_buffer_parse(const char *name, enum sw_event_buffer *b);
/* The name of @b. */
const char *sw_event_buffer_name(enum sw_event_buffer b);

#endif /* SW_EVENT_BUFFER_H */
