"""Staff pages: the asset list, materials with stock, locations, label sheet and scan.

Work on one asset or material is in ``asset_views`` and ``material_views``; CSV import in ``import_views``.
"""
from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import OPERATOR, has_role
from core.pages import viewer_required
from core.parsing import as_id

from . import labels, queries
from .asset_views import bulk_choices
from .models import Asset, DeviceType, Location, Material, Tag


@viewer_required
def asset_list(request):
    """Assets with filters (type, status, tag, location subtree, search) beside the location tree."""
    qs = queries.assets_for_list().order_by("inventory_id")
    params = request.GET
    if as_id(params.get("type")):
        qs = qs.filter(device_type_id=as_id(params["type"]))
    if params.get("status") in Asset.Status.values:
        qs = qs.filter(status=params["status"])
    if as_id(params.get("tag")):
        qs = qs.filter(tags__id=as_id(params["tag"]))
    location = None
    if as_id(params.get("location")):
        location = Location.objects.filter(pk=as_id(params["location"])).first()
        if location:
            qs = qs.filter(location__tree_path__startswith=location.tree_path)
    if params.get("maintenance") == "due":
        qs = qs.filter(pk__in=queries.maintenance_overdue().values("pk"))
    if params.get("q"):
        from django.db.models import Q

        q = params["q"].strip()
        qs = qs.filter(Q(inventory_id__icontains=q) | Q(name__icontains=q) | Q(serial_number__icontains=q))
    page = Paginator(qs, 50).get_page(params.get("page"))
    return render(request, "inventory/asset_list.html", {
        "page": page, "tree": Location.objects.order_by("tree_path"), "current_location": location,
        "types": DeviceType.objects.all(), "statuses": Asset.Status.choices, "tags": Tag.objects.all(),
        "filters": params, "is_operator": has_role(request.user, OPERATOR), **bulk_choices(),
        "query": params.urlencode(),
    })


@viewer_required
def material_list(request):
    """Materials with on hand, allocated and available; rows under their reorder level are highlighted."""
    materials = queries.materials_for_list().order_by("name")
    if request.GET.get("low") == "1":
        materials = queries.low_stock()
    return render(request, "inventory/material_list.html", {"materials": materials,
                                                            "low_only": request.GET.get("low") == "1"})


@viewer_required
def location_detail(request, pk):
    """One location: its path, children, assets and stock."""
    location = get_object_or_404(Location, pk=pk)
    ancestors = Location.objects.filter(pk__in=[int(p) for p in location.tree_path.strip("/").split("/") if p])
    return render(request, "inventory/location_detail.html", {
        "location": location, "ancestors": ancestors.order_by("depth"),
        "children": location.children.all(),
        "assets": Asset.objects.filter(location=location).select_related("device_type"),
        "stock": location.stock_items.select_related("material"), "qr": labels.svg_inline(location),
    })


@viewer_required
def label_sheet(request):
    """A printable sheet of QR labels: ``?assets=1,2`` / ``?materials=`` / ``?locations=`` or all assets there."""
    def ids(name):
        return [as_id(x) for x in request.GET.get(name, "").split(",") if as_id(x)]

    objects = []
    wanted = {"assets": Asset, "materials": Material, "locations": Location}
    if any(request.GET.get(k) for k in wanted):
        for name, model in wanted.items():
            objects += list(model.objects.filter(pk__in=ids(name)))
    else:
        objects = list(Asset.objects.exclude(status=Asset.Status.RETIRED).order_by("inventory_id")[:60])
    cards = [{"caption": labels.caption(o), "title": str(o), "svg": labels.svg_inline(o), "url": labels.object_url(o)}
             for o in objects]
    paper = "letter" if request.GET.get("paper") == "letter" else "a4"
    return render(request, "inventory/label_sheet.html", {"cards": cards, "paper": paper,
                                                          "site_url": settings.SITE_URL})


@viewer_required
def scan(request):
    """A typed or scanned code (asset id, serial, SKU, label URL) opens the object's page."""
    code = request.GET.get("code", "").strip()
    if code:
        found = queries.find_by_code(code)
        if found is not None:
            return redirect(labels.PAGE[type(found)], pk=found.pk)
    return render(request, "inventory/scan.html", {"code": code, "not_found": bool(code)},
                  status=404 if code else 200)
