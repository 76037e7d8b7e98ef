/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semanage.conf read as libsemanage reads the settings seprov depends on: where the store lives,
 * and what a commit writes (policy version, file mode) or runs (optimisation, verifiers). */

#include <ctype.h>
#include <strings.h>

#include "fileio.h"
#include "layout.h"
#include "store-conf.h"
#include "strutil.h"

#define STORE_CONF_MAX (1024 * 1024)

void store_conf_done(StoreConf *c) {
        assert(c);

        free(c->store_root);
        *c = (StoreConf){};
}

static void store_conf_defaults(StoreConf *c) {
        *c = (StoreConf){ .file_mode = 0644, .direct = true };
}

/* One "key = value" line of the top level; 'value' is trimmed, without its comment. */
static int store_conf_set(StoreConf *c, const char *key, const char *value) {
        if (streq(key, "store-root")) {
                free(c->store_root);
                c->store_root = isempty(value) ? NULL : strdup(value);
                return !isempty(value) && !c->store_root ? -ENOMEM : 0;
        }
        if (streq(key, "module-store"))
                c->direct = streq(value, "direct");
        else if (streq(key, "policy-version"))
                c->policy_version = (unsigned) MAX(atoi(value), 0); /* libsemanage's atoi() */
        else if (streq(key, "file-mode"))
                c->file_mode = (mode_t) strtoul(value, NULL, 8) & 07777;
        else if (streq(key, "optimize-policy"))
                c->optimize_policy = strcasecmp(value, "true") == 0;
        else if (streq(key, "save-previous"))
                c->save_previous = strcasecmp(value, "true") == 0;
        return 0;
}

static void trim(char **s) {
        char *end;

        *s += strspn(*s, " \t");
        end = *s + strlen(*s);
        while (end > *s && isspace((unsigned char) end[-1]))
                end--;
        *end = '\0';
}

int store_conf_parse(const char *text, size_t len, StoreConf *ret) {
        _cleanup_free_ char *copy = strndup(text, len);
        StoreConf c;
        char *save = NULL;
        bool in_section = false;
        int r;

        assert(text || len == 0);
        assert(ret);

        if (!copy)
                return -ENOMEM;
        store_conf_defaults(&c);
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *eq;

                line[strcspn(line, "#")] = '\0';
                trim(&line);
                if (line[0] == '[') {
                        in_section = !streq(line, "[end]");
                        c.verify_kernel = c.verify_kernel || streq(line, "[verify kernel]");
                        continue;
                }
                eq = strchr(line, '=');
                if (in_section || !eq)
                        continue;
                *eq = '\0';
                char *key = line, *value = eq + 1;
                trim(&key);
                trim(&value);
                r = store_conf_set(&c, key, value);
                if (r < 0) {
                        store_conf_done(&c);
                        return r;
                }
        }
        *ret = c;
        return 0;
}

int store_conf_read(int root_fd, StoreConf *ret) {
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r;

        assert(ret);

        r = read_full_file_at(root_fd, SEMANAGE_CONF_PATH, STORE_CONF_MAX, &text, &len, /* ret_st= */ NULL,
                              /* ret_path= */ NULL);
        if (r < 0)
                return r;
        return store_conf_parse(text, len, ret);
}
