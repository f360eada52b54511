"""Every model registered in the admin lists, searches and opens its add page without error."""
import pytest
from django.contrib import admin
from django.urls import reverse

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
