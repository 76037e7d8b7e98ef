/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The relabel action: what asks for a relabel, the record that makes it crash-safe, the progress the
 * console shows while it runs. The walk itself is src/core/relabel.c. */

#include <inttypes.h>
#include <sys/stat.h>

#include "action-relabel.h"
#include "chase.h"
#include "fileio.h"
#include "log.h"
#include "messages.h"
#include "relabel.h"
#include "strutil.h"

#define PENDING_MAX            (1024 * 1024)
#define PROGRESS_INTERVAL_USEC (5 * 1000000ULL)

/* What this apply relabels and why. */
typedef struct RelabelPlan {
        bool full;
        char **subtrees; /* when not full */
        char *why;
        bool trigger_file; /* /.autorelabel is to be removed once done */
        bool pending;      /* a killed apply's record was found */
} RelabelPlan;

static void relabel_plan_done(RelabelPlan *p) {
        p->subtrees = strv_free(p->subtrees);
        p->why = mfree(p->why);
}

static int plan_add_why(RelabelPlan *p, const char *why) {
        return strextend(&p->why, "%s%s", p->why ? ", " : "", why);
}

/* Reads the pending record into the plan. Returns 1 when there is one, 0 when not, or -errno. */
static int pending_read(Apply *a, RelabelPlan *p) {
        _cleanup_free_ char *text = NULL;
        char *save = NULL;
        int r;

        r = read_full_file_at(a->ctx->root_fd, RELABEL_PENDING_DIR "/" RELABEL_PENDING_FILE, PENDING_MAX, &text,
                              /* ret_size= */ NULL, /* ret_st= */ NULL, /* ret_path= */ NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_error_errno(r, "Cannot read %s/%s: %m", RELABEL_PENDING_DIR, RELABEL_PENDING_FILE);
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (streq(line, "full"))
                        p->full = true;
                else if (line[0] == '/' && strv_extend(&p->subtrees, line) < 0)
                        return log_oom();
        }
        p->pending = true;
        return 1;
}

static int pending_write(Apply *a, const RelabelPlan *p) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *text = NULL, *name = NULL;
        int r;

        if (p->full)
                text = strdup("full\n");
        else
                STRV_FOREACH (s, p->subtrees)
                        if (strextend(&text, "%s\n", *s) < 0)
                                return log_oom();
        if (!text)
                return log_oom();
        r = chase(a->ctx->root_fd, RELABEL_PENDING_DIR, CHASE_MISSING_OK, &dir_fd, &name, /* ret_path= */ NULL);
        if (r > 0 && mkdirat(dir_fd, name, 0755) < 0 && errno != EEXIST)
                r = negative_errno();
        if (r >= 0) {
                _cleanup_close_ int fd = openat(dir_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                r = fd < 0 ? negative_errno()
                           : write_file_atomic_at(
                                     fd, RELABEL_PENDING_FILE, text, strlen(text),
                                     &(const WriteOptions){ .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1 });
        }
        if (r < 0)
                return log_error_errno(r, "Cannot record the relabel in %s/%s: %m", RELABEL_PENDING_DIR,
                                       RELABEL_PENDING_FILE);
        return 0;
}

/* Removes the file 'path' (absolute, in the root), its directory synced. Missing is fine. */
static int remove_file(Apply *a, const char *path) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL;
        int r;

        r = chase(a->ctx->root_fd, path, CHASE_NOFOLLOW, &dir_fd, &name, /* ret_path= */ NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        _cleanup_close_ int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (unlinkat(fd, name, 0) < 0)
                return errno == ENOENT ? 0 : negative_errno();
        return fsync_directory(fd);
}

static bool trigger_file_exists(Apply *a) {
        struct stat st;

        return fstatat(a->ctx->root_fd, RELABEL_TRIGGER_FILE + 1, &st, AT_SYMLINK_NOFOLLOW) >= 0;
}

/* Files created while SELinux was disabled have no labels: switching it on relabels them first. */
static bool mode_leaves_disabled(Apply *a) {
        SelinuxMode want = a->config ? a->config->mode : _SELINUX_MODE_INVALID;

        return a->layout.config.mode == SELINUX_MODE_DISABLED &&
               (want == SELINUX_MODE_PERMISSIVE || want == SELINUX_MODE_ENFORCING);
}

static int relabel_plan(Apply *a, const char *policy, RelabelPlan *p) {
        int r;

        r = pending_read(a, p);
        if (r < 0)
                return r;
        if (r > 0 && plan_add_why(p, "a relabel an earlier apply did not finish") < 0)
                return log_oom();
        if (a->ctx->stage == STAGE_INITRD && a->ctx->args.autorelabel) {
                p->full = true;
                if (plan_add_why(p, "autorelabel on the kernel command line") < 0)
                        return log_oom();
        }
        if (trigger_file_exists(a)) {
                p->full = p->trigger_file = true;
                if (plan_add_why(p, RELABEL_TRIGGER_FILE " exists") < 0)
                        return log_oom();
        }
        if (!p->full && (a->relabel_regexes || a->relabel_equivalences)) {
                _cleanup_strv_free_ char **changed = NULL;

                r = relabel_subtrees_for(a->relabel_regexes, a->relabel_equivalences, &changed);
                STRV_FOREACH (s, changed)
                        if (r >= 0 && !strv_contains(p->subtrees, *s))
                                r = strv_extend(&p->subtrees, *s);
                if (r < 0 || plan_add_why(p, "file contexts changed") < 0)
                        return log_oom();
                r = relabel_subtrees_add_aliases(a->ctx->root_fd, policy, &p->subtrees);
                if (r < 0)
                        return r == -ENOMEM ? log_oom() : r;
        }
        if (mode_leaves_disabled(a)) {
                p->full = true;
                if (plan_add_why(p, "the mode changes from disabled") < 0)
                        return log_oom();
        }
        return 0;
}

bool action_relabel_wanted(Apply *a) {
        struct stat st;

        assert(a);

        return (a->ctx->stage == STAGE_INITRD && a->ctx->args.autorelabel) || trigger_file_exists(a) ||
               fstatat(a->ctx->root_fd, RELABEL_PENDING_DIR "/" RELABEL_PENDING_FILE + 1, &st, AT_SYMLINK_NOFOLLOW) >=
                       0;
}

typedef struct Progress {
        bool console;
} Progress;

static void relabel_progress(const RelabelProgress *p, void *userdata) {
        Progress *pr = userdata;
        unsigned pct = p->total > 0 ? (unsigned) (p->done * 100 / p->total) : 0;

        if (p->left_usec > 0) {
                log_info("Relabelling: %" PRIu64 " of about %" PRIu64 " files (%u%%), about %" PRIu64 " s left.",
                         p->done, p->total, pct, (p->left_usec + 999999) / 1000000);
                if (pr->console)
                        log_console("Relabelling: %" PRIu64 " of about %" PRIu64 " files (%u%%), about %" PRIu64
                                    " s left.",
                                    p->done, p->total, pct, (p->left_usec + 999999) / 1000000);
        } else {
                log_info("Relabelling: %" PRIu64 " files so far.", p->done);
                if (pr->console)
                        log_console("Relabelling: %" PRIu64 " files so far.", p->done);
        }
}

static void relabel_listed(const char *path, const char *from, const char *to, void *userdata) {
        (void) userdata;
        log_notice("Would relabel %s from %s to %s.", path, from ?: "(none)", to);
}

static const char *plan_what(const RelabelPlan *p) {
        return p->full ? "the root's persistent filesystems" : "the changed file contexts' paths";
}

int action_relabel(Apply *a) {
        _cleanup_(relabel_plan_done) RelabelPlan p = {};
        _cleanup_free_ char *policy = NULL;
        _cleanup_close_ int scratch_fd = -EBADF;
        uint64_t since = report_now_usec();
        Progress pr = { .console = a->ctx->stage == STAGE_INITRD && !a->ctx->offline };
        RelabelOptions o;
        RelabelStats st = {};
        int r;

        assert(a);

        policy = strjoin("/etc/selinux/", strempty(a->layout.type));
        if (!policy)
                return log_oom();
        r = relabel_plan(a, policy, &p);
        if (r < 0)
                return report_action(&a->report, "relabel", OUTCOME_FAILED, SEPROV_MESSAGE_RELABEL, since,
                                     "cannot tell what to relabel")
                               ?: r;
        if (!p.full && !p.subtrees)
                return 0;
        if (!a->layout.type)
                return report_action(&a->report, "relabel", OUTCOME_FAILED, SEPROV_MESSAGE_RELABEL, since,
                                     "cannot relabel (%s): no policy type", p.why)
                               ?: -ENOENT;
        /* A dry run creates nothing, not even seprov's runtime directory: it loads all of file_contexts. */
        scratch_fd = a->dry_run ? -EBADF : context_seprov_run_open(a->ctx);
        o = (RelabelOptions){
                .subtrees = p.full ? NULL : p.subtrees,
                .dry_run = a->dry_run,
                .progress_interval_usec = PROGRESS_INTERVAL_USEC,
                .progress = relabel_progress,
                .changed = a->dry_run ? relabel_listed : NULL,
                .userdata = &pr,
                .scratch_fd = scratch_fd,
        };
        if (a->dry_run) {
                r = relabel_run(a->ctx->root_fd, a->ctx->root, policy, &o, &st);
                if (r < 0)
                        return report_action(&a->report, "relabel", OUTCOME_FAILED, SEPROV_MESSAGE_RELABEL, since,
                                             "would relabel %s (%s), but cannot look at them: %s", plan_what(&p),
                                             p.why, strerror(-r))
                                       ?: r;
                return report_action(&a->report, "relabel", OUTCOME_PLANNED, SEPROV_MESSAGE_RELABEL, since,
                                     "would relabel %" PRIu64 " of %" PRIu64 " files of %s (%s)%s", st.changed,
                                     st.files, plan_what(&p), p.why,
                                     p.trigger_file ? " and remove " RELABEL_TRIGGER_FILE : "");
        }
        /* Before the first label is written: a relabel killed at any point is done again by the next
         * apply. Written again when one is pending: this apply may add to it. */
        r = pending_write(a, &p);
        if (r < 0)
                return report_action(&a->report, "relabel", OUTCOME_FAILED, SEPROV_MESSAGE_RELABEL, since,
                                     "cannot record the relabel of %s (%s) before starting it: %s", plan_what(&p),
                                     p.why, strerror(-r))
                               ?: r;
        if (pr.console)
                log_console("Relabelling %s (%s); this may take a while.", plan_what(&p), p.why);
        r = relabel_run(a->ctx->root_fd, a->ctx->root, policy, &o, &st);
        if (r < 0)
                return report_action(&a->report, "relabel", OUTCOME_FAILED, SEPROV_MESSAGE_RELABEL, since,
                                     "relabelled %" PRIu64 " of %" PRIu64 " files of %s (%s), but %" PRIu64
                                     " could not be: %s; the next apply tries again",
                                     st.changed, st.files, plan_what(&p), p.why, st.errors, strerror(-r))
                               ?: r;
        /* The trigger first: a crash between the two leaves the record, and the relabel is done again. */
        r = p.trigger_file ? remove_file(a, RELABEL_TRIGGER_FILE) : 0;
        if (r >= 0)
                r = remove_file(a, RELABEL_PENDING_DIR "/" RELABEL_PENDING_FILE);
        if (r < 0)
                return report_action(&a->report, "relabel", OUTCOME_FAILED, SEPROV_MESSAGE_RELABEL, since,
                                     "relabelled %s (%s), but cannot remove %s: %s", plan_what(&p), p.why,
                                     p.trigger_file ? RELABEL_TRIGGER_FILE
                                                    : RELABEL_PENDING_DIR "/" RELABEL_PENDING_FILE,
                                     strerror(-r))
                               ?: r;
        if (pr.console)
                log_console("Relabelled %" PRIu64 " of %" PRIu64 " files in %.1f s.", st.changed, st.files,
                            (double) st.usec / 1e6);
        /* autorelabel on the kernel command line relabels at every boot: one that found every label
         * right changed nothing. */
        return report_action(&a->report, "relabel",
                             st.changed > 0 || p.trigger_file || p.pending ? OUTCOME_CHANGED : OUTCOME_UNCHANGED,
                             SEPROV_MESSAGE_RELABEL, since,
                             "relabelled %" PRIu64 " of %" PRIu64 " files of %s in %.1f s (%s)%s", st.changed,
                             st.files, plan_what(&p), (double) st.usec / 1e6, p.why,
                             p.trigger_file ? "; removed " RELABEL_TRIGGER_FILE : "");
}
