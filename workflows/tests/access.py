"""Access rows for every workflows endpoint (see core.testing)."""
from core.testing import Row, allowed_from

from .factories import make_agent, make_workflow, operator, start, step

B = "/api/workflows/"


def _workflow(user=None):
    return make_workflow()


def _run(user=None):
    return start(make_workflow())


def _suggestion(user=None):
    from workflows import services

    from .factories import key_user

    agent, _ = make_agent()
    return services.make_suggestion(key_user(agent), agent, action="Restock gloves", confidence=0.8)


def _trigger(user=None):
    from workflows import services

    return services.create_trigger(operator(), make_workflow(), name="low stock", topic="inventory")


def _own_agent(user):
    """An agent whose key the caller issued when the caller may create agents (rotating needs the key's owner)."""
    from accounts.roles import OPERATOR, has_role

    return make_agent(actor=user if user is not None and has_role(user, OPERATOR) else None)[0]


def anyone(ok=200):
    return allowed_from("viewer", ok=ok)


def members(ok=200):
    return allowed_from("member", ok=ok)


def operators(ok=200):
    return allowed_from("operator", ok=ok)


def agents_only():
    """Agent endpoints: people's logins are refused (403), only an agent's key gets in."""
    return {"anonymous": 401, "viewer": 403, "member": 403, "operator": 403, "admin": 403}


ACCESS = [
    Row("GET", f"{B}workflows/", anyone()),
    Row("POST", f"{B}workflows/", operators(201), body=lambda u: {"name": f"wf {id(u)}", "steps": [step()]}),
    Row("GET", lambda u: f"{B}workflows/{_workflow().pk}/", anyone()),
    Row("PATCH", lambda u: f"{B}workflows/{_workflow().pk}/", operators(), body={"description": "x"}),
    Row("DELETE", lambda u: f"{B}workflows/{_workflow().pk}/", operators(204)),
    Row("POST", lambda u: f"{B}workflows/{_workflow().pk}/start/", members(201), body={}),
    Row("POST", lambda u: f"{B}workflows/{_workflow().pk}/schedule/", operators(), body={"cron": "0 6 * * 1"}),
    Row("GET", f"{B}runs/", anyone()),
    Row("GET", lambda u: f"{B}runs/{_run().pk}/", anyone()),
    Row("POST", lambda u: f"{B}runs/{_run().pk}/cancel/", members(), body={}),
    Row("POST", lambda u: f"{B}runs/{_run().pk}/pause/", members(), body={}),
    Row("POST", lambda u: f"{B}runs/{_run().pk}/resume/", members(409), body={}),
    Row("POST", lambda u: f"{B}runs/{_run().pk}/retry/", members(409), body={}),
    Row("GET", lambda u: f"{B}runs/{_run().pk}/logs/", anyone()),
    Row("GET", lambda u: f"{B}runs/{_run().pk}/comments/", anyone()),
    Row("POST", lambda u: f"{B}runs/{_run().pk}/comments/", members(201), body={"body": "looks fine"}),
    Row("GET", f"{B}timeline/", anyone()),
    Row("GET", f"{B}agents/", anyone()),
    Row("POST", f"{B}agents/", operators(201), body=lambda u: {"name": f"a{id(u)}", "capabilities": ["lab.http"]}),
    Row("GET", lambda u: f"{B}agents/{make_agent()[0].pk}/", anyone()),
    Row("PATCH", lambda u: f"{B}agents/{_own_agent(u).pk}/", operators(), body={"capabilities": ["exports"]}),
    Row("POST", lambda u: f"{B}agents/{_own_agent(u).pk}/rotate-key/", operators()),
    Row("GET", f"{B}suggestions/", anyone()),
    Row("POST", lambda u: f"{B}suggestions/{_suggestion().pk}/approve/", operators(), body={}),
    Row("POST", lambda u: f"{B}suggestions/{_suggestion().pk}/reject/", operators(), body={"note": "no"}),
    Row("GET", f"{B}triggers/", anyone()),
    Row("POST", f"{B}triggers/", operators(201),
        body=lambda u: {"workflow": _workflow().pk, "name": "low stock", "topic": "inventory",
                        "event_type": "material.low_stock"}),
    Row("PATCH", lambda u: f"{B}triggers/{_trigger().pk}/", operators(), body={"cooldown_seconds": 60}),
    Row("POST", f"{B}agent/heartbeat/", agents_only()),
    Row("POST", f"{B}agent/claim/", agents_only()),
    Row("POST", lambda u: f"{B}agent/tasks/{_run().tasks.first().pk}/progress/", agents_only(), body={"progress": 5}),
    Row("POST", lambda u: f"{B}agent/tasks/{_run().tasks.first().pk}/logs/", agents_only(), body={"lines": ["x"]}),
    Row("POST", lambda u: f"{B}agent/tasks/{_run().tasks.first().pk}/complete/", agents_only(), body={}),
    Row("POST", lambda u: f"{B}agent/tasks/{_run().tasks.first().pk}/fail/", agents_only(), body={"error": "x"}),
    Row("POST", f"{B}agent/suggestions/", agents_only(), body={"action": "x", "confidence": 0.5}),
    Row("POST", lambda u: f"{B}agent/runs/{_run().pk}/comments/", agents_only(), body={"body": "x"}),
]
