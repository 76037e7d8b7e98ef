/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy store action of seprov apply (store: writable|image, OS updates) and the store's state. */
#pragma once

#include <stdbool.h>

#include "apply.h"
#include "layout.h"

typedef enum StoreKind {
        STORE_KIND_MISSING,  /* no store at all */
        STORE_KIND_IMAGE,    /* the image's read-only store in /usr */
        STORE_KIND_WRITABLE, /* a real, writable store: seprov's copy of the image's, or the system's own */
        STORE_KIND_STALE,    /* seprov's copy, and the image's store changed since (an OS update) */
        _STORE_KIND_MAX,
} StoreKind;

const char *store_kind_to_string(StoreKind k);

/* What the store of a root is now (store-state.c). */
typedef struct StoreState {
        StoreKind kind;
        char *store;              /* the store's path, e.g. "/var/lib/selinux/default" */
        char *copied_from;        /* the image's store the copy was taken from; NULL: not a copy */
        char *policy_copied_from; /* the same for the compiled policy in /etc/selinux/<type> */
        bool policy_stale;        /* the image's compiled policy changed since it was copied */
        bool rebuild_pending;     /* local changes were carried into a new copy, the rebuild is to do */
        char **local_changes;     /* what differs from the image's store ("booleans.local", ...) */
        bool dontaudit_disabled;
        char **booleans;   /* local booleans, "name=on|off" */
        char **modules;    /* modules at local priorities, "name@priority" */
        char **permissive; /* the permissive domains seprov set (its manifest), still in the store */
        int leftovers;     /* staging trees left by an interrupted apply */
} StoreState;

void store_state_done(StoreState *s);

/* Reads the state of the root's store (seprov(8), COMMANDS): its kind, what it was copied from, its
 * local changes, whether dontaudit rules are disabled, local booleans and modules. Reads files only, no libsemanage;
 * cheap enough for every boot. Returns 0 or a negative errno (logged). */
int store_state_read(int root_fd, const Layout *l, StoreState *ret);

/* The store action: with store: writable, copies the image's store and compiled policy out of /usr
 * (staged, labelled, swapped in atomically); with store: image, returns to the image's links when
 * no local change exists (or discardLocalChanges); in any case rebuilds a copy whose image changed
 * (an OS update), carrying the local changes over. Removes leftover staging trees.
 * Returns 0 or a negative errno, after reporting (see apply_action_t). */
int action_store(Apply *a);
