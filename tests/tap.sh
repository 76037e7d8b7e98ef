# shellcheck shell=bash
# A test script's checks, counted: check NAME CMD... runs CMD and prints "ok - NAME" or
# "not ok - NAME"; tap_finish prints the counts and fails when any check did.
passed=0 failed=0
ok() {
    echo "ok - $1"
    passed=$((passed + 1))
}
not_ok() {
    echo "not ok - $1"
    failed=$((failed + 1))
}
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}
tap_finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
