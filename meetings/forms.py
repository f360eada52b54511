"""Page forms: they only read what was typed; the services decide."""
import re

from django import forms

from accounts.models import User

from .models import ActionItem, Meeting

GUEST = re.compile(r"^(?P<name>[^<]+?)\s*(?:<(?P<email>[^>]+)>)?$")


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Meeting.Kind.choices, initial=Meeting.Kind.OTHER)
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    duration_minutes = forms.IntegerField(min_value=1, max_value=24 * 60, initial=30)
    attendees = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                help_text="One a line: a username, or a guest as Name <email>.")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean_attendees(self):
        """Lines become ``{"user": User}`` for known usernames and ``{"name", "email"}`` for guests."""
        lines = [line.strip() for line in self.cleaned_data["attendees"].splitlines() if line.strip()]
        users = {u.username.lower(): u for u in User.objects.filter(username__in=lines)}
        found = []
        for line in lines:
            if line.lower() in users:
                found.append({"user": users[line.lower()]})
                continue
            match = GUEST.match(line)
            email = (match["email"] or "").strip() if match else ""
            if email:
                try:
                    forms.EmailField().clean(email)
                except forms.ValidationError as exc:
                    raise forms.ValidationError(f"{email} is not an email address.") from exc
            found.append({"name": (match["name"] if match else line).strip(), "email": email})
        return found

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class UploadForm(forms.Form):
    file = forms.FileField(label="Recording (WAV, MP3, M4A, OGG or WEBM)")


class ItemReviewForm(forms.Form):
    task = forms.CharField(max_length=300)
    owner_name = forms.CharField(max_length=150, required=False, label="Owner")
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    priority = forms.ChoiceField(choices=ActionItem.Priority.choices, initial=ActionItem.Priority.MEDIUM)


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
