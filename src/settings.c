/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names of the enumerated settings. */

#include <errno.h>

#include "macro.h"
#include "settings.h"

const char *const selinux_mode_names[] = { "enforcing", "permissive", "disabled", NULL };
const char *const store_mode_names[] = { "writable", "image", NULL };
const char *const on_failure_names[] = { "continue", "emergency", NULL };

static const char *lookup(const char *const *names, int n, int v) {
        return v >= 0 && v < n ? names[v] : NULL;
}

static int parse(const char *const *names, const char *s) {
        for (int i = 0; names[i]; i++)
                if (streq(names[i], s))
                        return i;
        return -EINVAL;
}

const char *selinux_mode_to_string(SelinuxMode m) {
        return lookup(selinux_mode_names, _SELINUX_MODE_MAX, m);
}
int selinux_mode_from_string(const char *s) {
        return parse(selinux_mode_names, s);
}
const char *store_mode_to_string(StoreMode m) {
        return lookup(store_mode_names, _STORE_MAX, m);
}
int store_mode_from_string(const char *s) {
        return parse(store_mode_names, s);
}
const char *on_failure_to_string(OnFailure m) {
        return lookup(on_failure_names, _ON_FAILURE_MAX, m);
}
int on_failure_from_string(const char *s) {
        return parse(on_failure_names, s);
}
