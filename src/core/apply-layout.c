/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The layout an apply works on, looked at again after an action moved things. */

#include "apply.h"
#include "log.h"

int apply_layout_refresh(Apply *a) {
        Layout l;
        int r;

        assert(a);

        r = layout_discover(a->ctx->root_fd, &l);
        if (r < 0)
                return log_error_errno(r, "Failed to look at the SELinux layout of %s: %m", a->ctx->root);
        layout_log_debug(a->ctx->root, &l);
        layout_done(&a->layout);
        a->layout = l;
        return 0;
}
