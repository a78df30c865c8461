"""Helpers for the saga tests: a cloned data dir at the preview, the simulators' stored objects, call logs."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from agent.planning import CampaignPlan
from agent.turns import Turn, Where
from bot.console import connect_in_sandbox
from bot.services import Services, open_services
from bot.settings import Settings

USER = "console:tester"
ALL_THREE = (
    "Create Instagram, TikTok and Snapchat campaign for Ramadan sale with 3000 SAR budget "
    "targeting women 25-40 in Riyadh"
)
# The simulators' own kind names for the three levels, per platform.
SIM_KINDS = {
    "meta": {"campaign": "campaign", "ad_set": "adset", "ad": "ad", "creative": "adcreative", "image": "adimage"},
    "tiktok": {"campaign": "campaign", "ad_set": "adgroup", "ad": "ad"},
    "snapchat": {"campaign": "campaign", "ad_set": "adsquad", "ad": "ad", "creative": "creative", "media": "media"},
}


def settings_for(data_dir: Path) -> Settings:
    return Settings(_env_file=None, adly_data_dir=data_dir)  # type: ignore[call-arg]


async def until(services: Services, turn: Turn, kind: str) -> Turn:
    """Answer prompts like a user would until one of `kind` is pending (or the flow ends)."""
    while turn.prompt is not None and turn.prompt.kind != kind:
        if turn.prompt.kind == "connect":
            turn = await connect_in_sandbox(services, turn, USER, lambda _: None)
        elif turn.prompt.kind in ("review", "preview"):
            turn = await approve(services, turn)
        else:
            raise AssertionError(f"unexpected prompt {turn.prompt.kind}: {turn.prompt.payload}")
    return turn


async def approve(services: Services, turn: Turn) -> Turn:
    assert turn.prompt is not None
    payload = turn.prompt.payload
    decision = {"action": "approve", "content_hash": payload.get("content_hash"), "plan_hash": payload.get("plan_hash")}
    decision = {k: v for k, v in decision.items() if v is not None}
    return await services.driver.decide(
        conversation_id=turn.conversation_id, interrupt_id=turn.prompt.interrupt_id, decision=decision, actor=USER
    )


async def build_template(data_dir: Path, text: str) -> str:
    """Runs the real flow (parse, connect in the sandbox, generate, review) up to the preview; returns its id."""
    async with open_services(settings_for(data_dir)) as services:
        workspace = await services.local_workspace(USER)
        turn = await services.driver.start(
            workspace_id=workspace.id, user=USER, text=text, where=Where("console", "t", uuid.uuid4().hex)
        )
        turn = await until(services, turn, "preview")
        assert turn.prompt is not None and turn.prompt.kind == "preview", turn
        return turn.conversation_id


@dataclass
class Template:
    data_dir: Path
    conversation_id: str

    def clone(self, into: Path) -> Settings:
        target = into / "data"
        shutil.copytree(self.data_dir, target)
        return settings_for(target)


async def preview_plan(services: Services, conversation_id: str) -> tuple[CampaignPlan, str]:
    """The plan shown in the pending preview and its hash (what an approval binds to)."""
    turn = await services.driver.current(conversation_id)
    assert turn.prompt is not None and turn.prompt.kind == "preview", turn
    snapshot = await services.driver.graph.aget_state({"configurable": {"thread_id": turn.thread_id}})
    return CampaignPlan.model_validate(snapshot.values["plan"]), str(snapshot.values["plan_hash"])


def sim_objects(settings: Settings, platform: str, level: str, *, live_only: bool = True) -> list[dict[str, Any]]:
    """What the simulator stored for `level` (campaign, ad_set, ad; creative, media), read from its state file."""
    kind = SIM_KINDS[platform][level]
    path = settings.sandbox_dir / f"{platform}.sqlite"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        rows = [json.loads(r[0]) for r in db.execute("SELECT data FROM objects WHERE kind = ?", (kind,))]
    if live_only:
        rows = [r for r in rows if sim_status(platform, r) != "deleted"]
    return rows


def sim_status(platform: str, row: dict[str, Any]) -> str:
    """An object's own configured status in the simulator: active, paused or deleted."""
    if row.get("deleted"):  # Snapchat keeps deleted entities with a flag
        return "deleted"
    raw = str(row.get("operation_status") if platform == "tiktok" else row.get("status"))
    return {"ACTIVE": "active", "ENABLE": "active", "PAUSED": "paused", "DISABLE": "paused",
            "DELETED": "deleted", "DELETE": "deleted"}.get(raw, raw.lower())  # fmt: skip


def all_statuses(settings: Settings, platforms: list[str]) -> dict[str, set[str]]:
    """platform -> the set of statuses of its live campaigns, ad sets and ads in the simulator."""
    out: dict[str, set[str]] = {}
    for platform in platforms:
        out[platform] = {
            sim_status(platform, row)
            for level in ("campaign", "ad_set", "ad")
            for row in sim_objects(settings, platform, level)
        }
    return out


def plan_counts(plan: CampaignPlan) -> dict[str, dict[str, int]]:
    return {
        p.platform: {"campaign": 1, "ad_set": len(p.ad_sets), "ad": sum(len(s.ads) for s in p.ad_sets)}
        for p in plan.platforms
    }


def sim_counts(settings: Settings, platforms: list[str]) -> dict[str, dict[str, int]]:
    return {
        p: {level: len(sim_objects(settings, p, level)) for level in ("campaign", "ad_set", "ad")} for p in platforms
    }


@dataclass
class CallLog:
    """Every request one platform's client sent, with when it left and what came back."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def attach(self, http: httpx.AsyncClient) -> None:
        async def on_request(request: httpx.Request) -> None:
            request.extensions["adly_sent"] = time.monotonic()

        async def on_response(response: httpx.Response) -> None:
            await response.aread()
            self.calls.append({
                "method": response.request.method, "path": response.request.url.path,
                "sent": response.request.extensions.get("adly_sent"), "done": time.monotonic(),
                "status": response.status_code, "body": response.text[:2000],
            })  # fmt: skip

        http.event_hooks["request"].append(on_request)
        http.event_hooks["response"].append(on_response)


async def wait_for(predicate: Any, limit_s: float = 60.0) -> None:
    deadline = time.monotonic() + limit_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)
