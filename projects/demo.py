"""Demo projects: a printer upgrade and a sensor rig, with tasks on the board, a BOM and files."""
import base64
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import roles
from accounts.demo import get_demo_user
from inventory.models import Material

from . import services
from .models import Project, Task, Team

# A 1x1 PNG, so the demo has an image to preview.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
                         "awAAAABJRU5ErkJggg==")


def seed(stdout):
    """Create the demo projects once; a second run finds them and changes nothing."""
    member, operator = get_demo_user(roles.MEMBER), get_demo_user(roles.OPERATOR)
    viewer = get_demo_user(roles.VIEWER)
    today = timezone.localdate()
    team = Team.objects.filter(name="Fabrication").first()
    if team is None:
        team = services.create_team(member, name="Fabrication", description="Printers, laser and CNC work.")
        services.add_team_member(member, team, operator, "admin")
    if not Project.objects.filter(name="Printer upgrade").exists():
        project = services.create_project(member, name="Printer upgrade", team=team, start_date=today,
                                          due_date=today + timedelta(days=30), tags=["printers", "hardware"],
                                          description="New hotends and enclosures for the lab printers.")
        services.add_member(member, project, viewer)
        tasks = {}
        for title, status, priority, hours, due in [
            ("Order hotends", "done", "high", "1", -3), ("Print enclosure panels", "in_progress", "medium", "12", 5),
            ("Fit enclosure", "todo", "medium", "4", 10), ("Calibrate after upgrade", "todo", "high", "3", 14),
            ("Write upgrade notes", "review", "low", "2", 7), ("Try silicone socks", "cancelled", "low", "1", None),
        ]:
            tasks[title] = services.create_task(
                member, project, title=title, status=status, priority=priority, estimated_hours=hours,
                assignee=member if status != "cancelled" else None,
                due_date=today + timedelta(days=due) if due is not None else None)
        services.create_task(member, project, title="Left panel", parent=tasks["Print enclosure panels"])
        services.log_work(member, tasks["Order hotends"], hours="1.5", note="Compared suppliers")
        services.add_comment(operator, tasks["Fit enclosure"], "Leave room for the cable chain.")
        pla = Material.objects.filter(sku="PLA-BLK").first()
        screws = Material.objects.filter(sku="M3-12").first()
        if pla and screws:
            line = services.add_bom_line(member, project, material=pla, required_quantity="1500", critical=True)
            services.allocate_bom_line(member, line, "500")
            services.add_bom_line(member, project, material=screws, required_quantity="600")
        services.upload_file(member, project, SimpleUploadedFile("notes.txt", b"Hotend: 0.4 mm, 300 C max.\n"),
                             folder="docs", change_notes="First notes")
        services.upload_file(member, project, SimpleUploadedFile("notes.txt", b"Hotend: 0.4 mm, 300 C max.\n"
                                                                              b"Enclosure: 3 mm panels.\n"),
                             folder="docs", change_notes="Enclosure added")
        services.upload_file(member, project, SimpleUploadedFile("swatch.png", PIXEL), folder="photos")
    if not Project.objects.filter(name="Sensor rig").exists():
        project = services.create_project(operator, name="Sensor rig", tags=["sensors"],
                                          description="Temperature and humidity logging for room 101.")
        for title, status in [("Pick sensors", "done"), ("Wire the rig", "in_progress"), ("Log for a week", "todo")]:
            services.create_task(operator, project, title=title, status=status)
        resin = Material.objects.filter(sku="RES-GRY").first()
        if resin:
            services.add_bom_line(operator, project, material=resin, required_quantity="2000", critical=True)
        services.upload_file(operator, project, SimpleUploadedFile("wiring.txt", b"SDA -> GPIO2\nSCL -> GPIO3\n"))
    stdout.write(f"  projects: {Project.objects.count()} projects, {Task.objects.count()} tasks")
