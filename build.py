#!/usr/bin/env python3
"""Framing Archive's command line: build, serve, check and import.

    python build.py                     build content/ into site/
    python build.py serve               build, serve on localhost, reload the browser on every save
    python build.py check               validate everything without writing (for CI)
    python build.py import FILE --slug SLUG [--trim 'A-B=what']
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Callable

from framing.source.baseurl import BaseUrlError, parse_base_url
from framing.errors import FramingError, format_error

ROOT = Path(__file__).resolve().parent


def _base_url(value: str) -> str:
    """--base-url, checked and written in full ('/repo' -> '/repo/'); argparse reports what is wrong."""
    try:
        return str(parse_base_url(value))
    except BaseUrlError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _bounded(kind: type, low: float, high: float, what: str) -> Callable[[str], float]:
    """An argparse type: a number of this kind from low to high, or a usage error naming the range."""
    def number(value: str) -> float:
        try:
            parsed = kind(value)
        except ValueError:
            parsed = None
        if parsed is None or not low <= parsed <= high:
            raise argparse.ArgumentTypeError(f"'{value}' is not {what} from {low} to {high}")
        return parsed
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the annotated archive in content/ into a static site.",
        epilog="Without a command, 'build' runs. 'python build.py COMMAND --help' describes each command.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=ROOT / "content", metavar="DIR",
                         help="the content folder (default: content/)")
        sub.add_argument("--templates", type=Path, default=ROOT / "templates", metavar="DIR",
                         help="the templates folder (default: templates/)")

    build = commands.add_parser("build", help="build the site into site/ (the default command)",
                                description="Build the site into --out, atomically: a failed build leaves the previous output untouched.")
    common(build)
    build.add_argument("--out", type=Path, default=ROOT / "site", metavar="DIR", help="the output folder (default: site/)")
    build.add_argument("--base-url", type=_base_url, metavar="URL",
                       help="where the site is served: a path such as /repo/, or a full URL such as https://user.github.io/repo/, "
                            "which also makes canonical links, the sitemap and the feeds absolute (default: base_url in "
                            "content/site.yaml)")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing changed since the last build")
    build.add_argument("--timings", action="store_true", help="afterwards, print how long each stage of the build took "
                                                             "(to standard error, also with --quiet)")

    serve = commands.add_parser("serve", help="build, serve on localhost and reload the browser on every change",
                                description="Build into a temporary folder, serve it under the site's base path, rebuild and reload "
                                            "the browser whenever content/ or templates/ change. Errors show in the browser.")
    common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_bounded(int, 1, 65535, "a port number"), default=8000,
                       help="the port to listen on (default: 8000)")
    serve.add_argument("--base-url", type=_base_url, metavar="PATH",
                       help="serve under this path instead of base_url from content/site.yaml")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")

    check = commands.add_parser("check", help="validate content and templates without writing anything",
                                description="Load, validate and render everything in memory; exit 1 on any problem.")
    common(check)
    check.add_argument("--coverage", nargs="?", type=_bounded(float, 0, 100, "a percentage"), const=95.0, default=None,
                       metavar="PERCENT",
                       help="also list claim-like passages (numbers, quotations, attributions) that no annotation covers, "
                            "and fail when less than PERCENT of them are covered (default 95)")
    check.add_argument("--strict", action="store_true",
                       help="fail on check's warnings too: the source check's (a url not on its publisher's domains, "
                            "a claim without an original or reputable source; see content/publishers.yaml) and the English "
                            "pages' (Chinese shown outside quotations, archived text and names: an English title, outlet "
                            "name or note is missing)")

    imp = commands.add_parser("import", help="add an article from a captured text file",
                              description="Copy CAPTURE into content/captures/, hash it, detect its language and write "
                                          "content/articles/SLUG.md with the text verbatim. Never overwrites an article.")
    imp.add_argument("capture", type=Path, metavar="CAPTURE", help="the captured text file (UTF-8)")
    imp.add_argument("--slug", required=True, help="the article's slug: lower-case ASCII letters, digits, hyphens")
    imp.add_argument("--trim", action="append", default=[], metavar="START-END=WHAT",
                     help="leave capture lines START..END out of the body as page chrome, recording WHAT they were "
                          "(END may be empty: to the end); repeatable")
    imp.add_argument("--content", type=Path, default=ROOT / "content", metavar="DIR", help="the content folder (default: content/)")
    return parser


def run(argv: list[str]) -> int:
    """Run one command; FramingError becomes a message and exit status 1."""
    parser = _parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    args = parser.parse_args(argv)
    from framing.commands import cli# imported late so --help stays instant

    return cli.dispatch(args, ROOT)


def main() -> None:
    try:
        status = run(sys.argv[1:])
    except FramingError as error:
        print(format_error(error), file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        status = 130
    gc.freeze()  # the exit collects nothing: a last walk over every object a build made took 70 ms
    sys.exit(status)


if __name__ == "__main__":
    main()
