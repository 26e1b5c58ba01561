/* SPDX-License-Identifier: GPL-2.0 */
/* Resolve every site of the scan into findings, sorted by place. */
#ifndef SOCKSCAN_FINDING_H
#define SOCKSCAN_FINDING_H

#include "sockscan.h"

void findings_build(struct scan *sc);

#endif
