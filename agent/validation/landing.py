"""Landing URL hygiene: https to a public host, no credentials, no hidden characters; present when needed."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from agent import messages as msg
from agent.context import is_placeholder_url
from agent.models import CampaignRequest
from agent.planning import DEFAULT_OBJECTIVE, OBJECTIVES_NEEDING_URL
from agent.validation.issues import ValidationIssue, make_fix, make_issue

_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def landing_url_problem(url: str) -> str | None:
    """Why a landing page cannot be published (a message key), or None. Pure: no lookup is made.

    Only https, to a public host name, without credentials and without invisible characters (a right-to-left
    override makes a URL read as another one)."""
    if _HIDDEN.search(url):
        return "landing_url_hidden"
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "https":
        return "landing_url_not_https"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "landing_url_credentials"
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        return None if address.is_global else "landing_url_private"
    if not host or "." not in host or host == "localhost" or host.endswith((".localhost", ".local", ".internal",
                                                                             ".lan", ".home", ".corp", ".test")):
        return "landing_url_private"
    return None


def landing_issues(request: CampaignRequest, default_landing_url: str | None,
                    required: bool = False) -> list[ValidationIssue]:
    url = request.landing_url
    if url:
        if url.lower().startswith(("https://", "http://")):
            problem = landing_url_problem(url)
            if problem is None:
                return []
            fixes = []
            if problem == "landing_url_not_https":
                fixed = "https://" + url.strip().split("://", 1)[1]
                if landing_url_problem(fixed) is None:
                    fixes.append(make_fix(msg.text("fix_https", url=fixed), {"landing_url": fixed}))
            shown = _HIDDEN.sub("\N{REPLACEMENT CHARACTER}", url)
            return [make_issue("landing_url", problem, "error", msg.text(problem, url=shown), fixes=fixes)]
        fixes = []
        if "." in url and " " not in url.strip():
            fixed = "https://" + url.strip().removeprefix("//")
            fixes.append(make_fix(msg.text("fix_https", url=fixed), {"landing_url": fixed}))
        text = msg.text("landing_url_invalid", url=url)
        return [make_issue("landing_url", "landing_url_invalid", "error", text, fixes=fixes)]
    if default_landing_url:
        # An example domain is the sandbox's stand-in: said as such, so nobody mistakes it for their shop.
        key = "landing_url_example" if is_placeholder_url(default_landing_url) else "landing_url_default"
        text = msg.text(key, url=default_landing_url)
        return [make_issue("landing_url", "landing_url_default", "info", text)]
    objective = request.objective or DEFAULT_OBJECTIVE
    if objective in OBJECTIVES_NEEDING_URL:
        text = msg.text("landing_url_missing", objective=objective, objective_ar=msg.OBJECTIVE_AR[objective])
        return [make_issue("landing_url", "missing", "error", text)]
    if required:
        # A real platform never gets a placeholder page: whatever the objective, the ad links somewhere real.
        return [make_issue("landing_url", "missing", "error", msg.text("landing_url_required"))]
    return []
