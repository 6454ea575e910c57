#!/usr/bin/env python3
"""Generate a synthetic archive of N articles in the project's own content format.

Made from the seed archive in content/: each synthetic article takes a shuffled selection of seed
paragraphs (so texts are realistic Chinese news prose), written in the one script the article
declares, as a captured article is: every fifth article in Traditional, the others in Simplified,
each paragraph converted with OpenCC where the seed has it in the other script. It gets a capture
file with its SHA-256, and about ten annotations spread over the themes and claims, each quoting a
passage that occurs once in its article. Deterministic for a given --seed.

    python bench/generate.py --articles 1000 --out bench/work/archive-1000
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from framing.source.anchor import TextFolder  # noqa: E402
from framing.pipeline import Project, load  # noqa: E402
from framing.source.scriptfold import script_fold  # noqa: E402


def unique_quote(rng: random.Random, paragraphs: list[str], text: str, folder: TextFolder) -> tuple[int, str] | None:
    """A 10-24 character passage that occurs exactly once in the article, as the build compares text."""
    folded = folder.fold(text).text
    for _ in range(20):
        number = rng.randrange(len(paragraphs))
        paragraph = paragraphs[number]
        if len(paragraph) < 16:
            continue
        length = rng.randint(10, min(24, len(paragraph)))
        start = rng.randrange(len(paragraph) - length + 1)
        quote = paragraph[start:start + length].strip()
        needle = folder.fold(quote).text
        if len(quote) >= 8 and needle and "\n" not in quote and not quote.startswith(">") \
                and folded.count(needle) == 1 and folded.find(needle[1:]) == folded.find(needle) + 1:
            return number, quote
    return None


def generate(count: int, out: Path, seed: int) -> None:
    archive = load(Project.at(ROOT))
    folder = TextFolder(script_fold())
    into = {"zh-Hans": opencc.OpenCC("t2s"), "zh-Hant": opencc.OpenCC("s2t")}
    rng = random.Random(seed)
    pool = [(p, a.script) for a in archive.articles if a.script in into for p in a.paragraphs if len(p) >= 20]  # Chinese prose only
    claims = [c for c in archive.claims]
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    for name in ("articles", "annotations", "captures", "themes", "claims"):
        (content / name).mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", content / "site.yaml")
    for name in ("themes", "claims", "pages"):
        if (ROOT / "content" / name).is_dir():
            shutil.copytree(ROOT / "content" / name, content / name, dirs_exist_ok=True)
    for number in range(count):
        slug = f"synthetic-{number:05d}"
        script = "zh-Hant" if number % 5 == 4 else "zh-Hans"
        chosen = rng.sample(pool, rng.randint(12, 22))
        paragraphs = [p if written == script else into[script].convert(p) for p, written in chosen]
        capture = "\n".join(paragraphs) + "\n"
        capture_name = f"{slug}.txt"
        (content / "captures" / capture_name).write_text(capture, encoding="utf-8")
        digest = hashlib.sha256(capture.encode("utf-8")).hexdigest()
        day = 1 + number % 28
        front = (f"---\ntitle: 合成文章{number}\noutlet: 合成媒体{number % 50}\nauthors: [作者{number % 200}]\n"
                 f"published: 2025-11-{day:02d}\nsources:\n  - url: https://example.org/{slug}\n"
                 f"script: {script}\ncapture: {capture_name}\nsha256: {digest}\n---\n")
        (content / "articles" / f"{slug}.md").write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        sections, used = [], set()
        text = "\n".join(paragraphs)
        for index in range(10):
            found = unique_quote(rng, paragraphs, text, folder)
            if found is None or found[1] in used or any(found[1] in q or q in found[1] for q in used):
                continue
            used.add(found[1])
            claim = claims[(number * 10 + index) % len(claims)]
            sections.append(f"## {slug}-n{index}\n\n> {found[1]}\n\nclaim: {claim.id}\n\n"
                            f"合成注释{index}:这段文字与[论断](claim:{claim.id})有关。\n")
        (content / "annotations" / f"{slug}.md").write_text("\n".join(sections), encoding="utf-8")
    shutil.copytree(ROOT / "templates", out / "templates", dirs_exist_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="how many articles (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the project into (replaced)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    generate(args.articles, args.out, args.seed)


if __name__ == "__main__":
    main()
