"""The `adly` command: demo, chat, parse, generate, serve, worker, sandbox, sync, report, digest, workspaces,
api-keys, db and keys."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import sys
from collections.abc import Sequence
from typing import Any

from bot.settings import SettingError, Settings


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="adly", description="ADLY: from a marketer's sentence to live ad campaigns.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the whole flow offline, approving on your behalf")
    demo.add_argument("text", nargs="?", default=None, help="the instruction (default: the seed sentence)")
    demo.add_argument("--json", action="store_true", help="print the summary as JSON on the last line")

    chat = sub.add_parser("chat", help="an interactive campaign conversation in the terminal")
    chat.add_argument("--resume", nargs="?", const="", default=None, metavar="CONVERSATION_ID",
                      help="continue the latest waiting conversation (or the one given)")
    chat.add_argument("--user", default="console:you", help="who you are in this conversation")

    from bot import parse_command

    parse_command.add_arguments(sub.add_parser("parse", help="parse an instruction into a campaign request"))

    from bot import generate_command

    generate_command.add_arguments(sub.add_parser("generate", help="generate the creative bundle for an instruction"))

    serve = sub.add_parser("serve", help="the Slack app and the HTTP API")
    serve.add_argument("--http", action="store_true", help="HTTP mode even when a Socket Mode token is set")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=0, metavar="N",
                       help="run flow jobs in N worker processes (PostgreSQL only; default: in this process)")

    worker = sub.add_parser("worker", help="run queued flow jobs (conversations, publishing, syncs) from PostgreSQL")
    worker.add_argument("--concurrency", type=int, default=None, metavar="N",
                        help="jobs run at once (default ADLY_WORKER_CONCURRENCY)")

    sandbox = sub.add_parser("sandbox", help="the sandbox ad platforms")
    sandbox_sub = sandbox.add_subparsers(dest="sandbox_command", required=True)
    from bot import sandbox_command

    sandbox_command.add_arguments(sandbox_sub.add_parser("serve", help="serve the three sandbox APIs on loopback"))

    from bot import sync_command

    sync_command.add_arguments(sub.add_parser("sync", help="one performance sync of every live campaign now"))

    from bot import admin_commands

    admin_commands.add_workspace_arguments(sub.add_parser("workspaces", help="make and list workspaces"))
    admin_commands.add_key_arguments(sub.add_parser("api-keys", help="workspace API keys for the HTTP API"))

    from bot import report_commands

    report_commands.add_report_arguments(sub.add_parser("report", help="a campaign's performance"))
    report_commands.add_digest_arguments(sub.add_parser("digest", help="a workspace's digest, now"))

    db = sub.add_parser("db", help="the database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations")

    keys = sub.add_parser("keys", help="token encryption keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("rotate", help="re-encrypt every stored token with the primary key")
    keys_sub.add_parser("new", help="print a new key for ADLY_ENCRYPTION_KEYS")
    return parser


async def _db_upgrade(settings: Settings) -> int:
    from store.db import upgrade_database

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade_database(settings.app_database_url)
    print("database is at the newest revision")
    return 0


async def _keys_rotate(settings: Settings) -> int:
    from bot.services import open_services
    from store.crypto import rotate_tokens

    async with open_services(settings) as services, services.sessions() as session, session.begin():
        count = await rotate_tokens(session=session, cipher=services.cipher)
    print(f"re-encrypted {count} token(s) with key {services.cipher.primary}")
    return 0


def _run(result: Any) -> int:
    if inspect.isawaitable(result):
        result = asyncio.run(result)  # type: ignore[arg-type]
    return int(result or 0)


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return _dispatch(args)
    except SettingError as exc:
        # A setting that cannot work is the operator's to fix: say which and why, without a traceback.
        print(f"adly: configuration error: {exc}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    from bot.log_redaction import install_redaction, settings_secrets

    settings = Settings()
    # Before any work: no record of any logger may carry a token, a secret, an OAuth code or state.
    install_redaction([*settings_secrets(settings), "sandbox-secret"])
    if args.command == "demo":
        from bot.console import SEED_INSTRUCTION, run_demo, stdout_say

        return _run(run_demo(settings, args.text or SEED_INSTRUCTION, as_json=args.json, say=stdout_say))
    if args.command == "chat":
        from bot.console import run_chat

        return _run(run_chat(settings, resume=args.resume, user=args.user))
    if args.command == "parse":
        from bot import parse_command

        return _run(parse_command.run(args))
    if args.command == "generate":
        from bot import generate_command

        return _run(generate_command.run(args))
    if args.command == "serve":
        from bot.web import serve

        return _run(serve(settings, force_http=args.http, host=args.host, port=args.port, workers=args.workers,
                          verbose=args.verbose))
    if args.command == "worker":
        from bot.work.worker import run_worker

        return _run(run_worker(settings, concurrency=args.concurrency))
    if args.command == "sandbox":
        from bot import sandbox_command

        return _run(sandbox_command.run(args, settings))
    if args.command == "sync":
        from bot import sync_command

        return _run(sync_command.run(args, settings))
    if args.command in ("workspaces", "api-keys"):
        from bot import admin_commands

        run = admin_commands.run_workspaces if args.command == "workspaces" else admin_commands.run_api_keys
        return _run(run(args, settings))
    if args.command in ("report", "digest"):
        from bot import report_commands

        run = report_commands.run_report if args.command == "report" else report_commands.run_digest
        return _run(run(args, settings))
    if args.command == "db":
        return _run(_db_upgrade(settings))
    if args.command == "keys":
        if args.keys_command == "new":
            import base64
            import secrets

            print(f"k{secrets.token_hex(2)}:{base64.b64encode(secrets.token_bytes(32)).decode()}")
            return 0
        return _run(_keys_rotate(settings))
    return 2


if __name__ == "__main__":
    sys.exit(main())
