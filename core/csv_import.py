"""Reading a CSV import: every app's importer checks each row through its services, and keeps nothing
when any row is bad.

An importer (``inventory.services.imports``, ``scheduler.services.imports``) runs inside one
transaction, gives each row its own savepoint, collects ``row_error`` for each refused row and
ends with ``finish``, which raises (rolling everything back) when any row was refused. The
standard ``csv`` module is enough: the rules per row are the services' own, so a generic import
library would only add a second place where validation could differ.
"""
import csv
import io

from django.db import IntegrityError

from core.errors import DomainError, RuleViolation

MAX_ROWS = 10000


def decode(data: bytes | str) -> str:
    """CSV text from an upload; a file that is not UTF-8 is the sender's to fix."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleViolation("The file is not UTF-8 text; save it as CSV (UTF-8) and send it again.")


def read_rows(text: str, required: list[str], known: list[str]):
    """``(line, row)`` pairs of the CSV ``text``, values stripped; the header must hold ``required`` and
    only ``known`` columns, and the file at most ``MAX_ROWS`` rows."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise RuleViolation(f"The header lacks column(s): {', '.join(missing)}. Expected: {', '.join(known)}.")
    unknown = [c for c in header if c and c not in known]
    if unknown:
        raise RuleViolation(f"Unknown column(s): {', '.join(unknown)}. Allowed: {', '.join(known)}.")
    reader.fieldnames = header
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise RuleViolation(f"At most {MAX_ROWS} rows per import; split the file.")
        if None in row:
            raise RuleViolation(f"Line {number} has more cells than the header.", rows=[
                {"line": number, "error": "More cells than the header."}])
        yield number, {k: (v or "").strip() for k, v in row.items()}


def row_error(line: int, exc: Exception) -> dict:
    """One bad row in the report: its line, what is wrong, and each field named (lengths, ranges, choices)."""
    if isinstance(exc, DomainError):
        return {"line": line, "error": exc.detail, **({"fields": exc.fields} if exc.fields else {})}
    # The database refused what no check above caught; the row's savepoint has rolled back.
    if isinstance(exc, IntegrityError):
        return {"line": line, "error": "This row clashes with existing data (or an earlier row)."}
    return {"line": line, "error": "A value is out of the range the database can store; check numbers, dates "
                                   "and lengths."}


def finish(done: list, errors: list, kind: str) -> list:
    """The rows done, or a RuleViolation listing every bad row (``rows``) so the whole import rolls back."""
    if errors:
        # Raising inside the outer atomic block rolls back the rows that did succeed.
        raise RuleViolation(f"{len(errors)} row(s) have errors; nothing was imported. Fix them and send the file "
                            f"again.", rows=errors)
    if not done:
        raise RuleViolation(f"The file holds no {kind}.")
    return done
