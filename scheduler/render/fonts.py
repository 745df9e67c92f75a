"""The CJK font the booklet and the maps need, so that Chinese never prints as empty boxes.

The project installs Noto Sans CJK (Debian's ``fonts-noto-cjk``, see
``scripts/install-system-deps.sh``). Typst and matplotlib are handed the files directly.
Without it, rendering stops with a ``MissingFontError`` that says how to install it, rather
than printing boxes.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"
"""The family the CSS and the maps ask for (Simplified Chinese forms of the Noto CJK fonts)."""

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
FONT_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf")
INSTALL_HINT = "install it with scripts/install-system-deps.sh (Debian package fonts-noto-cjk)"


class MissingFontError(RuntimeError):
    """No CJK font is installed."""


@functools.cache
def cjk_font_files() -> tuple[Path, ...]:
    """The installed Noto Sans CJK files, regular first.

    Raises
    ------
    MissingFontError
        If none is installed.
    """
    found: list[Path] = []
    for name in FONT_FILES:
        for folder in FONT_DIRS:
            if folder.is_dir():
                found.extend(sorted(folder.rglob(name)))
    if not found:
        found = _from_fontconfig()
    if not found:
        raise MissingFontError(f"the CJK font {CJK_FAMILY!r} is not installed; {INSTALL_HINT}")
    return tuple(dict.fromkeys(found))


def _from_fontconfig() -> list[Path]:
    """Ask fontconfig where the family is, for fonts kept in unusual folders."""
    try:
        listed = subprocess.run(
            ["fc-list", f"{CJK_FAMILY}:style=Regular", "file"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.split(":")[0]) for line in listed.splitlines() if line.strip()]
