"""Smoke test of scripts/bench.py: it runs end to end and reports every figure (no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

KEYS = ("overhead_ratio", "ms_per_page", "peak_rss_mb", "similarity_10k_s", "similarity_100k_s",
        "speedup_vs_naive", "serve_rebuild_s", "serve_rebuild_plugin_s", "overhead_ratio_cpu", "related_ours_s")


def test_quick_benchmark_reports_every_figure_as_one_json_line() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert [key for key in KEYS if key not in figures] == []
    assert "plugin_share" not in figures  # time in handlers over wall time hid work; the ratios say what the plugin costs
    assert figures["organisations"] == 100 and figures["cases"] == 50
    # Pages and the sections readers can find; the sections that only list other pages are left out.
    assert figures["pages"] < figures["search_index_entries"] < 4 * figures["pages"]  # 2.4 per page; 6.1 with them
    assert figures["serve_edit_visible_s"] > 0 and figures["serve_edit_visible_ratio"] > 0  # measured against a running serve
    for key in ("overhead_ratio", "overhead_ratio_cpu", "ms_per_page", "peak_rss_mb", "serve_rebuild_s", "speedup_vs_naive", "search_index_kb", "site_mb"):
        assert figures[key] > 0, key
    assert figures["similarity_10k_s"] is None  # --quick times the engine at 2,000 organisations only
    assert figures["similarity_2k_agrees"] is True  # the engine matches the naive oracle on the sampled queries
    assert figures["similarity_2k_ties_agrees"] is True and figures["similarity_2k_small_agrees"] is True  # tie-heavy shapes too
    assert figures["similarity_2k_ties_s"] > 0 and "similarity_100k_ties_s" in figures
    assert figures["similarity_2k_peak_rss_mb"] > 0  # measured in a process of its own
    assert figures["complements_2k_zipf_s"] > 0 and figures["complements_2k_ties_peak_rss_mb"] > 0  # offers and needs, both shapes
    # Both sites build cleanly, so the comparison is between two working sites.
    assert figures["build_warnings"] == 0 and figures["baseline_warnings"] == 0 and figures["serve_rebuild_warnings"] == 0
    # The plugin's pages written out as plain Markdown build cleanly too, so that ratio compares like with like.
    assert figures["same_pages_warnings"] == 0 and figures["ratio_vs_same_pages"] > 0 and figures["ratio_vs_same_pages_cpu"] > 0
    # Each source file is parsed once per build, and MkDocs never parses its front matter a second time.
    assert figures["serve_cold_parse_source_calls"] == figures["serve_sources"] == 155  # 100 profiles, 50 cases, 5 events
    assert figures["serve_cold_mkdocs_front_matter_parses"] == 0
    assert "ratio plugin site / baseline" in result.stdout  # the human-readable table comes first
