"""CSV exports stream under ASGI: chunks leave while later rows are still unread, with no buffering."""
import csv
import io
import warnings

from core.api.mixins import LINES_PER_CHUNK, csv_response


async def test_an_export_served_async_arrives_in_chunks_read_as_they_are_sent():
    read = []

    def rows():
        for n in range(3 * LINES_PER_CHUNK):
            read.append(n)
            yield [n, f"=row {n}"]

    response = csv_response("rows.csv", ["n", "text"], rows())
    parts = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django warns when it must buffer a sync iterator
        async for part in response:
            parts.append((part, len(read)))
    assert len(parts) == 4  # three full chunks (the header is in the first) and the rest
    assert parts[0][1] < len(read)  # the first chunk went out before every row was read
    table = list(csv.reader(io.StringIO(b"".join(part for part, _ in parts).decode())))
    assert table[0] == ["n", "text"] and len(table) == 3 * LINES_PER_CHUNK + 1
    assert table[-1] == [str(3 * LINES_PER_CHUNK - 1), f"'=row {3 * LINES_PER_CHUNK - 1}"]
