"""Charts drawn on the server as SVG: no JavaScript, no CDN, printable by WeasyPrint.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that names every
figure (screen readers read those), a ``viewBox`` so that it scales down to the page's width,
numbers written the Vietnamese way (``1.040``), and a legend when it has several series.
Series are told apart in grey print too: solid fills of clearly different lightness, then
hatched and dotted patterns, each outlined.

Labels never overlap and are never cut: their width is estimated from their characters
(``text_width``, measured against DejaVu Sans, the widest of the fonts the pages ask for).
A row's label is wrapped onto several lines and the row grows with it. The labels under
columns are written flat, wrapped between words, when they fit their column in a few lines;
turned upright when the columns are crowded; and, when even that does not fit, the columns
are numbered and a key under the chart gives each number its full label. Every label stays
whole: in the chart (on its lines or in the key), in the bar's tooltip and in the
description. A value that does not fit over or inside its bar is left to the tooltip, the
description and the table that follows every chart on a page. A chart with more columns
than its width holds grows wider (its viewBox scales it down).

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
# A line of labels: the font's whole height (ascent and descent) and a little air.
LINE = LABEL_SIZE + 3
# Labels under columns: flat on at most this many lines each (always when on a few); an
# upright line at most this long; a column at least this wide (one upright line and air).
FLAT_LINES_ALWAYS = 3
FLAT_LINES = 6
UPRIGHT_LENGTH = 160
MIN_SLOT = LINE + 3


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
    """``text`` in lines no wider than ``limit``, broken between words; a word wider than a
    line on its own is broken inside, its first part filling the line it starts on."""
    lines: list[str] = []
    line = ""
    for word in " ".join(str(text).split()).split(" "):
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= limit:
            line = candidate
            continue
        if text_width(word, size) <= limit:
            if line:
                lines.append(line)
            line = word
            continue
        head = f"{line} " if line else ""
        while len(word) > 1 and text_width(head + word, size) > limit:
            cut = len(word) - 1
            while cut > 0 and text_width(head + word[:cut], size) > limit:
                cut -= 1
            if cut == 0 and head:  # not a letter more fits on this line: the next one
                lines.append(head.rstrip())
                head = ""
                continue
            cut = max(cut, 1)
            lines.append(head + word[:cut])
            head, word = "", word[cut:]
        line = head + word
    if line or not lines:
        lines.append(line)
    return lines


def fits_between_words(text: str, size: float, limit: float) -> bool:
    """Whether ``text`` wraps to ``limit`` without breaking a word."""
    return all(text_width(word, size) <= limit for word in str(text).split())


def _text(
    x: float, y: float, text: str, size: float, anchor: str = "start", fill: str = INK, bold: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
        f"{escape(text)}</text>"
    )


def _upright(x: float, y: float, text: str, size: float) -> str:
    """``text`` turned a quarter left, read from the bottom up, ending at (``x``, ``y``):
    it hangs below that point, its letters between ``x - 0,8 size`` and ``x + 0,25 size``."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="end" fill="{INK}" '
        f'transform="rotate(-90 {x:.1f} {y:.1f})">{escape(text)}</text>'
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


def _flow(entries: Sequence[str], width: float, top: float, swatches: Sequence[str] = ()) -> tuple[list[str], float]:
    """``entries`` side by side in rows that wrap at the chart's width, each after its
    swatch (a fill) when given; an entry too long for a row on its own is wrapped onto
    several lines; (parts, height)."""
    line_height = LEGEND_SIZE + 4
    indent = 18 if swatches else 0
    parts, x, y, row_lines = [], float(MARGIN), top, 1
    room = width - 2 * MARGIN - indent
    for index, entry in enumerate(entries):
        lines = wrap(entry, LEGEND_SIZE, room)
        needed = indent + max(text_width(line, LEGEND_SIZE) for line in lines) + 16
        if x > MARGIN and x + needed > width - MARGIN:
            x, y, row_lines = float(MARGIN), y + row_lines * line_height + 4, 1
        if swatches:
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="12" height="12" fill="{swatches[index]}" '
                f'stroke="{INK}" stroke-width="0.6"/>'
            )
        for number, line in enumerate(lines):
            if line:
                parts.append(_text(x + indent, y + 11.5 + number * line_height, line, LEGEND_SIZE))
        row_lines = max(row_lines, len(lines))
        x += needed
    return parts, y + row_lines * line_height + 4 - top


def _legend(chart_id: str, series: Sequence[Series], width: float, top: float) -> tuple[list[str], float]:
    """The swatches and names of the series (``_flow``); (parts, height). No legend for a
    single series: the title names it."""
    if len(series) < 2:
        return [], 0.0
    return _flow([one.name for one in series], width, top, [_fill(chart_id, i) for i in range(len(series))])


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


# --- labels under columns -----------------------------------------------------------------


@dataclass(frozen=True)
class _AxisLabels:
    """How the labels under the columns are written: ``flat`` (wrapped between words,
    centred under their column), ``upright`` (turned a quarter left, their lines side by
    side), ``key`` or ``key-upright`` (the columns numbered, flat or upright, the labels in
    a key under the chart); ``lines`` are each column's lines as written under it,
    ``depth`` the room they take under the axis."""

    kind: str
    lines: list[list[str]]
    depth: float


def _axis_labels(labels: Sequence[str], slot: float) -> _AxisLabels:
    """How to write ``labels`` under columns ``slot`` wide: flat when they fit their column
    between words in a few lines (up to ``FLAT_LINES``, fewer than the upright labels would
    take); upright when they fit side by side in their column; else numbered, in a key."""
    room = slot - 6
    flat = upright = None
    if all(fits_between_words(label, LABEL_SIZE, room) for label in labels):
        lines = [wrap(label, LABEL_SIZE, room) for label in labels]
        most = max((len(one) for one in lines), default=1)
        if most <= FLAT_LINES:
            flat = _AxisLabels("flat", lines, 6 + LABEL_SIZE + (most - 1) * LINE + 4)
            if most <= FLAT_LINES_ALWAYS:
                return flat
    if all(fits_between_words(label, LABEL_SIZE, UPRIGHT_LENGTH) for label in labels):
        lines = [wrap(label, LABEL_SIZE, UPRIGHT_LENGTH) for label in labels]
        if max((len(one) for one in lines), default=1) <= (slot - 2) // LINE:
            upright = _AxisLabels("upright", lines, 6 + _longest(lines) + 4)
    if flat and (upright is None or flat.depth <= upright.depth):
        return flat
    if upright:
        return upright
    numbers = [[format_int(index + 1)] for index in range(len(labels))]
    if all(text_width(one[0], LABEL_SIZE) <= room for one in numbers):
        return _AxisLabels("key", numbers, 6 + LABEL_SIZE + 4)
    return _AxisLabels("key-upright", numbers, 6 + _longest(numbers) + 4)


def _longest(lines: Sequence[Sequence[str]]) -> float:
    return max((text_width(line, LABEL_SIZE) for one in lines for line in one), default=0)


def _draw_axis_labels(axis: _AxisLabels, centres: Sequence[float], baseline: float) -> list[str]:
    parts = []
    for centre, lines in zip(centres, axis.lines, strict=True):
        if axis.kind in ("flat", "key"):
            for number, line in enumerate(lines):
                if line:
                    y = baseline + 6 + LABEL_SIZE * 0.93 + number * LINE
                    parts.append(_text(centre, y, line, LABEL_SIZE, "middle"))
        else:
            for number, line in enumerate(lines):
                if line:
                    # The line's letters centred on their place: 0,8 em left, 0,25 em right of x.
                    x = centre + (number - (len(lines) - 1) / 2) * LINE + LABEL_SIZE * 0.27
                    parts.append(_upright(x, baseline + 6, line, LABEL_SIZE))
    return parts


def _key(labels: Sequence[str], width: float, top: float) -> tuple[list[str], float]:
    """The key of numbered columns, "1. label", each label whole: in as many columns as
    the widest entry allows, numbered down the columns; (parts, height)."""
    line_height = LEGEND_SIZE + 4
    room = width - 2 * MARGIN
    entries = [wrap(f"{format_int(index + 1)}. {label}", LEGEND_SIZE, room) for index, label in enumerate(labels)]
    pitch = max((text_width(line, LEGEND_SIZE) for lines in entries for line in lines), default=0) + 16
    columns = max(1, min(len(entries), int((room + 16) // pitch)))
    rows = -(-len(entries) // columns)
    parts, y = [], top
    for row in range(rows):
        placed = [
            (column, entries[column * rows + row]) for column in range(columns) if column * rows + row < len(entries)
        ]
        for column, lines in placed:
            for number, line in enumerate(lines):
                parts.append(_text(MARGIN + column * pitch, y + 11.5 + number * line_height, line, LEGEND_SIZE))
        y += max(len(lines) for _column, lines in placed) * line_height + 4
    return parts, y - top


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
    given one, then every bar's label and count) and a baseline: a ``column_chart`` of one
    series whose bars are ``height`` less 64 px tall at most (the chart grows with its
    labels)."""
    labels = [label for label, _count in bars]
    counts = [count for _label, count in bars]
    return column_chart(
        labels,
        [Series(title, counts)],
        title,
        chart_id=chart_id,
        description=description,
        width=width,
        plot_height=max(height - 64, 40),
    )


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
    inside it) when it fits the bar's width (a single series': its column's); the category
    names below, flat, upright or in a key (``_axis_labels``)."""
    _check(categories, series)
    count = max(len(categories), 1)
    width = max(width, 2 * MARGIN + count * MIN_SLOT)
    legend, legend_height = _legend(chart_id, series, width, MARGIN)
    slot = (width - 2 * MARGIN) / count
    axis = _axis_labels(categories, slot)
    top = MARGIN + legend_height + VALUE_SIZE + 8
    baseline = top + plot_height
    key, key_height = ([], 0.0)
    if axis.kind.startswith("key"):
        key, key_height = _key(categories, width, baseline + axis.depth + 4)
        key_height += 4
    height = baseline + axis.depth + key_height + MARGIN
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
            # A single series' value may take its whole column; several share it.
            room = slot - 4 if len(series) == 1 else pitch - 2
            for number, one in enumerate(series):
                value = one.values[index]
                bar_height = plot_height * float(value) / float(peak)
                x = left + slot * 0.1 + number * pitch
                y = baseline - bar_height
                name = f" – {one.name}" if len(series) > 1 else ""
                tooltip = f"{category}{name}: {value_format(value)}"
                parts.append(_rect(x + 1, y, pitch - 2, bar_height, _fill(chart_id, number), tooltip))
                text = value_format(value)
                if text_width(text, VALUE_SIZE) <= room:
                    parts.append(_text(x + pitch / 2, y - 4, text, VALUE_SIZE, "middle"))
    parts += _draw_axis_labels(axis, [MARGIN + (index + 0.5) * slot for index in range(len(categories))], baseline)
    parts += key
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
