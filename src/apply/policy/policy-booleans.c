/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The local booleans of a writable store, active/booleans.local, read as libsemanage writes them. */

#include "fileio.h"
#include "policy.h"
#include "strutil.h"

#define BOOLEANS_LOCAL_MAX (1024 * 1024)

/* "name=value"; comments and lines without '=' are skipped. */
static int boolean_line(char *line, void *userdata) {
        char ***l = userdata;
        char *eq = strchr(line, '=');
        int v;

        if (!eq || line[0] == '#')
                return 0;
        *eq = '\0';
        v = parse_boolean(eq + 1 + strspn(eq + 1, " \t"));
        return strv_consume(l, strprintf("%s=%s", line, v > 0 ? "on" : v == 0 ? "off" : "?"));
}

int policy_booleans_read(int store_fd, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        assert(ret);

        r = read_lines_at(store_fd, POLICY_BOOLEANS_LOCAL, BOOLEANS_LOCAL_MAX, boolean_line, &l);
        if (r < 0 && r != -ENOENT)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}
