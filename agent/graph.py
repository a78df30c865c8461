"""The campaign flow as a LangGraph StateGraph: one node per box of the seed flow diagram."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agent.context import AgentContext
from agent.nodes.accounts import connect_accounts
from agent.nodes.ceiling import admin_approval
from agent.nodes.generate import (
    MediaBranch,
    fan_out_media,
    generate_copy,
    generate_media,
    generate_video,
    regenerate,
)
from agent.nodes.launch import cancelled, failed, publish, reconnect, track
from agent.nodes.rebuild import rebuild
from agent.nodes.review import review
from agent.nodes.structure import build_structure, preview
from agent.nodes.understand import parse, validate
from agent.state import CampaignState


def build_graph() -> StateGraph[CampaignState, AgentContext]:
    """The flow, uncompiled: the caller compiles it with its own checkpointer (SQLite, Postgres, or none for Studio).

    parse -> validate (clarify loop) -> connect_accounts (OAuth wait) -> validate -> generate_copy
    -> [generate_media x N, in parallel] -> generate_video -> review (regenerate loop; an edit loops through
    rebuild, which remakes what shows the edited words)
    -> build_structure -> preview (adjust loop back to validate) -> admin_approval (above the budget ceilings)
    -> publish -> track -> END
    publish -> reconnect (a token died mid-publish; everything paused) -> publish, same plan, same keys
    """
    builder = StateGraph(CampaignState, context_schema=AgentContext)
    builder.add_node("parse", parse)
    builder.add_node("validate", validate)
    builder.add_node("connect_accounts", connect_accounts)
    builder.add_node("generate_copy", generate_copy)
    # A Send branch gets its own input (MediaBranch), which the typed overloads of add_node do not model.
    builder.add_node("generate_media", generate_media, input_schema=MediaBranch)  # type: ignore[call-overload]
    builder.add_node("generate_video", generate_video)
    builder.add_node("review", review)
    builder.add_node("regenerate", regenerate)
    builder.add_node("rebuild", rebuild)
    builder.add_node("build_structure", build_structure)
    builder.add_node("preview", preview)
    builder.add_node("admin_approval", admin_approval)
    builder.add_node("publish", publish)
    builder.add_node("reconnect", reconnect)
    builder.add_node("track", track)
    builder.add_node("failed", failed)
    builder.add_node("cancelled", cancelled)

    builder.add_edge(START, "parse")
    builder.add_edge("parse", "validate")
    builder.add_conditional_edges("generate_copy", fan_out_media, ["generate_media", "generate_video"])
    builder.add_edge("generate_media", "generate_video")
    builder.add_edge("generate_video", "review")
    builder.add_edge("rebuild", "review")
    builder.add_edge("build_structure", "preview")
    builder.add_edge("track", END)
    builder.add_edge("failed", END)
    builder.add_edge("cancelled", END)
    return builder
