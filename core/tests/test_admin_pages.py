"""Every model registered in the admin lists, searches and opens its add page without error."""
import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from core.testing import factory_for

pytestmark = pytest.mark.django_db


def registered():
    return [pytest.param(model, id=model._meta.label) for model in admin.site._registry]


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user("admin", is_superuser=True))
    return client


@pytest.mark.parametrize("model", registered())
def test_changelist_and_search_render(superuser_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.get(url, {"q": "lab"}).status_code == 200


def test_operators_reach_the_admin_but_members_do_not(client, make_user):
    client.force_login(make_user("operator"))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/auditentry/").status_code == 200
    client.force_login(make_user("member"))
    assert client.get("/admin/").status_code == 302


def test_role_actions_in_the_admin_go_through_the_service(client, make_user):
    admin_user = make_user("admin", is_superuser=True)
    target = make_user("member")
    client.force_login(admin_user)
    response = client.post("/admin/accounts/user/", {"action": "make_operator", "_selected_action": [target.pk]})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == "operator" and target.is_staff
    from core.models import AuditEntry

    assert AuditEntry.objects.get(action="user.set_role").changes == {"role": ["member", "operator"]}


def test_the_role_service_refuses_non_admins_through_the_api_door_too(make_user):
    from accounts import services
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_role(make_user("operator"), make_user("member"), "admin")


def test_migrate_gives_operators_every_domain_apps_permissions():
    """The role groups are synced after the last app migrates, so later apps are included."""
    from django.contrib.auth.models import Group

    codes = set(Group.objects.get(name="operator").permissions.values_list("content_type__app_label", flat=True))
    assert {"inventory", "scheduler", "core"} <= codes


def test_history_and_roles_cannot_be_edited_around_the_services(client, make_user):
    """Ledgers, check-outs and maintenance are read-only; roles and key scopes are not form fields."""
    from django.contrib import admin as django_admin

    from inventory.models import Asset, Checkout, MaintenanceRecord, StockMovement

    request = type("R", (), {"user": make_user("admin", is_superuser=True)})()
    for model in (Checkout, MaintenanceRecord, StockMovement):
        model_admin = django_admin.site._registry[model]
        assert not model_admin.has_delete_permission(request)
        assert not model_admin.has_add_permission(request)
    assert not django_admin.site._registry[Asset].has_delete_permission(request)  # assets are retired

    from accounts.models import ApiKey, User

    assert "groups" in django_admin.site._registry[User].readonly_fields
    assert "role" in django_admin.site._registry[ApiKey].readonly_fields


def test_deleting_a_device_type_in_bulk_goes_through_the_service(client, make_user):
    from core.models import AuditEntry
    from inventory.tests.factories import DeviceTypeFactory

    kinds = [DeviceTypeFactory(), DeviceTypeFactory()]
    client.force_login(make_user("admin", is_superuser=True))
    response = client.post("/admin/inventory/devicetype/", {
        "action": "delete_selected", "post": "yes", "_selected_action": [k.pk for k in kinds]})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(object_type="inventory.devicetype").count() == 2


@pytest.mark.parametrize("model", registered())
def test_a_changelist_runs_the_same_queries_for_one_row_as_for_a_full_page(superuser_client, model):
    """Shown rows must not each cost a query (a missing list_select_related, say); rows come from
    the model's factory (``core.testing.factory_for``)."""
    factory_for(model).create_batch(3)
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    counts = {}
    for per_page in (1, 100):
        model_admin.list_per_page = per_page
        try:
            with CaptureQueriesContext(connection) as queries:
                assert superuser_client.get(url).status_code == 200
        finally:
            del model_admin.list_per_page  # back to the class's value
        counts[per_page] = len(queries)
    assert counts[100] == counts[1], [q["sql"] for q in queries.captured_queries]


def test_the_audit_admin_builds_its_filters_without_reading_the_trail(superuser_client):
    """The trail only grows: its list may count the filtered rows and read one page, nothing more."""
    AuditEntry.objects.bulk_create([AuditEntry(action=f"a.{n}", object_type="inventory.asset", object_id=str(n),
                                               via="web") for n in range(5)])
    url = reverse("admin:core_auditentry_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = superuser_client.get(url, {"object_type": "inventory.asset", "via": "web"})
    assert response.status_code == 200 and response.content.decode().count("a.") >= 5
    on_trail = [q["sql"] for q in queries.captured_queries if "core_auditentry" in q["sql"]]
    assert len(on_trail) == 2 and not any("DISTINCT" in sql.upper() for sql in on_trail), on_trail
