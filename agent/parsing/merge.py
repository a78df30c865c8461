"""Merge a thread reply ("1500 SAR, TikTok only", "drop TikTok", "women only") into a parsed request.

Platform replies, decided as follows:
- "add X" / "أضف X" joins X; "drop X" / "no X" / "شيل X" removes X; everything else stays.
- A plain or "only" mention ("TikTok only", "just Facebook", "سناب بس") replaces the selection.
- A correction that takes something out and names what comes in ("not Instagram, just Facebook",
  "Facebook, not Instagram", "مو انستقرام، فيسبوك بس") is a swap: X leaves, Y joins, the other
  platforms stay. After a negation "just"/"only" contrasts Y with X; it does not speak about the rest.
  Only an "only" said before the negation ("only Facebook, not Instagram") scopes over the whole
  selection and replaces it. A negated item that is not selected is no correction: plain replace.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from agent.models import Audience, Budget, CampaignRequest, Offer, Schedule, Span
from agent.parsing.analysis import Analysis
from agent.parsing.conflicts import open_conflicts, settle
from agent.parsing.rules import analyse

_PLATFORM_NAMES = {"meta": "Meta", "tiktok": "TikTok", "snapchat": "Snapchat"}


# "Riyadh, and drop TikTok" / "الرياض، وشيل تيك توك": a clause that adds or drops starts where the cue does; each
# clause is merged on its own, so the drop speaks only of what follows it (Riyadh is an answer, not dropped).
_CLAUSE_CUE = r"(?:drop|remove|delete|exclude|take\s+out|add|شيل|احذف|الغ|ألغ|أضف|اضف|ضيف)\b"
_CLAUSE = re.compile(rf"\s*(?:[,،;]\s*(?:(?:and|then)\s+|و)?|\s+(?:and|then)\s+|\s+و)(?={_CLAUSE_CUE})", re.I)


def merge_reply(request: CampaignRequest, reply: str, *, today: date, default_currency: str = "SAR") -> CampaignRequest:
    """The request updated by the reply: fields the reply gives replace, "add"/"drop" adjust lists.

    Sources of replaced fields point into the reply (their `text` says what was read); others are kept.
    """
    cuts = [m for m in _CLAUSE.finditer(reply) if m.start() > 0]
    if not cuts:
        return _merge_clause(request, reply, today=today, default_currency=default_currency)
    bounds = [0, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), len(reply)]
    for start, end in zip(bounds, ends, strict=True):
        before = request.sources
        request = _merge_clause(request, reply[start:end], today=today, default_currency=default_currency)
        # Spans of what this clause gave point into the whole reply.
        request.sources = {k: v if v == before.get(k) or start == 0 else
                           [Span(start=s.start + start, end=s.end + start, text=s.text) for s in v]
                           for k, v in request.sources.items()}
    return request


def _merge_clause(request: CampaignRequest, reply: str, *, today: date, default_currency: str) -> CampaignRequest:
    found = analyse(_swaps_as_negations(reply), today=today, default_currency=default_currency)
    new = found.request
    given = new.sources
    sources: dict[str, list[Span]] = {k: list(v) for k, v in request.sources.items()}
    cues = found.cues
    adding = "add" in cues
    dropping = "drop" in cues
    answered: set[str] = set()  # fields the reply speaks about: their open conflicts close

    # Platforms: "add X" unions, "drop X"/"not X" removes, a plain or "only" mention replaces.
    platforms: list[str] = list(request.platforms)
    publishers: dict[str, list[str]] = {k: list(v) for k, v in request.publisher_platforms.items()}
    if "platforms" in given or found.platforms_negated or found.publishers_negated:
        named = set(new.platforms)
        if dropping and named and not found.platforms_negated:
            # "drop TikTok": the named platforms are the ones to remove.
            platforms = [p for p in platforms if p not in named]
            if "meta" in named and new.publisher_platforms.get("meta"):
                kept = [p for p in publishers.get("meta", []) if p not in new.publisher_platforms["meta"]]
                if not kept and "meta" in request.platforms and not request.publisher_platforms.get("meta"):
                    kept = [p for p in ("facebook", "instagram") if p not in new.publisher_platforms["meta"]]
                platforms = list(request.platforms) if kept else platforms
                publishers = {"meta": kept} if kept else {}
            elif "meta" in named:
                publishers = {}
        elif named and _is_swap(request, found):
            platforms, publishers = _swap(request, new, found)
        elif adding and "only" not in cues:
            platforms = sorted(set(platforms) | named)
            if new.publisher_platforms.get("meta"):
                if "meta" in request.platforms and not request.publisher_platforms.get("meta"):
                    pass  # Meta already meant every Meta app
                else:
                    apps = set(publishers.get("meta", [])) | set(new.publisher_platforms["meta"])
                    publishers = {"meta": [p for p in ("facebook", "instagram", "messenger", "audience_network")
                                           if p in apps]}
        elif named:
            platforms = sorted(named)
            publishers = {k: list(v) for k, v in new.publisher_platforms.items()}
        else:
            platforms = [p for p in platforms if p not in found.platforms_negated]
            if found.publishers_negated and "meta" in platforms:
                current = publishers.get("meta") or ["facebook", "instagram"]
                kept = [p for p in current if p not in found.publishers_negated]
                publishers = {"meta": kept} if kept else {}
                if not kept:
                    platforms = [p for p in platforms if p != "meta"]
        if "meta" not in platforms:
            publishers = {}
        for key in ("platforms", "publisher_platforms"):
            if key in given:
                sources[key] = given[key]
        answered.add("platforms")

    budget = request.budget
    if "budget" in given and new.budget is not None:
        period = new.budget.period
        if request.budget is not None and not _period_stated(found) and period == "lifetime":
            period = request.budget.period  # "make it 1500" keeps a daily budget daily
        budget = Budget(amount=new.budget.amount, currency=new.budget.currency, period=period)
        sources["budget"] = given["budget"]
        answered.add("budget")
    elif found.bare_amount is not None and (request.budget is None or {"budget", "budget.amount"} & set(request.missing)):
        currency = request.budget.currency if request.budget is not None else default_currency
        kept_period = request.budget.period if request.budget is not None else "lifetime"
        answered.add("budget")
        budget = Budget(amount=found.bare_amount, currency=currency,
                        period=found.period_only or kept_period)  # type: ignore[arg-type]
        if found.bare_amount_span is not None:
            sources["budget"] = [found.bare_amount_span]
    elif found.period_only and request.budget is not None:
        budget = Budget(amount=request.budget.amount, currency=request.budget.currency,
                        period=found.period_only)  # type: ignore[arg-type]

    audience = request.audience.model_copy(deep=True)
    if "audience.genders" in given:
        audience.genders = list(new.audience.genders)
        sources["audience.genders"] = given["audience.genders"]
    if "audience.age_min" in given or "audience.age_max" in given:
        audience.age_min = new.audience.age_min
        audience.age_max = new.audience.age_max
        answered.update(("audience.age_min", "audience.age_max"))
        for key in ("audience.age_min", "audience.age_max"):
            if key in given:
                sources[key] = given[key]
            else:
                sources.pop(key, None)
    if "audience.locations" in given or found.locations_negated:
        if dropping or (found.locations_negated and not new.audience.locations):
            drop = new.audience.locations if dropping else found.locations_negated
            audience.locations = [loc for loc in audience.locations if loc not in drop]
        elif adding:
            audience.locations += [loc for loc in new.audience.locations if loc not in audience.locations]
        else:
            audience.locations = list(new.audience.locations)
        if "audience.locations" in given:
            sources["audience.locations"] = given["audience.locations"]
    audience = Audience.model_validate(audience.model_dump())

    schedule = _merge_schedule(request.schedule, new, given)
    if "schedule" in given:
        sources["schedule"] = given["schedule"]
        answered.add("schedule")

    def pick(field: str, old: object, value: object) -> object:
        if field in given:
            sources[field] = given[field]
            return value
        return old

    theme = pick("theme", request.theme, new.theme)
    if "theme" in given and "schedule" not in request.sources and not _has_dates(new):
        schedule = new.schedule
    merged = request.model_copy(deep=True)
    merged.platforms = platforms  # type: ignore[assignment]
    merged.publisher_platforms = publishers  # type: ignore[assignment]
    merged.objective = pick("objective", request.objective, new.objective)  # type: ignore[assignment]
    merged.theme = theme  # type: ignore[assignment]
    merged.budget = budget
    merged.schedule = schedule
    merged.audience = audience
    merged.languages = pick("languages", request.languages, new.languages)  # type: ignore[assignment]
    merged.creative_types = pick("creative_types", request.creative_types, new.creative_types)  # type: ignore[assignment]
    merged.product = pick("product", request.product, new.product)  # type: ignore[assignment]
    merged.landing_url = pick("landing_url", request.landing_url, new.landing_url)  # type: ignore[assignment]
    if "offer" in given and new.offer is not None:  # "make it 40% off": what the reply states replaces its part
        stated = new.offer.model_dump(exclude_defaults=True)
        if "discount_percent" in stated:
            stated.setdefault("discount_up_to", False)
        merged.offer = (request.offer.model_copy(update=stated) if request.offer is not None else new.offer)
        sources["offer"] = given["offer"]
    for extension in ("placements", "message_destination"):
        if extension in given:  # "Reels only", "WhatsApp messages": said again, they replace
            setattr(merged, extension, (new.model_extra or {})[extension])
            sources[extension] = given[extension]
    merged.sources = sources
    merged.missing = [name for name, absent in (("budget", budget is None), ("platforms", not platforms)) if absent]
    merged.missing += [c["field"] for c in open_conflicts(request) if c["field"] not in merged.missing]
    return CampaignRequest.model_validate(settle(merged.model_dump(), answered))


# "swap X for Y", "Y instead of X", "سناب بدل تيك توك": X is the one going out. Rewritten to a negation of X
# of the same length, so spans still point at the right characters of the reply.
_SWAP_EN = re.compile(r"\b(?:swap|replace|switch|change)(?=\s+\S.*?\s(?:for|with|to)\s)|\binstead\s+of\b", re.I)
_SWAP_AR = re.compile(r"(?<!\S)(?:بدلا\s+من|بدلاً\s+من|بدل|بدال|عوض\s+عن|عوضا\s+عن|عوض)(?!\S)")


def _swaps_as_negations(reply: str) -> str:
    reply = _SWAP_EN.sub(lambda m: "not".ljust(len(m.group(0))), reply)
    return _SWAP_AR.sub(lambda m: "لا".ljust(len(m.group(0))), reply)


_META_APPS = ("facebook", "instagram", "messenger", "audience_network")


def _is_swap(request: CampaignRequest, found: Analysis) -> bool:
    """Whether the reply takes a selected platform or Meta app out and names its replacement (see module doc)."""
    if found.negation_at is None:
        return False
    if found.only_at is not None and found.only_at < found.negation_at:
        return False
    selected_apps = set(request.publisher_platforms.get("meta") or
                        (("facebook", "instagram") if "meta" in request.platforms else ()))
    return bool(found.platforms_negated & set(request.platforms) or found.publishers_negated & selected_apps)


def _swap(request: CampaignRequest, new: CampaignRequest, found: Analysis) -> tuple[list[str], dict[str, list[str]]]:
    platforms = [p for p in request.platforms if p not in found.platforms_negated]
    narrowed: list[str] = list(request.publisher_platforms.get("meta", []))
    if not narrowed and "meta" in request.platforms and found.publishers_negated:
        narrowed = ["facebook", "instagram"]  # "all of Meta" minus an app: the two apps people mean by Meta
    apps: list[str] = [a for a in narrowed if a not in found.publishers_negated]
    if narrowed and not apps and "meta" not in new.platforms:
        platforms = [p for p in platforms if p != "meta"]
    for p in new.platforms:
        if p not in platforms:
            platforms.append(p)
    incoming: list[str] = list(new.publisher_platforms.get("meta", []))
    if "meta" in new.platforms and not incoming:
        apps = []  # "Meta" named plainly: every Meta app
    else:
        apps = [a for a in _META_APPS if a in apps or a in incoming]
    publishers = {"meta": apps} if apps and "meta" in platforms else {}
    return sorted(platforms), publishers


def _period_stated(found: Analysis) -> bool:
    """Whether the reply itself says lifetime ("1500 total"); otherwise a new amount keeps the old period."""
    return "lifetime" in found.cues


def _has_dates(request: CampaignRequest) -> bool:
    return request.schedule.start_date is not None or request.schedule.duration_days is not None


def _merge_schedule(old: Schedule, new: CampaignRequest, given: dict[str, list[Span]]) -> Schedule:
    if "schedule" not in given:
        return old
    s = new.schedule
    if s.start_date is not None:
        return s
    if s.duration_days is not None:
        # "7 days" after a dated request: keep its start, move the end.
        if old.start_date is not None:
            return Schedule(start_date=old.start_date, end_date=old.start_date + timedelta(days=s.duration_days - 1),
                            duration_days=s.duration_days)
        return Schedule(duration_days=s.duration_days)
    if s.end_date is not None and old.start_date is not None and s.end_date >= old.start_date:
        return Schedule(start_date=old.start_date, end_date=s.end_date,
                        duration_days=(s.end_date - old.start_date).days + 1)
    return s


def _fmt_budget(b: Budget | None) -> str:
    if b is None:
        return "none"
    return f"{b.amount:,} {b.currency} {'per day' if b.period == 'daily' else 'total'}"


def _fmt_offer(o: Offer | None) -> str:
    if o is None:
        return "none"
    parts = [f"{'up to ' if o.discount_up_to else ''}{o.discount_percent}% off"] if o.discount_percent else []
    if o.price is not None:
        parts.append(f"from {o.price:,} {o.currency}")
    return ", ".join(parts) or "none"


def _fmt_ages(a: Audience) -> str:
    if a.age_min is None and a.age_max is None:
        return "any age"
    if a.age_max is None:
        return f"{a.age_min}+"
    if a.age_min is None:
        return f"up to {a.age_max}"
    return f"{a.age_min}-{a.age_max}"


def _fmt_schedule(s: Schedule) -> str:
    if s.start_date and s.end_date:
        return f"{s.start_date.isoformat()} to {s.end_date.isoformat()}"
    if s.start_date:
        return f"from {s.start_date.isoformat()}" + (f" for {s.duration_days} days" if s.duration_days else "")
    if s.duration_days:
        return f"{s.duration_days} days"
    return "not set"


def describe_changes(before: CampaignRequest, after: CampaignRequest) -> list[str]:
    """Human-readable lines for what differs between two requests ("Budget: 1,000 SAR total -> 1,500 SAR total")."""
    lines: list[str] = []
    added = [p for p in after.platforms if p not in before.platforms]
    dropped = [p for p in before.platforms if p not in after.platforms]
    for p in added:
        lines.append(f"Added platform: {_PLATFORM_NAMES[p]}")
    for p in dropped:
        lines.append(f"Removed platform: {_PLATFORM_NAMES[p]}")
    if before.publisher_platforms != after.publisher_platforms and "meta" in after.platforms:
        apps = ", ".join(after.publisher_platforms.get("meta", [])) or "all Meta apps"
        lines.append(f"Meta placements: {apps}")
    if before.budget != after.budget:
        lines.append(f"Budget: {_fmt_budget(before.budget)} -> {_fmt_budget(after.budget)}")
    if before.schedule != after.schedule:
        lines.append(f"Schedule: {_fmt_schedule(before.schedule)} -> {_fmt_schedule(after.schedule)}")
    a, b = before.audience, after.audience
    if a.genders != b.genders:
        lines.append(f"Genders: {', '.join(a.genders) or 'all'} -> {', '.join(b.genders) or 'all'}")
    if (a.age_min, a.age_max) != (b.age_min, b.age_max):
        lines.append(f"Ages: {_fmt_ages(a)} -> {_fmt_ages(b)}")
    if a.locations != b.locations:
        names = ", ".join(loc.name for loc in b.locations) or "anywhere"
        lines.append(f"Locations: {', '.join(loc.name for loc in a.locations) or 'anywhere'} -> {names}")
    for field, label in (("objective", "Objective"), ("theme", "Theme"), ("product", "Product"),
                         ("landing_url", "Landing URL")):
        old, new = getattr(before, field), getattr(after, field)
        if old != new:
            lines.append(f"{label}: {old or 'none'} -> {new or 'none'}")
    if before.offer != after.offer:
        lines.append(f"Offer: {_fmt_offer(before.offer)} -> {_fmt_offer(after.offer)}")
    for field, label in (("languages", "Languages"), ("creative_types", "Creative types")):
        old, new = getattr(before, field), getattr(after, field)
        if old != new:
            lines.append(f"{label}: {', '.join(old) or 'none'} -> {', '.join(new) or 'none'}")
    return lines
