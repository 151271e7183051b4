"""The API's documentation page: Swagger UI from drf-spectacular-sidecar (served by us, no CDN).

drf-spectacular's own template has an inline <style> block, which our Content Security Policy refuses;
ours links the same files and no inline code. The split view serves Swagger UI's start-up script as
a file of its own (?script), so no inline script either.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocs(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
