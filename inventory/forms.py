"""Page forms of the inventory: they read what a person typed; the services decide the rest."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import Asset, Location, Tag


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("username")


def _places():
    return Location.objects.order_by("full_name")


class DateInput(forms.DateInput):
    input_type = "date"


class CheckOutForm(forms.Form):
    """Lend to a person (default: oneself) or to a project, with the day it should come back."""

    to_user = forms.ModelChoiceField(queryset=_people(), required=False, label="To person",
                                     empty_label="me")
    project = forms.CharField(required=False, max_length=64, label="or to project (id)")
    expected_return = forms.DateField(required=False, widget=DateInput(), label="Back by")
    notes = forms.CharField(required=False, max_length=500)


class CheckInForm(forms.Form):
    notes = forms.CharField(required=False, max_length=500, label="Condition / notes")


class MaintenanceForm(forms.Form):
    summary = forms.CharField(max_length=200, label="What was done")
    performed_on = forms.DateField(required=False, widget=DateInput(), label="Done on")
    done_by = forms.CharField(required=False, max_length=120)
    cost = forms.CharField(required=False, max_length=20)
    parts = forms.CharField(required=False, max_length=500)
    next_due = forms.DateField(required=False, widget=DateInput(), label="Next due")


class MoveForm(forms.Form):
    location = forms.ModelChoiceField(queryset=_places(), label="New location")
    rack_position = forms.IntegerField(required=False, min_value=1, label="Rack unit")


class AssetEditForm(forms.Form):
    """The fields people change by hand; each change lands in the field history."""

    name = forms.CharField(max_length=200)
    serial_number = forms.CharField(required=False, max_length=120)
    status = forms.ChoiceField(choices=Asset.Status.choices)
    management_ip = forms.GenericIPAddressField(required=False)
    owner_group = forms.ModelChoiceField(queryset=Group.objects.order_by("name"), required=False)
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.order_by("name"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["management_ip"] = data.get("management_ip") or None
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField()


class BulkForm(forms.Form):
    """One change for the ticked assets."""

    ACTIONS = [("status", "Set status"), ("location", "Move to"), ("tags", "Set tags"), ("labels", "Print labels")]
    action = forms.ChoiceField(choices=ACTIONS)
    asset = forms.ModelMultipleChoiceField(queryset=Asset.objects.all(), error_messages={
        "required": "Tick at least one asset."})
    status = forms.ChoiceField(choices=[("", "—"), *Asset.Status.choices], required=False)
    location = forms.ModelChoiceField(queryset=_places(), required=False)
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.order_by("name"), required=False)


class StockForm(forms.Form):
    """Every stock movement's fields; which ones an action reads is in ``material_views.ACTIONS``."""

    quantity = forms.CharField(required=False, max_length=30)
    location = forms.ModelChoiceField(queryset=_places(), required=False)
    to_location = forms.ModelChoiceField(queryset=_places(), required=False)
    lot = forms.CharField(required=False, max_length=64)
    expires_on = forms.DateField(required=False, widget=DateInput())
    reason = forms.CharField(required=False, max_length=200)
    reference_type = forms.CharField(required=False, max_length=100)
    reference_id = forms.CharField(required=False, max_length=64)


class ImportForm(forms.Form):
    KINDS = [("assets", "Assets"), ("materials", "Materials")]
    kind = forms.ChoiceField(choices=KINDS)
    file = forms.FileField(required=False)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}), label="or paste CSV")

    def payload(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read().decode("utf-8-sig", errors="replace")
        return self.cleaned_data.get("text") or ""


def first_error(form: forms.Form) -> str:
    """The form's first complaint as one sentence naming the field."""
    for field, errors in form.errors.items():
        if field in form.fields:
            return f"{form.fields[field].label or field.replace('_', ' ').capitalize()}: {errors[0]}"
        return errors[0]
    return ""
