"""The meetings evaluation set: scripted lab meetings with the minutes they should produce."""
import json
from pathlib import Path

SET = Path(__file__).resolve().parent / "meetings.json"


def load() -> list[dict]:
    """Every scripted meeting of the set."""
    return json.loads(SET.read_text())["meetings"]
