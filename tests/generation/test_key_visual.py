"""With an image model configured, its key visual sits inside the same layouts as the offline creative and every
word on it is set by us: the fake model (an httpx.MockTransport serving a PNG for the images endpoint) is the
only thing faked."""

from __future__ import annotations

import base64
import io
import json
from decimal import Decimal
from pathlib import Path

import httpx
from PIL import Image, ImageChops, ImageStat

from tools.generation.base import CopyBrief, ImageBrief, Offer, Providers
from tools.generation.design import regions
from tools.generation.image import (
    OpenAIImageProvider,
    ProceduralImageProvider,
    compose_on_visual,
    compose_procedural,
)
from tools.generation.studio import BundleSpec, generate_bundle
from tools.generation.text import TemplateCopyProvider

MODEL_COLOUR = (200, 30, 160)  # no theme draws this: where it shows, the model's picture shows


def _png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, MODEL_COLOUR).save(out, "PNG")
    return out.getvalue()


def _mean(img: Image.Image) -> tuple[float, ...]:
    return tuple(ImageStat.Stat(img.convert("RGB")).mean)


async def test_a_model_key_visual_sits_in_our_layout_with_our_words_and_the_offer(tmp_path: Path) -> None:
    prompts: list[dict[str, object]] = []

    def images_endpoint(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/images/generations"
        body = json.loads(request.content)
        prompts.append(body)
        size = tuple(int(n) for n in str(body["size"]).split("x"))
        return httpx.Response(200, json={"data": [{"b64_json": base64.b64encode(_png(size)).decode()}]})  # type: ignore[arg-type]

    offer = Offer(discount_percent=30, price=Decimal("149"), currency="SAR")
    spec = BundleSpec(
        copy_brief=CopyBrief(theme="ramadan", objective="sales", product="abaya", languages=["ar", "en"],
                             platforms=["meta", "tiktok"], brand_name_ar="متجر عدلي", offer=offer),
        image_sizes=[(1080, 1080), (1080, 1920)], video=False, voice=False,
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(images_endpoint)) as http:
        providers = Providers(
            copy=[TemplateCopyProvider()],
            image=[OpenAIImageProvider(api_key="sk-test", http=http), ProceduralImageProvider()],
        )
        bundle = await generate_bundle(spec, providers, tmp_path)
    assert not bundle.failures, bundle.failures

    # The model is asked for a picture without words; one picture per shape serves both languages.
    assert sorted(p["size"] for p in prompts) == ["1024x1024", "1024x1536"]
    for body in prompts:
        assert "no text, letters, numbers, logos" in str(body["prompt"]) and "abaya" in str(body["prompt"])

    images = [a for a in bundle.assets if a.kind == "image"]
    assert len(images) == 4 and all(a.provider == "openai-images:gpt-image-1" for a in images)
    for asset in images:
        assert asset.brief is not None and asset.path is not None
        brief = ImageBrief.model_validate(asset.brief)
        assert (brief.discount_percent, brief.price) == (30, Decimal("149"))  # the offer reaches the key visual
        with Image.open(asset.path) as made:
            rendered = made.convert("RGB")
        # Exactly our composition on their picture: the same plan as the offline creative of the same brief
        # (card, button, every text box inside the placement's safe zone)...
        flat = Image.new("RGB", (brief.width, brief.height), MODEL_COLOUR)
        ours = compose_on_visual(flat, brief, "ramadan")
        offline = compose_procedural(brief, "ramadan").plan
        assert (ours.plan.card, ours.plan.button, ours.plan.text_boxes) == (
            offline.card, offline.button, offline.text_boxes)
        safe = regions("ramadan", brief.width, brief.height).safe
        assert all(safe.contains(box) for box in ours.plan.text_boxes)
        diff = ImageStat.Stat(ImageChops.difference(rendered, ours.image)).mean
        assert max(diff) < 2.0, diff  # only JPEG noise between the file and our composition
        # ...their picture everywhere outside our card and button, our card (and words) over it inside.
        corner = rendered.crop((0, 0, 60, 60))
        assert all(abs(c - m) < 8 for c, m in zip(_mean(corner), MODEL_COLOUR, strict=True)), _mean(corner)
        card = rendered.crop(tuple(round(v) for v in (ours.plan.card.x0, ours.plan.card.y0,
                                                        ours.plan.card.x1, ours.plan.card.y1)))
        assert sum(abs(c - m) for c, m in zip(_mean(card), MODEL_COLOUR, strict=True)) > 120, _mean(card)
        assert min(ours.contrast.values()) >= 4.5, ours.contrast  # our words stay readable on any picture
