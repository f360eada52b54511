"""Events get a position given at commit, so positions follow commit order (see core.events)."""
from django.db import migrations, models


def number_existing_events(apps, schema_editor):
    """Events stored before positions existed keep their id as position; PostgreSQL gets the sequence."""
    Event = apps.get_model("core", "Event")
    Event.objects.update(position=models.F("id"))
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("CREATE SEQUENCE IF NOT EXISTS core_event_position_seq")
            cursor.execute("SELECT setval('core_event_position_seq', COALESCE(MAX(position), 0) + 1, false) "
                           "FROM core_event")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS core_event_position_seq")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="event",
            name="core_event_topic_4bb6a6_idx",
        ),
        migrations.AddField(
            model_name="event",
            name="position",
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["topic", "position"], name="core_event_topic_639920_idx"),
        ),
        migrations.RunPython(number_existing_events, drop_sequence),
    ]
