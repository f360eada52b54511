"""Project files: upload (size and content-type checked), versions, share links.

The bytes go to storage under a random name (``models.files.version_storage_name``); the
name a person gave the file is only a label in the database, so no upload name can reach
another path. The type is decided from the content (magic numbers, or text that decodes),
never from the name or the browser's claim.
"""
import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from core import audit, events
from core.errors import NotFound, RuleViolation

from .. import events as types
from ..models import FileVersion, ProjectFile, ShareLink
from .common import lock_project, require_worker, topics

SHARE_SALT = "projects.share"
SNIFF = [
    ("pdf", "application/pdf", lambda head: head.startswith(b"%PDF-")),
    ("png", "image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("jpeg", "image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("gif", "image/gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ("webp", "image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ("zip", "application/zip", lambda head: head.startswith(b"PK\x03\x04")),
]
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
TEXT_TYPE = "text/plain"
UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def sniff(content: bytes) -> tuple[str, str]:
    """``(kind, content type)`` of the bytes themselves; ``("", "")`` when they are none we know."""
    for kind, content_type, matches in SNIFF:
        if matches(content[:16]):
            return kind, content_type
    if b"\x00" not in content:
        try:
            content.decode("utf-8")
            return "text", TEXT_TYPE
        except UnicodeDecodeError:
            pass
    return "", ""


def clean_name(name: str) -> str:
    """The label a file shows: the last part of what was uploaded, without path or control characters."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = UNSAFE.sub("", base).strip()
    if base in ("", ".", ".."):
        raise RuleViolation("Give the file a name.", fields={"name": ["Required."]})
    if len(base) > 200:
        raise RuleViolation("A file name is at most 200 characters.", fields={"name": ["Too long."]})
    return base


def clean_folder(folder: str) -> str:
    """A folder as stored: ``a/b`` with no empty, ``.`` or ``..`` parts (a label, never a disk path)."""
    parts = [part.strip() for part in re.split(r"[/\\]", folder or "") if part.strip()]
    for part in parts:
        if part in (".", "..") or UNSAFE.sub("", part) != part:
            raise RuleViolation("A folder is made of plain names separated by '/'.", fields={"folder": ["Invalid."]})
    folder = "/".join(parts)
    if len(folder) > 255:
        raise RuleViolation("A folder path is at most 255 characters.", fields={"folder": ["Too long."]})
    return folder


def _read(upload) -> tuple[bytes, str]:
    """The upload's bytes and SHA-256, refusing it past the size limit without reading further."""
    limit = settings.PROJECTS_FILE_MAX_BYTES
    if upload is None:
        raise RuleViolation("Choose a file to upload (multipart field 'file').", fields={"file": ["Required."]})
    if upload.size is not None and upload.size > limit:
        raise RuleViolation(f"The file is {upload.size} bytes; the limit is {limit}.", code="too_large",
                            fields={"file": [f"At most {limit} bytes."]})
    digest, chunks, total = hashlib.sha256(), [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise RuleViolation(f"The file is over the limit of {limit} bytes.", code="too_large",
                                fields={"file": [f"At most {limit} bytes."]})
        digest.update(chunk)
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise RuleViolation("The file is empty.", fields={"file": ["Empty."]})
    return content, digest.hexdigest()


def version_data(version: FileVersion) -> dict:
    """A file version as its events carry it."""
    return {"project": version.file.project_id, "file": version.file_id, "name": version.file.name,
            "folder": version.file.folder, "version": version.number, "sha256": version.sha256,
            "size": version.size}


@transaction.atomic
def upload_file(actor, project, upload, *, folder: str = "", name: str = "", change_notes: str = "") -> FileVersion:
    """Upload a file; the same name in the same folder becomes its next version (project members)."""
    from django.core.files.base import ContentFile

    name = clean_name(name or getattr(upload, "name", ""))
    folder = clean_folder(folder)
    notes = (change_notes or "").strip()
    if len(notes) > 500:
        raise RuleViolation("Change notes are at most 500 characters.", fields={"change_notes": ["Too long."]})
    project = lock_project(actor, project)
    require_worker(actor, project, "upload files")
    content, sha256 = _read(upload)
    kind, content_type = sniff(content)
    allowed = settings.PROJECTS_FILE_TYPES
    if kind not in allowed:
        found = kind or "an unknown binary format"
        raise RuleViolation(f"The file's content is {found}; allowed are {', '.join(allowed)}.", code="bad_type",
                            fields={"file": ["Type not allowed."]})
    document, created = ProjectFile.objects.get_or_create(project=project, folder=folder, name=name,
                                                          defaults={"created_by": actor})
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    document.versions.filter(is_current=True).update(is_current=False)
    version = FileVersion(file=document, number=number, sha256=sha256, size=len(content), content_type=content_type,
                          change_notes=notes, uploaded_by=actor, is_current=True)
    version.content.save("upload", ContentFile(content), save=False)
    try:
        version.save()
    except Exception:  # the row was not written: do not leave its bytes behind
        version.content.storage.delete(version.content.name)
        raise
    audit.record(actor, "file.upload", document, {"version": [number - 1 or None, number], "sha256": [None, sha256]})
    events.publish(topics(project), types.FILE_UPLOADED, version_data(version))
    return version


def version_for(project, document: ProjectFile, number=None) -> FileVersion:
    """One version of a file of ``project`` (the current one without a number); NotFound otherwise."""
    versions = FileVersion.objects.select_related("file").filter(file=document, file__project=project)
    version = versions.filter(number=number).first() if number else versions.filter(is_current=True).first()
    if version is None:
        raise NotFound(f"File '{document.name}' has no version {number}." if number else "The file has no versions.")
    return version


@transaction.atomic
def share_file(actor, document: ProjectFile, *, version: FileVersion | None = None,
               hours=None) -> tuple[ShareLink, str]:
    """Make a link that opens the file without logging in until it expires or is revoked; answers (link, token)."""
    project = lock_project(actor, document.project_id)
    require_worker(actor, project, "share files")
    longest = settings.PROJECTS_SHARE_MAX_HOURS
    try:
        hours = int(hours if hours not in (None, "") else settings.PROJECTS_SHARE_HOURS)
    except (TypeError, ValueError):
        raise RuleViolation("hours must be a whole number.", fields={"hours": ["Not a number."]})
    if not 1 <= hours <= longest:
        raise RuleViolation(f"A share link lasts between 1 and {longest} hours.", fields={"hours": ["Out of range."]})
    if version is not None and version.file_id != document.pk:
        raise RuleViolation("That version belongs to another file.", fields={"version": ["Other file."]})
    link = ShareLink.objects.create(file=document, version=version, created_by=actor,
                                    expires_at=timezone.now() + timedelta(hours=hours))
    audit.record(actor, "file.share", document, {"share": [None, str(link.key)], "hours": [None, hours]})
    events.publish(topics(project), types.FILE_SHARED, {"project": project.pk, "file": document.pk,
                                                        "share": link.pk, "expires_at": link.expires_at})
    return link, share_token(link)


def share_token(link: ShareLink) -> str:
    """The signed token in a share link's address."""
    return signing.dumps(str(link.key), salt=SHARE_SALT)


@transaction.atomic
def revoke_share(actor, link: ShareLink) -> ShareLink:
    """Stop a share link from working (project members)."""
    project = lock_project(actor, link.file.project_id)
    require_worker(actor, project, "revoke share links")
    link = ShareLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor, "file.revoke_share", link.file, {"share": [str(link.key), None]})
        events.publish(topics(project), types.SHARE_REVOKED, {"project": project.pk, "file": link.file_id,
                                                              "share": link.pk})
    return link


@transaction.atomic
def open_share(token: str) -> FileVersion:
    """The version a share token opens, counting the download; NotFound when forged, expired or revoked."""
    try:
        key = signing.loads(token, salt=SHARE_SALT)
    except signing.BadSignature:
        raise NotFound("This share link is not valid.")
    link = ShareLink.objects.select_for_update().filter(key=key).first()
    if link is None or link.revoked_at is not None:
        raise NotFound("This share link was revoked.")
    if link.expires_at <= timezone.now():
        raise NotFound("This share link has expired.", code="expired")
    version = link.version or FileVersion.objects.filter(file_id=link.file_id, is_current=True).first()
    if version is None:
        raise NotFound("The shared file has no versions.")
    ShareLink.objects.filter(pk=link.pk).update(downloads=F("downloads") + 1)
    audit.record(None, "file.share_download", link.file, {"share": [None, str(link.key)]})
    return FileVersion.objects.select_related("file").get(pk=version.pk)

