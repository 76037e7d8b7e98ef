/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The enumerated settings an operator can ask for, and their names in configs and on the command line. */
#pragma once

typedef enum SelinuxMode {
        SELINUX_MODE_ENFORCING,
        SELINUX_MODE_PERMISSIVE,
        SELINUX_MODE_DISABLED,
        _SELINUX_MODE_MAX,
        _SELINUX_MODE_INVALID = -1,
} SelinuxMode;

typedef enum StoreMode {
        STORE_WRITABLE, /* a real copy in /var/lib/selinux and /etc/selinux */
        STORE_IMAGE,    /* the image's read-only store in /usr */
        _STORE_MAX,
        _STORE_INVALID = -1,
} StoreMode;

typedef enum OnFailure {
        ON_FAILURE_CONTINUE,  /* keep the previous state, let the boot go on */
        ON_FAILURE_EMERGENCY, /* the initrd stage fails closed */
        _ON_FAILURE_MAX,
        _ON_FAILURE_INVALID = -1,
} OnFailure;

/* Each *_to_string() returns the name, or NULL for an out-of-range value; each *_from_string()
 * returns the value or -EINVAL. Names are exact (lower case, as documented). */
const char *selinux_mode_to_string(SelinuxMode m);
int selinux_mode_from_string(const char *s);
const char *store_mode_to_string(StoreMode m);
int store_mode_from_string(const char *s);
const char *on_failure_to_string(OnFailure m);
int on_failure_from_string(const char *s);

/* NULL-terminated name lists, for messages that say what is allowed. */
extern const char *const selinux_mode_names[];
extern const char *const store_mode_names[];
extern const char *const on_failure_names[];
