"""QR labels: the code holds the URL of the object's page, so any phone camera opens it (segno)."""
import io

import segno
from django.conf import settings
from django.urls import reverse

from .models import Asset, Location, Material

PAGE = {Asset: "inventory:asset", Material: "inventory:material", Location: "inventory:location"}


def object_url(obj) -> str:
    """Absolute URL of the staff page of an asset, material or location."""
    return settings.SITE_URL.rstrip("/") + reverse(PAGE[type(obj)], args=[obj.pk])


def caption(obj) -> str:
    if isinstance(obj, Asset):
        return obj.inventory_id
    if isinstance(obj, Material):
        return obj.sku
    return obj.full_name


def render(obj, fmt: str) -> tuple[bytes, str]:
    """The label of ``obj`` as PNG or SVG bytes and its content type."""
    qr = segno.make(object_url(obj), error="m")
    out = io.BytesIO()
    if fmt == "svg":
        qr.save(out, kind="svg", scale=4, border=2, xmldecl=True, title=caption(obj))
        return out.getvalue(), "image/svg+xml"
    qr.save(out, kind="png", scale=6, border=2)
    return out.getvalue(), "image/png"


def svg_inline(obj) -> str:
    """An inline SVG that scales to whatever box the page gives it.

    Without a fixed width and height the SVG keeps only its viewBox, so CSS can size the code
    (a printed code must be about 2.5 cm or more to scan); four modules of quiet zone around it
    are what scanners need to find it.
    """
    return segno.make(object_url(obj), error="m").svg_inline(scale=1, border=4, omitsize=True)
