#!/bin/bash
# seprov validate over the config corpus: every bad file gives exactly the expected FILE:LINE:COL
# lines and exit 1; every good file is silent with exit 0; real ignition-validate agrees that an
# Ignition config carrying a seprov key is an Ignition config, and only seprov judges the key.
set -euo pipefail

seprov=$(realpath "${1:?usage: test-validate.sh SEPROV}")
here=$(cd "$(dirname "$0")" && pwd)
failures=0
work=$(mktemp -d "${TMPDIR:-/tmp}/seprov-validate.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Problems are diagnostics: on standard error, nothing on standard output.
check_bad() {
    local f=$1 expected=$1.expected out rc=0
    out=$(cd "$here/bad" && "$seprov" validate "$f" 2>&1 >"$work/stdout") || rc=$?
    [ "$rc" -eq 1 ] || fail "$f: exit $rc, expected 1"
    [ ! -s "$work/stdout" ] || fail "$f: printed on standard output: $(cat "$work/stdout")"
    if [ "$out" != "$(cat "$here/bad/$expected")" ]; then
        fail "$f: output differs"
        diff <(echo "$out") "$here/bad/$expected" || true
    fi
}

check_good() {
    local f=$1 out rc=0
    out=$(cd "$here/good" && "$seprov" validate "$f" 2>&1) || rc=$?
    [ "$rc" -eq 0 ] || fail "$f: exit $rc, expected 0"
    [ -z "$out" ] || fail "$f: unexpected output: $out"
}

n=0
for f in "$here"/bad/*; do
    case $f in *.expected) continue ;; esac
    check_bad "$(basename "$f")"
    n=$((n + 1))
done
for f in "$here"/good/*; do
    check_good "$(basename "$f")"
    n=$((n + 1))
done

# The examples the README and the demo use are valid too.
for f in "$here"/../../examples/*; do
    rc=0
    out=$("$seprov" validate "$f" 2>&1) || rc=$?
    if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
        fail "example $(basename "$f"): exit $rc: $out"
    fi
    n=$((n + 1))
done

# Several files: every problem of every file, and the verdict of the worst.
rc=0
out=$(cd "$here" && "$seprov" validate good/full.json bad/truncated.json bad/unknown-key.json 2>&1) || rc=$?
[ "$rc" -eq 1 ] || fail "several files: exit $rc"
[ "$(echo "$out" | wc -l)" -eq 2 ] || fail "several files: expected 2 lines, got: $out"

# What apply skips is not invalid: a mask (an empty file, a symlink to /dev/null) and a file of a
# drop-in directory with another suffix each get a note, exit 0.
mkdir -p "$work/config.d"
: >"$work/config.d/50-empty.json"
ln -s /dev/null "$work/config.d/60-null.json"
echo notes >"$work/config.d/README"
rc=0
out=$(cd "$work" && "$seprov" validate config.d/50-empty.json config.d/60-null.json config.d/README 2>&1) || rc=$?
[ "$rc" -eq 0 ] || fail "masks and other suffixes: exit $rc: $out"
[ "$out" = "config.d/50-empty.json: note: an empty file: a mask, apply reads nothing from it and skips the drop-ins of the same name in lower directories
config.d/60-null.json: note: a symlink to /dev/null: a mask, apply reads nothing from it and skips the drop-ins of the same name in lower directories
config.d/README: note: not a .json, .yaml or .yml file: apply skips it in a drop-in directory, as systemd skips other suffixes" ] ||
    fail "masks and other suffixes: $out"
n=$((n + 3))

# A file that cannot be read is invalid, and says why.
rc=0
out=$("$seprov" validate /nonexistent/seprov.json 2>&1) || rc=$?
[ "$rc" -eq 1 ] || fail "missing file: exit $rc"
[ "$out" = "/nonexistent/seprov.json: cannot read: No such file or directory" ] || fail "missing file: $out"

# "-" is standard input, named <stdin> in the diagnostics; the format is told by the content.
rc=0
out=$("$seprov" validate - <"$here/bad/unknown-key.json" 2>&1) || rc=$?
[ "$rc" -eq 1 ] || fail "stdin: exit $rc, expected 1"
[ "$out" = "$(sed 's/^unknown-key.json:/<stdin>:/' "$here/bad/unknown-key.json.expected")" ] || fail "stdin: $out"
rc=0
out=$("$seprov" validate - <"$here/good/plain.yaml" 2>&1) || rc=$?
if [ "$rc" -ne 0 ] || [ -n "$out" ]; then fail "stdin, YAML: exit $rc: $out"; fi
rc=0
out=$(printf '#cloud-config\nseprov:\n  version: 1.0.0\n  selinux: {mdoe: enforcing}\n' | "$seprov" validate - 2>&1) || rc=$?
[ "$rc" -eq 1 ] || fail "stdin, cloud-config: exit $rc"
[ "$out" = '<stdin>:4:13: unknown key "mdoe" in "selinux", did you mean "mode"?' ] || fail "stdin, cloud-config: $out"

# Standard input is read once: '-' twice is a usage error, and nothing is read.
rc=0
out=$(echo '{}' | "$seprov" validate - - 2>&1) || rc=$?
[ "$rc" -eq 64 ] || fail "validate - -: exit $rc, expected 64"
[ "$out" = "seprov validate reads standard input once: '-' is given more than once." ] || fail "validate - -: $out"

# No file at all is a usage error.
rc=0
"$seprov" validate 2>/dev/null || rc=$?
[ "$rc" -eq 64 ] || fail "no arguments: exit $rc, expected 64"

# Ignition's storage.files drop-ins are checked inside the config: a problem in plain data: URL
# text is reported where its bytes are written in the Ignition config, else at the entry's source.
at() { # FILE LINE COL LENGTH: the text at that place
    sed -n "${2}p" "$1" | cut -c"$3-$(($3 + $4 - 1))"
}
[ "$(at "$here/bad/ignition-dropin-plain.ign" 10 108 11)" = "%22enforcng" ] || fail "plain drop-in: position"
# A compressed drop-in is Ignition's to decompress: not checked, with a warning at its compression.
rc=0
out=$(cd "$here" && "$seprov" validate gzip-dropin.ign 2>&1) || rc=$?
[ "$rc" -eq 0 ] || fail "gzip drop-in: exit $rc: $out"
[ "$(head -n 1 <<<"$out")" = 'gzip-dropin.ign:10:26: warning: /etc/seprov/config.d/10-mode.yaml: its contents are compressed; seprov validate cannot check them here' ] ||
    fail "gzip drop-in: $out"
# A near miss of the key is named, with what was probably meant, instead of "no seprov settings".
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '{"ignition": {"version": "3.3.0"},\n "seProv": {"version": "1.0.0"}}\n' >"$tmp/near.ign"
printf '#cloud-config\nsepr0v:\n  version: 1.0.0\n' >"$tmp/near.yaml"
for f in near.ign near.yaml; do
    rc=0
    out=$(cd "$tmp" && "$seprov" validate "$f" 2>&1) || rc=$?
    [ "$rc" -eq 0 ] || fail "$f: exit $rc"
    [ "$(echo "$out" | wc -l)" -eq 1 ] || fail "$f: more than one line: $out"
    echo "$out" | grep -q ':2:[12]: warning: unknown key "se[pP]r[o0]v", did you mean "seprov"?' || fail "$f: $out"
done
n=$((n + 2))

# The real Ignition validator accepts our configs, warning only about the key it does not know...
if ! command -v ignition-validate >/dev/null; then
    fail "ignition-validate is not installed (tools/install-deps installs it)"
else
    for f in good/ignition.ign bad/ignition-bad-seprov.ign; do
        rc=0
        out=$(cd "$here" && ignition-validate "$f" 2>&1) || rc=$?
        [ "$rc" -eq 0 ] || fail "ignition-validate $f: exit $rc: $out"
        echo "$out" | grep -q '^warning at \$\.seprov, .*Unused key seprov$' || fail "ignition-validate $f: $out"
        [ "$(echo "$out" | wc -l)" -eq 1 ] || fail "ignition-validate $f: more than the one warning: $out"
    done
    # ...so a broken seprov key passes Ignition's validation: only seprov validate catches it.
    n=$((n + 2))
    # Every spec version this Ignition accepts, with a 1.1 MiB embedded file and a base64 drop-in:
    # Ignition takes the config, seprov reads its key and checks the drop-in (a bad one is caught).
    for v in 3.0.0 3.1.0 3.2.0 3.3.0 3.4.0-experimental; do
        modes=(enforcing)
        case $v in 3.0.0 | 3.4.0-experimental) modes+=(enforcng) ;; esac # the oldest and newest
        for mode in "${modes[@]}"; do
            python3 - "$v" "$mode" >"$tmp/v.ign" <<'PY'
import base64, json, sys
drop = '{"version": "1.0.0", "selinux": {"mode": "%s"}}\n' % sys.argv[2]
data = lambda b: "data:;base64," + base64.b64encode(b).decode()
print(json.dumps({"ignition": {"version": sys.argv[1]},
                  "storage": {"files": [
                      {"path": "/opt/blob", "contents": {"source": data(bytes(range(256)) * 4500)}},
                      {"path": "/etc/seprov/config.d/50-fleet.json",
                       "contents": {"source": data(drop.encode())}}]},
                  "seprov": {"version": "1.0.0", "selinux": {"audit": {"selinuxEvents": True}}}}))
PY
            out=$(ignition-validate "$tmp/v.ign" 2>&1) || fail "ignition-validate $v: $out"
            [ "$(echo "$out" | grep -vc 'Unused key seprov$')" -eq 0 ] || fail "ignition-validate $v: $out"
            rc=0
            out=$("$seprov" validate "$tmp/v.ign" 2>&1) || rc=$?
            if [ "$mode" = enforcing ]; then
                if [ "$rc" -ne 0 ] || [ -n "$out" ]; then fail "Ignition $v: exit $rc: $out"; fi
            elif [ "$rc" -ne 1 ] || ! echo "$out" | grep -q '50-fleet.json:1:42: "selinux.mode" must be'; then
                fail "Ignition $v, bad drop-in: exit $rc: $out"
            fi
        done
    done
    n=$((n + 7))
    # The drop-ins are only files to Ignition, whatever they hold.
    for f in good/ignition-dropins.ign bad/ignition-dropin-plain.ign gzip-dropin.ign; do
        out=$(cd "$here" && ignition-validate "$f" 2>&1) || fail "ignition-validate $f: $out"
        [ -z "$out" ] || fail "ignition-validate $f: $out"
    done
fi

echo "checked $n files"
[ "$failures" -eq 0 ]
