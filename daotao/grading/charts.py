"""Small server-rendered SVG charts (no JavaScript, no CDN), readable by screen readers
(``role="img"`` with a title and a description naming every bar) and printable by
WeasyPrint. Numbers are written the Vietnamese way."""

from __future__ import annotations

from django.utils.html import escape

from daotao.lib.vietnamese import format_int


def bar_chart(
    bars: list[tuple[str, int]],
    title: str,
    *,
    chart_id: str = "chart",
    description: str = "",
    width: int = 520,
    height: int = 240,
) -> str:
    """A vertical bar chart of ``(label, count)`` with its title, a text description (the
    given one, then every bar's label and count) and a baseline."""
    top, bottom, side = 24, 40, 12
    peak = max((count for _label, count in bars), default=0) or 1
    slot = (width - 2 * side) / max(len(bars), 1)
    baseline = height - bottom
    summary = "; ".join(f"{label}: {format_int(count)}" for label, count in bars)
    desc = f"{description} {summary}".strip() if description else summary
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" class="chart" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line x1="{side}" y1="{baseline}" x2="{width - side}" y2="{baseline}" stroke="#555" stroke-width="1"/>',
    ]
    for index, (label, count) in enumerate(bars):
        bar_height = (baseline - top) * count / peak
        x = side + index * slot + slot * 0.15
        y = baseline - bar_height
        middle = x + slot * 0.35
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" fill="#2f5d8a"/>'
            f'<text x="{middle:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12">{format_int(count)}</text>'
            f'<text x="{middle:.1f}" y="{baseline + 16:.1f}" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
