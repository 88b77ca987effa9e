#!/usr/bin/env bash
# Installs what the project needs on Debian 12: the packages listed in every
# */deps.txt (only those whose check fails), then each */setup.sh. A no-op
# when everything is present. Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

have() {
  local check=$1
  case $check in
    pc:*) pkg-config --exists "${check#pc:}" 2>/dev/null ;;
    cmd:*) command -v "${check#cmd:}" >/dev/null 2>&1 ;;
    h:*) [ -e "/usr/include/${check#h:}" ] || [ -e "/usr/include/x86_64-linux-gnu/${check#h:}" ] ;;
    dpkg:*) dpkg -s "${check#dpkg:}" 2>/dev/null | grep -q '^Status: install ok installed' ;;
    *) echo "deps.sh: unknown check '$check'" >&2; return 1 ;;
  esac
}

missing=()
for f in */deps.txt; do
  while read -r pkg check _; do
    case $pkg in ''|\#*) continue ;; esac
    have "$check" || missing+=("$pkg")
  done < "$f"
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

for s in */setup.sh; do
  [ -e "$s" ] || continue
  bash "$s"
done
