"""Bills of materials: lines, and stock set aside for them through the inventory ledger.

Allocating and returning call ``inventory.services`` (which lock the stock row and write the
ledger, naming the project as the reference); the BOM line is locked first, in every path, so
two requests for one line are served in turn and the line's allocated quantity always equals
what the ledger holds for it.
"""
from django.db import transaction

from core import audit, events
from core.errors import Conflict, NotFound, RuleViolation, check_fields
from inventory import services as inventory
from inventory.models import Location, Material
from inventory.services.common import plain, to_quantity

from .. import events as types
from ..models import BomLine, Project
from ..queries import get_project
from .common import require_worker, topics, unknown_fields

LINE_FIELDS = ["material", "location", "required_quantity", "critical", "notes"]
REFERENCE_TYPE = "projects.project"


def line_data(line: BomLine) -> dict:
    """A BOM line as its events carry it."""
    return {"project": line.project_id, "line": line.pk, "material": line.material_id,
            "required_quantity": plain(line.required_quantity), "allocated_quantity": plain(line.allocated_quantity),
            "critical": line.critical}


def _project_for_change(actor, project, doing: str) -> Project:
    project = get_project(actor, project.pk if isinstance(project, Project) else project)
    require_worker(actor, project, doing)
    return project


def _locked_line(actor, line, doing: str) -> tuple[Project, BomLine]:
    """The project (404 when hidden) and its line, locked."""
    line_id = line.pk if isinstance(line, BomLine) else line
    project_id = BomLine.objects.filter(pk=line_id).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotFound(f"There is no BOM line {line_id}.")
    project = _project_for_change(actor, project_id, doing)
    locked = BomLine.objects.select_for_update(of=("self",)).select_related("material", "location").get(pk=line_id)
    return project, locked


def _clean(fields: dict) -> dict:
    unknown_fields(fields, LINE_FIELDS, "BOM line")
    fields = dict(fields)
    if "material" in fields and not isinstance(fields["material"], Material):
        fields["material"] = Material.objects.filter(pk=fields["material"]).first()
        if fields["material"] is None:
            raise RuleViolation("There is no such material.", fields={"material": ["Unknown material."]})
    if fields.get("location") is not None and not isinstance(fields["location"], Location):
        fields["location"] = Location.objects.filter(pk=fields["location"]).first()
        if fields["location"] is None:
            raise RuleViolation("There is no such location.", fields={"location": ["Unknown location."]})
    if "required_quantity" in fields:
        fields["required_quantity"] = to_quantity(fields["required_quantity"], "required_quantity")
    if "notes" in fields:
        fields["notes"] = (fields["notes"] or "").strip()
    return fields


def _announce(actor, action: str, event: str, line: BomLine, changes: dict) -> None:
    audit.record(actor, action, line.project, changes, object_repr=f"{line.project} BOM: {line.material}")
    events.publish(topics(line.project_id), event, line_data(line))


@transaction.atomic
def add_bom_line(actor, project, **fields) -> BomLine:
    """Put a material on a project's BOM with the quantity needed (project members)."""
    project = _project_for_change(actor, project, "change the BOM")
    fields = _clean(fields)
    if not fields.get("material") or "required_quantity" not in fields:
        raise RuleViolation("Give material and required_quantity.", fields={"material": ["Required."]})
    if BomLine.objects.filter(project=project, material=fields["material"]).exists():
        raise Conflict(f"{fields['material']} is on this BOM already: change that line instead.",
                       fields={"material": ["On the BOM already."]})
    line = BomLine(project=project, **fields)
    check_fields(line, exclude=["project", "material", "location"])
    line.save()
    _announce(actor, "bom.add", types.BOM_CHANGED, line,
              {"material": [None, line.material_id], "required_quantity": [None, plain(line.required_quantity)]})
    return line


@transaction.atomic
def update_bom_line(actor, line: BomLine, **fields) -> BomLine:
    """Change a line's quantity, location, critical flag or notes; never below what is allocated."""
    project, line = _locked_line(actor, line, "change the BOM")
    fields = _clean(fields)
    if "material" in fields and fields["material"].pk != line.material_id:
        raise RuleViolation("A line's material does not change; add a new line instead.",
                            fields={"material": ["Fixed."]})
    fields.pop("material", None)
    if "location" in fields and line.allocated_quantity and fields["location"] != line.location:
        raise Conflict("Return what is allocated before taking this line's material from another location.",
                       fields={"location": ["Stock is allocated."]})
    if fields.get("required_quantity") is not None and fields["required_quantity"] < line.allocated_quantity:
        raise Conflict(f"{plain(line.allocated_quantity)} is allocated already; return some before needing less.",
                       fields={"required_quantity": [f"At least {plain(line.allocated_quantity)}."]})
    before = audit.snapshot(line, fields)
    for name, value in fields.items():
        setattr(line, name, value)
    check_fields(line, exclude=["project", "material", "location"])
    line.save()
    changes = audit.diff(before, line)
    if changes:
        _announce(actor, "bom.update", types.BOM_CHANGED, line, changes)
    return line


@transaction.atomic
def delete_bom_line(actor, line: BomLine) -> None:
    """Take a material off the BOM; refused while stock is allocated to it."""
    project, line = _locked_line(actor, line, "change the BOM")
    if line.allocated_quantity:
        raise Conflict(f"{plain(line.allocated_quantity)} {line.material.unit} are allocated to this line; return "
                       f"them first.", code="allocated")
    _announce(actor, "bom.delete", types.BOM_CHANGED, line, {"material": [line.material_id, None]})
    line.delete()


def _reference(project: Project) -> dict:
    return {"reference_type": REFERENCE_TYPE, "reference_id": project.pk,
            "reason": f"BOM of project {project.name}"[:255]}


@transaction.atomic
def allocate_bom_line(actor, line: BomLine, quantity) -> BomLine:
    """Set stock aside for a line through the inventory ledger; at most what the line still needs.

    409 with the available quantity when the stock is short (nothing is written then).
    """
    project, line = _locked_line(actor, line, "allocate stock")
    qty = to_quantity(quantity)
    missing = line.required_quantity - line.allocated_quantity
    if qty > missing:
        raise Conflict(f"The line needs only {plain(missing)} {line.material.unit} more; allocate at most that.",
                       code="over_required", fields={"quantity": [f"At most {plain(missing)}."]})
    inventory.allocate_stock(actor, line.material, qty, location=line.location, **_reference(project))
    before = line.allocated_quantity
    line.allocated_quantity = before + qty
    line.save(update_fields=["allocated_quantity", "updated_at"])
    _announce(actor, "bom.allocate", types.BOM_ALLOCATED, line,
              {"allocated_quantity": [plain(before), plain(line.allocated_quantity)]})
    return line


@transaction.atomic
def return_bom_line(actor, line: BomLine, quantity) -> BomLine:
    """Give stock allocated to a line back to free stock; never more than the line holds.

    The inventory ledger decides whose reservation it is: members return what they allocated,
    operators anyone's.
    """
    project, line = _locked_line(actor, line, "return stock")
    qty = to_quantity(quantity)
    if qty > line.allocated_quantity:
        raise Conflict(f"Only {plain(line.allocated_quantity)} {line.material.unit} are allocated to this line; "
                       f"return at most that.", code="over_allocated",
                       fields={"quantity": [f"At most {plain(line.allocated_quantity)}."]})
    inventory.release_stock(actor, line.material, qty, location=line.location, **_reference(project))
    before = line.allocated_quantity
    line.allocated_quantity = before - qty
    line.save(update_fields=["allocated_quantity", "updated_at"])
    _announce(actor, "bom.return", types.BOM_RETURNED, line,
              {"allocated_quantity": [plain(before), plain(line.allocated_quantity)]})
    return line

