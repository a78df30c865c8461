"""Token encryption at rest: AES-256-GCM bound to its row by associated data, with key ids for rotation.

A stored blob reads ``v1.<kid>.<base64url(nonce || ciphertext+tag)>``. The associated data (see
``token_aad``) names the row and column, so a ciphertext copied into another workspace's or
account's row fails to decrypt. The primary key encrypts; every listed key decrypts; rotation is:
add a new primary, run ``rotate_tokens``, commit, then drop the old key. Nothing here ever puts a
token or key into an exception message or a repr.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AdAccount, SlackInstallation

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEYFILE_NAME = "keys.json"
_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class CryptoError(Exception):
    """Decryption or key handling failed; the message never contains secret material."""


def token_aad(workspace_id: str, platform: str, external_account_id: str, column: str) -> str:
    return f"{workspace_id}|{platform}|{external_account_id}|{column}"


def ad_account_aad(account: AdAccount, column: str) -> str:
    return token_aad(account.workspace_id, account.platform, account.external_account_id, column)


def slack_installation_aad(installation: SlackInstallation, column: str = "bot_token") -> str:
    return token_aad(installation.enterprise_id or "-", "slack", installation.team_id, column)


def _b64decode(value: str) -> bytes:
    value = value.strip()
    padded = value + "=" * (-len(value) % 4)
    try:
        return base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("malformed base64") from exc


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class TokenCipher:
    """Encrypts with the primary key, decrypts with any known key."""

    def __init__(self, keys: Mapping[str, bytes], primary: str) -> None:
        if primary not in keys:
            raise CryptoError(f"primary key id {primary!r} is not among the keys")
        for kid, key in keys.items():
            if not _KID.match(kid):
                raise CryptoError(f"invalid key id {kid!r} (letters, digits, _ and -, at most 32)")
            if len(key) != KEY_BYTES:
                raise CryptoError(f"key {kid!r} must be {KEY_BYTES} bytes")
        self._aead = {kid: AESGCM(bytes(key)) for kid, key in keys.items()}
        self._primary = primary

    def __repr__(self) -> str:
        return f"TokenCipher(primary={self._primary!r}, key_ids={sorted(self._aead)!r})"

    @property
    def primary(self) -> str:
        return self._primary

    @property
    def key_ids(self) -> list[str]:
        return list(self._aead)

    @classmethod
    def from_setting(cls, value: str) -> TokenCipher:
        """Parse ``"kid1:base64key,kid2:base64key"``; the first key is the primary."""
        keys: dict[str, bytes] = {}
        for item in (part.strip() for part in value.split(",")):
            if not item:
                continue
            kid, sep, encoded = item.partition(":")
            kid = kid.strip()
            if not sep or not kid:
                raise CryptoError("token keys must look like 'kid:base64key,kid2:base64key'")
            if kid in keys:
                raise CryptoError(f"duplicate key id {kid!r}")
            keys[kid] = _b64decode(encoded)
        if not keys:
            raise CryptoError("no token keys configured")
        return cls(keys, next(iter(keys)))

    @staticmethod
    def generate_key() -> bytes:
        return AESGCM.generate_key(bit_length=KEY_BYTES * 8)

    def encrypt(self, plaintext: str, *, aad: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead[self._primary].encrypt(nonce, plaintext.encode("utf-8"), aad.encode("utf-8"))
        return f"{VERSION}.{self._primary}.{_b64encode(nonce + sealed)}"

    def decrypt(self, blob: str, *, aad: str) -> str:
        kid, raw = self._parse(blob)
        aead = self._aead.get(kid)
        if aead is None:
            raise CryptoError(f"token was encrypted with unknown key id {kid!r}")
        try:
            plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad.encode("utf-8"))
        except InvalidTag:
            raise CryptoError("token decryption failed (wrong key, wrong row binding or tampered data)") from None
        return plain.decode("utf-8")

    def needs_rotation(self, blob: str) -> bool:
        kid, _ = self._parse(blob)
        return kid != self._primary

    def rotate(self, blob: str, *, aad: str) -> str:
        return self.encrypt(self.decrypt(blob, aad=aad), aad=aad)

    @staticmethod
    def _parse(blob: str) -> tuple[str, bytes]:
        parts = blob.split(".")
        if len(parts) != 3 or parts[0] != VERSION:
            raise CryptoError("not an encrypted token (unknown format)")
        raw = _b64decode(parts[2])
        if len(raw) < NONCE_BYTES + 16:
            raise CryptoError("encrypted token is truncated")
        return parts[1], raw


def load_or_create_keyfile(data_dir: Path) -> TokenCipher:
    """Embedded mode: one generated key kept in ``<data_dir>/keys.json`` (0600), reused on restart."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / KEYFILE_NAME
    if not path.exists():
        _create_keyfile(path)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        keys = {str(kid): _b64decode(str(key)) for kid, key in content["keys"].items()}
        return TokenCipher(keys, str(content["primary"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CryptoError(f"unreadable key file {path}") from exc


def _create_keyfile(path: Path) -> None:
    kid = "k" + secrets.token_hex(4)
    content = json.dumps({"primary": kid, "keys": {kid: _b64encode(TokenCipher.generate_key())}}, indent=2)
    create_secret_file(path, content)


def create_secret_file(path: Path, content: str) -> None:
    """Write `content` to `path` (0600) unless it exists; many processes starting at once keep exactly one.

    The file appears whole or not at all (written aside, then linked into place), so a process that reads it
    the moment after another created it never sees it empty."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        # link() refuses to replace an existing file, so two processes starting together keep one key.
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


async def rotate_tokens(*, session: AsyncSession, cipher: TokenCipher) -> int:
    """Re-encrypt every stored token not under the primary key; flushes, the caller commits."""
    rotated = 0
    accounts = await session.scalars(
        select(AdAccount).where(or_(AdAccount.access_token_enc.is_not(None), AdAccount.refresh_token_enc.is_not(None)))
    )
    for account in accounts:
        for column, logical in (("access_token_enc", "access_token"), ("refresh_token_enc", "refresh_token")):
            blob = getattr(account, column)
            if blob and cipher.needs_rotation(blob):
                setattr(account, column, cipher.rotate(blob, aad=ad_account_aad(account, logical)))
                rotated += 1
    installations = await session.scalars(select(SlackInstallation).where(SlackInstallation.bot_token_enc.is_not(None)))
    for installation in installations:
        blob = installation.bot_token_enc
        if blob and cipher.needs_rotation(blob):
            installation.bot_token_enc = cipher.rotate(blob, aad=slack_installation_aad(installation))
            rotated += 1
    await session.flush()
    return rotated
