/* SPDX-License-Identifier: GPL-2.0 */
/* Releasing what a scan (sockscan.h) holds. */
#ifndef SOCKSCAN_SCAN_H
#define SOCKSCAN_SCAN_H

#include "sockscan.h"

/* Free a file with its sites, imports and symbols. */
void srcfile_free(struct srcfile *f);
/* Free everything @sc owns (not @sc itself, nor its options). */
void scan_free(struct scan *sc);

#endif
