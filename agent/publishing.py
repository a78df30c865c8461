"""The publish saga: every external write is a ledger row first, created paused, read back, activated last, once.

Rules (DESIGN.md section 5):
- a step's idempotency key is derived from the campaign, the approved plan's hash and the object's plan key,
  so a retry, a resumed thread or a restarted process sends the same key and never a new one;
- the ledger row is committed before the call (planned -> sending -> created | unknown | failed);
- a timeout is "unknown": reconcile by looking the object up by its key before any retry;
- everything is created paused; activation happens only when every level of every platform exists and
  read back paused; children first, the campaign last, so nothing delivers half-built;
- a terminal failure compensates: pause, then delete what was created, through the same ledger.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent.context import AgentContext
from agent.planning import AdPlan, AdSetPlan, CampaignPlan, PlatformPlan
from store import repositories as repo
from tools.platforms.base import (
    AdPlatformClient,
    AdSetSpec,
    AdSpec,
    CampaignSpec,
    GeoTarget,
    MediaRef,
    MediaSpec,
    Money,
    OutcomeUnknown,
    PlatformError,
    RateLimited,
    Targeting,
    TokenExpired,
    TransientError,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
MAX_BACKOFF_S = 60.0


class NeedsReconnect(Exception):
    """The platform token expired and cannot be refreshed: the user must connect the account again."""

    def __init__(self, platform: str) -> None:
        super().__init__(f"{platform} token expired")
        self.platform = platform


@dataclass
class PlatformOutcome:
    platform: str
    ok: bool = False
    external_campaign_id: str | None = None
    ad_sets: dict[str, str] = field(default_factory=dict)  # plan key -> external id
    ads: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    compensated: bool = False
    needs_reconnect: bool = False
    ads_manager_url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "ok": self.ok,
            "external_campaign_id": self.external_campaign_id,
            "ad_sets": [{"key": k, "external_id": v} for k, v in self.ad_sets.items()],
            "ads": [{"key": k, "external_id": v} for k, v in self.ads.items()],
            "error": self.error,
            "compensated": self.compensated,
            "needs_reconnect": self.needs_reconnect,
            "ads_manager_url": self.ads_manager_url,
        }


@dataclass
class _Account:
    """A platform account during one publish: its token lives only here, in memory, never in state or logs."""

    ad_account_id: str
    external_id: str
    token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    refresh_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    backoff_until: float = 0.0


def step_key(plan: CampaignPlan, plan_hash: str, platform: str, plan_key: str, kind: str) -> str:
    return f"{plan.campaign_id[:12]}.{plan_hash[:10]}.{platform}.{plan_key}.{kind}"


class PlatformPublisher:
    """Publishes one platform's part of the plan through the ledger."""

    def __init__(self, ctx: AgentContext, plan: CampaignPlan, plan_hash: str, pplan: PlatformPlan) -> None:
        self.ctx = ctx
        self.plan = plan
        self.plan_hash = plan_hash
        self.pplan = pplan
        self.client: AdPlatformClient = ctx.platforms[pplan.platform]
        self.outcome = PlatformOutcome(platform=pplan.platform)
        self.account: _Account | None = None
        self.media: dict[str, MediaRef] = {}
        self.timezone = "Asia/Riyadh"

    # ---------------------------------------------------------------------------------------- ledger

    def key(self, plan_key: str, kind: str) -> str:
        return step_key(self.plan, self.plan_hash, self.pplan.platform, plan_key, kind)

    async def step(
        self,
        *,
        kind: str,
        plan_key: str,
        parent_key: str | None,
        send: Callable[[str], Awaitable[str]],
        reconcile: Callable[[str], Awaitable[str | None]] | None,
    ) -> str:
        """Run one external write exactly once: its ledger row decides whether to send, reconcile or reuse."""
        key = self.key(plan_key, kind)
        async with self.ctx.sessions() as session, session.begin():
            row = await repo.plan_step(
                session=session,
                campaign_id=self.plan.campaign_id,
                platform=self.pplan.platform,
                idempotency_key=key,
                object_kind=kind,
                plan_key=plan_key,
                parent_key=parent_key,
            )
            state, external_id = row.state, row.external_id
        if state == "created" and external_id:
            return external_id
        if state in ("sending", "unknown") and reconcile is not None:
            # A previous attempt may have reached the platform (crash or timeout): look before sending again.
            found = await reconcile(key)
            if found:
                await self._mark(key, "created", external_id=found)
                return found

        for attempt in range(1, MAX_ATTEMPTS + 1):
            await self._wait_for_account()
            await self._mark(key, "sending")
            try:
                created = await send(key)
            except OutcomeUnknown as exc:
                await self._mark(key, "unknown", error=str(exc))
                found = await reconcile(key) if reconcile is not None else None
                if found:
                    await self._mark(key, "created", external_id=found)
                    return found
                await self._backoff(attempt, None)
                continue
            except RateLimited as exc:
                await self._mark(key, "planned", error=str(exc))
                await self._backoff(attempt, exc.retry_after_s)
                continue
            except TokenExpired as exc:
                await self._mark(key, "planned", error=str(exc))
                await self._refresh_token()
                continue
            except TransientError as exc:
                await self._mark(key, "planned", error=str(exc))
                await self._backoff(attempt, None)
                continue
            except PlatformError as exc:
                await self._mark(key, "failed", error=_describe(exc))
                raise
            await self._mark(key, "created", external_id=created)
            return created
        await self._mark(key, "failed", error="gave up after retries")
        raise TransientError(f"gave up after {MAX_ATTEMPTS} attempts", platform=self.pplan.platform)

    async def _mark(
        self, key: str, state: str, *, external_id: str | None = None, error: str | None = None
    ) -> None:
        async with self.ctx.sessions() as session, session.begin():
            await repo.set_step_state(
                session=session, idempotency_key=key, state=state, external_id=external_id, error=error
            )

    async def _backoff(self, attempt: int, retry_after_s: float | None) -> None:
        """Per-account backoff: the whole account waits, so parallel branches do not hammer a parked quota."""
        delay = (
            retry_after_s if retry_after_s is not None else self.ctx.publish_backoff_s * (2 ** (attempt - 1))
        )
        delay = min(delay, MAX_BACKOFF_S)
        assert self.account is not None
        loop = asyncio.get_running_loop()
        self.account.backoff_until = max(self.account.backoff_until, loop.time() + delay)

    async def _wait_for_account(self) -> None:
        assert self.account is not None
        loop = asyncio.get_running_loop()
        while (remaining := self.account.backoff_until - loop.time()) > 0:
            await asyncio.sleep(remaining)

    async def _refresh_token(self) -> None:
        """Single-flight refresh: the first branch refreshes, the others wait and use the new token."""
        assert self.account is not None
        account = self.account
        stale = account.token
        async with account.refresh_lock:
            if account.token != stale:
                return
            if not account.refresh_token:
                await self._mark_reconnect()
                raise NeedsReconnect(self.pplan.platform)
            from tools.platforms.base import TokenSet

            try:
                fresh = await self.client.refresh(
                    tokens=TokenSet(access_token=stale, refresh_token=account.refresh_token)
                )
            except PlatformError as exc:
                await self._mark_reconnect()
                raise NeedsReconnect(self.pplan.platform) from exc
            async with self.ctx.sessions() as session, session.begin():
                row = await repo.get_ad_account(session=session, ad_account_id=account.ad_account_id)
                assert row is not None
                await repo.update_tokens(
                    session=session,
                    cipher=self.ctx.cipher,
                    account=row,
                    access_token=fresh.access_token,
                    refresh_token=fresh.refresh_token or account.refresh_token,
                    token_expires_at=fresh.expires_at,
                )
            account.token = fresh.access_token
            account.refresh_token = fresh.refresh_token or account.refresh_token

    async def _mark_reconnect(self) -> None:
        assert self.account is not None
        async with self.ctx.sessions() as session, session.begin():
            await repo.mark_account_status(
                session=session, ad_account_id=self.account.ad_account_id, status="needs_reconnect"
            )

    # ---------------------------------------------------------------------------------------- build

    async def load_account(self) -> None:
        async with self.ctx.sessions() as session:
            row = await repo.get_ad_account(session=session, ad_account_id=self.pplan.ad_account_id)
            if row is None:
                raise NeedsReconnect(self.pplan.platform)
            token, refresh = repo.read_tokens(cipher=self.ctx.cipher, account=row)
        if not token:
            raise NeedsReconnect(self.pplan.platform)
        self.account = _Account(self.pplan.ad_account_id, row.external_account_id, token, refresh)
        self.timezone = row.timezone or "Asia/Riyadh"

    @property
    def token(self) -> str:
        assert self.account is not None
        return self.account.token

    @property
    def acct(self) -> str:
        assert self.account is not None
        return self.account.external_id

    async def create_all(self) -> None:
        """Media beside the campaign -> ad set chain; then the ads, which need both."""
        media_ids = sorted({a for s in self.pplan.ad_sets for ad in s.ads for a in ad.media_asset_ids})
        media_task = asyncio.gather(*(self._upload(asset_id) for asset_id in media_ids))
        chain_task = self._campaign_and_ad_sets()
        await asyncio.gather(media_task, chain_task)
        await asyncio.gather(*(self._ad(s, ad) for s in self.pplan.ad_sets for ad in s.ads))

    async def _upload(self, asset_id: str) -> None:
        async with self.ctx.sessions() as session:
            rows = await repo.get_assets(session=session, asset_ids=[asset_id])
        asset = rows[0]
        kind = "video" if asset.kind == "video" else "image"
        path = self.ctx.asset_dir / (asset.file_path or "")
        plan_key = f"media/{asset_id}"

        async def send(key: str) -> str:
            spec = MediaSpec(
                kind=kind, path=Path(path), name=f"adly-{asset_id[:12]}{path.suffix}", idempotency_key=key
            )
            ref = await self.client.upload_media(token=self.token, account_id=self.acct, spec=spec)
            return ref.external_id

        async def reconcile(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token, account_id=self.acct, kind=kind, idempotency_key=key
            )

        external = await self.step(
            kind=kind, plan_key=plan_key, parent_key=None, send=send, reconcile=reconcile
        )
        self.media[asset_id] = MediaRef(kind=kind, external_id=external)

    async def _campaign_and_ad_sets(self) -> None:
        p = self.pplan
        campaign_budget = None  # budgets live on ad sets, so each audience gets its share

        async def send_campaign(key: str) -> str:
            spec = CampaignSpec(
                name=p.campaign_name,
                objective=p.objective,
                budget=campaign_budget,
                budget_period=p.budget_period,
                special_ad_categories=p.special_ad_categories,
                idempotency_key=key,
            )
            return await self.client.create_campaign(token=self.token, account_id=self.acct, spec=spec)

        async def reconcile_campaign(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token, account_id=self.acct, kind="campaign", idempotency_key=key
            )

        campaign_id = await self.step(
            kind="campaign",
            plan_key="campaign",
            parent_key=None,
            send=send_campaign,
            reconcile=reconcile_campaign,
        )
        self.outcome.external_campaign_id = campaign_id
        await self._store(campaign_id=campaign_id)
        await asyncio.gather(*(self._ad_set(campaign_id, s) for s in p.ad_sets))

    async def _ad_set(self, campaign_id: str, s: AdSetPlan) -> None:
        tz = ZoneInfo(self._timezone())
        start = datetime.combine(s.start_date, time(0, 0), tz)
        now = self.ctx.clock().astimezone(tz)
        if start <= now:
            start = (now + timedelta(minutes=15)).replace(second=0, microsecond=0)
        end = datetime.combine(s.end_date, time(23, 59), tz)

        async def send(key: str) -> str:
            spec = AdSetSpec(
                name=s.name,
                campaign_id=campaign_id,
                objective=self.pplan.objective,
                budget=Money(s.budget_amount, s.currency),
                budget_period=s.budget_period,
                start_time=start,
                end_time=end,
                targeting=Targeting(
                    age_min=s.age_min,
                    age_max=s.age_max,
                    genders=s.genders,  # type: ignore[arg-type]
                    locations=[
                        GeoTarget(name=loc.name, kind=loc.kind, country_code=loc.country_code)
                        for loc in s.locations
                    ],
                    languages=s.languages,
                    publisher_platforms=self.pplan.publisher_platforms,
                ),
                idempotency_key=key,
            )
            return await self.client.create_ad_set(token=self.token, account_id=self.acct, spec=spec)

        async def reconcile(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token,
                account_id=self.acct,
                kind="ad_set",
                idempotency_key=key,
                parent_id=campaign_id,
            )

        external = await self.step(
            kind="ad_set", plan_key=s.key, parent_key="campaign", send=send, reconcile=reconcile
        )
        self.outcome.ad_sets[s.key] = external
        await self._store(ad_set=(s, external))

    async def _ad(self, s: AdSetPlan, ad: AdPlan) -> None:
        ad_set_id = self.outcome.ad_sets[s.key]

        async def send(key: str) -> str:
            spec = AdSpec(
                name=ad.name,
                ad_set_id=ad_set_id,
                language=ad.language,
                headline=ad.headline,
                primary_text=ad.primary_text,
                description=ad.description or None,
                cta=ad.cta,  # type: ignore[arg-type]
                landing_url=self.plan.landing_url,
                brand_name=self.ctx.brand_name,
                media=[self.media[a] for a in ad.media_asset_ids if a in self.media],
                idempotency_key=key,
            )
            created = await self.client.create_ad(token=self.token, account_id=self.acct, spec=spec)
            return created.ad_id

        async def reconcile(key: str) -> str | None:
            return await self.client.find_by_key(
                token=self.token, account_id=self.acct, kind="ad", idempotency_key=key, parent_id=ad_set_id
            )

        external = await self.step(
            kind="ad", plan_key=ad.key, parent_key=s.key, send=send, reconcile=reconcile
        )
        self.outcome.ads[ad.key] = external
        await self._store(ad=(s, ad, external))

    def _timezone(self) -> str:
        return self.timezone

    async def _store(
        self,
        *,
        campaign_id: str | None = None,
        ad_set: tuple[AdSetPlan, str] | None = None,
        ad: tuple[AdSetPlan, AdPlan, str] | None = None,
        status: str | None = None,
    ) -> None:
        """External ids are stored the moment each object exists, so the user always sees what is out there."""
        async with self.ctx.sessions() as session, session.begin():
            pc = await repo.upsert_platform_campaign(
                session=session,
                campaign_id=self.plan.campaign_id,
                platform=self.pplan.platform,
                ad_account_id=self.pplan.ad_account_id,
                external_campaign_id=campaign_id,
                status=status,
            )
            tree = {row.plan_key: row for row in await _ad_set_rows(session, pc.id)}
            if ad_set is not None:
                plan_set, external = ad_set
                row = tree.get(plan_set.key)
                if row is not None:
                    row.external_id = external
                    row.status = "paused"
            if ad is not None:
                plan_set, plan_ad, external = ad
                row = tree.get(plan_set.key)
                if row is not None:
                    for ad_row in row.ads:
                        if ad_row.plan_key == plan_ad.key:
                            ad_row.external_id = external
                            ad_row.status = "paused"
            await session.flush()

    # ---------------------------------------------------------------------------------------- verify, activate

    async def verify_paused(self) -> None:
        """Read every object back before anything is activated: all of it must exist and be paused."""
        checks: list[tuple[str, str]] = [("campaign", self.outcome.external_campaign_id or "")]
        checks += [("ad_set", i) for i in self.outcome.ad_sets.values()]
        checks += [("ad", i) for i in self.outcome.ads.values()]
        states = await asyncio.gather(
            *(
                self.client.get_state(token=self.token, account_id=self.acct, kind=kind, external_id=i)  # type: ignore[arg-type]
                for kind, i in checks
            )
        )
        wrong = [s for s in states if s.status not in ("paused", "pending_review")]
        if wrong:
            raise PlatformError(
                f"{len(wrong)} object(s) are not paused before activation: "
                + ", ".join(f"{s.kind} {s.external_id}={s.status}" for s in wrong),
                platform=self.pplan.platform,
            )

    async def activate(self) -> None:
        """Children first, the campaign last, one ledger step each, so a retry activates nothing twice."""
        levels: list[tuple[str, list[str]]] = [
            ("ad", list(self.outcome.ads.values())),
            ("ad_set", list(self.outcome.ad_sets.values())),
            ("campaign", [self.outcome.external_campaign_id or ""]),
        ]
        for kind, ids in levels:
            if not ids:
                continue

            async def send(key: str, kind: str = kind, ids: list[str] = ids) -> str:
                await self.client.set_status(
                    token=self.token,
                    account_id=self.acct,
                    kind=kind,
                    external_ids=ids,
                    status="active",  # type: ignore[arg-type]
                )
                return ",".join(ids)

            await self.step(
                kind="activate", plan_key=f"activate/{kind}", parent_key=None, send=send, reconcile=None
            )
        state = await self.client.get_state(
            token=self.token,
            account_id=self.acct,
            kind="campaign",
            external_id=self.outcome.external_campaign_id or "",
        )
        if state.status != "active":
            raise PlatformError(
                f"campaign reads back {state.status} after activation", platform=self.pplan.platform
            )
        await self._store(campaign_id=self.outcome.external_campaign_id, status="active")
        await self._set_tree_status("active")

    async def compensate(self) -> None:
        """Pause, then delete, everything this platform created for the campaign, through the ledger."""
        async with self.ctx.sessions() as session:
            steps = await repo.list_steps(
                session=session, campaign_id=self.plan.campaign_id, platform=self.pplan.platform
            )
        created = [
            s
            for s in steps
            if s.state == "created" and s.external_id and s.object_kind in ("campaign", "ad_set", "ad")
        ]
        if not created or self.account is None:
            return
        order = {"ad": 0, "ad_set": 1, "campaign": 2}
        for s in sorted(created, key=lambda s: order[s.object_kind]):
            try:
                await self.client.set_status(
                    token=self.token,
                    account_id=self.acct,
                    kind=s.object_kind,  # type: ignore[arg-type]
                    external_ids=[s.external_id or ""],
                    status="paused",
                )
            except PlatformError as exc:
                log.warning("pause during compensation failed: %s", _describe(exc))
        for s in sorted(created, key=lambda s: -order[s.object_kind]):
            # Deleting the campaign removes its children on every platform; delete children only if it fails.
            await self._mark(s.idempotency_key, "compensating")
            try:
                await self.client.delete(
                    token=self.token,
                    account_id=self.acct,
                    kind=s.object_kind,
                    external_id=s.external_id or "",  # type: ignore[arg-type]
                )
            except PlatformError as exc:
                log.warning("delete during compensation failed: %s", _describe(exc))
                await self._mark(s.idempotency_key, "compensating", error=_describe(exc))
                continue
            await self._mark(s.idempotency_key, "compensated")
        self.outcome.compensated = True
        await self._set_tree_status("deleted")

    async def _set_tree_status(self, status: str) -> None:
        async with self.ctx.sessions() as session, session.begin():
            pc = await repo.upsert_platform_campaign(
                session=session,
                campaign_id=self.plan.campaign_id,
                platform=self.pplan.platform,
                ad_account_id=self.pplan.ad_account_id,
                status=status,
            )
            for row in await _ad_set_rows(session, pc.id):
                if row.external_id:
                    row.status = status
                for ad_row in row.ads:
                    if ad_row.external_id:
                        ad_row.status = status
            await session.flush()


async def _ad_set_rows(session: Any, platform_campaign_id: str) -> list[Any]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from store.models import AdSet

    stmt = (
        select(AdSet)
        .where(AdSet.platform_campaign_id == platform_campaign_id)
        .options(selectinload(AdSet.ads))
    )
    return list(await session.scalars(stmt))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PlatformError):
        code = f" [{exc.platform_code}]" if exc.platform_code is not None else ""
        return f"{exc.platform_message}{code}"
    return str(exc) or type(exc).__name__


async def publish_plan(
    ctx: AgentContext,
    plan: CampaignPlan,
    plan_hash: str,
    *,
    report: Callable[[str], Awaitable[None]] | None = None,
) -> dict[str, PlatformOutcome]:
    """Create everything paused on every platform (in parallel), verify, then activate; compensate on failure."""
    publishers = [PlatformPublisher(ctx, plan, plan_hash, p) for p in plan.platforms]

    async def build(pub: PlatformPublisher) -> None:
        try:
            await pub.load_account()
            await pub.create_all()
            await pub.verify_paused()
        except NeedsReconnect:
            pub.outcome.needs_reconnect = True
            pub.outcome.error = "the ad account must be connected again (token expired)"
            raise
        except PlatformError as exc:
            pub.outcome.error = _describe(exc)
            raise

    results = await asyncio.gather(*(build(p) for p in publishers), return_exceptions=True)
    failed = [p for p, r in zip(publishers, results, strict=True) if isinstance(r, BaseException)]
    unexpected = [
        r
        for r in results
        if isinstance(r, BaseException) and not isinstance(r, PlatformError | NeedsReconnect)
    ]
    for error in unexpected:
        log.error("publish failed unexpectedly", exc_info=error)
    if failed:
        for pub, result in zip(publishers, results, strict=True):
            if isinstance(result, BaseException) and pub.outcome.error is None:
                pub.outcome.error = _describe(result)
        # A platform whose token must be reconnected keeps its paused objects, so a reconnect can finish the job;
        # everything else is compensated so nothing half-built lingers.
        reconnect_only = all(p.outcome.needs_reconnect for p in failed) and not unexpected
        if not reconnect_only:
            await asyncio.gather(*(p.compensate() for p in publishers), return_exceptions=True)
        return {p.pplan.platform: p.outcome for p in publishers}

    activation = await asyncio.gather(*(p.activate() for p in publishers), return_exceptions=True)
    for pub, result in zip(publishers, activation, strict=True):
        if isinstance(result, BaseException):
            pub.outcome.error = _describe(result)
        else:
            pub.outcome.ok = True
            pub.outcome.ads_manager_url = pub.client.ads_manager_url(
                account_id=pub.acct, campaign_id=pub.outcome.external_campaign_id or ""
            )
        if report is not None and pub.outcome.ok:
            await report(pub.pplan.platform)
    if any(isinstance(r, BaseException) for r in activation):
        # Activation failed midway: pause every platform so nothing delivers; the ledger makes a retry safe.
        for pub in publishers:
            try:
                await pub.client.set_status(
                    token=pub.token,
                    account_id=pub.acct,
                    kind="campaign",
                    external_ids=[pub.outcome.external_campaign_id or ""],
                    status="paused",
                )
                pub.outcome.ok = False
            except PlatformError as exc:
                log.warning("pause after failed activation failed: %s", _describe(exc))
    return {p.pplan.platform: p.outcome for p in publishers}


def utc_now() -> datetime:
    return datetime.now(UTC)
