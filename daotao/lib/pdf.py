"""HTML to PDF with WeasyPrint, with the vendored DejaVu Serif so that Vietnamese prints the
same on a machine without system fonts."""

from __future__ import annotations

from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"

REGULAR, BOLD = (FONTS / "DejaVuSerif.ttf").as_uri(), (FONTS / "DejaVuSerif-Bold.ttf").as_uri()
FONT_CSS = f"""
@font-face {{ font-family: "DaoTao Serif"; src: url("{REGULAR}"); }}
@font-face {{ font-family: "DaoTao Serif"; font-weight: bold; src: url("{BOLD}"); }}
body {{ font-family: "DaoTao Serif", serif; }}
"""


STATIC = FONTS.parent


def html_to_pdf(html: str, stylesheets: tuple[str, ...] = ()) -> bytes:
    """``html`` as PDF; ``stylesheets`` are paths under static/, the files that a browser
    showing the same page loads with <link> (pages carry no inline style)."""
    import weasyprint

    sheets = [weasyprint.CSS(string=FONT_CSS), *(weasyprint.CSS(filename=STATIC / name) for name in stylesheets)]
    return weasyprint.HTML(string=html).write_pdf(stylesheets=sheets)
