"""One rule for who takes notifications by which channel, used by the scheduler and the inventory alike."""
import pytest

from inventory.notifications import operator_emails


@pytest.mark.django_db
def test_unset_choices_fall_back_to_email_yes_discord_no_and_a_disabled_account_hears_nothing(make_user):
    unset = make_user("operator", notification_preferences={})
    quiet = make_user("operator", notification_preferences={"email": False, "discord": True})
    gone = make_user("operator", is_active=False)
    assert (unset.wants("email"), unset.wants("discord")) == (True, False)
    assert (quiet.wants("email"), quiet.wants("discord")) == (False, True)
    assert not gone.wants("email")
    assert operator_emails() == [unset.email]
