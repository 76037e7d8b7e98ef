/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The files of /etc/audit/rules.d as augenrules loads them. Internal to the audit action. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "diag.h"

/* The first line of a regular file seprov made from a link into /usr:
 *   # seprov-link fnv1a64=<16 hex digits>: <the link's target, as it was>
 * The hash is of the image's content the file was made from, so that seprov can tell an update of the
 * image (take it) from an edit of the copy (keep it). */
#define AUDIT_MARK_LINK "# seprov-link fnv1a64="

typedef struct AuditFile {
        char *name;     /* the entry in rules.d */
        char *path;     /* as reported: /etc/audit/rules.d/NAME */
        char *resolved; /* where its content is, inside the root */
        bool is_link;
        char *link_target; /* is_link: as written in the link */
        struct stat st;    /* of the content (a link's target) */
        char *label;       /* the entry's own security.selinux label, or NULL */
        char *data;        /* current bytes */
        size_t size;
        bool has_header; /* starts with AUDIT_MARK_LINK */
        uint64_t header_hash;
        char *header_target;
        size_t header_len; /* bytes of the header line, with its newline */
} AuditFile;

typedef struct AuditDir {
        char *resolved;   /* /etc/audit/rules.d resolved inside the root */
        int fd;           /* O_PATH */
        AuditFile *files; /* in augenrules' order: "ls -1v | grep '\.rules$'" */
        size_t n;
} AuditDir;

/* Reads every rules file. Entries augenrules cannot load (not regular files, dangling links, names
 * with spaces) are skipped and reported in 'warnings'. Returns 0, -ENOENT when there is no
 * /etc/audit/rules.d (not logged), or another negative errno (logged). */
int audit_dir_read(int root_fd, AuditDir *ret, Diags *warnings);

void audit_dir_done(AuditDir *d);

/* Rules files larger than this are refused. */
#define AUDIT_FILE_MAX (16u * 1024 * 1024)

/* Returns the header line (with its newline) for 'target', or NULL when out of memory. */
char *audit_files_link_header(uint64_t hash, const char *target);
