/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzzes the readers of /run/seprov/initrd and /var/lib/seprov/applied: whatever reads, written
 * back, reads the same (work this version does not know is not written back). */

#include <assert.h>

#include "boot-state.h"
#include "strutil.h"
#include "fuzz.h"
#include "macro.h"

static void initrd_roundtrip(const char *text) {
        BootInitrdState s, again;
        _cleanup_free_ char *out = NULL;

        if (boot_initrd_state_parse(text, &s) < 0)
                return;
        s.left &= ~BOOT_WORK_UNKNOWN;
        out = boot_initrd_state_to_text(&s);
        assert(out);
        assert(boot_initrd_state_parse(out, &again) == 0);
        assert(again.result == s.result && again.left == s.left);
}

static void applied_roundtrip(const char *text) {
        _cleanup_(boot_applied_done) BootApplied a = {}, again = {};
        _cleanup_free_ char *out = NULL;

        if (boot_applied_parse(text, &a) < 0)
                return;
        a.every_boot &= ~BOOT_WORK_UNKNOWN;
        out = boot_applied_to_text(&a);
        assert(out);
        assert(boot_applied_parse(out, &again) == 0);
        assert(again.fingerprint == a.fingerprint && again.every_boot == a.every_boot);
        assert(strv_length(again.sources) == strv_length(a.sources));
        for (size_t i = 0; i < strv_length(a.sources); i++)
                assert(streq(again.sources[i], a.sources[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = strndup((const char *) data, size);

        if (!text)
                return 0;
        initrd_roundtrip(text);
        applied_roundtrip(text);
        return 0;
}
