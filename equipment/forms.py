"""Forms of the machine page; they only shape input, the services decide."""
from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(label="G-code file")


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
