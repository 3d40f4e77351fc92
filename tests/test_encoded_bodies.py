"""Encoded bodies of the index cache's shared rows are made once per row list."""

from __future__ import annotations

import json

from siaga.http.encoded import EncodedBodies, json_bytes, rows_and_meta


def test_the_same_list_is_encoded_once_and_a_new_list_again() -> None:
    calls: list[object] = []

    def encode(value: object) -> bytes:
        calls.append(value)
        return json_bytes(value)

    memo = EncodedBodies(size=2)
    rows = [{"code": "15.02", "score": 6.2}]
    assert memo.encode(rows, encode) == memo.encode(rows, encode)
    assert len(calls) == 1
    fresh = [{"code": "15.02", "score": 7.0}]  # a new revision builds a new list
    assert json.loads(memo.encode(fresh, encode)) == fresh and len(calls) == 2
    for other in ([1], [2]):  # the oldest entry is dropped past the size
        memo.encode(other, encode)
    memo.encode(rows, encode)
    assert len(calls) == 5


def test_the_body_carries_this_request_s_meta_with_the_shared_rows() -> None:
    rows = [{"code": "15.02", "name": "Merangin", "score": 6.2}]
    first = json.loads(rows_and_meta(rows, {"as_of": "2026-12-06T10:00:00+00:00"}))
    second = json.loads(rows_and_meta(rows, {"as_of": "2026-12-06T10:00:05+00:00"}))
    assert first["rows"] == second["rows"] == rows
    assert first["meta"]["as_of"] != second["meta"]["as_of"]
