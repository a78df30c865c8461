"""`adly workspaces` and `adly api-keys`: an operator's commands for workspaces and their API keys."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from store import api_keys
from store import repositories as repo
from store.db import create_engine, create_session_factory, upgrade_database
from store.models import API_SCOPES, ApiKey, Workspace


def add_workspace_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="workspaces_command", required=True)
    create = sub.add_parser("create", help="make a workspace")
    create.add_argument("--name", required=True)
    create.add_argument("--currency", default=None, help="default currency (ISO 4217; default: settings, SAR)")
    create.add_argument("--approvers", default=None,
                        help="comma-separated user IDs who may approve (default: ADLY_APPROVERS)")
    create.add_argument("--json", action="store_true", help="the workspace as JSON on the last line")
    listing = sub.add_parser("list", help="every workspace")
    listing.add_argument("--json", action="store_true", help="a JSON array on the last line")


def add_key_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="keys_command", required=True)
    create = sub.add_parser("create", help="make a key; the key alone is the last line (shown once)")
    create.add_argument("--workspace", required=True, metavar="ID")
    create.add_argument("--user", required=True, help="who acts with this key (e.g. a Slack user ID)")
    create.add_argument("--scopes", required=True, help=f"comma-separated: {','.join(API_SCOPES)}")
    create.add_argument("--name", default=None, help="what the key is for")
    listing = sub.add_parser("list", help="the workspace's keys (never their secrets)")
    listing.add_argument("--workspace", required=True, metavar="ID")
    listing.add_argument("--json", action="store_true")
    revoke = sub.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("key_id", metavar="KEY_ID")


@asynccontextmanager
async def _session(settings: Settings) -> AsyncIterator[AsyncSession]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade_database(settings.app_database_url)
    engine = create_engine(settings.app_database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


def _workspace_json(workspace: Workspace) -> dict[str, Any]:
    return {"id": workspace.id, "name": workspace.name, "default_currency": workspace.default_currency,
            "slack_team_id": workspace.slack_team_id, "approvers": list(workspace.approvers or []),
            "created_at": workspace.created_at.isoformat()}


def _key_json(key: ApiKey) -> dict[str, Any]:
    return {"id": key.id, "workspace_id": key.workspace_id, "user": key.user_ref, "scopes": list(key.scopes),
            "name": key.name, "created_at": key.created_at.isoformat(),
            "last_used_at": key.last_used_at.isoformat() if key.last_used_at else None,
            "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None}


def _fail(message: str) -> int:
    print(f"adly: {message}", file=sys.stderr)
    return 2


async def run_workspaces(args: argparse.Namespace, settings: Settings) -> int:
    async with _session(settings) as session:
        if args.workspaces_command == "create":
            name = args.name.strip()
            if not name or len(name) > 255:
                return _fail("--name must be 1 to 255 characters")
            try:
                workspace = await repo.create_workspace(
                    session=session, name=name, default_currency=args.currency or settings.adly_default_currency,
                    approvers=([a.strip() for a in args.approvers.split(",") if a.strip()]
                               if args.approvers is not None else settings.approver_ids()),
                )
            except ValueError as exc:
                return _fail(f"--currency: {exc}")
            data = _workspace_json(workspace)
            if not args.json:
                print(f"workspace {workspace.id} ({workspace.name}, {workspace.default_currency})")
            print(json.dumps(data, ensure_ascii=False) if args.json else workspace.id)
            return 0
        rows = [_workspace_json(w) for w in await repo.list_workspaces(session=session)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print(f"{row['id']}  {row['default_currency']}  {row['name']}")
    return 0


async def run_api_keys(args: argparse.Namespace, settings: Settings) -> int:
    async with _session(settings) as session:
        if args.keys_command == "revoke":
            key = await api_keys.revoke_api_key(session=session, key_id=args.key_id)
            if key is None:
                return _fail(f"no API key {args.key_id!r}")
            await repo.audit(session=session, workspace_id=key.workspace_id, actor="cli", action="api_key.revoked",
                             subject_type="api_key", subject_id=key.id, details={})
            print(f"revoked {key.id}")
            return 0
        workspace = await repo.get_workspace(session=session, workspace_id=args.workspace)
        if workspace is None:
            return _fail(f"no workspace {args.workspace!r} (see `adly workspaces list`)")
        if args.keys_command == "list":
            keys = [_key_json(k) for k in await api_keys.list_api_keys(session=session, workspace_id=workspace.id)]
            if args.json:
                print(json.dumps(keys))
            else:
                for k in keys:
                    state = "revoked" if k["revoked_at"] else f"last used {k['last_used_at'] or 'never'}"
                    print(f"{k['id']}  {k['user']}  {','.join(k['scopes'])}  {k['name'] or ''}  {state}")
            return 0
        try:
            issued = await api_keys.create_api_key(session=session, workspace_id=workspace.id, user_ref=args.user,
                                                   scopes=args.scopes, name=args.name)
        except ValueError as exc:
            return _fail(str(exc))
        await repo.audit(session=session, workspace_id=workspace.id, actor="cli", action="api_key.created",
                         subject_type="api_key", subject_id=issued.key.id,
                         details={"user": issued.key.user_ref, "scopes": issued.key.scopes})
        print(f"API key {issued.key.id} for {issued.key.user_ref} ({','.join(issued.key.scopes)}); shown only now:",
              file=sys.stderr)
    print(issued.secret)
    return 0
