"""Sanitising the HTML that editors write for the news portal (no Django import).

An allow-list, not a block-list: only the tags and attributes a news article needs survive;
links and images may point only to http, https or mailto URLs (or to the site itself), so
no script, event handler, ``javascript:``/``vbscript:``/``data:`` URL or style survives.
Every link gets ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import html
import re

import nh3

ARTICLE_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup",
        "a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with everything inside them (other unknown tags keep their text).
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "frame",
        "object",
        "embed",
        "svg",
        "math",
        "textarea",
        "select",
    }
)
LINK_REL = "noopener noreferrer"

_NUMBER_ATTRIBUTES = {"width", "height", "colspan", "rowspan"}
_SCOPES = {"row", "col", "rowgroup", "colgroup"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Sizes and spans must be small whole numbers; a header's scope one of four words."""
    if attribute in _NUMBER_ATTRIBUTES:
        return value if value.isascii() and value.isdigit() and len(value) <= 4 else None
    if attribute == "scope":
        return value if value in _SCOPES else None
    return value


def sanitize_article_html(source: str) -> str:
    """The HTML of an article body, reduced to the allow-list (idempotent)."""
    return nh3.clean(
        source or "",
        tags=set(ARTICLE_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ARTICLE_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


_TAG_START = re.compile(r"<")


def html_to_text(source: str) -> str:
    """The readable text of an HTML fragment (for search keys): tags become spaces."""
    # A space before every tag keeps "<p>a</p><p>b</p>" as two words, not "ab".
    text = nh3.clean(_TAG_START.sub(" <", source or ""), tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
    return " ".join(html.unescape(text).split())
