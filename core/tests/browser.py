"""Helpers for browser tests: collect what a page writes to the console as errors."""


def watch_console(page) -> list[str]:
    """Start collecting console errors and uncaught exceptions of ``page``; returns the live list."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors
