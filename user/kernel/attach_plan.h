/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The attach plan: which kernel hook feeds each kind of event, chosen at
 * start-up from what this kernel lets sockwatch load.
 *
 * Each event kind has candidates in order of preference. Probing loads a
 * trivial program of each candidate's type (and attach target) and keeps
 * the first that loads; the plan records why each was taken or passed
 * over, for `sockwatch status` and /api/v1/status.
 */
#ifndef SW_ATTACH_PLAN_H
#define SW_ATTACH_PLAN_H

#include <stdbool.h>

enum sw_hook_kind {
	SW_HOOK_CREATE,
	SW_HOOK_BIND,
	SW_HOOK_CONNECT,
	SW_HOOK_STATE,		/* also LISTEN */
	SW_HOOK_ACCEPT,
	SW_HOOK_CLOSE,
	SW_HOOK_MAX
};

/* The mechanisms sockwatch has programs for, or probes to report. */
enum sw_mech {
	SW_MECH_NONE,
	SW_MECH_FENTRY,		/* fentry/fexit: probed, reported */
	SW_MECH_TP_BTF,		/* BTF-typed tracepoint */
	SW_MECH_CGROUP,		/* cgroup-v2 sock / sock_addr program */
	SW_MECH_TRACEPOINT,	/* classic (syscall) tracepoint */
	SW_MECH_MAX
};

#define SW_PLAN_MAX_CAND 3

struct sw_plan_entry {
	const char *event;			/* "create", ... */
	enum sw_mech chosen;			/* SW_MECH_NONE: unavailable */
	const char *hook;			/* the chosen hook's name */
	char why[160];				/* choice, and what was passed over */
};

struct sw_attach_plan {
	struct sw_plan_entry e[SW_HOOK_MAX];
	bool mech_ok[SW_MECH_MAX];
	char mech_why[SW_MECH_MAX][96];		/* probe result per mechanism */
	char cgroup_path[256];			/* cgroup v2 root used */
	bool complete;				/* every event kind has a hook */
};

/*
 * Probe this kernel and fill the plan. Needs root; never fails: what
 * cannot be probed is recorded as unavailable with the reason. Without
 * full, the BTF-typed probes are left out (parsing the kernel's BTF costs
 * tens of milliseconds, and loading sockwatch's own programs proves
 * tp_btf anyway): for start-up. `sockwatch status` probes in full.
 */
void sw_plan_probe(struct sw_attach_plan *plan, bool full);

const char *sw_mech_name(enum sw_mech m);

/* Print the plan as an aligned table, one line per event kind. */
#include <stdio.h>
void sw_plan_print(const struct sw_attach_plan *plan, FILE *f);

/* Find (or mount) the cgroup v2 hierarchy; 0 and the path, or -errno. */
int sw_cgroup2_root(char *path, size_t len);

#endif /* SW_ATTACH_PLAN_H */
