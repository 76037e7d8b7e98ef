#!/bin/bash
# fileContexts and fileContextEquivalences against a fixture root's real policy: validate --root
# (and apply's preflight, the same code) refuses an unknown type, an attribute, a range the policy
# lacks, and the equivalence trap (a rule under an equivalence's source, which libselinux never
# matches: proved with libselinux's own selabel_lookup on the root's file_contexts), each at
# FILE:LINE:COL with the fix; nothing is changed by a refused apply.
set -euo pipefail
SEPROV=$(realpath "${1:?usage: test-file-contexts.sh SEPROV}")
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/../lib.sh"
export SYSTEMD_LOG_TARGET=console

work=$(mktemp -d "$(test_tmpdir)/seprov-fcontext-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
export SEPROV_TEST_TMPDIR=$work

# write_config FILE JSON-OF-SELINUX
write_config() {
    printf '{\n  "version": "1.0.0",\n  "selinux": %s\n}\n' "$2" > "$1"
}

# validate_root ROOT FILE: seprov validate --root's diagnostics; the exit status in $rc.
validate_root() {
    rc=0
    (cd "$(dirname "$2")" && "$SEPROV" validate --root="$1" "$(basename "$2")" 2>&1) || rc=$?
}

# lookup FC_DIR PATH: the label libselinux gives PATH from the file_contexts in FC_DIR, with the
# .subs_dist and .subs beside it; "none" when it gives none.
lookup() {
    selabel_lookup -b file -t 0 -f "$1/file_contexts" -k "$2" 2>/dev/null | sed -n 's/^Default context: //p' | grep . || echo none
}

test_types_and_ranges() {
    local layout=$1 root f out
    root=$(make_fixture "$layout")
    f=$work/$layout-types.json
    write_config "$f" '{ "fileContexts": [
      { "path": "/opt/cni/bin(/.*)?", "type": "bin_tt" },
      { "path": "/opt/b", "type": "no_such_type_anywhere_zz" },
      { "path": "/opt/c", "type": "domain" },
      { "path": "/opt/d", "type": "usr_t", "range": "s9" },
      { "path": "/opt/e", "type": "usr_t", "range": "s0-s0:c0.c1023" },
      { "path": "/opt/myapp(/.*)?", "type": "seprovfc_t" },
      { "path": "/opt/gone", "type": "no_such_type_zz", "state": "absent" },
      { "path": "/opt/f", "type": "init_t" } ],
    "modules": [ { "name": "seprovfc", "source": "/usr/share/seprov-test/seprovfc.cil" } ] }'
    mkdir -p "$root/usr/share/seprov-test"
    printf '(type seprovfc_t)\n(roletype object_r seprovfc_t)\n' > "$root/usr/share/seprov-test/seprovfc.cil"
    out=$(validate_root "$root" "$f"; echo "rc=$rc")
    check "$layout: refused, exit 1: $out" grep -qx 'rc=1' <<<"$out"
    check "$layout: a misspelt type gets the nearest: $out" grep -qF "$(basename "$f"):4:7: file context \"/opt/cni/bin(/.*)?\": type \"bin_tt\" is not in the policy (/etc/selinux/default/policy/policy.33), did you mean \"bin_t\"?" <<<"$out"
    check "$layout: an unknown type" grep -qF ':5:7: file context "/opt/b": type "no_such_type_anywhere_zz" is not in the policy' <<<"$out"
    check "$layout: an attribute is no type" grep -qF ':6:7: file context "/opt/c": "domain" is an attribute of the policy' <<<"$out"
    check "$layout: a range the policy lacks, in libsepol's words" grep -qF ':7:7: file context "/opt/d": "s9" is not a range of the policy (/etc/selinux/default/policy/policy.33): libsepol: invalid MLS context s9' <<<"$out"
    check "$layout: a domain's type is no file's, as semanage says" grep -qF ':11:7: file context "/opt/f": "init_t" is a type of the policy (/etc/selinux/default/policy/policy.33), but not a file'"'"'s: it has neither attribute file_type nor device_node' <<<"$out"
    check "$layout: five problems, no more (a valid range, a module's type, an absent entry pass)" [ "$(grep -c ': file context ' <<<"$out")" -eq 5 ]
}

test_equivalence_trap() {
    local layout=$1 root f out fc fcd
    root=$(make_fixture "$layout")
    fc=$root/etc/selinux/default/contexts/files
    f=$work/$layout-trap.json
    write_config "$f" '{ "fileContexts": [
      { "path": "/var/run/seprov-a\\.sock", "type": "httpd_sys_content_t" },
      { "path": "/run/seprov-b\\.sock", "type": "httpd_sys_content_t" },
      { "path": "/srv/www(/.*)?", "type": "httpd_sys_content_t" },
      { "path": "/lib64/seprov\\.so", "type": "lib_t" },
      { "path": "/var/run.*", "type": "var_run_t" },
      { "path": "/var/run/c|/opt/c", "type": "var_run_t" } ],
    "fileContextEquivalences": [ { "path": "/srv/www", "sameAs": "/var/www" } ] }'
    out=$(validate_root "$root" "$f"; echo "rc=$rc")
    check "$layout: the trap is refused, exit 1: $out" grep -qx 'rc=1' <<<"$out"
    check "$layout: a rule under the distribution's /var/run = /run, with the rule to write" grep -qxF "$(basename "$f"):4:7: file context \"/var/run/seprov-a\\.sock\" never matches: the equivalence \"/var/run /run\" (/etc/selinux/default/contexts/files/file_contexts.subs_dist) makes libselinux look paths under /var/run up as paths under /run; write \"/run/seprov-a\\.sock\" instead" <<<"$out"
    check "$layout: a rule under the config's own equivalence, named with its place" grep -qF ":6:7: file context \"/srv/www(/.*)?\" never matches: the equivalence \"/srv/www /var/www\" (the config, $(basename "$f"):10:34) makes libselinux look paths under /srv/www up as paths under /var/www; write \"/var/www(/.*)?\" instead" <<<"$out"
    check "$layout: /lib64 = /usr/lib" grep -qF ':7:7: file context "/lib64/seprov\.so" never matches: the equivalence "/lib64 /usr/lib"' <<<"$out"
    check "$layout: rules that can match outside the source are not refused" [ "$(grep -c 'never matches' <<<"$out")" -eq 3 ]

    # What libselinux does with the same rules, the root's own file_contexts and .subs_dist: the
    # refused rule is never used, the rule written instead is, for both spellings of the path.
    fcd=$work/$layout-fc
    mkdir -p "$fcd"
    cp "$fc/file_contexts" "$fc/file_contexts.subs_dist" "$fcd/"
    printf '%s\n' '/var/run/seprov-a\.sock system_u:object_r:httpd_sys_content_t:s0' \
        '/run/seprov-b\.sock system_u:object_r:httpd_sys_content_t:s0' >> "$fcd/file_contexts"
    check "$layout: libselinux never uses the refused rule" [ "$(lookup "$fcd" /var/run/seprov-a.sock)" != system_u:object_r:httpd_sys_content_t:s0 ]
    check "$layout: libselinux uses the rule written instead, for /run/..." [ "$(lookup "$fcd" /run/seprov-b.sock)" = system_u:object_r:httpd_sys_content_t:s0 ]
    check "$layout: ... and for /var/run/..." [ "$(lookup "$fcd" /var/run/seprov-b.sock)" = system_u:object_r:httpd_sys_content_t:s0 ]

    # The suggested rule passes.
    write_config "$f" '{ "fileContexts": [ { "path": "/run/seprov-a\\.sock", "type": "httpd_sys_content_t" },
      { "path": "/var/www(/.*)?", "type": "httpd_sys_content_t" } ],
    "fileContextEquivalences": [ { "path": "/srv/www", "sameAs": "/var/www" } ] }'
    out=$(validate_root "$root" "$f"; echo "rc=$rc")
    check "$layout: the rules written instead are valid: $out" [ "$out" = rc=0 ]

    # A local equivalence an administrator made with semanage counts too.
    printf '/srv/data /var/lib\n' > "$fc/file_contexts.subs"
    write_config "$f" '{ "fileContexts": [ { "path": "/srv/data/x", "type": "var_lib_t" } ] }'
    out=$(validate_root "$root" "$f"; echo "rc=$rc")
    check "$layout: the store's local .subs is read: $out" grep -qF 'the equivalence "/srv/data /var/lib" (/etc/selinux/default/contexts/files/file_contexts.subs) makes libselinux look paths under /srv/data up as paths under /var/lib; write "/var/lib/x" instead' <<<"$out"
}

# Equivalences semanage fcontext -a -e refuses beside the others are refused too, with semanage's
# suggestion; semanage itself, on the same root, refuses the first with the same words.
test_equivalence_conflicts() {
    local root f out sem
    root=$(make_fixture plain)
    f=$work/equivalences.json
    write_config "$f" '{ "fileContextEquivalences": [
      { "path": "/var/run/myapp", "sameAs": "/opt/x" },
      { "path": "/srv", "sameAs": "/var/srv" },
      { "path": "/srv/www", "sameAs": "/var/www" },
      { "path": "/data", "sameAs": "/var/data" } ] }'
    out=$(validate_root "$root" "$f"; echo "rc=$rc")
    check "equivalences: refused, exit 1: $out" grep -qx 'rc=1' <<<"$out"
    check "equivalences: one under the distribution's /var/run, with the path to write" grep -qxF 'equivalences.json:4:7: equivalence "/var/run/myapp" lies under the source of the equivalence "/var/run /run" (/etc/selinux/default/contexts/files/file_contexts.subs_dist); semanage refuses it: write "/run/myapp" instead' <<<"$out"
    check "equivalences: one holding another's source" grep -qF 'equivalences.json:5:7: equivalence "/srv" holds the source of the equivalence "/srv/www /var/www" (the config, equivalences.json:6:7)' <<<"$out"
    check "equivalences: three problems, the unrelated one passes" [ "$(grep -c ': equivalence ' <<<"$out")" -eq 3 ]
    # shellcheck disable=SC2016 # expanded by the inner shell
    sem=$(unshare --mount --propagation private -- bash -c '
        mount --bind "$1/etc/selinux" /etc/selinux
        mount --bind "$1/var/lib/selinux" /var/lib/selinux
        semanage fcontext -a -e /opt/x /var/run/myapp' sem "$root" 2>&1 || true)
    check "equivalences: semanage refuses the same, with the same path: $sem" grep -qF "conflicts with equivalency rule '/var/run /run'; Try adding '/run/myapp' instead" <<<"$sem"
}

# A refused apply changes nothing.
test_apply_refused() {
    local root before out rc=0
    root=$(make_fixture plain)
    mkdir -p "$root/etc/seprov/config.d"
    write_config "$root/etc/seprov/config.d/50-fc.json" '{ "fileContexts": [ { "path": "/var/run/x\\.sock", "type": "var_run_t" } ] }'
    before=$(tree_digest "$root")
    out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" 2>&1) || rc=$?
    check "apply: the trap refuses the apply, exit 1 ($rc): $out" [ "$rc" -eq 1 ]
    check "apply: the rule's place is named" grep -qF '50-fc.json):3:34: file context "/var/run/x\.sock" never matches' <<<"$out"
    rm -rf "$root/run/seprov"
    check "apply: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
}

# The image's read-only store takes neither: refused at their places, nothing changed.
test_image_store_refused() {
    local root before out rc=0
    root=$(make_fixture flatcar-legacy)
    mkdir -p "$root/etc/seprov/config.d"
    write_config "$root/etc/seprov/config.d/50-fc.json" '{ "fileContexts": [ { "path": "/opt/x(/.*)?", "type": "bin_t" } ],
      "fileContextEquivalences": [ { "path": "/srv/www", "sameAs": "/var/www" } ] }'
    before=$(tree_digest "$root")
    out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" 2>&1) || rc=$?
    check "image store: refused, exit 1 ($rc): $out" [ "$rc" -eq 1 ]
    check "image store: the rule's place" grep -qF '50-fc.json):3:34: file context "/opt/x(/.*)?" is a local change of the policy store, which must be writable, but the store /var/lib/selinux/default is the image'"'"'s (read-only): set "store": "writable"' <<<"$out"
    check "image store: the equivalence's place" grep -qF '50-fc.json):4:36: equivalence "/srv/www" is a local change of the policy' <<<"$out"
    rm -rf "$root/run/seprov"
    check "image store: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
}

# The Kubernetes node example passes against the real policy too, not only the schema.
test_example() {
    local root out rc=0
    root=$(make_fixture "$1")
    out=$("$SEPROV" validate --root="$root" "$TESTS_DIR/../examples/kubernetes-node.yaml" 2>&1) || rc=$?
    check "$1: examples/kubernetes-node.yaml is valid against the policy ($rc): $out" [ "$rc" -eq 0 ] && [ -z "$out" ]
}

for layout in plain flatcar-legacy flatcar-current; do
    test_example "$layout"
    test_types_and_ranges "$layout"
    test_equivalence_trap "$layout"
done
test_equivalence_conflicts
test_apply_refused
test_image_store_refused
finish_tests
