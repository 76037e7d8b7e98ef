/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The store's policy.linked from before seprov removed its dontaudit rules, kept beside active/ (which
 * libsemanage copies into every transaction, and which an OS update does not carry over), with a
 * record of digests that tells whether it is still the policy in force: then dontaudit comes back
 * without a rebuild. */

#include <fcntl.h>

#include "fileio.h"
#include "policy-internal.h"
#include "strutil.h"

#define RECORD_MAX (64 * 1024)

void policy_original_done(PolicyOriginal *o) {
        assert(o);

        free(o->original);
        free(o->stripped);
        free(o->modules);
        *o = (PolicyOriginal){};
}

/* "KEY VALUE" lines; the value may be empty (a store without modules_checksum). */
static int original_line(char *line, void *userdata) {
        PolicyOriginal *o = userdata;
        char **field = NULL;
        const char *v;

        if (line[0] == '#')
                return 0;
        if ((v = startswith(line, "original ")))
                field = &o->original;
        else if ((v = startswith(line, "stripped ")))
                field = &o->stripped;
        else if ((v = startswith(line, "modules ")))
                field = &o->modules;
        if (!field)
                return 0;
        free(*field);
        *field = strdup(v);
        return *field ? 0 : -ENOMEM;
}

int policy_original_read(int store_fd, PolicyOriginal *ret) {
        _cleanup_(policy_original_done) PolicyOriginal o = {};
        int r;

        assert(ret);

        r = read_lines_at(store_fd, POLICY_ORIGINAL_RECORD, RECORD_MAX, original_line, &o);
        if (r < 0)
                return r;
        if (!o.original || !o.stripped || !o.modules)
                return -EBADMSG;
        *ret = o;
        o = (PolicyOriginal){};
        return 0;
}

int policy_original_save(int store_fd, int active_fd, const PolicyOriginal *o, const char *label) {
        _cleanup_free_ char *text = NULL;
        int r;

        assert(o);

        /* A second name for the file itself: libsemanage and seprov only ever replace policy.linked,
         * never write into it, so the saved file keeps its bytes at no cost. */
        r = link_atomic_at(active_fd, POLICY_LINKED, store_fd, POLICY_ORIGINAL_FILE);
        if (r < 0)
                return r;
        text = strprintf("# Written by seprov: the policy.linked it saved before removing the dontaudit rules. "
                         "Do not edit.\noriginal %s\nstripped %s\nmodules %s\n",
                         o->original, o->stripped, o->modules);
        if (!text)
                return -ENOMEM;
        return write_file_atomic_at(
                store_fd, POLICY_ORIGINAL_RECORD, text, strlen(text),
                &(const WriteOptions){ .mode = 0600, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = label });
}

int policy_original_remove(int store_fd) {
        if (unlinkat(store_fd, POLICY_ORIGINAL_FILE, 0) < 0 && errno != ENOENT)
                return negative_errno();
        if (unlinkat(store_fd, POLICY_ORIGINAL_RECORD, 0) < 0 && errno != ENOENT)
                return negative_errno();
        return 0;
}

int policy_original_modules(int active_fd, char **ret) {
        _cleanup_free_ char *text = NULL;
        size_t n = 0;
        int r;

        assert(ret);

        r = read_full_file_at(active_fd, "modules_checksum", RECORD_MAX, &text, &n, /* ret_st= */ NULL,
                              /* ret_path= */ NULL);
        if (r == -ENOENT)
                return (*ret = strdup("")) ? 0 : -ENOMEM;
        if (r < 0)
                return r;
        /* One line in the record: the checksum is hex, anything else is not compared as it is. */
        for (char *p = text; *p; p++)
                if (*p == '\n' || *p == '\r')
                        *p = ' ';
        *ret = TAKE_PTR(text);
        return 0;
}
