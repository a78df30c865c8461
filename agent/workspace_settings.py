"""Workspace settings: what each one may hold and who may change it, checked the same at every door."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from agent import messages as catalogue
from agent.brands import brand_of
from agent.context import AgentContext, is_placeholder_url
from agent.texts import lang_of, t
from agent.validation import landing_url_problem
from store import repositories as repo
from store.models import Workspace

Amount = Decimal

# The ceilings are an admin's to set: approvers may tune the rest, but not the limit that oversees them.
ADMIN_ONLY = frozenset({"max_campaign_budget", "max_daily_budget"})
# Fields a change may clear (back to the settings' default, or none).
CLEARABLE = frozenset({"self_approval_limit", "max_campaign_budget", "max_daily_budget", "landing_url",
                       "digest_channel", "digest_hour", "brand_name", "brand_name_ar"})


class SettingsChange(BaseModel):
    """The settings a change names (unnamed fields stay as they are; `None` clears a clearable one)."""

    model_config = ConfigDict(extra="forbid")

    default_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    approvers: list[str] | None = Field(default=None, max_length=100)
    self_approval_limit: Amount | None = Field(default=None, ge=0, le=Decimal("1e12"), decimal_places=6)
    max_campaign_budget: Amount | None = Field(default=None, gt=0, le=Decimal("1e12"), decimal_places=6)
    max_daily_budget: Amount | None = Field(default=None, gt=0, le=Decimal("1e12"), decimal_places=6)
    landing_url: str | None = Field(default=None, max_length=2000)
    digest_channel: str | None = Field(default=None, min_length=1, max_length=64)
    digest_hour: int | None = Field(default=None, ge=0, le=23)
    timezone: str | None = Field(default=None, min_length=1, max_length=64)  # an IANA name: digests' hours and days
    # The brand on the workspace's ads (None: the deployment's ADLY_BRAND_NAME / ADLY_BRAND_NAME_AR).
    brand_name: str | None = Field(default=None, min_length=1, max_length=40)  # TikTok's display name limit
    brand_name_ar: str | None = Field(default=None, min_length=1, max_length=40)


class SettingsRefused(Exception):
    """A change not taken: a stable `code`, the `field` it is about (if one), the sentence for the user."""

    def __init__(self, code: str, text: str, field: str | None = None) -> None:
        super().__init__(text)
        self.code = code
        self.text = text
        self.field = field


def settings_view(ctx: AgentContext, workspace: Workspace) -> dict[str, Any]:
    """The workspace's settings as they apply: a setting left unset shows the default it falls back to."""

    brand = brand_of(ctx, workspace)

    def amount(value: Decimal | None, default: Decimal) -> str:
        return f"{Decimal(value if value is not None else default).normalize():f}"

    return {
        "name": workspace.name,
        "default_currency": workspace.default_currency,
        "approvers": list(workspace.approvers or []),
        "self_approval_limit": amount(workspace.self_approval_limit, ctx.self_approval_limit),
        "max_campaign_budget": amount(workspace.max_campaign_budget, ctx.max_campaign_budget),
        "max_daily_budget": amount(workspace.max_daily_budget, ctx.max_daily_budget),
        "landing_url": workspace.landing_url,
        "digest_channel": workspace.digest_channel,
        "digest_hour": workspace.digest_hour if workspace.digest_hour is not None else 9,
        "timezone": workspace.timezone or "Asia/Riyadh",
        # The brand as the workspace's ads carry it: None for the Arabic name means it is transliterated.
        "brand_name": brand.name,
        "brand_name_ar": brand.name_ar,
    }


def known_zone(name: str) -> bool:
    """Whether `name` is a time zone this system knows (an IANA name such as Asia/Riyadh)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def landing_setting_problem(url: str) -> str | None:
    """Why `url` cannot be the workspace's landing page (a catalogue key), or None."""
    if not url.lower().startswith(("https://", "http://")):
        return "landing_url_invalid"
    problem = landing_url_problem(url)
    if problem is None and is_placeholder_url(url):
        return "landing_url_placeholder"
    return problem


def _check_values(change: SettingsChange, fields: set[str], language: str) -> None:
    ar = lang_of(language) == "ar"
    for name in fields - CLEARABLE:
        if getattr(change, name) is None:
            raise SettingsRefused("invalid_setting", t("setting_required", language, field=name), name)
    for ref in change.approvers or []:
        if not ref or len(ref) > 128 or not ref.isprintable() or any(c.isspace() for c in ref):
            raise SettingsRefused("invalid_setting", t("setting_bad_approver", language, ref=ref[:64]), "approvers")
    if change.timezone is not None and not known_zone(change.timezone):
        raise SettingsRefused("invalid_setting", t("setting_bad_timezone", language, zone=change.timezone[:64]),
                              "timezone")
    for name in ("brand_name", "brand_name_ar"):
        value = getattr(change, name)
        if name in fields and value is not None and (not value.strip() or not value.isprintable()):
            raise SettingsRefused("invalid_setting", t("setting_bad_brand", language), name)
    if change.brand_name_ar is not None and not any("\u0600" <= ch <= "\u06ff" for ch in change.brand_name_ar):
        raise SettingsRefused("invalid_setting", t("setting_brand_ar_not_arabic", language), "brand_name_ar")
    url = change.landing_url
    if "landing_url" in fields and url is not None:
        problem = landing_setting_problem(url)
        if problem is not None:
            en, arabic = catalogue.text(problem, url=url)
            raise SettingsRefused("invalid_setting", arabic if ar else en, "landing_url")


async def change_settings(
    ctx: AgentContext, *, workspace_id: str, actor: str, change: SettingsChange, admin: bool, overseer: bool,
    language: str = "en",
) -> dict[str, Any]:
    """Apply `change` for `actor` (an admin, or an approver for everything but the ceilings) and audit it;
    the settings as they now apply. Raises SettingsRefused, changing nothing."""
    fields = set(change.model_fields_set)
    if not (admin or overseer):
        raise SettingsRefused("not_allowed_to_change_settings", t("settings_not_allowed", language))
    if fields & ADMIN_ONLY and not admin:
        raise SettingsRefused("not_admin", t("settings_admin_only", language), sorted(fields & ADMIN_ONLY)[0])
    _check_values(change, fields, language)
    values = {name: getattr(change, name) for name in fields}
    for name in ("brand_name", "brand_name_ar"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    async with ctx.sessions() as session, session.begin():
        workspace = await repo.update_workspace(session=session, workspace_id=workspace_id, **values)
        await repo.audit(session=session, workspace_id=workspace_id, actor=actor, action="workspace.settings",
                         subject_type="workspace", subject_id=workspace_id,
                         details={k: v if isinstance(v, list) or v is None else str(v) for k, v in values.items()})
        return settings_view(ctx, workspace)
