"""The budget: an amount with its currency and period, or a bare amount or period said alone."""

from __future__ import annotations

import re

from agent.models import Budget, Span
from agent.parsing.analysis import Analysis
from agent.parsing.lexicon import CURRENCY_SYMBOLS
from agent.parsing.scan import Hit, Num, Scan

_DAILY_AFTER = re.compile(
    r"^\s*(?:/\s*(?:day|d|يوم)\b|per\s+day|a\s+day|each\s+day|every\s+day|daily|a\s+day|يوميا|يوميه|يومي|في\s+اليوم"
    r"|باليوم|كل\s+يوم|لليوم|للي?وم\s+الواحد|ب?اليوم\s+الواحد)(?!\s*(?:الوطني|العالمي|التاسيس|الام|الاول))"
)
_DAILY_BEFORE = re.compile(r"(?<![a-z])(?:daily|per\s+day|day|يوميا|يوميه|يومي|اليوميه|اليومي)\s*(?:ad\s+)?(?:budget|spend|cap|ميزانيه|الميزانيه|صرف)?"
                           r"\s*(?:of|is|=|:|at|around|about|ب|هي|تكون)?\s*(?:[a-z]{3}\s*)?$")
_DAILY_BEFORE_AR = re.compile(r"(?:ميزانيه|الميزانيه|صرف)\s*(?:يوميه|يومي|اليوميه)\s*(?:ب|هي|تكون|:)?\s*$")


def _symbol(text: str, pos: int) -> Hit:
    return Hit("currency", CURRENCY_SYMBOLS[text[pos]], pos, pos + 1, -1, -1, text[pos])


def currency_after(scan: Scan, pos: int) -> Hit | None:
    text = scan.norm.text
    rest = text[pos:pos + 3]
    stripped = rest.lstrip()
    if stripped[:1] in CURRENCY_SYMBOLS:
        return _symbol(text, pos + len(rest) - len(stripped))
    k = scan.token_at(pos)
    if k < len(scan.tokens) and re.fullmatch(r"[\s\-]{0,3}", text[pos:scan.tokens[k][0]]):
        for hit in scan.by_token[k]:
            if hit.cat == "currency" and hit.ti == k:
                return hit
    return None


def currency_before(scan: Scan, pos: int) -> Hit | None:
    text = scan.norm.text
    head = text[max(0, pos - 3):pos].rstrip()
    if head[-1:] in CURRENCY_SYMBOLS:
        return _symbol(text, max(0, pos - 3) + len(head) - 1)
    k = scan.token_at(pos) - 1
    if k >= 0 and re.fullmatch(r"[\s:.]{0,3}", text[scan.tokens[k][1]:pos]):
        for hit in scan.by_token[k]:
            if hit.cat == "currency" and hit.tj == k + 1:
                return hit
    return None


def resolve_currency(value: str, countries: set[str], default: str) -> str:
    if value == "riyal":
        for code, cur in (("QA", "QAR"), ("OM", "OMR")):
            if countries == {code}:
                return cur
        return "SAR" if default not in ("QAR", "OMR") else default
    if value == "dinar":
        for code, cur in (("JO", "JOD"), ("BH", "BHD"), ("IQ", "IQD")):
            if countries == {code}:
                return cur
        return "KWD" if default not in ("JOD", "BHD") else default
    if value == "pound":
        return "EGP" if "EG" in countries or default == "EGP" else "GBP"
    return value


def read_budget(scan: Scan, default_currency: str, countries: set[str], analysis: Analysis,
                sources: dict[str, list[Span]]) -> Budget | None:
    text = scan.norm.text
    budget_cues = [h for h in scan.hits if h.cat == "cue" and h.value == "budget"]
    best: tuple[int, Num, str, list[tuple[int, int]]] | None = None
    for num in scan.nums:
        if num.used or num.value <= 0:
            continue
        cur = currency_after(scan, num.end)
        where = "after"
        if cur is None:
            cur = currency_before(scan, num.start)
            where = "before"
        spans: list[tuple[int, int]] = [(num.start, num.end)]
        score = 0
        code = default_currency
        if cur is not None:
            score = 3
            code = resolve_currency(str(cur.value), countries, default_currency)
            spans.append((cur.start, cur.end))
        for cue in budget_cues:
            gap = text[cue.end:num.start] if cue.end <= num.start else text[num.end:cue.start]
            if len(gap) <= 28 and not re.search(r"\d", gap):
                score += 2
                spans.append((cue.start, cue.end))
                break
        tail_pos = cur.end if cur is not None and where == "after" else num.end
        daily = _DAILY_AFTER.match(text[tail_pos:tail_pos + 24])
        period = "lifetime"
        if daily:
            period = "daily"
            spans.append((tail_pos + daily.start() + (len(daily.group(0)) - len(daily.group(0).lstrip())),
                          tail_pos + daily.end()))
            score += 1
        else:
            head_start = num.start if where == "after" or cur is None else cur.start
            before = text[max(0, head_start - 40):head_start]
            bm = _DAILY_BEFORE.search(before) or _DAILY_BEFORE_AR.search(before)
            if bm:
                period = "daily"
                spans.append((head_start - len(before) + bm.start(), head_start - len(before) + bm.end()))
                score += 1
        if score == 0 and num.scaled:
            score = 1
        if score == 0 or (score == 1 and period == "daily" and num.value < 10):
            continue
        if best is None or score > best[0]:
            best = (score, num, code + ":" + period, spans)
    if best is None:
        free = [n for n in scan.nums if not n.used]
        if len(free) == 1 and free[0].value >= 100 and scan.hits_of("platform"):
            # "Snapchat, Riyadh, women, 1000": the one number left in a campaign request is its budget.
            best = (1, free[0], default_currency + ":lifetime", [(free[0].start, free[0].end)])
    if best is None:
        _bare_amount(scan, analysis)
        _period_only(scan, analysis)
        return None
    _, num, code_period, spans = best
    num.used = True
    code, period = code_period.split(":")
    sources["budget"] = [scan.span(s, e) for s, e in sorted(set(spans))]
    return Budget(amount=num.value, currency=code, period=period)  # type: ignore[arg-type]


def _bare_amount(scan: Scan, analysis: Analysis) -> None:
    """A reply may be just "1500": remember a lone unused number for merge_reply."""
    free = [n for n in scan.nums if not n.used]
    if len(free) == 1 and free[0].value >= 10:
        analysis.bare_amount = free[0].value
        analysis.bare_amount_span = scan.span(free[0].start, free[0].end)


def _period_only(scan: Scan, analysis: Analysis) -> None:
    for hit in scan.hits:
        if hit.cat == "cue" and hit.value in ("daily", "lifetime"):
            analysis.period_only = str(hit.value)
