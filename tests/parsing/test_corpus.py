"""Field-level accuracy of parse_instruction over the public corpus (tests/data/parse_corpus.jsonl)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from agent.parsing import parse_instruction

CORPUS = Path(__file__).resolve().parents[1] / "data" / "parse_corpus.jsonl"
TARGET = 0.97


def load_corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm_product(value: Any) -> Any:
    # Products are free text: compare without case and a leading "new".
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    return text[4:] if text.startswith("new ") else text


def actual_fields(row: dict[str, Any]) -> dict[str, Any]:
    request = parse_instruction(row["text"], today=date.fromisoformat(row["today"]),
                                default_currency=row.get("currency", "SAR"))
    out = request.contract_dict()
    audience = out.pop("audience")
    for key in ("genders", "age_min", "age_max", "locations"):
        out[f"audience.{key}"] = audience[key]
    return out


def score(rows: list[dict[str, Any]]) -> tuple[int, int, dict[str, list[int]], list[str]]:
    """(correct, total, per-field [correct, total], failure lines)."""
    correct = total = 0
    per_field: dict[str, list[int]] = {}
    failures: list[str] = []
    for row in rows:
        actual = actual_fields(row)
        for field, expected in row["expected"].items():
            got = actual.get(field)
            if field == "product":
                ok = _norm_product(got) == _norm_product(expected)
            else:
                ok = got == expected
            stats = per_field.setdefault(field, [0, 0])
            stats[1] += 1
            total += 1
            if ok:
                stats[0] += 1
                correct += 1
            else:
                failures.append(f"#{row['id']} {field}: expected {expected!r}, got {got!r}  <- {row['text']}")
    return correct, total, per_field, failures


def test_corpus_is_big_enough_and_bilingual() -> None:
    rows = load_corpus()
    assert len(rows) >= 150
    langs = {row["expected"]["input_language"] for row in rows}
    assert langs == {"ar", "en"}


def test_corpus_field_accuracy() -> None:
    rows = load_corpus()
    correct, total, per_field, failures = score(rows)
    accuracy = correct / total
    print(f"\nparse corpus: {len(rows)} instructions, {total} fields, field-level accuracy {accuracy:.2%}")
    held = [row for row in rows if row.get("set") == "held_out"]
    if held:
        h_correct, h_total, _, _ = score(held)
        print(f"  held-out subset: {len(held)} instructions, {h_correct}/{h_total} = {h_correct / h_total:.2%}")
    for field, (ok, n) in sorted(per_field.items()):
        print(f"  {field:22s} {ok:4d}/{n:<4d} {ok / n:.1%}")
    for line in failures:
        print("  FAIL", line)
    assert accuracy >= TARGET, f"field accuracy {accuracy:.2%} < {TARGET:.0%}"
