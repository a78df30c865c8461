"""The publish saga: every external write is a ledger row first, created paused, read back, activated last, once.

Rules (DESIGN.md section 5):
- a step's idempotency key is derived from the campaign, the approved plan's hash and the object's plan key,
  so a retry, a resumed thread or a restarted process sends the same key and never a new one;
- the ledger row is committed before the call (planned -> sending -> created | unknown | failed);
- a timeout is "unknown": reconcile by looking the object up before any retry, never under a new key: Meta by
  the ad label named after the step's key, TikTok and Snapchat by the exact name under the parent, made since
  the ledger's recorded send time (`sent_at`), never adopting an id another ledger step holds
  (`PlatformPublisher.find_lost`); names stay the human names, with no key in what Ads Manager shows;
- everything is created paused; activation happens only when every level of every platform exists and
  read back paused: children of every platform first, then the campaigns, so nothing delivers half-built;
  if activation fails anywhere, whatever was switched on is paused again and a re-run finishes the job;
- a terminal failure compensates every platform: pause, then delete what was created, through the ledger;
- an expired token is refreshed once (single flight); if it cannot be, the platform's objects stay paused
  and the outcome asks the user to reconnect, after which a re-run continues from the ledger.

The user-facing rows (platform_campaigns, ad_sets, ads) change in the same transaction as the ledger, so what
the user sees is what exists on each platform: paused when created, active when activated, deleted when
compensated, unknown while a lost answer is being reconciled.

The package follows the saga's steps, each module importing only those below it:
- `saga`: the orchestration across platforms (`publish_plan`, `withdraw_plan`);
- `tree`: building one platform's tree, paused (media, campaign, ad sets, creatives, ads);
- `utm`: the UTM tags on each ad's landing URL (platform, campaign, ad), the user's own kept;
- `activation`: the read-back, the switch per level, pausing again;
- `compensation`: pausing, then deleting, what a platform has (orphans looked up first);
- `policy`: the publisher core (`PlatformPublisher`) and its call policy: retries, parking on rate limits,
  unknown outcomes, the single-flight token refresh, marking an account for reconnecting;
- `ledger`: the ledger writer (group commit), step keys, a platform's steps and their marks;
- `outcome`: what a publish returns per platform, and its errors.
"""

from agent.publishing.ledger import media_kinds, step_key
from agent.publishing.outcome import NeedsReconnect, PlatformOutcome, Withdrawn
from agent.publishing.policy import MAX_RATE_LIMITED, hold_for_backoff
from agent.publishing.saga import publish_plan, withdraw_plan

__all__ = [
    "MAX_RATE_LIMITED",
    "NeedsReconnect",
    "PlatformOutcome",
    "Withdrawn",
    "hold_for_backoff",
    "media_kinds",
    "publish_plan",
    "step_key",
    "withdraw_plan",
]
