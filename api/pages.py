"""A person's own API tokens: make one (its secret is shown once, on the answer to the POST) and revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import NewTokenForm
from .models import ApiToken

TOKEN_REVOKED = _("The token “%(name)s” is revoked: it no longer opens the API.")


def _ask(request):
    if not request.user.has_perm("api.manage_own_tokens"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_tokens(request):
    _ask(request)
    form = NewTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.create_token(user=request.user, name=form.cleaned_data["name"])
        form = NewTokenForm()
    context = {"form": form, "secret": secret, "tokens": ApiToken.objects.owned_by(request.user)}
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke(request, pk):
    _ask(request)
    token = get_object_or_404(ApiToken.objects.owned_by(request.user).active(), pk=pk)
    services.revoke_tokens(tokens=ApiToken.objects.filter(pk=token.pk))
    messages.success(request, TOKEN_REVOKED % {"name": token.name})
    return redirect("api_tokens:list")
