/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy store action of seprov apply (store: writable|image, OS updates) and its status. */
#pragma once

#include <stdbool.h>

#include "apply.h"
#include "layout.h"

typedef enum StoreState {
        STORE_STATE_MISSING,  /* no store at all */
        STORE_STATE_IMAGE,    /* the image's read-only store in /usr */
        STORE_STATE_WRITABLE, /* a real, writable store: seprov's copy of the image's, or the system's own */
        STORE_STATE_STALE,    /* seprov's copy, and the image's store changed since (an OS update) */
        _STORE_STATE_MAX,
} StoreState;

const char *store_state_to_string(StoreState s);

typedef struct StoreStatus {
        StoreState state;
        char *store;              /* the store's path, e.g. "/var/lib/selinux/default" */
        char *copied_from;        /* the image's store the copy was taken from; NULL: not a copy */
        char *policy_copied_from; /* the same for the compiled policy in /etc/selinux/<type> */
        bool policy_stale;        /* the image's compiled policy changed since it was copied */
        bool rebuild_pending;     /* local changes were carried into a new copy, the rebuild is to do */
        char **local_changes;     /* what differs from the image's store ("booleans.local", ...) */
        bool dontaudit_disabled;
        char **booleans; /* local booleans, "name=on|off" */
        char **modules;  /* modules at local priorities, "name@priority" */
        int leftovers;   /* staging trees left by an interrupted apply */
} StoreStatus;

void store_status_done(StoreStatus *s);

/* What the store of the root looks like (seprov(8), COMMANDS): its state, what it was copied from, its local
 * changes, the dontaudit state, local booleans and modules. Reads files only, no libsemanage; cheap
 * enough for every boot. Returns 0 or a negative errno (logged). */
int store_status(int root_fd, const Layout *l, StoreStatus *ret);

/* The store action: with store: writable, copies the image's store and compiled policy out of /usr
 * (staged, labelled, swapped in atomically); with store: image, returns to the image's links when
 * no local change exists (or discardLocalChanges); in any case rebuilds a copy whose image changed
 * (an OS update), carrying the local changes over. Removes leftover staging trees.
 * Returns 0 or a negative errno, after reporting (see apply_action_t). */
int action_store(Apply *a);
