"""Evidence in object storage (issue 20 part 4): with SAFERHOMES_S3_BUCKET set, private files go to a private S3
bucket (here moto's S3 server, started for the test on loopback), are read back only through the permission-checked
download view, and a signed address, if one is made, lasts a minute."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.storage import storages
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.cases.services import evidence as evidence_services
from saferhomes.core.storage import private_files, private_storage
from tests.cases.record_helpers import (  # noqa: F401
    SAMPLES,
    case_fixture,
    officer_fixture,
    upload,
)
from tests.conftest import client_verified_as

BUCKET = "saferhomes-evidence-test"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-2"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3-compatible server on a free loopback port, for this module's tests."""
    server_command = shutil.which("moto_server")
    assert server_command, "moto[server] is a dev dependency: run `uv sync`"
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - moto's console script from this environment
        [server_command, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_bucket(s3_endpoint: str, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A fresh private bucket, and settings pointing the private storage at it (as SAFERHOMES_S3_BUCKET would)."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-2")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "location": "evidence",
                "endpoint_url": s3_endpoint,
                "region_name": "eu-west-2",
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 60,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _anonymous_get(endpoint: str, key: str) -> int:
    parts = urlsplit(endpoint)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", f"/{BUCKET}/{key}")
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.django_db
def test_evidence_goes_to_a_private_bucket_and_comes_back_only_through_the_checked_view(
    s3_bucket: object, s3_endpoint: str, officer: User, case: Case, make_staff: Callable[..., User]
) -> None:
    name, content = SAMPLES["image/png"]
    evidence = evidence_services.evidence_upload(actor=officer, case=case, file=upload(name, content))

    client = s3_bucket
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]]  # type: ignore[attr-defined]
    assert keys == [f"evidence/{evidence.file.name}"]
    assert client.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == content  # type: ignore[attr-defined]
    grants = client.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]  # type: ignore[attr-defined]
    assert [g["Permission"] for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")] == []
    assert _anonymous_get(s3_endpoint, keys[0]) == 403, "no public read"
    assert private_files() == [evidence.file.name]

    download = f"/staff/cases/{case.reference}/evidence/{evidence.pk}/"
    response = client_verified_as(officer).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
    stranger = make_staff("partner")  # a partner agency user: no case of ours unless shared
    assert client_verified_as(stranger).get(download).status_code == 404
    assert Client().get(download).status_code == 302  # to sign in


@pytest.mark.django_db
def test_a_signed_address_lasts_a_minute(s3_bucket: object, officer: User, case: Case) -> None:
    name, content = SAMPLES["application/pdf"]
    evidence = evidence_services.evidence_upload(actor=officer, case=case, file=upload(name, content))

    signed = private_storage().url(evidence.file.name)

    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["60"], signed


def test_the_private_storage_is_a_folder_without_an_address_unless_a_bucket_is_configured() -> None:
    storage = storages["evidence"]
    assert type(storage).__name__ == "PrivateFileStorage"
    with pytest.raises(ValueError, match="no URL"):
        storage.url("2026/12/x.png")
