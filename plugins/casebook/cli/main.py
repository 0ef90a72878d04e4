"""`casebook`: check, create and convert entries of the knowledge base from the command line (German output)."""

from __future__ import annotations

import datetime
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import click

from ..core import sanitize
from ..core.answers import parse_answer
from ..core.fields import LIST_KINDS, FieldSpec
from ..core.kinds import DEFAULT_KINDS, ContentKind
from ..core.knowledge import KnowledgeBase, Settings
from ..core.loading import SourceCache, entry_files, load
from ..core.model import DEFAULT_TAXONOMIES, Problem, Taxonomy
from ..site import events
from ..site.issue_form import (
    issue_form_yaml,
    issue_sections,
    privacy_confirmed,
    values_from_issue,
)
from ..site.reference import END, START, fields_markdown, fields_text, replace_generated
from ..site.schema import schema_json
from . import options, report, starter
from .project import CONFIG_NAMES, Project, ProjectError, load_project
from .scaffold import (
    Questionnaire,
    confirm,
    entry_path,
    new_entry_slug,
    option_name,
    render_entry,
)

CONFIG_HELP = "Pfad zur mkdocs.yml; ohne Angabe wird sie im aktuellen Ordner gesucht."
config_option = click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), help=CONFIG_HELP)


class Failure(click.ClickException):
    """A German message for the contributor, without click's English 'Error:' prefix."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Fehler: {self.message}", err=True)


def _project(config_file: Path | None) -> Project:
    try:
        return load_project(config_file)
    except ProjectError as error:
        raise Failure(str(error)) from None


class GermanHelp(click.HelpFormatter):
    """click's help in German: contributors read every line of it."""

    HEADINGS: ClassVar[dict[str, str]] = {"Options": "Optionen", "Commands": "Befehle", "Arguments": "Argumente"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[OPTIONEN]").replace("COMMAND", "BEFEHL").replace("[ARGS]", "[ARGUMENTE]"), "Aufruf: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))


class GermanContext(click.Context):
    formatter_class = GermanHelp


class GermanCommand(click.Command):
    context_class = GermanContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Diese Hilfe zeigen und beenden."
        return option


class GermanGroup(GermanCommand, click.Group):
    command_class = GermanCommand
    group_class = type  # subgroups are GermanGroups too

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's own mistakes ("No such option") in German, with where to find help."""
        try:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.UsageError as error:
            path = error.ctx.command_path if error.ctx else "casebook"
            click.echo(f"Fehler: {german_usage_error(error.format_message())}\nHilfe: {path} --help", err=True)
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Abgebrochen.", err=True)
            sys.exit(1)


_USAGE_ERRORS = (  # click's English wording -> ours
    (r"No such command '(.*)'\.", r"Den Befehl '\1' gibt es nicht."),
    (r"No such option: (\S+)", r"Die Option \1 gibt es nicht."),
    (r"Missing argument '(.*)'\.", r"Es fehlt die Angabe \1."),
    (r"Missing option '(.*)'\.", r"Es fehlt die Option \1."),
    (r"Invalid value for '(.*)': ", r"Ungültiger Wert für \1: "),
    (r"Option '(.*)' requires an argument\.", r"Die Option \1 braucht einen Wert."),
    (r"Got unexpected extra arguments? \((.*)\)", r"Unerwartete Angaben: \1"),
    (r"Did you mean (.*)\?", r"Meintet ihr \1?"),
    (r"\(Possible options: (.*)\)", r"(Mögliche Optionen: \1)"),
    (r"is not one of", "ist keiner der Werte"),
    (r"Choose from:", "Möglich sind:"),
)


def german_usage_error(message: str) -> str:
    for english, german in _USAGE_ERRORS:
        message = re.sub(english, german, message)
    return message


@click.group(cls=GermanGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Werkzeuge für die Wissensbasis: Beiträge prüfen, anlegen und aus GitHub-Formularen übernehmen."""


@main.command()
@config_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Auch bei Warnungen mit Fehlercode beenden.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", help="Ausgabe als Text oder JSON.")
def check(config_file: Path | None, paths: tuple[Path, ...], strict: bool, output: str) -> None:
    """Prüft Profile, Fallstudien und das Vokabular mit denselben Regeln wie der Bau der Seite.

    Mit PATHS werden nur die Probleme dieser Dateien oder Ordner gezeigt; geprüft
    wird trotzdem im Zusammenhang der ganzen Wissensbasis.
    """
    project = _project(config_file)
    kb = _checked(project)
    files = _knowledge_files(project)
    if paths:
        shown = [project.paths.shown(path.resolve()) for path in paths]
        problems, files = report.select(kb.problems, shown), report.select_paths(files, shown)
    else:
        problems = kb.problems
    _print_problems(problems, len(files), output)
    failed = any(p.severity == "error" for p in problems) or (strict and bool(problems))
    sys.exit(1 if failed else 0)


def _checked(project: Project, cache: SourceCache | None = None) -> KnowledgeBase:
    """The knowledge base with every problem the build reports, including what its sanitiser would remove from bodies
    (the build finds that in the pages it renders; here the bodies are converted as it converts them)."""
    kb = load(project.paths, project.settings, cache)
    bodies = [(e.path, e.body, e.body_line) for e in kb.all_entries()]
    bodies += [(b.path, b.body, b.body_line) for b in kb.broken]
    kb.problems = sorted([*kb.problems, *sanitize.bodies_problems(bodies, project.markdown_to_html())], key=lambda p: p.sort_key)
    return kb


def _knowledge_files(project: Project) -> list[str]:
    paths = project.paths
    files = [*(path for folder in paths.folders.values() for path in entry_files(folder)), *([paths.vocabulary] if paths.vocabulary.is_file() else [])]
    return [paths.shown(path) for path in files]


def _print_problems(problems: Sequence[Problem], checked_files: int, output: str) -> None:
    if output == "json":
        click.echo(report.json_report(problems))
        return
    for line in report.text_lines(problems):
        click.echo(line)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            click.echo(report.github_annotation(problem))
    click.echo(report.summary(problems, checked_files))


class NewCommands(GermanGroup):
    """`casebook new <kind>` for every content kind of the site, with one flag per field it declares."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [kind.name for kind in _kinds_and_taxonomies(ctx)[0]]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        kinds, taxonomies = _kinds_and_taxonomies(ctx)
        kind = next((kind for kind in kinds if kind.name == name), None)
        return _new_command(kind, taxonomies) if kind else None


def _kinds_and_taxonomies(ctx: click.Context) -> tuple[tuple[ContentKind, ...], tuple[Taxonomy, ...]]:
    try:
        project = load_project(ctx.params.get("config_file"))
    except ProjectError:
        return DEFAULT_KINDS, DEFAULT_TAXONOMIES  # only for --help; running the command reports the problem
    kinds = (*project.settings.kinds, *(kind for kind, _folder in project.dormant_kinds))
    return kinds, Settings(project.settings.taxonomies, kinds=kinds).taxonomies  # a dormant kind's flags include its own taxonomies


def _kind(project: Project, name: str) -> ContentKind:
    """The content kind called ``name``, or a German error naming the ones there are."""
    for kind in project.settings.kinds:
        if kind.name == name:
            return kind
    raise Failure(f"Die Art '{name}' gibt es nicht; möglich sind: {', '.join(kind.name for kind in project.settings.kinds)}.")


@main.group(cls=NewCommands)
@config_option
def new(config_file: Path | None) -> None:
    """Legt einen neuen Eintrag an (z. B. ein Organisationsprofil oder eine Fallstudie) und fragt dafür alle Angaben ab."""


def _new_command(kind: ContentKind, taxonomies: Sequence[Taxonomy]) -> click.Command:
    params: list[click.Parameter] = [_field_option(spec) for spec in kind.fields(taxonomies)]
    params.append(click.Option(["-y", "--yes"], is_flag=True, help="Nichts fragen: nur die Angaben aus den Optionen verwenden."))
    return GermanCommand(kind.name, params=params, help=f"{kind.singular} anlegen.",
                         callback=click.pass_context(lambda ctx, **given: _create(ctx, kind.name, given)))


def _field_option(spec: FieldSpec) -> click.Option:
    names = [*dict.fromkeys([f"--{option_name(spec)}", f"--{spec.name.replace('_', '-')}"]), spec.name]
    if spec.kind == "flag":
        return click.Option(names, is_flag=True, default=None, help=spec.help)
    return click.Option(names, multiple=spec.kind in LIST_KINDS, help=spec.help)


def _create(ctx: click.Context, name: str, given: dict[str, Any]) -> None:
    config_file = ctx.parent.params.get("config_file") if ctx.parent else None
    project = _project(config_file)
    for dormant, folder in project.dormant_kinds:
        if dormant.name == name:  # the first entry of an optional kind (events) starts it
            folder.mkdir(parents=True)
            overviews = " und ".join(f"{url}/index.md" for url in (dormant.url, *(t.url for t in dormant.own_taxonomies)))
            click.echo(f"Ordner {project.paths.shown(folder)} angelegt: Die Wissensbasis hat jetzt {dormant.plural}. "
                       f"Hat eure mkdocs.yml eine nav, tragt dort {overviews} ein.")
            project = _project(config_file)
    kind = _kind(project, name)
    cache = SourceCache()
    kb = load(project.paths, project.settings, cache)
    specs = [spec for spec in kind.fields(project.settings.taxonomies) if not spec.replaced_by]  # new files start without old fields
    interactive = not given.pop("yes")
    questions = Questionnaire(specs, kb.vocabulary, {name: sorted(entries) for name, entries in kb.entries.items()}, datetime.date.today())
    if interactive:
        click.echo(f"Neue Datei für die Wissensbasis. Pflichtfelder sind markiert; {project.paths.shown(project.config_file)} bestimmt das Vokabular.")
    values: dict[str, Any] = {}
    target: Path | None = None
    for spec in specs:
        raw = _flag_value(spec, given.get(spec.name), kb)
        values[spec.name] = questions.value(spec, raw, interactive)
        if spec.name == kind.title_field:
            target = _free_target(project, kind, values)
    assert target is not None
    text = render_entry(kind, values, specs, project.site_url)
    if interactive and not confirm(f"\nDatei {project.paths.shown(target)} anlegen?", default=True):
        raise Failure("Abgebrochen, keine Datei angelegt.")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Angelegt: {project.paths.shown(target)}")
    problems = _problems_of_new_file(project, target, cache)
    _print_problems(problems, 1, "text")
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


def _flag_value(spec: FieldSpec, flag: Any, kb: KnowledgeBase) -> Any:
    if flag in (None, ()):
        return None
    if isinstance(flag, tuple):  # a repeated flag; each may also hold a comma-separated list
        return [item for text in flag for item in parse_answer(spec, text, kb.vocabulary)]
    return flag if isinstance(flag, bool) else parse_answer(spec, flag, kb.vocabulary)


def _free_target(project: Project, kind: ContentKind, values: dict[str, Any]) -> Path:
    slug = new_entry_slug(kind, values)
    if not slug:
        raise Failure("Aus dem Namen lässt sich kein Dateiname bilden. Verwendet Buchstaben oder Ziffern.")
    target = entry_path(project.paths, kind, slug)
    if target.exists():
        raise Failure(f"Die Datei {project.paths.shown(target)} gibt es schon. Ergänzt sie, statt sie zu überschreiben.")
    return target


_PAST_EVENT_HINT = "Stimmt das Jahr? Vergangene Termine gehören nur ins Archiv, wenn sie etwas zeigen."


def _problems_of_new_file(project: Project, target: Path, cache: SourceCache) -> list[Problem]:
    """The new file checked within the whole knowledge base; ``cache`` spares parsing the other files again.

    A new event that is already over is most likely a typo in its year, so it is a warning here (not in the
    build, where past events are what an archive is made of)."""
    kb = _checked(project, cache)
    shown = project.paths.shown(target)
    start_line = cache.parse(target, shown).line("start")  # parsed by the check above, not read again
    past = [Problem(shown, f"Der Termin ist schon vorbei ({events.last_day(entry).strftime('%d.%m.%Y')}).", start_line, "start", _PAST_EVENT_HINT, "warning")
            for entry in kb.all_entries() if entry.path == shown and kb.kind(entry.kind).calendar
            and events.last_day(entry) < datetime.date.today()]
    return [*report.select(kb.problems, [shown]), *past]


@main.command("from-issue")
@config_option
@click.option("--kind", "kind_name", required=True, help="Welches Formular: die Art des Eintrags, z. B. organisation oder case.")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Datum der Aufnahme (Standard: heute).")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
def from_issue(config_file: Path | None, kind_name: str, date: datetime.datetime | None, source: Any) -> None:
    """Macht aus dem Text eines ausgefüllten GitHub-Formulars (Datei oder - für die Eingabe) eine fertige Datei und gibt ihren Pfad aus."""
    project = _project(config_file)
    kind = _kind(project, kind_name)
    cache = SourceCache()
    kb = load(project.paths, project.settings, cache)
    body = source.read()
    if not privacy_confirmed(issue_sections(body)):
        raise Failure(f"Das Formular bestätigt nicht: „{kind.form.name}“ braucht das Häkchen, dass keine personenbezogenen Daten enthalten sind.")
    values = values_from_issue(kind, project.settings.taxonomies, kb.vocabulary, body)
    values["date"] = (date or datetime.datetime.now()).date()
    if not values.get(kind.title_field):
        raise Failure("Im Formular fehlt der Name bzw. Titel.")
    target = _free_target(project, kind, values)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_entry(kind, values, kind.fields(project.settings.taxonomies), project.site_url), encoding="utf-8")
    click.echo(project.paths.shown(target))
    # Problems are shown but do not stop the pull request: reviewers fix them together with the contributor.
    for line in report.text_lines(_problems_of_new_file(project, target, cache)):
        click.echo(line, err=True)


@main.command()
@config_option
@click.argument("kind")
def schema(config_file: Path | None, kind: str) -> None:
    """Gibt das JSON-Schema des Kopfbereichs einer Art von Einträgen aus (z. B. organisation oder case)."""
    project = _project(config_file)
    kb = load(project.paths, project.settings)
    click.echo(schema_json(_kind(project, kind), project.settings.taxonomies, kb.vocabulary, project.site_url), nl=False)


@main.command()
@config_option
@click.option("--markdown", is_flag=True, help="Als Markdown-Tabellen für CONTRIBUTING.md.")
@click.option("--write", "write", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=f"Die Tabellen in diese Datei zwischen {START} und {END} schreiben.")
def fields(config_file: Path | None, markdown: bool, write: Path | None) -> None:
    """Zeigt alle Felder jeder Art von Einträgen (Profile, Fallstudien, …) mit Erklärung."""
    settings = _project(config_file).settings
    if write is not None:
        write.write_text(replace_generated(write.read_text(encoding="utf-8"), fields_markdown(settings.kinds, settings.taxonomies)), encoding="utf-8")
        click.echo(f"Feldtabellen in {write} aktualisiert.")
        return
    click.echo((fields_markdown if markdown else fields_text)(settings.kinds, settings.taxonomies), nl=False)


@main.command()
@click.option("--write", "write", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=f"Die Tabellen in diese Datei zwischen {options.START} und {options.END} schreiben.")
def settings(write: Path | None) -> None:
    """Zeigt alle Optionen des Plugins für mkdocs.yml mit Typ, Voreinstellung und Erklärung."""
    if write is None:
        click.echo(options.options_markdown(), nl=False)
        return
    text = write.read_text(encoding="utf-8")
    write.write_text(replace_generated(text, options.options_markdown(), options.START, options.END), encoding="utf-8")
    click.echo(f"Optionen in {write} aktualisiert.")


@main.command("github-forms")
@config_option
@click.option("--check", "check_only", is_flag=True, help="Nichts schreiben, nur prüfen, ob die Formulare aktuell sind.")
def github_forms(config_file: Path | None, check_only: bool) -> None:
    """Erzeugt die GitHub-Formulare (.github/ISSUE_TEMPLATE/) aus den Feldern und dem Vokabular."""
    outdated = _write_issue_forms(_project(config_file), check_only)
    if check_only and outdated:
        raise Failure(f"Nicht aktuell: {', '.join(outdated)}. Führt 'casebook github-forms' aus.")
    click.echo(f"Aktualisiert: {', '.join(outdated)}" if outdated else "Die Formulare sind aktuell.")


def _write_issue_forms(project: Project, check_only: bool = False) -> list[str]:
    """The issue forms that were out of date (and, unless ``check_only``, are now written)."""
    kb = load(project.paths, project.settings)
    folder = project.paths.root / ".github" / "ISSUE_TEMPLATE"
    outdated = []
    for kind in project.settings.kinds:
        path = folder / kind.form.file
        text = issue_form_yaml(kind, project.settings.taxonomies, kb.vocabulary)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        outdated.append(project.paths.shown(path))
        if not check_only:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return outdated


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", "site_name", help="Name der Seite, z. B. „Daten fürs Gemeinwohl“.")
@click.option("--site-url", help=f"Adresse, unter der die Seite veröffentlicht wird (ohne Angabe: {starter.LOCAL_PREVIEW}).")
def init(folder: Path, site_name: str | None, site_url: str | None) -> None:
    """Legt eine neue Wissensbasis in FOLDER an (ohne Angabe: im aktuellen Ordner).

    Fragt nach Name und Adresse der Seite, wenn sie im Terminal läuft; sonst gelten die Voreinstellungen.
    Die neue Wissensbasis lässt sich sofort mit `mkdocs build --strict` bauen.
    """
    if any((folder / name).exists() for name in CONFIG_NAMES):
        raise Failure(f"In {folder} gibt es schon eine Wissensbasis (mkdocs.yml). Wählt einen leeren Ordner.")
    ask = sys.stdin.isatty()
    default_name = folder.resolve().name.replace("-", " ").title() or "Wissensbasis"
    site_name = site_name or (click.prompt("Name der Seite", default=default_name) if ask else default_name)
    site_url = site_url or (click.prompt("Adresse der veröffentlichten Seite", default=starter.LOCAL_PREVIEW) if ask else starter.LOCAL_PREVIEW)
    written = len(starter.create(folder, site_name, site_url)) + len(_write_issue_forms(load_project(folder / "mkdocs.yml")))
    click.echo(f"Neue Wissensbasis in {folder}: {written} Dateien.")
    click.echo("Weiter mit: mkdocs serve (Vorschau), casebook new organisation (erster eigener Eintrag), casebook check (prüfen).")
