/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The attach plan: which of sockwatch's programs feeds each kind of
 * event, decided by loading them into this kernel.
 *
 * Each event kind has variants (sets of programs in bpf/) in order of
 * preference: the cheapest hook first, then the ones older kernels allow.
 * sw_plan_load() opens the BPF object with the first variant of every
 * event, loads it, and when the kernel rejects a program, records the
 * verifier's reason on that variant, moves that event to its next
 * variant and loads again. So the plan is what this kernel really
 * accepts, helpers and kfuncs included, not what a trivial program of
 * the same type would do. `sockwatch status` also tries the variants that
 * were not needed, to say which would load.
 *
 * SOCKWATCH_FORBID (comma-separated variant or mechanism names, e.g.
 * "tp_btf" or "fexit", and "task_btf" for the in-program fallback of
 * bpf_get_current_task_btf) passes over variants as if they did not load:
 * it exercises the fallbacks on a kernel that does not need them.
 */
#ifndef SW_ATTACH_PLAN_H
#define SW_ATTACH_PLAN_H

#include <stdbool.h>
#include <stdio.h>

enum sw_hook_kind {
	SW_HOOK_CREATE,
	SW_HOOK_BIND,
	SW_HOOK_CONNECT,
	SW_HOOK_STATE,		/* also LISTEN */
	SW_HOOK_ACCEPT,
	SW_HOOK_CLOSE,
	SW_HOOK_MAX
};

enum sw_mech {
	SW_MECH_NONE,
	SW_MECH_FENTRY,		/* fentry/fexit (BPF trampoline) */
	SW_MECH_TP_BTF,		/* BTF-typed tracepoint */
	SW_MECH_CGROUP,		/* cgroup-v2 sock / sock_addr program */
	SW_MECH_SOCKOPS,	/* cgroup-v2 sock_ops program */
	SW_MECH_TRACEPOINT,	/* classic (syscall) tracepoint */
	SW_MECH_MAX
};

#define SW_PLAN_MAX_CAND 4

/* What became of one variant of an event. */
enum sw_cand_state {
	SW_CAND_UNTRIED,	/* a better one loaded first */
	SW_CAND_LOADS,
	SW_CAND_FAILS,		/* the kernel rejected it; why says how */
	SW_CAND_UNFIT,		/* not for this kernel (why), not loaded */
	SW_CAND_FORBIDDEN,	/* SOCKWATCH_FORBID */
};

struct sw_plan_cand {
	const struct sw_variant *v;
	enum sw_cand_state state;
	char why[160];
};

struct sw_plan_entry {
	const char *event;			/* "create", ... */
	enum sw_mech chosen;			/* SW_MECH_NONE: unavailable */
	const char *hook;			/* the chosen hook's name */
	char why[160];				/* one line: the choice */
	int cur;				/* candidate in use, or -1 */
	int ncand;
	struct sw_plan_cand c[SW_PLAN_MAX_CAND];
};

struct sw_attach_plan {
	struct sw_plan_entry e[SW_HOOK_MAX];
	char cgroup_path[256];			/* cgroup v2 root used */
	char cgroup_err[128];			/* why there is none */
	bool owned_only;			/* agent mode (see loader.h) */
	bool no_task_btf;			/* bpf_get_current_task_btf refused */
	bool complete;				/* every event kind has a hook */
	int loads;				/* object loads it took */
};

/*
 * Fill the plan's candidates for a mode (owned_only: the agent's, where
 * accepted sockets inherit the listener's storage and no accept program
 * runs). Finds the cgroup v2 root. Never fails.
 */
void sw_plan_init(struct sw_attach_plan *plan, bool owned_only);

struct sockwatch_bpf;
/* Applied to each freshly opened object before it is loaded (sizes,
 * read-only settings, map flags); 0 or -errno. */
typedef int (*sw_plan_setup_fn)(struct sockwatch_bpf *skel, void *ctx);

/*
 * Load the best variant of each event this kernel accepts. Returns the
 * loaded object (nothing attached yet), or NULL: the plan is incomplete
 * (sw_plan_missing() says why) or setup failed (*err says how).
 */
struct sockwatch_bpf *sw_plan_load(struct sw_attach_plan *plan,
				   sw_plan_setup_fn setup, void *ctx, int *err);

/* Try, one by one, the variants that a better one made unnecessary, so
 * that the plan says which would load (for `sockwatch status`). */
void sw_plan_probe_rest(struct sw_attach_plan *plan);

/* One line naming what the kernel lacks for an incomplete plan. */
void sw_plan_missing(const struct sw_attach_plan *plan, char *buf, size_t len);

/* The programs of event k's chosen variant, NULL-terminated (none: NULL). */
const char *const *sw_plan_progs(const struct sw_attach_plan *plan, int k);

/* Is the program named part of the plan's chosen variants? */
bool sw_plan_uses(const struct sw_attach_plan *plan, const char *prog);

const char *sw_mech_name(enum sw_mech m);

/* Print the plan: per event the chosen hook, then every candidate and
 * what became of it. */
void sw_plan_print(const struct sw_attach_plan *plan, FILE *f);

/* Find (or mount) the cgroup v2 hierarchy; 0 and the path, or -errno. */
int sw_cgroup2_root(char *path, size_t len);

#endif /* SW_ATTACH_PLAN_H */
