#!/bin/bash
# A second apply changes nothing: every action reports unchanged, the trees (ctimes included) are
# identical, and the run makes no mutating system call at all (strace proves it). --dry-run on a
# fresh root plans the copy and changes nothing either.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

MUTATING='mkdir|mkdirat|rename|renameat|renameat2|unlink|unlinkat|rmdir|symlink|symlinkat|link|linkat'
MUTATING+='|setxattr|lsetxattr|fsetxattr|removexattr|lremovexattr|fremovexattr|utimensat|utimes'
MUTATING+='|chmod|fchmod|fchmodat|chown|fchown|fchownat|lchown|truncate|ftruncate|copy_file_range|syncfs'

for layout in flatcar-legacy flatcar-current plain; do
    setup "$layout"
    config '{"store":"writable"}'
    before=$(CTIME=1 digest /var/lib /etc/selinux)
    apply --dry-run
    expect_rc 0
    [ "$layout" = plain ] || expect_out '^store planned would copy /usr/lib/selinux/policy/default'
    expect_no_out ' changed '
    [ "$before" = "$(CTIME=1 digest /var/lib /etc/selinux)" ] || fail "$layout: --dry-run changed something"
    ok "$layout: --dry-run changes nothing"

    apply
    expect_rc 0
    first=$(CTIME=1 digest /var/lib /etc/selinux)
    ASAN_OPTIONS=detect_leaks=0 ro_usr strace -f -qq -o "$WORK/trace" \
        -e trace="%file,${MUTATING//|/,},write,pwrite64" \
        "$DRIVER" --root="$ROOT" apply > "$OUT" 2>&1 || fail "second apply failed"
    expect_no_out ' (changed|planned|failed) '
    [ "$first" = "$(CTIME=1 digest /var/lib /etc/selinux)" ] || fail "$layout: the second apply changed the trees"
    # Writes to stdout and stderr are the report; an open for writing or creating is not allowed.
    if grep -E "^[0-9]+ +($MUTATING)\(" "$WORK/trace" ||
        grep -E '^[0-9]+ +(open|openat|openat2)\(.*O_(WRONLY|RDWR|CREAT)' "$WORK/trace" ||
        grep -E '^[0-9]+ +(write|pwrite64)\(([03-9]|[1-9][0-9])' "$WORK/trace"; then
        fail "$layout: the second apply made a mutating system call"
    fi
    ok "$layout: a second apply changes nothing and writes nothing"
done
