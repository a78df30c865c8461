"""FastAPI dependency aliases shared by the HTTP routes: the services opened for this app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bot.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
