"""Two confirmed bookings of one device never overlap: an exclusion constraint, on PostgreSQL only.

Both operations do nothing on other databases (see scheduler.dbops), where the
same rule is held under a lock in the services.
"""
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from scheduler.dbops import AddPostgresConstraint


class Migration(migrations.Migration):

    dependencies = [
        ("scheduler", "0001_initial"),
    ]

    operations = [
        BtreeGistExtension(),
        AddPostgresConstraint("booking", "confirmed_no_overlap"),
    ]
