/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The persistent mode: /etc/selinux/config becomes a regular file saying SELINUX=<mode>. PID 1 reads
 * it right after switch-root, so this is what decides the mode of the next boots. */

#include <sys/stat.h>

#include "action-mode.h"
#include "chase.h"
#include "fileio.h"
#include "label.h"
#include "log.h"
#include "messages.h"
#include "strutil.h"

#define CONFIG_MAX (1024 * 1024)

/* The current file (through a link if it is one), with the mode and owner the new file keeps. */
static int read_current(Apply *a, char **ret_text, size_t *ret_len, struct stat *ret_st) {
        int r = read_full_file_at(a->ctx->root_fd, SELINUX_CONFIG_PATH, CONFIG_MAX, ret_text, ret_len, ret_st,
                                  /* ret_path= */ NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to read %s: %m", SELINUX_CONFIG_PATH);
        return 0;
}

/* The directory that holds /etc/selinux/config itself (not its target); it must be writable. */
static int open_config_dir(Apply *a, int *ret_fd, char **ret_name) {
        _cleanup_free_ char *resolved = NULL;
        int r;

        r = chase(a->ctx->root_fd, SELINUX_CONFIG_PATH, CHASE_NOFOLLOW, ret_fd, ret_name, &resolved);
        if (r < 0)
                return log_error_errno(r, "Failed to open the directory of %s: %m", SELINUX_CONFIG_PATH);
        if (layout_path_in_image(resolved)) {
                closep(ret_fd);
                *ret_name = mfree(*ret_name);
                return log_error_errno(EROFS, "%s resolves to %s, inside the read-only image; cannot make it a file.",
                                       SELINUX_CONFIG_PATH, resolved);
        }
        return 0;
}

static int config_label(Apply *a, char **ret) {
        _cleanup_labeler_free_ Labeler *l = NULL;
        _cleanup_free_ char *policy = strjoin("/etc/selinux/", a->layout.type);
        int r;

        if (!policy)
                return log_oom();
        r = labeler_open(a->ctx->root_fd, a->ctx->root, policy, /* subtrees= */ NULL, /* scratch_fd= */ -EBADF, &l);
        if (r == -ENOENT) { /* a policy without file_contexts: leave the label to the policy */
                *ret = NULL;
                return 0;
        }
        if (r < 0)
                return r;
        r = labeler_lookup(l, SELINUX_CONFIG_PATH, S_IFREG, ret);
        if (r < 0)
                return log_error_errno(r, "Failed to look up the label of %s: %m", SELINUX_CONFIG_PATH);
        return 0;
}

static int write_config(Apply *a, const char *text, size_t len, const struct stat *st) {
        _cleanup_free_ char *name = NULL, *label = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        WriteOptions o;
        int r;

        r = open_config_dir(a, &dir_fd, &name);
        if (r < 0)
                return r;
        r = config_label(a, &label);
        if (r < 0)
                return r;
        o = (WriteOptions){ .mode = st->st_mode & 07777, .uid = st->st_uid, .gid = st->st_gid, .label = label };
        r = write_file_atomic_at(dir_fd, name, text, len, &o);
        if (r < 0)
                return log_error_errno(r, "Failed to write %s: %m", SELINUX_CONFIG_PATH);
        return 0;
}

int action_mode(Apply *a) {
        const char *want, *was;
        _cleanup_free_ char *text = NULL, *updated = NULL, *how = NULL;
        bool link;
        uint64_t since = report_now_usec();
        size_t len, updated_len;
        struct stat st;
        int r;

        assert(a);

        want = selinux_mode_to_string(a->config->mode);
        was = selinux_mode_to_string(a->layout.config.mode) ?: "(none)";
        link = a->layout.config_file.is_link;
        if (!want)
                return 0;
        r = read_current(a, &text, &len, &st);
        if (r < 0)
                return report_action(&a->report, "mode", OUTCOME_FAILED, SEPROV_MESSAGE_MODE, since, "cannot read %s",
                                     SELINUX_CONFIG_PATH)
                               ?: r;
        r = selinux_config_set_mode(text, len, a->config->mode, &updated, &updated_len);
        if (r < 0)
                return log_oom();
        /* A link into the image is replaced even when it says the same: the image may change. */
        if (!updated && !link)
                return report_action(&a->report, "mode", OUTCOME_UNCHANGED, SEPROV_MESSAGE_MODE, since,
                                     "SELINUX=%s already in %s", want, SELINUX_CONFIG_PATH);

        how = link ? strprintf(" (replacing the link to %s with a file)", strna(a->layout.config_file.resolved))
                   : strdup("");
        if (!how)
                return log_oom();
        if (a->dry_run)
                return report_action(&a->report, "mode", OUTCOME_PLANNED, SEPROV_MESSAGE_MODE, since,
                                     "would set SELINUX=%s (now %s) in %s%s", want, was, SELINUX_CONFIG_PATH, how);

        r = write_config(a, updated ?: text, updated ? updated_len : len, &st);
        if (r < 0)
                return report_action(&a->report, "mode", OUTCOME_FAILED, SEPROV_MESSAGE_MODE, since,
                                     "cannot write %s: %s", SELINUX_CONFIG_PATH, strerror(-r))
                               ?: r;
        a->mode_changed = true;
        return report_action(&a->report, "mode", OUTCOME_CHANGED, SEPROV_MESSAGE_MODE, since,
                             "SELINUX=%s (was %s) in %s%s", want, was, SELINUX_CONFIG_PATH, how);
}
