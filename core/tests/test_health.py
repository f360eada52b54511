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
