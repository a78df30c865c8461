"""`adly sync`: one performance sync of every tracked campaign now (contract: `{"campaigns", "accounts", "calls"}`)."""

from __future__ import annotations

import argparse
import json

from bot.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `adly sync [--json] [--days N] [--ads]`."""
    parser.add_argument("--json", action="store_true", help='print {"campaigns", "accounts", "calls"} as the last line')
    parser.add_argument("--days", type=int, default=2, help="days to fetch, ending today (default 2: yesterday, today)")
    parser.add_argument("--ads", action="store_true", help="each ad's numbers too (one more call chain per account)")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    """Sync now, as the hourly job does; exit 1 when an account could not be synced (its reason is printed)."""
    from agent.tracking import run_sync
    from bot.services import open_services

    async with open_services(settings) as services:
        report = await run_sync(services.ctx, days=max(1, args.days), ads=args.ads)
    for skipped in report.skipped:
        print(f"skipped {skipped['platform']} account {skipped['ad_account_id']}: {skipped['reason']}")
    print(f"synced {report.campaigns} campaign(s) on {report.accounts} ad account(s) in {report.calls} platform "
          f"call(s); {report.rows} daily row(s) stored")
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    return 1 if report.skipped else 0
