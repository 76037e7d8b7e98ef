#!/bin/bash
# The shell completions: bash's _seprov, called as bash calls it (COMP_WORDS, COMP_CWORD), offers
# the words seprov takes, with '=' a word break (bash's default) and not; zsh's _seprov parses and
# is registered for seprov by compinit (skipped without zsh).
#   test-completion.sh [SOURCE_DIR]
set -euo pipefail

src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d "${TMPDIR:-/tmp}/seprov-completion.XXXXXX")
trap 'rm -rf "$work"' EXIT

# shellcheck source=shell-completion/bash/seprov
. "$src/shell-completion/bash/seprov"
[[ $(complete -p seprov) == "complete -F _seprov seprov" ]]

# Outside a completion bash refuses compopt; record what _seprov asks of it instead.
compopt() {
        COMPOPT+=("$*")
}

passed=0 failed=0

# expect 'WORDS' 'EXPECTED...' [COMPOPT]: completes the last word of WORDS (a trailing space starts
# a new, empty word) and compares the sorted candidates with EXPECTED (space separated, sorted), and
# the compopt calls made with COMPOPT (default: none).
expect() {
        local line=$1 want=$2 wantopt=${3:-} got
        local -a COMP_WORDS COMPREPLY=() COMPOPT=()
        read -r -a COMP_WORDS <<<"$line"
        [[ $line == *' ' ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
        _seprov seprov "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd' ' -)
        if [[ $got == "$want" && "${COMPOPT[*]}" == "$wantopt" ]]; then
                echo "ok - '$line' -> $want"
                passed=$((passed + 1))
        else
                echo "not ok - '$line' -> '$got', compopt '${COMPOPT[*]}' (expected '$want', compopt '$wantopt')"
                failed=$((failed + 1))
        fi
}

mkdir -p "$work/root/etc" "$work/rootfs"
touch "$work/a.json" "$work/b.yaml" "$work/user_data"
cd "$work"

expect 'seprov ' 'apply check show-config status validate'
expect 'seprov s' 'show-config status'
expect 'seprov apply --' '--dry-run --help --json --no-pager --root= --stage= --version'
expect 'seprov status --' '--help --json --no-pager --root= --version'
expect 'seprov show-config --j' '--json'
# Before the verb: the options every verb takes; after them, the verbs.
expect 'seprov --' '--help --json --no-pager --root= --version'
expect 'seprov --root=root s' 'show-config status'
expect 'seprov --root = root st' 'status'
expect 'seprov --root root --json ' 'apply check show-config status validate'
expect 'seprov --root=root status --' '--help --json --no-pager --root= --version'
expect 'seprov --json=short apply --d' '--dry-run'
# --json's values, after '=' only (getopt_long's optional argument).
expect 'seprov status --json=s' '--json=short'
expect 'seprov status --json = ' 'off pretty short'
expect 'seprov --json=p' '--json=pretty'
# One option that takes a value: its '=' is not followed by a space.
expect 'seprov apply --st' '--stage=' '-o nospace'
expect 'seprov check --' '--audit-log= --fix= --help --journal-dir= --json --no-pager --policy= --root= --since= --version'
expect 'seprov validate --' '--help --no-pager --root= --version'
# Option values, the way bash splits them with '=' in COMP_WORDBREAKS: --stage = VALUE.
expect 'seprov apply --stage = ' 'initrd system'
expect 'seprov apply --stage = s' 'system'
expect 'seprov apply --root = ro' 'root rootfs' '-o filenames'
# ... as one word, when '=' is not a word break: the candidates keep the option.
expect 'seprov apply --stage=i' '--stage=initrd'
expect 'seprov status --root=roo' '--root=root --root=rootfs' '-o filenames'
# ... and as the next word, which getopt_long takes too.
expect 'seprov apply --stage ' 'initrd system'
expect 'seprov check --journal-dir r' 'root rootfs' '-o filenames'
expect 'seprov check --audit-log = ' '- a.json b.yaml root rootfs user_data' '-o filenames'
expect 'seprov check --since = ' ''
# validate takes any file: seprov configs, Ignition configs, cloud-config user data.
expect 'seprov validate ' 'a.json b.yaml root rootfs user_data' '-o filenames'
expect 'seprov validate a.json u' 'user_data' '-o filenames'
# A flag takes no value, and no verb takes arguments but validate.
expect 'seprov apply --json ' ''
expect 'seprov validate --root=root ' 'a.json b.yaml root rootfs user_data' '-o filenames'
expect 'seprov status ' ''
expect 'seprov bogus --' ''

if command -v zsh >/dev/null; then
        if zsh -n "$src/shell-completion/zsh/_seprov" &&
                [[ $(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D; print -r -- ${_comps[seprov]}' \
                        _ "$src/shell-completion/zsh") == _seprov ]]; then
                echo "ok - zsh: _seprov parses and compinit registers it for seprov"
                passed=$((passed + 1))
        else
                echo "not ok - zsh: _seprov"
                failed=$((failed + 1))
        fi
else
        echo "# zsh not installed: its completion not checked"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
