"""Ids from text: what int() or the database would choke on is simply not an id."""
import pytest

from core.parsing import as_id


@pytest.mark.parametrize(("text", "expected"), [
    ("42", 42), (" 7 ", 7), ("²", None), ("-3", None), ("0", None), ("4.0", None), ("", None), (None, None),
    ("9" * 30, None), (str(2**63 - 1), 2**63 - 1),
])
def test_as_id(text, expected):
    assert as_id(text) == expected
