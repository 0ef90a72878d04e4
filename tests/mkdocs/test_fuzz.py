"""Fuzzing the core: whatever a contributor types, every problem is a Problem, never an exception."""

from __future__ import annotations

import datetime
import shutil

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.core.kinds import DEFAULT_KINDS, kind_named
from casebook.core.knowledge import Settings, build_knowledge_base
from casebook.core.model import DEFAULT_TAXONOMIES, Problem
from casebook.core.sources import Source, parse_source
from casebook.core.vocabulary import parse_vocabulary
from conftest import FIXTURE_SITE, build_site

VOCABULARY, _ = parse_vocabulary((FIXTURE_SITE / "docs/vokabular.yml").read_text(encoding="utf-8"), "docs/vokabular.yml", DEFAULT_TAXONOMIES)
SETTINGS = Settings(DEFAULT_TAXONOMIES)
FIELD_NAMES = sorted({spec.name for kind in ("organisation", "case") for spec in kind_named(DEFAULT_KINDS, kind).fields(DEFAULT_TAXONOMIES)})
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.text(max_size=60),
    st.dates(), st.sampled_from(["Senior*innen", "seniorinnen", "CiviCRM", "Berlin", "alpha-verein", "https://example.org",
                                 "javascript:alert(1)", "kontakt@example.org", "<b>x</b>", "{{ config }}", "laufend"]),
)
values = st.recursive(scalars, lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=3),
                      max_leaves=12)
front_matter = st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=12), values, max_size=12)
bodies = st.text(max_size=300)


def check(sources_by_kind: dict[str, list[Source]]) -> None:
    """The whole pipeline runs and reports only Problems; every file is an entry or a broken page."""
    kb = build_knowledge_base(sources_by_kind, VOCABULARY, SETTINGS)
    assert all(isinstance(problem, Problem) and problem.message for problem in kb.problems)
    assert all(problem.format() for problem in kb.problems)
    published = len(kb.organisations) + len(kb.entries["case"]) + len(kb.broken)
    assert published == sum(len(sources) for sources in sources_by_kind.values())
    for broken in kb.broken:
        assert broken.problems, "a broken file must say why"


def dump(meta: dict, body: str) -> bytes:
    return ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body).encode("utf-8", "surrogatepass")


@FAST
@given(st.lists(st.tuples(front_matter, bodies), min_size=1, max_size=4), st.lists(st.tuples(front_matter, bodies), max_size=3))
def test_structured_front_matter_never_raises(organisations: list, cases: list) -> None:
    check({
        "organisation": [parse_source(f"docs/organisations/o{i}.md", dump(meta, body)) for i, (meta, body) in enumerate(organisations)],
        "case": [parse_source(f"cases/c{i}.md", dump(meta, body)) for i, (meta, body) in enumerate(cases)],
    })


# Fragments of front matter, shuffled: most results are broken YAML of the kinds contributors produce.
FRAGMENTS = [*"abcnmeusry:-[]{},'\"&*!|>#%@`?\t\n ", "\n  - ", "name: ", "summary: ", "---", "\r\n", "\ufeff", "ä", "а",
             "!!int ", "!!bool ", "!!omap ", "!!timestamp ", "<<: ", "&a ", "*a", "2025-02-30"]
yamlish = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)


@FAST
@given(yamlish, bodies)
def test_yaml_like_text_never_raises(head: str, body: str) -> None:
    raw = f"---\n{head}\n---\n{body}".encode("utf-8", "surrogatepass")
    check({"organisation": [parse_source("docs/organisations/x.md", raw)], "case": [parse_source("cases/x.md", raw)]})


@FAST
@given(st.binary(max_size=400), st.sampled_from([b"", b"---\n", b"\xef\xbb\xbf---\n", b"---\r\nname: x\r\n"]))
def test_random_bytes_never_raise(raw: bytes, prefix: bytes) -> None:
    source = parse_source("docs/organisations/x.md", prefix + raw)
    assert all(isinstance(problem, Problem) for problem in source.problems)
    check({"organisation": [source], "case": []})


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(front_matter, bodies), min_size=1, max_size=3))
def test_a_real_build_survives_generated_files(tmp_path_factory, files: list) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "site-src"
    shutil.copytree(FIXTURE_SITE, root)
    for index, (meta, body) in enumerate(files):
        (root / f"docs/organisations/zufall-{index}.md").write_bytes(dump(meta, body))
        (root / f"cases/zufall-{index}.md").write_bytes(dump(meta, body))
    build = build_site(root, strict=False)
    assert build.returncode == 0, build.output
    assert "Traceback" not in build.output
    for index in range(len(files)):
        assert (build.site / f"organisations/zufall-{index}/index.html").is_file()
        assert (build.site / f"cases/zufall-{index}/index.html").is_file()


def test_dates_and_nested_values_reach_the_checker() -> None:
    """The strategies really produce what the checker must handle (guards against a strategy that degenerates)."""
    raw = dump({"name": "x", "date": datetime.date(2025, 1, 1), "software": [{"a": [1]}]}, "")
    source = parse_source("docs/organisations/x.md", raw)
    assert source.meta["date"] == datetime.date(2025, 1, 1)
    assert source.meta["software"] == [{"a": [1]}]
