"""The password rule: 12+ characters with upper case, lower case, a digit and a symbol."""
import string

from django.core.exceptions import ValidationError


class StrongPasswordValidator:
    """Reports every rule a password breaks, not just the first."""

    def __init__(self, min_length: int = 12):
        self.min_length = min_length

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(ValidationError(f"Use at least {self.min_length} characters.", code="password_too_short"))
        if not any(c.isupper() for c in password):
            errors.append(ValidationError("Add an upper-case letter.", code="password_no_upper"))
        if not any(c.islower() for c in password):
            errors.append(ValidationError("Add a lower-case letter.", code="password_no_lower"))
        if not any(c.isdigit() for c in password):
            errors.append(ValidationError("Add a digit.", code="password_no_digit"))
        if not any(c in string.punctuation or c.isspace() for c in password):
            errors.append(ValidationError("Add a symbol such as ! ? # or %.", code="password_no_symbol"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return f"At least {self.min_length} characters, with upper and lower case letters, a digit and a symbol."
