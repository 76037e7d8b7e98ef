/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A module's source parsed with libsepol as libsemanage will (CIL's parser; a package's reader), so
 * that a source that does not even parse is refused by preflight, with libsepol's own words. */

#include <sepol/cil/cil.h>
#include <sepol/module.h>
#include <sepol/sepol.h>

#include <stdarg.h>

#include "kpolicy.h"
#include "log.h"
#include "strutil.h"

/* The CIL compiler logs through one process-wide handler without userdata, in pieces that end with a
 * newline; the first error is what the parse failed on. One parse runs at a time. */
static char *cil_line, *cil_first_error;
static int cil_line_level;

static void cil_collect(int level, const char *msg) {
        if (strextend_line(&cil_line, &cil_line_level, level, msg) <= 0)
                return;
        log_debug("libsepol: %s", cil_line);
        if (cil_line_level == CIL_ERR && !cil_first_error)
                cil_first_error = TAKE_PTR(cil_line);
        cil_line = mfree(cil_line);
}

static void cil_db_destroyp(cil_db_t **db) {
        if (*db)
                cil_db_destroy(db);
}

static int cil_check(const void *data, size_t size, const char *name, char **ret_why) {
        _cleanup_(cil_db_destroyp) cil_db_t *db = NULL;
        int r;

        cil_set_log_handler(cil_collect);
        cil_set_log_level(CIL_ERR);
        cil_db_init(&db);
        if (!db)
                return -ENOMEM;
        r = cil_add_file(db, name, data, size);
        cil_line = mfree(cil_line);
        if (r == SEPOL_OK) {
                cil_first_error = mfree(cil_first_error);
                return 0;
        }
        if (r == SEPOL_ENOMEM)
                return -ENOMEM;
        if (ret_why)
                *ret_why =
                        cil_first_error ? strjoin("libsepol: ", cil_first_error) : strdup("libsepol cannot parse it");
        cil_first_error = mfree(cil_first_error);
        return -EINVAL;
}

/* libsepol's first message while reading a package. */
static void package_msg(void *userdata, sepol_handle_t *h, const char *format, ...) {
        char **first = userdata;
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        (void) h;
        va_start(ap, format);
        msg = vstrprintf(format, ap);
        va_end(ap);
        log_debug("libsepol: reading a module package: %s", strna(msg));
        if (msg && !*first)
                *first = TAKE_PTR(msg);
}

static void handle_destroyp(sepol_handle_t **h) {
        if (*h)
                sepol_handle_destroy(*h);
}

static void module_package_freep(sepol_module_package_t **p) {
        if (*p)
                sepol_module_package_free(*p);
}

static int package_check(const void *data, size_t size, char **ret_why) {
        _cleanup_(module_package_freep) sepol_module_package_t *mod = NULL;
        _cleanup_(handle_destroyp) sepol_handle_t *h = NULL;
        _cleanup_free_ char *first = NULL;
        sepol_policy_file_t *pf = NULL;
        int r;

        h = sepol_handle_create();
        if (!h || sepol_module_package_create(&mod) < 0 || sepol_policy_file_create(&pf) < 0)
                return -ENOMEM;
        sepol_msg_set_callback(h, package_msg, &first);
        /* libsepol reads from the buffer and never writes to it. */
        sepol_policy_file_set_mem(pf, (char *) data, size);
        sepol_policy_file_set_handle(pf, h);
        r = sepol_module_package_read(mod, pf, /* verbose= */ 0);
        sepol_policy_file_free(pf);
        if (r >= 0)
                return 0;
        if (ret_why)
                *ret_why =
                        first ? strjoin("libsepol: ", first) : strdup("libsepol cannot read it as a module package");
        return -EINVAL;
}

int kpolicy_module_parse(const void *data, size_t size, bool cil, const char *name, char **ret_why) {
        assert(data || size == 0);
        assert(name);

        return cil ? cil_check(data ?: "", size, name, ret_why) : package_check(data, size, ret_why);
}
