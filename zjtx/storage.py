"""Publish a built site to S3-compatible object storage (AWS S3, Aliyun OSS, Tencent COS, MinIO), moving only what
changed, like `rclone sync --checksum`.

How a file is known to be unchanged. Modification times say nothing (a fresh CI checkout and every rebuild give
new ones), and an object's ETag is the MD5 of its bytes only for some uploads on some stores (not for multipart
uploads, nor under SSE-KMS or SSE-C), and the object listing carries no headers at all. So the publisher keeps a
manifest object beside the site (MANIFEST): for each file, the SHA-256 of its bytes, the Content-Type and
Cache-Control it was given and the ETag the store answered. A file is kept when the manifest has the same SHA-256
and headers for it and the bucket's listing still shows the ETag recorded, so an object changed or removed by
hand is uploaded again. One paginated listing (1,000 keys a request) and one read of the manifest cover any
number of files: no HEAD request per object, which would be 200,000 requests for a national register. A bucket
without a manifest (the first publish, or one made by another tool) gets every file uploaded once.

Order: new and changed files first, pages (and the search manifests) only after every file they may reference;
then the manifest; removals last, and only when every upload succeeded, so an interrupted or failed publish leaves
the old site readable. A failed publish still records what it uploaded, so the next one does not repeat it.

Credentials come only from boto3's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and
~/.aws/, or the instance's role), never from the command line.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import ipaddress
import json
import os
import time
from concurrent.futures import CancelledError, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import hosting
from .errors import PublishError
from .urls import SITE_MARKER

MANIFEST = ".zjtx-publish.json.gz"
MANIFEST_FORMAT = 1
WORKERS = 16
DELETE_BATCH = 1000  # the most keys one DeleteObjects request takes
# Uploaded after every other file, so that no reader meets a page or a search manifest that names a file the
# store does not have yet. (The enterprise index's packs keep their names when their content changes, so a search
# begun on the old manifest during a publish may read a pack already replaced: both are whole tries of valid
# keys, and search.js asks for every file with the manifest's build, so the next search reads one index.)
LAST = ("search-index/manifest.json", "pagefind/pagefind-entry.json")
_EXAMPLE = "python build.py publish --to s3://my-bucket/zjtx --endpoint-url https://s3.oss-cn-beijing.aliyuncs.com"


@dataclass(frozen=True)
class Target:
    bucket: str
    prefix: str  # "" or a folder of the bucket ending with "/"

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


@dataclass(frozen=True)
class SiteFile:
    path: str  # relative to the site root, with "/"
    file: Path
    size: int
    sha256: str
    md5: str  # base64, sent as Content-MD5 so the store checks the bytes it received
    headers: hosting.Headers

    @property
    def last(self) -> bool:
        return self.path.endswith(".html") or self.path in LAST


@dataclass
class PublishResult:
    target: Target
    dry_run: bool
    uploaded: list[tuple[str, int]] = field(default_factory=list)  # (path, bytes), in upload order
    kept: int = 0
    kept_bytes: int = 0
    removed: list[tuple[str, int]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def uploaded_bytes(self) -> int:
        return sum(size for _, size in self.uploaded)

    @property
    def removed_bytes(self) -> int:
        return sum(size for _, size in self.removed)


def parse_target(url: str) -> Target:
    """s3://BUCKET/PREFIX -> Target; the prefix may be empty (the site at the bucket's root)."""
    parts = urlsplit(url)
    bucket = parts.netloc
    prefix = parts.path.strip("/")
    if parts.scheme != "s3" or not bucket or parts.query or parts.fragment or "//" in parts.path \
            or not (3 <= len(bucket) <= 63) or not all(c.isalnum() or c in ".-" for c in bucket) \
            or bucket != bucket.lower() or not bucket[0].isalnum():
        raise PublishError(
            f"--to {url!r} is not a bucket address: write s3://BUCKET/PREFIX, where BUCKET is the bucket's name "
            f"(3 to 63 lower-case letters, digits, dots and hyphens) and PREFIX the folder for the site, e.g. "
            f"{_EXAMPLE}",
            f"--to {url!r} 不是存储桶地址：请写成 s3://存储桶/前缀，存储桶名为 3 至 63 个小写字母、数字、点或连字符，"
            f"前缀是网站所在的文件夹，例如 {_EXAMPLE}",
        )
    return Target(bucket, prefix + "/" if prefix else "")


def site_files(site_dir: Path) -> list[SiteFile]:
    """Every file of a built site with its checksums and headers; refuses a folder the build did not write."""
    site_dir = Path(site_dir)
    if not (site_dir / SITE_MARKER).is_file():
        raise PublishError(
            f"{site_dir} is not a site built by build.py (it has no {SITE_MARKER}): run `python build.py build "
            f"--out {site_dir}` first, or pass the built site with --site",
            f"{site_dir} 不是 build.py 生成的网站（缺少 {SITE_MARKER}）：请先运行 python build.py build "
            f"--out {site_dir}，或用 --site 指定生成的网站文件夹",
        )
    files = []
    for folder, folders, names in os.walk(site_dir):
        folders.sort()
        for name in sorted(names + [f for f in folders if os.path.islink(os.path.join(folder, f))]):
            file = Path(folder) / name
            path = file.relative_to(site_dir).as_posix()
            if not hosting.published(path):
                continue
            if file.is_symlink():
                raise PublishError(
                    f"{file} is a link: the build writes none, and a link could publish a file from outside the "
                    "site. Build the site again, then publish",
                    f"{file} 是链接：构建不会生成链接，链接可能把网站之外的文件发布出去。请重新生成网站后再发布",
                )
            files.append(_checksummed(file, path))
    return files


def _checksummed(file: Path, path: str) -> SiteFile:
    sha256, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    try:
        with open(file, "rb") as handle:
            while chunk := handle.read(1 << 20):
                sha256.update(chunk)
                md5.update(chunk)
                size += len(chunk)
    except OSError as error:
        raise _unreadable(file, error) from None
    return SiteFile(path, file, size, sha256.hexdigest(), base64.b64encode(md5.digest()).decode(),
                    hosting.headers(path))


def _unreadable(file: Path, error: OSError) -> PublishError:
    if isinstance(error, FileNotFoundError):
        return PublishError(
            f"{file} vanished while it was being published (did a build replace the site?): wait for the build to "
            "finish, then publish again; the site in the bucket is still the previous one",
            f"发布过程中 {file} 不见了（是否有构建替换了网站？）：请等构建完成后再发布；存储桶中仍是原来的网站",
        )
    return PublishError(
        f"cannot read {file} ({error.strerror}): make the site readable (or build it again), then publish again",
        f"无法读取 {file}（{error.strerror}）：请使网站文件可读（或重新生成网站）后再发布",
    )


def publish(site_dir: Path, to: str, endpoint_url: str | None = None, dry_run: bool = False) -> PublishResult:
    """Copy the built site in site_dir to the bucket and prefix of `to`; see the module's docstring."""
    started = time.monotonic()
    target = parse_target(to)
    files = site_files(site_dir)
    store = Store(target, endpoint_url)
    listing = store.listing()
    manifest = store.manifest() if target.prefix + MANIFEST in listing else {}
    result = PublishResult(target, dry_run)
    changed = []
    for site_file in files:
        if _unchanged(site_file, manifest.get(site_file.path), listing.get(target.prefix + site_file.path)):
            result.kept += 1
            result.kept_bytes += site_file.size
        else:
            changed.append(site_file)
    ours = {target.prefix + site_file.path for site_file in files} | {target.prefix + MANIFEST}
    removals = sorted((key, size) for key, (_, size) in listing.items() if key not in ours)
    # Pages after the files they reference; within each group by path, so that runs are alike.
    changed.sort(key=lambda site_file: (site_file.last, site_file.path))
    if dry_run:
        result.uploaded = [(site_file.path, site_file.size) for site_file in changed]
    else:
        entries = {path: entry for path, entry in manifest.items()
                   if entry[1] == listing.get(target.prefix + path, (None,))[0]}
        try:
            for group in (False, True):
                uploads = [site_file for site_file in changed if site_file.last is group]
                for site_file, etag in store.upload(uploads):
                    entries[site_file.path] = _entry(site_file, etag)
                    result.uploaded.append((site_file.path, site_file.size))
        except BaseException:
            # Record what did arrive, so that the next publish does not send it again; the error is what counts.
            with contextlib.suppress(Exception):
                store.write_manifest(entries)
            raise
        current = {site_file.path for site_file in files}
        entries = {path: entry for path, entry in entries.items() if path in current}
        if entries != manifest:  # at 200,000 files the manifest is some megabytes: not sent again for nothing
            store.write_manifest(entries)
        store.delete([key for key, _ in removals])
    result.removed = [(key[len(target.prefix):], size) for key, size in removals]
    result.seconds = time.monotonic() - started
    return result


def _entry(site_file: SiteFile, etag: str) -> list[str]:
    return [site_file.sha256, etag, site_file.headers.content_type, site_file.headers.cache_control]


def _unchanged(site_file: SiteFile, entry: list | None, listed: tuple[str, int] | None) -> bool:
    if entry is None or listed is None:
        return False
    sha256, etag, content_type, cache_control = entry
    return (sha256 == site_file.sha256 and etag == listed[0] and listed[1] == site_file.size
            and (content_type, cache_control) == (site_file.headers.content_type, site_file.headers.cache_control))


def _addressing(endpoint_url: str | None) -> str:
    """Virtual-host addressing (bucket.host), which Aliyun OSS and Tencent COS require; path style for a store on
    this machine or at an IP address, which has no name per bucket."""
    if endpoint_url is None:
        return "virtual"
    host = urlsplit(endpoint_url).hostname or ""
    if host == "localhost":
        return "path"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "virtual"
    return "path"


def _check_endpoint(endpoint_url: str | None) -> None:
    if endpoint_url is None:
        return
    parts = urlsplit(endpoint_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(
            f"--endpoint-url {endpoint_url!r} is not an address: write the store's endpoint with https://, e.g. "
            "https://s3.oss-cn-beijing.aliyuncs.com or https://cos.ap-beijing.myqcloud.com",
            f"--endpoint-url {endpoint_url!r} 不是网址：请写出带 https:// 的存储服务地址，例如 "
            "https://s3.oss-cn-beijing.aliyuncs.com 或 https://cos.ap-beijing.myqcloud.com",
        )


def _add_content_md5(params, **kwargs) -> None:
    """DeleteObjects must carry Content-MD5 on Aliyun OSS and older MinIO; boto3 1.36 and later send a CRC32
    instead, so the header is added here."""
    body = params["body"]
    params["headers"]["Content-MD5"] = base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()


class Store:
    """The bucket behind a Target, through boto3; every failure becomes a PublishError that names the fix."""

    def __init__(self, target: Target, endpoint_url: str | None):
        import boto3
        from botocore.config import Config

        _check_endpoint(endpoint_url)
        self.target = target
        self.where = endpoint_url or "AWS S3"
        config = Config(
            s3={"addressing_style": _addressing(endpoint_url)},
            # boto3 1.36 and later add CRC32 checksums that Aliyun OSS refuses; the Content-MD5 of each upload
            # (and of each DeleteObjects, _add_content_md5) lets the store check the bytes instead.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=10,
            read_timeout=120,
            max_pool_connections=WORKERS,
        )
        with self.errors():
            self.client = boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)
        self.client.meta.events.register("before-call.s3.DeleteObjects", _add_content_md5)

    @contextlib.contextmanager
    def errors(self, key: str | None = None):
        from botocore.exceptions import (BotoCoreError, ClientError, ConnectionError, HTTPClientError,
                                         NoCredentialsError, PartialCredentialsError, ProfileNotFound)

        try:
            yield
        except (NoCredentialsError, PartialCredentialsError, ProfileNotFound) as error:
            raise PublishError(
                f"no usable credentials for {self.where} ({error}): set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (the store's AccessKey pair) in the environment, or AWS_PROFILE naming a "
                "profile in ~/.aws/credentials",
                f"没有可用的 {self.where} 访问凭证（{error}）：请在环境变量中设置 AWS_ACCESS_KEY_ID 和 "
                "AWS_SECRET_ACCESS_KEY（存储服务的 AccessKey），或设置 AWS_PROFILE 指向 ~/.aws/credentials 中的配置",
            ) from None
        except ClientError as error:
            raise self._refusal(error, key) from None
        except (ConnectionError, HTTPClientError) as error:
            raise PublishError(
                f"cannot reach {self.where} ({error}): check --endpoint-url (the region's endpoint of your store, "
                "e.g. https://s3.oss-cn-beijing.aliyuncs.com) and the network, then publish again",
                f"无法连接 {self.where}（{error}）：请检查 --endpoint-url（存储服务所在地域的地址，例如 "
                "https://s3.oss-cn-beijing.aliyuncs.com）和网络，然后重新发布",
            ) from None
        except BotoCoreError as error:
            raise PublishError(
                f"publishing to {self.target} failed: {error}. Check --to, --endpoint-url and the AWS_* variables",
                f"发布到 {self.target} 失败：{error}。请检查 --to、--endpoint-url 和 AWS_* 环境变量",
            ) from None

    def _refusal(self, error, key: str | None) -> PublishError:
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        message = error.response.get("Error", {}).get("Message", "") or str(error)
        bucket = self.target.bucket
        if code in ("NoSuchBucket",) or (status == 404 and code in ("", "404", "NotFound")):
            return PublishError(
                f"the bucket {bucket} does not exist at {self.where}: create it in the store's console (with static "
                "website hosting for the site), or correct the bucket's name in --to and the region in --endpoint-url",
                f"{self.where} 上不存在存储桶 {bucket}：请在存储服务控制台创建它（并开启静态网站托管），"
                "或改正 --to 中的存储桶名和 --endpoint-url 中的地域",
            )
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
                    "AuthorizationHeaderMalformed", "InvalidClientTokenId") or status == 401:
            return PublishError(
                f"{self.where} refused the credentials ({code}: {message}): check AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or the profile AWS_PROFILE names), and AWS_DEFAULT_REGION for the bucket's "
                "region",
                f"{self.where} 拒绝了访问凭证（{code}：{message}）：请检查 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY"
                "（或 AWS_PROFILE 所指的配置），以及与存储桶地域一致的 AWS_DEFAULT_REGION",
            )
        if code == "AccessDenied" or status == 403:
            return PublishError(
                f"{self.where} denied access to {bucket} ({code}: {message}): the key needs to list, read, write and "
                "delete objects of the bucket (e.g. s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject); "
                "grant them, or use a key that has them",
                f"{self.where} 拒绝访问存储桶 {bucket}（{code}：{message}）：该 AccessKey 须能列出、读取、写入和删除"
                "存储桶中的对象（如 s3:ListBucket、s3:GetObject、s3:PutObject、s3:DeleteObject）；请授权，或换用有权限的 AccessKey",
            )
        what = f" {key}" if key else ""
        return PublishError(
            f"{self.where} refused{what} ({code or status}: {message}): nothing of the old site was removed; "
            "correct the cause and publish again",
            f"{self.where} 拒绝了请求{what}（{code or status}：{message}）：原网站未删除任何文件；请排除原因后重新发布",
        )

    def listing(self) -> dict[str, tuple[str, int]]:
        """Every object under the prefix: key -> (ETag, size)."""
        found = {}
        with self.errors():
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.target.bucket, Prefix=self.target.prefix)
            for page in pages:
                for item in page.get("Contents", []):
                    found[item["Key"]] = (item["ETag"], item["Size"])
        return found

    def manifest(self) -> dict[str, list[str]]:
        with self.errors(MANIFEST):
            body = self.client.get_object(Bucket=self.target.bucket, Key=self.target.prefix + MANIFEST)["Body"].read()
        try:
            data = json.loads(gzip.decompress(body))
        except (OSError, ValueError):
            return {}  # not ours, or damaged: every file is uploaded again and a new manifest written
        return data.get("files", {}) if data.get("format") == MANIFEST_FORMAT else {}

    def write_manifest(self, entries: dict[str, list[str]]) -> None:
        data = json.dumps({"format": MANIFEST_FORMAT, "files": dict(sorted(entries.items()))},
                          separators=(",", ":")).encode("utf-8")
        body = gzip.compress(data, mtime=0)
        with self.errors(MANIFEST):
            self.client.put_object(
                Bucket=self.target.bucket, Key=self.target.prefix + MANIFEST, Body=body, ContentType="application/gzip",
                CacheControl=hosting.REVALIDATE,
                ContentMD5=base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode(),
            )

    def _put(self, site_file: SiteFile) -> tuple[SiteFile, str]:
        with self.errors(site_file.path):
            try:
                handle = open(site_file.file, "rb")
            except OSError as error:
                raise _unreadable(site_file.file, error) from None
            with handle:
                # One PUT per file, never multipart, so the ETag is that of the whole file (the largest download,
                # SQLite at 100,000 enterprises, is about 150 MB; one PUT takes up to 5 GB).
                answer = self.client.put_object(
                    Bucket=self.target.bucket, Key=self.target.prefix + site_file.path, Body=handle,
                    ContentLength=site_file.size, ContentType=site_file.headers.content_type,
                    CacheControl=site_file.headers.cache_control, ContentMD5=site_file.md5,
                )
        return site_file, answer["ETag"]

    def upload(self, files: list[SiteFile]):
        """Upload the files, several at a time; yields (file, ETag) as each arrives, and raises the first failure
        once the uploads under way have finished."""
        if not files:
            return
        pool = ThreadPoolExecutor(max_workers=WORKERS)
        try:
            futures = [pool.submit(self._put, site_file) for site_file in files]
            failure = None
            for future in futures:
                try:
                    done = future.result()
                except CancelledError:
                    continue
                except PublishError as error:
                    if failure is None:
                        failure = error
                        for pending in futures:
                            pending.cancel()
                    continue
                yield done
            if failure is not None:
                raise failure
        finally:
            # On a failure or an interrupt (Ctrl+C) the queued uploads are dropped; those under way finish.
            pool.shutdown(wait=True, cancel_futures=True)

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), DELETE_BATCH):
            batch = keys[start:start + DELETE_BATCH]
            with self.errors():
                answer = self.client.delete_objects(
                    Bucket=self.target.bucket, Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True})
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise PublishError(
                    f"{self.where} kept {len(answer['Errors'])} file(s) the new site no longer has, e.g. "
                    f"{first['Key']} ({first.get('Code')}: {first.get('Message')}): the new site is published; "
                    "publish again to remove them",
                    f"{self.where} 未能删除 {len(answer['Errors'])} 个新网站已不再包含的文件，例如 {first['Key']}"
                    f"（{first.get('Code')}：{first.get('Message')}）：新网站已发布；请重新发布以删除它们",
                )
