"""CSV import from a page: a preview shows every line's error before anything is kept.

The preview runs the import service itself inside a transaction that is then rolled back, so it
checks exactly what the real import will (lookups, field rules, duplicates) and keeps nothing;
events and emails are sent only after a commit, so a preview sends none.
"""
from django.db import transaction
from django.shortcuts import render

from accounts.roles import OPERATOR
from core.errors import DomainError
from core.pages import role_required

from . import services
from .forms import ImportForm, first_error

SERVICES = {"assets": services.import_assets, "materials": services.import_materials}


class _Preview(Exception):
    """Raised to roll a preview back after the service succeeded."""

    def __init__(self, rows):
        self.rows = rows


def _run(user, kind: str, text: str, *, keep: bool) -> tuple[list, str, list]:
    """(names of what was or would be imported, error, per-line errors)."""
    try:
        if keep:
            return [str(o) for o in SERVICES[kind](user, text)], "", []
        with transaction.atomic():
            raise _Preview([str(o) for o in SERVICES[kind](user, text)])
    except _Preview as preview:
        return preview.rows, "", []
    except DomainError as exc:
        return [], exc.detail, exc.extra.get("rows", [])


@role_required(OPERATOR)
def import_csv(request):
    """GET the form; POST ``preview`` to check the file, ``import`` to keep it (the same text, again checked)."""
    if request.method != "POST":
        return render(request, "inventory/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    context = {"form": form}
    if not form.is_valid():
        context["error"] = first_error(form)
    else:
        keep = request.POST.get("step") == "import"
        text = form.payload()
        names, error, rows = _run(request.user, form.cleaned_data["kind"], text, keep=keep)
        context.update(text=text, kind=form.cleaned_data["kind"], names=names, error=error, rows=rows, kept=keep
                       and not error, previewed=not keep)
    template = "inventory/_import_answer.html" if request.htmx else "inventory/import.html"
    return render(request, template, context, status=200 if request.htmx or not context.get("error") else 400)
