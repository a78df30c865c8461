"""Voice-over providers: espeak-ng (offline draft voice, in a child process) and OpenAI text-to-speech."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx

from tools.generation.base import MediaResult, VoiceBrief, brief_fingerprint
from tools.generation.media import probe

_WORKER = Path(__file__).with_name("_espeak_worker.py")

# espeak-ng voice names: language, then a "+variant" for the timbre (f* female, m* male).
_ESPEAK_LANG = {"ar": "ar", "en": "en-us"}
_ESPEAK_VARIANTS = {
    "female": ("f3", "f2", "f4", "f1"),
    "male": ("m3", "m1", "m2", "m4"),
}  # by brief.variation


def _out_path(brief: VoiceBrief, out_dir: Path, provider: str, ext: str) -> Path:
    return out_dir / f"voice_{brief.language}_{provider}_{brief_fingerprint('voice', brief)[:10]}.{ext}"


class EspeakVoiceProvider:
    """Offline voice-over with espeak-ng. Robotic: results are flagged `draft` so the review card says so."""

    name = "espeak-ng"

    def __init__(self, *, rate: int = 145, timeout_s: float = 30.0) -> None:
        self._rate = rate
        self._timeout = timeout_s

    def voice_for(self, language: str, gender: str, variation: int = 0) -> str:
        lang = language.lower().split("-")[0]
        variants = _ESPEAK_VARIANTS.get(gender, _ESPEAK_VARIANTS["female"])
        return f"{_ESPEAK_LANG.get(lang, lang)}+{variants[variation % len(variants)]}"

    async def synthesize(self, brief: VoiceBrief, out_dir: Path) -> MediaResult:
        if not brief.script.strip():
            raise ValueError("empty voice-over script")
        path = _out_path(brief, out_dir, "espeak", "wav")
        job = {
            "text": brief.script,
            "voice": self.voice_for(brief.language, brief.gender, brief.variation),
            "out": str(path),
            "rate": self._rate,
        }
        # A child process per job: libespeak-ng is one global synthesizer (not reentrant), and a C crash
        # there must not take the bot with it. Start-up costs ~50 ms.
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(_WORKER),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(proc.communicate(json.dumps(job).encode()), self._timeout)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise RuntimeError("espeak-ng timed out") from None
        lines = out.decode("utf-8", "replace").strip().splitlines()
        result: dict[str, Any] = json.loads(lines[-1]) if lines else {}
        if proc.returncode != 0 or not result.get("ok"):
            detail = result.get("error") or err.decode("utf-8", "replace").strip()[-300:]
            raise RuntimeError(f"espeak-ng failed: {detail}")
        return MediaResult(
            path=path,
            mime="audio/wav",
            duration_s=round(float(result["duration_s"]), 3),
            provider=self.name,
            meta={
                "draft": True,
                "voice": result.get("voice"),
                "sample_rate": result.get("sample_rate"),
                "language": brief.language,
                "gender": brief.gender,
            },
        )


class OpenAITTSProvider:
    """OpenAI speech API (audio/speech) to WAV; the voice is chosen by gender, the accent by instructions."""

    _VOICES = {"female": ("shimmer", "nova", "coral"), "male": ("onyx", "ash", "echo")}  # by brief.variation

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        model: str = "gpt-4o-mini-tts",
        http: httpx.AsyncClient | None = None,
        timeout_s: float = 60.0,
    ) -> None:
        self.name = f"openai-tts:{model}"
        self._key = api_key
        self._base = (base_url or "https://api.openai.com/v1").rstrip("/")
        self._model = model
        self._http = http
        self._timeout = timeout_s

    def _voice(self, brief: VoiceBrief) -> str:
        voices = self._VOICES.get(brief.gender, self._VOICES["female"])
        return voices[brief.variation % len(voices)]

    async def synthesize(self, brief: VoiceBrief, out_dir: Path) -> MediaResult:
        body: dict[str, Any] = {
            "model": self._model,
            "input": brief.script,
            "voice": self._voice(brief),
            "response_format": "wav",
        }
        if not self._model.startswith("tts-1"):
            # Only the gpt-4o TTS models take instructions; tts-1 rejects the field.
            accent = (
                "a warm Gulf (Saudi) Arabic accent" if brief.language == "ar" else "a friendly, clear accent"
            )
            body["instructions"] = f"Speak as an upbeat radio-ad voice-over with {accent}, at a natural pace."
        client = self._http or httpx.AsyncClient(timeout=self._timeout)
        try:
            resp = await client.post(
                f"{self._base}/audio/speech",
                json=body,
                timeout=self._timeout,
                headers={"Authorization": f"Bearer {self._key}"},
            )
            resp.raise_for_status()
            audio = resp.content
        finally:
            if self._http is None:
                await client.aclose()
        path = _out_path(brief, out_dir, "openai", "wav")
        path.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(path.write_bytes, audio)
        # Streamed WAV headers can carry a placeholder length: the duration comes from ffmpeg, not the header.
        info = await probe(path)
        return MediaResult(
            path=path,
            mime="audio/wav",
            duration_s=info.duration_s,
            provider=self.name,
            meta={"draft": False, "voice": body["voice"], "language": brief.language, "gender": brief.gender},
        )
