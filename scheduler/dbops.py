"""Database rules that only PostgreSQL can hold, added by migration without touching model state.

The exclusion constraint "no two confirmed bookings of one device overlap"
is a ``django.contrib.postgres`` ``ExclusionConstraint``. It is kept out of
``Booking.Meta.constraints`` on purpose: SQLite rebuilds a table for many
schema changes and would then try to emit ``EXCLUDE USING gist`` itself, and
model validation would run range lookups SQLite does not have. So the
migration adds it through ``AddPostgresConstraint``, which changes nothing
in the migration state and does nothing on other databases; the embedded
mode holds the same rule under a lock in ``scheduler.services``.
"""
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db.migrations.operations.base import Operation
from django.db.models import F, Func, Q

CONFIRMED_NO_OVERLAP = "booking_confirmed_no_overlap"


class TsTzRange(Func):
    """``tstzrange(start, end, '[)')``: half-open, so back-to-back bookings do not clash."""

    function = "TSTZRANGE"


def confirmed_no_overlap() -> ExclusionConstraint:
    """The exclusion constraint over (device =, [start, end) &&) for confirmed bookings."""
    return ExclusionConstraint(
        name=CONFIRMED_NO_OVERLAP,
        expressions=[
            (F("device"), RangeOperators.EQUAL),
            (TsTzRange(F("start"), F("end"), template="%(function)s(%(expressions)s, '[)')"),
             RangeOperators.OVERLAPS),
        ],
        condition=Q(status="confirmed"),
    )


class AddPostgresConstraint(Operation):
    """Add a constraint to a model's table on PostgreSQL only; the migration state is left alone."""

    reversible = True

    def __init__(self, model_name: str, constraint_factory: str):
        self.model_name = model_name
        self.constraint_factory = constraint_factory

    def _constraint(self):
        return globals()[self.constraint_factory]()

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.add_constraint(model, self._constraint())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        schema_editor.remove_constraint(model, self._constraint())

    def describe(self):
        return f"Add {self.constraint_factory} to {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name, self.constraint_factory], {}
