"""Attachments stored in S3: a live server with ``BUCKET_NAME`` and ``APP_AWS_*`` set, against a
moto S3 server (standing in for AWS), on both databases. The official literalai 0.1.300 SDK
uploads through the presigned POST it is given, the signed read URL serves the bytes (a redirect
to a presigned GET), reading the attachment back gives the same working URL, and deleting it
removes the object from the bucket. The TypeScript client's uploads keep their content type."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import boto3
import httpx
import pytest
from botocore.exceptions import ClientError
from literalai import LiteralClient
from moto.server import ThreadedMotoServer

from tests.api.gql import gql
from tests.compat.test_attachment_files_sdk import CREATE
from tests.compat.test_ts_client import CLIENT, FILE_BYTES, run_scenario
from tests.conftest import DIALECTS
from tests.live import LiveServer, free_port, start_live_server

BUCKET = "literal-attachments"
CREDENTIALS = {"APP_AWS_REGION": "us-east-1", "APP_AWS_ACCESS_KEY": "test-access", "APP_AWS_SECRET_KEY": "test-secret"}


@pytest.fixture(scope="module")
def s3() -> Iterator[tuple[str, object]]:
    """(endpoint URL, boto3 client) of a moto S3 server with the bucket created."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="test-access", aws_secret_access_key="test-secret")
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture(scope="module")
def s3_servers(request, s3, tmp_root) -> Iterator[dict[str, LiveServer]]:
    servers: dict[str, LiveServer] = {}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(params=DIALECTS)
def s3_live(request, s3, s3_servers, tmp_root) -> LiveServer:
    """A live server per dialect whose attachments go to the moto bucket."""
    if request.param not in s3_servers:
        url = request.getfixturevalue("pg_database_url" if request.param == "postgresql" else "sqlite_database_url")
        s3_servers[request.param] = start_live_server(url, tmp_root / f"live-s3-{request.param}", extra_env={
            "BUCKET_NAME": BUCKET, "APP_AWS_ENDPOINT_URL": s3[0], **CREDENTIALS})
    return s3_servers[request.param]


def object_head(s3_client, key: str) -> dict | None:
    try:
        return s3_client.head_object(Bucket=BUCKET, Key=key)
    except ClientError as e:
        if e.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return None
        raise


def test_sdk_attachment_round_trip_in_s3(s3_live, s3):
    _, key = s3_live.new_key()
    client = LiteralClient(api_key=key, url=s3_live.url)
    try:
        api = client.api
        thread = api.create_thread(name="s3")
        step = api.create_step(thread_id=thread.id, name="with a file")
        att = api.create_attachment(step_id=step.id, thread_id=thread.id, content=FILE_BYTES, mime="image/png",
                                    name="chart.png", metadata={"k": 1})
    finally:
        client.flush_and_stop()
    head = object_head(s3[1], att.object_key)
    assert head is not None and head["ContentLength"] == len(FILE_BYTES) and head["ContentType"] == "image/png"
    assert not (s3_live.data_dir / "files" / att.object_key).exists()  # in the bucket, not on disk

    got = httpx.get(att.url, follow_redirects=True)
    assert got.status_code == 200 and got.content == FILE_BYTES and got.headers["content-type"] == "image/png"
    assert got.history and got.history[0].status_code == 307 and got.url.host == "127.0.0.1"

    back = api.get_attachment(id=att.id)
    # Read URLs expire and are signed again on read: equal up to the date marker, as clients compare.
    assert back.url.split("X-Amz-Date")[0] == att.url.split("X-Amz-Date")[0] and back.object_key == att.object_key
    assert httpx.get(back.url, follow_redirects=True).content == FILE_BYTES
    assert httpx.get(back.url.split("?")[0] + "?sig=forged").status_code == 403

    assert api.delete_attachment(id=att.id)
    assert object_head(s3[1], att.object_key) is None
    assert httpx.get(att.url, follow_redirects=True).status_code == 404


def test_deleting_a_thread_removes_its_objects_but_keeps_shared_ones(s3_live, s3):
    _, key = s3_live.new_key()
    client = LiteralClient(api_key=key, url=s3_live.url)
    try:
        api = client.api
        thread = api.create_thread(name="s3 delete")
        kept = api.create_thread(name="kept")
        step, other = api.create_step(thread_id=thread.id, name="a"), api.create_step(thread_id=kept.id, name="b")
        att = api.create_attachment(step_id=step.id, thread_id=thread.id, content=b"mine", mime="text/plain",
                                    name="mine.txt")
        shared = api.create_attachment(step_id=step.id, thread_id=thread.id, content=b"both", mime="text/plain",
                                       name="both.txt")
        gql(s3_live, key, CREATE, {"stepId": other.id, "name": "same file", "objectKey": shared.object_key})
        assert api.delete_thread(id=thread.id)
    finally:
        client.flush_and_stop()
    assert object_head(s3[1], att.object_key) is None
    assert object_head(s3[1], shared.object_key) is not None  # still referenced from the other thread


@pytest.mark.skipif(shutil.which("node") is None or not CLIENT.exists(),
                    reason="needs node and `npm ci` in tests/compat/ts (scripts/install --dev)")
def test_ts_client_uploads_to_s3(s3_live, s3, tmp_path):
    """The TS client uploads in-memory content as application/octet-stream parts: the signed
    content type must still be what the bucket stores and serves."""
    project_id, key = s3_live.new_key()
    result = run_scenario(s3_live, key, tmp_path)
    assert result["failures"] == {} and result["consoleErrors"] == []
    attachment = result["trace"]["attachment"]
    head = object_head(s3[1], attachment["objectKey"])
    assert head is not None and head["ContentType"] == "image/png"
    assert result["trace"]["attachmentDownload"]["contentType"] == "image/png"
    assert result["pathAttachment"]["download"]["status"] == 200
    assert attachment["objectKey"].startswith(project_id + "/")
