/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compiled kernel policy through libsepol: found, read from memory, looked up, written back.
 * libsepol is linked statically: the policydb structures and functions used here and in the edits
 * (hashtab_search(), avtab and conditional lists, evaluate_conds()) are not exported by
 * libsepol.so, and a static copy cannot disagree with the headers about their layout. */

/* Before <stdbool.h> (macro.h): cond_expr_t has a member named "bool". */
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/hashtab.h>
#include <sepol/policydb/policydb.h>
#include <sepol/sepol.h>

#include <assert.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "chase.h"
#include "dir-for-each.h"
#include "fileio.h"
#include "kpolicy-internal.h"
#include "log.h"
#include "strutil.h"

/* libsepol's messages: the first error is kept as the reason of a failure; all are debug traces. */
static void kpolicy_msg(void *userdata, sepol_handle_t *h, const char *format, ...) {
        char **first = userdata;
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, format);
        msg = vstrprintf(format, ap);
        va_end(ap);
        if (!msg)
                return;
        log_debug("libsepol: %s", msg);
        if (first && !*first && sepol_msg_get_level(h) == SEPOL_MSG_ERR)
                *first = strjoin("libsepol: ", msg);
}

static sepol_handle_t *handle_new(char **first_error) {
        sepol_handle_t *h = sepol_handle_create();

        if (h)
                sepol_msg_set_callback(h, kpolicy_msg, first_error);
        return h;
}

KPolicy *kpolicy_free(KPolicy *p) {
        if (!p)
                return NULL;
        kpolicy_access_sidtab_free(p);
        if (p->db)
                sepol_policydb_free(p->db);
        if (p->handle)
                sepol_handle_destroy(p->handle);
        free(p->error);
        return mfree(p);
}

typedef struct FindNewest {
        unsigned best;
} FindNewest;

static int find_newest(int dir_fd, const char *name, void *userdata) {
        FindNewest *f = userdata;
        const char *v = startswith(name, "policy.");
        unsigned long n;
        char *end;

        if (!v || !isdigit((unsigned char) *v))
                return 0;
        errno = 0;
        n = strtoul(v, &end, 10);
        if (errno == 0 && *end == '\0' && n < 1000 && n > f->best)
                f->best = (unsigned) n;
        return 0;
}

int kpolicy_find(int root_fd, const char *type, char **ret) {
        _cleanup_free_ char *dir = NULL;
        FindNewest f = {};
        int fd, r;

        assert(type);
        assert(ret);

        dir = strjoin("/etc/selinux/", type, "/policy");
        if (!dir)
                return -ENOMEM;
        fd = chase_and_open(root_fd, dir, /* flags= */ 0, O_RDONLY | O_DIRECTORY, /* mode= */ 0, /* ret_path= */ NULL);
        if (fd < 0)
                return fd;
        r = dir_for_each(fd, find_newest, &f);
        if (r < 0)
                return r;
        if (f.best == 0)
                return -ENOENT;
        *ret = strprintf("%s/policy.%u", dir, f.best);
        return *ret ? 0 : -ENOMEM;
}

/* Sets *ret_why from the policy's first libsepol error, else from 'fallback'. */
static void why_set(char **ret_why, char **first, const char *fallback) {
        if (!ret_why)
                return;
        *ret_why = *first ? TAKE_PTR(*first) : strdup(fallback);
}

int kpolicy_read_mem(const void *data, size_t size, KPolicy **ret, char **ret_why) {
        _cleanup_(kpolicy_freep) KPolicy *p = NULL;
        sepol_policy_file_t *pf = NULL;
        int r;

        assert(data || size == 0);
        assert(ret);

        p = calloc(1, sizeof(KPolicy));
        if (!p)
                return -ENOMEM;
        if (size == 0) {
                why_set(ret_why, &p->error, "not a policy file");
                return -EINVAL;
        }
        p->handle = handle_new(&p->error);
        if (!p->handle || sepol_policydb_create(&p->db) < 0 || sepol_policy_file_create(&pf) < 0)
                return -ENOMEM;
        /* libsepol only reads the buffer, through a non-const pointer. */
        sepol_policy_file_set_mem(pf, (char *) data, size);
        sepol_policy_file_set_handle(pf, p->handle);
        r = sepol_policydb_read(p->db, pf);
        sepol_policy_file_free(pf);
        if (r < 0) {
                why_set(ret_why, &p->error, "libsepol cannot read it as a policy");
                return -EINVAL;
        }
        *ret = TAKE_PTR(p);
        return 0;
}

int kpolicy_read_at(int dir_fd, const char *path, KPolicy **ret, char **ret_why) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        void *map;
        int r;

        assert(path);
        assert(ret);

        fd = chase_and_open(dir_fd, path, /* flags= */ 0, O_RDONLY | O_NOCTTY | O_NONBLOCK, /* mode= */ 0,
                            /* ret_path= */ NULL);
        if (fd < 0) {
                if (ret_why)
                        *ret_why = strdup(strerror(-fd));
                return fd;
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
                if (ret_why)
                        *ret_why = strdup("not a policy file");
                return -EINVAL;
        }
        map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
                return negative_errno();
        r = kpolicy_read_mem(map, st.st_size, ret, ret_why);
        (void) munmap(map, st.st_size);
        return r;
}

static policydb_t *db(const KPolicy *p) {
        return &p->db->p;
}

static void *symbol(const KPolicy *p, const symtab_t *s, const char *name) {
        assert(p);
        assert(name);
        /* hashtab_search() takes a non-const key it never changes. */
        return hashtab_search(s->table, (const_hashtab_key_t) name);
}

bool kpolicy_has_type(const KPolicy *p, const char *name) {
        const type_datum_t *t = symbol(p, &db(p)->p_types, name);
        return t && t->flavor != TYPE_ATTRIB;
}

bool kpolicy_has_attribute(const KPolicy *p, const char *name) {
        const type_datum_t *t = symbol(p, &db(p)->p_types, name);
        return t && t->flavor == TYPE_ATTRIB;
}

bool kpolicy_has_role(const KPolicy *p, const char *name) {
        return symbol(p, &db(p)->p_roles, name);
}

bool kpolicy_has_user(const KPolicy *p, const char *name) {
        return symbol(p, &db(p)->p_users, name);
}

bool kpolicy_has_class(const KPolicy *p, const char *name) {
        return symbol(p, &db(p)->p_classes, name);
}

bool kpolicy_type_has_attribute(const KPolicy *p, const char *type, const char *attribute) {
        const type_datum_t *t = symbol(p, &db(p)->p_types, type), *a = symbol(p, &db(p)->p_types, attribute);

        if (!t || !a || t->flavor == TYPE_ATTRIB || a->flavor != TYPE_ATTRIB || !db(p)->type_attr_map)
                return false;
        return ebitmap_get_bit(&db(p)->type_attr_map[t->s.value - 1], a->s.value - 1);
}

const char *kpolicy_type_nearest(const KPolicy *p, const char *name, const char *attribute) {
        const policydb_t *d = db(p);
        const type_datum_t *a = attribute ? symbol(p, &d->p_types, attribute) : NULL;
        _cleanup_free_ const char **names = calloc(d->p_types.nprim + 1, sizeof(char *));
        size_t n = 0;

        if (!names)
                return NULL;
        if (a && (a->flavor != TYPE_ATTRIB || !d->type_attr_map))
                a = NULL;
        for (uint32_t i = 0; i < d->p_types.nprim; i++) {
                const type_datum_t *t = d->type_val_to_struct[i];

                if (!t || t->flavor == TYPE_ATTRIB || !d->p_type_val_to_name[i])
                        continue;
                if (a && !ebitmap_get_bit(&d->type_attr_map[i], a->s.value - 1))
                        continue;
                names[n++] = d->p_type_val_to_name[i];
        }
        return string_nearest(name, names);
}

int kpolicy_boolean_get(const KPolicy *p, const char *name) {
        const cond_bool_datum_t *b = symbol(p, &db(p)->p_bools, name);
        return b ? !!b->state : -ENOENT;
}

const char *kpolicy_boolean_nearest(const KPolicy *p, const char *name) {
        const policydb_t *d = db(p);
        _cleanup_free_ const char **names = calloc(d->p_bools.nprim + 1, sizeof(char *));

        if (!names)
                return NULL;
        for (uint32_t i = 0; i < d->p_bools.nprim; i++)
                names[i] = d->p_bool_val_to_name[i];
        return string_nearest(name, names);
}

int kpolicy_range_check(KPolicy *p, const char *range, char **ret_why) {
        assert(p);
        assert(range);

        p->error = mfree(p->error);
        if (sepol_mls_check(p->handle, p->db, range) >= 0)
                return 0;
        why_set(ret_why, &p->error, "not a range of this policy");
        return -EINVAL;
}

unsigned kpolicy_version(const KPolicy *p) {
        return db(p)->policyvers;
}

bool kpolicy_mls(const KPolicy *p) {
        return db(p)->mls;
}

unsigned kpolicy_version_max(void) {
        return (unsigned) sepol_policy_kern_vers_max();
}

/* As libsemanage writes a policy (semanage_write_policydb()): one policydb_write(), into memory here.
 * Not sepol_policydb_to_image(), which reads the image back to check it: that read and the freeing
 * of its copy cost three times the write, for a check libsemanage does not make either. */
int kpolicy_image(KPolicy *p, void **ret, size_t *ret_size, char **ret_why) {
        _cleanup_free_ void *data = NULL;
        policy_file_t pf;
        size_t size;

        assert(p);
        assert(ret);
        assert(ret_size);

        p->error = mfree(p->error);
        policy_file_init(&pf);
        pf.type = PF_LEN;
        pf.handle = p->handle;
        if (policydb_write(db(p), &pf) < 0 || pf.len == 0) {
                why_set(ret_why, &p->error, "libsepol cannot write the policy");
                return -EINVAL;
        }
        size = pf.len;
        data = malloc(size);
        if (!data)
                return -ENOMEM;
        pf.type = PF_USE_MEMORY;
        pf.data = data;
        pf.len = size;
        if (policydb_write(db(p), &pf) < 0 || pf.len != 0) {
                why_set(ret_why, &p->error, "libsepol cannot write the policy");
                return -EINVAL;
        }
        *ret = TAKE_PTR(data);
        *ret_size = size;
        return 0;
}

int kpolicy_write_at(KPolicy *p, int dir_fd, const char *name, const WriteOptions *opts, char **ret_why) {
        _cleanup_free_ void *data = NULL;
        size_t size = 0;
        int r;

        assert(p);
        assert(name);

        r = kpolicy_image(p, &data, &size, ret_why);
        if (r < 0)
                return r;
        r = write_file_atomic_at(dir_fd, name, data, size, opts);
        if (r < 0 && ret_why)
                *ret_why = strprintf("cannot write %s: %s", name, strerror(-r));
        return r;
}
