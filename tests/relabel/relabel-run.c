/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A driver for the relabel engine on a fixture root, for tests and benchmarks:
 *   relabel-run --root=DIR [--policy=/etc/selinux/TYPE] [--dry-run] [--threads=N] [--progress]
 *               full | subtrees PATH... | targeted [--equivalence=PATH]... REGEX...
 * Prints each changed path as "PATH FROM TO" (FROM "-" for none), then a "files= changed= errors=
 * skipped-mounts=" summary line. Exit 0, or 1 when the engine returned an error. */

#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "chase.h"
#include "log.h"
#include "relabel.h"
#include "strutil.h"

static void print_changed(const char *path, const char *from, const char *to, void *userdata) {
        (void) userdata;
        printf("%s %s %s\n", path, from ?: "-", to);
}

static void print_progress(const RelabelProgress *p, void *userdata) {
        (void) userdata;
        fprintf(stderr, "progress: %" PRIu64 " of %" PRIu64 " files, %" PRIu64 " s left\n", p->done, p->total,
                p->left_usec / 1000000);
}

int main(int argc, char **argv) {
        static const struct option options[] = {
                { "root", required_argument, NULL, 'r' },     { "policy", required_argument, NULL, 'p' },
                { "dry-run", no_argument, NULL, 'n' },        { "threads", required_argument, NULL, 't' },
                { "progress", no_argument, NULL, 'P' },       { "equivalence", required_argument, NULL, 'e' },
                { "quiet", no_argument, NULL, 'q' },          {},
        };
        const char *root = NULL, *policy = "/etc/selinux/default";
        _cleanup_strv_free_ char **equivalences = NULL;
        RelabelOptions o = { .scratch_fd = -EBADF, .changed = print_changed };
        RelabelStats st = {};
        _cleanup_close_ int root_fd = -EBADF, scratch_fd = -EBADF;
        int c, r;

        log_parse_environment();
        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case 'r': root = optarg; break;
                case 'p': policy = optarg; break;
                case 'n': o.dry_run = true; break;
                case 't': o.threads = (unsigned) atoi(optarg); break;
                case 'P':
                        o.progress = print_progress;
                        o.progress_interval_usec = 1000000;
                        break;
                case 'e':
                        if (strv_extend(&equivalences, optarg) < 0)
                                return 2;
                        break;
                case 'q': o.changed = NULL; break;
                default: return 2;
                }
        if (!root || optind >= argc)
                return fprintf(stderr, "usage: relabel-run --root=DIR full|subtrees PATH...|targeted REGEX...\n"), 2;
        root_fd = chase_root_open(root);
        if (root_fd < 0)
                return 2;
        /* The scratch directory of the subset, as seprov's runtime directory. */
        scratch_fd = open(getenv("TMPDIR") ?: "/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
        o.scratch_fd = scratch_fd;
        if (streq(argv[optind], "full"))
                r = relabel_run(root_fd, root, policy, &o, &st);
        else if (streq(argv[optind], "subtrees")) {
                o.subtrees = argv + optind + 1;
                r = relabel_run(root_fd, root, policy, &o, &st);
        } else if (streq(argv[optind], "targeted"))
                r = relabel_targeted(root_fd, root, policy, argv + optind + 1, equivalences, &o, &st);
        else
                return 2;
        fprintf(stderr, "files=%" PRIu64 " changed=%" PRIu64 " errors=%" PRIu64 " skipped-mounts=%" PRIu64 " usec=%" PRIu64 "\n",
                st.files, st.changed, st.errors, st.skipped_mounts, st.usec);
        return r < 0 ? 1 : 0;
}
