"""Factories for projects rows; state changes in tests go through the services."""
import hashlib
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import UserFactory
from inventory.tests.factories import MaterialFactory
from projects.models import (
    BomLine,
    FileVersion,
    Project,
    ProjectFile,
    ProjectMember,
    ShareLink,
    Task,
    Team,
    TeamMembership,
)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamMembership.Role.MEMBER


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    owner = factory.SubFactory(UserFactory)


class ProjectMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMember

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    """A card at the top of the to-do column of its own project (pass ``position`` when sharing a column)."""

    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    status = Task.Status.TODO
    position = 0
    created_by = factory.LazyAttribute(lambda t: t.project.owner)


class BomLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BomLine

    project = factory.SubFactory(ProjectFactory)
    material = factory.SubFactory(MaterialFactory)
    required_quantity = Decimal("100")


class ProjectFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectFile

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"drawing-{n}.txt")
    created_by = factory.LazyAttribute(lambda f: f.project.owner)


class FileVersionFactory(factory.django.DjangoModelFactory):
    """The first (current) version of a file, with a small text body."""

    class Meta:
        model = FileVersion
        exclude = ["body"]

    file = factory.SubFactory(ProjectFileFactory)
    number = 1
    body = factory.Sequence(lambda n: f"revision {n}\n".encode())
    content = factory.LazyAttribute(lambda v: ContentFile(v.body, name=v.file.name))
    sha256 = factory.LazyAttribute(lambda v: hashlib.sha256(v.body).hexdigest())
    size = factory.LazyAttribute(lambda v: len(v.body))
    content_type = "text/plain"
    uploaded_by = factory.LazyAttribute(lambda v: v.file.created_by)


class ShareLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareLink

    file = factory.SubFactory(ProjectFileFactory)
    created_by = factory.LazyAttribute(lambda s: s.file.created_by)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
