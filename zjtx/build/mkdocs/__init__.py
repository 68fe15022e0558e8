"""MkDocs behind one module: the only code that knows MkDocs and Material for MkDocs. A successor builder (Zensical
reads mkdocs.yml) would replace this package only: it takes a folder of Markdown pages (and pages held in memory)
and the site's configuration, and writes a site.

`build_pages` writes the configuration the build needs (its folders, the theme overrides, the hooks of hooks.py,
strict mode), runs MkDocs with the pages kept in memory, and reports MkDocs' warnings as a BuildError.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from collections.abc import Callable

import yaml
from mkdocs.plugins import BasePlugin
from mkdocs.utils.yaml import yaml_load

from ... import publisher
from ...errors import BuildError

REPO_DIR = Path(__file__).resolve().parent.parent.parent.parent
MKDOCS_CONFIG = REPO_DIR / "mkdocs.yml"
THEME_DIR = REPO_DIR / "overrides"
HOOKS_FILE = Path(__file__).resolve().with_name("hooks.py")

Progress = Callable[[str, int, int], None]


def write_mkdocs_config(
    config_file: Path, target: Path, docs_dir: Path, site_dir: Path, demo: bool, site_url: str | None = None,
    minify: bool = True, asset_names: dict[str, str] | None = None,
) -> Path:
    """The committed MkDocs configuration with the build's folders, theme overrides and hooks filled in.

    site_url (build --site-url) replaces the configuration's: MkDocs then lists every page in sitemap.xml, gives
    each a canonical link, and writes 404.html with links from the site's path, so it works at any depth.
    """
    config = read_mkdocs_config(config_file)
    base = config_file.resolve().parent
    theme = config.setdefault("theme", {})
    if isinstance(theme, str):
        theme = config["theme"] = {"name": theme}
    theme["custom_dir"] = str(THEME_DIR)
    hooks = [str((base / hook).resolve()) for hook in config.get("hooks", [])]
    # Policy texts come from the package: every Markdown page keeps only safe links (zjtx.safe_markdown).
    extensions = config.setdefault("markdown_extensions", [])
    if "zjtx.safe_markdown" not in extensions:
        extensions.append("zjtx.safe_markdown")
    config.update(
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        hooks=[str(HOOKS_FILE), *hooks],
        strict=True,
    )
    if site_url:
        config["site_url"] = site_url if site_url.endswith("/") else site_url + "/"
    config.setdefault("extra", {}).setdefault("zjtx", {}).update(demo=demo, minify=minify)
    # The publisher, 纠错 and the host's colours, checked (zjtx.publisher), for the theme's templates.
    config["extra"]["zjtx"]["publisher"] = publisher.read(config["extra"]).as_dict()
    # The site's own stylesheets and scripts are published under content-hashed names (zjtx.assets): the theme's
    # templates find them through extra.zjtx.assets, and extra_css names them directly.
    if asset_names:
        config["extra"]["zjtx"]["assets"] = dict(asset_names)
        config["extra_css"] = [asset_names.get(name, name) for name in config.get("extra_css", [])]
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def read_mkdocs_config(config_file: Path) -> dict:
    """The MkDocs configuration as its YAML says, with INHERIT followed."""
    with open(config_file, "rb") as handle:
        return yaml_load(handle) or {}


def read_publisher(config_file: Path) -> publisher.Publisher:
    """The publisher, 纠错 and the host's colours from `extra` of the MkDocs configuration (zjtx.publisher)."""
    return publisher.read(read_mkdocs_config(config_file).get("extra"))


class _PageProgress(BasePlugin):
    """Reports MkDocs' progress through the pages to the caller's progress callback."""

    def __init__(self, progress: Progress):
        super().__init__()
        self.progress = progress
        self.total = 0
        self.done = 0

    def on_files(self, files, config):
        self.total = len(files.documentation_pages())
        return files

    def on_post_page(self, output, page, config):
        self.done += 1
        self.progress("构建网站", self.done, self.total)
        return output


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _InMemoryFiles(BasePlugin):
    """Hands MkDocs the files zjtx.pages produced in memory, as if they were in the docs folder.

    At 100,000 enterprises, writing the pages to a build folder, reading them back and deleting them cost more
    than a fifth of the build on an ext4 disk; MkDocs holds every page's text in memory during a build anyway.
    """

    def __init__(self, generated: dict[str, str]):
        super().__init__()
        self.generated = generated

    def on_files(self, files, config):
        from mkdocs.structure.files import File

        for path in sorted(self.generated):
            files.append(File.generated(config, path, content=self.generated.pop(path)))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # MkDocs has read the page into page.markdown and reads the file no more; without this the text would be
        # held twice until the build ends (a quarter of the peak memory at 100,000 enterprises).
        page.file.content_string = ""
        return markdown


def run_mkdocs(config_path: Path, progress: Progress | None = None, generated: dict[str, str] | None = None) -> None:
    """Run a strict MkDocs build; its warnings become the message of the BuildError that a failure raises.

    `generated` holds files of the docs folder by path, kept in memory rather than written (_InMemoryFiles).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        config = load_config(config_file=str(config_path))
        if generated:
            config.plugins["zjtx/in-memory"] = _InMemoryFiles(generated)
        if progress:
            config.plugins["zjtx/progress"] = _PageProgress(progress)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        details = "\n".join(collect.messages) or str(error)
        raise BuildError(f"MkDocs could not build the site:\n{details}", f"MkDocs 未能生成网站：\n{details}") from error
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate


@contextmanager
def source_date(day: date):
    """SOURCE_DATE_EPOCH for MkDocs (its pages' dates, sitemap.xml and the time inside sitemap.xml.gz): the
    as-of day, unless the caller set one (reproducible-builds.org), so that no output depends on the clock."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(day, datetime.min.time(), UTC).timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def build_pages(config_file: Path, work_dir: Path, docs_dir: Path, site_dir: Path, generated: dict[str, str], *,
                demo: bool, site_url: str | None, minify: bool, day: date, asset_names: dict[str, str],
                progress: Progress | None = None) -> None:
    """MkDocs' part of a build: the pages of docs_dir and `generated` (path -> text, kept in memory) into site_dir,
    with the site's configuration and theme (its own assets under their hashed names); its dates from `day`."""
    config = write_mkdocs_config(config_file, work_dir / "mkdocs.yml", docs_dir, site_dir, demo, site_url, minify,
                                 asset_names)
    with source_date(day):
        run_mkdocs(config, progress, generated)
