"""POST /v1/imports and its jobs, as an admin's HTTP client sees them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "formats" / "samples"


def upload(
    client: TestClient,
    headers: dict[str, str],
    data: bytes,
    *,
    fmt: str = "csv",
    **fields: str,
) -> Any:
    return client.post(
        "/v1/imports",
        headers=headers,
        files={"file": ("events.csv", data, "text/csv")},
        data={"format": fmt, **fields},
    )


GOOD = (
    "type,when,title,original_language,external_ids\n"
    'violence.armed_clash,2020-01-13,Clash south of Tripoli,en,"{""acled"": ""R1""}"\n'
    'ceasefire.breach,2020-01-12/2020-01-14,خرق الهدنة,ar,"{""acled"": ""R2""}"\n'
).encode()
BAD_ROW = GOOD + b'violence.armed_clash,2020-13-45,Bad date,en,"{}"\n'


class TestCreate:
    def test_a_job_runs_and_reports_its_counts(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        response = upload(client, admin_headers, GOOD)
        assert response.status_code == 202, response.text
        job = client.get(response.headers["Location"], headers=admin_headers).json()
        assert job["state"] == "succeeded"
        assert job["counts"]["created"] == 2
        assert job["counts"]["rejected"] == 0
        assert job["filename"] == "events.csv"
        assert job["finished_at"] is not None
        listed = client.get("/v1/events?q=هدنة").json()["items"]
        assert [e["title"]["ar"] for e in listed] == ["خرق الهدنة"]

    def test_a_nul_character_is_a_rejected_row_and_the_job_still_finishes(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        data = GOOD + b'ceasefire.breach,2020-01-15,a\x00b,ar,"{}"\n'
        job = upload(client, admin_headers, data).json()
        job = client.get(f"/v1/imports/{job['id']}", headers=admin_headers).json()
        assert job["state"] == "rejected"
        assert job["errors"] == [
            {"line": 4, "reason": "row: title.ar: text may not contain the NUL character (U+0000)"}
        ]
        rejected = client.get(f"/v1/imports/{job['id']}/rejected.csv", headers=admin_headers)
        assert "a\ufffdb" in rejected.text

    def test_a_bad_row_rejects_the_whole_atomic_import(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        before = client.get("/v1/events", headers=admin_headers).json()["items"]
        job = upload(client, admin_headers, BAD_ROW).json()
        job = client.get(f"/v1/imports/{job['id']}", headers=admin_headers).json()
        assert job["state"] == "rejected"
        assert [(e["line"], e["reason"].split(":")[0]) for e in job["errors"]] == [(4, "when")]
        assert "nothing was written" in job["message"]
        assert client.get("/v1/events", headers=admin_headers).json()["items"] == before

    def test_skip_invalid_offers_the_rejected_rows_as_csv(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        job = upload(client, admin_headers, BAD_ROW, mode="skip_invalid").json()
        job = client.get(f"/v1/imports/{job['id']}", headers=admin_headers).json()
        assert job["state"] == "succeeded"
        assert job["counts"]["created"] == 2
        rejected = client.get(job["rejected_rows_url"], headers=admin_headers)
        assert rejected.status_code == 200
        assert rejected.headers["content-type"].startswith("text/csv")
        lines = rejected.text.splitlines()
        assert lines[0] == "line,reason,type,when,title,original_language,external_ids"
        assert lines[1].startswith("4,")
        assert "2020-13-45" in lines[1]

    def test_a_dry_run_writes_nothing(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        job = upload(client, admin_headers, GOOD, dry_run="true").json()
        job = client.get(f"/v1/imports/{job['id']}", headers=admin_headers).json()
        assert job["state"] == "succeeded"
        assert job["dry_run"] is True
        assert job["message"].startswith("Dry run: would have 2 created")
        assert client.get("/v1/events?q=Tripoli").json()["items"] == []

    def test_an_acled_file_sent_as_ucdp_is_rejected_naming_the_missing_columns(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        data = (SAMPLES / "acled_current.csv").read_bytes()
        job = upload(client, admin_headers, data, fmt="ucdp").json()
        job = client.get(f"/v1/imports/{job['id']}", headers=admin_headers).json()
        assert job["state"] == "rejected"
        assert "missing column" in job["message"]
        assert "date_start" in job["message"]


class TestBadRequests:
    @pytest.mark.parametrize(
        ("fields", "loc"),
        [
            ({"format": "xlsx"}, ["body", "format"]),
            ({"format": "csv", "mode": "sometimes"}, ["body", "mode"]),
            ({"format": "csv", "dry_run": "perhaps"}, ["body", "dry_run"]),
        ],
    )
    def test_bad_options_are_named(
        self,
        client: TestClient,
        admin_headers: dict[str, str],
        fields: dict[str, str],
        loc: list[str],
    ) -> None:
        response = client.post(
            "/v1/imports",
            headers=admin_headers,
            files={"file": ("x.csv", GOOD, "text/csv")},
            data=fields,
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert loc in [error["loc"] for error in response.json()["errors"]]

    def test_a_request_without_a_file_is_refused(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        response = client.post(
            "/v1/imports",
            headers=admin_headers,
            files={"other": ("x.csv", GOOD, "text/csv")},
            data={"format": "csv"},
        )
        assert response.status_code == 422
        assert ["body", "file"] in [error["loc"] for error in response.json()["errors"]]

    def test_only_admins_import(self, client: TestClient, editor_headers: dict[str, str]) -> None:
        assert upload(client, editor_headers, GOOD).status_code == 403
        assert upload(client, {}, GOOD).status_code == 401

    def test_an_unknown_job_is_404(self, client: TestClient, admin_headers: dict[str, str]) -> None:
        response = client.get(
            "/v1/imports/0190b0b0-0000-7000-8000-000000000000", headers=admin_headers
        )
        assert response.status_code == 404
        assert response.json()["code"] == "import_not_found"


class TestSizeLimit:
    @pytest.fixture
    def app_settings(self, settings: Settings, tmp_path: Path) -> Settings:
        return settings.model_copy(update={"max_upload_bytes": 4096, "data_dir": tmp_path})

    def test_a_file_over_the_limit_is_413_and_leaves_nothing(
        self, client: TestClient, admin_headers: dict[str, str], tmp_path: Path
    ) -> None:
        big = GOOD + b"x" * 10_000
        response = upload(client, admin_headers, big)
        assert response.status_code == 413
        assert response.json()["code"] == "payload_too_large"
        assert not any(tmp_path.rglob("*.upload"))

    def test_a_streamed_file_without_length_is_cut_off_too(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        boundary = "waqaiboundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\ncsv\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            ).encode()
            + b"x" * 10_000
            + f"\r\n--{boundary}--\r\n".encode()
        )

        def chunks() -> Any:
            for start in range(0, len(body), 1000):
                yield body[start : start + 1000]

        response = client.post(
            "/v1/imports",
            headers={**admin_headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            content=chunks(),
        )
        assert response.status_code == 413


class TestAnAcledRowAsAUserSeesIt:
    def test_the_imported_event_reads_back_field_by_field(
        self, client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        data = (SAMPLES / "acled_current.csv").read_bytes()
        job = upload(client, admin_headers, data, fmt="acled").json()
        assert client.get(f"/v1/imports/{job['id']}", headers=admin_headers).json()["state"] == (
            "succeeded"
        )
        (summary,) = client.get("/v1/events?q=Ain Zara&type=violence.armed_clash").json()["items"]
        event = client.get(f"/v1/events/{summary['id']}").json()
        assert event["type"] == "violence.armed_clash"
        assert event["when"] == "2020-01-12"
        assert event["title"] == {"en": "Armed clash in Ain Zara"}
        assert event["summary"]["en"].startswith("On 12 January 2020, GNA forces clashed")
        assert "عين زارة" in event["summary"]["en"]  # Arabic inside the notes kept as written
        assert event["external_ids"] == {"acled": "LBY5001"}
        assert event["fatalities_best"] == 2
        assert event["location_precision"] == 1
        assert event["status"] == "published"
        location = client.get(f"/v1/locations/{event['location_id']}").json()
        assert (location["names"], location["country"]) == ({"en": "Ain Zara"}, "LBY")
        assert (location["latitude"], location["longitude"]) == (32.7833, 13.2333)
        roles = sorted(p["role"] for p in event["participants"])
        assert roles == ["party"] * 4  # two sides, two associated groups
        outlets = set()
        for citation in event["citations"]:
            source = client.get(f"/v1/sources/{citation['source_id']}").json()
            outlet = client.get(f"/v1/outlets/{source['outlet_id']}").json()
            outlets.add(outlet["names"]["en"])
        assert outlets == {"Libya Observer", "Anadolu Agency"}
