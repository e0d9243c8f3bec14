"""Versions in an S3-compatible bucket: a real S3 server (moto in server mode) on localhost, not a mocked client."""

import os
import subprocess
import sys

import pytest
import tiny
from conftest import ROOT

from cockpit.data import access
from cockpit.data.db import Database
from cockpit.data.versions import MODEL, Store
from cockpit.publish import versions

BUCKET = "s3://cockpit-test/versions"


@pytest.fixture(scope="module")
def s3():
    """A moto S3 server on a free port; the AWS variables every client (and child process) reads point at it."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = dict(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
    )
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    import boto3

    boto3.client("s3").create_bucket(Bucket="cockpit-test")
    yield env
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def bucket(s3, tmp_path, request):
    """A prefix of the bucket of the test's own, extracts, a local cache and a state store."""
    tiny.write(tmp_path / "extracts" / "xx")
    return dict(
        extracts=tmp_path / "extracts" / "xx",
        data_url=f"{BUCKET}/{request.node.name}",
        state_url=f"sqlite:///{tmp_path / 'state.db'}",
        cache=tmp_path / "cache",
    )


def enrolment(db):
    rows = db.query("xx", "data/area_series", scope=access.Scope(("P1", "P2")), area_id="XX", since=tiny.Y1)
    return rows[rows["indicator_id"] == "enrol"]["value"].iloc[-1]


def publish(bucket, **kw):
    return versions.publish("xx", bucket["extracts"], data_url=bucket["data_url"], state_url=bucket["state_url"], **kw)


def test_publish_serve_and_roll_back_through_the_bucket(bucket):
    first = publish(bucket).version
    served = Database(bucket["data_url"], check_seconds=0, cache_dir=bucket["cache"])
    assert enrolment(served) == pytest.approx(77.5)
    assert (bucket["cache"] / "xx" / first / MODEL).exists()  # the server's local copy of the version it serves

    obs = tiny.frames()["observations"]
    obs.loc[obs["indicator_id"] == "enrol", "numerator"] /= 2
    tiny.write(bucket["extracts"], observations=obs)
    second = publish(bucket).version
    assert enrolment(served) == pytest.approx(77.5 / 2)
    assert Store(bucket["data_url"]).versions("xx") == [first, second]

    versions.rollback("xx", data_url=bucket["data_url"], state_url=bucket["state_url"])
    assert enrolment(served) == pytest.approx(77.5)


def test_a_refused_publish_is_kept_in_the_bucket_and_changes_nothing(bucket):
    first = publish(bucket).version
    obs = tiny.frames()["observations"]
    obs.loc[0, "period_type"] = "fortnight"
    tiny.write(bucket["extracts"], observations=obs)
    assert publish(bucket).status == "rejected"
    served = Database(bucket["data_url"], cache_dir=bucket["cache"])
    assert served.version("xx") == first
    assert served.problem("xx").error.errors[0].column == "period_type"


def test_a_half_uploaded_version_is_never_served_and_is_cleaned_up(bucket):
    first = publish(bucket).version
    store = Store(bucket["data_url"])
    # A publish killed between the model's upload and the manifest's: the model is there, the manifest not.
    store.fs.pipe_file(f"{store.root}/xx/versions/20990101T000000.000000Z-halfdone/{MODEL}", b"partial")
    assert store.versions("xx") == [first]
    assert Database(bucket["data_url"], cache_dir=bucket["cache"]).version("xx") == first
    after = publish(bucket, force=True)
    assert after.removed == ["20990101T000000.000000Z-halfdone"]
    assert store.versions("xx") == [first, after.version]


def test_another_process_serves_the_same_version_from_the_bucket(bucket, tmp_path):
    version = publish(bucket).version
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from cockpit.data.db import Database; "
            "d = Database(sys.argv[1], cache_dir=sys.argv[2]); print(d.version('xx')); "
            "print(len(d.query('xx', 'data/indicators')))",
            bucket["data_url"],
            str(tmp_path / "other-cache"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.split() == [version, str(len(tiny.frames()["indicators"]))]
