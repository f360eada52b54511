"""The lean list path writes what the serializer writes, and refuses fields it cannot read alike."""
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, models
from django.utils import timezone
from rest_framework import serializers

from accounts.models import User
from core import audit
from core.api.audit import AuditEntrySerializer
from core.api.lean import Column, LeanPlanError, RowPlan
from core.api.renderers import DATETIMES_LEFT
from core.models import AuditEntry
from inventory.models import Asset

pytestmark = pytest.mark.django_db


def lean_rows(serializer_class, queryset, extras=None):
    plan = RowPlan(serializer_class(), serializer_class.Meta.model, extras or {})
    return plan.render(None, plan.values(queryset), connection.vendor == "postgresql")


def test_times_follow_the_time_zone_in_force(make_user):
    user = make_user()
    audit.record(user, "thing.one", user, {"a": [1, 2]})
    for zone in ("Europe/Berlin", "America/St_Johns", "UTC"):
        with timezone.override(ZoneInfo(zone)):
            queryset = AuditEntry.objects.order_by("id")
            assert lean_rows(AuditEntrySerializer, queryset) == AuditEntrySerializer(queryset, many=True).data


class WithMethod(serializers.ModelSerializer):
    shout = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "shout"]

    def get_shout(self, user):
        return user.username.upper()


class WithNullablePath(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.username", read_only=True)
    actor_email = serializers.CharField(source="actor.email", read_only=True, default="nobody")

    class Meta:
        model = AuditEntry
        fields = ["id", "actor_name", "actor_email"]


def test_a_method_field_needs_a_column_of_its_own(make_user):
    make_user(username="ada")
    with pytest.raises(LeanPlanError, match="shout"):
        RowPlan(WithMethod(), User, {})
    from django.db.models.functions import Upper

    rows = lean_rows(WithMethod, User.objects.filter(username="ada"), {"shout": Column(Upper("username"))})
    assert rows == WithMethod(User.objects.filter(username="ada"), many=True).data


def test_a_missing_related_row_is_left_out_or_defaulted_like_the_serializer_does(make_user):
    user = make_user()
    audit.record(user, "by.someone", user)
    audit.record(None, "by.nobody", user)
    queryset = AuditEntry.objects.order_by("id")
    rows = lean_rows(WithNullablePath, queryset)
    assert rows == WithNullablePath(queryset, many=True).data
    assert "actor_name" not in rows[1] and rows[1]["actor_email"] == "nobody"


class WithGroups(serializers.ModelSerializer):
    groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "groups", "date_joined", "last_login"]


def test_many_to_many_ids_come_in_one_subquery_or_one_query_for_the_page(make_user, django_assert_max_num_queries):
    from django.contrib.auth.models import Group

    extra = [Group.objects.create(name=f"lean-{n}") for n in range(3)]
    for n in range(4):
        make_user(username=f"lean-user-{n}").groups.add(*extra[:n])
    queryset = User.objects.filter(username__startswith="lean-user-").order_by("username")
    with django_assert_max_num_queries(2):
        rows = lean_rows(WithGroups, queryset)
    assert rows == WithGroups(queryset, many=True).data
    assert [len(row["groups"]) for row in rows] == [1, 2, 3, 4]  # each user's role group and the extra ones


class WithKeysAndLabel(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    keys = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "label", "keys"]

    def get_label(self, user):
        return str(user)

    def get_keys(self, user):
        from accounts.api.serializers import ApiKeySerializer

        return ApiKeySerializer(user.api_keys.order_by("-created_at", "id"), many=True).data


def test_computed_fields_and_page_lookups_match_the_methods(make_user, django_assert_max_num_queries):
    from accounts.api.serializers import ApiKeySerializer
    from accounts.api.views import KEY_IS_ACTIVE
    from accounts.models import ApiKey
    from core.api.lean import Computed, related_rows

    owner = make_user(username="keyholder", display_name="Key Holder")
    make_user(username="keyless")
    for name in ("one", "two"):
        ApiKey.objects.create(user=owner, name=name, role="member", prefix=name, key_hash=name)
    extras = {"label": Computed(lambda shown, username: shown or username, ("display_name", "username")),
              "keys": related_rows(lambda view: ApiKey.objects.order_by("-created_at", "id"), "user_id",
                                   ApiKeySerializer, lean_fields={"is_active": Column(KEY_IS_ACTIVE)})}
    queryset = User.objects.filter(username__startswith="key").order_by("username")
    with django_assert_max_num_queries(2):
        rows = lean_rows(WithKeysAndLabel, queryset, extras)
    assert rows == WithKeysAndLabel(queryset, many=True).data
    assert rows[0]["label"] == "Key Holder" and len(rows[0]["keys"]) == 2 and rows[1]["keys"] == []


def test_decimals_are_written_as_drf_writes_them():
    from decimal import Decimal

    from core.api.lean import _plain_decimal

    for field in (serializers.DecimalField(max_digits=14, decimal_places=3),
                  serializers.DecimalField(max_digits=6, decimal_places=2),
                  serializers.DecimalField(max_digits=12, decimal_places=0)):
        convert = _plain_decimal(field)
        for value in ("0", "-1.5", "2.0005", "2.0015", "1234.5678", "-0.001", "1E+2", "999.999"):
            assert convert(Decimal(value)) == field.to_representation(Decimal(value)), (field, value)
    assert _plain_decimal(serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)) is None


class WithShownName(serializers.ModelSerializer):
    shown = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "shown"]


def test_a_row_property_runs_the_models_own_rule_on_the_rows_columns(make_user):
    from core.api.lean import row_property

    make_user(username="named", display_name="Named Person")
    make_user(username="plain", display_name="")
    queryset = User.objects.filter(username__in=["named", "plain"]).order_by("username")
    rows = lean_rows(WithShownName, queryset, {"shown": row_property(User.__str__, "display_name", "username")})
    assert rows == WithShownName(queryset, many=True).data
    assert [row["shown"] for row in rows] == ["Named Person", "plain"]


class ShoutedNames(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]

    def to_representation(self, user):
        data = super().to_representation(user)
        data["username"] = user.username.upper()
        return data


def test_a_serializers_own_to_representation_is_read_only_where_the_viewset_says_lean_fields_cover_it(make_user):
    from rest_framework import viewsets

    from core.api.lean import Computed, LeanListMixin

    make_user(username="quiet")
    shout = {"username": Computed(str.upper, ("username",))}

    class Refused(LeanListMixin, viewsets.GenericViewSet):
        serializer_class = ShoutedNames
        queryset = User.objects.all()
        lean_fields = shout

    class Covered(Refused):
        lean_own_representation = True

    for viewset in (Refused, Covered):
        view = viewset(request=None, format_kwarg=None, action="list")
        if viewset is Refused:
            with pytest.raises(LeanPlanError, match="to_representation"):
                view.lean_plan()
            continue
        plan = view.lean_plan()
        queryset = User.objects.filter(username="quiet")
        assert plan.render(view, plan.values(queryset), connection.vendor == "postgresql") == \
            ShoutedNames(queryset, many=True).data
        with pytest.raises(LeanPlanError, match="to_representation"):  # another serializer of an extra action
            view.lean_plan(ShoutedNames, shout, queryset, key=("action", "other", ShoutedNames))


@pytest.mark.parametrize("accept", ["application/json", "application/json; indent=2", "text/html"])
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_a_lean_list_writes_times_like_the_serializer_whoever_writes_the_json(client_as, settings, accept, zone):
    """In UTC the lean list hands time stamps to the orjson renderer; indented or HTML answers and other zones
    get the serializer's text. Whole seconds (no fraction) and microseconds both come out alike."""
    import datetime
    import json
    import re

    settings.TIME_ZONE = zone
    client = client_as("admin")
    actor = User.objects.first()
    for microseconds in (0, 1, 456789):
        entry = audit.record(actor, "thing.timed", actor, {})
        AuditEntry.objects.filter(pk=entry.pk).update(
            at=datetime.datetime(2026, 3, 29, 0, 30, 5, microseconds, tzinfo=datetime.UTC))
    answer = client.get("/api/audit/?action=thing.timed", HTTP_ACCEPT=accept)
    assert answer.status_code == 200
    # Only compact JSON in UTC is handed to the renderer as date-time objects.
    left = getattr(answer.renderer_context["request"], DATETIMES_LEFT, False)
    assert left is (accept == "application/json" and zone == "UTC")
    with timezone.override(ZoneInfo(zone)):
        expected = [row["at"] for row in AuditEntrySerializer(
            AuditEntry.objects.filter(action="thing.timed").order_by("-at", "-id"), many=True).data]
    if accept == "text/html":
        shown = re.findall(r"&quot;at&quot;: &quot;([^&]+)&quot;", answer.content.decode())
    else:
        shown = [row["at"] for row in json.loads(answer.content)["results"]]
    assert sorted(shown) == sorted(expected) and len(shown) == 3
    assert "2026-03-29T00:30:05Z" in shown or "2026-03-29T01:30:05+01:00" in shown


class AssetDecimal(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = ["id", "purchase_cost"]


def test_a_decimal_column_read_back_is_written_by_str_exactly_as_drf_writes_it():
    """Values read from a numeric(12, 2) column carry its two places, so ``str`` gives DRF's text."""
    from decimal import Decimal

    from core.api.lean import _decimal_as_stored
    from inventory.tests.factories import AssetFactory

    column = Asset._meta.get_field("purchase_cost")
    field = serializers.DecimalField(max_digits=12, decimal_places=2)
    assert _decimal_as_stored(field, column)
    for value in ("0", "0.5", "-3", "1234567890.12", "7.10", "0.01", "100"):
        AssetFactory(purchase_cost=Decimal(value))
    stored = list(Asset.objects.values_list("purchase_cost", flat=True))
    assert len(stored) == 7
    assert [str(value) for value in stored] == [field.to_representation(value) for value in stored]
    # Other places, too many places for str, fewer digits, or not a stored column: DRF's own way.
    assert not _decimal_as_stored(serializers.DecimalField(max_digits=12, decimal_places=3), column)
    assert not _decimal_as_stored(serializers.DecimalField(max_digits=10, decimal_places=2), column)
    assert not _decimal_as_stored(serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False),
                                  column)
    assert not _decimal_as_stored(serializers.DecimalField(max_digits=20, decimal_places=8),
                                  models.DecimalField(max_digits=20, decimal_places=8))
    plan = RowPlan(AssetDecimal(), Asset, {})
    assert dict((name, convert) for name, _, convert, *_ in plan.fields)["purchase_cost"] is str
