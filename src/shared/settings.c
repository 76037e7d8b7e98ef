/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names of the enumerated settings. */

#include "settings.h"
#include "string-table.h"

const char *const selinux_mode_names[] = { "enforcing", "permissive", "disabled", NULL };
const char *const store_mode_names[] = { "writable", "image", NULL };
const char *const on_failure_names[] = { "continue", "emergency", NULL };

DEFINE_STRING_TABLE(selinux_mode, SelinuxMode, selinux_mode_names, _SELINUX_MODE_MAX);
DEFINE_STRING_TABLE(store_mode, StoreMode, store_mode_names, _STORE_MAX);
DEFINE_STRING_TABLE(on_failure, OnFailure, on_failure_names, _ON_FAILURE_MAX);
