"""Keep credentials out of logs.

Access logs print each request's path with its query string, and a websocket opened as
``/ws/?token=<JWT>`` would leave a usable token there. ``RedactCredentials`` rewrites
``token=``, ``api_key=``, ``access=``, ``refresh=`` and ``password=`` values in a log record to
``***``; ``install`` adds it to the ASGI servers' and Django's request loggers.
"""
import logging
import re

CREDENTIAL = re.compile(r"(?i)\b(token|api_key|access|refresh|password)=([^&\s\"']+)")
LOGGERS = ("uvicorn.access", "uvicorn.error", "daphne.server", "daphne.http_protocol", "django.server",
           "django.request", "django.channels.server", "gunicorn.access")


def redact(text: str) -> str:
    """``text`` with every credential value in a query string replaced by ``***``."""
    return CREDENTIAL.sub(lambda match: f"{match.group(1)}=***", text)


class RedactCredentials(logging.Filter):
    """A logging filter that redacts credentials in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(value) if isinstance(value, str) else value
                           for key, value in record.args.items()}
        return True


def install() -> None:
    """Add the filter to every logger that writes request paths (idempotent)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactCredentials) for existing in logger.filters):
            logger.addFilter(RedactCredentials())
