"""The Slack front door: a Bolt AsyncApp over the conversation driver (entry points: `bot.slack.app`).

The package imports nothing itself, so its rooms may import one another (`from bot.slack import blocks`) without
a cycle through this file.
"""
