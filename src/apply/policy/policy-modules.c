/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Module sources: checked (inside the root, root's, not writable by others), read, and the booleans
 * they declare. */

#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "fileio.h"
#include "kpolicy.h"
#include "policy-internal.h"
#include "policy.h"
#include "strutil.h"

#define MODULE_MAX (64 * 1024 * 1024)

void module_source_done(ModuleSource *s) {
        assert(s);

        free(s->data);
        free(s->digest);
        *s = (ModuleSource){};
}

static const char *module_lang(const char *path) {
        return endswith(path, ".cil") ? "cil" : endswith(path, ".pp") ? "pp" : NULL;
}

/* Why a file with this stat must not become policy, or NULL when it may. */
static const char *module_refusal(const struct stat *st) {
        if (!S_ISREG(st->st_mode))
                return "not a regular file";
        if (st->st_uid != 0)
                return "not owned by root";
        if (st->st_mode & (S_IWGRP | S_IWOTH))
                return "writable by group or others";
        return NULL;
}

/* Opens the source and checks it; on refusal *ret_reason says why. Returns the fd, -EPERM or
 * another negative errno. */
static int module_source_open(int root_fd, const char *path, const char **ret_reason) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        *ret_reason = NULL;
        if (path[0] != '/' || !module_lang(path)) {
                *ret_reason = "not an absolute path to a .cil or .pp file";
                return -EPERM;
        }
        /* Symlinks are followed inside the root only; the file itself must pass the checks. */
        fd = chase_and_open(root_fd, path, /* flags= */ 0, O_RDONLY | O_NOCTTY | O_NONBLOCK, /* mode= */ 0,
                            /* ret_path= */ NULL);
        if (fd < 0) {
                *ret_reason = fd == -ENOENT ? "no such file in the root" : "cannot be opened";
                return fd == -ENOENT ? -EPERM : fd;
        }
        if (fstat(fd, &st) < 0)
                return negative_errno();
        *ret_reason = module_refusal(&st);
        if (*ret_reason)
                return -EPERM;
        return TAKE_FD(fd);
}

int module_source_check(int root_fd, const char *path, const char **ret_reason) {
        int fd;

        assert(path);
        assert(ret_reason);

        fd = module_source_open(root_fd, path, ret_reason);
        if (fd < 0)
                return fd;
        close(fd);
        return 0;
}

int module_source_read(int root_fd, const char *path, ModuleSource *ret, const char **ret_reason) {
        _cleanup_(module_source_done) ModuleSource s = {};
        _cleanup_close_ int fd = -EBADF;
        int r;

        assert(path);
        assert(ret);
        assert(ret_reason);

        fd = module_source_open(root_fd, path, ret_reason);
        if (fd < 0)
                return fd;
        s.lang = module_lang(path);
        r = read_full_fd(fd, MODULE_MAX, &s.data, &s.size);
        if (r < 0)
                return r;
        s.digest = manifest_digest(s.data, s.size);
        if (!s.digest)
                return -ENOMEM;
        *ret = s;
        s = (ModuleSource){};
        return 0;
}

int module_source_parse(const ModuleSource *s, const char *path, char **ret_why) {
        assert(s);
        assert(path);

        return kpolicy_module_parse(s->data, s->size, streq_ptr(s->lang, "cil"), path, ret_why);
}

/* A CIL source, read as far as its declarations (of booleans, or types) need: comments, strings, and the block
 * and in statements that put a BLOCK. before the names declared inside them. Macros are skipped: what
 * they declare is named where they are called. */
typedef struct CilScan {
        const char *p, *end;
        const char *const *keywords; /* the statements whose declarations are collected */
        char **names;
        char *blocks[64]; /* the enclosing blocks' names; NULL for another statement */
        size_t depth;
        unsigned in_macro; /* the depth of the enclosing macro + 1, 0 outside one */
} CilScan;

static void cil_skip_blanks(CilScan *s) {
        while (s->p < s->end) {
                if (*s->p == ';')
                        while (s->p < s->end && *s->p != '\n')
                                s->p++;
                else if (isspace((unsigned char) *s->p))
                        s->p++;
                else
                        break;
        }
}

/* The next symbol (not a parenthesis, not a string), as a new string in *ret; NULL when the next
 * token is none. Returns 0 or -ENOMEM. */
static int cil_symbol(CilScan *s, char **ret) {
        const char *start;

        cil_skip_blanks(s);
        *ret = NULL;
        start = s->p;
        while (s->p < s->end && !isspace((unsigned char) *s->p) && !strchr("()\";", *s->p))
                s->p++;
        if (s->p == start)
                return 0;
        *ret = strndup(start, s->p - start);
        return *ret ? 0 : -ENOMEM;
}

static int cil_declared(CilScan *s, const char *name) {
        _cleanup_free_ char *full = NULL;

        for (size_t i = 0; i < s->depth; i++)
                if (s->blocks[i] && strextend(&full, "%s.", s->blocks[i]) < 0)
                        return -ENOMEM;
        if (strextend(&full, "%s", name) < 0)
                return -ENOMEM;
        return strv_consume(&s->names, TAKE_PTR(full));
}

/* After "(": the statement's keyword, and what it declares or opens. Returns 0, -EINVAL (too deep),
 * or -ENOMEM. */
static int cil_statement(CilScan *s) {
        _cleanup_free_ char *keyword = NULL, *name = NULL;
        int r;

        if (s->depth >= ELEMENTSOF(s->blocks))
                return -EINVAL;
        r = cil_symbol(s, &keyword);
        if (r >= 0 && keyword &&
            (strv_contains((char *const *) s->keywords, keyword) || streq(keyword, "block") || streq(keyword, "in") ||
             streq(keyword, "macro")))
                r = cil_symbol(s, &name);
        if (r < 0)
                return r;
        if (name && !s->in_macro && strv_contains((char *const *) s->keywords, keyword))
                r = cil_declared(s, name);
        if (name && streq(keyword, "macro") && !s->in_macro)
                s->in_macro = s->depth + 1;
        s->blocks[s->depth++] = name && (streq(keyword, "block") || streq(keyword, "in")) ? TAKE_PTR(name) : NULL;
        return r;
}

static int cil_declarations(const char *text, size_t size, const char *const *keywords, char ***ret) {
        CilScan s = { .p = text, .end = text + size, .keywords = keywords };
        int r = 0;

        while (r >= 0) {
                cil_skip_blanks(&s);
                if (s.p >= s.end)
                        break;
                if (*s.p == '"') { /* a string: skipped whole, escapes included */
                        for (s.p++; s.p < s.end && *s.p != '"'; s.p++)
                                if (*s.p == '\\' && s.p + 1 < s.end)
                                        s.p++;
                        s.p++;
                } else if (*s.p == '(') {
                        s.p++;
                        r = cil_statement(&s);
                } else if (*s.p == ')') {
                        s.p++;
                        if (s.depth == 0) {
                                r = -EINVAL;
                                break;
                        }
                        s.depth--;
                        s.blocks[s.depth] = mfree(s.blocks[s.depth]);
                        if (s.in_macro == s.depth + 1)
                                s.in_macro = 0;
                } else {
                        _cleanup_free_ char *word = NULL;
                        r = cil_symbol(&s, &word);
                }
        }
        for (size_t i = 0; i < s.depth; i++)
                free(s.blocks[i]);
        if (r >= 0 && s.depth > 0)
                r = -EINVAL; /* unbalanced */
        if (r < 0) {
                strv_free(s.names);
                return r;
        }
        *ret = s.names;
        return 0;
}

int module_source_booleans(const ModuleSource *s, char ***ret) {
        assert(s);
        assert(ret);

        if (streq_ptr(s->lang, "pp"))
                return kpolicy_module_booleans(s->data, s->size, ret);
        return cil_declarations(s->data, s->size, (const char *const[]){ "boolean", "tunable", NULL }, ret);
}

int module_source_types(const ModuleSource *s, char ***ret) {
        assert(s);
        assert(ret);

        if (streq_ptr(s->lang, "pp"))
                return kpolicy_module_types(s->data, s->size, ret);
        return cil_declarations(s->data, s->size, (const char *const[]){ "type", "typealias", NULL }, ret);
}
