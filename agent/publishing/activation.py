"""Read-back and activation: a platform's tree is read back paused, then switched on one level at a time.

Each level's activation is one ledger step, so a retry or a re-run never switches a level twice. The saga
switches the children of every platform first, the campaigns last; if that fails anywhere, `pause_again`
switches off whatever went live, and a re-run finishes the job.
"""

from __future__ import annotations

import asyncio
import logging

from agent.publishing.ledger import LEVELS
from agent.publishing.outcome import NeedsReconnect, describe
from agent.publishing.policy import PlatformPublisher
from store import repositories as repo
from tools.platforms.base import ObjectKind, PlatformError

log = logging.getLogger(__package__)  # the saga's one logger, "agent.publishing"

LIVE_STEP_STATES = ("sending", "unknown", "created")  # an activation that may have reached the platform


def _objects(pub: PlatformPublisher) -> list[tuple[ObjectKind, str]]:
    out: list[tuple[ObjectKind, str]] = [("campaign", pub.outcome.external_campaign_id or "")]
    out += [("ad_set", i) for i in pub.outcome.ad_sets.values()]
    out += [("ad", i) for i in pub.outcome.ads.values()]
    return out


def _activation_started(pub: PlatformPublisher, level: str) -> bool:
    state, _ = pub.steps.get(pub.key(f"activate/{level}", "activate"), ("planned", None))
    return state in LIVE_STEP_STATES


def premark_activations(pub: PlatformPublisher) -> None:
    """Queue "sending" for every level's activation, to commit with this tree's last "created" rows.

    Those rows must land before anything is switched on anyway, so the activations' own marks then cost
    no commit between the read-back and the first switch. "sending" only says a switch may have been
    sent, which holds: a crash before it leaves the next run sending it again (switching on is
    idempotent) with everything still paused meanwhile. `steps` learns of a mark only when its level is
    switched on, so the read-back still requires every level paused. Marks never used go back to
    "planned" at the end of the run (`saga._release_unsent`).
    """
    for level in LEVELS:
        key = pub.key(f"activate/{level}", "activate")
        has_objects = any(kind == level and i for kind, i in _objects(pub))
        if has_objects and pub.steps.get(key, ("planned", None))[0] == "planned":
            pub.premarked_activations.add(key)
            pub.ledger.submit_sending(key)


async def verify_paused(pub: PlatformPublisher) -> None:
    """Read every object back before anything is activated: all of it must exist and be paused.

    A level whose activation an earlier run already sent may read back active: its campaign is still
    paused (campaigns are switched on last), so nothing delivers, and the re-run completes the switch.
    """

    objects = _objects(pub)
    states = await pub.call(
        lambda: pub.client.get_states(token=pub.token, account_id=pub.acct, objects=objects)
    )
    wrong = []
    for (kind, _), st in zip(_objects(pub), states, strict=True):
        allowed = {"paused", "pending_review"}
        if _activation_started(pub, kind):
            allowed.add("active")
        if st.status not in allowed:
            wrong.append(st)
    if wrong:
        raise PlatformError(
            f"{len(wrong)} object(s) are not paused before activation: "
            + ", ".join(f"{s.kind} {s.external_id}={s.status}" for s in wrong),
            platform=pub.platform,
        )


async def activate_level(pub: PlatformPublisher, level: ObjectKind) -> None:
    """One ledger step per level: a retry or re-run never switches a level twice."""
    ids = [i for kind, i in _objects(pub) if kind == level and i]
    if not ids:
        return

    async def send(key: str) -> str:
        # Idempotent: the step's own loop retries it (a lost answer is simply sent again).
        await pub.client.set_status(
            token=pub.token, account_id=pub.acct, kind=level, external_ids=ids, status="active"
        )
        return ",".join(ids)

    def rows(external: str | None, status: str) -> list[repo.RowChange]:
        # Every object of the level that exists on the platform.
        return [pub.row(level, "active")] if status == "active" else []

    await pub.step(
        kind="activate", plan_key=f"activate/{level}", send=send, reconcile=None, rows=rows,
        done_status="active",
    )


async def activate_children(pub: PlatformPublisher) -> None:
    # The campaign stays paused while its ad sets and ads switch on together: nothing can deliver yet.
    await asyncio.gather(activate_level(pub, "ad"), activate_level(pub, "ad_set"))


async def activate_campaign(pub: PlatformPublisher) -> None:
    await activate_level(pub, "campaign")
    pub.outcome.ok = True
    pub.outcome.ads_manager_url = pub.client.ads_manager_url(
        account_id=pub.acct, campaign_id=pub.outcome.external_campaign_id or ""
    )


async def pause_again(pub: PlatformPublisher) -> None:
    """Undo a partial activation: campaign first (it stops everything at once), then its children."""
    if pub.account is None:
        return
    for level in ("campaign", "ad_set", "ad"):
        key = pub.key(f"activate/{level}", "activate")
        if not _activation_started(pub, level):
            continue
        ids = [i for kind, i in _objects(pub) if kind == level and i]
        try:
            await pub.call(
                lambda level=level, ids=ids: pub.client.set_status(  # type: ignore[misc]
                    token=pub.token, account_id=pub.acct, kind=level, external_ids=ids, status="paused"
                )
            )
        except (PlatformError, NeedsReconnect) as exc:
            # Still switched on: the ledger keeps saying so, and the campaign level decides delivery.
            log.warning("pausing %s %s again failed: %s", pub.platform, level, describe(exc))
            continue

        # Back to planned: the objects are paused again, so a re-run must switch them on again.
        await pub.mark(
            key, "planned", error="paused again: activation did not finish", rows=[pub.row(level, "paused")]
        )
    pub.outcome.ok = False
    pub.outcome.ads_manager_url = None
