"""Project files: content-checked uploads under generated names, versions, downloads, share links."""
import hashlib
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import RuleViolation
from projects import services
from projects.demo import PIXEL
from projects.models import FileVersion, ProjectFile, ShareLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client_as):
    client = client_as("member")
    client.project = services.create_project(client.user, name="Docs")
    return client


def files_url(project, suffix=""):
    return f"/api/projects/projects/{project.pk}/files/{suffix}"


def upload(client, content, name, **fields):
    return client.post(files_url(client.project), {"file": SimpleUploadedFile(name, content), **fields},
                       format="multipart")


def body(response):
    return b"".join(response.streaming_content)


def test_reuploading_a_name_makes_the_next_version_and_any_version_downloads(owner, settings):
    first = upload(owner, b"rev A\n", "plan.txt", folder="drawings")
    assert first.status_code == 201, first.data
    second = upload(owner, b"rev B\n", "plan.txt", folder="drawings", change_notes="moved holes")
    assert second.data["number"] == 2 and second.data["sha256"] == hashlib.sha256(b"rev B\n").hexdigest()
    document = ProjectFile.objects.get()
    assert [v.is_current for v in document.versions.order_by("number")] == [False, True]
    listing = owner.get(files_url(owner.project)).data["results"]
    assert listing[0]["version_count"] == 2 and listing[0]["current"]["number"] == 2
    old = owner.get(files_url(owner.project, f"{document.pk}/download/"), {"version": 1})
    assert body(old) == b"rev A\n" and "attachment" in old["Content-Disposition"]
    assert body(owner.get(files_url(owner.project, f"{document.pk}/download/"))) == b"rev B\n"
    versions = owner.get(files_url(owner.project, f"{document.pk}/versions/")).data
    assert [v["number"] for v in versions] == [2, 1] and versions[0]["change_notes"] == "moved holes"


def test_upload_names_never_steer_where_bytes_are_stored(owner, settings):
    for name in ["../../etc/passwd", "a/b.txt", "..\\..\\boot.ini"]:
        assert upload(owner, b"harmless text", name).status_code == 201
    stored = [v.content.name for v in FileVersion.objects.all()]
    assert all(name.startswith("projects/files/") and ".." not in name and name.count("/") == 2 for name in stored)
    for version in FileVersion.objects.all():
        path = os.path.realpath(version.content.path)
        assert path.startswith(os.path.realpath(settings.MEDIA_ROOT))
    assert sorted(ProjectFile.objects.values_list("name", flat=True)) == ["b.txt", "boot.ini", "passwd"]
    assert not os.path.exists(os.path.join(settings.MEDIA_ROOT, "..", "etc", "passwd"))


def test_the_type_is_decided_by_content_not_by_the_name(owner, settings):
    as_png = upload(owner, b"just words", "photo.png")
    assert as_png.status_code == 201 and as_png.data["content_type"] == "text/plain"
    real_png = upload(owner, PIXEL, "pixel.txt")
    assert real_png.data["content_type"] == "image/png"
    binary = upload(owner, b"MZ\x90\x00\x03\x00\x00\x00\xff\xfe", "tool.pdf")
    assert binary.status_code == 400 and "allowed are" in binary.data["detail"]
    settings.PROJECTS_FILE_TYPES = ["pdf"]
    text = upload(owner, b"plain", "notes.txt")
    assert text.status_code == 400 and "text" in text.data["detail"]


def test_files_over_the_size_limit_are_refused_through_api_and_page(owner, client, settings):
    settings.PROJECTS_FILE_MAX_BYTES = 10
    response = upload(owner, b"0123456789AB", "big.txt")
    assert response.status_code == 400 and "limit" in response.data["detail"]
    client.force_login(owner.user)
    page = client.post(f"/projects/{owner.project.pk}/act/upload/",
                       {"file": SimpleUploadedFile("big.txt", b"0123456789AB")})
    assert page.status_code == 400 and b"the limit is 10" in page.content
    assert not FileVersion.objects.exists()


def test_a_share_link_opens_without_login_counts_downloads_and_can_be_revoked(owner, api_client):
    version = services.upload_file(owner.user, owner.project, SimpleUploadedFile("s.txt", b"shared"))
    made = owner.post(files_url(owner.project, f"{version.file_id}/share/"), {"hours": 2})
    assert made.status_code == 201
    assert body(api_client.get(f"/api/projects/share/{made.data['token']}/")) == b"shared"
    assert body(api_client.get(made.data["url"])) == b"shared"
    assert ShareLink.objects.get().downloads == 2
    forged = made.data["token"][:-2] + ("AA" if not made.data["token"].endswith("AA") else "BB")
    assert api_client.get(f"/api/projects/share/{forged}/").status_code == 404
    revoke = owner.post(files_url(owner.project, f"{version.file_id}/share/{made.data['id']}/revoke/"))
    assert revoke.status_code == 200 and revoke.data["revoked_at"]
    assert api_client.get(f"/api/projects/share/{made.data['token']}/").status_code == 404


def test_an_expired_share_link_is_gone(owner, api_client):
    version = services.upload_file(owner.user, owner.project, SimpleUploadedFile("s.txt", b"old"))
    link, token = services.share_file(owner.user, version.file, hours=1)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_client.get(f"/api/projects/share/{token}/")
    assert response.status_code == 404 and "expired" in response.data["detail"]
    with pytest.raises(RuleViolation):
        services.share_file(owner.user, version.file, hours=10_000)


def test_previews_show_images_and_the_start_of_text(owner, client):
    text = services.upload_file(owner.user, owner.project, SimpleUploadedFile("readme.txt", b"<b>hello</b>"))
    image = services.upload_file(owner.user, owner.project, SimpleUploadedFile("pixel.png", PIXEL))
    client.force_login(owner.user)
    page = client.get(f"/projects/{owner.project.pk}/files/{text.file_id}/preview/")
    assert page.status_code == 200 and b"&lt;b&gt;hello&lt;/b&gt;" in page.content
    page = client.get(f"/projects/{owner.project.pk}/files/{image.file_id}/preview/")
    assert b"<img class=\"preview\"" in page.content
    inline = client.get(files_url(owner.project, f"{image.file_id}/download/?inline=1"))
    assert inline["Content-Type"] == "image/png" and "inline" in inline["Content-Disposition"]
    assert inline["X-Content-Type-Options"] == "nosniff"


def test_a_stranger_cannot_download_or_preview(owner, client_as, client):
    version = services.upload_file(owner.user, owner.project, SimpleUploadedFile("s.txt", b"private"))
    stranger = client_as("member")
    assert stranger.get(files_url(owner.project, f"{version.file_id}/download/")).status_code == 404
    client.force_login(stranger.user)
    assert client.get(f"/projects/{owner.project.pk}/files/{version.file_id}/preview/").status_code == 404


def test_the_file_list_runs_the_same_queries_for_one_file_and_many(owner):
    from core.testing import count_queries

    services.upload_file(owner.user, owner.project, SimpleUploadedFile("f0.txt", b"x"))
    one, _ = count_queries(owner, files_url(owner.project))
    for n in range(1, 8):
        services.upload_file(owner.user, owner.project, SimpleUploadedFile(f"f{n}.txt", b"x"))
        services.upload_file(owner.user, owner.project, SimpleUploadedFile(f"f{n}.txt", b"y"))
    many, response = count_queries(owner, files_url(owner.project))
    assert response.data["count"] == 8 and one == many
