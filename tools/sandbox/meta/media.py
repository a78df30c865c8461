"""Ad images (stored by content hash) and ad videos: uploads, listings, deletes."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from tools.sandbox.meta.base import REQUEST_ACCOUNT, MetaSimBase, invalid


class MetaMedia(MetaSimBase):
    """The adimages and advideos edges of an ad account."""

    async def _adimages(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        if method == "GET":
            rows = [
                r
                for r in self.store.list("adimage", account_id=REQUEST_ACCOUNT.get())
                if r.get("status") != "DELETED"
            ]
            hashes = self._json(params, "hashes")
            if hashes:
                rows = [r for r in rows if r["id"] in hashes]
            fields = str(params.get("fields") or "hash,name").split(",")
            return self._page([{f: r.get(f) for f in fields if f in r} for r in rows], params)
        if method == "DELETE":
            found = self.store.get("adimage", str(params.get("hash")))
            if found:
                found[1]["status"] = "DELETED"
                self.store.put("adimage", found[1])
            return {"success": True}
        uploads = list(files.items())
        if params.get("bytes"):
            uploads.append(
                (
                    str(params.get("name") or "image"),
                    (str(params.get("name") or "image"), base64.b64decode(params["bytes"])),
                )
            )
        if not uploads:
            raise invalid("bytes", "param bytes or a file upload is required")
        out: dict[str, Any] = {}
        for key, (_filename, content) in uploads:
            if not content:
                raise invalid("bytes", "the uploaded image is empty")
            n = self.faults.before_create("image")
            digest = hashlib.md5(content).hexdigest()  # noqa: S324 - Meta image hashes are content hashes
            obj = {"id": digest, "hash": digest, "name": key, "status": "ACTIVE", "account_id": REQUEST_ACCOUNT.get(),
                   "url": f"https://scontent.sandbox.fbcdn.net/{digest}.jpg"}  # fmt: skip
            self.store.put("adimage", obj)
            out[key] = {"hash": digest, "url": obj["url"]}
            await self.faults.after_create("image", n)
        return {"images": out}

    async def _advideos(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        if method == "GET":
            rows = [
                r
                for r in self.store.list("advideo", account_id=REQUEST_ACCOUNT.get())
                if r.get("status") != "DELETED"
            ]
            fields = [f for f in str(params.get("fields") or "id,title").split(",") if f]
            return self._page([{f: r.get(f) for f in fields} | {"id": r["id"]} for r in rows], params)
        if "source" not in files and not params.get("file_url"):
            raise invalid("source", "param source (a video file) or file_url is required")
        n = self.faults.before_create("video")
        obj = {"id": self._new_id(), "name": params.get("name"), "title": params.get("title") or params.get("name"),
               "status": "ready", "account_id": REQUEST_ACCOUNT.get(), "size": len(files.get("source", ("", b""))[1]),
               "created_time": self.faults.now().strftime("%Y-%m-%dT%H:%M:%S+0000")}  # fmt: skip
        self.store.put("advideo", obj)
        await self.faults.after_create("video", n)
        return {"id": obj["id"]}
