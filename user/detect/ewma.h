/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * EWMA growth detector, as specified in section 1 of the detection
 * semantics reference (after Akka.NET's SocketLeakDetection): a short and a long exponentially weighted moving
 * average of a count, their relative difference, and a one-shot breach
 * timer that is armed once, cancelled on recovery and confirmed when it
 * fires.
 *
 * Pure: no I/O, no clock. Time comes in as monotonic nanoseconds with each
 * sample, so that `sockwatch replay` can run the timer in sample time.
 */
#ifndef SW_EWMA_H
#define SW_EWMA_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * Parameters of one detector, shared by every key of an engine. Names
 * follow the [ewma] config keys. Times are nanoseconds.
 */
struct sw_ewma_params {
	__u64  min_ports;	/* below this the key is not breached */
	__u64  max_ports;	/* count >= max_ports fails outright */
	double max_difference;	/* rd >= this fails */
	__u32  short_samples;	/* N of the short average */
	__u32  long_samples;	/* N of the long average */
	__u64  interval_ns;	/* sample interval */
	__u64  breach_ns;	/* breach_duration: how long a failure may last */
};

/* Fields of sw_ewma_params, to name them in validation messages. */
enum sw_ewma_field {
	SW_EWMA_F_MIN_PORTS,
	SW_EWMA_F_MAX_PORTS,
	SW_EWMA_F_MAX_DIFFERENCE,
	SW_EWMA_F_SHORT_SAMPLES,
	SW_EWMA_F_LONG_SAMPLES,
	SW_EWMA_F_INTERVAL,
	SW_EWMA_F_BREACH,
	SW_EWMA_NFIELDS
};

/* The config-file key names, index by enum sw_ewma_field. */
extern const char *const sw_ewma_key_names[SW_EWMA_NFIELDS];

void sw_ewma_params_default(struct sw_ewma_params *p);

/*
 * Validation of section 1 (min_ports >= 1, max_ports > min_ports,
 * max_difference > 0, long_samples > 2, short_samples < long_samples), plus
 * what the arithmetic needs (short_samples >= 1, interval > 0). Returns -1
 * and the first failing field in *bad (optional) with a message in err
 * that names fields by names[] (NULL: sw_ewma_key_names); 0 when valid.
 */
int sw_ewma_params_check(const struct sw_ewma_params *p,
			 const char *const names[SW_EWMA_NFIELDS],
			 enum sw_ewma_field *bad, char *err, size_t errlen);

/*
 * Decision state. IDLE: no failure pending. ARMED: failing, the timer runs
 * until deadline_ns. CONFIRMED: the timer fired while still failing; the
 * key stays confirmed, without re-arming, until a sample stops failing, so
 * that one episode is confirmed once however long it lasts.
 */
enum sw_ewma_state {
	SW_EWMA_IDLE,
	SW_EWMA_ARMED,
	SW_EWMA_CONFIRMED,
};

/* What one sample did to the state machine. */
enum sw_ewma_transition {
	SW_EWMA_T_NONE,
	SW_EWMA_T_ARMED,	/* IDLE -> ARMED: warning, timer started */
	SW_EWMA_T_CANCELLED,	/* ARMED -> IDLE: back down before the deadline */
	SW_EWMA_T_CONFIRMED,	/* ARMED -> CONFIRMED: the timer fired */
	SW_EWMA_T_RECOVERED,	/* CONFIRMED -> IDLE: back down after confirming */
};

/* One detector. The figures of the last sample are kept for display. */
struct sw_ewma {
	double short_avg;
	double long_avg;
	double rd;		/* last relative difference (NaN for 0/0) */
	__u64  count;		/* last sample */
	__u64  armed_ns;	/* when the current timer was armed */
	__u64  deadline_ns;	/* when it fires */
	__u64  samples;		/* samples taken */
	bool   breached;	/* last sample was >= min_ports */
	bool   fail;		/* last sample failed */
	__u8   state;		/* enum sw_ewma_state */
};

/* Both averages start at min_ports, not at the first sample. */
void sw_ewma_init(struct sw_ewma *e, const struct sw_ewma_params *p);

/*
 * Take one sample at monotonic time now_ns. An armed timer whose deadline
 * is due (now_ns >= deadline_ns) fires first: the sample then still moves
 * the averages but the transition is CONFIRMED, and recovery, if any, is
 * seen on the next sample. So one sample makes at most one transition.
 */
enum sw_ewma_transition sw_ewma_sample(struct sw_ewma *e,
				       const struct sw_ewma_params *p,
				       __u64 count, __u64 now_ns);

/* Fire a due timer between samples: CONFIRMED or NONE. */
enum sw_ewma_transition sw_ewma_poll(struct sw_ewma *e, __u64 now_ns);

/* True when the averages are still at their seed and no timer runs: such a
 * detector behaves like a fresh one (dropping it loses nothing). */
bool sw_ewma_pristine(const struct sw_ewma *e, const struct sw_ewma_params *p);

const char *sw_ewma_state_name(enum sw_ewma_state s);		/* "idle" */
const char *sw_ewma_transition_name(enum sw_ewma_transition t);	/* "armed" */

#endif /* SW_EWMA_H */
