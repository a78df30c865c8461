"""Token encryption: round trip, row binding, tamper detection, key rotation and the embedded key file."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from store import repositories as repo
from store.crypto import CryptoError, TokenCipher, load_or_create_keyfile, rotate_tokens
from store.db import create_engine, create_session_factory, upgrade_database

AAD = "ws1|meta|act_1|access_token"
SECRET = "EAAB-very-secret-token"


def _cipher(*kids: str) -> TokenCipher:
    return TokenCipher({kid: bytes([i + 1]) * 32 for i, kid in enumerate(kids)}, kids[0])


def test_round_trip_and_format() -> None:
    cipher = _cipher("k1")
    blob = cipher.encrypt(SECRET, aad=AAD)
    assert blob.startswith("v1.k1.")
    assert SECRET not in blob
    assert cipher.decrypt(blob, aad=AAD) == SECRET
    assert cipher.encrypt(SECRET, aad=AAD) != blob  # fresh nonce each time


def test_wrong_aad_fails_without_leaking() -> None:
    cipher = _cipher("k1")
    blob = cipher.encrypt(SECRET, aad=AAD)
    with pytest.raises(CryptoError) as info:
        cipher.decrypt(blob, aad="ws2|meta|act_1|access_token")
    assert SECRET not in str(info.value) and blob not in str(info.value)


@pytest.mark.parametrize("position", [0, 12, -1])  # nonce, ciphertext, tag
def test_tampering_fails(position: int) -> None:
    cipher = _cipher("k1")
    version, kid, body = cipher.encrypt(SECRET, aad=AAD).split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[position] ^= 0x01
    forged = ".".join([version, kid, base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")])
    with pytest.raises(CryptoError):
        cipher.decrypt(forged, aad=AAD)


def test_wrong_key_and_garbage_fail() -> None:
    blob = _cipher("k1").encrypt(SECRET, aad=AAD)
    other = TokenCipher({"k1": b"\x09" * 32}, "k1")
    with pytest.raises(CryptoError):
        other.decrypt(blob, aad=AAD)
    with pytest.raises(CryptoError, match="unknown key id"):
        _cipher("k2").decrypt(blob, aad=AAD)
    with pytest.raises(CryptoError):
        other.decrypt("plaintext-token", aad=AAD)


def test_rotation_keeps_old_blobs_readable() -> None:
    old = _cipher("k1")
    blob = old.encrypt(SECRET, aad=AAD)
    both = TokenCipher({"k2": b"\x07" * 32, "k1": bytes([1]) * 32}, "k2")
    assert both.decrypt(blob, aad=AAD) == SECRET
    assert both.needs_rotation(blob)
    rotated = both.rotate(blob, aad=AAD)
    assert rotated.startswith("v1.k2.") and not both.needs_rotation(rotated)
    assert both.decrypt(rotated, aad=AAD) == SECRET


def test_from_setting() -> None:
    k1 = base64.b64encode(b"\x01" * 32).decode()
    k2 = base64.urlsafe_b64encode(b"\x02" * 32).decode().rstrip("=")
    cipher = TokenCipher.from_setting(f"new:{k2}, old:{k1}")
    assert cipher.primary == "new" and set(cipher.key_ids) == {"new", "old"}
    assert "\\x01" not in repr(cipher) and k1 not in repr(cipher)
    with pytest.raises(CryptoError) as info:
        TokenCipher.from_setting("k1:" + base64.b64encode(b"short").decode())
    assert "short" not in str(info.value)
    with pytest.raises(CryptoError):
        TokenCipher.from_setting("")
    with pytest.raises(CryptoError):
        TokenCipher.from_setting("nokid")


def test_keyfile_created_once_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = load_or_create_keyfile(data_dir)
    path = data_dir / "keys.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text()
    second = load_or_create_keyfile(data_dir)
    assert path.read_text() == content
    assert first.primary == second.primary
    assert second.decrypt(first.encrypt(SECRET, aad=AAD), aad=AAD) == SECRET
    assert list(data_dir.iterdir()) == [path]


async def test_rotate_tokens_re_encrypts_stored_tokens(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    await upgrade_database(url)
    engine = create_engine(url)
    factory = create_session_factory(engine)
    old = _cipher("k1")
    try:
        async with factory() as session:
            ws = await repo.get_or_create_workspace(session=session, name="acme")
            account = await repo.upsert_ad_account(
                session=session, cipher=old, workspace_id=ws.id, platform="tiktok", external_account_id="adv1",
                name="TT", currency="SAR", timezone="Asia/Riyadh", access_token="at-1", refresh_token="rt-1",
            )
            await repo.save_slack_installation(
                session=session, cipher=old, team_id="T1", enterprise_id=None, bot_user_id="U1", bot_token="xoxb-1"
            )
            await session.commit()
            account_id = account.id

        new = TokenCipher({"k2": b"\x07" * 32, "k1": bytes([1]) * 32}, "k2")
        async with factory() as session:
            assert await rotate_tokens(session=session, cipher=new) == 3
            await session.commit()
        async with factory() as session:
            assert await rotate_tokens(session=session, cipher=new) == 0
            account = await repo.get_ad_account(session=session, ad_account_id=account_id)
            assert account is not None and account.access_token_enc is not None
            assert account.access_token_enc.startswith("v1.k2.")
            assert repo.read_tokens(cipher=new, account=account) == ("at-1", "rt-1")
            installation = await repo.find_slack_installation(session=session, team_id="T1")
            assert installation is not None
            assert repo.read_slack_token(cipher=new, installation=installation) == "xoxb-1"
            only_new = TokenCipher({"k2": b"\x07" * 32}, "k2")
            assert repo.read_tokens(cipher=only_new, account=account) == ("at-1", "rt-1")
    finally:
        await engine.dispose()
