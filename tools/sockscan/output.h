/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Report writers. The field names are those of tools/sockscan/README.md;
 * JSON and SARIF carry the same finding object (SARIF in properties).
 */
#ifndef SOCKSCAN_OUTPUT_H
#define SOCKSCAN_OUTPUT_H

#include <stdio.h>
#include <jansson.h>

#include "sockscan.h"

#define SOCKSCAN_VERSION "1.0.0"

/* @s as a JSON string with bad UTF-8 escaped (see str_escape), or null. */
json_t *json_text(const char *s);
/* One finding as a JSON object (new reference). */
json_t *finding_json(const struct finding *fd);
const char *lang_name(enum lang l);
int output_json(struct scan *sc, FILE *out);
int output_csv(struct scan *sc, FILE *out);
int output_sarif(struct scan *sc, FILE *out);

#endif
