"""GET /health: every dependency with its latency; 503 when a configured one is down."""
import pytest

pytestmark = pytest.mark.django_db


def test_embedded_mode_is_healthy_and_says_what_is_not_configured(client, settings):
    settings.MQTT_URL = ""
    settings.REDIS_URL = ""
    response = client.get("/health")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] == "ok"
    assert checks["channel_layer"]["status"] == "ok"
    assert checks["mqtt"]["status"] == "not configured"
    assert checks["database"]["latency_ms"] >= 0


def test_an_unreachable_mqtt_broker_makes_it_503(client, settings):
    settings.MQTT_URL = "mqtt://127.0.0.1:9"  # nothing listens on the discard port
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["mqtt"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.full("postgres", "redis", "mqtt")
def test_full_mode_reaches_every_real_service(client):
    response = client.get("/health")
    checks = response.json()["checks"]
    assert response.status_code == 200, checks
    assert checks["database"]["detail"] == "postgresql"
    assert checks["channel_layer"]["detail"] == "RedisChannelLayer"
    assert checks["broker"]["status"] == "ok"
    assert checks["mqtt"]["status"] == "ok"


def test_metrics_are_exposed_for_prometheus(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method_total" in response.content


def _sample(text: str, name: str, **labels) -> float:
    """The value of one series in Prometheus' text format (0 when it is not there yet)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_each_answer_is_counted_by_status_view_and_method_and_timed(client):
    series = "django_http_responses_total_by_status_view_method_total"
    labels = {"status": "401", "view": "auth:me", "method": "GET"}
    before = client.get("/metrics").content.decode()
    for _ in range(3):
        assert client.get("/api/auth/me/").status_code == 401
    after = client.get("/metrics").content.decode()
    assert _sample(after, series, **labels) - _sample(before, series, **labels) == 3
    timed = "django_http_requests_latency_seconds_by_view_method_count"
    assert _sample(after, timed, view="auth:me", method="GET") - _sample(
        before, timed, view="auth:me", method="GET") == 3
