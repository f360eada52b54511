"""Reading G-code files: the lines a machine must receive, and the slicer's material estimate."""
import re
from decimal import Decimal

# Slicers write the estimate as a comment: PrusaSlicer/SuperSlicer "; filament used [g] = 12.34",
# Cura ";Filament used: 1.234m" (metres of filament; used as-is when no grams are given).
_GRAMS = re.compile(r";\s*(?:total\s+)?filament used \[g\]\s*=\s*([0-9.]+)", re.I)
_METRES = re.compile(r";\s*filament used:\s*([0-9.]+)\s*m\b", re.I)


def clean_line(raw: str) -> str:
    """A line without its comment and surrounding space ('' when nothing is left to send)."""
    return raw.split(";", 1)[0].strip()


def command_lines(text: str) -> list[str]:
    """The lines to send, comments and blank lines dropped."""
    return [line for line in (clean_line(raw) for raw in text.splitlines()) if line]


def material_estimate(text: str) -> Decimal | None:
    """The material the file says it uses, or None when the slicer wrote no estimate."""
    for pattern in (_GRAMS, _METRES):
        match = pattern.search(text)
        if match:
            try:
                return Decimal(match.group(1)).quantize(Decimal("0.001"))
            except ArithmeticError:
                return None
    return None
