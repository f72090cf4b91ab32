"""Small server-rendered SVG charts (no JavaScript, no CDN)."""

from __future__ import annotations

from django.utils.html import escape

from daotao.lib.vietnamese import format_int


def bar_chart(bars: list[tuple[str, int]], title: str, width: int = 480, height: int = 220) -> str:
    """A vertical bar chart of (label, count), with its title and a text description."""
    top, bottom, left = 24, 36, 12
    peak = max((count for _label, count in bars), default=0) or 1
    slot = (width - 2 * left) / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" class="chart"><title>{escape(title)}</title>',
        "<desc>" + escape("; ".join(f"{label}: {format_int(count)}" for label, count in bars)) + "</desc>",
    ]
    for index, (label, count) in enumerate(bars):
        bar_height = (height - top - bottom) * count / peak
        x = left + index * slot + slot * 0.15
        y = height - bottom - bar_height
        middle = x + slot * 0.35
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" fill="#2f5d8a"/>'
            f'<text x="{middle:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12">{format_int(count)}</text>'
            f'<text x="{middle:.1f}" y="{height - bottom + 16:.1f}" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
