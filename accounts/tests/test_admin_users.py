"""The admin's user pages save through the account services: rules, roles and audit as in the API."""
import pytest
from django.test import Client

from accounts.models import User
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

STRONG = "Very-strong-pass-42!"


@pytest.fixture
def admin_user(make_user):
    return make_user("admin")


@pytest.fixture
def admin_client(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def add(client, **fields):
    body = {"username": "alpha", "email": "alpha@example.org", "display_name": "", "role": "member",
            "password1": STRONG, "password2": STRONG, "_save": "Save"} | fields
    return client.post("/admin/accounts/user/add/", body)


def errors_of(response) -> dict:
    return response.context["adminform"].form.errors


def change_data(client, user, **fields):
    form = client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    data = {name: form[name].value() for name in form.fields if not form.fields[name].disabled}
    data = {name: value for name, value in data.items() if value is not None}
    data["is_active"] = "on" if data.get("is_active") else ""
    data["notification_preferences"] = form["notification_preferences"].value()
    return data | fields | {"_save": "Save"}


def test_the_add_form_asks_for_username_email_role_and_password_twice(admin_client):
    form = admin_client.get("/admin/accounts/user/add/").context["adminform"].form
    assert {"username", "email", "role", "password1", "password2"} <= set(form.fields)
    assert form.fields["email"].required


def test_a_user_added_in_the_admin_gets_the_role_an_audit_entry_and_a_lower_case_email(admin_client, admin_user):
    response = add(admin_client, username="alpha", email="Alpha@Example.org", role="operator")
    assert response.status_code == 302
    user = User.objects.get(username="alpha")
    assert user.email == "alpha@example.org"
    assert user.role == "operator" and user.is_staff
    assert user.check_password(STRONG)
    entry = AuditEntry.objects.get(action="user.create", object_id=str(user.pk))
    assert entry.actor == admin_user
    assert entry.changes["role"] == [None, "operator"]


def test_users_added_one_after_another_do_not_clash(admin_client):
    assert add(admin_client, username="alpha", email="alpha@example.org").status_code == 302
    assert add(admin_client, username="beta", email="beta@example.org").status_code == 302
    assert User.objects.filter(username__in=["alpha", "beta"]).count() == 2


def test_an_email_in_another_case_is_a_form_error(admin_client, make_user):
    make_user(email="dup@example.org")
    response = add(admin_client, email="DUP@example.org")
    assert response.status_code == 200
    assert errors_of(response)["email"] == ["An account with that email address exists."]
    assert not User.objects.filter(username="alpha").exists()


def test_a_username_in_another_case_is_a_form_error(admin_client, make_user):
    make_user(username="alpha")
    response = add(admin_client, username="ALPHA", email="other@example.org")
    assert response.status_code == 200
    assert "That username is taken." in errors_of(response)["username"]


def test_a_weak_password_lists_every_broken_rule(admin_client):
    response = add(admin_client, password1="abc", password2="abc")
    assert response.status_code == 200
    messages = " ".join(errors_of(response)["password1"])
    for rule in ["at least 12 characters", "upper-case", "digit", "symbol"]:
        assert rule in messages
    assert not User.objects.filter(username="alpha").exists()


def test_two_different_passwords_are_a_form_error(admin_client):
    response = add(admin_client, password2=STRONG + "x")
    assert errors_of(response)["password2"] == ["The two passwords differ."]
    assert not User.objects.filter(username="alpha").exists()


def test_an_edit_goes_through_the_service_and_audits_each_changed_field(admin_client, admin_user, make_user):
    user = make_user("member", display_name="Old")
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/",
                                 change_data(admin_client, user, display_name="New", is_active="",
                                             email="NEW@example.org"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.is_active, user.email) == ("New", False, "new@example.org")
    entry = AuditEntry.objects.get(action="user.update", object_id=str(user.pk))
    assert entry.actor == admin_user
    assert entry.changes == {"display_name": ["Old", "New"], "is_active": [True, False],
                             "email": [f"{user.username}@example.org", "new@example.org"]}


def test_an_edit_to_an_email_in_another_case_is_a_form_error(admin_client, make_user):
    make_user(email="dup@example.org")
    user = make_user()
    before = AuditEntry.objects.count()
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/",
                                 change_data(admin_client, user, email="DUP@example.org", is_active=""))
    assert response.status_code == 200
    assert errors_of(response)["email"] == ["An account with that email address exists."]
    user.refresh_from_db()
    assert user.email != "DUP@example.org" and user.is_active
    assert AuditEntry.objects.count() == before


def test_a_bad_time_zone_is_a_form_error(admin_client, make_user):
    user = make_user()
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/",
                                 change_data(admin_client, user, time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert "time zone" in errors_of(response)["time_zone"][0]


def test_an_admin_cannot_deactivate_themselves(admin_client, admin_user):
    response = admin_client.post(f"/admin/accounts/user/{admin_user.pk}/change/",
                                 change_data(admin_client, admin_user, is_active=""), follow=True)
    assert "cannot deactivate your own account" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_password_page_sets_the_password_through_the_service(admin_client, admin_user, make_user):
    user = make_user()
    url = f"/admin/accounts/user/{user.pk}/password/"
    weak = admin_client.post(url, {"password1": "abc", "password2": "abc"})
    assert weak.status_code == 200
    assert "at least 12 characters" in " ".join(weak.context["form"].errors["password1"])
    response = admin_client.post(url, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert AuditEntry.objects.filter(action="user.set_password", object_id=str(user.pk), actor=admin_user).exists()


def test_deleting_a_user_is_audited_and_nobody_deletes_themselves(admin_client, admin_user, make_user):
    user = make_user()
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert AuditEntry.objects.filter(action="user.delete", object_id=str(user.pk), actor=admin_user).exists()
    assert admin_client.post(f"/admin/accounts/user/{admin_user.pk}/delete/", {"post": "yes"}).status_code == 403


def test_operators_only_read_users(make_user):
    client = Client()
    client.force_login(make_user("operator"))
    user = make_user()
    assert client.get(f"/admin/accounts/user/{user.pk}/change/").status_code == 200
    assert client.post("/admin/accounts/user/add/", {"username": "x"}).status_code == 403


# --- The same email rule through the API ------------------------------------------------------

def test_registering_an_email_in_another_case_is_a_400(api_client, make_user):
    make_user(email="dup@example.org")
    response = api_client.post("/api/auth/register/", {"username": "ada", "email": "DUP@example.org",
                                                       "password": STRONG}, format="json")
    assert response.status_code == 400
    assert response.data["fields"]["email"] == ["An account with that email address exists."]
    assert not User.objects.filter(username="ada").exists()


def test_changing_ones_email_to_one_in_another_case_is_a_400(client_as, make_user):
    make_user(email="dup@example.org")
    client = client_as("member")
    response = client.patch("/api/auth/me/", {"email": "Dup@Example.org"}, format="json")
    assert response.status_code == 400
    assert response.data["fields"]["email"] == ["An account with that email address exists."]
    client.user.refresh_from_db()
    assert client.user.email != "dup@example.org"


def test_changing_ones_email_is_stored_lower_case_and_audited(client_as):
    client = client_as("member")
    old = client.user.email
    response = client.patch("/api/auth/me/", {"email": "Me@Example.org"}, format="json")
    assert response.status_code == 200
    assert response.data["email"] == "me@example.org"
    entry = AuditEntry.objects.get(action="user.update_profile")
    assert entry.changes == {"email": [old, "me@example.org"]}


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_address_differing_only_in_case():
    """Even a save that skips the services (or races them) cannot store DUP@ beside dup@."""
    from django.db import IntegrityError

    User.objects.create(username="first", email="dup@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(username="second", email="DUP@example.org")


@pytest.mark.django_db
def test_a_discord_id_must_be_a_number_through_the_api_and_the_admin_service(client_as, make_user):
    from accounts import services
    from core.errors import DomainError

    member_api = client_as("member")
    response = member_api.patch("/api/auth/me/", {"discord_id": "1> @everyone <@1"}, format="json")
    assert response.status_code == 400 and "discord_id" in response.data["fields"]
    assert member_api.patch("/api/auth/me/", {"discord_id": "80351110224678912"}, format="json").status_code == 200
    with pytest.raises(DomainError, match="Discord user id is a number"):
        services.update_user(make_user("admin", is_superuser=True), make_user("member"), discord_id="@everyone")
