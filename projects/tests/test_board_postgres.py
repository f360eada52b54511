"""PostgreSQL: concurrent moves in one project leave every column dense, in a consistent order."""
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, connections, transaction

from projects import services
from projects.models import Task


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_keep_columns_dense(make_user):
    owner = make_user("member")
    project = services.create_project(owner, name="Race")
    ids = [services.create_task(owner, project, title=f"T{n}").pk for n in range(30)]
    rng = random.Random(7)
    moves = [(rng.choice(ids), rng.choice(["todo", "in_progress", "review", "done"]), rng.randint(0, 12))
             for _ in range(120)]

    def move(args):
        task_id, status, position = args
        try:
            services.move_task(owner, Task.objects.get(pk=task_id), status, position)
            return "ok"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(move, moves))

    assert connection.vendor == "postgresql"
    assert results.count("ok") == len(moves)
    seen = []
    for status in Task.Status.values:
        positions = list(Task.objects.filter(project=project, status=status).order_by("position")
                         .values_list("position", flat=True))
        assert positions == list(range(len(positions))), status
        seen += list(Task.objects.filter(project=project, status=status).values_list("pk", flat=True))
    assert sorted(seen) == sorted(ids)


@pytest.mark.full("postgres")
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_two_cards_in_one_place(make_user):
    owner = make_user("member")
    project = services.create_project(owner, name="Guard")
    a = services.create_task(owner, project, title="A")
    services.create_task(owner, project, title="B")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=a.pk).update(position=1)
