"""The brain: the campaign flow as a LangGraph state machine, its rules, and the conversation driver."""
