/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The record of the "seprov" key of the Ignition config, for the boots after the one Ignition ran. */
#pragma once

#include "apply.h"

/* On a boot where Ignition ran, makes IGNITION_RECORD hold the "seprov" key of the config Ignition
 * fetched (removes it when that config has none); on other boots does nothing. A config that is
 * not valid JSON is left to config_load() to report. Dry run: reports what it would do.
 * Returns 0 or a negative errno, after reporting. */
int ignition_record_update(Apply *a);
