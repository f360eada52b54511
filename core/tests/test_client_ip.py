"""The client IP for throttling and the audit trail cannot be forged with a header."""
from core.context import client_ip


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
