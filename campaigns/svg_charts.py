"""Bar charts drawn on the server as SVG, for the yearly report PDF (WeasyPrint draws SVG;
a PDF cannot run Chart.js). Labels and numbers are text, so the PDF's text holds them."""

from django.utils.html import escape
from django.utils.safestring import mark_safe


def bar_chart(labels, values, *, width=480, bar_height=18, label_width=150, colour="#1f5fbf"):
    """Horizontal bars, one per label, each with its value written at its end."""
    top = max(values, default=0) or 1
    room = width - label_width - 50
    height = bar_height * len(labels) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans" font-size="9">'
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + index * bar_height
        length = round(room * value / top)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.65:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{length}" height="{bar_height - 5}" '
            f'fill="{colour}"/>'
            f'<text x="{label_width + length + 4}" y="{y + bar_height * 0.65:.1f}">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
