"""``manage.py run_agent --capability X [--capability Y]``: run the reference agent against a Benchtop site."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflows.reference_agent import ReferenceAgent


class Command(BaseCommand):
    help = "Heartbeat, claim tasks needing the given capabilities and carry out the built-in actions."

    def add_arguments(self, parser):
        parser.add_argument("--capability", action="append", required=True,
                            help="A capability this agent has (repeat for more); the key's agent must list it too.")
        parser.add_argument("--url", default=None, help="Benchtop's address (default WORKFLOWS_AGENT_URL).")
        parser.add_argument("--key", default=None, help="The agent's API key (default WORKFLOWS_AGENT_KEY).")
        parser.add_argument("--max-tasks", type=int, default=None, help="Stop after this many tasks.")
        parser.add_argument("--idle-exit", type=float, default=None, help="Stop after this many idle seconds.")
        parser.add_argument("--poll", type=float, default=1.0, help="Seconds between claims when idle.")

    def handle(self, *args, **options):
        """Parse arguments and run the agent until it is stopped or its limits are reached."""
        key = options["key"] or settings.WORKFLOWS_AGENT_KEY
        if not key:
            raise CommandError("Give the agent's API key with --key or WORKFLOWS_AGENT_KEY.")
        agent = ReferenceAgent(options["url"] or settings.WORKFLOWS_AGENT_URL, key, options["capability"],
                               poll_seconds=options["poll"],
                               out=self.stdout.write)
        self.stdout.write(f"agent for {', '.join(options['capability'])} at {agent.base}")
        try:
            done = agent.run(max_tasks=options["max_tasks"], idle_exit=options["idle_exit"])
        except KeyboardInterrupt:
            agent.stopping.set()
            done = None
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"stopped after {done} task(s)" if done is not None else "stopped")
