"""Write the vendored document font, static/fonts/DaoTaoSerif-*.ttf, from Liberation Serif 2
(metric-compatible with Times New Roman, SIL Open Font License 1.1, Vietnamese complete).

Only the names change: the family becomes "DaoTao Serif". The licence reserves the names
"Liberation" and "Tinos" for unmodified fonts, and a name no system font has lets the tests
tell, from a PDF alone, that the bundled file printed it and not whatever font a host maps
"Times New Roman" or "Liberation Serif" to.

    apt-get install fonts-liberation2
    python scripts/make_fonts.py [SOURCE_DIR]

The generated files are committed; nothing runs this at build or run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FAMILY = "DaoTao Serif"
SOURCE = Path("/usr/share/fonts/truetype/liberation2")
TARGET = Path(__file__).resolve().parent.parent / "static" / "fonts"
STYLES = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "BoldItalic": "Bold Italic"}


def rename(source: Path, target: Path, style: str) -> None:
    font = TTFont(source)
    version = font["name"].getDebugName(5) or ""
    names = {
        1: FAMILY,
        2: style,
        3: f"{FAMILY} {style}; derived from Liberation Serif {version}",
        4: FAMILY if style == "Regular" else f"{FAMILY} {style}",
        6: f"{FAMILY.replace(' ', '')}-{style.replace(' ', '')}",
        16: FAMILY,
        17: style,
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (16, 17, 18, 21, 22):
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English (US)
        table.setName(value, name_id, 1, 0, 0)  # Macintosh, Roman, English
    font.save(target)


def main(source: Path = SOURCE) -> None:
    for file_style, style in STYLES.items():
        rename(source / f"LiberationSerif-{file_style}.ttf", TARGET / f"DaoTaoSerif-{file_style}.ttf", style)
        print(TARGET / f"DaoTaoSerif-{file_style}.ttf")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
