"""Building one platform's tree, everything created paused: media, campaign, ad sets, creatives, ads.

Each object is one ledger step (`PlatformPublisher.step`). Media and creatives are made beside the campaign ->
ad set chain; an ad starts once its ad set, its media and its creative exist; the ad sets' lookups (locations)
are warmed up beside the campaign create.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent.planning import AdPlan, AdSetPlan
from agent.publishing.ledger import media_kinds
from agent.publishing.outcome import NeedsReconnect
from agent.publishing.policy import PlatformPublisher
from agent.publishing.utm import ad_landing_url
from store import repositories as repo
from tools.platforms.base import (
    AdPlatformClient,
    AdSetSpec,
    AdSpec,
    CampaignSpec,
    CreativeSpec,
    GeoTarget,
    MediaRef,
    MediaSpec,
    Money,
    PlatformError,
    RateLimited,
    Targeting,
)


def adopt(pub: PlatformPublisher) -> None:
    """What the ledger already holds (an earlier run), so the outcome lists it even before any call."""
    for kind, plan_key, _ in pub.planned_steps():
        state, external = pub.steps.get(pub.key(plan_key, kind), ("planned", None))
        if state != "created" or not external:
            continue
        if kind == "campaign":
            pub.outcome.external_campaign_id = external
        elif kind == "ad_set":
            pub.outcome.ad_sets[plan_key] = external
        elif kind == "ad":
            pub.outcome.ads[plan_key] = external


async def create_all(pub: PlatformPublisher) -> None:
    """Media and creatives beside the campaign -> ad set chain; an ad starts once its ad set and creative exist."""
    await _Tree(pub).create_all()


class _ImageUploads:
    """Images whose uploads start together leave in one call where the platform takes several (Meta).

    Each image stays a ledger step of its own (premarked or marked, reconciled, retried on its own); only
    the HTTP call is shared. The first image to ask waits one turn of the event loop for the images started
    beside it (a tree's images all start at once), then sends them, `images_per_upload` to a call, and
    answers each with its own result or the call's error. An image retried later goes alone.
    """

    def __init__(self, client: AdPlatformClient) -> None:
        self.client = client
        self.waiting: list[tuple[MediaSpec, asyncio.Future[MediaRef]]] = []

    async def upload(self, *, token: str, account_id: str, spec: MediaSpec) -> MediaRef:
        future: asyncio.Future[MediaRef] = asyncio.get_running_loop().create_future()
        self.waiting.append((spec, future))
        if len(self.waiting) == 1:
            await asyncio.sleep(0)
            batch, self.waiting = self.waiting, []
            size = max(1, self.client.images_per_upload)
            try:
                await asyncio.gather(
                    *(self._send(batch[i : i + size], token, account_id) for i in range(0, len(batch), size))
                )
            except BaseException:
                for _, other in batch:  # cancelled: nobody is left waiting for an answer
                    other.cancel()
                raise
        return await future

    async def _send(
        self, chunk: list[tuple[MediaSpec, asyncio.Future[MediaRef]]], token: str, account_id: str
    ) -> None:
        try:
            refs = await self.client.upload_images(token=token, account_id=account_id, specs=[s for s, _ in chunk])
        except Exception as exc:
            for _, future in chunk:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), ref in zip(chunk, refs, strict=True):
            if not future.done():
                future.set_result(ref)


class _Tree:
    """One run's build of one platform's tree: the publisher's steps, and the media uploaded so far."""

    def __init__(self, pub: PlatformPublisher) -> None:
        self.pub = pub
        self.media: dict[str, MediaRef] = {}
        self.image_uploads = _ImageUploads(pub.client)

    async def create_all(self) -> None:
        pub = self.pub
        pub.act_for_account()
        adopt(pub)
        async with asyncio.TaskGroup() as tg:
            # Started in this order on purpose: the campaign heads the longest chain, and the media's bodies
            # (megabytes of video) take longer to send than the lookups.
            campaign = tg.create_task(self._campaign())
            media = {a: tg.create_task(self._upload(a, kind)) for a, kind in media_kinds(pub.pplan).items()}
            tg.create_task(self._warm_up())
            sets = {s.key: tg.create_task(self._ad_set(campaign, s)) for s in pub.pplan.ad_sets}
            for s in pub.pplan.ad_sets:
                for ad in s.ads:
                    ad_media = [media[a] for a in ad.media_asset_ids]
                    # A creative needs only its media (and the Page/profile): it is made beside the ad set.
                    creative = (
                        tg.create_task(self._creative(ad_media, s, ad)) if pub.client.separate_creatives else None
                    )
                    tg.create_task(self._ad(sets[s.key], ad_media, creative, s, ad))

    async def _warm_up(self) -> None:
        """Lookups the ad sets need (locations), made beside the campaign create instead of after it."""
        pub = self.pub
        locations = {
            (loc.name, loc.kind, loc.country_code): loc for s in pub.pplan.ad_sets for loc in s.locations
        }
        prefetch = getattr(pub.client, "prefetch", None)
        calls: list[Awaitable[Any]] = [
            pub.client.resolve_location(
                token=pub.token,
                account_id=pub.acct,
                location=GeoTarget(name=loc.name, kind=loc.kind, country_code=loc.country_code),
            )
            for loc in locations.values()
        ]
        if prefetch is not None:
            calls.append(
                prefetch(
                    token=pub.token, account_id=pub.acct, brand_name=pub.brand_name,
                    brand_avatar=pub.brand_avatar,
                )
            )
        prepare_keys = getattr(pub.client, "prepare_keys", None)
        if prepare_keys is not None:
            # Meta keys each object by an ad label: those of the ad sets, creatives and ads are made now, in a
            # batch beside the campaign create (which makes its own), not each on its object's critical path.
            keys = [
                pub.key(plan_key, kind)
                for kind, plan_key, _ in pub.planned_steps()
                if kind in ("ad_set", "creative", "ad")
                and pub.steps.get(pub.key(plan_key, kind), ("planned", None))[0] != "created"
            ]
            if keys:
                calls.append(prepare_keys(token=pub.token, account_id=pub.acct, idempotency_keys=keys))
        async def head_start(call: Awaitable[Any]) -> None:
            # Only a head start: a failure shows up again, with retries, in the call that needs the answer.
            # A rate limit still parks the account at once, like any other call's would.
            try:
                await call
            except RateLimited as exc:
                pub.park(exc.retry_after_s, 1)
            except (PlatformError, NeedsReconnect):
                pass

        await asyncio.gather(*(head_start(c) for c in calls))

    async def _upload(self, asset_id: str, kind: str) -> MediaRef:
        pub = self.pub
        plan_key = f"media/{asset_id}"
        existing = pub.steps.get(pub.key(plan_key, kind))
        if existing and existing[0] == "created" and existing[1]:
            ref = MediaRef(kind=kind, external_id=existing[1])  # type: ignore[arg-type]
            self.media[asset_id] = ref
            return ref
        path = pub.asset_paths[asset_id]

        async def send(key: str) -> str:
            spec = MediaSpec(
                kind=kind,  # type: ignore[arg-type]
                path=Path(path),
                name=pub.sent_name(kind, plan_key),
                idempotency_key=key,
            )
            if kind == "image" and pub.client.images_per_upload > 1:
                ref = await self.image_uploads.upload(token=pub.token, account_id=pub.acct, spec=spec)
            else:
                ref = await pub.client.upload_media(token=pub.token, account_id=pub.acct, spec=spec)
            return ref.external_id

        async def reconcile(key: str) -> str | None:
            return await pub.find_lost(key, kind=kind, plan_key=plan_key)  # type: ignore[arg-type]

        external = await pub.step(kind=kind, plan_key=plan_key, send=send, reconcile=reconcile)
        ref = MediaRef(kind=kind, external_id=external)  # type: ignore[arg-type]
        self.media[asset_id] = ref
        return ref

    async def _campaign(self) -> str:
        pub = self.pub
        p = pub.pplan

        async def send(key: str) -> str:
            spec = CampaignSpec(
                name=p.campaign_name,
                objective=p.objective,
                budget=None,  # budgets live on ad sets, so each audience gets its share
                budget_period=p.budget_period,
                special_ad_categories=p.special_ad_categories,
                idempotency_key=key,
            )
            return await pub.client.create_campaign(token=pub.token, account_id=pub.acct, spec=spec)

        async def reconcile(key: str) -> str | None:
            return await pub.find_lost(key, kind="campaign", plan_key="campaign")

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            return [pub.row("campaign", status, plan_key="campaign", external_id=external)]

        campaign_id = await pub.step(
            kind="campaign", plan_key="campaign", send=send, reconcile=reconcile, rows=rows
        )
        pub.outcome.external_campaign_id = campaign_id
        return campaign_id

    async def _ad_set(self, campaign_task: Awaitable[str], s: AdSetPlan) -> str:
        pub = self.pub
        campaign_id = await campaign_task
        tz = ZoneInfo(pub.timezone)
        start = datetime.combine(s.start_date, time(0, 0), tz)
        now = pub.ctx.clock().astimezone(tz)
        if start <= now:
            start = (now + timedelta(minutes=15)).replace(second=0, microsecond=0)
        end = datetime.combine(s.end_date, time(23, 59), tz)

        async def send(key: str) -> str:
            spec = AdSetSpec(
                name=s.name,
                campaign_id=campaign_id,
                objective=pub.pplan.objective,
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
                    publisher_platforms=pub.pplan.publisher_platforms,
                    placements=pub.pplan.placements,
                ),
                idempotency_key=key,
                message_destination=pub.pplan.message_destination,
            )
            return await pub.client.create_ad_set(token=pub.token, account_id=pub.acct, spec=spec)

        async def reconcile(key: str) -> str | None:
            return await pub.find_lost(key, kind="ad_set", plan_key=s.key, parent_id=campaign_id)

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            return [pub.row("ad_set", status, plan_key=s.key, external_id=external)]

        external = await pub.step(kind="ad_set", plan_key=s.key, send=send, reconcile=reconcile, rows=rows)
        pub.outcome.ad_sets[s.key] = external
        return external

    def _creative_spec(self, ad: AdPlan, media: list[MediaRef], key: str) -> CreativeSpec:
        pub = self.pub
        return CreativeSpec(
            name=pub.sent_name("creative", ad.key),
            language=ad.language,
            headline=ad.headline,
            primary_text=ad.primary_text,
            description=ad.description or None,
            cta=ad.cta,  # type: ignore[arg-type]
            # Tagged here, where the ad's link is made for its platform: the same link on every retry.
            landing_url=ad_landing_url(
                pub.plan.landing_url, platform=pub.platform, publisher_platforms=pub.pplan.publisher_platforms,
                campaign_name=pub.plan.name, campaign_id=pub.plan.campaign_id, ad_key=ad.key,
            ),
            brand_name=pub.brand_name,
            brand_avatar=pub.brand_avatar,
            media=media,
            idempotency_key=key,
            message_destination=pub.pplan.message_destination,
        )

    async def _creative(self, media_tasks: Sequence[Awaitable[MediaRef]], s: AdSetPlan, ad: AdPlan) -> str:
        pub = self.pub
        media = [await m for m in media_tasks]

        async def send(key: str) -> str:
            spec = self._creative_spec(ad, media, key)
            return await pub.client.create_creative(token=pub.token, account_id=pub.acct, spec=spec)

        async def reconcile(key: str) -> str | None:
            return await pub.find_lost(key, kind="creative", plan_key=ad.key)

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            if external is None:
                return []
            return [pub.row("ad", None, plan_key=ad.key, ad_set_key=s.key, creative_id=external)]

        return await pub.step(kind="creative", plan_key=ad.key, send=send, reconcile=reconcile, rows=rows)

    async def _ad(
        self,
        set_task: Awaitable[str],
        media_tasks: Sequence[Awaitable[MediaRef]],
        creative_task: Awaitable[str] | None,
        s: AdSetPlan,
        ad: AdPlan,
    ) -> None:
        pub = self.pub
        ad_set_id = await set_task
        media = [await m for m in media_tasks]
        creative_id = await creative_task if creative_task is not None else None

        async def send(key: str) -> str:
            spec = AdSpec(
                **self._creative_spec(ad, media, key).model_dump(exclude={"name", "idempotency_key"}),
                name=ad.name,
                ad_set_id=ad_set_id,
                creative_id=creative_id,
                idempotency_key=key,
            )
            created = await pub.client.create_ad(token=pub.token, account_id=pub.acct, spec=spec)
            return created.ad_id

        async def reconcile(key: str) -> str | None:
            return await pub.find_lost(key, kind="ad", plan_key=ad.key, parent_id=ad_set_id)

        def rows(external: str | None, status: str) -> list[repo.RowChange]:
            return [pub.row("ad", status, plan_key=ad.key, ad_set_key=s.key, external_id=external)]

        external = await pub.step(kind="ad", plan_key=ad.key, send=send, reconcile=reconcile, rows=rows)
        pub.outcome.ads[ad.key] = external
