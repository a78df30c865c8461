"""Connected ad accounts: whether they can create ads and whether they bill in the budget's currency."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from agent import messages as msg
from agent.messages import Bi
from agent.models import CampaignRequest
from agent.planning import AccountFacts
from agent.platform_rules.currency import convert
from agent.validation.issues import Fix, ValidationIssue, make_fix, make_issue, platform_name


def check_accounts(
    request: CampaignRequest, accounts: Mapping[str, AccountFacts] | None
) -> tuple[list[ValidationIssue], bool]:
    """(issues, whether every connected account bills in the budget's currency)."""
    issues: list[ValidationIssue] = []
    same_currency = True
    for platform in request.platforms:
        account = (accounts or {}).get(platform)
        if account is None:
            continue  # not connected yet: connect_accounts comes after validation
        if not account.can_create_ads:
            text = msg.text(
                "account_cannot_create_ads",
                platform=platform_name(platform),
                account=account.external_account_id,
            )
            issues.append(
                make_issue("platforms", "account_cannot_create_ads", "error", text, platform=platform)
            )
        budget = request.budget
        if budget is not None and account.currency != budget.currency:
            same_currency = False
            converted = convert(Decimal(budget.amount), budget.currency, account.currency)
            fixes: list[Fix] = []
            conv_text = ("", "")
            if converted is not None:
                amount = msg.money(converted, account.currency)
                conv_text = msg.text("converted_at_peg", amount=amount)
                fixes.append(
                    make_fix(
                        msg.text("fix_convert", amount=amount),
                        {"budget": {"amount": str(converted), "currency": account.currency}},
                    )
                )
            text = msg.text(
                "account_currency_mismatch",
                platform=platform_name(platform),
                account_currency=account.currency,
                currency=budget.currency,
                converted=Bi(*conv_text),
            )
            issues.append(
                make_issue(
                    "budget.currency",
                    "account_currency_mismatch",
                    "error",
                    text,
                    platform=platform,
                    fixes=fixes,
                )
            )
    return issues, same_currency
