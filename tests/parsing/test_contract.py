"""contract_dict() output conforms to contracts/campaign-request.schema.json (checked by hand: no jsonschema)."""

from __future__ import annotations

import io
import json
import re
import sys
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agent.parsing import parse_instruction
from bot import parse_command

SCHEMA_PATHS = [Path("/work/shared/contracts/campaign-request.schema.json"),
                Path(__file__).resolve().parents[2] / "contracts" / "campaign-request.schema.json"]


CORPUS = Path(__file__).resolve().parents[1] / "data" / "parse_corpus.jsonl"


def load_corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _schema() -> dict[str, Any] | None:
    for path in SCHEMA_PATHS:
        if path.exists():
            return json.loads(path.read_text("utf-8"))
    return None


def _check(value: Any, schema: dict[str, Any], where: str) -> None:
    """A small validator for the subset of JSON Schema the contract uses."""
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    types = schema.get("type")
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        pytypes = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float),
                   "null": type(None), "boolean": bool}
        assert any(isinstance(value, pytypes[t]) and not (t in ("integer", "number") and isinstance(value, bool))
                   for t in allowed), f"{where}: {value!r} is not {allowed}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                _check(value[key], sub, f"{where}.{key}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key, sub_value in value.items():
                if key not in schema.get("properties", {}):
                    _check(sub_value, extra, f"{where}.{key}")
    if isinstance(value, list):
        if "items" in schema:
            for i, item in enumerate(value):
                _check(item, schema["items"], f"{where}[{i}]")
        if schema.get("uniqueItems"):
            assert len({json.dumps(v, sort_keys=True) for v in value}) == len(value), f"{where}: duplicates"
    if isinstance(value, str):
        if "pattern" in schema:
            assert re.search(schema["pattern"], value), f"{where}: {value!r} !~ {schema['pattern']}"
        if schema.get("format") == "date":
            date.fromisoformat(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema:
            assert value >= schema["minimum"], where
        if "maximum" in schema:
            assert value <= schema["maximum"], where
        if "exclusiveMinimum" in schema:
            assert value > schema["exclusiveMinimum"], where


def test_every_corpus_output_conforms_to_the_schema() -> None:
    schema = _schema()
    if schema is None:
        pytest.skip("contract schema not found")
    for row in load_corpus():
        out = parse_instruction(row["text"], today=date.fromisoformat(row["today"]),
                                default_currency=row.get("currency", "SAR")).contract_dict()
        _check(json.loads(json.dumps(out)), schema, f"#{row['id']}")
        assert out["platforms"] == sorted(out["platforms"])


def _run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    parser = ArgumentParser()
    parse_command.add_arguments(parser)
    args = parser.parse_args(argv)
    old_in, old_out = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = io.StringIO(stdin), io.StringIO()
    try:
        code = parse_command.run(args)
        return code, sys.stdout.getvalue()
    finally:
        sys.stdin, sys.stdout = old_in, old_out


def test_cli_json_single_and_stdin_lines() -> None:
    code, out = _run(["TikTok 1000 SAR للنساء في جدة", "--json", "--today", "2025-01-10"])
    assert code == 0 and len(out.strip().splitlines()) == 1
    obj = json.loads(out)
    assert obj["platforms"] == ["tiktok"] and "جدة" in out  # ensure_ascii=False
    code, out = _run(["-", "--json", "--today", "2025-01-10", "--currency", "AED"],
                     stdin="Snapchat 500\nInstagram budget 700\n\nحملة سناب\n")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4
    assert json.loads(lines[1])["budget"] == {"amount": 700, "currency": "AED", "period": "lifetime"}
    assert json.loads(lines[2])["missing"] == ["budget", "platforms"]


def test_cli_summary_and_bad_currency() -> None:
    code, out = _run(["Instagram 1000 SAR Riyadh", "--today", "2025-01-10"])
    assert code == 0 and "Riyadh (city, SA)" in out and "Missing:    nothing" in out
    code, _ = _run(["x", "--currency", "riyal"])
    assert code == 2
