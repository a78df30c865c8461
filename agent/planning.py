"""Turns a validated CampaignRequest and generated creative into a frozen, hashable CampaignPlan."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.localize import ad_label, arabic_campaign_name, audience_text, platform_short_name
from agent.models import BudgetPeriod, CampaignRequest, Location
from agent.platform_rules import meta as meta_rules
from agent.platform_rules import placements as placement_rules
from agent.platform_rules import rules_for
from agent.platform_rules import snapchat as snapchat_rules
from agent.platform_rules.currency import quantum, round_down
from agent.platform_rules.special_categories import detect

# When the marketer gives no dates the campaign starts tomorrow (today's delivery would be a partial day
# already under way in the account's time zone) and runs this many days. The one place this lives:
# validation explains it to the user with the same number.
DEFAULT_DURATION_DAYS = 7
# Copy languages when the request names none: the schema's default for an audience in the Arab world.
DEFAULT_LANGUAGES: tuple[str, ...] = ("ar", "en")
# Meta needs an objective; "traffic" is the mildest one that still needs only a landing page.
DEFAULT_OBJECTIVE = "traffic"
# Meta: a range this wide or wider gets two ad sets, so the younger and older halves can get different
# formats (seed section 4: image for the younger, video for the older) and their own delivery.
META_SPLIT_MIN_SPAN = 10
# Where to cut: the conventional reporting brackets (also TikTok's group edges), so 25-40 -> 25-34 / 35-40.
# The cut is non-overlapping (the seed's "25-35 / 35-40" would show 35-year-olds in both ad sets).
AGE_CUTS: tuple[int, ...] = (18, 25, 35, 45, 55, 65)
# Meta's effective bounds when one end is open.
META_AGE_MIN, META_AGE_MAX = 18, 65
OBJECTIVES_NEEDING_URL = frozenset({"sales", "traffic"})

AD_SET_WORD = {"meta": "adset", "tiktok": "adgroup", "snapchat": "adsquad"}
THEME_LABELS = {
    "ramadan": "Ramadan",
    "eid_al_fitr": "Eid al-Fitr",
    "eid_al_adha": "Eid al-Adha",
    "white_friday": "White Friday",
    "black_friday": "Black Friday",
    "saudi_national_day": "Saudi National Day",
    "founding_day": "Founding Day",
    "back_to_school": "Back to school",
    "new_year": "New Year",
    "mothers_day": "Mother's Day",
    "valentines": "Valentine's",
}
OBJECTIVE_NOUNS = {
    "sales": "sale",
    "traffic": "traffic",
    "awareness": "awareness",
    "engagement": "engagement",
    "leads": "leads",
    "app_installs": "app installs",
    "video_views": "video views",
}


class PlanError(ValueError):
    """The plan cannot be built from what was given (validation should have blocked it)."""


class AccountFacts(BaseModel):
    """What ADLY knows about the ad account connected for one platform."""

    platform: str
    ad_account_id: str  # ADLY's own id of the ad account row
    external_account_id: str  # act_..., advertiser_id, Snapchat ad account UUID
    currency: str
    timezone: str
    can_create_ads: bool = True


class CopyChoice(BaseModel):
    asset_id: str
    headline: str
    primary_text: str
    description: str
    cta: str


class CreativeSet(BaseModel):
    """What generation produced, by language (asset ids only)."""

    copy_: dict[str, CopyChoice] = Field(alias="copy")  # `copy` would shadow BaseModel.copy
    images: dict[str, dict[str, str]] = Field(default_factory=dict)  # lang -> {"1x1"|"4x5"|"9x16": asset id}
    videos: dict[str, str] = Field(default_factory=dict)  # lang -> 9:16 video asset id

    model_config = {"populate_by_name": True}


class AdPlan(BaseModel):
    key: str
    name: str
    language: str
    format: Literal["image", "video"]
    headline: str
    primary_text: str
    description: str
    cta: str
    copy_asset_id: str
    # Image ads: the image in every ratio there is (1x1, 4x5, 9x16). Video ads: the video first, then its
    # cover image (Meta's video_data needs a thumbnail, TikTok takes a cover in image_ids).
    media_asset_ids: list[str]


class AdSetPlan(BaseModel):
    key: str
    name: str
    age_min: int | None  # as the platform will target it; None = no bound (Meta 65 = 65+ -> None)
    age_max: int | None
    genders: list[str]
    locations: list[Location]
    languages: list[str]  # languages of the people reached; [] = no language targeting
    budget_amount: Decimal
    currency: str
    budget_period: BudgetPeriod
    start_date: date
    end_date: date
    ads: list[AdPlan]


class PlatformPlan(BaseModel):
    platform: str
    ad_account_id: str
    external_account_id: str
    currency: str
    campaign_name: str
    objective: str  # our vocabulary; the client maps it (platform_rules.<p>.RULES.objectives)
    publisher_platforms: list[str]  # Meta placements ([] = automatic); [] elsewhere
    # Placements in our words (platform_rules.placements; [] = automatic) and where a chat opens (None: a website).
    placements: list[str] = Field(default_factory=list)
    message_destination: str | None = None
    budget_amount: Decimal  # sum of the ad sets' budgets; the campaign itself stays uncapped
    budget_period: BudgetPeriod
    special_ad_categories: list[str]  # our vocabulary: housing, employment, credit
    ad_sets: list[AdSetPlan]


class CampaignPlan(BaseModel):
    campaign_id: str
    name: str
    currency: str
    total_budget: Decimal
    budget_period: BudgetPeriod
    start_date: date
    end_date: date
    landing_url: str
    platforms: list[PlatformPlan]

    def canonical_json(self) -> str:
        data = self.model_dump(mode="python")
        for p in data["platforms"]:
            # Unset, the later fields are left out: a plan that uses neither hashes as it did before they existed.
            for key in ("placements", "message_destination"):
                if not p.get(key):
                    p.pop(key, None)
        return json.dumps(data, sort_keys=True, separators=(",", ":"), default=_jsonable)

    def plan_hash(self) -> str:
        """sha256 of the canonical JSON (sorted keys, Decimals as strings): approvals bind to it."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def _jsonable(value: Any) -> str:
    if isinstance(value, Decimal | date):
        return str(value)
    raise TypeError(f"not serialisable in a plan: {type(value).__name__}")


# ------------------------------------------------------------------------------------------- schedule


def effective_schedule(request: CampaignRequest, today: date) -> tuple[date, date]:
    """(start, end inclusive) the campaign will run: given dates, else tomorrow and DEFAULT_DURATION_DAYS."""
    schedule = request.schedule
    start = schedule.start_date or today + timedelta(days=1)
    if schedule.end_date is not None:
        return start, schedule.end_date
    days = schedule.duration_days or DEFAULT_DURATION_DAYS
    return start, start + timedelta(days=days - 1)


def schedule_days(start: date, end: date) -> int:
    return (end - start).days + 1


def request_placements(request: CampaignRequest) -> list[str]:
    """The placements the marketer asked for (request extension `placements`), in our words."""
    value = (request.model_extra or {}).get("placements")
    return [str(p) for p in value] if isinstance(value, list) else []


def request_destination(request: CampaignRequest) -> str | None:
    """Where the ads should open a chat (request extension `message_destination`), or None."""
    value = (request.model_extra or {}).get("message_destination")
    return str(value) if isinstance(value, str) else None


# ------------------------------------------------------------------------------------------- audience


@dataclass(frozen=True)
class Segment:
    """One ad set's audience slice: ages as the platform will target them."""

    age_min: int | None
    age_max: int | None


def special_ad_categories(request: CampaignRequest, instruction: str | None = None) -> list[str]:
    """The categories to declare: the marketer's explicit decision (request extension), else detection."""
    explicit = (request.model_extra or {}).get("special_ad_categories")
    if isinstance(explicit, list):
        return sorted(str(c) for c in explicit)
    return sorted(detect(request_texts(request, instruction)))


def request_texts(request: CampaignRequest, instruction: str | None = None) -> list[str]:
    """Every piece of the marketer's own words the request carries."""
    texts = [instruction, request.theme, request.product, *request.audience.interests]
    for spans in request.sources.values():
        texts.extend(span.text for span in spans)
    for key in ("text", "instruction"):
        value = (request.model_extra or {}).get(key)
        if isinstance(value, str):
            texts.append(value)
    return [t for t in texts if t]


def _meta_split(lo: int, hi: int) -> list[Segment]:
    if hi - lo < META_SPLIT_MIN_SPAN:
        return [Segment(lo, hi)]
    cuts = [c for c in AGE_CUTS if lo < c <= hi - 1]
    if not cuts:
        return [Segment(lo, hi)]
    middle = (lo + hi + 1) / 2
    cut = min(cuts, key=lambda c: (abs(c - middle), c))
    return [Segment(lo, cut - 1), Segment(cut, hi)]


def audience_segments(
    request: CampaignRequest, platform: str, instruction: str | None = None
) -> list[Segment]:
    """The ad sets' age slices on `platform` (Meta may split in two; the others take the whole range)."""
    audience = request.audience
    rules = rules_for(platform)
    if platform == "meta":
        if special_ad_categories(request, instruction):
            return [Segment(meta_rules.SPECIAL_CATEGORY_AGE_MIN, None)]
        if audience.age_min is None and audience.age_max is None:
            return [Segment(None, None)]
        lo = audience.age_min if audience.age_min is not None else META_AGE_MIN
        hi = audience.age_max if audience.age_max is not None else META_AGE_MAX
        return [Segment(*rules.express_ages(s.age_min, s.age_max)) for s in _meta_split(lo, hi)]
    return [Segment(*rules.express_ages(audience.age_min, audience.age_max))]


def platform_locations(
    request: CampaignRequest, platform: str
) -> tuple[list[Location], list[tuple[Location, Location]]]:
    """(locations to target, [(asked, widened to)]): kinds the platform cannot target widen or are dropped."""
    rules = rules_for(platform)
    result: list[Location] = []
    widened: list[tuple[Location, Location]] = []
    for loc in request.audience.locations:
        if loc.country_code in rules.untargetable_countries:
            continue
        if loc.kind in rules.location_kinds:
            target = loc
        else:
            region = snapchat_rules.CITY_REGIONS.get((loc.name, loc.country_code))
            if region is not None and "region" in rules.location_kinds:
                target = Location(name=region, kind="region", country_code=loc.country_code)
            else:
                target = Location(
                    name=_country_name(loc.country_code), kind="country", country_code=loc.country_code
                )
            widened.append((loc, target))
        if target not in result:
            result.append(target)
    return result, widened


COUNTRY_NAMES = {
    "SA": "Saudi Arabia",
    "AE": "United Arab Emirates",
    "KW": "Kuwait",
    "QA": "Qatar",
    "BH": "Bahrain",
    "OM": "Oman",
    "EG": "Egypt",
    "JO": "Jordan",
    "LB": "Lebanon",
    "IQ": "Iraq",
    "PS": "Palestine",
}


def _country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


# ------------------------------------------------------------------------------------------- budget


def platform_minimum(
    request: CampaignRequest, platform: str, currency: str, days: int, instruction: str | None = None
) -> Decimal | None:
    """The least budget `platform`'s share may be (whole schedule if lifetime, else per day); None if unknown.

    It is the ad set minimum for each planned ad set (x days for a lifetime budget). Campaign-level minimums
    (TikTok's $50) do not bind because plans leave the campaign uncapped: budgets live on the ad sets, as
    TikTok itself recommends ("leave the campaign budget open"); a publisher that caps campaigns must check
    `rules_for(p).campaign_min` too.
    """
    rules = rules_for(platform)
    per_day = rules.ad_set_min_daily(currency, request.objective or DEFAULT_OBJECTIVE)
    if per_day is None:
        return None
    period = request.budget.period if request.budget else "lifetime"
    n_sets = len(audience_segments(request, platform, instruction))
    factor = days if period == "lifetime" and rules.lifetime_min_is_daily_times_days else 1
    return per_day * n_sets * factor


def split_evenly(total: Decimal, currency: str, parts: int) -> list[Decimal]:
    """`parts` amounts rounded DOWN to the minor unit, the remainder on the first: the sum is exact."""
    if parts <= 0:
        return []
    share = round_down(total / parts, currency)
    amounts = [share] * parts
    amounts[0] = total - share * (parts - 1)
    return amounts


def split_budget(total: Decimal, currency: str, minimums: Mapping[str, Decimal | None]) -> dict[str, Decimal]:
    """Split `total` over platforms: equal, except that a platform whose equal share is under its minimum
    gets exactly its minimum and the others share the rest equally (repeated until no share is short).

    Equal is the default because nothing in a sentence says which platform matters more; the minimum
    adjustment lets a budget that covers every platform's minimum go through instead of failing on the one
    platform with the higher floor (1000 SAR on Meta + TikTok over 7 days: TikTok needs 525). If the total
    cannot cover all minimums the split is plain equal and validation reports the shortfall.
    """
    names = list(minimums)
    floors = {p: minimums[p] or Decimal(0) for p in names}
    if not names:
        return {}
    if total < sum(floors.values()):
        return dict(zip(names, split_evenly(total, currency, len(names)), strict=True))
    pinned: dict[str, Decimal] = {}
    free = list(names)
    while True:
        rest = total - sum(pinned.values())
        short = [p for p in free if floors[p] * len(free) > rest]
        if not short:
            break
        for p in short:
            pinned[p] = floors[p]
        free = [p for p in free if p not in pinned]
        if not free:
            break
    shares = dict(pinned)
    rest = total - sum(pinned.values())
    if free:
        shares.update(zip(free, split_evenly(rest, currency, len(free)), strict=True))
    else:
        shares[names[0]] += rest  # every platform pinned: the leftover rounding goes to the first
    return {p: shares[p] for p in names}


def budget_shares(
    request: CampaignRequest, today: date, instruction: str | None = None
) -> tuple[dict[str, Decimal], dict[str, Decimal | None]]:
    """(share per platform, minimum per platform) for the request's budget over its effective schedule."""
    if request.budget is None:
        raise PlanError("the request has no budget")
    start, end = effective_schedule(request, today)
    days = schedule_days(start, end)
    currency = request.budget.currency
    minimums: dict[str, Decimal | None] = {
        p: platform_minimum(request, p, currency, days, instruction) for p in request.platforms
    }
    amount = Decimal(request.budget.amount).quantize(quantum(currency))
    return split_budget(amount, currency, minimums), minimums


# ------------------------------------------------------------------------------------------- naming


def campaign_name(request: CampaignRequest, start: date) -> str:
    """Named in the request's language: "Ramadan sale 2027" / "تخفيضات رمضان 2027" (Ads Manager shows it as is)."""
    if request.input_language == "ar":
        return arabic_campaign_name(request.theme, request.objective, request.product, start)
    noun = OBJECTIVE_NOUNS.get(request.objective or "", "")
    if request.theme:
        label = THEME_LABELS.get(request.theme, request.theme.replace("_", " ").capitalize())
    elif request.product:
        label = request.product.strip()
    else:
        return f"Campaign {start.isoformat()}"
    return " ".join(part for part in (label, noun, str(start.year)) if part)


def audience_label(
    locations: Sequence[Location], genders: Sequence[str], seg: Segment, language: str | None = None
) -> str:
    return audience_text(genders, seg.age_min, seg.age_max, [loc.name for loc in locations], language,
                         most_places=2)


# ------------------------------------------------------------------------------------------- plan


def _languages(request: CampaignRequest, creatives: CreativeSet) -> list[str]:
    wanted = request.languages or list(DEFAULT_LANGUAGES)
    langs = [lang for lang in wanted if lang in creatives.copy_]
    if not langs:
        raise PlanError(f"no generated copy for the requested languages {wanted}")
    return langs


def _pick(by_lang: Mapping[str, Any], lang: str) -> Any:
    # An asset in the ad's own language, else any: a visual without text works across languages.
    if lang in by_lang:
        return by_lang[lang]
    return next(iter(by_lang.values())) if by_lang else None


def _media(fmt: str, lang: str, creatives: CreativeSet, ratios: Sequence[str]) -> list[str]:
    images: dict[str, str] = _pick(creatives.images, lang) or {}
    if fmt == "image":
        return [images[r] for r in ratios if r in images]
    video = _pick(creatives.videos, lang)
    cover = images.get("9x16") or images.get("1x1") or images.get("4x5")
    return [video] + ([cover] if cover else [])


def platforms_without_media(platforms: Sequence[str], slots: Iterable[str]) -> list[str]:
    """The platforms the made assets cannot serve: TikTok needs a video, Meta and Snapchat an image or a video."""
    kinds = {slot.split(":")[0] for slot in slots}
    return [p for p in platforms
            if ("video" not in kinds if p == "tiktok" else not kinds & {"image", "video"})]


def _formats(
    platform: str, n_sets: int, creatives: CreativeSet, vertical: bool = False
) -> list[Literal["image", "video"]]:
    has_image, has_video = bool(creatives.images), bool(creatives.videos)
    if platform == "meta" and vertical and has_video:
        return ["video"] * n_sets  # Reels and Stories only: full-screen video is what they show
    if platform == "tiktok":
        if not has_video:
            raise PlanError("TikTok in-feed ads must be videos and no video was generated")
        return ["video"] * n_sets
    if platform == "meta":
        # Seed section 4: the younger ad set runs the image, the older one the video.
        preferred: list[Literal["image", "video"]] = ["image", "video"] if n_sets > 1 else ["image"]
        preferred += ["video"] * (n_sets - len(preferred))
    else:
        preferred = ["video"] * n_sets  # Snapchat: full-screen vertical video is its native format
    out: list[Literal["image", "video"]] = []
    for fmt in preferred:
        if fmt == "image" and not has_image:
            fmt = "video"
        if fmt == "video" and not has_video:
            fmt = "image"
        if fmt == "image" and not has_image:
            raise PlanError(f"no image or video was generated for {platform}")
        out.append(fmt)
    return out


def build_plan(
    request: CampaignRequest,
    *,
    campaign_id: str,
    accounts: Mapping[str, AccountFacts],
    creatives: CreativeSet,
    today: date,
    default_landing_url: str | None = None,
    instruction: str | None = None,
) -> CampaignPlan:
    """The structure to publish: per platform a campaign, its ad sets and their ads (seed section 4)."""
    if request.budget is None:
        raise PlanError("the request has no budget")
    if not request.platforms:
        raise PlanError("the request names no platform")
    landing_url = request.landing_url or default_landing_url
    if not landing_url:
        raise PlanError("no landing URL and no workspace default")
    currency = request.budget.currency
    for platform in request.platforms:
        account = accounts.get(platform)
        if account is None:
            raise PlanError(f"no {platform} ad account connected")
        if account.currency != currency:
            raise PlanError(f"{platform} ad account bills in {account.currency}, the budget is in {currency}")

    start, end = effective_schedule(request, today)
    name = campaign_name(request, start)
    period = request.budget.period
    shares, _ = budget_shares(request, today, instruction=instruction)
    langs = _languages(request, creatives)
    categories = special_ad_categories(request, instruction)
    objective = request.objective or DEFAULT_OBJECTIVE

    platforms: list[PlatformPlan] = []
    for platform in request.platforms:
        rules = rules_for(platform)
        account = accounts[platform]
        segments = audience_segments(request, platform, instruction)
        locations, _ = platform_locations(request, platform)
        genders: list[str] = [] if platform == "meta" and categories else list(request.audience.genders)
        placements = placement_rules.placements_for(platform, request_placements(request))
        vertical = placement_rules.vertical_only(placements)
        formats = _formats(platform, len(segments), creatives, vertical)
        amounts = split_evenly(shares[platform], currency, len(segments))
        ratios = ("1x1", "4x5", "9x16") if platform == "meta" and not vertical else ("9x16",)
        destination = placement_rules.destination_for(platform, request_destination(request))
        ad_sets: list[AdSetPlan] = []
        for i, (seg, fmt, amount) in enumerate(zip(segments, formats, amounts, strict=True), start=1):
            set_key = f"{platform}/{AD_SET_WORD[platform]}-{i}"
            set_name = f"{name} — {audience_label(locations, genders, seg, request.input_language)}"
            ads: list[AdPlan] = []
            for lang in langs:
                copy = creatives.copy_[lang]
                ads.append(
                    AdPlan(
                        key=f"{set_key}/ad-{lang}",
                        name=f"{set_name} — {ad_label(fmt, lang, request.input_language)}",
                        language=lang,
                        format=fmt,
                        headline=copy.headline,
                        primary_text=copy.primary_text,
                        description=copy.description,
                        cta=copy.cta,
                        copy_asset_id=copy.asset_id,
                        media_asset_ids=_media(fmt, lang, creatives, ratios),
                    )
                )
            ad_sets.append(
                AdSetPlan(
                    key=set_key,
                    name=set_name,
                    age_min=seg.age_min,
                    age_max=seg.age_max,
                    genders=genders,
                    locations=locations,
                    languages=[],
                    budget_amount=amount,
                    currency=currency,
                    budget_period=period,
                    start_date=start,
                    end_date=end,
                    ads=ads,
                )
            )
        platforms.append(
            PlatformPlan(
                platform=platform,
                ad_account_id=account.ad_account_id,
                external_account_id=account.external_account_id,
                currency=account.currency,
                campaign_name=f"{name} — "
                + (platform_short_name(platform, "ar") if request.input_language == "ar" else rules.name_en),
                objective=placement_rules.objective_on(platform, objective, request_destination(request)),
                publisher_platforms=list(request.publisher_platforms.get(platform, []))
                if platform == "meta"
                else [],
                placements=placements,
                message_destination=destination,
                budget_amount=shares[platform],
                budget_period=period,
                special_ad_categories=categories,
                ad_sets=ad_sets,
            )
        )
    return CampaignPlan(
        campaign_id=campaign_id,
        name=name,
        currency=currency,
        total_budget=sum((p.budget_amount for p in platforms), Decimal(0)),
        budget_period=period,
        start_date=start,
        end_date=end,
        landing_url=landing_url,
        platforms=platforms,
    )
