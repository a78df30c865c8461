"""What tracking covers: every tracked campaign of every workspace, read from the store page by page (no cap),
grouped by the ad account its platform part runs on, since each platform call covers one account."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from agent.context import AgentContext
from store import repositories as repo
from store.models import AdAccount, Campaign, PlatformCampaign

TRACKED_STATUSES = ["live", "partially_live", "paused"]
STORE_PAGE = 500  # platform campaigns per store read


@dataclass
class AccountWork:
    """One ad account's share of a tracking run: its platform campaigns (with their campaigns)."""

    ad_account_id: str
    platform: str
    parts: list[tuple[PlatformCampaign, Campaign]] = field(default_factory=list)
    account: AdAccount | None = None

    def campaign_of(self) -> dict[str, str]:
        """Platform campaign id -> our campaign id."""
        return {str(pc.external_campaign_id): campaign.id for pc, campaign in self.parts}


async def tracked_work(
    ctx: AgentContext, *, with_tree: bool = False, campaign_ids: Iterable[str] | None = None
) -> list[AccountWork]:
    """Every tracked platform campaign grouped by ad account (accounts loaded), in a stable order.

    `campaign_ids` narrows it to those campaigns whatever their status (a campaign just published); else every
    campaign in TRACKED_STATUSES is covered, read STORE_PAGE at a time.
    """
    by_account: dict[str, AccountWork] = {}

    def add(parts: Iterable[tuple[PlatformCampaign, Campaign]]) -> None:
        for pc, campaign in parts:
            if not pc.external_campaign_id or not pc.ad_account_id:
                continue
            work = by_account.setdefault(pc.ad_account_id, AccountWork(pc.ad_account_id, pc.platform))
            work.parts.append((pc, campaign))

    async with ctx.reads()() as session:
        if campaign_ids is not None:
            for campaign_id in campaign_ids:
                campaign = await repo.get_campaign(session=session, campaign_id=campaign_id)
                if campaign is not None:
                    add((pc, campaign) for pc in await repo.campaign_tree(session=session, campaign_id=campaign_id))
        else:
            after: str | None = None
            while True:
                page = await repo.tracked_platform_campaigns(session=session, statuses=TRACKED_STATUSES,
                                                             after=after, limit=STORE_PAGE, with_tree=with_tree)
                add(page)
                if len(page) < STORE_PAGE:
                    break
                after = page[-1][0].id
        accounts = await repo.get_ad_accounts(session=session, ad_account_ids=list(by_account))
    for work in by_account.values():
        work.account = accounts.get(work.ad_account_id)
    return sorted(by_account.values(), key=lambda w: (w.platform, w.ad_account_id))


def summary_of(works: list[AccountWork]) -> dict[str, Any]:
    return {"accounts": len(works), "campaigns": len({c.id for w in works for _, c in w.parts})}
