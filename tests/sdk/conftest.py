"""Fixtures for the SDK tests: a recording stub server and clients pointed at it."""

import pytest

from tests.sdk.stub_server import StubServer


@pytest.fixture
def stub():
    server = StubServer().start()
    yield server
    server.stop()


@pytest.fixture
def client(stub):
    from literal_sdk import LiteralClient

    c = LiteralClient(api_key="test-key", url=stub.url, batch_size=5)
    yield c
    c.flush_and_stop(timeout=5)
