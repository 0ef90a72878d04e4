"""The `casebook` command line on copies of the fixture site: in this process through click's runner, and as the installed
command in a real terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
from pathlib import Path

import pytest

from conftest import CASEBOOK, run, write

ORG = "docs/organisations/neu.md"
VALID_ORG = "---\nname: Neu e. V.\nsummary: Wir testen.\ntarget_groups: [Senior*innen]\n---\nText.\n"


def test_clean_fixture_passes(site_copy: Path) -> None:
    result = run(site_copy, "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "Alles in Ordnung: 7 Dateien geprüft"


@pytest.mark.parametrize(("relative", "text", "expected"), [
    (ORG, "---\nname: [unclosed\n---\n", f"Fehler: {ORG}:2: Eine eckige Klammer [ wird in dieser Zeile geöffnet, aber nicht geschlossen."),
    (ORG, "---\nname: Neu e. V.\ntarget_groups: [Senior*innen]\n---\n", f"Fehler: {ORG}:1: summary: Pflichtfeld fehlt."),
    (ORG, "---\nname: Neu e. V.\nsummary: Wir testen.\ntarget_groups: Senior*innen\n---\n",
     f"Fehler: {ORG}:4: target_groups: Hier wird eine Liste erwartet, nicht ein einzelner Text. "
     '(Hinweis: Schreibt eckige Klammern darum: target_groups: ["Senior*innen"].)'),
    (ORG, VALID_ORG.replace("---\nText", "website: http://example.org\n---\nText"),
     f"Fehler: {ORG}:5: website: Die Adresse beginnt mit http://, erlaubt ist nur das verschlüsselte https://."),
    ("cases/neu.md", "---\ntitle: Neu\nsummary: Test.\norganisations: [delta-kreis]\nyear: zweitausend\n---\n",
     "Fehler: cases/neu.md:5: year: Das Jahr muss eine Zahl sein."),
    ("cases/neu.md", "---\ntitle: Neu\nsummary: Test.\norganisations: [delta-kries]\n---\n",
     "Fehler: cases/neu.md:4: organisations: Eine Organisation 'delta-kries' gibt es nicht. (Hinweis: Meintet ihr 'delta-kreis'?)"),
])
def test_errors_are_reported_with_file_line_field_and_hint(site_copy: Path, relative: str, text: str, expected: str) -> None:
    write(site_copy, relative, text)
    result = run(site_copy, "check")
    assert result.returncode == 1
    assert any(line.startswith(expected) for line in result.stdout.splitlines()), result.stdout
    assert result.stdout.splitlines()[-1].endswith("in 8 Dateien geprüft")


def test_unknown_term_is_a_warning_with_did_you_mean(site_copy: Path) -> None:
    write(site_copy, ORG, VALID_ORG.replace("[Senior*innen]", "[Senior*inen]"))
    result = run(site_copy, "check")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"Warnung: {ORG}:4: target_groups: 'Senior*inen' steht nicht im Vokabular (Zielgruppen). "
        "(Hinweis: Meintet ihr 'Senior*innen'? Sonst schlagt den Begriff für docs/vokabular.yml vor.)",
        "0 Fehler, 1 Warnung in 8 Dateien geprüft",
    ]
    assert run(site_copy, "check", "--strict").returncode == 1


def test_paths_limit_the_report_but_not_the_context(site_copy: Path) -> None:
    write(site_copy, "cases/neu.md", "---\ntitle: Neu\nsummary: Test.\norganisations: [gibt-es-nicht]\n---\n")
    other = run(site_copy, "check", "docs/organisations/alpha-verein.md")
    assert (other.returncode, other.stdout) == (0, "Alles in Ordnung: 1 Datei geprüft\n")
    own = run(site_copy, "check", "cases/neu.md")
    assert own.returncode == 1
    assert "organisations: Eine Organisation 'gibt-es-nicht' gibt es nicht." in own.stdout
    assert run(site_copy, "check", "cases").stdout.splitlines()[-1] == "1 Fehler, 0 Warnungen in 3 Dateien geprüft"


def test_github_annotations_are_escaped(site_copy: Path) -> None:
    write(site_copy, ORG, VALID_ORG.replace("---\nText", "website: http://example.org\n---\nText"))
    result = run(site_copy, "check", GITHUB_ACTIONS="true")
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        f"::error file={ORG},line=5,title=casebook%3A website::Die Adresse beginnt mit http://, erlaubt ist nur das "
        "verschlüsselte https://. (Hinweis: Schreibt z. B. website: https://example.org.)"
    ]
    assert "::" not in run(site_copy, "check").stdout


def test_json_output(site_copy: Path) -> None:
    write(site_copy, ORG, VALID_ORG.replace("summary: Wir testen.\n", ""))
    result = run(site_copy, "check", "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == [{
        "path": ORG, "line": 1, "field": "summary", "message": "Pflichtfeld fehlt.",
        "hint": "Ergänzt eine Zeile 'summary: …' (Ein bis zwei Sätze: Was tut die Organisation?)", "severity": "error"}]


def test_config_file_option_and_missing_config(site_copy: Path, tmp_path: Path) -> None:
    assert run(tmp_path, "check", "--config-file", str(site_copy / "mkdocs.yml")).returncode == 0
    missing = run(tmp_path, "check")
    assert missing.returncode == 1
    assert missing.stderr.startswith("Fehler: Keine mkdocs.yml")


def test_new_with_flags_writes_a_file_that_passes_the_check(site_copy: Path) -> None:
    result = run(site_copy, "new", "organisation", "--name", "Über-Verein Köln", "--summary", "Wir beraten.",
                 "--target-group", "ältere Menschen", "--target-group", "Kinder und Jugendliche", "--software", "Excel",
                 "--region", "Berlin", "--date", "2025-02-03", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (site_copy / "docs/organisations/ueber-verein-koeln.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\n# yaml-language-server: $schema=https://example.org/test/schemas/organisation.schema.json\n"
        "name: Über-Verein Köln\nsummary: Wir beraten.\ntarget_groups: [Senior*innen, Kinder und Jugendliche]\n"
        "software: [Excel]\nregion: Berlin\ndate: 2025-02-03\n---\n\n## Wer wir sind\n")
    assert "## Unsere Daten" in text
    assert run(site_copy, "check").returncode == 0
    again = run(site_copy, "new", "organisation", "--name", "Über-Verein Köln", "--summary", "x", "--target-group", "Senior*innen", "--yes")
    assert again.returncode == 1
    assert "gibt es schon" in again.stderr


def test_new_case_with_flags(site_copy: Path) -> None:
    result = run(site_copy, "new", "case", "--title", "Gemeinsam zählen", "--summary", "Zwei Vereine zählen.",
                 "--organisation", "alpha-verein", "--organisation", "delta-kreis", "--status", "laufend", "--year", "2025", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    text = (site_copy / "cases/gemeinsam-zaehlen.md").read_text(encoding="utf-8")
    assert "organisations: [alpha-verein, delta-kreis]\n" in text and "year: 2025\n" in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == ["## Ausgangslage", "## Vorgehen", "## Ergebnis", "## Was nicht geklappt hat"]


def test_new_refuses_invalid_flags(site_copy: Path) -> None:
    result = run(site_copy, "new", "organisation", "--name", "X", "--summary", "Y", "--target-group", "Senior*innen",
                 "--website", "http://example.org", "--yes")
    assert result.returncode == 2
    assert "Webseite: Die Adresse beginnt mit http://" in result.stderr


class Terminal:
    """`casebook` in a pseudo-terminal, answered like a person typing."""

    def __init__(self, root: Path, *args: str) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([str(CASEBOOK), *args], cwd=root, stdin=slave, stdout=slave, stderr=slave,
                                        env={**os.environ, "COLUMNS": "200"})
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 10) -> None:
        while text not in self.seen:
            ready, _, _ = select.select([self.master], [], [], timeout)
            assert ready, f"waited for {text!r}, got:\n{self.seen}"
            self.seen += os.read(self.master, 4096).decode("utf-8", "replace")
        self.seen = self.seen[self.seen.index(text) + len(text):]

    def answer(self, prompt: str, line: str) -> None:
        self.expect(prompt)
        os.write(self.master, line.encode() + b"\r")

    def finish(self) -> tuple[int, str]:
        rest = ""
        while True:
            try:
                chunk = os.read(self.master, 4096).decode("utf-8", "replace")
            except OSError:
                break
            if not chunk:
                break
            rest += chunk
        return self.process.wait(timeout=10), self.seen + rest


def test_new_organisation_interactively(site_copy: Path) -> None:
    terminal = Terminal(site_copy, "new", "organisation")
    terminal.answer("Name der Organisation (Pflichtfeld)", "Epsilon-Treff")
    terminal.answer("Kurzbeschreibung (Pflichtfeld)", "")  # required: asked again
    terminal.answer("Bitte ausfüllen", "Treffpunkt für Nachbarschaftshilfe.")
    terminal.expect("1. Senior*innen")
    terminal.answer(">", "1, Kinder und Jugendlche")
    terminal.answer("Meintet ihr 'Kinder und Jugendliche'?", "j")
    terminal.answer("Software (freiwillig", "Nextclod")
    terminal.answer("Meintet ihr 'Nextcloud'?", "n")
    terminal.answer("trotzdem verwenden", "n")
    terminal.answer("noch einmal eingeben", "2")
    terminal.answer("Themen (freiwillig", "")
    terminal.answer("Daten (freiwillig", "")
    terminal.answer("Herausforderungen (freiwillig", "")
    terminal.answer("Region (freiwillig", "Sachsen")
    terminal.answer("Angebote (freiwillig", "2: Wir werten Zahlen mit euch aus.")
    terminal.answer(">", "")
    terminal.answer("Bedarfe (freiwillig", "Daten teilen")
    terminal.answer(">", "")
    terminal.answer("Webseite (freiwillig", "http://example.org")
    terminal.answer("nur das verschlüsselte https://", "https://example.org/epsilon")
    terminal.answer("Öffentlicher Kontakt (freiwillig", "")
    terminal.answer("Datum der Aufnahme (freiwillig", "2025-03-01")
    terminal.answer("Erfundenes Beispiel", "n")
    terminal.answer("anlegen?", "")
    code, output = terminal.finish()
    assert code == 0, output
    assert "Alles in Ordnung: 1 Datei geprüft" in output
    text = (site_copy / "docs/organisations/epsilon-treff.md").read_text(encoding="utf-8")
    assert "target_groups: [Senior*innen, Kinder und Jugendliche]\nsoftware: [Nextcloud]\nregion: Sachsen\n" in text
    # a term with a note after the colon, the second numbered term of the list; one without a note stays a plain term
    assert "offers:\n- {term: Daten teilen, note: Wir werten Zahlen mit euch aus.}\nneeds: [Daten teilen]\n" in text
    assert "website: https://example.org/epsilon\ndate: 2025-03-01\n" in text
    assert run(site_copy, "check").returncode == 0


ISSUE_BODY = """### Name der Organisation

Zeta-Werkstatt (fiktiv)

### Kurzbeschreibung

Wir reparieren Laptops für Schüler*innen
und zählen, wie viele wir weitergeben.

### Zielgruppen

- Kinder und Jugendliche
- ältere Menschen

### Software

Excel, Nextcloud

### Themen

_No response_

### Daten

_No response_

### Region

Sachsen

### Webseite

https://example.org/zeta

### Öffentlicher Kontakt

kontakt@example.org

### Was ihr sucht

_No response_

### Datenschutz

- [X] Ich habe keine personenbezogenen Daten eingetragen
"""


def test_from_issue_writes_a_checked_file(site_copy: Path) -> None:
    result = run(site_copy, "from-issue", "--kind", "organisation", "--date", "2025-04-01", "-", stdin=ISSUE_BODY)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "docs/organisations/zeta-werkstatt-fiktiv.md\n"
    assert result.stderr == ""
    text = (site_copy / result.stdout.strip()).read_text(encoding="utf-8")
    assert "summary: Wir reparieren Laptops für Schüler*innen und zählen, wie viele wir weitergeben.\n" in text
    assert "target_groups: [Kinder und Jugendliche, Senior*innen]\nsoftware: [Excel, Nextcloud]\nregion: Sachsen\n" in text
    assert run(site_copy, "check").returncode == 0


def test_from_issue_needs_the_privacy_confirmation(site_copy: Path) -> None:
    result = run(site_copy, "from-issue", "--kind", "organisation", stdin=ISSUE_BODY.replace("- [X]", "- [ ]"))
    assert result.returncode == 1
    assert "personenbezogenen Daten" in result.stderr
    assert not (site_copy / "docs/organisations/zeta-werkstatt-fiktiv.md").exists()


def test_clicks_own_mistakes_are_german_with_where_to_find_help() -> None:
    from click.testing import CliRunner

    from casebook.cli.main import main

    for arguments, expected in ((["nosuch"], "Fehler: Den Befehl 'nosuch' gibt es nicht."),
                                (["check", "--nope"], "Fehler: Die Option --nope gibt es nicht."),
                                (["schema"], "Fehler: Es fehlt die Angabe KIND.")):
        result = CliRunner().invoke(main, arguments, prog_name="casebook")
        assert result.exit_code == 2, result.output
        assert expected in result.output and "Hilfe: casebook" in result.output and "Try " not in result.output
    help_text = CliRunner().invoke(main, ["--help"], prog_name="casebook").output
    assert help_text.startswith("Aufruf: casebook [OPTIONEN] BEFEHL") and "Diese Hilfe zeigen und beenden." in help_text
    assert "Options:" not in help_text and "Show this message" not in help_text
