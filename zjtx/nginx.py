"""An nginx server block for a built site, written from the tables of zjtx.hosting.

Types, charsets, compression and Cache-Control all come from those tables, so nginx sends what object storage
sends. Extensions go into a `types` block; the few exact file names into small locations of their own; the cache
rules into a `map` over the request's path, in their order (nginx tries a map's regular expressions in order).
"""

from __future__ import annotations

import re
from collections import defaultdict

from . import hosting
from .errors import PublishError

# A value written into the configuration as it is: no space, quote, semicolon, brace or other character that
# would end the directive or open another.
_PLAIN = re.compile(r"[A-Za-z0-9_./:\[\]*~-]+")
_EXAMPLE = "python build.py nginx-config --root /srv/zjtx/site --path /zjtx/"


def _plain(option: str, value: str) -> str:
    if not _PLAIN.fullmatch(value):
        raise PublishError(
            f"{option} {value!r} holds a character nginx would read as syntax (a space, quote, semicolon or brace): "
            f"use letters, digits and / . _ - :, e.g. {_EXAMPLE}",
            f"{option} {value!r} 含有 nginx 会当作语法的字符（空格、引号、分号或花括号）：请只用字母、数字和 / . _ - :，"
            f"例如 {_EXAMPLE}",
        )
    return value


def _site_path(path: str) -> str:
    path = _plain("--path", path)
    if not path.startswith("/"):
        raise PublishError(
            f"--path {path} must start with /: it is the address's path, e.g. /zjtx/ for https://example.org/zjtx/",
            f"--path {path} 须以 / 开头：它是网址中的路径，例如 https://example.org/zjtx/ 的 /zjtx/",
        )
    return path.rstrip("/") + "/"


def _root(root: str) -> str:
    root = _plain("--root", root)
    if not root.startswith("/"):
        raise PublishError(
            f"--root {root} must be an absolute path: the folder nginx serves, e.g. /srv/zjtx/site",
            f"--root {root} 须为绝对路径：即 nginx 提供的网站文件夹，例如 /srv/zjtx/site",
        )
    return root.rstrip("/") + "/"


def _base(content_type: str) -> str:
    return content_type.split(";")[0]


def _types_block(indent: str) -> list[str]:
    extensions: dict[str, list[str]] = defaultdict(list)
    for extension, content_type in hosting.TYPES_BY_EXTENSION.items():
        extensions[_base(content_type)].append(extension)
    lines = [f"{indent}types {{"]
    lines += [f"{indent}    {name} {' '.join(names)};" for name, names in extensions.items()]
    return [*lines, f"{indent}}}", f"{indent}default_type {hosting.UNKNOWN_TYPE};"]


def _all_types() -> list[str]:
    return [*hosting.TYPES_BY_NAME.values(), *hosting.TYPES_BY_EXTENSION.values()]


def _type_list(predicate) -> str:
    # text/html is in nginx's charset_types and gzip_types already; naming it again is a warning.
    names = {_base(value) for value in _all_types() if predicate(value)} - {"text/html"}
    return " ".join(sorted(names))


def server_block(root: str, path: str = "/", listen: str = "80", server_name: str = "_") -> str:
    """The configuration that serves the site folder `root` at `path` (e.g. /zjtx/) of the server."""
    root, path = _root(root), _site_path(path)
    listen, server_name = _plain("--listen", listen), _plain("--server-name", server_name)
    command = f"python build.py nginx-config --root {root.rstrip('/')} --path {path}"
    if listen != "80":
        command += f" --listen {listen}"
    if server_name != "_":
        command += f" --server-name {server_name}"
    prefix = re.escape(path)
    cache_control = "add_header Cache-Control $zjtx_cache_control always;"
    lines = [
        "# nginx server block for the Tianjin 专精特新 register, generated from zjtx/hosting.py by",
        f"#     {command}",
        "# Regenerate it rather than edit it, so that nginx sends the headers object storage gets. Put it in",
        "# /etc/nginx/conf.d/ (it belongs in the http block), then `nginx -t && nginx -s reload`. Pages and",
        "# fixed addresses are revalidated (nginx's ETag and Last-Modified answer 304 when nothing changed);",
        "# released downloads and content-hashed files are kept for a year.",
        "",
        "# Cache-Control by the file's path: the first expression that matches decides.",
        "map $uri $zjtx_cache_control {",
        *(f'    "~^{prefix}{pattern}$" "{value}"; # {name}' for name, pattern, value in hosting.CACHE_RULES),
        f'    default "{hosting.REVALIDATE}";',
        "}",
        "",
        "server {",
        f"    listen {listen};",
        f"    server_name {server_name};",
        "    server_tokens off;",
        "    absolute_redirect off; # the redirect to a folder's slash keeps the host and scheme the reader used",
        "",
        "    # Text is UTF-8 and says so. It is compressed as it is sent: the build writes no .gz copies of its",
        "    # files, so there is no gzip_static. Pagefind's files are compressed already and stay as they are.",
        "    charset utf-8;",
        f"    charset_types {_type_list(lambda value: value.endswith(hosting.UTF8))};",
        "    gzip on;",
        "    gzip_vary on;",
        "    gzip_proxied any; # a CDN in front gets the compressed answer too",
        "    gzip_min_length 256;",
        f"    gzip_types {_type_list(hosting.compressible)};",
        "",
    ]
    if path != "/":
        lines += [
            f"    location = {path.rstrip('/')} {{ return 301 {path}; }}",
            "    location / { return 404; }",
            "",
        ]
    lines += [
        f"    location ^~ {path} {{",
        f"        alias {root};",
        "        autoindex off;",
        "        # The site's own 404 page, which works at any depth, for a missing file and for a folder",
        "        # without index.html (no listing, and no hint that the folder exists).",
        f"        error_page 403 404 =404 {path}404.html;",
        f"        {cache_control}",
        *_types_block("        "),
        "",
        "        # Not part of the site: the build's marker and any other dot file.",
        r'        location ~ "/\." { return 404; }',
    ]
    for name, content_type in hosting.TYPES_BY_NAME.items():
        lines += [
            f'        location ~ "/{re.escape(name)}$" {{',
            "            types { }",
            f"            default_type {_base(content_type)};",
            f"            {cache_control}",
            "        }",
        ]
    lines += ["    }", "}", ""]
    return "\n".join(lines)
