/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dontaudit and booleans without a rebuild: the compiled policy edited with libsepol (kpolicy) from the
 * store's policy.linked, and every file a libsemanage commit would change written as it writes it, so
 * that semodule, setsebool and any later rebuild agree (seprov(8), "Without a rebuild"). The edit is
 * recorded before anything changes; after a crash, the next apply finishes it from the record and
 * the saved original. */

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "chase.h"
#include "fileio.h"
#include "kpolicy.h"
#include "label.h"
#include "log.h"
#include "policy-internal.h"
#include "policy.h"
#include "selinux-xattr.h"
#include "store-conf.h"
#include "strutil.h"

#define EDIT_RECORD     ".seprov-edit" /* in the store: an edit under way */
#define EDIT_RECORD_MAX (1024 * 1024)
#define POLICY_MAX      (256 * 1024 * 1024)
#define LOCK_WAIT_USEC  (5 * 1000 * 1000) /* libsemanage waits as long for its locks */

/* What a commit merges into policy.kern besides booleans.local: a store with any of these records
 * takes libsemanage's way, which writes them. */
static const char *const merged_local_files[] = {
        "users.local", "ports.local", "interfaces.local", "nodes.local", "ibpkeys.local", "ibendports.local",
};

static const char *const lock_files[] = { "semanage.trans.LOCK", "semanage.read.LOCK" };

void fast_edit_done(FastEdit *e) {
        assert(e);

        strv_free(e->booleans);
        *e = (FastEdit){ .dontaudit = -1 };
}

/* The store and the installed policy, as one edit sees them. */
typedef struct FastStore {
        Apply *a;
        int store_fd; /* borrowed */
        int active_fd, policy_fd;
        int lock_fds[ELEMENTSOF(lock_files)];
        StoreConf conf;
        Labeler *labeler;
        char *policy_dir; /* /etc/selinux/<type>/policy */
        uint64_t active_ino;
        unsigned commit; /* active/commit_num */
} FastStore;

static void fast_store_done(FastStore *s) {
        closep(&s->active_fd);
        closep(&s->policy_fd);
        for (size_t i = 0; i < ELEMENTSOF(s->lock_fds); i++)
                closep(&s->lock_fds[i]); /* releases the lock */
        store_conf_done(&s->conf);
        labeler_free(s->labeler);
        free(s->policy_dir);
}

#define FAST_STORE_INIT(_a, _fd)                                                        \
        (FastStore) {                                                                   \
                .a = (_a), .store_fd = (_fd), .active_fd = -EBADF, .policy_fd = -EBADF, \
                .lock_fds = { -EBADF, -EBADF },                                         \
        }

static int any_record(char *line, void *userdata) {
        const char *p = line + strspn(line, " \t");

        return *p != '\0' && *p != '#' ? -EEXIST : 0;
}

/* Whether the store's 'name' holds any record (an unreadable one counts). */
static bool local_records(int active_fd, const char *name) {
        int r = read_lines_at(active_fd, name, POLICY_MAX, any_record, /* userdata= */ NULL);

        return r < 0 && r != -ENOENT;
}

/* Why semanage.conf or the store ask for a commit seprov does not stand in for, or NULL. */
static char *fast_refusal(const FastStore *s, const FastEdit *e) {
        const Layout *l = &s->a->layout;

        if (l->store.kind != PATH_REAL || l->policy.kind != PATH_REAL)
                return strdup("the store or the compiled policy is not writable");
        if (!s->conf.direct)
                return strdup("semanage.conf's module-store is not direct");
        if (s->conf.verify_kernel)
                return strdup("semanage.conf runs a [verify kernel] program on every policy");
        if (s->conf.save_previous)
                return strdup("semanage.conf keeps the previous store (save-previous)");
        if (s->conf.optimize_policy && e->dontaudit >= 0)
                return strdup("semanage.conf optimises every rebuilt policy (optimize-policy)");
        for (size_t i = 0; i < ELEMENTSOF(merged_local_files); i++)
                if (local_records(s->active_fd, merged_local_files[i]))
                        return strprintf("the store has local records in %s, which libsemanage merges",
                                         merged_local_files[i]);
        if (faccessat(s->active_fd, POLICY_LINKED, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                return strdup("the store has no policy.linked");
        return NULL;
}

/* libsemanage's commit_num: a decimal number, NUL-padded; 0 when missing. */
static int commit_read(int active_fd, unsigned *ret) {
        _cleanup_free_ char *text = NULL;
        size_t n = 0;
        int r;

        r = read_full_file_at(active_fd, "commit_num", 4096, &text, &n, /* ret_st= */ NULL, /* ret_path= */ NULL);
        if (r == -ENOENT) {
                *ret = 0;
                return 0;
        }
        if (r < 0)
                return r;
        if (sscanf(text, "%u", ret) != 1)
                *ret = 0; /* as libsemanage reads an unreadable number */
        return 0;
}

/* Opens what an edit works on and checks that seprov may stand in for libsemanage on it. Returns 0,
 * -EOPNOTSUPP (*ret_why says why not), or another negative errno (*ret_why says why). */
static int fast_store_open(FastStore *s, const FastEdit *e, char **ret_why) {
        const Layout *l = &s->a->layout;
        struct stat st;
        int r;

        r = store_conf_read(s->a->ctx->root_fd, &s->conf);
        if (r == -ENOENT) {
                *ret_why = strdup("the root has no semanage.conf (libsemanage reads the running system's)");
                return -EOPNOTSUPP;
        }
        if (r < 0) {
                *ret_why = strprintf("cannot read %s: %s", SEMANAGE_CONF_PATH, strerror(-r));
                return r;
        }
        s->active_fd = openat(s->store_fd, "active", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (s->active_fd < 0 || fstat(s->active_fd, &st) < 0) {
                r = negative_errno();
                *ret_why = strprintf("cannot open %s/active: %s", l->store.path, strerror(-r));
                return r;
        }
        s->active_ino = st.st_ino;
        *ret_why = fast_refusal(s, e);
        if (*ret_why)
                return -EOPNOTSUPP;
        s->policy_dir = strjoin("/etc/selinux/", l->type, "/policy");
        if (!s->policy_dir)
                return -ENOMEM;
        s->policy_fd = chase_and_open_dir(s->a->ctx->root_fd, s->policy_dir);
        if (s->policy_fd < 0) {
                *ret_why = strprintf("cannot open %s: %s", s->policy_dir, strerror(-s->policy_fd));
                return s->policy_fd;
        }
        r = commit_read(s->active_fd, &s->commit);
        if (r < 0)
                *ret_why = strprintf("cannot read %s/active/commit_num: %s", l->store.path, strerror(-r));
        return r;
}

/* The label for 'dir'/'name' (in 'dir_fd'): the one of the file it replaces, when that has one (a fast
 * edit changes no file context, and seprov or libsemanage labelled the file from file_contexts when
 * they wrote it); else the label file_contexts gives it (NULL: none, or no file_contexts), through a
 * labeller opened only then: loading file_contexts costs more than the rest of a booleans edit. */
static char *fast_label(FastStore *s, int dir_fd, const char *dir, const char *name) {
        _cleanup_free_ char *path = NULL;
        char *label = NULL;
        int r;

        if (selinux_xattr_get(dir_fd, name, &label) >= 0 && label)
                return label;
        path = strjoin(dir, "/", name);
        if (!s->labeler) {
                const Layout *l = &s->a->layout;
                _cleanup_free_ char *policy = strjoin("/etc/selinux/", l->type);
                _cleanup_close_ int scratch_fd = context_seprov_run_open(s->a->ctx);

                r = policy ? labeler_open(s->a->ctx->root_fd, s->a->ctx->root, policy,
                                          STRV_MAKE(l->store.path, s->policy_dir), scratch_fd, &s->labeler)
                           : -ENOMEM;
                if (r < 0 && r != -ENOENT)
                        log_warning_errno(r, "Cannot label what seprov writes in %s, ignoring: %m", l->store.path);
        }
        if (s->labeler && path && labeler_lookup(s->labeler, path, S_IFREG, &label) < 0)
                return NULL;
        return label;
}

/* seprov's own records in the store: labelled as the store directory, as its manifest is (their
 * names are new at every edit; file_contexts gives the whole store one label). */
static char *store_label(FastStore *s) {
        char *label = NULL;

        (void) selinux_xattr_get(s->store_fd, /* name= */ NULL, &label);
        return label;
}

/* Takes libsemanage's two locks of the store, as a transaction does, waiting as long as it would. */
static int fast_store_lock(FastStore *s, char **ret_why) {
        for (size_t i = 0; i < ELEMENTSOF(lock_files); i++) {
                int fd = openat(s->store_fd, lock_files[i], O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

                if (fd < 0 && errno == ENOENT) {
                        _cleanup_free_ char *label =
                                fast_label(s, s->store_fd, s->a->layout.store.path, lock_files[i]);

                        fd = openat(s->store_fd, lock_files[i], O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
                        if (fd >= 0)
                                (void) selinux_xattr_set(fd, /* name= */ NULL, label);
                }
                if (fd < 0) {
                        int r = negative_errno();
                        *ret_why = strprintf("cannot open %s/%s: %s", s->a->layout.store.path, lock_files[i],
                                             strerror(-r));
                        return r;
                }
                s->lock_fds[i] = fd;
                for (unsigned waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited += 100 * 1000) {
                        if (errno != EWOULDBLOCK || waited >= LOCK_WAIT_USEC) {
                                int r = negative_errno();
                                *ret_why = strprintf("cannot lock %s/%s (another libsemanage user?): %s",
                                                     s->a->layout.store.path, lock_files[i], strerror(-r));
                                return r;
                        }
                        (void) nanosleep(&(const struct timespec){ .tv_nsec = 100 * 1000 * 1000 }, NULL);
                }
        }
        return 0;
}

/* Writes 'name' in the store's active/ (or the policy directory), labelled, synced later (see
 * fast_sync()). */
static int fast_write(FastStore *s, bool installed, const char *name, const void *data, size_t size) {
        _cleanup_free_ char *active = installed ? NULL : strjoin(s->a->layout.store.path, "/active");
        _cleanup_free_ char *label = NULL;

        if (!installed && !active)
                return -ENOMEM;
        label = fast_label(s, installed ? s->policy_fd : s->active_fd, installed ? s->policy_dir : active, name);
        return write_file_atomic_at(installed ? s->policy_fd : s->active_fd, name, data, size,
                                    &(const WriteOptions){ .mode = installed ? s->conf.file_mode : 0600,
                                                           .uid = (uid_t) -1,
                                                           .gid = (gid_t) -1,
                                                           .label = label,
                                                           .sync_later = true });
}

/* The record of an edit under way: what the edit is for, and what to finish it with. */
typedef struct EditRecord {
        FastEdit edit;
        uint64_t active; /* active/'s inode when the edit began: a libsemanage commit replaces it */
        unsigned commit; /* commit_num once done */
} EditRecord;

static void edit_record_done(EditRecord *r) {
        fast_edit_done(&r->edit);
}

static int edit_record_line(char *line, void *userdata) {
        EditRecord *rec = userdata;
        unsigned long long ino;
        const char *v;
        char word[16];

        if (line[0] == '#')
                return 0;
        if (sscanf(line, "active %llu", &ino) == 1)
                rec->active = ino;
        else if (sscanf(line, "commit %u", &rec->commit) == 1)
                return 0;
        else if (sscanf(line, "dontaudit %15s", word) == 1)
                rec->edit.dontaudit = streq(word, "off") ? 1 : streq(word, "on") ? 0 : -1;
        else if (sscanf(line, "booleans %15s", word) == 1)
                rec->edit.booleans_changed = streq(word, "changed");
        else if ((v = startswith(line, "boolean ")))
                return strv_extend(&rec->edit.booleans, v);
        return 0;
}

static char *edit_record_format(const EditRecord *rec) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = strextend(&text,
                      "# Written by seprov: an edit of the compiled policy under way; the next apply finishes "
                      "it. Do not edit.\nactive %llu\ncommit %u\ndontaudit %s\nbooleans %s\n",
                      (unsigned long long) rec->active, rec->commit,
                      rec->edit.dontaudit > 0    ? "off"
                      : rec->edit.dontaudit == 0 ? "on"
                                                 : "keep",
                      rec->edit.booleans_changed ? "changed" : "kept");
        STRV_FOREACH (b, rec->edit.booleans)
                if (r >= 0)
                        r = strextend(&text, "boolean %s\n", *b);
        return r < 0 ? NULL : TAKE_PTR(text);
}

/* What an edit writes, computed in memory before anything is written. */
typedef struct EditBytes {
        char *source; /* the policy.linked the edit starts from, mapped (read_policy_file()) */
        size_t source_size;
        void *linked; /* dontaudit off: the policy.linked without the dontaudit rules */
        size_t linked_size;
        void *kern; /* policy.kern and policy.NN */
        size_t kern_size;
        bool kern_mapped;        /* kern is the source's mapping, patched in place; else malloc()ed */
        PolicyOriginal original; /* dontaudit off: the record of the saved original */
        bool source_is_saved;    /* dontaudit on: the source is the saved file, still to be put back */
} EditBytes;

static void edit_bytes_drop_kern(EditBytes *b) {
        b->kern = b->kern_mapped ? unmap_full_file(b->kern, b->kern_size) : mfree(b->kern);
        b->kern_mapped = false;
}

static void edit_bytes_done(EditBytes *b) {
        unmap_full_file(b->source, b->source_size);
        free(b->linked);
        edit_bytes_drop_kern(b);
        policy_original_done(&b->original);
}

/* A policy file mapped copy-on-write (map_full_file_at()): patching the booleans changes a few pages
 * of it, and what is written comes straight from the page cache, with no copy of the whole file in
 * this process. Every file mapped here is one libsemanage and seprov replace by renaming a new file
 * over it, never by rewriting it, and the store's locks are held. Free with unmap_full_file(). */
static int read_policy_file(int dir_fd, const char *name, char **ret, size_t *ret_size) {
        return map_full_file_at(dir_fd, name, POLICY_MAX, (void **) ret, ret_size);
}

/* The saved original for dontaudit on, when it is still the policy in force: the store's policy.linked
 * is the one seprov wrote without the dontaudit rules, built from the same modules, and the saved
 * file is intact. While finishing an interrupted edit, policy.linked may already be the original. */
static int edit_source_original(FastStore *s, EditBytes *b, bool mending, char **ret_why) {
        _cleanup_(policy_original_done) PolicyOriginal o = {};
        _cleanup_free_ char *digest = NULL, *modules = NULL;
        int r;

        r = policy_original_read(s->store_fd, &o);
        if (r < 0) {
                *ret_why = strdup("seprov has not kept the policy the dontaudit rules were removed from");
                return -EOPNOTSUPP;
        }
        r = read_policy_file(s->active_fd, POLICY_LINKED, &b->source, &b->source_size);
        if (r < 0)
                return r;
        digest = manifest_digest(b->source, b->source_size);
        r = policy_original_modules(s->active_fd, &modules);
        if (!digest || r < 0)
                return r < 0 ? r : -ENOMEM;
        if (mending && streq(digest, o.original)) /* put back before the crash */
                return 0;
        b->source = unmap_full_file(b->source, b->source_size);
        if (!streq(digest, o.stripped) || !streq(modules, o.modules) ||
            (!mending && faccessat(s->active_fd, POLICY_DISABLE_DONTAUDIT, F_OK, AT_SYMLINK_NOFOLLOW) < 0)) {
                *ret_why = strdup("the policy was rebuilt since seprov removed the dontaudit rules");
                return -EOPNOTSUPP;
        }
        free(digest);
        r = read_policy_file(s->store_fd, POLICY_ORIGINAL_FILE, &b->source, &b->source_size);
        digest = r < 0 ? NULL : manifest_digest(b->source, b->source_size);
        if (r < 0 || !streq_ptr(digest, o.original)) {
                *ret_why = strdup("the policy seprov kept from before removing the dontaudit rules is damaged");
                return -EOPNOTSUPP;
        }
        b->source_is_saved = true;
        return 0;
}

/* The source of dontaudit off: policy.linked; while finishing, the original saved before. */
static int edit_source_linked(FastStore *s, EditBytes *b, bool mending, char **ret_why) {
        _cleanup_free_ char *digest = NULL;
        int r;

        if (!mending)
                return read_policy_file(s->active_fd, POLICY_LINKED, &b->source, &b->source_size);
        r = policy_original_read(s->store_fd, &b->original);
        if (r >= 0)
                r = read_policy_file(s->store_fd, POLICY_ORIGINAL_FILE, &b->source, &b->source_size);
        digest = r < 0 ? NULL : manifest_digest(b->source, b->source_size);
        if (r < 0 || !streq_ptr(digest, b->original.original)) {
                *ret_why = strdup("the policy saved before removing the dontaudit rules is missing or damaged");
                return -ESTALE;
        }
        return 0;
}

/* Every record of booleans.local on the policy, as a commit merges them. */
static int edit_booleans(KPolicy *p, char **records, char **ret_why, char **ret_missing) {
        STRV_FOREACH (rec, records) {
                _cleanup_free_ char *name = strndup(*rec, strcspn(*rec, "="));

                if (!name)
                        return -ENOMEM;
                if (kpolicy_boolean_set(p, name, endswith(*rec, "=1")) < 0) {
                        *ret_why = strprintf("the policy has no boolean %s", name);
                        *ret_missing = TAKE_PTR(name);
                        return -ENOENT;
                }
        }
        return kpolicy_booleans_evaluate(p);
}

/* The records of booleans.local set in b->kern's bytes, in place (kpolicy_patch_booleans()): the
 * policy.kern a commit writes from them. Returns 0, -EBADMSG when libsepol must do it (b->kern is
 * freed then: it may be half patched), or another negative errno. */
static int edit_kern_patch(EditBytes *b, char **records, char **ret_why, char **ret_missing) {
        size_t n = strv_length(records), missing = 0;
        _cleanup_free_ char **names = calloc(n + 1, sizeof(char *));
        _cleanup_free_ bool *values = calloc(n + 1, sizeof(bool));
        int r = 0;

        if (!names || !values)
                r = -ENOMEM;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                names[i] = strndup(records[i], strcspn(records[i], "="));
                values[i] = endswith(records[i], "=1");
                if (!names[i])
                        r = -ENOMEM;
        }
        if (r >= 0)
                r = kpolicy_patch_booleans(b->kern, b->kern_size, names, values, n, &missing);
        if (r == -ENOENT) {
                *ret_why = strprintf("the policy has no boolean %s", names[missing]);
                *ret_missing = strdup(names[missing]);
        }
        if (r < 0)
                edit_bytes_drop_kern(b);
        for (size_t i = 0; names && i < n; i++)
                free(names[i]);
        return r;
}

/* policy.kern through libsepol: 'base' read, the booleans set, evaluated and written. */
static int edit_kern_libsepol(EditBytes *b, const void *base, size_t size, const FastEdit *e, char **ret_why,
                              char **ret_missing) {
        _cleanup_(kpolicy_freep) KPolicy *p = NULL;
        int r;

        r = kpolicy_read_mem(base, size, &p, ret_why);
        if (r >= 0 && e->dontaudit >= 0)
                r = kpolicy_order_as_built(p);
        if (r >= 0)
                r = edit_booleans(p, e->booleans, ret_why, ret_missing);
        if (r >= 0)
                r = kpolicy_image(p, &b->kern, &b->kern_size, ret_why);
        return r;
}

/* dontaudit off: the policy.linked without the dontaudit rules, in the order a rebuild writes. */
static int edit_strip(EditBytes *b, char **ret_why) {
        _cleanup_(kpolicy_freep) KPolicy *p = NULL;
        int r;

        r = kpolicy_read_mem(b->source, b->source_size, &p, ret_why);
        if (r >= 0)
                r = kpolicy_order_as_built(p);
        if (r >= 0) {
                r = kpolicy_dontaudit_strip(p, /* ret_removed= */ NULL);
                if (r == -EUCLEAN)
                        *ret_why = strdup("the policy's conditional rules are not in the shape libsepol writes");
        }
        if (r >= 0)
                r = kpolicy_image(p, &b->linked, &b->linked_size, ret_why);
        return r;
}

/* Computes what the edit writes: policy.linked without the dontaudit rules (off), and policy.kern,
 * that or the source policy.linked with the booleans. A rebuild (`semodule -DB`, `-B`) writes the
 * rules in the order of its build, which policy.linked has; a commit without a rebuild reads
 * policy.linked and writes the order a read gives: the same rules (sediff), and what any later
 * commit reads is policy.linked, never policy.kern. The booleans are set in the bytes themselves;
 * through libsepol only for a policy the byte parser does not know. */
static int edit_source(FastStore *s, const FastEdit *e, EditBytes *b, bool mending, char **ret_why) {
        return e->dontaudit == 0   ? edit_source_original(s, b, mending, ret_why)
               : e->dontaudit == 1 ? edit_source_linked(s, b, mending, ret_why)
                                   : read_policy_file(s->active_fd, POLICY_LINKED, &b->source, &b->source_size);
}

static int edit_compute(FastStore *s, const FastEdit *e, EditBytes *b, bool mending, char **ret_why,
                        char **ret_missing) {
        const void *base;
        size_t size;
        int r;

        r = edit_source(s, e, b, mending, ret_why);
        if (r >= 0 && e->dontaudit == 1)
                r = edit_strip(b, ret_why);
        if (r < 0)
                return r;
        if (e->dontaudit == 1) {
                /* policy.linked is written as it is: policy.kern is a copy. */
                b->kern = malloc(b->linked_size ?: 1);
                if (!b->kern)
                        return -ENOMEM;
                memcpy(b->kern, b->linked, b->linked_size);
                b->kern_size = b->linked_size;
        } else {
                /* The source is not written as it is (dontaudit on puts the saved file itself back):
                 * patched in place, no copy of it, no more pages for the kernel to fault in. */
                b->kern = TAKE_PTR(b->source);
                b->kern_size = b->source_size;
                b->kern_mapped = true;
        }
        r = edit_kern_patch(b, e->booleans, ret_why, ret_missing);
        if (r != -EBADMSG)
                return r;
        log_debug("The policy's booleans cannot be set in its bytes, setting them through libsepol.");
        if (e->dontaudit != 1) {
                r = edit_source(s, e, b, mending, ret_why); /* read again: the patch left it half done */
                if (r < 0)
                        return r;
        }
        base = e->dontaudit == 1 ? b->linked : b->source;
        size = e->dontaudit == 1 ? b->linked_size : b->source_size;
        return edit_kern_libsepol(b, base, size, e, ret_why, ret_missing);
}

/* dontaudit off: the original saved and its record written, before the edit's record. */
static int edit_save_original(FastStore *s, EditBytes *b) {
        _cleanup_free_ char *label = store_label(s);
        int r;

        b->original.original = manifest_digest(b->source, b->source_size);
        b->original.stripped = manifest_digest(b->linked, b->linked_size);
        if (!b->original.original || !b->original.stripped)
                return -ENOMEM;
        r = policy_original_modules(s->active_fd, &b->original.modules);
        if (r < 0)
                return r;
        return policy_original_save(s->store_fd, s->active_fd, &b->original, label);
}

static int edit_record_write(FastStore *s, const EditRecord *rec) {
        _cleanup_free_ char *text = edit_record_format(rec), *label = NULL;

        if (!text)
                return -ENOMEM;
        label = store_label(s);
        /* Durable before anything it covers changes. */
        return write_file_atomic_at(
                s->store_fd, EDIT_RECORD, text, strlen(text),
                &(const WriteOptions){ .mode = 0600, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = label });
}

static int edit_dontaudit_flag(FastStore *s, const FastEdit *e) {
        if (e->dontaudit == 1)
                return fast_write(s, /* installed= */ false, POLICY_DISABLE_DONTAUDIT, "", 0);
        if (unlinkat(s->active_fd, POLICY_DISABLE_DONTAUDIT, 0) < 0 && errno != ENOENT)
                return negative_errno();
        return 0;
}

static int edit_linked(FastStore *s, const FastEdit *e, const EditBytes *b) {
        if (e->dontaudit == 1)
                return fast_write(s, /* installed= */ false, POLICY_LINKED, b->linked, b->linked_size);
        /* dontaudit on: the saved file itself goes back; libsemanage wrote it, with its label. */
        if (b->source_is_saved && renameat(s->store_fd, POLICY_ORIGINAL_FILE, s->active_fd, POLICY_LINKED) < 0)
                return negative_errno();
        return 0;
}

/* The store's files in libsemanage's order, the installed policy, commit_num. Each is replaced
 * atomically but synced only at the end (edit_finish()): until then the edit's record is there, and
 * everything written here is computed again from what survives a crash (the record, the saved
 * original, the policy.linked a booleans edit leaves alone), so writing it twice is harmless. */
static int edit_write(FastStore *s, const EditRecord *rec, const EditBytes *b) {
        _cleanup_free_ char *name = strprintf("policy.%u", s->conf.policy_version ?: kpolicy_version_max());
        char commit[32] = {};
        int r = 0;

        if (!name)
                return -ENOMEM;
        if (rec->edit.booleans_changed) {
                _cleanup_free_ char *text = policy_booleans_local_format(rec->edit.booleans);

                r = text ? fast_write(s, /* installed= */ false, "booleans.local", text, strlen(text)) : -ENOMEM;
        }
        if (r >= 0 && rec->edit.dontaudit >= 0)
                r = edit_dontaudit_flag(s, &rec->edit);
        if (r >= 0 && rec->edit.dontaudit >= 0)
                r = edit_linked(s, &rec->edit, b);
        if (r >= 0)
                r = fast_write(s, /* installed= */ false, POLICY_KERN, b->kern, b->kern_size);
        if (r >= 0)
                r = fast_write(s, /* installed= */ true, name, b->kern, b->kern_size);
        /* As libsemanage writes it: the number, NUL-padded to 32 bytes. */
        (void) snprintf(commit, sizeof(commit), "%u", rec->commit);
        if (r >= 0)
                r = fast_write(s, /* installed= */ false, "commit_num", commit, sizeof(commit));
        return r;
}

/* Everything written is made durable, then the edit's record goes. */
static int edit_finish(FastStore *s, const EditRecord *rec) {
        int r;

        if (syncfs(s->active_fd) < 0 || syncfs(s->policy_fd) < 0)
                return negative_errno();
        if (rec->edit.dontaudit == 0) {
                r = policy_original_remove(s->store_fd);
                if (r < 0)
                        return r;
        }
        if (unlinkat(s->store_fd, EDIT_RECORD, 0) < 0 && errno != ENOENT)
                return negative_errno();
        return 0;
}

/* Computes and writes the edit 'rec' ('mending': finishing one a crash interrupted). */
static int edit_run(FastStore *s, const EditRecord *rec, bool mending, char **ret_why, char **ret_missing) {
        _cleanup_(edit_bytes_done) EditBytes b = {};
        uint64_t since = report_now_usec();
        int r;

        r = edit_compute(s, &rec->edit, &b, mending, ret_why, ret_missing);
        if (r < 0)
                return r;
        log_debug("Computed the edited policy in %llu ms.", (unsigned long long) (report_now_usec() - since) / 1000);
        if (!mending && rec->edit.dontaudit == 1)
                r = edit_save_original(s, &b);
        if (r >= 0 && !mending)
                r = edit_record_write(s, rec);
        if (r >= 0)
                r = edit_write(s, rec, &b);
        if (r >= 0)
                r = edit_finish(s, rec);
        if (r < 0 && !*ret_why)
                *ret_why =
                        strprintf("cannot write the edited policy in %s: %s", s->a->layout.store.path, strerror(-r));
        if (r >= 0)
                s->a->policy_changed = true; /* the reload action loads it in the system stage */
        return r;
}

int policy_fast_check(Apply *a, int store_fd, const FastEdit *e, char **ret_why) {
        _cleanup_(fast_store_done) FastStore s = FAST_STORE_INIT(a, store_fd);

        assert(a);
        assert(e);
        assert(ret_why);

        return fast_store_open(&s, e, ret_why);
}

int policy_fast_apply(Apply *a, int store_fd, const FastEdit *e, char **ret_why, char **ret_missing) {
        _cleanup_(fast_store_done) FastStore s = FAST_STORE_INIT(a, store_fd);
        _cleanup_strv_free_ char **booleans = NULL;
        EditRecord rec = { .edit = *e };
        int r;

        assert(a);
        assert(e);
        assert(ret_why);
        assert(ret_missing);

        r = fast_store_open(&s, e, ret_why);
        if (r >= 0)
                r = fast_store_lock(&s, ret_why);
        if (r >= 0 && !e->booleans_changed) {
                /* The store's own, read under the locks: a commit merges them all. */
                rec.edit.booleans = NULL;
                r = policy_booleans_local_read(s.store_fd, &booleans);
                if (r == -EBADMSG) {
                        *ret_why = strdup("booleans.local has lines seprov cannot rewrite as libsemanage would");
                        r = -EOPNOTSUPP;
                }
                rec.edit.booleans = booleans;
        }
        if (r < 0)
                return r;
        rec.active = s.active_ino;
        rec.commit = s.commit + 1;
        return edit_run(&s, &rec, /* mending= */ false, ret_why, ret_missing);
}

bool policy_fast_interrupted(int store_fd) {
        return faccessat(store_fd, EDIT_RECORD, F_OK, AT_SYMLINK_NOFOLLOW) >= 0;
}

/* Whether an interrupted edit is over, or cannot be finished by seprov: a libsemanage commit since
 * replaced active/ and wrote everything from the flag and booleans.local (after a dontaudit edit,
 * the flag may not match policy.linked then: only a rebuild can tell), or dontaudit on had finished
 * but for removing its record (the saved original goes only once everything is durable). */
static int edit_is_over(const FastStore *s, const EditRecord *rec) {
        if (s->active_ino != rec->active)
                return rec->edit.dontaudit >= 0 ? -ESTALE : 1;
        if (rec->edit.dontaudit == 0 && faccessat(s->store_fd, POLICY_ORIGINAL_RECORD, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                return 1;
        return 0;
}

int policy_fast_mend(Apply *a, int store_fd, char **ret_why) {
        _cleanup_(fast_store_done) FastStore s = FAST_STORE_INIT(a, store_fd);
        _cleanup_(edit_record_done) EditRecord rec = { .edit.dontaudit = -1 };
        int r;

        assert(a);
        assert(ret_why);

        r = read_lines_at(store_fd, EDIT_RECORD, EDIT_RECORD_MAX, edit_record_line, &rec);
        if (r == -ENOENT)
                return 0;
        if (r >= 0)
                r = fast_store_open(&s, &rec.edit, ret_why);
        if (r >= 0)
                r = fast_store_lock(&s, ret_why);
        if (r >= 0)
                r = edit_is_over(&s, &rec);
        if (r > 0 || r == -ESTALE) {
                int k = unlinkat(store_fd, EDIT_RECORD, 0) < 0 ? negative_errno() : 0;
                if (k < 0 && !*ret_why)
                        *ret_why =
                                strprintf("cannot remove %s/%s: %s", a->layout.store.path, EDIT_RECORD, strerror(-k));
                if (r == -ESTALE && !*ret_why)
                        *ret_why = strdup("libsemanage committed after an interrupted edit of dontaudit");
                return r > 0 ? k : r;
        }
        if (r >= 0) {
                log_info("Finishing the interrupted edit of the policy in %s.", a->layout.store.path);
                _cleanup_free_ char *missing = NULL;

                r = edit_run(&s, &rec, /* mending= */ true, ret_why, &missing);
        }
        return r == -EOPNOTSUPP ? -ESTALE : r;
}
