"""The OpenAPI schema validates without a warning, and the docs page is Swagger UI served by us, under our CSP."""

import io
import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_validates_with_no_warning(tmp_path):
    """What `manage.py spectacular --validate --fail-on-warn` checks (a warning or an invalid schema raises)."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO())
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert schema["info"]["version"] == "1"
    paths = set(schema["paths"])
    for path in ("/api/v1/plans/", "/api/v1/milestones/", "/api/v1/milestones/{id}/", "/api/v1/rounds/{id}/results/"):
        assert path in paths
    # Only reads are described, and the token scheme is.
    assert {method for operations in schema["paths"].values() for method in operations} <= {"get", "parameters"}
    assert schema["components"]["securitySchemes"]["apiToken"]["in"] == "header"
    milestone = schema["components"]["schemas"]["Milestone"]["properties"]
    assert {"due_date", "due_date_jalali", "progress", "status", "status_label"} <= set(milestone)


def test_docs_page_loads_swagger_ui_from_our_static_files_with_no_inline_code(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("style-src-attr")[0]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html
    assert "cdn" not in html.lower()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-dist" in source for source in sources)
    assert all(source.startswith("/") for source in sources)
    # The start-up script is a file of its own, pointing at our schema.
    script_url = next(source for source in sources if "script" in source and "swagger-ui-dist" not in source)
    script = client.get(script_url)
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]
    assert reverse("api:schema") in script.content.decode()
