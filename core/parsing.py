"""Parsing of ids that arrive as text (query strings, topics, CSV cells)."""
MAX_ID = 2**63 - 1  # the largest key PostgreSQL's bigint and SQLite's integer can hold


def as_id(value) -> int | None:
    """``value`` as a database id, or None when it is not one.

    ``str.isdigit`` accepts characters such as "²" that ``int`` refuses, and a long run of
    digits overflows the database; both would otherwise end as a server error.
    """
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
