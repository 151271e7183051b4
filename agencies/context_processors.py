def membership(request):
    """The signed-in person's membership (role and agency), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None}
    return {"membership": getattr(user, "membership", None)}
