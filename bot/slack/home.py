"""App Home (recent campaigns, ad accounts, settings) and the workspace settings modal."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from agent import messages as catalogue
from agent.turns import Refusal
from agent.workspace_settings import SettingsChange, landing_setting_problem, settings_view
from bot.slack import blocks as b
from bot.slack.approvers import is_group
from bot.slack.texts import st
from store import repositories as repo

if TYPE_CHECKING:
    from bot.slack.app import SlackFrontDoor

log = logging.getLogger(__name__)
_user_languages: dict[str, str] = {}


async def user_language(client: AsyncWebClient, user: str) -> str:
    """The language of the user's Slack client (App Home has no message to read it from)."""
    if user not in _user_languages:
        language = "en"
        try:
            info = await client.users_info(user=user, include_locale=True)
            language = "ar" if str((info.get("user") or {}).get("locale", "")).startswith("ar") else "en"
        except SlackApiError:
            pass
        _user_languages[user] = language
    return _user_languages[user]


def _settings_of(door: SlackFrontDoor, workspace: Any) -> b.WorkspaceSettings:
    """The settings as they apply (agent/workspace_settings.py), shaped for the App Home and the modal."""
    view = settings_view(door.services.ctx, workspace)
    return b.WorkspaceSettings(
        default_currency=view["default_currency"], approvers=view["approvers"],
        self_approval_limit=view["self_approval_limit"], digest_channel=view["digest_channel"],
        digest_hour=view["digest_hour"], max_campaign_budget=view["max_campaign_budget"],
        max_daily_budget=view["max_daily_budget"], landing_url=view["landing_url"], timezone=view["timezone"],
        brand_name=view["brand_name"], brand_name_ar=view["brand_name_ar"],
    )


async def is_admin(door: SlackFrontDoor, workspace: Any, user: str) -> bool:
    return await door.services.driver.is_admin(workspace.id, user)


async def may_edit_settings(door: SlackFrontDoor, workspace: Any, user: str) -> bool:
    """Admins (ADLY_ADMINS, the app's installer, members made admin) and approvers; nobody else, or anyone could
    make themselves an approver. An approver user group counts its current members (looked up at click time)."""
    if await is_admin(door, workspace, user):
        return True
    return bool(workspace.approvers) and await door.approvers.check(workspace, user)


async def publish_home(door: SlackFrontDoor, client: AsyncWebClient, team_id: str | None, user: str) -> None:
    workspace_id = await door.workspace_id(team_id, client)
    language = await user_language(client, user)
    async with door.reads() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
        campaigns = await repo.list_campaigns(session=session, workspace_id=workspace_id, limit=15)
        accounts = await repo.list_ad_accounts(session=session, workspace_id=workspace_id)
        rows = []
        for campaign in campaigns:
            spend: dict[str, Decimal] = defaultdict(Decimal)
            for snap in await repo.list_snapshots(session=session, campaign_id=campaign.id):
                spend[snap.currency] += snap.spend
            rows.append(b.HomeCampaign(
                name=campaign.name, status=campaign.status, created=campaign.created_at,
                spend=", ".join(f"{amount:,.2f} {currency}" for currency, amount in spend.items()) or None,
            ))
        home_accounts = [b.HomeAccount(platform=a.platform, name=a.name or a.external_account_id, status=a.status,
                                       token_expires_at=a.token_expires_at) for a in accounts]
    assert workspace is not None
    view = b.home_view(rows, home_accounts, _settings_of(door, workspace),
                       can_edit=await may_edit_settings(door, workspace, user), language=language)
    await client.views_publish(user_id=user, view=view)


async def open_settings(door: SlackFrontDoor, client: AsyncWebClient, team_id: str | None, user: str,
                        trigger_id: str) -> None:
    workspace_id = await door.workspace_id(team_id, client)
    language = await user_language(client, user)
    async with door.reads() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    assert workspace is not None
    if not await may_edit_settings(door, workspace, user):
        return
    await client.views_open(trigger_id=trigger_id, view=b.settings_modal(
        _settings_of(door, workspace), language, admin=await is_admin(door, workspace, user)))


def settings_errors(values: dict[str, Any], language: str) -> dict[str, str]:
    errors = {}
    currency = str(values.get("currency") or "")
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = st("bad_currency", language)
    try:
        if Decimal(str(values.get("limit"))) < 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["limit"] = st("bad_amount", language)
    brand_ar = values.get("brand_ar")
    if brand_ar and not any("\u0600" <= ch <= "\u06ff" for ch in brand_ar):
        errors["brand_ar"] = st("bad_brand_ar", language)
    landing = values.get("landing")
    if landing:
        problem = landing_setting_problem(landing)
        if problem is not None:
            en, ar = catalogue.text(problem, url=landing)
            errors["landing"] = ar if language == "ar" else en
    for ceiling in ("campaign_ceiling", "daily_ceiling"):
        if values.get(ceiling) is None:
            continue
        try:
            if Decimal(str(values[ceiling])) <= 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[ceiling] = st("bad_amount", language)
    return errors


def settings_values(view: dict[str, Any]) -> dict[str, Any]:
    state = (view.get("state") or {}).get("values") or {}

    def element(block: str) -> dict[str, Any]:
        return (state.get(block) or {}).get("value") or {}

    hour = (element("hour").get("selected_option") or {}).get("value")
    return {
        "currency": str(element("currency").get("value") or "").strip().upper(),
        "approvers": list(element("approvers").get("selected_users") or []),
        "limit": str(element("limit").get("value") or "").strip(),
        "channel": element("channel").get("selected_conversation"),
        "landing": str(element("landing").get("value") or "").strip() or None,
        "hour": int(hour) if hour is not None else 9,
        "timezone": (element("timezone").get("selected_option") or {}).get("value"),
        # Only in an admin's form; None when absent.
        "campaign_ceiling": (str(element("campaign_ceiling").get("value")).strip()
                             if "campaign_ceiling" in state else None),
        "daily_ceiling": str(element("daily_ceiling").get("value")).strip() if "daily_ceiling" in state else None,
        # Empty: back to the deployment's brand (ADLY_BRAND_NAME) / a transliteration. Absent from a form
        # opened before the brand was in it: the brand stays as it is.
        **({"brand": str(element("brand").get("value") or "").strip() or None,
            "brand_ar": str(element("brand_ar").get("value") or "").strip() or None} if "brand" in state else {}),
    }


def register(app: AsyncApp, door: SlackFrontDoor) -> None:
    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        door.spawn(publish_home(door, client, context.team_id, event["user"]), name="slack-home")

    @app.action("adly.home.settings")
    async def on_settings(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext,
                          client: AsyncWebClient) -> None:
        await ack()
        door.spawn(open_settings(door, client, context.team_id, body["user"]["id"], body["trigger_id"]),
                   name="slack-settings")

    @app.view("adly.settings")
    async def on_settings_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any],
                                 context: AsyncBoltContext, client: AsyncWebClient) -> None:
        language = json.loads(view.get("private_metadata") or "{}").get("language", "en")
        values = settings_values(view)
        errors = settings_errors(values, language)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        door.spawn(_save_settings(door, client, context.team_id, body["user"]["id"], values), name="slack-save")


async def _save_settings(door: SlackFrontDoor, client: AsyncWebClient, team_id: str | None, user: str,
                         values: dict[str, Any]) -> None:
    workspace_id = await door.workspace_id(team_id, client)
    async with door.reads() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=workspace_id)
    if workspace is None:
        return
    # The modal picks users only: an approver user group (S...) configured elsewhere is kept, not dropped.
    groups = [ref for ref in workspace.approvers or [] if is_group(ref)]
    approvers = [*values["approvers"], *(g for g in groups if g not in values["approvers"])]
    fields: dict[str, Any] = {
        "default_currency": values["currency"], "approvers": approvers, "self_approval_limit": values["limit"],
        "digest_channel": values["channel"], "digest_hour": values["hour"], "landing_url": values.get("landing"),
    }
    if values.get("timezone"):
        fields["timezone"] = values["timezone"]
    if "brand" in values:  # a form from before the brand was in it leaves the brand as it is
        # The form shows the deployment's brand where the workspace has none: saved unchanged, it stays unset
        # (so a later ADLY_BRAND_NAME[_AR] still applies), not copied into the workspace.
        ctx = door.services.ctx
        brand, brand_ar = values["brand"], values.get("brand_ar")
        if workspace.brand_name is None and brand == ctx.brand_name:
            brand = None
        if workspace.brand_name_ar is None and brand_ar is not None and brand_ar == ctx.brand_name_ar:
            brand_ar = None
        fields |= {"brand_name": brand, "brand_name_ar": brand_ar}
    if values.get("campaign_ceiling") is not None and values.get("daily_ceiling") is not None:
        fields |= {"max_campaign_budget": values["campaign_ceiling"], "max_daily_budget": values["daily_ceiling"]}
        # A form opened while its user was an admin keeps the rest of its changes if that right is gone since.
        if not await is_admin(door, workspace, user):
            fields = {k: v for k, v in fields.items() if k not in ("max_campaign_budget", "max_daily_budget")}
    try:
        change = SettingsChange.model_validate(fields)
    except ValidationError:
        log.warning("settings form from %s did not validate", user)
        return
    outcome = await door.services.driver.change_settings(workspace_id, user, change)
    if isinstance(outcome, Refusal):
        log.warning("settings change by %s refused: %s", user, outcome.code)
        return
    await publish_home(door, client, team_id, user)
