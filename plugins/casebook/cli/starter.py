"""`casebook init`: a new knowledge base that builds with `mkdocs build --strict` at once.

The files come from starter/ beside this module; mkdocs.yml is written here, with
every casebook option, its default and a German comment (from config.OPTION_DOCS).
"""

from __future__ import annotations

import json
import shutil
from importlib import metadata
from pathlib import Path

from .options import commented_settings

STARTER = Path(__file__).parent / "starter"
LOCAL_PREVIEW = "http://127.0.0.1:8000/"


def mkdocs_yml(site_name: str, site_url: str) -> str:
    return f"""\
# Einstellungen der Wissensbasis. Die Optionen von casebook stehen unten mit ihrer Voreinstellung.
site_name: {json.dumps(site_name, ensure_ascii=False)}
# Die Adresse, unter der die Seite veröffentlicht wird. Auch die JSON-Schemas für Editoren liegen dort
# (schemas/…); mit {LOCAL_PREVIEW} findet der Editor sie, solange `mkdocs serve` läuft.
site_url: {json.dumps(site_url)}

theme:
  name: material
  language: de
  font: false  # keine Schriften von fremden Servern
  features:
    - navigation.sections
    - navigation.instant
    - search.suggest
    - search.highlight
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: teal
      accent: deep orange
      toggle:
        icon: material/weather-night
        name: Dunkle Darstellung einschalten
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: teal
      accent: deep orange
      toggle:
        icon: material/weather-sunny
        name: Helle Darstellung einschalten

markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true

plugins:
  - search:
      lang: de
      pipeline: [stemmer, stopWordFilter, trimmer]
  - casebook:
{commented_settings()}"""


def requirement() -> str:
    """The line for requirements.txt that installs this casebook: its git source if it came from one."""
    try:
        direct = json.loads(metadata.distribution("casebook").read_text("direct_url.json") or "{}")
    except metadata.PackageNotFoundError:
        direct = {}
    vcs = direct.get("vcs_info")
    return f"casebook @ git+{direct['url']}@{vcs['commit_id']}" if vcs else "casebook"


def create(folder: Path, site_name: str, site_url: str) -> list[Path]:
    """Writes the new knowledge base into ``folder`` (which must not hold one yet); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STARTER, folder, dirs_exist_ok=True)
    (folder / "mkdocs.yml").write_text(mkdocs_yml(site_name, site_url), encoding="utf-8")
    (folder / "requirements.txt").write_text(
        "# Was die Prüfung und der Bau brauchen. Liegt casebook woanders, tragt hier seine Quelle ein.\n"
        f"{requirement()}\n", encoding="utf-8")
    return sorted(path for path in folder.rglob("*") if path.is_file())
