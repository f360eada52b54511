"""The client IP for throttling and the audit trail cannot be forged with a header."""
from core.context import client_ip
from core.testing import clear_cache


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip({"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "10.0.0.1"}) == "198.51.100.7"


def test_a_trusted_proxy_passes_on_the_right_most_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}
    assert client_ip(meta) == "203.0.113.9"  # 6.6.6.6 is what the client claimed; the proxy saw 203.0.113.9


def test_junk_in_the_header_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-ip"}) == "127.0.0.1"


def test_the_api_throttle_cannot_be_dodged_by_rotating_forwarded_for(settings, monkeypatch, db):
    from rest_framework.test import APIClient

    from core.api.throttles import AnonThrottle

    clear_cache()
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {**AnonThrottle.THROTTLE_RATES, "anon": "3/minute"})
    settings.TRUSTED_PROXIES = []
    client = APIClient()

    def ask(forwarded):
        return client.post("/api/auth/password/reset/", {"email": "nobody@example.org"},
                           HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [ask(f"10.0.0.{n}") for n in range(4)] == [200, 200, 200, 429]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # behind our proxy, each real client has its own allowance
    assert ask("203.0.113.9") == 200
