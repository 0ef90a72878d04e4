"""Reading a whole knowledge base from disk: the one entry point for the build and the checker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .knowledge import KnowledgeBase, Settings, build_knowledge_base
from .model import Problem
from .sources import Source, decode, parse_source
from .vocabulary import Vocabulary, parse_vocabulary


@dataclass(frozen=True)
class Paths:
    root: Path  # the folder of mkdocs.yml; paths in messages are relative to it
    organisations: Path
    cases: Path
    vocabulary: Path

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


class SourceCache:
    """Parsed files by path, reused while modification time and size are unchanged (mkdocs serve)."""

    def __init__(self) -> None:
        self._sources: dict[Path, tuple[tuple[int, int], Source]] = {}

    def parse(self, path: Path, shown: str) -> Source:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._sources.get(path)
        if cached is None or cached[0] != stamp:
            cached = (stamp, parse_source(shown, path.read_bytes()))
            self._sources[path] = cached
        return cached[1]


def entry_files(folder: Path) -> list[Path]:
    """Every Markdown file of a folder, nested ones included so that none is silently skipped."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".md", ".markdown") and p.name != "index.md")


def load(paths: Paths, settings: Settings, cache: SourceCache | None = None) -> KnowledgeBase:
    cache = cache or SourceCache()
    problems: list[Problem] = []
    shown_vocabulary = paths.shown(paths.vocabulary)
    if paths.vocabulary.is_file():
        text, encoding_problem = decode(shown_vocabulary, paths.vocabulary.read_bytes())
        vocabulary, problems = parse_vocabulary(text, shown_vocabulary, settings.taxonomies)
        problems.extend([encoding_problem] if encoding_problem else [])
    else:
        vocabulary = Vocabulary(shown_vocabulary)
        problems.append(Problem(shown_vocabulary, "Die Vokabular-Datei fehlt.", None, None,
                                "Lege sie an oder korrigiere 'vocabulary' in mkdocs.yml.", "warning"))
    sources: dict[str, list[Source]] = {}
    for kind, folder in (("organisation", paths.organisations), ("case", paths.cases)):
        sources[kind] = []
        for path in entry_files(folder):
            source = cache.parse(path, paths.shown(path))
            if path.parent != folder or path.suffix != ".md":
                problems.append(Problem(source.path, "Diese Datei liegt nicht direkt im Ordner oder endet nicht auf .md und wird nicht veröffentlicht.",
                                        None, None, f"Verschiebe sie nach {paths.shown(folder)}/<name>.md.", "warning"))
                continue
            sources[kind].append(source)
    kb = build_knowledge_base(sources["organisation"], sources["case"], vocabulary, settings)
    kb.problems = sorted(problems + kb.problems, key=lambda p: p.sort_key)
    return kb

