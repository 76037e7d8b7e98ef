/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Ignition runs on the first boot only. The "seprov" key of the config it fetched is kept in the root
 * (IGNITION_RECORD), so that what provisioning asked for stays in force on every boot after, as the
 * files Ignition wrote do: without it, the booleans and modules it asked for would be undone as "no
 * longer in the config" on the second boot. */

#include <assert.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "chase.h"
#include "config-load.h"
#include "config-paths.h"
#include "fileio.h"
#include "ignition-record.h"
#include "json-util.h"
#include "label.h"
#include "log.h"
#include "messages.h"
#include "selinux-xattr.h"
#include "strutil.h"

#define ACTION      "config"
#define RECORD_DIR  "/etc/seprov"
#define RECORD_NAME "ignition.json"

/* The "seprov" member of the Ignition config 'text', pretty-printed with a final newline, into *ret;
 * NULL when the config has none. Returns 0, -EINVAL when the text is not a JSON object, or -ENOMEM. */
static int seprov_member(const char *text, size_t len, char **ret) {
        _cleanup_(json_object_putp) json_object *root = NULL;
        json_tokener *tok = json_tokener_new();
        json_object *member;
        const char *s;

        if (!tok)
                return -ENOMEM;
        root = json_tokener_parse_ex(tok, text, (int) MIN(len, (size_t) INT32_MAX));
        json_tokener_free(tok);
        if (!root || !json_object_is_type(root, json_type_object))
                return -EINVAL;
        if (!json_object_object_get_ex(root, "seprov", &member)) {
                *ret = NULL;
                return 0;
        }
        s = json_object_to_json_string_ext(member, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                           JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s)
                return -ENOMEM;
        *ret = strjoin(s, "\n");
        return *ret ? 0 : -ENOMEM;
}

/* The labels the root's policy gives the record and its directory; none when it has no file_contexts. */
static void record_labels(Apply *a, char **ret_file, char **ret_dir) {
        _cleanup_labeler_free_ Labeler *l = NULL;
        _cleanup_(layout_done) Layout layout = {};
        _cleanup_free_ char *policy = NULL;

        if (layout_discover(a->ctx->root_fd, &layout) < 0)
                return;
        policy = strjoin("/etc/selinux/", layout.type);
        if (policy && labeler_open(a->ctx->root_fd, a->ctx->root, policy, /* subtrees= */ NULL,
                                   /* scratch_fd= */ -EBADF, &l) >= 0) {
                (void) labeler_lookup(l, IGNITION_RECORD, S_IFREG, ret_file);
                (void) labeler_lookup(l, RECORD_DIR, S_IFDIR, ret_dir);
        }
}

/* /etc/seprov, created when missing. Returns an fd or a negative errno. */
static int record_dir_open(Apply *a, const char *label) {
        _cleanup_close_ int etc_fd = chase_and_open_dir(a->ctx->root_fd, "/etc");
        int fd, r;

        if (etc_fd < 0)
                return etc_fd;
        fd = openat(etc_fd, "seprov", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0 || errno != ENOENT)
                return fd >= 0 ? fd : negative_errno();
        if (mkdirat(etc_fd, "seprov", 0755) < 0 && errno != EEXIST)
                return negative_errno();
        fd = openat(etc_fd, "seprov", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = selinux_xattr_set(fd, /* name= */ NULL, label);
        if (r < 0)
                log_debug_errno(r, "Cannot label %s, ignoring: %m", RECORD_DIR);
        if (fsync_directory(etc_fd) < 0)
                log_debug_errno(errno, "Cannot sync /etc, ignoring: %m");
        return fd;
}

static int record_write(Apply *a, const char *content) {
        _cleanup_free_ char *label = NULL, *dir_label = NULL;
        _cleanup_close_ int dir_fd = -EBADF;

        record_labels(a, &label, &dir_label);
        dir_fd = record_dir_open(a, dir_label);
        if (dir_fd < 0)
                return dir_fd;
        return write_file_atomic_at(
                dir_fd, RECORD_NAME, content, strlen(content),
                &(WriteOptions){ .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = label });
}

static int record_remove(Apply *a) {
        _cleanup_close_ int dir_fd = chase_and_open_dir(a->ctx->root_fd, RECORD_DIR);

        if (dir_fd < 0)
                return dir_fd;
        if (unlinkat(dir_fd, RECORD_NAME, 0) < 0)
                return negative_errno();
        return fsync_directory(dir_fd);
}

int ignition_record_update(Apply *a) {
        ConfigLoad load = {
                .root_fd = a->ctx->root_fd, .run_fd = a->ctx->run_fd, .host_fd = a->ctx->host_fd, .args = &a->ctx->args
        };
        _cleanup_free_ char *text = NULL, *want = NULL, *have = NULL;
        const char *path = NULL, *shown = NULL;
        uint64_t since = report_now_usec();
        size_t len;
        int fd = -EBADF, r;

        assert(a);

        r = config_load_ignition_source(&load, &fd, &path, &shown);
        if (r <= 0) /* Ignition did not run on this boot, or its config cannot be read again */
                return r == -ENOENT ? 0 : r;
        r = read_full_file_at(fd, path, PROVISIONING_FILE_MAX, &text, &len, /* ret_st= */ NULL, /* ret_path= */ NULL);
        if (r >= 0)
                r = seprov_member(text, len, &want);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0) /* config_load() said what is wrong with it */
                return 0;
        r = read_full_file_at(a->ctx->root_fd, IGNITION_RECORD, CONFIG_FILE_MAX, &have, /* ret_size= */ NULL,
                              /* ret_st= */ NULL, /* ret_path= */ NULL);
        if (r < 0 && r != -ENOENT)
                log_debug_errno(r, "Cannot read %s, replacing it: %m", IGNITION_RECORD);
        if (streq_ptr(want, have))
                return 0;
        if (!want && r == -ENOENT)
                return 0;
        if (a->dry_run)
                return report_action(
                        &a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_CONFIG_RECORD, since,
                        want ? "would record the \"seprov\" key of %s in %s"
                             : "would remove %2$s: the config Ignition ran with (%1$s) has no \"seprov\" key",
                        shown, IGNITION_RECORD);
        r = want ? record_write(a, want) : record_remove(a);
        if (r < 0) {
                (void) report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_CONFIG_RECORD, since,
                                     "%s %s failed: %s", want ? "writing" : "removing", IGNITION_RECORD, strerror(-r));
                return r;
        }
        return report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_CONFIG_RECORD, since,
                             want ? "recorded the \"seprov\" key of %s in %s, for the boots after this one"
                                  : "removed %2$s: the config Ignition ran with (%1$s) has no \"seprov\" key",
                             shown, IGNITION_RECORD);
}
