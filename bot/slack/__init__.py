"""The Slack front door: a Bolt AsyncApp over the conversation driver (see app.py for the entry points)."""

from bot.slack.app import SlackFrontDoor, build_slack

__all__ = ["SlackFrontDoor", "build_slack"]
