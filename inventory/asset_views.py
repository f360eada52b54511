"""Work on assets from their pages: check out and in, maintenance, moving, editing, files, bulk changes.

Each form posts to a view that calls the inventory service. The answer is the asset's page part
again, with either what was done or the service's refusal beside the form that asked
(``DomainError`` never becomes an error page). The page follows ``asset:<id>`` over ``/ws/``.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import MEMBER, OPERATOR, has_role
from core.errors import DomainError
from core.models import AuditEntry
from core.pages import role_required, viewer_required

from . import labels, queries, services
from .forms import (
    AssetEditForm,
    AttachmentForm,
    BulkForm,
    CheckInForm,
    CheckOutForm,
    MaintenanceForm,
    MoveForm,
    first_error,
)
from .models import Asset, Location, Tag


def asset_context(request, asset_id: int, **answer) -> dict:
    """Everything the asset page shows, and the blank or refused forms for its actions."""
    asset = get_object_or_404(queries.assets_for_list(), pk=asset_id)
    forms = {
        "check_out": CheckOutForm(), "check_in": CheckInForm(), "maintenance": MaintenanceForm(),
        "move": MoveForm(initial={"location": asset.location_id, "rack_position": asset.rack_position}),
        "edit": AssetEditForm(initial={
            "name": asset.name, "serial_number": asset.serial_number, "status": asset.status,
            "management_ip": asset.management_ip, "owner_group": asset.owner_group_id,
            "tags": [t.pk for t in asset.tags.all()], "notes": asset.notes}),
        "attach": AttachmentForm(),
    }
    if answer.get("form_name"):
        forms[answer["form_name"]] = answer["form"]
    is_member, is_operator = has_role(request.user, MEMBER), has_role(request.user, OPERATOR)
    shown = set(forms) if is_operator else {"check_in", "check_out"} if is_member else set()
    return {
        "unplaced_error": answer.get("error", "") if answer.get("failed") not in shown else "",
        "asset": asset, "forms": forms, "failed": answer.get("failed", ""), "error": answer.get("error", ""),
        "done": answer.get("done", ""),
        "history": AuditEntry.objects.filter(object_type="inventory.asset", object_id=str(asset.pk))[:100],
        "maintenance": asset.maintenance_records.all()[:50],
        "checkouts": asset.checkouts.select_related("to_user")[:20], "qr": labels.svg_inline(asset),
        "attachments": asset.attachments.all(),
        "is_member": is_member, "is_operator": is_operator,
    }


@viewer_required
def asset_detail(request, pk):
    """One asset: its fields, who has it, the forms to work on it, maintenance and field history."""
    return render(request, "inventory/asset_detail.html", asset_context(request, pk))


def _answer(request, pk, name: str, form, doing, done: str):
    """Run ``doing(cleaned_data)`` if the form is valid; answer the page part with the outcome in place."""
    error = ""
    if not form.is_valid():
        error = first_error(form)
    else:
        try:
            doing(form.cleaned_data)
        except DomainError as exc:
            error = exc.detail
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or done)
        return redirect("inventory:asset", pk=pk)
    if error:
        context = asset_context(request, pk, failed=name, error=error, form_name=name, form=form)
    else:
        context = asset_context(request, pk, done=done)
    return render(request, "inventory/_asset_body.html", context)


def _asset(pk) -> Asset:
    return get_object_or_404(Asset, pk=pk)


@login_required
@require_POST
def check_out(request, pk):
    """Lend the asset to a person or a project."""
    def doing(data):
        project = (data["project"] or "").strip()
        services.check_out_asset(
            request.user, _asset(pk), to_user=None if project else data["to_user"],
            reference_type="projects.project" if project else "", reference_id=project,
            expected_return=data["expected_return"], notes=data["notes"])
    return _answer(request, pk, "check_out", CheckOutForm(request.POST), doing, "Checked out.")


@login_required
@require_POST
def check_in(request, pk):
    """Take the asset back."""
    return _answer(request, pk, "check_in", CheckInForm(request.POST),
                   lambda d: services.check_in_asset(request.user, _asset(pk), notes=d["notes"]), "Checked in.")


@login_required
@require_POST
def maintenance(request, pk):
    """Record maintenance done on the asset."""
    def doing(data):
        services.add_maintenance_record(request.user, _asset(pk), summary=data["summary"],
                                        performed_on=data["performed_on"], cost=data["cost"] or 0,
                                        parts=data["parts"], done_by=data["done_by"], next_due=data["next_due"])
    return _answer(request, pk, "maintenance", MaintenanceForm(request.POST), doing, "Maintenance recorded.")


@login_required
@require_POST
def move(request, pk):
    """Move the asset to another location (and rack unit)."""
    def doing(data):
        services.update_asset(request.user, _asset(pk), location=data["location"],
                              rack_position=data["rack_position"])
    return _answer(request, pk, "move", MoveForm(request.POST), doing, "Moved.")


@login_required
@require_POST
def edit(request, pk):
    """Change the asset's fields; the history below shows each change."""
    form = AssetEditForm(request.POST)
    return _answer(request, pk, "edit", form, lambda d: services.update_asset(request.user, _asset(pk),
                                                                               **form.changes()), "Saved.")


@login_required
@require_POST
def attach(request, pk):
    """Keep a file with the asset."""
    return _answer(request, pk, "attach", AttachmentForm(request.POST, request.FILES),
                   lambda d: services.add_attachment(request.user, _asset(pk), d["file"]), "File attached.")


@viewer_required
def my_checkouts(request):
    """What the signed-in user has checked out, overdue first."""
    mine = queries.open_checkouts().filter(to_user=request.user).select_related("asset").order_by(
        "expected_return", "checked_out_at")
    return render(request, "inventory/checkouts.html", {
        "title": "My check-outs", "checkouts": mine, "today": timezone.localdate(), "mine": True})


@viewer_required
def overdue(request):
    """Everything that should be back by now, longest overdue first."""
    late = queries.overdue_checkouts().order_by("expected_return")
    return render(request, "inventory/checkouts.html", {
        "title": "Overdue check-outs", "checkouts": late, "today": timezone.localdate(), "mine": False})


@role_required(OPERATOR)
@require_POST
def bulk(request):
    """Apply one change to the ticked assets through the service (all or nothing), or print their labels."""
    form = BulkForm(request.POST)
    back = request.POST.get("back") or reverse("inventory:assets")
    if not back.startswith("/"):
        back = reverse("inventory:assets")
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(back)
    data = form.cleaned_data
    assets = list(data["asset"])
    if data["action"] == "labels":
        return redirect(f"{reverse('inventory:labels')}?assets={','.join(str(a.pk) for a in assets)}")
    change = {"status": {"status": data["status"]}, "location": {"location": data["location"]},
              "tags": {"tags": list(data["tags"])}}[data["action"]]
    if data["action"] == "status" and not data["status"]:
        messages.error(request, "Choose the status to set.")
    elif data["action"] == "location" and data["location"] is None:
        messages.error(request, "Choose where to move them.")
    else:
        try:
            services.bulk_update_assets(request.user, assets, **change)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"{len(assets)} asset(s) changed.")
    return redirect(back)


def bulk_choices() -> dict:
    return {"bulk_statuses": Asset.Status.choices, "bulk_locations": Location.objects.order_by("full_name"),
            "bulk_tags": Tag.objects.order_by("name")}
