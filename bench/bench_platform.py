"""Platform figures: GET /api/auth/me/ and the audit list (100 rows) under uvicorn, 2 workers, PostgreSQL."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    access_token,
    bench_user,
    database_url,
    load,
    queries_per_request,
    report,
    served,
    setup_django,
)


def main():
    env = setup_django(DATABASE_URL=database_url("platform"))
    from accounts.roles import OPERATOR
    from core import audit
    from core.models import AuditEntry

    user = bench_user("bench-operator", OPERATOR)
    missing = 100 - AuditEntry.objects.count()
    for _ in range(max(0, missing)):
        audit.record(user, "bench.touch", user, {"display_name": ["", "x"]})
    headers = {"Authorization": f"Bearer {access_token(user)}"}

    q_me = queries_per_request("/api/auth/me/", user)
    q_audit_10 = queries_per_request("/api/audit/", user, page_size=10)
    q_audit_100 = queries_per_request("/api/audit/", user, page_size=100)

    with served(env, workers=2) as base:
        me = load(f"{base}/api/auth/me/", headers=headers, concurrency=16, duration=10)
        audit_list = load(f"{base}/api/audit/?page_size=100", headers=headers, concurrency=16, duration=10)

    report("GET /api/auth/me/ (uvicorn, 2 workers, PostgreSQL, 16 clients, 10 s)", [
        ("requests per second", me["rps"]), ("p50 ms", me["p50_ms"]), ("p99 ms", me["p99_ms"]),
        ("statuses", me["statuses"]), ("queries per request", q_me),
    ])
    report("GET /api/audit/?page_size=100 (same setup)", [
        ("requests per second", audit_list["rps"]), ("p50 ms", audit_list["p50_ms"]),
        ("p99 ms", audit_list["p99_ms"]), ("statuses", audit_list["statuses"]),
        ("queries per request (10 rows / 100 rows)", f"{q_audit_10} / {q_audit_100}"),
    ])


if __name__ == "__main__":
    main()
