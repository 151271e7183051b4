"""Panels that feature apps add to the plan pages, without plans importing them.

plans sits below the feature apps (reminders, website monitoring, bulletins…), so it cannot
ask them for their figures. Instead a feature app registers a panel for a screen in its
AppConfig.ready():

    from plans import panels
    panels.register("agency", "notifications/_agency_panel.html", agency_chase, order=20)

where `agency_chase(request, **objects)` returns the panel's template context (or None to
show nothing). The page's view calls `panels.collect("agency", request, plan=plan, agency=agency)`
and its template includes each panel with `{% include "plans/_panels.html" %}`.

Screens: "dashboard" (objects: plan), "agency" (objects: plan, agency), "public" (the public progress
page, anonymous; objects: plan) and "bulletin" (objects: plan, quarter): a bulletin's panels are frozen
with its figures when it is published, so their function is called with request=None and must return
plain JSON values (publishing stores them and renders the template with them later).
"""

from dataclasses import dataclass

SCREENS = ("dashboard", "agency", "public", "bulletin")


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


_registry = {screen: [] for screen in SCREENS}


def register(screen, template, context_function, *, order=100):
    if screen not in _registry:
        raise ValueError(f"Unknown screen {screen!r}; one of {SCREENS}.")
    entry = (order, template, context_function)
    if entry not in _registry[screen]:
        _registry[screen].append(entry)
        _registry[screen].sort(key=lambda item: (item[0], item[1]))


def collect(screen, request, **objects):
    """The panels of `screen`, each with its context; a panel whose function returns None is left out."""
    collected = []
    for _order, template, context_function in _registry[screen]:
        context = context_function(request, **objects)
        if context is not None:
            collected.append(Panel(template=template, context=context))
    return collected
