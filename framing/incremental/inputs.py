"""Whether a build has anything to do: the fingerprints of its inputs and of the output tree.

The store keeps, for the last successful build, a fingerprint of every input (each content and
template file's path, size and modification time, the generator, and the build options), the list
of the files the build wrote, and a fingerprint of the output tree as written: each of those
files' size and modification time, and each folder's modification time, which changes whenever an
entry is added to the folder, removed or renamed. A build whose input fingerprint matches, over an
output tree that nobody has touched, has nothing to do. Checking the tree stats only the paths the record lists, and lists no folder:
at 10,000 articles that is 106,000 stats in 0.28 s, where a walk of the tree's 31,000 folders took
0.41 to 0.58 s.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from framing.incremental.store import Store, generator_salt



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


def build_fingerprint(content: Path, templates: Path, base_url: str | None, search: bool) -> str:
    """The fingerprint of what a build with these options reads."""
    return input_fingerprint(content, templates, {"base_url": base_url or "", "search": "yes" if search else "no"})


def input_fingerprint(content: Path, templates: Path, options: dict[str, str]) -> str:
    """A digest of everything a build reads."""
    digest = hashlib.sha256(generator_salt().encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    for label, root in (("content", content), ("templates", templates)):
        digest.update(label.encode())
        digest.update("\n".join(_tree_entries(root)).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return digest.hexdigest()


def output_fingerprint(out_dir: Path, files: list[str]) -> str | None:
    """A digest of the size and modification time of these files (sorted paths under out_dir) and of
    the modification time of every folder that holds them; None where one of them is missing."""
    folders: set[str] = set()  # "" is out_dir itself
    for path in files:
        folder = path
        while folder:
            folder = folder.rpartition("/")[0]
            if folder in folders:
                break
            folders.add(folder)
    digest = hashlib.sha256()
    stat = os.stat
    try:
        root = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:  # paths relative to the open folder: the kernel does not walk out_dir's own path 100,000 times
        for path in files:
            found = stat(path, dir_fd=root)
            digest.update(f"{path} {found.st_size} {found.st_mtime_ns}\n".encode())
        for folder in sorted(folders):
            digest.update(f"{folder}/ {stat(folder or '.', dir_fd=root).st_mtime_ns}\n".encode())
    except OSError:
        return None
    finally:
        os.close(root)
    return digest.hexdigest()


KIND = "build"  # the store's name for the record of the last build


def is_current(store: Store, out_dir: Path, inputs: str) -> bool:
    """True when out_dir was built from exactly these inputs and has not been touched since."""
    record = store.get(KIND, "last")
    if not isinstance(record, dict) or record.get("inputs") != inputs or not isinstance(record.get("files"), list) \
            or not all(isinstance(path, str) for path in record["files"]):
        return False
    output = output_fingerprint(out_dir, record["files"])
    return output is not None and record.get("output") == output


def remember(store: Store, out_dir: Path, inputs: str, files: list[str] | tuple[str, ...]) -> None:
    """Record a successful build that wrote exactly these files into out_dir (kept at the store's commit())."""
    listed = sorted(files)
    store.put(KIND, "last", {"inputs": inputs, "output": output_fingerprint(out_dir, listed), "files": listed})

