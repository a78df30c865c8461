"""The seed's REST API under /workspaces/{id}/..., over the same conversation driver as Slack and the terminal.

A campaign's id here is its conversation's id (known from the moment it is created); `plan_campaign_id` is the
planned campaign's own id once it exists, and either is accepted in a path. Work that runs the flow (start,
answer, publish, generate) is a job: 202 at once, then poll `status_url`.
"""

from __future__ import annotations

import asyncio
import mimetypes
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse

from agent.instructions import HiddenCharacters, clean_instruction
from agent.models import CampaignRequest
from agent.parsing import parse_instruction
from agent.parsing.text import input_language
from agent.performance.contract import report_json
from agent.performance.read import REPORTABLE, campaign_report
from agent.recovery import continue_after_dead_worker, resume_publish
from agent.reports import campaign_summary
from agent.turns import Refusal, Turn, Where
from bot.api import generation
from bot.api.auth import Approver, Creator, Principal, Publisher, Reader
from bot.api.jobs import NothingHalfDone, job_op, start_job, status_url
from bot.api.models import (
    ApprovalBody,
    AssetView,
    Brief,
    CampaignSummary,
    CampaignView,
    JobAccepted,
    JobView,
    ParseBody,
    PendingApproval,
    PublishBody,
    ReplyBody,
)
from bot.api.problems import Problem, not_found, problem_schema
from bot.deps import ServicesDep
from bot.services import Services
from store import api_jobs
from store import repositories as repo
from store.models import Conversation

Id = Annotated[str, PathParam(min_length=1, max_length=64)]
REFUSAL_STATUS = {"not_approver": 403, "self_approval": 403, "no_approvers": 403, "not_admin": 403,
                  "not_allowed_to_cancel": 403, "not_allowed_to_retry": 403,
                  "nothing_to_retry": 409, "invalid_answer": 422, "edit_rejected": 422}

router = APIRouter(
    prefix="/workspaces/{workspace_id}",
    responses={status: problem_schema() for status in (401, 403, 404, 409, 413, 422, 429)},
)


# ---------------------------------------------------------------------------------------------- helpers


def _check_instruction(services: Services, text: str, field: str) -> None:
    limit = services.settings.adly_max_instruction_chars
    try:
        clean_instruction(text[: limit + 1])
    except HiddenCharacters as exc:
        raise Problem(422, "hidden_characters", exc.text(input_language(text[:2000])), field=field) from exc
    if len(text) > limit:
        raise Problem(422, "instruction_too_long",
                      f"The instruction is {len(text):,} characters; the limit is {limit:,} (ADLY_MAX_INSTRUCTION_CHARS).",
                      field=field, limit=limit)


async def _conversation(services: Services, caller: Principal, campaign_id: str) -> Conversation:
    """The campaign's conversation, by its own id or its planned campaign's id; 404 outside the workspace."""
    async with services.ctx.reads()() as session:
        conversation = await repo.get_conversation(session=session, conversation_id=campaign_id)
        if conversation is None:
            campaign = await repo.get_campaign(session=session, campaign_id=campaign_id)
            if campaign is not None and campaign.conversation_id:
                conversation = await repo.get_conversation(session=session, conversation_id=campaign.conversation_id)
    if conversation is None or conversation.workspace_id != caller.workspace_id:
        raise not_found("campaign")
    return conversation


def _public_assets(workspace_id: str, assets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Assets as a client sees them: a download URL instead of a path on this server."""
    out = []
    for asset in assets:
        shown = {k: v for k, v in asset.items() if k != "path"}
        shown["download_url"] = f"/workspaces/{workspace_id}/assets/{asset['id']}" if asset.get("path") else None
        out.append(shown)
    return out


async def campaign_view(services: Services, conversation: Conversation, turn: Turn | None = None) -> CampaignView:
    turn = turn or await services.driver.current(conversation.id)
    summary = await campaign_summary(services.ctx, conversation.id)
    performance = None
    if summary["campaign_id"] and summary["status"] in REPORTABLE:
        report = await campaign_report(services.ctx, summary["campaign_id"])
        performance = report_json(report) if report is not None else None
    waiting = None
    if turn.prompt is not None:
        waiting = PendingApproval(interrupt_id=turn.prompt.interrupt_id, kind=turn.prompt.kind,
                                  payload=_public_payload(conversation.workspace_id, turn.prompt.payload))
    return CampaignView(
        id=conversation.id, name=summary["name"], status=turn.status if turn.status != "refused" else "waiting",
        requested_by=conversation.requested_by, created_at=conversation.created_at,
        plan_campaign_id=summary["campaign_id"], language=turn.language, waiting_for=waiting, notice=turn.notice,
        platforms=summary["platforms"], assets=_public_assets(conversation.workspace_id, summary["assets"]),
        performance=performance,
    )


def _public_payload(workspace_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    if "assets" not in payload:
        return payload
    assets = [{k: v for k, v in a.items() if k != "path"}
              | {"download_url": f"/workspaces/{workspace_id}/assets/{a['asset_id']}" if a.get("path") else None}
              for a in payload["assets"] if isinstance(a, dict)]
    return {**payload, "assets": assets}


def _turn_outcome(turn: Turn) -> None:
    """A refused or failed turn inside a job becomes the job's problem."""
    if turn.status == "refused":
        raise Problem(409, "refused", turn.notice or "The answer was not taken.")
    if turn.status == "error":
        raise Problem(500, "flow_error", turn.notice or "The flow failed.")


def _audit(services: Services, caller: Principal, action: str, details: dict[str, Any] | None = None) -> None:
    """A read-only action's audit event (batched: see bot/audit_batch.py)."""
    services.audit_batch.add(workspace_id=caller.workspace_id, actor=caller.user, action=action,
                             details={"api_key": caller.key_id, **(details or {})})


# ---------------------------------------------------------------------------------------------- parse


@router.post("/campaigns/parse", response_model=dict[str, Any], summary="Parse an instruction (no side effect)")
async def parse(body: ParseBody, caller: Reader, services: ServicesDep) -> dict[str, Any]:
    _check_instruction(services, body.text, "text")
    await services.api_limits.check("parse", key_id=caller.key_id, workspace_id=caller.workspace_id)
    async with services.ctx.reads()() as session:
        workspace = await repo.get_workspace(session=session, workspace_id=caller.workspace_id)
    currency = workspace.default_currency if workspace is not None else services.settings.adly_default_currency
    today = body.today or services.ctx.clock().date()
    # Off the event loop: one long instruction must not hold up everyone else's requests.
    request = await asyncio.to_thread(parse_instruction, body.text, today=today, default_currency=currency)
    _audit(services, caller, "api.parse", {"chars": len(body.text)})
    return request.contract_dict()


# ---------------------------------------------------------------------------------------------- generation


async def _generate(kind: str, body: Brief, caller: Principal, services: Services) -> JobAccepted:
    if body.instruction is not None:
        _check_instruction(services, body.instruction, "instruction")
    await services.api_limits.check("generate", key_id=caller.key_id, workspace_id=caller.workspace_id)

    return await start_job(services, caller, f"generate_{kind}", "generate",
                           {"kind": kind, "brief": body.model_dump(mode="json", exclude_none=True)})


@job_op("generate")
async def _generate_job(services: Services, caller: Principal, args: dict[str, Any]) -> tuple[dict[str, Any], None]:
    brief = Brief.model_validate(args["brief"])
    return await generation.generate(services, caller.workspace_id, args["kind"], brief), None


@router.post("/generate/text", status_code=202, response_model=JobAccepted,
             summary="Generate ad copy (Arabic and English headlines, texts, CTAs) for a brief")
async def generate_text(body: Brief, caller: Creator, services: ServicesDep) -> JobAccepted:
    return await _generate("text", body, caller, services)


@router.post("/generate/image", status_code=202, response_model=JobAccepted,
             summary="Generate images (1:1, 4:5, 9:16, per language) for a brief")
async def generate_image(body: Brief, caller: Creator, services: ServicesDep) -> JobAccepted:
    return await _generate("image", body, caller, services)


@router.post("/generate/video", status_code=202, response_model=JobAccepted,
             summary="Generate a 9:16 video with its voice-over for a brief")
async def generate_video(body: Brief, caller: Creator, services: ServicesDep) -> JobAccepted:
    return await _generate("video", body, caller, services)


# ---------------------------------------------------------------------------------------------- campaigns


@router.post("/campaigns", status_code=202, response_model=JobAccepted,
             summary="Start a campaign from an instruction or a structured request")
async def create_campaign(body: Brief, caller: Creator, services: ServicesDep) -> JobAccepted:
    request = None
    if body.instruction is not None:
        _check_instruction(services, body.instruction, "instruction")
        text = body.instruction
    else:
        assert body.request is not None
        request = CampaignRequest.model_validate(body.request.model_dump(mode="json"))
        text = f"(structured request: {', '.join(request.platforms)})"
    await services.api_limits.check("generate", key_id=caller.key_id, workspace_id=caller.workspace_id)

    return await start_job(services, caller, "campaign", "start",
                           {"text": text, "request": request.model_dump(mode="json") if request else None},
                           audit={"structured": request is not None})


@job_op("start")
async def _start_job(services: Services, caller: Principal, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    request = CampaignRequest.model_validate(args["request"]) if args.get("request") else None
    turn = await services.driver.start(workspace_id=caller.workspace_id, user=caller.user, text=args["text"],
                                       where=Where("api", f"key:{caller.key_id}"), request=request,
                                       start_key=f"api-job:{args['job_id']}" if args.get("job_id") else None)
    _turn_outcome(turn)
    conversation = await _conversation(services, caller, turn.conversation_id)
    return (await campaign_view(services, conversation, turn)).model_dump(mode="json"), conversation.id


@router.get("/campaigns", response_model=list[CampaignSummary], summary="The workspace's campaigns, newest first")
async def list_campaigns(caller: Reader, services: ServicesDep, limit: int = 50) -> list[CampaignSummary]:
    limit = max(1, min(limit, 200))
    async with services.ctx.reads()() as session:
        rows = await repo.list_conversations(session=session, workspace_id=caller.workspace_id, limit=limit)
        campaigns = {c.id: c for c in await repo.list_campaigns(session=session, workspace_id=caller.workspace_id,
                                                                 limit=limit * 2)}
    out = []
    for conversation in rows:
        campaign = campaigns.get(conversation.campaign_id or "")
        out.append(CampaignSummary(
            id=conversation.id, name=campaign.name if campaign is not None else None,
            status=campaign.status if campaign is not None else conversation.status,
            requested_by=conversation.requested_by, created_at=conversation.created_at,
        ))
    return out


@router.get("/campaigns/{campaign_id}", response_model=CampaignView,
            summary="A campaign: status, what it waits for, external IDs per platform, assets")
async def get_campaign(campaign_id: Id, caller: Reader, services: ServicesDep) -> CampaignView:
    return await campaign_view(services, await _conversation(services, caller, campaign_id))


@router.get("/campaigns/{campaign_id}/approval", response_model=PendingApproval,
            summary="What the campaign waits for (a question, accounts to connect, content or plan approval)")
async def pending_approval(campaign_id: Id, caller: Reader, services: ServicesDep) -> PendingApproval:
    conversation = await _conversation(services, caller, campaign_id)
    view = await campaign_view(services, conversation)
    if view.waiting_for is None:
        raise Problem(404, "nothing_pending", f"The campaign waits for nothing (it is {view.status}).")
    return view.waiting_for


async def _answer(services: Services, caller: Principal, conversation: Conversation, interrupt_id: str,
                  decision: dict[str, Any], kind: str) -> JobAccepted:
    refusal = await services.driver.refusal(conversation_id=conversation.id, interrupt_id=interrupt_id,
                                            decision=decision, actor=caller.user)
    if refusal is not None:
        status = REFUSAL_STATUS.get(refusal.code, 409)
        raise Problem(status, refusal.code, refusal.text, field="decision" if status == 422 else None)

    return await start_job(services, caller, kind, "decide",
                           {"conversation_id": conversation.id, "interrupt_id": interrupt_id, "decision": decision},
                           subject_id=conversation.id, audit={"interrupt_id": interrupt_id, "decision": decision})


@job_op("decide")
async def _decide_job(services: Services, caller: Principal, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    conversation = await _conversation(services, caller, args["conversation_id"])
    turn = await services.driver.decide(conversation_id=conversation.id, interrupt_id=args["interrupt_id"],
                                        decision=args["decision"], actor=caller.user)
    _turn_outcome(turn)
    return (await campaign_view(services, conversation, turn)).model_dump(mode="json"), conversation.id


@router.post("/campaigns/{campaign_id}/approval", status_code=202, response_model=JobAccepted,
             summary="Answer what the campaign waits for (approving the final plan is /publish)")
async def answer(campaign_id: Id, body: ApprovalBody, caller: Approver, services: ServicesDep) -> JobAccepted:
    conversation = await _conversation(services, caller, campaign_id)
    turn = await services.driver.current(conversation.id)
    if turn.prompt is not None and turn.prompt.kind == "preview" and body.decision.get("action") == "approve":
        raise Problem(409, "use_publish", "Approving the final plan publishes it: use POST .../publish "
                                          "(it needs the `publish` scope).")
    if (turn.prompt is not None and turn.prompt.kind == "over_ceiling" and body.decision.get("action") == "approve"
            and "admin" not in caller.scopes):
        raise Problem(403, "missing_scope", "A budget above the workspace's ceiling is approved by an admin: this "
                                            "API key lacks the `admin` scope.", scope="admin")
    return await _answer(services, caller, conversation, body.interrupt_id, body.decision, "campaign")


@router.post("/campaigns/{campaign_id}/reply", status_code=202, response_model=JobAccepted,
             summary="Answer in words, as in the Slack thread (a missing field, an adjustment)")
async def reply(campaign_id: Id, body: ReplyBody, caller: Creator, services: ServicesDep) -> JobAccepted:
    conversation = await _conversation(services, caller, campaign_id)

    return await start_job(services, caller, "campaign", "reply", {"conversation_id": conversation.id,
                                                                    "text": body.text},
                           subject_id=conversation.id, audit={"reply_chars": len(body.text)})


@job_op("reply")
async def _reply_job(services: Services, caller: Principal, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    conversation = await _conversation(services, caller, args["conversation_id"])
    turn = await services.driver.reply(conversation_id=conversation.id, text=args["text"], actor=caller.user)
    _turn_outcome(turn)
    return (await campaign_view(services, conversation, turn)).model_dump(mode="json"), conversation.id


@router.post("/campaigns/{campaign_id}/publish", status_code=202, response_model=JobAccepted,
             summary="Publish the campaign's approved plan (the plan hash must be the one shown)")
async def publish(campaign_id: Id, body: PublishBody, caller: Publisher, services: ServicesDep) -> JobAccepted:
    conversation = await _conversation(services, caller, campaign_id)
    turn = await services.driver.current(conversation.id)
    if turn.prompt is None or turn.prompt.kind != "preview":
        waiting = turn.prompt.kind if turn.prompt is not None else turn.status
        raise Problem(409, "not_ready_to_publish",
                      f"Only a campaign waiting for its final plan approval can be published (it is at: {waiting}).")
    # The approver rules of every door (approvers, self-approval limit, the plan hash) are the driver's.
    decision = {"action": "approve", "plan_hash": body.plan_hash}
    return await _answer(services, caller, conversation, turn.prompt.interrupt_id, decision, "publish")


@router.post("/campaigns/{campaign_id}/retry", status_code=202, response_model=JobAccepted,
             summary="Run a campaign's flow again after an error or an interrupted publish (the ledger dedupes)")
async def retry(campaign_id: Id, caller: Publisher, services: ServicesDep) -> JobAccepted:
    conversation = await _conversation(services, caller, campaign_id)
    turn = await services.driver.current(conversation.id)
    if turn.prompt is not None:
        raise Problem(409, "waiting_for_answer", f"The campaign waits for an answer ({turn.prompt.kind}), not a retry.")
    # Answered here at once, by the driver's own rule; it checks again when the job runs.
    refused = await services.driver.retry_refusal(conversation.id, caller.user)
    if refused is not None:
        raise Problem(REFUSAL_STATUS.get(refused.code, 409), refused.code, refused.text)

    return await start_job(services, caller, "publish", "retry", {"conversation_id": conversation.id},
                           subject_id=conversation.id, audit={"retry": True})


@job_op("retry")
async def _retry_job(services: Services, caller: Principal, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    conversation = await _conversation(services, caller, args["conversation_id"])
    retried = await resume_publish(services.driver, conversation.id, actor=caller.user)
    if isinstance(retried, Refusal):
        raise Problem(REFUSAL_STATUS.get(retried.code, 409), retried.code, retried.text)
    _turn_outcome(retried)
    return (await campaign_view(services, conversation, retried)).model_dump(mode="json"), conversation.id


@job_op("recover")
async def _recover_job(services: Services, caller: Principal, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Run again after its worker died: the conversation's half-done step continues (the ledger dedupes)."""
    conversation = await _conversation(services, caller, args["conversation_id"])
    recovered = await continue_after_dead_worker(services.driver, conversation.id)
    if recovered is None:
        raise NothingHalfDone(conversation.id)
    _turn_outcome(recovered)
    return (await campaign_view(services, conversation, recovered)).model_dump(mode="json"), conversation.id


# ---------------------------------------------------------------------------------------------- jobs, assets


@router.get("/jobs/{job_id}", response_model=JobView, summary="A job's status and, once done, its result")
async def get_job(job_id: Id, caller: Reader, services: ServicesDep) -> JobView:
    async with services.ctx.reads()() as session:
        job = await api_jobs.get_job(session=session, job_id=job_id)
    if job is None or job.workspace_id != caller.workspace_id:
        raise not_found("job")
    return JobView(job_id=job.id, kind=job.kind, status=job.status, status_url=status_url(job.workspace_id, job.id),  # type: ignore[arg-type]
                   created_at=job.created_at, finished_at=job.finished_at, campaign_id=job.subject_id,
                   result=job.result, error=job.error)


@router.get("/assets/{asset_id}", summary="Download an asset (its file; a copy asset's text as JSON)",
            responses={200: {"content": {"application/octet-stream": {}, "application/json": {}}}})
async def download_asset(asset_id: Id, caller: Reader, services: ServicesDep, request: Request) -> Any:
    async with services.ctx.reads()() as session:
        found = await repo.get_assets(session=session, asset_ids=[asset_id])
    asset = found[0] if found else None
    if asset is None or asset.workspace_id != caller.workspace_id:
        raise not_found("asset")
    if not asset.file_path:
        return JSONResponse(AssetView(id=asset.id, kind=asset.kind, language=asset.language, provider=asset.provider,
                                      text=asset.text).model_dump(mode="json"))
    root = services.settings.asset_dir
    path = (root / asset.file_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():  # noqa: ASYNC240 - one stat of a local file
        raise Problem(410, "asset_gone", "The asset's file is no longer stored.")
    media = asset.mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media, filename=f"{asset.kind}-{asset.id}{Path(path).suffix}")
