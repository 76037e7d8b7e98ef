/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* FNV-1a, 64 bits: the one hash of seprov's change detectors (the boot fingerprint, the identity of
 * an image tree, the digest of a module's source, the header of an audit rules file made from a
 * link) and of check's denial groups. Not a defence: what it hashes is trusted, or only grouped. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV1A64_PRIME  UINT64_C(0x100000001b3)

/* Continues the hash 'h' (FNV1A64_OFFSET to start one) over 'n' bytes. Returns the new hash. */
static inline uint64_t fnv1a64(uint64_t h, const void *data, size_t n) {
        const unsigned char *p = data;

        for (size_t i = 0; i < n; i++)
                h = (h ^ p[i]) * FNV1A64_PRIME;
        return h;
}
