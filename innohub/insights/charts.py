"""Charts drawn on the server as SVG, for documents where no script runs (the monthly
review's PDF). Each chart has a table beside it in the document: the SVG is a picture of the
table, marked `role="img"` with a label."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from innohub.core.numbers import figure

BAR = "#1d70b8"
TEXT = "#0b0c0c"
FONT = "innohub Sans, innohub Sans Ext, innohub Bengali, sans-serif"


def bars(
    labels: Sequence[str], values: Sequence[int | Decimal], *, title: str, width: int = 480
) -> SafeString:
    """Horizontal bars, one a label, each with its figure at its end."""
    row, label_width, gap = 18, 150, 4
    height = len(labels) * (row + gap) + gap
    largest = max([float(v) for v in values] + [1.0])
    room = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="10">'
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + index * (row + gap)
        length = max(room * float(value) / largest, 0)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" fill="{TEXT}">'
            f"{escape(str(label))}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{row}" fill="{BAR}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 13}" fill="{TEXT}">'
            f"{escape(figure(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
