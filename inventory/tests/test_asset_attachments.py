"""Files kept with an asset can be downloaded again, by anyone who may read the asset."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory.models import AssetAttachment

from .factories import AssetFactory

pytestmark = pytest.mark.django_db
URL = "/api/inventory/assets/"


def _upload(client, asset, name="manual.pdf", body=b"%PDF-1.4 the manual"):
    response = client.post(f"{URL}{asset.pk}/attachments/",
                           {"file": SimpleUploadedFile(name, body, content_type="application/pdf")},
                           format="multipart")
    assert response.status_code == 201
    return response


def test_an_uploaded_file_downloads_under_its_original_name(client_as):
    asset = AssetFactory()
    uploaded = _upload(client_as("operator"), asset, name="Pump manual.pdf")
    attachment = AssetAttachment.objects.get(asset=asset)
    assert uploaded.data["file"] == f"http://testserver{URL}{asset.pk}/attachments/{attachment.pk}/"

    response = client_as("viewer").get(uploaded.data["file"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the manual"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Pump manual.pdf"'


def test_the_attachment_list_links_to_the_download_route_not_to_media(client_as):
    asset = AssetFactory()
    _upload(client_as("operator"), asset)
    listed = client_as("viewer").get(f"{URL}{asset.pk}/attachments/").data
    assert listed[0]["file"].endswith(f"{URL}{asset.pk}/attachments/{listed[0]['id']}/")
    assert "/media/" not in listed[0]["file"]


def test_a_download_needs_a_login_and_the_attachment_of_that_asset(client_as):
    asset, other = AssetFactory(), AssetFactory()
    _upload(client_as("operator"), asset)
    attachment = AssetAttachment.objects.get(asset=asset)
    assert client_as(None).get(f"{URL}{asset.pk}/attachments/{attachment.pk}/").status_code == 401
    missing = client_as("viewer").get(f"{URL}{other.pk}/attachments/{attachment.pk}/")
    assert missing.status_code == 404
    assert str(attachment.pk) in missing.data["detail"]


def test_a_file_gone_from_storage_is_a_404_with_a_message(client_as):
    asset = AssetFactory()
    _upload(client_as("operator"), asset)
    attachment = AssetAttachment.objects.get(asset=asset)
    attachment.file.storage.delete(attachment.file.name)
    response = client_as("viewer").get(f"{URL}{asset.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 404
    assert "missing from storage" in response.data["detail"]


def test_the_staff_page_links_to_a_download_that_works_with_the_page_login(client, client_as, make_user):
    asset = AssetFactory()
    _upload(client_as("operator"), asset)
    attachment = AssetAttachment.objects.get(asset=asset)
    client.force_login(make_user("viewer"))
    page = client.get(f"/inventory/assets/{asset.pk}/").content.decode()
    link = f"{URL}{asset.pk}/attachments/{attachment.pk}/"
    assert f'href="{link}"' in page
    assert attachment.file.url not in page
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the manual"
