"""Forms of the workflows pages: shape only; the services decide."""
from django import forms

from .models import Workflow


class StartForm(forms.Form):
    workflow = forms.ModelChoiceField(queryset=Workflow.objects.filter(enabled=True).order_by("name"),
                                      empty_label="Choose a workflow")


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, label="Comment")


class DecisionForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000, label="Note")


class AgentForm(forms.Form):
    name = forms.CharField(max_length=100)
    capabilities = forms.CharField(help_text="Comma-separated, e.g. lab.http, exports")
    role = forms.ChoiceField(choices=[("member", "member"), ("viewer", "viewer"), ("operator", "operator")],
                             label="Key role")

    def clean_capabilities(self):
        return [part.strip() for part in self.cleaned_data["capabilities"].split(",") if part.strip()]
