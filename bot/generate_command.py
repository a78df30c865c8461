"""`adly generate`: parse an instruction, make its creative bundle (copy, images, video, voice)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from agent.briefs import DEFAULT_LANGUAGES, audience_gender, copy_brief
from agent.models import CampaignRequest
from agent.parsing import parse_instruction
from tools.generation.base import IMAGE_SIZES, Providers
from tools.generation.studio import (
    Bundle,
    BundleSpec,
    generate_bundle,
    offline_providers,
    providers_from_config,
)

DEFAULT_BRAND = "ADLY Store"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `adly generate "INSTRUCTION" --out DIR [--json] [--today YYYY-MM-DD] ...`."""
    parser.add_argument("text", help="the campaign instruction (English or Arabic)")
    parser.add_argument(
        "--out", type=Path, default=Path("adly-assets"), help="folder for the files (created)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the asset manifest as JSON on the last line"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="reference date for relative dates and occasions (default: today)",
    )
    parser.add_argument(
        "--currency", default=None, help="workspace default currency (default: settings, SAR)"
    )
    parser.add_argument(
        "--brand", default=None, help=f"brand name on the creative (default: {DEFAULT_BRAND})"
    )
    parser.add_argument(
        "--register",
        choices=("gulf", "msa"),
        default=None,
        help="Arabic register (default: the workspace setting ADLY_ARABIC_REGISTER)",
    )
    parser.add_argument(
        "--offline", action="store_true", help="use the offline generators even if a key is set"
    )


def bundle_spec_from_request(
    request: CampaignRequest, *, brand_name: str = DEFAULT_BRAND, register: str = "gulf",
    brand_name_ar: str | None = None, logo_path: Path | None = None,
) -> BundleSpec:
    """What to make for a parsed request: copy in its languages; images, video, voice as its types ask."""
    creative = set(request.creative_types) or {"image", "video", "voice"}
    languages = list(request.languages) or DEFAULT_LANGUAGES
    brief = copy_brief(request, languages=languages, brand_name=brand_name, register=register,
                       brand_name_ar=brand_name_ar)
    return BundleSpec(
        copy_brief=brief,
        image_sizes=list(IMAGE_SIZES) if "image" in creative else [],
        video="video" in creative,
        voice="voice" in creative or "video" in creative,  # the video carries the voice-over
        voice_gender="male" if audience_gender(request) == "male" else "female",
        logo_path=logo_path,
    )


def _providers(args: argparse.Namespace) -> tuple[Providers, str, str, str]:
    """Providers from settings (OPENAI_API_KEY switches the OpenAI ones on), plus currency and register."""
    from bot.settings import Settings

    settings = Settings()
    currency = str(args.currency or settings.adly_default_currency).upper()
    register = args.register or settings.adly_arabic_register
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if args.offline or not key:
        return offline_providers(), currency, register, "offline"
    providers = providers_from_config(
        openai_api_key=key,
        openai_base_url=settings.openai_base_url,
        chat_model=settings.openai_chat_model,
        image_model=settings.openai_image_model,
        tts_model=settings.openai_tts_model,
        chat_timeout_s=settings.llm_timeout_s,
    )
    return providers, currency, register, "openai"


def missing_required(spec: BundleSpec, bundle: Bundle) -> list[str]:
    """Human-readable list of required assets that no provider could make."""
    have = {(a.kind, a.language, a.width, a.height) for a in bundle.assets}
    kinds_langs = {(a.kind, a.language) for a in bundle.assets}
    missing: list[str] = []
    for lang in spec.copy_brief.languages:
        if ("copy", lang) not in kinds_langs:
            missing.append(f"{lang} copy")
        for w, h in spec.image_sizes:
            if ("image", lang, w, h) not in have:
                missing.append(f"{lang} image {w}x{h}")
        if spec.voice and ("voice", lang) not in kinds_langs:
            missing.append(f"{lang} voice-over")
    if spec.video and not any(a.kind == "video" for a in bundle.assets):
        missing.append(f"{spec.primary_language} video")
    return missing


def _summary(bundle: Bundle) -> str:
    lines = []
    for a in bundle.assets:
        if a.kind == "copy" and a.text:
            lines.append(
                f"copy  {a.language}  {a.text['headline']} | {a.text['primary_text']} [{a.text['cta_label']}]"
            )
        else:
            dims = f"{a.width}x{a.height}" if a.width else ""
            dur = f"{a.duration_s:.1f}s" if a.duration_s else ""
            draft = " (draft voice)" if a.meta.get("draft") else ""
            lines.append(
                f"{a.kind:<5} {a.language}  {dims} {dur} {a.provider}{draft}  {a.path}".replace("  ", " ")
            )
    lines.append(f"{len(bundle.assets)} assets in {bundle.seconds:.1f}s")
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> int:
    """Generate the bundle; 0 when every required asset exists, 1 when one could not be made, 2: bad input."""
    providers, currency, register, mode = _providers(args)
    if len(currency) != 3 or not currency.isalpha():
        print(f"adly generate: --currency must be an ISO 4217 code, got {currency!r}", file=sys.stderr)
        return 2
    from agent.instructions import InstructionRefused, check_instruction
    from bot.settings import Settings

    try:
        check_instruction(args.text, Settings().adly_max_instruction_chars)
    except InstructionRefused as exc:
        print(f"adly generate: {exc}", file=sys.stderr)
        return 2
    request = parse_instruction(args.text, today=args.today or date.today(), default_currency=currency)
    spec = bundle_spec_from_request(request, brand_name=args.brand or DEFAULT_BRAND, register=register)
    out_dir: Path = args.out.resolve()
    bundle = await generate_bundle(spec, providers, out_dir)
    missing = missing_required(spec, bundle)
    for failure in bundle.failures:
        tried = ", ".join(f"{a.provider}: {a.error}" for a in failure.attempts) or failure.error
        print(f"adly generate: could not make {failure.label} ({tried})", file=sys.stderr)
    if args.json:
        manifest = bundle.manifest()
        for entry, asset in zip(manifest["assets"], bundle.assets, strict=True):
            entry["meta"] = {k: v for k, v in asset.meta.items() if isinstance(v, str | int | float | bool)}
        print(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))
    else:
        print(f"Generated with the {mode} providers into {out_dir}")
        print(_summary(bundle))
    if missing:
        print(f"adly generate: missing required assets: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (`python -m bot.generate_command`)."""
    import asyncio

    parser = argparse.ArgumentParser(prog="adly generate", description=__doc__)
    add_arguments(parser)
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
