# shellcheck shell=bash
# Helpers for the fixture test scripts: fixture roots, tree digests, a read-only /usr, assertions.

: "${SEPROV:?SEPROV must name the seprov binary}"
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/tmpdir.sh
. "$TESTS_DIR/tmpdir.sh"
FAILURES=0
CHECKS=0

fail() {
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}

check() {
    CHECKS=$((CHECKS + 1))
    local what=$1
    shift
    if ! "$@"; then
        fail "$what"
    fi
}

# A fresh fixture root of the given layout in a new temporary directory; prints its path.
make_fixture() {
    local dir
    dir=$(mktemp -d "$(test_tmpdir)/seprov-fixture.XXXXXX")
    "$TESTS_DIR/fixtures/make-root.sh" "$1" "$dir/root" >/dev/null
    echo "$dir/root"
}

# Everything that identifies a tree's state: type, mode, owner, size, link target, mtime, content
# and every xattr of every entry. /run is runtime state, not the tree.
tree_digest() {
    local root=$1
    (
        cd "$root" || exit
        find . -path ./run -prune -o -printf '%p %y %m %U:%G %s %l %T@\n' | LC_ALL=C sort
        find . -path ./run -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
        getfattr -R -h -d -m - --absolute-names . 2>/dev/null | grep -v '^$'
    ) | sha256sum | cut -d' ' -f1
}

# Runs seprov with the fixture's /usr read-only (a bind mount in a private mount namespace), so a
# write into /usr fails loudly instead of passing unnoticed. Prints seprov's output; returns its
# exit status.
seprov_ro_usr() {
    local root=$1
    shift
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare -m --propagation private bash -c '
        root=$1; shift
        mount --bind "$root/usr" "$root/usr" && mount -o remount,bind,ro "$root/usr" || exit 99
        exec "$@"' _ "$root" "$SEPROV" "$@"
}

finish_tests() {
    echo "$CHECKS checks, $FAILURES failures"
    [ "$FAILURES" -eq 0 ]
}
