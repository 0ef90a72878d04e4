"""Presenting the checker's problems: German text lines, GitHub annotations and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict

from ..core.model import Problem

PREFIX = {"error": "Fehler", "warning": "Warnung"}


def select(problems: Iterable[Problem], shown_paths: Sequence[str]) -> list[Problem]:
    """The problems of the given files or folders (paths as Problem.path shows them)."""
    return [p for p in problems if _within(p.path, shown_paths)]


def select_paths(files: Iterable[str], shown_paths: Sequence[str]) -> list[str]:
    return [f for f in files if _within(f, shown_paths)]


def _within(path: str, shown_paths: Sequence[str]) -> bool:
    return any(path == shown or shown == "." or path.startswith(shown.rstrip("/") + "/") for shown in shown_paths)


def text_lines(problems: Iterable[Problem]) -> list[str]:
    return [f"{PREFIX[p.severity]}: {p.format()}" for p in problems]


def summary(problems: Sequence[Problem], checked_files: int) -> str:
    files = f"{checked_files} {'Datei' if checked_files == 1 else 'Dateien'} geprüft"
    if not problems:
        return f"Alles in Ordnung: {files}"
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{errors} Fehler, {warnings} {'Warnung' if warnings == 1 else 'Warnungen'} in {files}"


def github_annotation(problem: Problem) -> str:
    """A workflow command that GitHub shows at the line of the pull request's diff."""
    properties = {"file": problem.path, "line": problem.line, "title": f"casebook: {problem.field}" if problem.field else "casebook"}
    listed = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items() if value is not None)
    message = f"{problem.message} (Hinweis: {problem.hint})" if problem.hint else problem.message
    return f"::{problem.severity} {listed}::{_escape_data(message)}"


def json_report(problems: Iterable[Problem]) -> str:
    fields = ("path", "line", "field", "message", "hint", "severity")
    return json.dumps([{key: asdict(p)[key] for key in fields} for p in problems], ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    # GitHub's escaping rules for workflow commands (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")

