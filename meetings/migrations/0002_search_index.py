"""A GIN index on the meetings' search vector, where the database has one (PostgreSQL)."""
from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS meetings_meeting_search_gin ON meetings_meeting USING gin (search_vector)"
DROP = "DROP INDEX IF EXISTS meetings_meeting_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
