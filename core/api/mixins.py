"""Small pieces the domain APIs share."""
import csv
import re

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object that hands back what is written, for streaming CSV."""

    def write(self, value):
        return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def spreadsheet_safe(value):
    """``value`` as a cell a spreadsheet shows as text: text that would start a formula gets a quote.

    Comments, names and notes come from users; an operator opening the export must not run
    ``=HYPERLINK(...)`` someone typed. Numbers, negative ones included, stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """Stream ``rows`` (iterables of values) as a CSV download, with user text made formula-safe."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
