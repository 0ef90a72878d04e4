"""The same sources give a byte-identical site: no dict order, set order, path or clock leaks into the output."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, ROOT, Build, build_site

sys.path.insert(0, str(ROOT / "scripts"))

import synthetic


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # MkDocs stamps the sitemap with the build day; two builds around midnight would differ for that reason alone.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def assert_identical_builds(first: Path, second: Path, *options: str) -> list[Build]:
    """Build both source folders (in different places, so absolute paths must not matter, and in processes with different
    hash seeds, so set order must not matter) and compare every file."""
    builds = [build_site(root, True, *options, hash_seed=seed) for seed, root in enumerate((first, second), start=1)]
    for build in builds:
        assert build.returncode == 0, build.output
    one, two = (site_files(build.site) for build in builds)
    assert sorted(one) == sorted(two)
    differing = [path for path in one if one[path] != two[path]]
    assert differing == []
    return builds


def test_fixture_site_builds_byte_identical(tmp_path: Path) -> None:
    for name in ("first", "second"):
        shutil.copytree(FIXTURE_SITE, tmp_path / name)
    assert_identical_builds(tmp_path / "first", tmp_path / "second")


def test_synthetic_site_of_200_organisations_builds_byte_identical(tmp_path: Path) -> None:
    corpus = synthetic.generate(200, 60, seed=7)
    for name in ("first", "second"):
        synthetic.write_site(tmp_path / name, synthetic.generate(200, 60, seed=7))
    sources = [site_files(tmp_path / name) for name in ("first", "second")]
    assert sources[0] == sources[1]  # the generator itself is deterministic
    assert_identical_builds(tmp_path / "first", tmp_path / "second")
    site = tmp_path / "first" / "site"
    assert all((site / "organisations" / org.slug / "index.html").is_file() for org in corpus.organisations)
    assert "Organisationen wie ihr" in (site / "organisations" / corpus.organisations[0].slug / "index.html").read_text(encoding="utf-8")
