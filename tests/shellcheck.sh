#!/bin/bash
# Every shell script of the project, found by its first line, passes shellcheck.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t scripts < <(find .ci bench debian dracut-module initrd shell-completion tests tools units -type f 2>/dev/null |
    while read -r f; do
        case $(head -c 32 "$f") in '#!/bin/bash'* | '#!/bin/sh'* | '#!/usr/bin/env bash'* | '# shellcheck shell='*) echo "$f" ;; esac
    done | LC_ALL=C sort)
# The generator cases' setup scripts have no first line of their own: bash runs them.
mapfile -t setups < <(find tests/generator -name setup -type f | LC_ALL=C sort)
echo "shellcheck: ${#scripts[@]} scripts, ${#setups[@]} generator setups"
shellcheck -x "${scripts[@]}"
shellcheck -s bash "${setups[@]}"
