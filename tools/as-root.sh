# shellcheck shell=bash
# Sourced by the tools that need root (apt-get, mount namespaces, security.* xattrs): as root they go
# on; as another user they run again through sudo when it is installed (Debian 12's minimal install
# has none), keeping the variables that steer them; else they say to run them as root.
#   . "$top/tools/as-root.sh" "$@"

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        mapfile -t seprov_env < <(compgen -e | grep -E '^(SEPROV_|SYSTEMD_)' || true)
        if [ ${#seprov_env[@]} -gt 0 ]; then
            exec sudo --preserve-env="$(IFS=,; echo "${seprov_env[*]}")" -- "$0" "$@"
        fi
        exec sudo -- "$0" "$@"
    fi
    echo "${0##*/} needs root: run it as root (sudo is not installed to do it for you)." >&2
    exit 1
fi
