"""Event types the accounts app publishes on the bus."""

USER_REGISTERED = "user.registered"
"""Someone signed up (topic ``system``); operators see it to assign a role."""
