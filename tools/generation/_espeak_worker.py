"""espeak-ng synthesis to a WAV file through the C API; run as a child process (`python FILE`)."""

# This file is executed by path in a fresh interpreter, so it imports nothing from the project: the
# library keeps global state (one voice, one callback) and a crash in C must not take the bot down.

from __future__ import annotations

import ctypes
import json
import sys
import threading
import wave
from pathlib import Path

AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_CHARS_UTF8 = 1
ESPEAK_ENDPAUSE = 0x1000
ESPEAK_RATE = 1
ESPEAK_PITCH = 3
EE_OK = 0

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
_lock = threading.Lock()  # the library is one global synthesizer; in-process callers must take turns


def _load() -> ctypes.CDLL:
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_Synchronize.argtypes = []
    lib.espeak_Synchronize.restype = ctypes.c_int
    lib.espeak_Terminate.argtypes = []
    lib.espeak_Terminate.restype = ctypes.c_int
    return lib


def synthesize(
    text: str, voice: str, out_path: Path, *, rate: int = 150, pitch: int = 50
) -> dict[str, object]:
    """Speak `text` with espeak-ng voice name `voice` (e.g. "ar+f3") into a 16-bit mono WAV at `out_path`."""
    import espeakng_loader

    with _lock:
        lib = _load()
        # espeak wants the directory that *contains* espeak-ng-data.
        data_parent = str(Path(espeakng_loader.get_data_path()).parent).encode()
        sample_rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data_parent, 0)
        if sample_rate <= 0:
            raise RuntimeError("espeak_Initialize failed")
        chunks: list[bytes] = []

        def on_samples(wav: ctypes._Pointer[ctypes.c_short], n: int, _events: int | None) -> int:
            if wav and n > 0:
                chunks.append(ctypes.string_at(wav, n * 2))
            return 0

        callback = _CALLBACK(on_samples)  # kept referenced until synthesis ends, or C calls freed memory
        lib.espeak_SetSynthCallback(callback)
        used_voice = voice
        if lib.espeak_SetVoiceByName(voice.encode()) != EE_OK:
            used_voice = voice.split("+", 1)[0]
            if lib.espeak_SetVoiceByName(used_voice.encode()) != EE_OK:
                raise RuntimeError(f"espeak-ng has no voice {voice!r}")
        lib.espeak_SetParameter(ESPEAK_RATE, rate, 0)
        lib.espeak_SetParameter(ESPEAK_PITCH, pitch, 0)
        data = text.encode("utf-8") + b"\0"
        buf = ctypes.create_string_buffer(data)
        err = lib.espeak_Synth(buf, len(data), 0, 1, 0, ESPEAK_CHARS_UTF8 | ESPEAK_ENDPAUSE, None, None)
        if err != EE_OK:
            raise RuntimeError(f"espeak_Synth returned {err}")
        lib.espeak_Synchronize()
        lib.espeak_Terminate()
        del callback
    pcm = b"".join(chunks)
    if not pcm:
        raise RuntimeError("espeak-ng produced no audio")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out_path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(pcm)
    return {"sample_rate": sample_rate, "duration_s": len(pcm) / 2 / sample_rate, "voice": used_voice}


def main() -> int:
    """Read {"text", "voice", "out", "rate", "pitch"} as JSON on stdin; print the result as JSON."""
    job = json.loads(sys.stdin.read())
    try:
        info = synthesize(
            job["text"],
            job["voice"],
            Path(job["out"]),
            rate=int(job.get("rate", 150)),
            pitch=int(job.get("pitch", 50)),
        )
    except Exception as exc:  # noqa: BLE001 - reported to the parent as data, not a traceback
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
        return 1
    print(json.dumps({"ok": True, **info}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
