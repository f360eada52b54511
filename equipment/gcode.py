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


def _words(line: str) -> tuple[str, dict[str, float]]:
    """A command line's G/M word and its numeric parameters (``G1 X10 E0.5`` → ``("G1", {"X": 10, "E": 0.5})``)."""
    parts = clean_line(line).upper().split()
    if not parts:
        return "", {}
    params = {}
    for part in parts[1:]:
        try:
            params[part[0]] = float(part[1:]) if part[1:] else 0.0  # a bare letter is a flag (G28 X Y)
        except ValueError:
            continue
    word = parts[0]
    if len(word) > 1 and word[0] in "GM" and word[1:].isdigit():
        word = f"{word[0]}{int(word[1:])}"  # G01 is G1
    return word, params


def finds_position(line: str) -> bool:
    """Whether a line tells the firmware where its head is in Z: a G28 that homes Z (or every axis), or G92 Z."""
    word, params = _words(line)
    if word == "G28":
        return "Z" in params or not {"X", "Y", "Z"} & params.keys()
    return word == "G92" and "Z" in params


def state_at(lines: list[str], count: int) -> dict:
    """What the first ``count`` lines of a job leave behind: the head (x, y, z, e; None until a line sets one),
    the positioning and extruder modes, the feed rate and the heater targets.

    A resume after a reset puts these back before the job goes on from line ``count``.
    """
    state = {"x": None, "y": None, "z": None, "e": None, "relative": False, "relative_e": False,
             "feedrate": None, "hotend": None, "bed": None}
    for line in lines[:count]:
        word, params = _words(line)
        if word in ("G0", "G1", "G2", "G3"):
            for axis in ("X", "Y", "Z", "E"):
                if axis in params:
                    key = axis.lower()
                    relative = state["relative_e"] if axis == "E" else state["relative"]
                    state[key] = params[axis] + (state[key] or 0.0) if relative else params[axis]
            if "F" in params:
                state["feedrate"] = params["F"]
        elif word == "G28":
            homed = [axis for axis in ("X", "Y", "Z") if axis in params] or ["X", "Y", "Z"]
            state.update({axis.lower(): 0.0 for axis in homed})
        elif word == "G92":
            state.update({axis.lower(): params[axis] for axis in ("X", "Y", "Z", "E") if axis in params})
        elif word in ("G90", "G91"):
            state["relative"] = state["relative_e"] = word == "G91"
        elif word in ("M82", "M83"):
            state["relative_e"] = word == "M83"
        elif word in ("M104", "M109") and "S" in params:
            state["hotend"] = params["S"]
        elif word in ("M140", "M190") and "S" in params:
            state["bed"] = params["S"]
    return state
