"""The HTTP API: workspace API keys, the seed's routes, problem details, body and rate limits.

`install(app, settings)` (bot/api/app.py) puts it on the FastAPI app; bot/web.py owns that app.
"""
