"""Meeting search latency with 10 000 meetings in PostgreSQL (weighted full text, GIN index).

Fills its own database (``bt_meet_bench``) once, then times ``search_meetings`` as an operator
(who sees every meeting) and as a member (who sees only the meetings they attended): p50 and
p95 over repeated queries, and the plan's use of the GIN index.
"""
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bt_meet_bench")

from bench.common import setup_django  # noqa: E402

MEETINGS = 10_000
TOPICS = ["spectrometer calibration", "centrifuge rotor", "laser cutter chiller", "fume hood airflow",
          "cryostat helium",
          "nitrile gloves order", "confocal microscope booking", "print farm nozzles", "cleanroom particle counts",
          "band saw blade", "grant report draft", "freezer alarm", "solvent cabinet labels", "eyewash station"]
WORDS = ("the we will check order replace clean book review update schedule team lab sample week friday monday "
         "tomorrow supplier vendor service contract training safety budget quote").split()
QUERIES = ["spectrometer", "helium cryostat", "\"band saw\"", "nozzles -laser", "freezer alarm friday", "gloves"]


def _text(rng, topic, words):
    return " ".join([topic] + rng.choices(WORDS, k=words))


def fill():
    from django.utils import timezone

    from accounts.models import User
    from meetings.models import Attendee, Meeting
    from meetings.services import rebuild_search

    if Meeting.objects.count() >= MEETINGS:
        return
    rng = random.Random(7)
    member, _ = User.objects.get_or_create(username="bench-member", defaults={"email": "m@example.org"})
    now = timezone.now()
    rows = [Meeting(title=f"{rng.choice(TOPICS).title()} {n}", kind="standup", starts_at=now - timedelta(hours=n),
                    agenda=_text(rng, rng.choice(TOPICS), 10), notes=_text(rng, rng.choice(TOPICS), 40),
                    transcript=_text(rng, rng.choice(TOPICS), 600)) for n in range(MEETINGS)]
    Meeting.objects.bulk_create(rows, batch_size=1000)
    attended = Meeting.objects.order_by("id").values_list("id", flat=True)[: MEETINGS // 20]
    Attendee.objects.bulk_create([Attendee(meeting_id=pk, user=member, name="bench-member") for pk in attended])
    began = time.perf_counter()
    rebuild_search()
    print(f"rebuild_search for {MEETINGS} meetings: {time.perf_counter() - began:.1f} s")


def timed(user, repeat=20):
    from meetings.services import search_meetings

    samples = []
    for _ in range(repeat):
        for query in QUERIES:
            began = time.perf_counter()
            search_meetings(user, query)
            samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main():
    setup_django()
    from django.db import connection

    from accounts.models import User
    from accounts.tests.factories import UserFactory

    fill()
    operator = User.objects.filter(username="bench-operator").first() or UserFactory(
        username="bench-operator", role="operator")
    from django.contrib.auth.models import Group

    member = User.objects.get(username="bench-member")
    member.groups.add(Group.objects.get_or_create(name="member")[0])
    for label, user in (("operator (all 10 000)", operator), ("member (500 attended)", member)):
        p50, p95 = timed(user)
        print(f"search as {label}: p50 {p50:.1f} ms  p95 {p95:.1f} ms over {len(QUERIES)} queries x 20")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT id FROM meetings_meeting WHERE search_vector @@ "
                       "websearch_to_tsquery('english', 'cryostat helium')")
        plan = " ".join(row[0] for row in cursor.fetchall())
    print("GIN index used:", "meetings_meeting_search_gin" in plan)


if __name__ == "__main__":
    main()
