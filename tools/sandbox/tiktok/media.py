"""The advertiser's library: image and video uploads (MD5-signed, unique file names), their search, and the
CUSTOMIZED_USER identities made from a square image of it."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from PIL import Image, UnidentifiedImageError

from tools.sandbox.tiktok.base import ADVERTISER_ID, ApiError, TikTokSimBase, bad


def _image_size(content: bytes) -> tuple[int | None, int | None]:
    """An uploaded image's pixel size from its header; (None, None) when the bytes are no readable image."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            return img.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return None, None


class TikTokMedia(TikTokSimBase):
    """Identities, uploads and the library search."""

    def _identity(self, params: dict[str, Any]) -> dict[str, Any]:
        """A CUSTOMIZED_USER identity: a display name and an avatar, a 1:1 image from the library."""
        name = str(params.get("display_name") or "")
        if not 1 <= len(name) <= 40:
            raise bad("display_name", "length must be between 1 and 40.")
        image_uri = str(params.get("image_uri") or "")
        if not image_uri:
            raise bad(
                "image_uri", "this field is required (the avatar's image_id from /file/image/ad/upload/)."
            )
        found = self.store.get("image", image_uri)
        if found is None or found[1].get("account_id") != ADVERTISER_ID:
            raise bad("image_uri", f"image {image_uri} is not in this advertiser's library.")
        image = found[1]
        if image.get("width") is None or image.get("width") != image.get("height"):
            raise bad("image_uri", "the avatar's width and height ratio must be 1:1.")
        obj = {"id": self._new_id(), "account_id": ADVERTISER_ID, "display_name": name,
               "identity_type": "CUSTOMIZED_USER", "image_uri": image_uri,
               "profile_image": image["url"]}  # fmt: skip
        obj["identity_id"] = obj["id"]
        self.store.put("identity", obj)
        return {"identity_id": obj["id"]}

    async def _upload(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        upload = params.get(f"{kind}_file")
        if params.get("upload_type", "UPLOAD_BY_FILE") != "UPLOAD_BY_FILE" or not isinstance(upload, tuple):
            raise bad(f"{kind}_file", "a file is required with upload_type UPLOAD_BY_FILE.")
        content = upload[1]
        digest = hashlib.md5(content).hexdigest()  # noqa: S324 - TikTok's signature is MD5
        if params.get(f"{kind}_signature") != digest:
            raise ApiError(40900, f"{kind}_signature: the file signature does not match the file.")
        file_name = str(params.get("file_name") or upload[0])
        for row in self.store.list(kind, account_id=ADVERTISER_ID):
            if row.get("file_name") == file_name:
                raise ApiError(40911, f"file_name: duplicated material name {file_name}.")
        n = self.faults.before_create(kind)
        object_id = f"ad-site-i18n-sg/{digest}" if kind == "image" else f"v10033g50000{digest[:20]}"
        width, height = _image_size(content) if kind == "image" else (1080, 1920)
        obj = {"id": object_id, f"{kind}_id": object_id, "account_id": ADVERTISER_ID, "file_name": file_name,
               "signature": digest, "size": len(content), "width": width, "height": height,
               "url": f"https://p16-sandbox.tiktokcdn.com/{digest}"}  # fmt: skip
        if kind == "video":
            obj["duration"] = 15.0
        self.store.put(kind, obj)
        await self.faults.after_create(kind, n)
        return {k: v for k, v in obj.items() if k not in ("id", "account_id", "created_at")}

    def _media_search(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        """The account's material library, paged (the real search filters by ids; we list and match names)."""
        rows = [
            {k: v for k, v in r.items() if k not in ("id", "account_id", "created_at")}
            for r in self.store.list(kind, account_id=ADVERTISER_ID)
        ]
        page, size = int(params.get("page") or 1), min(100, int(params.get("page_size") or 20))
        return {
            "list": rows[(page - 1) * size : page * size],
            "page_info": {"page": page, "page_size": size, "total_number": len(rows),
                          "total_page": max(1, -(-len(rows) // size))},
        }  # fmt: skip
