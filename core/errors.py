"""Domain errors raised by services.

A service raises one of these when a rule says no; the API's exception
handler renders it as ``{"error": code, "detail": message, "fields": {...}}``
with the status below, and staff pages show ``detail`` as a message.
"""


class DomainError(Exception):
    """Base of every rule violation a service reports to its caller."""

    status_code = 400
    code = "invalid"

    def __init__(self, detail: str, *, code: str | None = None, fields: dict | None = None, **extra):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.fields = fields or {}
        self.extra = extra

    def as_dict(self) -> dict:
        """The JSON body the API sends for this error."""
        body = {"error": self.code, "detail": self.detail, "fields": self.fields}
        body.update(self.extra)
        return body


class RuleViolation(DomainError):
    """The request breaks a rule (policy, validation across fields): 400."""


class PermissionDenied(DomainError):
    """The actor may not do this: 403."""

    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    """The object does not exist or is not visible to the actor: 404."""

    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (a taken slot, short stock): 409."""

    status_code = 409
    code = "conflict"


def check_fields(instance, *, exclude=None) -> None:
    """Run a model's own field checks (lengths, choices, ranges, uniqueness) before a service saves it.

    A bad value becomes a RuleViolation (400) and a value another row already holds a Conflict
    (409), each naming the field; ``core.validation.check_limits`` then refuses absurd texts,
    numbers and dates, so every door reports it the same way instead of the
    database refusing it later as an error nobody can read.
    """
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    from .validation import check_limits

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        fields = exc.message_dict
        name, messages = next(iter(fields.items()))
        taken = any(error.code == "unique" for errors in exc.error_dict.values() for error in errors)
        error = Conflict if taken else RuleViolation
        raise error(messages[0] if name == NON_FIELD_ERRORS else f"{name}: {messages[0]}", fields=fields)
    # Then what the database would store although absurd: lengths, signs, date ranges.
    check_limits(instance, exclude=exclude or ())
