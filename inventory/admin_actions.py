"""Admin actions that ask for a few values first: check out, receive, consume.

Each shows a small form for the selected rows, then calls the inventory service once per row;
a refusal is reported as a message naming the row, and the rows that passed stay done.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.shortcuts import render

from core.errors import DomainError

from . import services
from .models import Location


class CheckOutAdminForm(forms.Form):
    to_user = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
                                     required=False, help_text="Leave empty to check out to yourself.")
    expected_return = forms.DateField(required=False, help_text="YYYY-MM-DD")
    notes = forms.CharField(required=False, max_length=500)


class StockAdminForm(forms.Form):
    quantity = forms.DecimalField(min_value=0, decimal_places=3, max_digits=14)
    location = forms.ModelChoiceField(queryset=Location.objects.order_by("full_name"), required=False,
                                      help_text="Needed to receive; to consume, leave empty to take from anywhere.")
    reason = forms.CharField(required=False, max_length=200)


def _with_form(modeladmin, request, queryset, form_class, action: str, title: str, apply_one):
    """Show ``form_class`` for the selection, then ``apply_one(obj, cleaned_data)`` for each row."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = 0
        for obj in queryset:
            try:
                apply_one(obj, form.cleaned_data)
                done += 1
            except DomainError as exc:
                modeladmin.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)
        modeladmin.message_user(request, f"{title}: {done} of {len(queryset)} done.",
                                messages.SUCCESS if done else messages.WARNING)
        return None
    return render(request, "inventory/admin_action_form.html", {
        "form": form, "items": queryset, "opts": modeladmin.model._meta, "action": action, "title": title,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, **modeladmin.admin_site.each_context(request)})


@admin.action(description="Check out the selected assets")
def check_out(modeladmin, request, queryset):
    """Lend each selected asset to a person (or oneself) through ``check_out_asset``."""
    return _with_form(modeladmin, request, queryset, CheckOutAdminForm, "check_out", "Check out",
                      lambda asset, d: services.check_out_asset(request.user, asset, to_user=d["to_user"],
                                                                expected_return=d["expected_return"],
                                                                notes=d["notes"]))


@admin.action(description="Receive stock of the selected materials")
def receive(modeladmin, request, queryset):
    """Book stock in for each selected material through ``receive_stock``."""
    def apply_one(material, d):
        if d["location"] is None:
            raise DomainError("Choose the location the stock arrives at.")
        services.receive_stock(request.user, material, d["quantity"], location=d["location"], reason=d["reason"])
    return _with_form(modeladmin, request, queryset, StockAdminForm, "receive", "Receive", apply_one)


@admin.action(description="Consume stock of the selected materials")
def consume(modeladmin, request, queryset):
    """Take stock out for good for each selected material through ``consume_stock``."""
    return _with_form(modeladmin, request, queryset, StockAdminForm, "consume", "Consume",
                      lambda material, d: services.consume_stock(request.user, material, d["quantity"],
                                                                 location=d["location"], reason=d["reason"]))
