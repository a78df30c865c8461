"""The saga's orchestration: open the ledger, build every platform's tree, read back, activate; compensate.

One run publishes every platform of the plan in parallel, each through its own `PlatformPublisher`, all of
them sharing one `LedgerWriter`. The order across platforms is the saga's: every tree built and read back
paused first, then the children switched on everywhere, the campaigns last; a terminal failure anywhere
withdraws every platform (`compensation`), expired tokens leave everything paused until a reconnect.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from agent.brands import Brand, brand_avatar, brand_of
from agent.context import AgentContext
from agent.leases import fence
from agent.planning import CampaignPlan
from agent.publishing.activation import (
    activate_campaign,
    activate_children,
    pause_again,
    premark_activations,
    verify_paused,
)
from agent.publishing.compensation import compensate
from agent.publishing.ledger import LEVELS, LedgerWriter, media_kinds
from agent.publishing.outcome import NeedsReconnect, PlatformOutcome, describe
from agent.publishing.policy import PlatformPublisher
from agent.publishing.tree import adopt, create_all
from store import repositories as repo
from tools.platforms.base import PlatformError

log = logging.getLogger(__package__)  # the saga's one logger, "agent.publishing"


def _first_error(exc: BaseException) -> BaseException:
    """The error that decides a platform's fate out of a task group: a terminal one beats a reconnect."""
    if not isinstance(exc, BaseExceptionGroup):
        return exc
    leaves: list[BaseException] = []

    def walk(e: BaseException) -> None:
        if isinstance(e, BaseExceptionGroup):
            for inner in e.exceptions:
                walk(inner)
        else:
            leaves.append(e)

    walk(exc)
    for leaf in leaves:
        if not isinstance(leaf, NeedsReconnect | asyncio.CancelledError):
            return leaf
    return leaves[0]


async def _open_ledger(
    ctx: AgentContext, publishers: list[PlatformPublisher], *, premark: bool = False
) -> dict[str, BaseException]:
    """One transaction: every step of every platform planned (the outbox), and every account loaded.

    `premark`: every create step this run is about to send enters "sending" here, in this one transaction,
    instead of one commit before each call: the row still precedes the write, a crash still leaves it
    "sending" (so the next run looks the object up before sending), and the chain campaign -> ad set -> ad
    waits on no commit between its calls. Activations are still marked one by one: their "sending" state
    is what lets a level read back active. Steps this run never started go back to "planned" at its end
    (`_release_unsent`), so nothing needs a lookup that was never sent.
    """
    failures: dict[str, BaseException] = {}
    async with ctx.sessions() as session, session.begin():
        await fence(session, ctx)
        wanted = {
            pub.key(plan_key, kind): (pub, kind, plan_key, parent)
            for pub in publishers
            for kind, plan_key, parent in pub.planned_steps()
        }
        existing = await repo.get_step_states(session=session, idempotency_keys=list(wanted))
        missing = [k for k in wanted if k not in existing]
        if missing:
            await repo.plan_steps(
                session=session,
                steps=[
                    repo.PlannedStep(
                        pub.plan.campaign_id, pub.platform, k, kind, plan_key, parent,
                        # The name a lost answer is looked up by, kept with the step (media names are the
                        # assets' own, derived again from the plan).
                        {"name": pub.sent_name(kind, plan_key)} if kind in LEVELS or kind == "creative" else None,
                    )
                    for k in missing
                    for pub, kind, plan_key, parent in [wanted[k]]
                ],
            )
            if session.get_bind().dialect.name != "sqlite":
                # Elsewhere another writer may have inserted some of them first: read back what is there.
                # (SQLite transactions begin IMMEDIATE, holding the write lock: the rows are ours as inserted.)
                existing.update(await repo.get_step_states(session=session, idempotency_keys=missing))
        for key, (pub, kind, _, _) in wanted.items():
            row = existing.get(key)
            if row is None:
                pub.steps[key] = ("planned", None)
                continue
            if (row.campaign_id, row.platform, row.object_kind) != (pub.plan.campaign_id, pub.platform, kind):
                # Keys are derived from the plan; a clash means two different writes share a key.
                raise ValueError(f"idempotency key {key!r} already belongs to another step")
            pub.steps[key] = (row.state, row.external_id)
        accounts = await repo.get_ad_accounts(
            session=session, ad_account_ids=[pub.pplan.ad_account_id for pub in publishers]
        )
        for pub in publishers:
            try:
                pub.load_account(accounts.get(pub.pplan.ad_account_id))
            except NeedsReconnect as exc:
                failures[pub.platform] = exc
        # The ads carry their workspace's brand, as the creative does (Snap wants the paying advertiser's name).
        workspaces = {account.workspace_id for account in accounts.values()}
        if len(workspaces) == 1:
            brand = brand_of(ctx, await repo.get_workspace(session=session, workspace_id=workspaces.pop()))
            for pub in publishers:
                pub.brand_name = brand.name
        if premark:
            for pub in publishers:
                if pub.platform in failures:
                    continue
                pub.premarked = set(pub.planned_creates())
                for key in pub.premarked:
                    pub.steps[key] = ("sending", None)
            wave = [k for pub in publishers for k in pub.premarked]
            if wave:
                await repo.mark_steps_sending(session=session, idempotency_keys=wave, sent_at=ctx.clock())
        media = sorted({a for pub in publishers for a in media_kinds(pub.pplan)})
        assets = await repo.get_assets(session=session, asset_ids=media)
        paths = {a.id: ctx.asset_dir / (a.file_path or "") for a in assets}
        for pub in publishers:
            pub.asset_paths = {a: paths[a] for a in media_kinds(pub.pplan) if a in paths}
    return failures


async def publish_plan(
    ctx: AgentContext,
    plan: CampaignPlan,
    plan_hash: str,
    *,
    report: Callable[[str], Awaitable[None]] | None = None,
) -> dict[str, PlatformOutcome]:
    """Create everything paused on every platform (in parallel), verify, then activate; compensate on failure.

    Outcomes per platform: live; paused (everything exists, paused; a re-run finishes the activation);
    needs_reconnect (paused until the account is connected again; a re-run continues); compensated (a
    terminal failure somewhere: what was created was paused and deleted).
    """
    ledger = LedgerWriter(ctx)
    publishers = [PlatformPublisher(ctx, plan, plan_hash, p, ledger) for p in plan.platforms]
    early = await _open_ledger(ctx, publishers, premark=True)
    if publishers and publishers[0].brand_name != ctx.brand_name:  # a workspace's own brand: its own picture
        avatar = await brand_avatar(ctx, Brand(publishers[0].brand_name, None))
        for pub in publishers:
            pub.brand_avatar = avatar

    async def build(pub: PlatformPublisher) -> None:
        if pub.platform in early:
            raise early[pub.platform]
        try:
            try:
                await create_all(pub)
            except BaseException:
                await pub.ledger.flush()
                raise
            # The read-back needs no commit: it runs while the last "created" rows land. Activation, which
            # comes after, does need every one of them in the ledger.
            premark_activations(pub)
            # The read-back first: its calls go out before the commit's own work takes the loop.
            verified, flushed = await asyncio.gather(
                verify_paused(pub), pub.ledger.flush(), return_exceptions=True
            )
            for result in (verified, flushed):
                if isinstance(result, BaseException):
                    raise result
        except BaseExceptionGroup as group:
            raise _first_error(group) from None

    results = await asyncio.gather(*(build(p) for p in publishers), return_exceptions=True)
    failed = {p.platform: r for p, r in zip(publishers, results, strict=True) if isinstance(r, BaseException)}
    for platform, error in failed.items():
        if not isinstance(error, PlatformError | NeedsReconnect):
            log.error("publishing to %s failed unexpectedly", platform, exc_info=error)
    # Creates that never started are released now; activations too if nothing is to be switched on.
    await _release_unsent(ledger, publishers, activations=bool(failed))
    if failed:
        terminal = {p: e for p, e in failed.items() if not isinstance(e, NeedsReconnect)}
        for pub in publishers:
            reason = failed.get(pub.platform)
            if isinstance(reason, NeedsReconnect):
                pub.outcome.needs_reconnect = True
                pub.outcome.explain("why_token_expired")
            elif reason is not None:
                pub.outcome.explain("why_platform_said", words=describe(reason))
        if terminal:
            # All or nothing: a terminal failure anywhere withdraws every platform's objects.
            await asyncio.gather(*(compensate(p) for p in publishers), return_exceptions=True)
            for pub in publishers:
                if pub.platform not in failed:
                    pub.outcome.explain("why_withdrawn", platforms=sorted(terminal))
        else:
            # Only expired tokens: everything stays paused, so the reconnect can finish the job.
            for pub in publishers:
                pub.outcome.paused = True
                if pub.platform not in failed:
                    pub.outcome.explain("why_waiting_reconnect")
        return {p.platform: p.outcome for p in publishers}

    # Every platform's tree exists and reads back paused: switch the children on everywhere, then campaigns.
    problem = await _activate(publishers, activate_children)
    if problem is None:
        # The children's "active" rows land while the campaigns switch on (the order of the two is free).
        switched, landed = await asyncio.gather(
            _activate(publishers, activate_campaign), ledger.flush(), return_exceptions=True
        )
        if isinstance(switched, BaseException):
            raise switched
        if isinstance(landed, BaseException):
            raise landed
        problem = switched
    await _release_unsent(ledger, publishers, activations=True)
    await ledger.flush()
    if problem is not None:
        # Activation did not finish somewhere: pause again whatever went live, so nothing delivers half-done.
        await asyncio.gather(*(pause_again(p) for p in publishers), return_exceptions=True)
        for pub in publishers:
            pub.outcome.paused = True
            if pub.outcome.error is None:
                pub.outcome.explain("why_paused_again", platforms=problem)
        return {p.platform: p.outcome for p in publishers}

    for pub in publishers:
        if report is not None:
            await report(pub.platform)
    return {p.platform: p.outcome for p in publishers}


async def _release_unsent(ledger: LedgerWriter, publishers: list[PlatformPublisher], *, activations: bool) -> None:
    """Steps premarked "sending" whose call this run never started (a failure stopped it first) go back to
    "planned": they were certainly not sent, so no later run or compensation looks them up.

    `activations`: the premarked activations too (once no more switching on is to come in this run).
    """
    unsent = [key for pub in publishers for key in pub.premarked]
    if activations:
        unsent += [key for pub in publishers for key in pub.premarked_activations]
    if not unsent:
        return
    await ledger.flush()
    await ledger.write(lambda session: repo.unmark_steps_sending(session=session, idempotency_keys=unsent))
    for pub in publishers:
        for key in pub.premarked | (pub.premarked_activations if activations else set()):
            pub.steps[key] = ("planned", None)
        pub.premarked.clear()
        if activations:
            pub.premarked_activations.clear()


async def _activate(
    publishers: list[PlatformPublisher], phase: Callable[[PlatformPublisher], Awaitable[None]]
) -> list[str] | None:
    """Run one activation phase on every platform; the names of the platforms where it failed, if any."""
    results = await asyncio.gather(*(phase(p) for p in publishers), return_exceptions=True)
    failed = []
    for pub, result in zip(publishers, results, strict=True):
        if isinstance(result, BaseException):
            failed.append(pub.platform)
            if isinstance(result, NeedsReconnect):
                pub.outcome.needs_reconnect = True
                pub.outcome.explain("why_token_expired")
            else:
                pub.outcome.explain("why_platform_said", words=describe(result))
                if not isinstance(result, PlatformError):
                    log.error("activation on %s failed unexpectedly", pub.platform, exc_info=result)
    return failed or None


async def withdraw_plan(ctx: AgentContext, plan: CampaignPlan, plan_hash: str) -> dict[str, PlatformOutcome]:
    """The user gave up on a paused publish (e.g. instead of reconnecting): pause and delete what exists."""
    ledger = LedgerWriter(ctx)
    publishers = [PlatformPublisher(ctx, plan, plan_hash, p, ledger) for p in plan.platforms]
    await _open_ledger(ctx, publishers)
    for pub in publishers:
        adopt(pub)
    await asyncio.gather(*(compensate(p) for p in publishers), return_exceptions=True)
    for pub in publishers:
        if pub.account is None:
            pub.outcome.needs_reconnect = True
            pub.outcome.explain("why_not_withdrawn")
    return {p.platform: p.outcome for p in publishers}
