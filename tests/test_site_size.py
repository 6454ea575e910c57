"""The built site's size, and the warnings a build gives where it will not fit GitHub Pages."""

from __future__ import annotations

from conftest import cli_for
from framing.output import sitesize
def test_the_size_is_the_sum_of_the_published_files_and_the_build_says_it(tiny):
    result = cli_for(tiny, "build", "--out", str(tiny / "site"))
    assert result.returncode == 0, result.stderr
    paths = [p.relative_to(tiny / "site").as_posix() for p in (tiny / "site").rglob("*") if p.is_file()]
    size = sitesize.measure(tiny / "site", paths)
    assert size.files == len(paths) and size.total == sum((tiny / "site" / p).stat().st_size for p in paths)
    assert f", {sitesize.megabytes(size.total)} (" in result.stdout
    assert sitesize.warnings(size) == [] and "warning" not in result.stderr


def test_a_site_over_the_limit_and_a_data_file_over_its_own_are_named():
    size = sitesize.SiteSize(1_234_000_000, 75_099, (("data/annotations.jsonld", 76_000_000),))
    said = sitesize.warnings(size)
    assert len(said) == 2
    assert "1,234 MB in 75,099 files" in said[0] and "1,000 MB GitHub Pages publishes" in said[0]
    assert sitesize.PAGES_LIMITS_URL in said[0]
    assert "data/annotations.jsonld is 76 MB" in said[1] and "10 MB" in said[1]
    assert sitesize.warnings(sitesize.SiteSize(999_000_000, 10, ())) == []
