"""Front doors and composition root: CLI, terminal chat, Slack, HTTP API, scheduler, settings."""
