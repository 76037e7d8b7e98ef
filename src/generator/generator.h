/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov-generator's decision: whether this boot stage pulls in seprov's unit, and the wiring. */
#pragma once

/* The units the generator pulls in, and the targets that want them. */
#define GENERATOR_INITRD_UNIT   "seprov-initrd.service"
#define GENERATOR_INITRD_TARGET "initrd.target"
#define GENERATOR_SYSTEM_UNIT   "seprov.service"
#define GENERATOR_SYSTEM_TARGET "sysinit.target"

typedef struct Generator {
        const char *dest;     /* the normal output directory; the early and late ones are not used */
        const char *root;     /* $SEPROV_ROOT, or "/" */
        const char *unit_dir; /* where the units are installed: the .wants symlinks point there */
} Generator;

/* In the initrd, pulls seprov-initrd.service into initrd.target unless seprov=0 or selinux=0, from the
 * command line alone. In the real root, pulls seprov.service into sysinit.target when the state files
 * say something is to do (see boot-state.h). A problem with an input (the command line, a state
 * file, an unreadable directory) is logged and wires the unit, so that seprov apply reports it.
 * Writes nothing but the .wants symlink into g->dest.
 * Returns 0, or a negative errno (logged) when the output cannot be written. */
int generator_run(const Generator *g);
