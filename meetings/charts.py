"""Bar charts drawn as inline SVG on the server: no script, no CDN, readable at 390 px."""
from django.utils.html import format_html, format_html_join


def bars(rows: list[tuple[str, float]], title: str, width: int = 360, height: int = 180) -> str:
    """An accessible SVG bar chart of ``(label, value)`` rows."""
    if not rows:
        return format_html('<p class="hint">No data yet for {}.</p>', title)
    top = max(value for _, value in rows) or 1
    step = width / len(rows)
    bar = max(step * 0.7, 2)
    chart_height = height - 30
    parts = []
    for index, (label, value) in enumerate(rows):
        tall = chart_height * value / top
        x = index * step + (step - bar) / 2
        numbers = [f"{n:.1f}" for n in (x, chart_height - tall + 10, bar, tall)]
        parts.append((*numbers, label, value, f"{x + bar / 2:.1f}", height - 5, f"{chart_height - tall + 5:.1f}"))
    body = format_html_join(
        "", '<g><title>{4}: {5}</title><rect x="{0}" y="{1}" width="{2}" height="{3}" '
            'class="bar"></rect><text x="{6}" y="{7}" text-anchor="middle" class="axis">{4}</text>'
            '<text x="{6}" y="{8}" text-anchor="middle" class="value">{5}</text></g>', parts)
    return format_html('<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%">{}</svg>',
                       title, width, height, body)
