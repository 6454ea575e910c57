"""The build record: what the last successful build was made from, so an unchanged input is not
built again.

The record sits beside the output folder (never inside it, so it is neither published nor part of
the atomic swap). It holds a fingerprint of every input (each content and template file's path,
size and modification time, the generator's own source, the installed versions of the libraries
that shape the output, and the build options) and a fingerprint of the output tree as written. A
build whose input fingerprint matches, over an output tree that nobody has touched, has nothing to
do.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from .write import write_atomically

PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("jinja2", "markdown", "pyyaml", "opencc", "nh3", "cn2an", "pagefind")


def _tree_entries(root: Path) -> list[str]:
    """'relative path size mtime' for every file below root, sorted (like os.walk, it does not enter
    a linked folder). One scandir per folder and paths built by joining names: at 10,000 articles
    the output holds 78,000 files, and os.walk with os.path.relpath took twice as long."""
    entries: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as listing:
            for entry in listing:
                try:
                    folder_entry = entry.is_dir()
                except OSError:  # a link loop: not a folder, and fingerprinted as a link below
                    folder_entry = False
                if folder_entry:
                    if not entry.is_symlink():
                        walk(entry.path, prefix + entry.name + "/")
                    continue
                try:
                    stat = entry.stat()
                except OSError:  # a broken link or a link loop: the build reports it; fingerprint the link itself
                    stat = entry.stat(follow_symlinks=False)
                entries.append(f"{prefix}{entry.name} {stat.st_size} {stat.st_mtime_ns}")

    if root.is_dir():
        walk(str(root), "")
    entries.sort()
    return entries


@functools.lru_cache(maxsize=1)
def generator_digest() -> str:
    """A digest of the generator itself: its source and the versions of the libraries that shape the output."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


def input_fingerprint(content: Path, templates: Path, options: dict[str, str]) -> str:
    """A digest of everything a build reads."""
    digest = hashlib.sha256(generator_digest().encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    for label, root in (("content", content), ("templates", templates)):
        digest.update(label.encode())
        digest.update("\n".join(_tree_entries(root)).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return digest.hexdigest()


def output_fingerprint(out_dir: Path) -> str:
    return hashlib.sha256("\n".join(_tree_entries(out_dir)).encode()).hexdigest()


def record_path(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.with_name(f".{out_dir.name}.build-record.json")


def is_current(out_dir: Path, inputs: str) -> bool:
    """True when out_dir was built from exactly these inputs and has not been touched since."""
    try:
        record = json.loads(record_path(out_dir).read_text())
    except (OSError, ValueError):
        return False
    return record.get("inputs") == inputs and out_dir.is_dir() and record.get("output") == output_fingerprint(out_dir)


def remember(out_dir: Path, inputs: str) -> None:
    """Write the record of a successful build (atomically; a stale record only costs a rebuild)."""
    record = json.dumps({"inputs": inputs, "output": output_fingerprint(out_dir)}, indent=1) + "\n"
    write_atomically(record_path(out_dir), record.encode("utf-8"))


def forget(out_dir: Path) -> None:
    try:
        record_path(out_dir).unlink()
    except FileNotFoundError:
        pass
