"""Charts drawn on the server as SVG: no JavaScript, no CDN, printable by WeasyPrint.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that names every
figure (screen readers read those), a ``viewBox`` so that it scales down to the page's width,
numbers written the Vietnamese way (``1.040``), and a legend when it has several series.
Series are told apart in grey print too: solid fills of clearly different lightness, then
hatched and dotted patterns, each outlined.

Labels never overlap and are never cut: their width is estimated from their characters
(``text_width``, measured against DejaVu Sans, the widest of the fonts the pages ask for),
long labels are wrapped onto several lines, a row grows with its label, and a value that
does not fit inside its bar is left to the description and the table that follows every
chart on a page.

* ``bar_chart``: one series of vertical bars (a distribution);
* ``column_chart``: categories along the bottom (years, months), one or several series,
  side by side or stacked;
* ``horizontal_bar_chart``: one row per label (localities, programs: long names), bars to
  the right, side by side or stacked.

No model here: the callers pass labels and numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

from daotao.lib.vietnamese import format_int

Number = int | float | Decimal
Formatter = Callable[[Number], str]

INK = "#1d2430"
# Fills of the series, in order: lightness far apart in grey, then patterns (defined per
# chart in <defs>, their ids prefixed with the chart's id, since ids are page-wide).
FILLS = (
    ("solid", "#1f3d5c", "#ffffff"),  # dark blue, white text on it
    ("solid", "#a9c6e2", INK),  # light blue
    ("hatch", "#1f3d5c", INK),  # dark diagonal lines on white
    ("solid", "#6f8fae", "#ffffff"),  # middle blue-grey
    ("dots", "#1f3d5c", INK),  # dark dots on white
    ("cross", "#6f8fae", INK),  # cross-hatch
)
LABEL_SIZE = 12
VALUE_SIZE = 11
LEGEND_SIZE = 12
MARGIN = 8


# --- text -------------------------------------------------------------------------------

_NARROW = set("iljtfrI.,:;!|'’()[]/ìíỉĩịIÌÍỈĨỊ")
_WIDE = set("mwMW%@")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper estimate of ``text``'s width in pixels at ``size`` (DejaVu Sans, whose
    letters are wider than Segoe UI's, Noto Sans's or Arial's; Vietnamese diacritics do
    not widen a letter; bold is up to an eighth wider)."""
    width = 0.0
    for character in text:
        if character == " ":
            width += 0.33
        elif character in _WIDE:
            width += 0.98
        elif character in _NARROW:
            width += 0.42
        elif character.isdigit():
            width += 0.66
        elif character.isupper():
            width += 0.8
        elif character.isalpha():
            width += 0.64
        else:
            width += 0.7
    return width * size * (1.125 if bold else 1.0)


def wrap(text: str, size: float, limit: float) -> list[str]:
    """``text`` in lines no wider than ``limit``, broken between words (inside a word only
    when the word alone is too wide)."""
    lines: list[str] = []
    line = ""
    for word in " ".join(str(text).split()).split(" "):
        while text_width(word, size) > limit and len(word) > 1:
            if line:
                lines.append(line)
                line = ""
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size) > limit:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > limit:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line or not lines:
        lines.append(line)
    return lines


def _text(
    x: float, y: float, text: str, size: float, anchor: str = "start", fill: str = INK, bold: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
        f"{escape(text)}</text>"
    )


# --- the frame every chart shares ---------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One series: its name (in the legend) and one value per label or category."""

    name: str
    values: Sequence[Number]


def _fill(chart_id: str, index: int) -> str:
    kind, colour, _text_colour = FILLS[index % len(FILLS)]
    return colour if kind == "solid" else f"url(#{chart_id}-p{index % len(FILLS)})"


def _defs(chart_id: str, count: int) -> str:
    """The patterns of the series that use one."""
    patterns = []
    for index in range(min(count, len(FILLS))):
        kind, colour, _text_colour = FILLS[index]
        pattern_id = f"{chart_id}-p{index}"
        if kind == "hatch":
            body = (
                f'<rect width="6" height="6" fill="#ffffff"/><path d="M0,6 L6,0" stroke="{colour}" stroke-width="2"/>'
            )
        elif kind == "dots":
            body = f'<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.4" fill="{colour}"/>'
        elif kind == "cross":
            body = (
                f'<rect width="6" height="6" fill="#ffffff"/>'
                f'<path d="M0,0 L6,6 M6,0 L0,6" stroke="{colour}" stroke-width="1.2"/>'
            )
        else:
            continue
        patterns.append(
            f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="6" height="6">{body}</pattern>'
        )
    return f"<defs>{''.join(patterns)}</defs>" if patterns else ""


def _open(chart_id: str, title: str, desc: str, width: float, height: float, series_count: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" class="chart" id="{chart_id}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc or title)}</desc>'
        f"{_defs(chart_id, series_count)}"
    )


def _rect(x: float, y: float, width: float, height: float, fill: str, tooltip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" fill="{fill}" '
        f'stroke="{INK}" stroke-width="0.6"><title>{escape(tooltip)}</title></rect>'
    )


def _legend(chart_id: str, series: Sequence[Series], width: float, top: float) -> tuple[list[str], float]:
    """The swatches and names of the series, in rows that wrap at the chart's width (a
    name too long for a row on its own is wrapped onto several lines); (parts, height). No
    legend for a single series: the title names it."""
    if len(series) < 2:
        return [], 0.0
    line_height = LEGEND_SIZE + 4
    parts, x, y, row_lines = [], float(MARGIN), top, 1
    room = width - 2 * MARGIN - 18
    for index, one in enumerate(series):
        lines = wrap(one.name, LEGEND_SIZE, room)
        needed = 18 + max(text_width(line, LEGEND_SIZE) for line in lines) + 16
        if x > MARGIN and x + needed > width - MARGIN:
            x, y, row_lines = float(MARGIN), y + row_lines * line_height + 4, 1
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="12" height="12" fill="{_fill(chart_id, index)}" '
            f'stroke="{INK}" stroke-width="0.6"/>'
        )
        for number, line in enumerate(lines):
            parts.append(_text(x + 18, y + 11.5 + number * line_height, line, LEGEND_SIZE))
        row_lines = max(row_lines, len(lines))
        x += needed
    return parts, y + row_lines * line_height + 4 - top


def _describe(
    description: str, labels: Sequence[str], series: Sequence[Series], fmt: Formatter, total_label: str = ""
) -> str:
    """The description: the caller's sentence, then every label with every figure."""
    items = []
    for index, label in enumerate(labels):
        values = [one.values[index] for one in series]
        if len(series) == 1:
            figures = fmt(values[0])
        else:
            figures = ", ".join(f"{one.name} {fmt(value)}" for one, value in zip(series, values, strict=True))
            if total_label:
                figures += f", {total_label} {fmt(sum(values))}"
        items.append(f"{label}: {figures}")
    summary = "; ".join(items)
    return f"{description} {summary}".strip() if description else summary


def _check(labels: Sequence[str], series: Sequence[Series]) -> None:
    if not series:
        raise ValueError("a chart needs at least one series")
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(f"series {one.name!r} has {len(one.values)} values for {len(labels)} labels")


def _inner_label(x: float, y: float, width: float, height: float, value: str, index: int) -> list[str]:
    """A segment's value inside it when it fits, on a white patch over a pattern."""
    size = VALUE_SIZE
    text_w = text_width(value, size)
    if text_w + 6 > width or size + 4 > height:
        return []
    kind, _colour, text_colour = FILLS[index % len(FILLS)]
    cx, baseline = x + width / 2, y + height / 2 + size * 0.36
    parts = []
    if kind != "solid":
        parts.append(
            f'<rect x="{cx - text_w / 2 - 2:.1f}" y="{baseline - size * 0.85:.1f}" width="{text_w + 4:.1f}" '
            f'height="{size * 1.15:.1f}" fill="#ffffff"/>'
        )
    parts.append(_text(cx, baseline, value, size, "middle", text_colour))
    return parts


# --- one series of vertical bars ----------------------------------------------------------


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


# --- categories along the bottom ------------------------------------------------------------


def column_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    title: str,
    *,
    chart_id: str,
    description: str = "",
    stacked: bool = False,
    total_label: str = "",
    value_format: Formatter = format_int,
    width: int = 960,
    plot_height: int = 220,
) -> str:
    """Vertical bars over ``categories`` (years, months): the series side by side, or
    stacked with their total above. A value is written above its bar (a stacked segment's
    inside it) when it fits the bar's width; the category names below, wrapped to their
    slot."""
    _check(categories, series)
    count = max(len(categories), 1)
    legend, legend_height = _legend(chart_id, series, width, MARGIN)
    slot = (width - 2 * MARGIN) / count
    label_lines = [wrap(name, LABEL_SIZE, slot - 6) for name in categories]
    label_height = max((len(lines) for lines in label_lines), default=1) * (LABEL_SIZE + 3)
    top = MARGIN + legend_height + VALUE_SIZE + 8
    baseline = top + plot_height
    height = baseline + 6 + label_height + MARGIN
    if stacked:
        totals = [sum(one.values[i] for one in series) for i in range(len(categories))]
        peak = max(totals, default=0) or 1
    else:
        peak = max((value for one in series for value in one.values), default=0) or 1
    desc = _describe(description, categories, series, value_format, total_label if stacked else "")
    parts = [_open(chart_id, title, desc, width, height, len(series)), *legend]
    parts.append(
        f'<line x1="{MARGIN}" y1="{baseline:.1f}" x2="{width - MARGIN}" y2="{baseline:.1f}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    for index, category in enumerate(categories):
        left = MARGIN + index * slot
        if stacked:
            bar_width = slot * 0.6
            x, y = left + slot * 0.2, baseline
            for number, one in enumerate(series):
                value = one.values[index]
                bar_height = plot_height * float(value) / float(peak)
                y -= bar_height
                tooltip = f"{category} – {one.name}: {value_format(value)}"
                if value:
                    parts.append(_rect(x, y, bar_width, bar_height, _fill(chart_id, number), tooltip))
                    parts += _inner_label(x, y, bar_width, bar_height, value_format(value), number)
            total = value_format(totals[index])
            if text_width(total, VALUE_SIZE, bold=True) <= slot - 4:
                parts.append(_text(x + bar_width / 2, y - 4, total, VALUE_SIZE, "middle", bold=True))
        else:
            pitch = slot * 0.8 / len(series)
            for number, one in enumerate(series):
                value = one.values[index]
                bar_height = plot_height * float(value) / float(peak)
                x = left + slot * 0.1 + number * pitch
                y = baseline - bar_height
                tooltip = f"{category} – {one.name}: {value_format(value)}" if len(series) > 1 else category
                parts.append(_rect(x + 1, y, pitch - 2, bar_height, _fill(chart_id, number), tooltip))
                text = value_format(value)
                if text_width(text, VALUE_SIZE) <= pitch - 2:
                    parts.append(_text(x + pitch / 2, y - 4, text, VALUE_SIZE, "middle"))
        for line, text in enumerate(label_lines[index]):
            parts.append(
                _text(left + slot / 2, baseline + 6 + (line + 1) * (LABEL_SIZE + 1), text, LABEL_SIZE, "middle")
            )
    parts.append("</svg>")
    return "".join(parts)


# --- one row per label ------------------------------------------------------------------------


def horizontal_bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    *,
    chart_id: str,
    description: str = "",
    stacked: bool = False,
    total_label: str = "",
    value_format: Formatter = format_int,
    scale_max: Number | None = None,
    width: int = 960,
    label_share: float = 0.34,
) -> str:
    """One row per label, the label on the left (wrapped onto several lines when long: a
    row is as tall as its label), bars to the right: the series one under the other, each
    with its value at its end, or stacked in one bar with the total at its end and each
    segment's value inside it when it fits. ``scale_max`` fixes the scale (100 for
    percentages); by default the largest bar fills the width."""
    _check(labels, series)
    legend, legend_height = _legend(chart_id, series, width, MARGIN)
    widest = max((text_width(label, LABEL_SIZE) for label in labels), default=0)
    label_column = min(widest, width * label_share)
    label_lines = [wrap(label, LABEL_SIZE, label_column) for label in labels]
    label_column = max((text_width(line, LABEL_SIZE) for lines in label_lines for line in lines), default=0)
    if stacked:
        totals = [sum(one.values[i] for one in series) for i in range(len(labels))]
        end_values = totals
    else:
        totals = []
        end_values = [value for one in series for value in one.values]
    value_room = max((text_width(value_format(value), VALUE_SIZE, stacked) for value in end_values), default=0) + 10
    plot_left = MARGIN + label_column + 10
    plot_width = max(width - plot_left - value_room - MARGIN, 40)
    peak = float(max([scale_max or 0, *end_values])) or 1.0
    bar_height = 16 if stacked or len(series) == 1 else 13
    block = bar_height if stacked else len(series) * bar_height + (len(series) - 1) * 3
    line_height = LABEL_SIZE + 3
    rows = []
    y = MARGIN + legend_height + (6 if legend_height else 0)
    for lines in label_lines:
        row_height = max(block, len(lines) * line_height) + 10
        rows.append((y, row_height))
        y += row_height
    height = y + MARGIN
    desc = _describe(description, labels, series, value_format, total_label if stacked else "")
    parts = [_open(chart_id, title, desc, width, height, len(series)), *legend]
    first_row = rows[0][0] if rows else y
    parts.append(
        f'<line x1="{plot_left:.1f}" y1="{first_row:.1f}" x2="{plot_left:.1f}" y2="{y:.1f}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    for index, (label, (row_top, row_height)) in enumerate(zip(labels, rows, strict=True)):
        lines = label_lines[index]
        text_top = row_top + (row_height - len(lines) * line_height) / 2
        for line, text in enumerate(lines):
            baseline = text_top + line * line_height + LABEL_SIZE
            parts.append(_text(MARGIN + label_column, baseline, text, LABEL_SIZE, "end"))
        bar_top = row_top + (row_height - block) / 2
        if stacked:
            x = plot_left
            for number, one in enumerate(series):
                value = one.values[index]
                length = plot_width * float(value) / peak
                if value:
                    tooltip = f"{label} – {one.name}: {value_format(value)}"
                    parts.append(_rect(x, bar_top, length, bar_height, _fill(chart_id, number), tooltip))
                    parts += _inner_label(x, bar_top, length, bar_height, value_format(value), number)
                x += length
            parts.append(
                _text(
                    x + 5,
                    bar_top + bar_height / 2 + VALUE_SIZE * 0.36,
                    value_format(totals[index]),
                    VALUE_SIZE,
                    bold=True,
                )
            )
        else:
            for number, one in enumerate(series):
                value = one.values[index]
                length = plot_width * float(value) / peak
                top = bar_top + number * (bar_height + 3)
                tooltip = f"{label} – {one.name}: {value_format(value)}" if len(series) > 1 else label
                parts.append(_rect(plot_left, top, length, bar_height, _fill(chart_id, number), tooltip))
                parts.append(
                    _text(
                        plot_left + length + 5,
                        top + bar_height / 2 + VALUE_SIZE * 0.36,
                        value_format(value),
                        VALUE_SIZE,
                    )
                )
    parts.append("</svg>")
    return "".join(parts)
