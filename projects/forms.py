"""Page forms: they shape what a person typed; the services decide whether it may happen."""
from django import forms
from django.contrib.auth import get_user_model

from inventory.models import Location, Material

from .models import Project, Task


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=150)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200)
    priority = forms.ChoiceField(choices=Task.Priority.choices, initial=Task.Priority.MEDIUM)
    status = forms.ChoiceField(choices=Task.Status.choices, initial=Task.Status.TODO)
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    estimated_hours = forms.DecimalField(required=False, min_value=0, max_digits=7, decimal_places=2)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["assignee"].queryset = people


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class WorkLogForm(forms.Form):
    hours = forms.DecimalField(max_digits=7, decimal_places=2)
    note = forms.CharField(max_length=255, required=False)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class LinkForm(forms.Form):
    booking = forms.IntegerField(required=False, min_value=1, label="Booking number")
    asset = forms.IntegerField(required=False, min_value=1, label="Asset number")


class UploadForm(forms.Form):
    file = forms.FileField()
    folder = forms.CharField(max_length=255, required=False)
    change_notes = forms.CharField(max_length=500, required=False)


class BomLineForm(forms.Form):
    material = forms.ModelChoiceField(queryset=Material.objects.order_by("name"))
    location = forms.ModelChoiceField(queryset=Location.objects.order_by("full_name"), required=False)
    required_quantity = forms.DecimalField(max_digits=14, decimal_places=3)
    critical = forms.BooleanField(required=False)


class QuantityForm(forms.Form):
    quantity = forms.DecimalField(max_digits=14, decimal_places=3)


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)


class TaskEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    priority = forms.ChoiceField(choices=Task.Priority.choices)
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    estimated_hours = forms.DecimalField(required=False, min_value=0, max_digits=7, decimal_places=2)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["assignee"].queryset = people


class ProjectEditForm(forms.Form):
    name = forms.CharField(max_length=150)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    status = forms.ChoiceField(choices=[(v, label) for v, label in Project.Status.choices if v != "archived"])
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
