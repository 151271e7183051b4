from django import template

register = template.Library()


@register.filter
def heat_bucket(value):
    """A progress percent's colour step on the heatmap: 0 (0–19) … 5 (100); "none" when nothing is weighed."""
    if value is None or value == "":
        return "none"
    return min(int(value) // 20, 5)
