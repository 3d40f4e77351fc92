"""Schemathesis fuzzes every operation of the OpenAPI schema as an admin: no server error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from siaga.server import create_app
from siaga.services.users import login
from siaga.settings import load_settings
from siaga.store import Store
from siaga.store.schema import login_failures
from tests.conftest import ACCOUNT_PASSWORD

# Examples per operation; a longer hunt: SIAGA_FUZZ_EXAMPLES=200 pytest tests/test_api_fuzz.py
EXAMPLES = int(os.environ.get("SIAGA_FUZZ_EXAMPLES", "15"))


@pytest.fixture(scope="module")
def fuzzed_app(world: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """Return the app over the world store; forget the fuzzer's failed logins afterwards.

    The fuzzer's random credentials count as failed logins from the test client's address;
    left behind, they would throttle the logins of later tests on the shared world store.
    """
    yield create_app(load_settings(env={}, home=tmp_path_factory.mktemp("fuzz")), store=world)
    with world.engine.begin() as conn:
        conn.execute(login_failures.delete())


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: FastAPI) -> schemathesis.BaseSchema:
    """Return the app's own OpenAPI schema, loaded in-process."""
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed_app)


@pytest.fixture(scope="module")
def admin_token(world: Store) -> str:
    """Return a session token of the world's admin, so guarded routes run their code."""
    found = login(world, "admin.uji", ACCOUNT_PASSWORD, hours=2)
    assert found is not None
    return found[0]


def test_no_server_error(api_schema: schemathesis.BaseSchema, admin_token: str) -> None:
    # Schemathesis' own pytest plugin does not run under pytest 9, so each operation's
    # strategy is driven by Hypothesis directly.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    headers = {"Authorization": f"Bearer {admin_token}"}
    fuzzed = 0
    for operation in operations:
        if operation.path.endswith("/logout"):
            continue  # logging out would end the session the other operations use

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.status_code} "
                f"{response.text[:300]}")

        run()
        fuzzed += 1
    assert fuzzed >= 8


CONTENT_TYPES = ["application/json", "text/plain", "application/xml", "application/octet-stream",
                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", ""]
INNERS = ['"x"', '"\\u0000"', '{"text": "\\u0000"}', '"\\ud800"', "1e999999", '{"a": null}']


def test_deep_nesting_and_wrong_content_types_make_no_server_error(
    fuzzed_app: FastAPI, api_schema: schemathesis.BaseSchema, admin_token: str
) -> None:
    from fastapi.testclient import TestClient

    writes = [result.ok() for result in api_schema.get_all_operations()]
    writes = [op for op in writes if op.method.upper() in ("POST", "PUT", "PATCH")
              and not op.path.endswith("/logout")]
    client = TestClient(fuzzed_app, raise_server_exceptions=False)
    headers = {"Authorization": f"Bearer {admin_token}"}
    for operation in writes:
        path = "".join("1" if part.endswith("_id") or part == "id" else part
                       for part in operation.path.replace("{", "\0").replace("}", "\0").split("\0"))

        _probe(client, path, operation.method.upper(), headers)()
    assert len(writes) >= 6


def _probe(client: Any, path: str, method: str, headers: dict[str, str]) -> Any:
    """Return the Hypothesis test of one write route: nested bodies under any content type."""
    from hypothesis import strategies as st

    @given(depth=st.integers(0, 6_000), kind=st.sampled_from(CONTENT_TYPES),
           inner=st.sampled_from(INNERS), signed_in=st.booleans())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(depth: int, kind: str, inner: str, signed_in: bool) -> None:
        body = ("[" * depth + inner + "]" * depth).encode()
        sent = {"content-type": kind} if kind else {}
        response = client.request(method, path, content=body, headers={
            **sent, **(headers if signed_in else {})})
        assert response.status_code < 500, (
            f"{method} {path} ({kind or 'no type'}, depth {depth}): {response.status_code} "
            f"{response.text[:300]}")
    return run
