from django.core import checks


@checks.register(checks.Tags.security)
def openpyxl_uses_defusedxml(app_configs, **kwargs):
    """openpyxl parses uploaded workbooks; without defusedxml it expands XML entities (billion laughs)."""
    import openpyxl
    from openpyxl.xml import LXML

    if LXML:
        return [
            checks.Error(
                "openpyxl parses workbooks with lxml, which defusedxml does not guard.",
                hint="Set OPENPYXL_LXML=False before openpyxl is imported (prcouncil/settings/base.py does).",
                id="spreadsheets.E002",
            )
        ]
    if not openpyxl.DEFUSEDXML:
        return [
            checks.Error(
                "openpyxl is not using defusedxml, so uploaded workbooks could carry XML entity bombs.",
                hint="Install defusedxml (it is pinned in pyproject.toml).",
                id="fileformats.E001",
            )
        ]
    return []
