"""Ledger rows say whose reservation they change, so a member can release only their own."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def holders_from_actors(apps, schema_editor):
    """Rows written before this column: the reservation is taken to be the acting user's."""
    StockMovement = apps.get_model("inventory", "StockMovement")
    StockMovement.objects.exclude(allocated_change=0).update(holder=models.F("actor"))


class Migration(migrations.Migration):

    dependencies = [
        ("inventory", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="stockmovement",
            name="holder",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(holders_from_actors, migrations.RunPython.noop),
    ]
