"""HTML to PDF with WeasyPrint and the bundled DaoTao Serif, so that a document prints the
same on every machine, whatever fonts the host has.

DaoTao Serif (``static/fonts/DaoTaoSerif-*.ttf``) is Liberation Serif 2 renamed
(``scripts/make_fonts.py``): metric-compatible with Times New Roman, the font Vietnamese
offices expect, complete for Vietnamese, and under a name no system font has. Its four
faces are declared with absolute file URLs (a relative URL in a stylesheet given by string
has nothing to resolve against) and loaded through a ``FontConfiguration``, and it is the
only family a document asks for: a letter it lacked would show as a missing glyph in the
tests rather than quietly come from a host font. ``FONT_NAME`` is the name the embedded
font carries in the PDF, which the tests look for."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
FONTS = STATIC / "fonts"
FAMILY = "DaoTao Serif"
FONT_NAME = "DaoTao-Serif"  # how WeasyPrint names the embedded font: ABCDEF+DaoTao-Serif-Bold
FACES = {  # (weight, style): file
    ("normal", "normal"): FONTS / "DaoTaoSerif-Regular.ttf",
    ("bold", "normal"): FONTS / "DaoTaoSerif-Bold.ttf",
    ("normal", "italic"): FONTS / "DaoTaoSerif-Italic.ttf",
    ("bold", "italic"): FONTS / "DaoTaoSerif-BoldItalic.ttf",
}
FONT_CSS = (
    "".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{path.as_uri()}"); }}\n'
        for (weight, style), path in FACES.items()
    )
    + f'* {{ font-family: "{FAMILY}" !important; }}\n'
)

# WeasyPrint draws inline SVG (the charts) with its own renderer, which no stylesheet reaches:
# the family goes on each <svg> element that names none.
_SVG_WITHOUT_FONT = re.compile(r"<svg\b(?![^>]*\bfont-family=)")


def html_to_pdf(html: str, stylesheets: tuple[str, ...] = ()) -> bytes:
    """``html`` as PDF; ``stylesheets`` are paths under static/, the files that a browser
    showing the same page loads with <link> (pages carry no inline style). The font comes
    last, so that no stylesheet can ask for another."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    # @font-face rules load only through a FontConfiguration given to the stylesheet that
    # declares them and to write_pdf; without it WeasyPrint ignores them and Pango picks a
    # host font.
    fonts = FontConfiguration()
    sheets = [
        *(weasyprint.CSS(filename=STATIC / name, font_config=fonts) for name in stylesheets),
        weasyprint.CSS(string=FONT_CSS, font_config=fonts),
    ]
    html = _SVG_WITHOUT_FONT.sub(f'<svg font-family="{FAMILY}"', html)
    html_document = weasyprint.HTML(string=html, base_url=str(STATIC) + "/")
    return html_document.write_pdf(stylesheets=sheets, font_config=fonts)
