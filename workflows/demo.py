"""Demo workflows, an agent, runs, a trigger and a suggestion, made through the services."""
from accounts.demo import get_demo_user
from accounts.roles import MEMBER, OPERATOR

from . import services
from .models import Agent, Run, Suggestion, Trigger, Workflow

WORKFLOWS = [
    {"name": "Nightly stock export", "description": "Export the stock list as CSV for the purchasing sheet.",
     "steps": [{"name": "Export stock CSV", "capability": "exports",
                "parameters": {"action": "benchtop_call", "call": "export_stock_csv"}, "retries": 2}]},
    {"name": "Check the lab web services", "description": "Wait for the instruments to settle, then check health.",
     "steps": [{"name": "Settle", "capability": "lab.http", "parameters": {"action": "wait", "seconds": 2}},
               {"name": "Health check", "capability": "lab.http",
                "parameters": {"action": "http_check", "url": "http://127.0.0.1:8000/health"},
                "retries": 3, "backoff_seconds": 5}]},
]


def seed(stdout):
    """Two workflows, a reference agent, a few runs, a low-stock trigger and a pending suggestion."""
    operator, member = get_demo_user(OPERATOR), get_demo_user(MEMBER)
    for spec in WORKFLOWS:
        if not Workflow.objects.filter(name=spec["name"]).exists():
            services.create_workflow(operator, **spec)
    export, check = (Workflow.objects.get(name=spec["name"]) for spec in WORKFLOWS)
    if not Agent.objects.filter(name="reference agent").exists():
        agent, secret = services.create_agent(operator, name="reference agent", capabilities=["exports", "lab.http"])
        stdout.write(f"  demo agent key (shown once): {secret}")
        stdout.write("  run it: manage.py run_agent --capability exports --capability lab.http --key <key>")
    if not Agent.objects.filter(name="print-room agent").exists():
        services.create_agent(operator, name="print-room agent", capabilities=["printing"])
    agent = Agent.objects.get(name="reference agent")
    if not Run.objects.filter(source="workflows").exists():
        services.start_workflow(member, check)
        services.start_workflow(member, export)
    if not Trigger.objects.exists():
        services.create_trigger(operator, export, name="Stock fell below its reorder level", topic="inventory",
                                event_type="material.low_stock", cooldown_seconds=3600)
        services.create_trigger(operator, check, name="Device status changed", topic="scheduler",
                                event_type="device.changed", cooldown_seconds=600)
    if not Suggestion.objects.exists():
        user = agent.api_key.user
        user.api_key = agent.api_key
        services.make_suggestion(user, agent, action="Export stock before the Monday order", confidence=0.72,
                                 reasoning="Three materials are near their reorder level.", workflow=export)
        services.make_suggestion(user, agent, action="Re-run the health check", confidence=0.4,
                                 reasoning="The last check was slow.", workflow=check)
    if not Run.objects.exclude(source="workflows").exists():
        services.report_activity(None, source="equipment", reference="job-demo-1", title="Print: gripper bracket",
                                 state="running", progress=40)
        services.report_activity(None, source="meetings", reference="transcription-demo-1",
                                 title="Transcribe: weekly lab meeting", state="completed")
    stdout.write("  workflows: demo workflows, agent, runs, triggers and suggestions")
