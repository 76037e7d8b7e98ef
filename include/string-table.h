/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The NAME_to_string() and NAME_from_string() pair of an enum, from one table of names indexed by its values. */
#pragma once

#include <errno.h>

#include "macro.h"

/* const char *NAME_to_string(TYPE v): TABLE[v], or NULL for a value out of 0..MAX-1. */
#define DEFINE_STRING_TABLE_TO_STRING(name, type, table, max)                     \
        const char *name##_to_string(type v) {                                    \
                return (int) v >= 0 && (int) v < (int) (max) ? (table)[v] : NULL; \
        }

/* int NAME_from_string(const char *s): the value whose name is 's', or -EINVAL. */
#define DEFINE_STRING_TABLE_FROM_STRING(name, table, max)       \
        int name##_from_string(const char *s) {                 \
                for (int i = 0; i < (int) (max); i++)           \
                        if ((table)[i] && streq((table)[i], s)) \
                                return i;                       \
                return -EINVAL;                                 \
        }

#define DEFINE_STRING_TABLE(name, type, table, max)           \
        DEFINE_STRING_TABLE_TO_STRING(name, type, table, max) \
        DEFINE_STRING_TABLE_FROM_STRING(name, table, max)
