"""Same input, same bytes: two builds of one archive give identical trees."""

import hashlib

from conftest import cli_for, run_cli


def digest_tree(site):
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "one")).returncode == 0
    assert cli_for(tiny, "build", "--out", str(tiny / "two")).returncode == 0
    assert digest_tree(tiny / "one") == digest_tree(tiny / "two")


def test_seed_archive_builds_identically_whatever_the_clock(tmp_path):
    first = run_cli("build", "--out", str(tmp_path / "a"), "--quiet", env={"SOURCE_DATE_EPOCH": "1800000000"})
    second = run_cli("build", "--out", str(tmp_path / "b"), "--quiet", env={"SOURCE_DATE_EPOCH": "1850000000", "TZ": "Asia/Shanghai"})
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert digest_tree(tmp_path / "a") == digest_tree(tmp_path / "b")


def test_parallel_rendering_gives_the_same_bytes_as_serial(tiny, monkeypatch):
    from framing.output import render
    from framing.site.pages import edition_views, plan_pages
    from framing.pipeline import Project, load, load_catalogue, static_files
    from framing.site.editions import ScriptConverter

    project = Project.at(tiny)
    archive = load(project)
    _, assets = static_files(project, ScriptConverter())
    pages = plan_pages(edition_views(archive, load_catalogue(project), ScriptConverter(), assets)) * 4
    renderer = render.Renderer(project.templates)

    def make(number):
        return renderer.render_page(pages[number])

    with render.MadeInOrder(make, len(pages), workers=1) as maker:
        assert maker.pool is None
        serial = list(maker.run(range(len(pages))))
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    with render.MadeInOrder(make, len(pages), workers=2) as maker:
        assert maker.pool is not None
        first = list(maker.run(range(5)))
        rest = list(maker.run(range(5, len(pages))))
    assert first + rest == serial and len(serial) == len(pages)


def test_a_build_in_worker_processes_gives_the_bytes_of_one_in_this_process(tiny, monkeypatch):
    """The whole build, search index included, through the pool of workers and through none."""
    from framing.output import render
    from framing.pipeline import Project, build

    project = Project.at(tiny)
    monkeypatch.setattr(render, "PARALLEL_FROM", 10 ** 9)
    build(project, tiny / "serial", force=True)
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(render, "AHEAD", 1)  # workers wait for the writer after every chunk
    build(project, tiny / "pooled", force=True)
    assert digest_tree(tiny / "serial") == digest_tree(tiny / "pooled")
    assert any(path.startswith("pagefind/") for path in digest_tree(tiny / "pooled"))
