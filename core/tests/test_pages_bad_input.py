"""Staff pages have no API exception handler: odd query strings must still not be a server error."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["?type=²", "?tag=" + "9" * 30, "?location=99999999999999999999"])
def test_asset_list_page_shrugs_off_bad_ids(client, make_user, query):
    client.force_login(make_user("member"))
    assert client.get("/inventory/" + query).status_code == 200


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "not-a-date"])
def test_calendar_falls_back_to_this_week_for_impossible_weeks(client, make_user, week):
    client.force_login(make_user("member"))
    assert client.get("/scheduler/", {"week": week}).status_code == 200
