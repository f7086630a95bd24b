"""/metrics: Prometheus text for admin keys only, counting requests by route template."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.factories import make_event

Headers = dict[str, str]


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text (0 if absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    match = re.search(rf"^{re.escape(name)}\{{{re.escape(wanted)}\}} (\S+)$", text, re.M)
    return float(match[1]) if match else 0.0


def test_requests_are_counted_by_route_template_not_by_path(
    client: TestClient, editor_headers: Headers, admin_headers: Headers
) -> None:
    event = make_event(client, editor_headers)
    before = client.get("/metrics", headers=admin_headers).text
    client.get(f"/v1/events/{event['id']}")
    client.get("/v1/events/00000000-0000-0000-0000-000000000000")
    client.get("/no/such/path")
    after = client.get("/metrics", headers=admin_headers)
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    route = "/v1/events/{event_id}"
    for status in ("200", "404"):
        name, labels = (
            "waqai_http_requests_total",
            {"method": "GET", "route": route, "status": status},
        )
        assert sample(after.text, name, **labels) == sample(before, name, **labels) + 1
    assert "00000000-0000" not in after.text
    assert (
        sample(
            after.text, "waqai_http_requests_total", method="GET", route="(unmatched)", status="404"
        )
        >= 1
    )
    assert 'waqai_http_request_duration_seconds_bucket{le="0.005",method="GET"' in after.text
    assert sample(after.text, "waqai_import_jobs", state="running") == 0


def test_only_admins_read_them(client: TestClient, editor_headers: Headers) -> None:
    assert client.get("/metrics").status_code == 401
    refused = client.get("/metrics", headers=editor_headers)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
