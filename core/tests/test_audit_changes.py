"""``core.audit.apply_changes``: the update sequence every update service shares."""
import pytest

from core import audit
from core.errors import RuleViolation
from core.models import AuditEntry
from inventory.models import Tag
from inventory.tests.factories import TagFactory


def _refuse(tag):
    raise RuleViolation("No.")


@pytest.mark.django_db
def test_a_change_is_saved_and_audited_once_and_a_no_change_leaves_no_entry(make_user):
    actor, tag = make_user("operator"), TagFactory(name="Old")
    changes = audit.apply_changes(actor, "tag.update", tag, {"name": "New"}, check=lambda tag: None)
    assert changes == {"name": ["Old", "New"]} and Tag.objects.get(pk=tag.pk).name == "New"
    assert audit.apply_changes(actor, "tag.update", tag, {"name": "New"}, check=lambda tag: None) == {}
    assert list(AuditEntry.objects.values_list("action", "changes")) == [("tag.update", {"name": ["Old", "New"]})]


@pytest.mark.django_db
def test_a_refused_check_saves_and_records_nothing(make_user):
    tag = TagFactory(name="Kept")
    with pytest.raises(RuleViolation):
        audit.apply_changes(make_user("operator"), "tag.update", tag, {"name": "Lost"}, check=_refuse)
    assert Tag.objects.get(pk=tag.pk).name == "Kept" and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_what_then_reports_joins_the_changes(make_user):
    tag = TagFactory(color="#000000")
    changes = audit.apply_changes(make_user("operator"), "tag.update", tag, {"color": "#ffffff"},
                                  check=lambda tag: None, then=lambda tag: {"assets": [[], [1]]})
    assert changes == {"color": ["#000000", "#ffffff"], "assets": [[], [1]]}
