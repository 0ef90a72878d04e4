"""Reading a whole knowledge base from disk: the one entry point for the build and the checker."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .kinds import DEFAULT_KINDS
from .knowledge import KnowledgeBase, Memo, Settings, build_knowledge_base
from .model import Problem
from .sources import Source, decode, parse_source
from .vocabulary import Vocabulary, parse_vocabulary


@dataclass(frozen=True)
class Paths:
    root: Path  # the folder of mkdocs.yml; paths in messages are relative to it
    folders: Mapping[str, Path]  # content kind -> the folder of its files
    vocabulary: Path
    options: Mapping[str, str] = field(default_factory=dict)  # content kind -> the mkdocs.yml option naming its folder

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


class SourceCache:
    """What `mkdocs serve` keeps between rebuilds.

    Parsed files are reused while their modification time and size are
    unchanged; ``memo`` keeps what was derived from them (see ``Memo``).
    """

    def __init__(self) -> None:
        self.memo = Memo()

    def parse(self, path: Path, shown: str) -> Source:
        return self.memo.get(("source", path), (_stamp(path), shown), lambda: parse_source(shown, path.read_bytes()))


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


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
        vocabulary, vocabulary_problems = cache.memo.get("vocabulary", (_stamp(paths.vocabulary), shown_vocabulary, settings.taxonomies),
                                                         lambda: _vocabulary(paths.vocabulary, shown_vocabulary, settings))
        problems.extend(vocabulary_problems)
    else:
        vocabulary = Vocabulary(shown_vocabulary, usable=False)
        problems.append(Problem(shown_vocabulary, "Die Vokabular-Datei fehlt; ohne sie lassen sich die Begriffe nicht prüfen.", None,
                                "vocabulary", "Legt sie an (casebook init schreibt eine Vorlage) oder korrigiert 'vocabulary' in mkdocs.yml."))
    sources: dict[str, list[Source]] = {}
    for kind, folder in paths.folders.items():
        sources[kind] = []
        for path in entry_files(folder):
            source = cache.parse(path, paths.shown(path))
            if path.parent != folder or path.suffix != ".md":
                problems.append(Problem(source.path, "Diese Datei liegt nicht direkt im Ordner oder endet nicht auf .md und wird nicht veröffentlicht.",
                                        None, None, f"Verschiebt sie nach {paths.shown(folder)}/<name>.md.", "warning"))
                continue
            sources[kind].append(source)
    problems.extend(_folder_problems(paths, sources))
    kb = build_knowledge_base(sources, vocabulary, settings, cache.memo)
    # What makes everything else unreliable comes first: the vocabulary and the content folders.
    first = [p for p in problems if p.field in paths.options.values() or p.field == "vocabulary"]
    kb.problems = first + sorted([p for p in problems if p not in first] + kb.problems, key=lambda p: p.sort_key)
    return kb


def _folder_problems(paths: Paths, sources: dict[str, list[Source]]) -> list[Problem]:
    """A folder option pointing nowhere would silently drop every entry of that kind."""
    problems = []
    for kind, folder in paths.folders.items():
        shown, option = paths.shown(folder), paths.options.get(kind, f"kinds.{kind}.folder")
        if not folder.is_dir():
            problems.append(Problem("mkdocs.yml", f"Den Ordner {shown} gibt es nicht.", None, option,
                                    f"Legt ihn an oder korrigiert '{option}' in mkdocs.yml."))
        elif not sources[kind] and any(sources[other] for other in sources if other != kind):
            problems.append(Problem("mkdocs.yml", f"Im Ordner {shown} liegt kein Eintrag, in den anderen Ordnern schon.", None, option,
                                    f"Stimmt '{option}' in mkdocs.yml? Legt sonst mit casebook new den ersten Eintrag an.", "warning"))
    return problems


def _vocabulary(path: Path, shown: str, settings: Settings) -> tuple[Vocabulary, tuple[Problem, ...]]:
    text, encoding_problem = decode(shown, path.read_bytes())
    # The formats of events may stand in the vocabulary before the site uses events (casebook init writes them).
    resting = {t.vocabulary_key for kind in (*DEFAULT_KINDS, *settings.kinds) for t in kind.own_taxonomies} - {t.vocabulary_key for t in settings.taxonomies}
    vocabulary, problems = parse_vocabulary(text, shown, settings.taxonomies, resting)
    return vocabulary, (*problems, *([encoding_problem] if encoding_problem else []))
