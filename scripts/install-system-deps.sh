#!/usr/bin/env bash
# Debian packages the outputs and their tests need, installed only when one is missing.
#
#   fonts-noto-cjk     Noto Sans CJK: Chinese glyphs in the PDFs and the maps
#   poppler-utils      pdftotext and pdftoppm (tests read the PDF back and turn pages into PNG)
#   chromium           headless browser: the tests print the HTML booklet in it
#   chromium-driver
#
# Idempotent: when everything is there it only checks and exits. Needs root (or sudo) to
# install; `--runtime` installs only what `make run` needs (no browser, no poppler).
set -euo pipefail

runtime=(fonts-noto-cjk)
testing=(poppler-utils chromium chromium-driver)
wanted=("${runtime[@]}")
if [[ "${1:-}" != "--runtime" ]]; then
    wanted+=("${testing[@]}")
fi

missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "install-system-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install-system-deps: run as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "install-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
"${sudo[@]}" fc-cache -f >/dev/null 2>&1 || true
