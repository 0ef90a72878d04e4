"""The casebook settings of a site, read from mkdocs.yml without building it (for the command-line tools).

Only the `casebook` plugin entry is read and validated with the plugin's own
config class, so the tools start fast and need neither the theme nor the
other plugins installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.kinds import ContentKind
from ..core.knowledge import Settings
from ..core.loading import Paths
from ..mkdocs.config import CasebookConfig, folder_of, kinds_from, missing_extensions, paths_from, settings_from

# ProperDocs, the maintained fork of MkDocs 1.6, looks for its own name first; MkDocs only knows its own.
CONFIG_NAMES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")
MKDOCS_DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code")  # MkDocs adds these to every site's list


class ProjectError(Exception):
    """The site's configuration cannot be used; the message is German."""


@dataclass(frozen=True)
class Project:
    config_file: Path
    paths: Paths
    settings: Settings
    site_url: str  # with a trailing slash, or "" when mkdocs.yml has none
    repo_url: str  # without a trailing slash, or ""
    markdown_extensions: tuple[tuple[str, dict], ...] = ()  # as MkDocs would load them: (name, options)
    dormant_kinds: tuple[tuple[ContentKind, Path], ...] = ()  # optional kinds not in use yet, with the folder that starts them

    def markdown_to_html(self) -> Callable[[str], str]:
        """Converts a body the way the build does, so the checker sees what the sanitiser will see."""
        import markdown  # MkDocs' own Markdown library; imported here, only the checker needs it

        converter = markdown.Markdown(extensions=[name for name, _ in self.markdown_extensions],
                                      extension_configs={name: options for name, options in self.markdown_extensions if options})

        def convert(body: str) -> str:
            return converter.reset().convert(body)
        return convert


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' custom tags (!ENV, !!python/name:…) as plain values instead of failing."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node) if isinstance(node, yaml.MappingNode) else None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def find_config_file(start: Path) -> Path:
    for name in CONFIG_NAMES:
        if (start / name).is_file():
            return start / name
    raise ProjectError(f"Keine mkdocs.yml (oder properdocs.yml) in {start} gefunden. "
                       "Startet den Befehl im Ordner der Wissensbasis oder gebt --config-file an.")


def load_project(config_file: Path | None = None) -> Project:
    config_file = (config_file or find_config_file(Path.cwd())).resolve()
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except OSError as error:
        raise ProjectError(f"{config_file} lässt sich nicht lesen: {error.strerror}.") from None
    except yaml.YAMLError as error:
        raise ProjectError(f"{config_file} ist kein gültiges YAML: {error}") from None
    plugin = CasebookConfig()
    plugin.load_dict(_plugin_settings(config, config_file))
    errors, _warnings = plugin.validate()
    if errors:
        details = "; ".join(f"{key}: {error}" for key, error in errors)
        raise ProjectError(f"Die Einstellungen des casebook-Plugins in {config_file.name} sind ungültig: {details}")
    root = config_file.parent
    docs_dir = root / str(config.get("docs_dir") or "docs")
    settings = settings_from(plugin, root, docs_dir)
    paths = paths_from(plugin, root, docs_dir, settings.kinds)
    site_url = str(config.get("site_url") or "")
    in_use = {kind.name for kind in settings.kinds}
    dormant = tuple((kind, folder_of(kind, root, docs_dir)) for kind in kinds_from(plugin, root, docs_dir, everything=True) if kind.name not in in_use)
    return Project(config_file, paths, settings, site_url.rstrip("/") + "/" if site_url else "",
                   str(config.get("repo_url") or "").rstrip("/"), _markdown_extensions(config), dormant)


def _markdown_extensions(config: dict[str, Any]) -> tuple[tuple[str, dict[str, Any]], ...]:
    extensions: dict[str, dict[str, Any]] = {name: {} for name in MKDOCS_DEFAULT_EXTENSIONS}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            extensions.update({str(name): dict(options or {}) for name, options in item.items()})
        else:
            extensions.setdefault(str(item), {})
    extensions.update({name: {} for name in missing_extensions(extensions)})  # as the plugin adds them to the build
    return tuple(extensions.items())


def _plugin_settings(config: dict, config_file: Path) -> dict:
    plugins = config.get("plugins") or []
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(item.items())) if isinstance(item, dict) else (item, None) for item in plugins)
    for name, settings in entries:
        if name == "casebook":
            return dict(settings or {})
    raise ProjectError(f"In {config_file.name} ist das Plugin 'casebook' nicht unter 'plugins:' eingetragen.")
