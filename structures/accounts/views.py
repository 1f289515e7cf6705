"""Django's password-reset views, capped per account and address, and lifting login limits."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from .backends import client_ip
from .forms import AccountPasswordResetForm
from .lockout import login_failures_reset
from .resets import password_reset_allowed


class PasswordResetView(auth_views.PasswordResetView):
    """Send the link only within the hourly caps; the answer is the same either way."""

    form_class = AccountPasswordResetForm

    def form_valid(self, form):
        allowed = password_reset_allowed(
            email=form.cleaned_data["email"], address=client_ip(self.request)
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password proves the account's owner: lift its login limits."""

    def form_valid(self, form):
        response = super().form_valid(form)
        login_failures_reset(username=form.user.get_username())
        return response
