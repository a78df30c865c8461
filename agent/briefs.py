"""Briefs for the generators, built from a parsed request: one place decides what copywriters are told."""

from __future__ import annotations

from typing import Literal

from agent.models import CampaignRequest
from tools.generation.base import CopyBrief, Offer

DEFAULT_LANGUAGES = ["ar", "en"]


def audience_phrase(request: CampaignRequest) -> str:
    """A short audience phrase for copywriters, e.g. "women 25-40 in Riyadh"."""
    a = request.audience
    genders = sorted(a.genders)
    who = "women" if genders == ["female"] else "men" if genders == ["male"] else "people"
    ages = ""
    if a.age_min is not None or a.age_max is not None:
        ages = f" {a.age_min or 18}-{a.age_max or '65+'}"
    places = ", ".join(loc.name for loc in a.locations)
    return f"{who}{ages}" + (f" in {places}" if places else "")


def audience_gender(request: CampaignRequest) -> Literal["female", "male", "all"]:
    """Who the copy addresses: Arabic imperatives agree with it (تسوّقي for women, تسوّق otherwise)."""
    genders = sorted(request.audience.genders)
    return "female" if genders == ["female"] else "male" if genders == ["male"] else "all"


def generation_offer(request: CampaignRequest) -> Offer | None:
    """The request's offer as the generators take it (the same terms; money stays a Decimal)."""
    if request.offer is None:
        return None
    offer = Offer.model_validate(request.offer.model_dump())
    return None if offer.empty else offer


def copy_brief(
    request: CampaignRequest,
    *,
    languages: list[str],
    brand_name: str,
    register: str,
    variation: int = 0,
    brand_name_ar: str | None = None,
) -> CopyBrief:
    return CopyBrief(
        theme=request.theme,
        objective=request.objective,
        product=request.product,
        brand_name=brand_name,
        brand_name_ar=brand_name_ar,
        languages=languages,
        platforms=list(request.platforms) or ["meta"],
        audience=audience_phrase(request),
        audience_gender=audience_gender(request),
        register="msa" if register == "msa" else "gulf",
        landing_url=request.landing_url,
        variation=variation,
        offer=generation_offer(request),
    )
