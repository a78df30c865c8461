"""`adly parse`: print the parsed campaign request (contract: contracts/campaign-request.schema.json)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from agent.models import CampaignRequest
from agent.parsing import parse_instruction


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `adly parse "TEXT" --json [--today YYYY-MM-DD] [--currency SAR]`."""
    parser.add_argument("text", help='the instruction, or "-" to read one instruction per line from stdin')
    parser.add_argument("--json", action="store_true", help="print the contract JSON (one object per line)")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="reference date for relative dates and occasions (default: today)")
    parser.add_argument("--currency", default="SAR", help="workspace default currency (ISO 4217, default SAR)")


def _summary(request: CampaignRequest) -> str:
    lines = [f"Platforms:  {', '.join(request.platforms) or '(missing)'}"]
    if request.publisher_platforms.get("meta"):
        lines[-1] += f"  (Meta: {', '.join(request.publisher_platforms['meta'])})"
    b = request.budget
    lines.append(f"Budget:     {f'{b.amount} {b.currency} ' + ('per day' if b.period == 'daily' else 'total') if b else '(missing)'}")
    lines.append(f"Objective:  {request.objective or '-'}")
    lines.append(f"Theme:      {request.theme or '-'}")
    s = request.schedule
    lines.append(f"Schedule:   {s.start_date or '?'} -> {s.end_date or '?'}"
                 + (f" ({s.duration_days} days)" if s.duration_days else ""))
    a = request.audience
    ages = "any" if a.age_min is None and a.age_max is None else f"{a.age_min or 13}-{a.age_max or '65+'}"
    places = ", ".join(f"{loc.name} ({loc.kind}, {loc.country_code})" for loc in a.locations) or "anywhere"
    lines.append(f"Audience:   {', '.join(a.genders) or 'all genders'}; ages {ages}; {places}")
    lines.append(f"Languages:  {', '.join(request.languages)}")
    lines.append(f"Creatives:  {', '.join(request.creative_types)}")
    if request.product:
        lines.append(f"Product:    {request.product}")
    if request.landing_url:
        lines.append(f"Landing:    {request.landing_url}")
    lines.append(f"Missing:    {', '.join(request.missing) or 'nothing'}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Parse TEXT (or each stdin line for "-") and print JSON or a summary; 0 on success, 2 on bad input."""
    today = args.today or date.today()
    currency = str(args.currency).upper()
    if len(currency) != 3 or not currency.isalpha():
        print(f"adly parse: --currency must be an ISO 4217 code, got {args.currency!r}", file=sys.stderr)
        return 2
    texts = [line.rstrip("\r\n") for line in sys.stdin] if args.text == "-" else [args.text]
    from agent.instructions import InstructionRefused, check_instruction

    limit = _instruction_limit()
    for n, text in enumerate(texts, 1):
        try:
            check_instruction(text, limit)
        except InstructionRefused as exc:
            where = f"line {n}: " if args.text == "-" else ""
            print(f"adly parse: {where}{exc}", file=sys.stderr)
            return 2
    for i, text in enumerate(texts):
        request = parse_instruction(text, today=today, default_currency=currency)
        if args.json:
            print(json.dumps(request.contract_dict(), ensure_ascii=False, separators=(",", ":")), flush=False)
        else:
            if i:
                print()
            if len(texts) > 1:
                print(f"> {text}")
            print(_summary(request))
    sys.stdout.flush()
    return 0


def _instruction_limit() -> int:
    from bot.settings import Settings

    return Settings().adly_max_instruction_chars


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (`python -m bot.parse_command`) until the lead wires it into `adly parse`."""
    parser = argparse.ArgumentParser(prog="adly parse", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
