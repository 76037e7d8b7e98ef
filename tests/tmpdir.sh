# shellcheck shell=bash
# Where the fixture suites put their work trees: on tmpfs (/dev/shm) when the machine has one. A
# fixture root holds Debian's whole policy store, thousands of files, and on a disk these suites
# would spend most of their time in metadata writes; what a real disk does is shown by the boots
# (tests/vm), which run seprov on the image's own file systems. SEPROV_TEST_TMPDIR overrides.
test_tmpdir() {
    if [ -n "${SEPROV_TEST_TMPDIR:-}" ]; then
        echo "$SEPROV_TEST_TMPDIR"
    elif [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ]; then
        echo /dev/shm
    else
        echo /var/tmp
    fi
}
