"""Every change to users, roles, passwords, logins and API keys; each door calls these.

``from accounts import services`` gives all of them: accounts in ``users``, logins and
their throttle in ``logins``, passwords and resets in ``passwords``, keys in ``api_keys``.
"""
from .api_keys import api_keys_visible_to, create_api_key, require_interactive_login, revoke_api_key
from .logins import LOGIN_WINDOW_SECONDS, BadCredentials, TooManyAttempts, account_named, login, logout
from .passwords import (
    InvalidResetLink,
    change_password,
    check_password_reset_link,
    check_password_rules,
    confirm_password_reset,
    password_errors,
    request_password_reset,
    reset_link,
    set_password,
)
from .users import (
    ADMIN_FIELDS,
    PROFILE_FIELDS,
    bootstrap_user,
    check_new_user,
    check_user_changes,
    create_user,
    delete_user,
    normalise_email,
    register_user,
    set_role,
    update_profile,
    update_user,
)

__all__ = [
    "ADMIN_FIELDS", "LOGIN_WINDOW_SECONDS", "PROFILE_FIELDS", "BadCredentials", "InvalidResetLink",
    "TooManyAttempts", "account_named", "api_keys_visible_to", "bootstrap_user", "change_password", "check_new_user",
    "check_password_reset_link", "check_password_rules", "check_user_changes", "confirm_password_reset",
    "create_api_key", "create_user", "delete_user", "login", "logout", "normalise_email", "password_errors",
    "register_user", "request_password_reset", "require_interactive_login", "reset_link", "revoke_api_key",
    "set_password", "set_role", "update_profile", "update_user",
]
