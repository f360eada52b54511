"""Serving the files the cameras kept (snapshots, timelapses) to pages and to the API alike."""
from django.http import FileResponse, Http404


def kept_file(field):
    """The stored file as a download response, or 404 once pruning has taken it."""
    try:
        return FileResponse(field.open("rb"), filename=field.name.rsplit("/", 1)[-1])
    except (OSError, ValueError) as exc:
        raise Http404("The file is gone (pruned).") from exc
