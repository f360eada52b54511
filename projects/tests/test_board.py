"""The board: tasks sit in one column at one place, and moves keep every column 0..n-1."""
import pytest

from core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from projects import services
from projects.models import Task

pytestmark = pytest.mark.django_db


def columns(project):
    """``{status: [task titles top to bottom]}`` with a check that positions are 0..n-1."""
    result = {}
    for status in Task.Status.values:
        rows = list(Task.objects.filter(project=project, status=status).order_by("position"))
        assert [t.position for t in rows] == list(range(len(rows))), status
        result[status] = [t.title for t in rows]
    return result


@pytest.fixture
def board(make_user):
    owner = make_user("member")
    project = services.create_project(owner, name="Rover")
    for title in "ABCD":
        services.create_task(owner, project, title=title)
    return owner, project


def task(project, title):
    return Task.objects.get(project=project, title=title)


def test_new_tasks_go_to_the_bottom_of_their_column(board):
    owner, project = board
    services.create_task(owner, project, title="R", status="review")
    assert columns(project)["todo"] == list("ABCD")
    assert columns(project)["review"] == ["R"]


def test_moving_down_and_up_within_a_column_keeps_it_dense(board):
    owner, project = board
    services.move_task(owner, task(project, "A"), "todo", 2)
    assert columns(project)["todo"] == list("BCAD")
    services.move_task(owner, task(project, "D"), "todo", 0)
    assert columns(project)["todo"] == list("DBCA")


def test_moving_between_columns_closes_the_gap_and_opens_a_place(board):
    owner, project = board
    services.move_task(owner, task(project, "B"), "in_progress", 0)
    services.move_task(owner, task(project, "C"), "in_progress", 0)
    services.move_task(owner, task(project, "A"), "in_progress", 1)
    cols = columns(project)
    assert cols["todo"] == ["D"]
    assert cols["in_progress"] == ["C", "A", "B"]


def test_a_position_past_the_end_puts_the_card_last(board):
    owner, project = board
    services.move_task(owner, task(project, "A"), "todo", 99)
    services.move_task(owner, task(project, "B"), "done", 99)
    assert columns(project)["todo"] == list("CDA")
    assert columns(project)["done"] == ["B"]


def test_entering_done_stamps_completed_at_and_leaving_clears_it(board):
    owner, project = board
    moved = services.move_task(owner, task(project, "A"), "done", 0)
    assert moved.completed_at is not None
    back = services.move_task(owner, task(project, "A"), "review", 0)
    assert back.completed_at is None


def test_a_status_outside_the_one_set_is_refused(board):
    owner, project = board
    with pytest.raises(RuleViolation, match="status must be one of"):
        services.move_task(owner, task(project, "A"), "blocked", 0)
    with pytest.raises(RuleViolation, match="position"):
        services.move_task(owner, task(project, "A"), "todo", -1)


def test_deleting_a_task_closes_the_gap(board):
    owner, project = board
    services.delete_task(owner, task(project, "B"))
    assert columns(project)["todo"] == list("ACD")


def test_a_stranger_cannot_see_or_move_cards(board, make_user):
    _, project = board
    stranger = make_user("member")
    with pytest.raises(NotFound):
        services.move_task(stranger, task(project, "A"), "done", 0)
    with pytest.raises(NotFound):
        services.create_task(stranger, project, title="X")


def test_a_viewer_on_the_project_reads_but_cannot_move(board, make_user):
    owner, project = board
    viewer = make_user("viewer")
    services.add_member(owner, project, viewer)
    with pytest.raises(PermissionDenied):
        services.move_task(viewer, task(project, "A"), "done", 0)


def test_an_archived_project_keeps_its_board_still(board):
    owner, project = board
    services.archive_project(owner, project)
    with pytest.raises(Conflict, match="archived"):
        services.move_task(owner, task(project, "A"), "done", 0)
    services.restore_project(owner, project)
    services.move_task(owner, task(project, "A"), "done", 0)
    assert columns(project)["done"] == ["A"]


def test_deleting_a_task_takes_its_subtasks_and_closes_every_gap(board):
    owner, project = board
    parent = task(project, "B")
    services.create_task(owner, project, title="B1", parent=parent, status="review")
    services.create_task(owner, project, title="R", status="review")
    services.create_task(owner, project, title="B2", parent=parent)
    services.delete_task(owner, parent)
    cols = columns(project)
    assert cols["todo"] == list("ACD") and cols["review"] == ["R"]
