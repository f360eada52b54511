"""Small pieces the domain APIs share."""
import csv
import re

from asgiref.sync import sync_to_async
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


LINES_PER_CHUNK = 500


def _take(lines, count: int) -> list:
    """Up to ``count`` more items of ``lines`` (an empty list when it is exhausted)."""
    # ``range`` first: zip stops on it without pulling (and losing) one more line.
    return [line for _, line in zip(range(count), lines, strict=False)]


class CSVStreamingResponse(StreamingHttpResponse):
    """A download built by a synchronous generator (rows read from the database) that streams
    under ASGI too.

    Django serves a synchronous iterator under ASGI by reading it whole into a list first; here
    the ASGI server gets the lines in chunks, each read by ``sync_to_async`` on the request's own
    thread (the one whose database connection holds the cursor), so memory stays flat however
    many rows the export has. Under WSGI and in tests it is a plain streaming response.
    """

    async def __aiter__(self):
        lines = iter(self.streaming_content)
        read = sync_to_async(_take, thread_sensitive=True)
        while chunk := await read(lines, LINES_PER_CHUNK):
            yield b"".join(chunk)


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """Stream ``rows`` (iterables of values) as a CSV download, with user text made formula-safe."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    response = CSVStreamingResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
