/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The origin record, the identity of an image tree, and the local changes of a store. */

#include <fcntl.h>
#include <sys/stat.h>

#include "store-internal.h"
#include "strutil.h"
#include "tests.h"

static char dir[] = "/var/tmp/seprov-test-origin.XXXXXX";
static int dir_fd = -EBADF;

/* Runs a shell command; $D is the test directory. */
static void sh(const char *cmd) {
        ASSERT_EQ(system(cmd), 0);
}

TEST(record_round_trip) {
        _cleanup_(store_origin_done) StoreOrigin r = {};
        StoreOrigin o = { .source = (char *) "/usr/lib/selinux/policy/x", .identity = (char *) "0123",
                          .replaced = (char *) "/var/lib/selinux", .replaced_target = (char *) "../../usr/p",
                          .rebuild_pending = true, .image_priorities = STRV_MAKE("", "100", "200") };

        ASSERT_OK(store_origin_write(dir_fd, &o, NULL, false));
        ASSERT_EQ(store_origin_write(dir_fd, &o, NULL, false), -EEXIST);
        ASSERT_OK(store_origin_read(dir_fd, &r));
        ASSERT_STREQ(r.source, o.source);
        ASSERT_STREQ(r.identity, o.identity);
        ASSERT_STREQ(r.replaced, o.replaced);
        ASSERT_STREQ(r.replaced_target, o.replaced_target);
        ASSERT_TRUE(r.rebuild_pending);
        ASSERT_TRUE(strv_contains(r.image_priorities, "100") && strv_contains(r.image_priorities, "200"));
        o.rebuild_pending = false;
        o.image_priorities = STRV_MAKE("");
        ASSERT_OK(store_origin_write(dir_fd, &o, NULL, true));
        store_origin_done(&r);
        ASSERT_OK(store_origin_read(dir_fd, &r));
        ASSERT_TRUE(!r.rebuild_pending);
        /* An image with no module: the list is there, and empty. */
        ASSERT_TRUE(r.image_priorities && !strv_contains(r.image_priorities, "100"));
}

static char *identity(void) {
        _cleanup_close_ int fd = openat(dir_fd, "img", O_RDONLY | O_DIRECTORY);
        char *id = NULL;

        ASSERT_OK(store_origin_identity(fd, &id));
        return id;
}

TEST(identity) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

        sh("mkdir -p $D/img/active/modules/100/base && printf 1 > $D/img/active/commit_num &&"
           "head -c 5000 /dev/zero > $D/img/active/policy.kern && touch -d @1600000000 $D/img/active/*");
        a = identity();
        b = identity();
        ASSERT_STREQ(a, b);
        /* A small file's content counts, even with the same size and time. */
        sh("printf 2 > $D/img/active/commit_num && touch -d @1600000000 $D/img/active/commit_num");
        c = identity();
        ASSERT_TRUE(!streq(a, c));
        /* A big file's time counts. */
        sh("touch -d @1600000001 $D/img/active/policy.kern");
        d = identity();
        ASSERT_TRUE(!streq(c, d));
        /* seprov's own files, locks and staging entries do not. */
        sh("touch $D/img/.seprov-origin $D/img/semanage.read.LOCK && mkdir $D/img/.#seprov-staging.x");
        e = identity();
        ASSERT_STREQ(d, e);
}

TEST(local_changes) {
        _cleanup_(local_changes_done) LocalChanges c = {};
        _cleanup_close_ int store = -EBADF, img = -EBADF;

        sh("cp -a $D/img $D/store && mkdir -p $D/store/active/modules/400/mine $D/store/active/modules/disabled");
        sh("touch $D/store/active/modules/disabled/base $D/store/active/disable_dontaudit &&"
           "echo 'x=1' > $D/store/active/booleans.local && : > $D/store/active/ports.local");
        store = openat(dir_fd, "store", O_RDONLY | O_DIRECTORY);
        img = openat(dir_fd, "img", O_RDONLY | O_DIRECTORY);
        ASSERT_OK(local_changes_find(store, img, NULL, &c));
        ASSERT_TRUE(strv_contains(c.paths, "active/booleans.local"));
        ASSERT_TRUE(strv_contains(c.paths, "active/disable_dontaudit"));
        ASSERT_TRUE(strv_contains(c.paths, "active/modules/400"));
        ASSERT_TRUE(strv_contains(c.paths, "active/modules/disabled"));
        /* An empty .local file is no customisation. */
        ASSERT_TRUE(!strv_contains(c.paths, "active/ports.local"));
        ASSERT_TRUE(strv_contains(c.descriptions, "modules at priority 400: mine"));
        local_changes_done(&c);
        /* The image had priority 400 when copied: its modules there are the image's. */
        ASSERT_OK(local_changes_find(store, img, STRV_MAKE("", "100", "400"), &c));
        ASSERT_TRUE(!strv_contains(c.paths, "active/modules/400"));
        local_changes_done(&c);
        /* Nothing differs from itself. */
        ASSERT_OK(local_changes_find(img, img, NULL, &c));
        ASSERT_EQ(strv_length(c.paths), 0);
}

int main(void) {
        ASSERT_TRUE(mkdtemp(dir));
        ASSERT_EQ(setenv("D", dir, 1), 0);
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
        RUN_TEST(record_round_trip);
        RUN_TEST(identity);
        RUN_TEST(local_changes);
        sh("rm -rf $D");
        return 0;
}
