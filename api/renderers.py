from rest_framework.renderers import BrowsableAPIRenderer


class CouncilBrowsableAPIRenderer(BrowsableAPIRenderer):
    """REST framework's browsable API without its inline <style> of highlighting colours, which our CSP refuses
    (with Pygments installed it writes one into every page); everything else it loads is our own static files."""

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        return context
