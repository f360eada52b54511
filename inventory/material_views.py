"""Work on stock from the material page: receive, consume, allocate, release, transfer, stocktake.

One view for every movement: the form's fields go to the matching stock service; the answer is the
page part with the ledger as it now is and the outcome (or the service's refusal) beside the form.
The page follows ``material:<id>`` over ``/ws/``, so the ledger also updates when others move stock.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import MEMBER, OPERATOR, has_role
from core.errors import DomainError, RuleViolation
from core.pages import viewer_required

from . import labels, queries, services
from .forms import StockForm, first_error
from .models import Location, Material


def _where(d, name="location"):
    if d[name] is None:
        raise RuleViolation("Choose a location.", fields={name: ["Required."]})
    return d[name]


def _ref(d) -> dict:
    return {"reference_type": d["reference_type"], "reference_id": d["reference_id"]}


# action: (title, who may, fields shown, service call)
ACTIONS = {
    "receive": ("Receive", OPERATOR, ["quantity", "location", "lot", "expires_on", "reason"],
                lambda u, m, d: services.receive_stock(u, m, d["quantity"], location=_where(d), lot=d["lot"],
                                                       expires_on=d["expires_on"], reason=d["reason"])),
    "consume": ("Consume", MEMBER, ["quantity", "location", "lot", "reason", "reference_type", "reference_id"],
                lambda u, m, d: services.consume_stock(u, m, d["quantity"], location=d["location"], lot=d["lot"],
                                                       reason=d["reason"], **_ref(d))),
    "allocate": ("Allocate", MEMBER, ["quantity", "location", "reason", "reference_type", "reference_id"],
                 lambda u, m, d: services.allocate_stock(u, m, d["quantity"], location=d["location"],
                                                         reason=d["reason"], **_ref(d))),
    "release": ("Release", MEMBER, ["quantity", "location", "reason", "reference_type", "reference_id"],
                lambda u, m, d: services.release_stock(u, m, d["quantity"], location=d["location"],
                                                       reason=d["reason"], **_ref(d))),
    "transfer": ("Transfer", OPERATOR, ["quantity", "location", "to_location", "lot", "reason"],
                 lambda u, m, d: services.transfer_stock(u, m, d["quantity"], from_location=_where(d),
                                                         to_location=_where(d, "to_location"), lot=d["lot"],
                                                         reason=d["reason"])),
    "stocktake": ("Count (stocktake)", OPERATOR, ["quantity", "location", "lot", "reason"],
                  lambda u, m, d: services.stocktake(u, m, d["quantity"], location=_where(d), lot=d["lot"],
                                                     reason=d["reason"])),
}
LABELS = {"quantity": "Quantity", "location": "Location", "to_location": "To location", "lot": "Lot",
          "expires_on": "Expires on", "reason": "Reason", "reference_type": "For (kind, e.g. projects.project)",
          "reference_id": "For (id)"}


def material_context(request, pk: int, **answer) -> dict:
    material = get_object_or_404(queries.materials_for_list(), pk=pk)
    forms = []
    for name, (title, role, fields, _call) in ACTIONS.items():
        if not has_role(request.user, role):
            continue
        form = answer["form"] if answer.get("failed") == name else StockForm(prefix=name)
        forms.append({"name": name, "title": title, "form": form,
                      "fields": [(form[f], LABELS[f]) for f in fields],
                      "error": answer.get("error") if answer.get("failed") == name else ""})
    shown = [f["name"] for f in forms]
    return {
        "material": material, "forms": forms, "done": answer.get("done", ""),
        "error": answer.get("error", "") if answer.get("failed") and answer["failed"] not in shown else "",
        "movements": material.movements.select_related("stock_item__location", "actor")[:100],
        "qr": labels.svg_inline(material), "locations": Location.objects.order_by("full_name"),
    }


@viewer_required
def material_detail(request, pk):
    """One material: stock per location, the forms to move stock, and the ledger (live)."""
    return render(request, "inventory/material_detail.html", material_context(request, pk))


@viewer_required
def material_part(request, pk):
    """Only the live part of the material page, for htmx after a bus event."""
    return render(request, "inventory/_material_body.html", material_context(request, pk))


@login_required
@require_POST
def stock_action(request, pk, action):
    """Run one stock movement through its service; a refusal is shown beside its form."""
    if action not in ACTIONS:
        raise Http404("No such stock action.")
    title, _role, _fields, call = ACTIONS[action]
    material = get_object_or_404(Material, pk=pk)
    form = StockForm(request.POST, prefix=action)
    error = ""
    if not form.is_valid():
        error = first_error(form)
    else:
        try:
            call(request.user, material, form.cleaned_data)
        except DomainError as exc:
            error = exc.detail
    done = f"{title}: done." if not error else ""
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or done)
        return redirect("inventory:material", pk=pk)
    context = material_context(request, pk, failed=action if error else "", error=error, form=form, done=done)
    return render(request, "inventory/_material_body.html", context)
