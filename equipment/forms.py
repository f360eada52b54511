"""Forms of the machine page; they only shape input, the services decide."""
from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(label="G-code file")
    # The id goes to the job service as given: which tasks a job may log hours on is its rule, not the form's.
    task = forms.IntegerField(required=False, label="Project task (machine hours are logged on it)",
                              widget=forms.Select())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].widget.choices = [("", "— no task —"), *task_choices(user)]


def task_choices(user, limit: int = 300) -> list[tuple[int, str]]:
    """Open tasks of the projects ``user`` may log work on, as (id, "project: task") pairs."""
    from projects.models import Project, Task  # read only: the choices of a select
    from projects.queries import OPEN_STATUSES, visible_projects

    if user is None:
        return []
    tasks = (Task.objects.filter(project__in=visible_projects(user), status__in=OPEN_STATUSES)
             .exclude(project__status=Project.Status.ARCHIVED)
             .select_related("project").order_by("project__name", "title")[:limit])
    return [(task.pk, f"{task.project.name}: {task.title}") for task in tasks]


class CommandForm(forms.Form):
    command = forms.ChoiceField(choices=[(c, c.replace("_", " ")) for c in
                                         ("home", "set_temperature", "jog", "fan", "gcode")])
    heater = forms.ChoiceField(choices=[("", "—"), ("hotend", "hotend"), ("bed", "bed")], required=False)
    target = forms.FloatField(required=False, label="Target °C")
    x = forms.FloatField(required=False)
    y = forms.FloatField(required=False)
    z = forms.FloatField(required=False)
    speed = forms.FloatField(required=False, label="Fan %")
    gcode = forms.CharField(required=False, max_length=2000, label="G-code (operators)")
