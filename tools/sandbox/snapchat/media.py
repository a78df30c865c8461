"""Media uploads: the file that makes a media container READY."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from tools.sandbox.core import read_form
from tools.sandbox.snapchat.base import SnapchatSimBase, SnapError, bad


class SnapchatMedia(SnapchatSimBase):
    """POST /media/{id}/upload."""

    async def _upload(self, request: Request, media_id: str) -> dict[str, Any]:
        found = self.store.get("media", media_id)
        if found is None:
            raise SnapError(404, "E1004", f"media {media_id} not found.")
        form = await read_form(request)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise bad("file", "a multipart file is required.")
        content = await upload.read()
        if not content:
            raise bad("file", "the file is empty.")
        obj = found[1]
        obj.update(media_status="READY", file_name=upload.filename, file_size_in_bytes=len(content))
        self.store.put("media", obj)
        return {"result": self._view(obj)}
