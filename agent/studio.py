"""LangGraph Studio's entry (langgraph.json): the flow compiled without a checkpointer, as Studio requires."""

from agent.graph import build_graph

graph = build_graph().compile()
