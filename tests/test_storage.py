"""build.py publish: a built site copied to S3-compatible storage, over real HTTP to moto's server on 127.0.0.1.

The server checks credentials (moto's IAM: after the set-up, /moto-api/reset-auth switches authentication on), so
wrong keys are refused as a real store refuses them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import build
from conftest import SITE_AS_OF
from packages import read_table, set_cell
from zjtx import hosting, storage
from zjtx.errors import PublishError

REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's standalone S3 server on 127.0.0.1 with an IAM user allowed s3:*; yields (endpoint, key, secret)."""
    import boto3

    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                  stdout=output, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto's server did not start: {log.read_text(errors='replace')}")
                time.sleep(0.2)
        setup = dict(endpoint_url=endpoint, region_name=REGION, aws_access_key_id="setup",
                     aws_secret_access_key="setup")
        iam = boto3.client("iam", **setup)
        iam.create_user(UserName="publisher")
        iam.put_user_policy(UserName="publisher", PolicyName="site", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="publisher")["AccessKey"]
        boto3.client("s3", **setup).create_bucket(Bucket="zjtx-site")
        # From now on every request must be signed with a key moto's IAM knows.
        request = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                         headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request, timeout=10).close()
        yield endpoint, key["AccessKeyId"], key["SecretAccessKey"]
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def aws_env(s3_server, monkeypatch, tmp_path):
    """The publisher's credentials in the environment, and nothing else boto3 might read."""
    endpoint, key, secret = s3_server
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask a cloud's metadata address
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    return endpoint


@pytest.fixture
def bucket(aws_env):
    import boto3

    return boto3.client("s3", endpoint_url=aws_env, region_name=REGION)


@pytest.fixture
def wire(monkeypatch):
    """Every request the publisher sends, as (operation, request) once signed."""
    sent = []
    start = storage.Store.__init__

    def watched(self, *args):
        start(self, *args)
        self.client.meta.events.register(
            "before-send.s3", lambda request, event_name, **kwargs: sent.append((event_name.split(".")[-1], request)))

    monkeypatch.setattr(storage.Store, "__init__", watched)
    return sent


def objects(client, prefix: str) -> dict[str, str]:
    """key (relative to the prefix) -> ETag of every object under the prefix, the publisher's manifest left out."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket="zjtx-site", Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"][len(prefix):]] = item["ETag"]
    found.pop(storage.MANIFEST, None)
    return found


def site_paths(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()} - {".zjtx-site"}


def checksums(site: Path) -> dict[str, str]:
    return {path: hashlib.sha256((site / path).read_bytes()).hexdigest() for path in site_paths(site)}


def publish_cli(*args):
    return CliRunner().invoke(build.cli, ["publish", *args])


@pytest.mark.slow
def test_first_publish_uploads_all_pages_last_then_a_second_uploads_nothing(demo_site, aws_env, bucket):
    to = "s3://zjtx-site/first"
    result = publish_cli("--to", to, "--endpoint-url", aws_env, "--site", str(demo_site))
    assert result.exit_code == 0, result.output
    paths = site_paths(demo_site)
    assert f"已上传 {len(paths)} 个文件 / uploaded {len(paths)} file(s)" in result.output
    assert "已删除 0 个文件 / removed 0 file(s)" in result.output
    assert set(objects(bucket, "first/")) == paths

    again = storage.publish(demo_site, to, endpoint_url=aws_env)
    assert again.uploaded == [] and again.removed == []
    assert again.kept == len(paths) and again.kept_bytes == sum((demo_site / p).stat().st_size for p in paths)
    result = publish_cli("--to", to, "--endpoint-url", aws_env, "--site", str(demo_site))
    assert result.exit_code == 0, result.output
    assert "已上传 0 个文件 / uploaded 0 file(s), 0 字节 / bytes" in result.output
    assert f"未变 {len(paths)} 个文件 / kept {len(paths)} file(s)" in result.output


@pytest.mark.slow
def test_pages_go_up_after_every_file_they_may_reference(demo_site, aws_env):
    result = storage.publish(demo_site, "s3://zjtx-site/order", endpoint_url=aws_env)
    order = [path for path, _ in result.uploaded]
    last = [path.endswith(".html") or path in storage.LAST for path in order]
    assert last == sorted(last) and any(last) and not all(last)
    assert order.index("search-index/manifest.json") > order.index("search-index/r/0.json")


@pytest.mark.slow
def test_every_object_carries_the_headers_of_the_hosting_table(released_site, aws_env, bucket, wire):
    storage.publish(released_site, "s3://zjtx-site/headers", endpoint_url=aws_env)
    # What Aliyun OSS accepts: one PUT per file with its Content-MD5, no CRC32 trailer, no aws-chunked body.
    puts = [request for operation, request in wire if operation == "PutObject"]
    assert len(puts) == len(site_paths(released_site)) + 1  # and the manifest
    for request in puts:
        headers = {name.lower(): value for name, value in request.headers.items()}
        assert "content-md5" in headers and "x-amz-trailer" not in headers, request.url
        assert not any(name.startswith(("x-amz-checksum", "x-amz-sdk-checksum")) for name in headers), request.url
        assert "aws-chunked" not in str(headers.get("content-encoding", ""))
    assert all("/zjtx-site/headers/" in request.url for request in puts)  # path style for 127.0.0.1
    for path in sorted(site_paths(released_site)):
        head = bucket.head_object(Bucket="zjtx-site", Key=f"headers/{path}")
        expected = hosting.headers(path)
        assert (head["ContentType"], head["CacheControl"]) == (expected.content_type, expected.cache_control), path
    head = bucket.head_object(Bucket="zjtx-site", Key="headers/downloads/latest/register.xlsx")
    assert head["ContentType"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert head["CacheControl"] == "no-cache"
    head = bucket.head_object(Bucket="zjtx-site", Key="headers/downloads/0.1.0/register.sqlite")
    assert (head["ContentType"], head["CacheControl"]) == ("application/vnd.sqlite3", hosting.IMMUTABLE)
    head = bucket.head_object(Bucket="zjtx-site", Key="headers/index.html")
    assert (head["ContentType"], head["CacheControl"]) == ("text/html; charset=utf-8", "no-cache")
    # The published bytes are the site's.
    body = bucket.get_object(Bucket="zjtx-site", Key="headers/api/index.json")["Body"].read()
    assert body == (released_site / "api" / "index.json").read_bytes()


@pytest.mark.slow
def test_one_edited_enterprise_uploads_only_the_files_that_changed(demo_package, aws_env, tmp_path):
    from packages import build as build_site

    package = tmp_path / "package"
    shutil.copytree(demo_package, package)
    site = tmp_path / "site"
    build_site(package, site, SITE_AS_OF)
    to = "s3://zjtx-site/edit"
    first = storage.publish(site, to, endpoint_url=aws_env)
    before = checksums(site)
    assert len(first.uploaded) == len(before)

    rows = read_table(package, "enterprises")
    uscc = rows[5][0]
    set_cell(package, "enterprises", 6, "summary", rows[5][rows[0].index("summary")] + "公司新增一条产线。")
    build_site(package, site, SITE_AS_OF)
    after = checksums(site)
    changed = {path for path in after if before.get(path) != after[path]}
    result = storage.publish(site, to, endpoint_url=aws_env)
    uploaded = {path for path, _ in result.uploaded}
    assert uploaded == changed
    assert {f"enterprises/{uscc}/index.html", f"api/enterprises/{uscc}.json"} <= uploaded
    assert len(uploaded) < 60, sorted(uploaded)
    assert result.kept == len(after) - len(uploaded) and result.removed == []


@pytest.mark.slow
def test_a_file_the_new_site_lacks_is_removed_after_the_uploads(demo_site, aws_env, bucket, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(demo_site, site)
    to = "s3://zjtx-site/remove"
    storage.publish(site, to, endpoint_url=aws_env)
    (site / "about" / "index.html").unlink()
    (site / "feed.xml").write_bytes((site / "feed.xml").read_bytes().replace(b"</feed>", b"<!-- new --></feed>"))

    dry = publish_cli("--to", to, "--endpoint-url", aws_env, "--site", str(site), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "  + feed.xml" in dry.output and "  - about/index.html" in dry.output
    assert "将删除 1 个文件 / would remove 1 file(s)" in dry.output and "dry run" in dry.output
    assert "about/index.html" in objects(bucket, "remove/")

    result = publish_cli("--to", to, "--endpoint-url", aws_env, "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "已上传 1 个文件 / uploaded 1 file(s)" in result.output
    assert "已删除 1 个文件 / removed 1 file(s)" in result.output
    assert set(objects(bucket, "remove/")) == site_paths(site)
    body = bucket.get_object(Bucket="zjtx-site", Key="remove/feed.xml")["Body"].read()
    assert b"<!-- new -->" in body


@pytest.mark.slow
def test_a_dry_run_changes_nothing(demo_site, aws_env, bucket):
    result = storage.publish(demo_site, "s3://zjtx-site/dry", endpoint_url=aws_env, dry_run=True)
    assert {path for path, _ in result.uploaded} == site_paths(demo_site)
    listed = bucket.list_objects_v2(Bucket="zjtx-site", Prefix="dry/")
    assert listed.get("KeyCount", 0) == 0


@pytest.mark.slow
def test_changed_headers_or_an_object_changed_by_hand_are_uploaded_again(demo_site, aws_env, bucket, monkeypatch):
    to = "s3://zjtx-site/again"
    storage.publish(demo_site, to, endpoint_url=aws_env)
    bucket.put_object(Bucket="zjtx-site", Key="again/stats/index.html", Body=b"changed by hand")
    monkeypatch.setitem(hosting.TYPES_BY_EXTENSION, "ics", "text/calendar; charset=utf-8; method=PUBLISH")
    result = storage.publish(demo_site, to, endpoint_url=aws_env)
    assert [path for path, _ in result.uploaded] == ["events.ics", "stats/index.html"]
    head = bucket.head_object(Bucket="zjtx-site", Key="again/events.ics")
    assert head["ContentType"] == "text/calendar; charset=utf-8; method=PUBLISH"
    body = bucket.get_object(Bucket="zjtx-site", Key="again/stats/index.html")["Body"].read()
    assert body == (demo_site / "stats" / "index.html").read_bytes()


@pytest.mark.slow
def test_a_failed_upload_leaves_the_old_site_and_removes_nothing(demo_site, aws_env, bucket, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(demo_site, site)
    to = "s3://zjtx-site/failed"
    storage.publish(site, to, endpoint_url=aws_env)
    old = objects(bucket, "failed/")
    (site / "about" / "index.html").unlink()
    for name in ("feed.xml", "events.ics", "index.html"):
        (site / name).write_bytes((site / name).read_bytes() + b"\n")
    put = storage.Store._put

    def failing(self, site_file):
        if site_file.path == "feed.xml":
            raise PublishError("the store broke", "存储服务出错")
        return put(self, site_file)

    monkeypatch.setattr(storage.Store, "_put", failing)
    with pytest.raises(PublishError, match="the store broke"):
        storage.publish(site, to, endpoint_url=aws_env)
    now = objects(bucket, "failed/")
    assert set(now) == set(old)  # nothing removed: about/index.html is still there
    assert now["index.html"] == old["index.html"]  # the page waits for the files it references
    monkeypatch.setattr(storage.Store, "_put", put)
    result = storage.publish(site, to, endpoint_url=aws_env)
    # events.ics went up before feed.xml failed (uploads start in order) and is recorded: it is not sent again.
    assert [path for path, _ in result.uploaded] == ["feed.xml", "index.html"]
    assert [path for path, _ in result.removed] == ["about/index.html"]


@pytest.mark.slow
def test_a_file_that_vanishes_is_a_clear_error(demo_site, aws_env, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(demo_site, site)
    listed = storage.site_files(site)
    (site / "about" / "index.html").unlink()
    monkeypatch.setattr(storage, "site_files", lambda folder: listed)
    result = publish_cli("--to", "s3://zjtx-site/vanished", "--endpoint-url", aws_env, "--site", str(site))
    assert result.exit_code == 1, result.output
    assert "不见了" in result.output and "vanished" in result.output and "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.parametrize("variable, value, zh, en", [
    ("AWS_SECRET_ACCESS_KEY", "not-the-secret", "拒绝了访问凭证", "refused the credentials"),
    ("AWS_ACCESS_KEY_ID", "AKIANOTAKEY000000000", "拒绝了访问凭证", "refused the credentials"),
])
def test_bad_credentials_are_a_clear_bilingual_error(demo_site, aws_env, monkeypatch, variable, value, zh, en):
    monkeypatch.setenv(variable, value)
    result = publish_cli("--to", "s3://zjtx-site/creds", "--endpoint-url", aws_env, "--site", str(demo_site))
    assert result.exit_code == 1, result.output
    assert zh in result.output and en in result.output and "AWS_SECRET_ACCESS_KEY" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)  # no other exception


@pytest.mark.slow
def test_no_credentials_name_the_variables(demo_site, aws_env, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = publish_cli("--to", "s3://zjtx-site/creds", "--endpoint-url", aws_env, "--site", str(demo_site))
    assert result.exit_code == 1, result.output
    assert "没有可用的" in result.output and "AWS_ACCESS_KEY_ID" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_a_missing_bucket_is_a_clear_bilingual_error(demo_site, aws_env):
    result = publish_cli("--to", "s3://no-such-bucket/site", "--endpoint-url", aws_env, "--site", str(demo_site))
    assert result.exit_code == 1, result.output
    assert "不存在存储桶 no-such-bucket" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_an_unreachable_endpoint_is_a_clear_error(demo_site, aws_env):
    endpoint = f"http://127.0.0.1:{free_port()}"
    result = publish_cli("--to", "s3://zjtx-site/x", "--endpoint-url", endpoint, "--site", str(demo_site))
    assert result.exit_code == 1, result.output
    assert f"无法连接 {endpoint}" in result.output and f"cannot reach {endpoint}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("url, bucket, prefix", [
    ("s3://zjtx-site/zjtx", "zjtx-site", "zjtx/"),
    ("s3://zjtx-site/a/b/", "zjtx-site", "a/b/"),
    ("s3://zjtx-site", "zjtx-site", ""),
    ("s3://my.bucket-1/", "my.bucket-1", ""),
])
def test_a_target_is_a_bucket_and_a_folder(url, bucket, prefix):
    assert storage.parse_target(url) == storage.Target(bucket, prefix)


@pytest.mark.parametrize("url", ["zjtx-site/zjtx", "http://zjtx-site/zjtx", "s3://", "s3:///zjtx",
                                 "s3://My_Bucket/zjtx", "s3://ab/zjtx", "s3://zjtx-site/a//b", "s3://zjtx-site/x?y=1"])
def test_a_bad_target_is_refused_with_the_form_it_takes(url, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / ".zjtx-site").write_text("{}\n", encoding="utf-8")
    result = publish_cli("--to", url, "--site", str(site))
    assert result.exit_code == 1, result.output
    assert "不是存储桶地址" in result.output and "s3://BUCKET/PREFIX" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("endpoint, style", [
    (None, "virtual"), ("https://s3.oss-cn-beijing.aliyuncs.com", "virtual"), ("https://cos.ap-beijing.myqcloud.com",
                                                                          "virtual"),
    ("http://127.0.0.1:9000", "path"), ("http://localhost:9000", "path"), ("http://[::1]:9000", "path"),
    ("http://10.1.2.3", "path"),
])
def test_virtual_host_addressing_except_for_a_local_or_numeric_endpoint(endpoint, style):
    assert storage._addressing(endpoint) == style


def test_a_bad_endpoint_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / ".zjtx-site").write_text("{}\n", encoding="utf-8")
    result = publish_cli("--to", "s3://zjtx-site/x", "--endpoint-url", "oss-cn-beijing.aliyuncs.com",
                         "--site", str(site))
    assert result.exit_code == 1, result.output
    assert "不是网址" in result.output and "https://s3.oss-cn-beijing.aliyuncs.com" in result.output


def test_a_folder_the_build_did_not_write_is_refused(tmp_path):
    (tmp_path / "index.html").write_text("<p>not a site</p>", encoding="utf-8")
    result = publish_cli("--to", "s3://zjtx-site/x", "--site", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "不是 build.py 生成的网站" in result.output and ".zjtx-site" in result.output


def test_the_marker_and_dot_files_stay_home_and_a_link_is_refused(tmp_path):
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / ".zjtx-site").write_text("{}\n", encoding="utf-8")
    (site / ".site.lock").write_text("1\n", encoding="utf-8")
    (site / "about" / "index.html").write_text("<p>about</p>", encoding="utf-8")
    assert [f.path for f in storage.site_files(site)] == ["about/index.html"]
    outside = tmp_path / "secret.txt"
    outside.write_text("not for publishing", encoding="utf-8")
    (site / "about" / "notes.txt").symlink_to(outside)
    with pytest.raises(PublishError, match="is a link"):
        storage.site_files(site)


@pytest.mark.slow
def test_more_files_than_one_listing_page_or_one_delete_request_holds(aws_env, bucket, tmp_path, wire):
    """S3 lists and deletes at most 1,000 keys a request: the publisher pages through both. Each DeleteObjects
    request carries the Content-MD5 that Aliyun OSS demands."""
    site = tmp_path / "site"
    (site / "api" / "enterprises").mkdir(parents=True)
    (site / ".zjtx-site").write_text("{}\n", encoding="utf-8")
    for number in range(2100):
        (site / "api" / "enterprises" / f"{number:05d}.json").write_text(f'{{"n":{number}}}\n', encoding="utf-8")
    to = "s3://zjtx-site/many"
    assert len(storage.publish(site, to, endpoint_url=aws_env).uploaded) == 2100
    again = storage.publish(site, to, endpoint_url=aws_env)
    assert again.uploaded == [] and again.kept == 2100
    for number in range(1050):
        (site / "api" / "enterprises" / f"{number:05d}.json").unlink()
    result = storage.publish(site, to, endpoint_url=aws_env)
    assert len(result.removed) == 1050 and result.uploaded == []
    assert len(objects(bucket, "many/")) == 1050
    deletes = [request for operation, request in wire if operation == "DeleteObjects"]
    assert len(deletes) == 2
    for request in deletes:
        assert request.headers["Content-MD5"] == base64.b64encode(hashlib.md5(request.body).digest())
