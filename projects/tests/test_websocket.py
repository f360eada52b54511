"""The project topic over the one websocket: people on the project follow it, others are refused."""
import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import RefreshToken

from config.asgi import application
from projects import services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layers")]


@database_sync_to_async
def board_with_people(make_user):
    owner, teammate, stranger = make_user("member"), make_user("viewer"), make_user("member")
    project = services.create_project(owner, name="Live")
    services.add_member(owner, project, teammate)
    task = services.create_task(owner, project, title="Card")
    tokens = {name: str(RefreshToken.for_user(user).access_token)
              for name, user in (("teammate", teammate), ("stranger", stranger))}
    return owner, project, task, tokens


async def connect(token):
    communicator = WebsocketCommunicator(application, f"/ws/?token={token}",
                                         headers=[(b"origin", b"http://127.0.0.1")])
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["type"] == "authenticated"
    return communicator


async def test_a_move_reaches_people_on_the_project_and_strangers_are_refused(make_user):
    owner, project, task, tokens = await board_with_people(make_user)
    topic = f"project:{project.pk}"

    stranger = await connect(tokens["stranger"])
    await stranger.send_json_to({"action": "subscribe", "topic": topic})
    refusal = await stranger.receive_json_from()
    assert refusal["type"] == "error" and refusal["error"] == "forbidden"
    await stranger.disconnect()

    teammate = await connect(tokens["teammate"])
    await teammate.send_json_to({"action": "subscribe", "topic": topic})
    assert (await teammate.receive_json_from())["type"] == "subscribed"
    await database_sync_to_async(services.move_task)(owner, task, "review", 0)
    frame = await teammate.receive_json_from(timeout=5)
    assert frame["type"] == "task.moved" and frame["topic"] == topic
    assert frame["data"]["task"]["id"] == task.pk and frame["data"]["status"] == "review"
    await teammate.disconnect()
