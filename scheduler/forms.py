"""Page forms of the scheduler: they parse what a person typed; the services decide the rest."""
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy

from .models import Device

LOCAL_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

REPEAT_CHOICES = [
    ("", "Does not repeat"),
    ("FREQ=DAILY;COUNT=5", "Every day, 5 times"),
    ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=5", "Every weekday for a week"),
    ("FREQ=WEEKLY;COUNT=4", "Every week, 4 times"),
    ("FREQ=WEEKLY;COUNT=8", "Every week, 8 times"),
]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class BookingRequestForm(forms.Form):
    """A booking request as typed on the calendar: times are in the user's own time zone."""

    # Choosing another device asks the server which linked devices it would book too.
    device = forms.ModelChoiceField(queryset=Device.objects.order_by("name"), widget=forms.Select(attrs={
        "hx-get": reverse_lazy("scheduler:linked-hint"), "hx-trigger": "change", "hx-target": "#linked-hint",
        "hx-swap": "innerHTML"}))
    start = forms.DateTimeField(input_formats=LOCAL_INPUT, widget=LocalDateTimeInput())
    end = forms.DateTimeField(input_formats=LOCAL_INPUT, widget=LocalDateTimeInput())
    collaborators = forms.ModelMultipleChoiceField(queryset=get_user_model().objects.filter(is_active=True),
                                                   required=False)
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    repeat = forms.ChoiceField(choices=REPEAT_CHOICES, required=False)
    rule = forms.CharField(required=False, max_length=300, label="or a repeat rule of your own",
                           help_text="RFC 5545, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=6")

    def repeat_rule(self) -> str:
        return (self.cleaned_data.get("rule") or "").strip() or self.cleaned_data.get("repeat") or ""


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300)


class ExtendForm(forms.Form):
    end = forms.DateTimeField(input_formats=LOCAL_INPUT, widget=LocalDateTimeInput())


class RebookForm(forms.Form):
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


def first_error(form: forms.Form) -> str:
    """The form's first complaint as one sentence naming the field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.replace("_", " ").capitalize() if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else errors[0]
    return ""
