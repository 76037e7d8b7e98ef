/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Relabelling the root's files: a full relabel when asked for (autorelabel, /.autorelabel, a mode
 * change from disabled) or left pending by a killed apply, and the targeted relabel after file
 * context rules changed. */
#pragma once

#include "apply.h"

/* The record of a relabel under way, in the root: "full", or one subtree per line. Written before the
 * relabel starts, removed once it is done, so that the next apply finishes a relabel that was killed. */
#define RELABEL_PENDING_DIR  "/var/lib/seprov"
#define RELABEL_PENDING_FILE "relabel-pending"
/* The file that asks for a full relabel at the next boot, as on other distributions. */
#define RELABEL_TRIGGER_FILE "/.autorelabel"

/* Whether anything asks for a relabel in this apply, even with an empty config: a pending record, the
 * trigger file, autorelabel on the kernel command line in the initrd stage. */
bool action_relabel_wanted(Apply *a);

/* Relabels what is asked for, before the mode is written (a relabel that fails leaves a mode change
 * from disabled to the next boot), and removes the trigger file and the pending record when done.
 * Progress goes to the console every few seconds in the initrd stage. See apply_action_t. */
int action_relabel(Apply *a);
