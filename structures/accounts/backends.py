from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def _username_for(login: str) -> str:
    """The account's username for a login typed as a username or an e-mail address."""
    if login and "@" in login:
        user = get_user_model().objects.filter(email__iexact=login).first()
        if user is not None:
            return user.get_username()
    return login


class UsernameOrEmailBackend(ModelBackend):
    """Log in with either the username or the e-mail address, case-insensitively for e-mail."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = _username_for(username)
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials) -> str:
    """The name django-axes counts failures against: the same for an account's username
    and its e-mail address, so that switching between them does not double the attempts."""
    login = (credentials or {}).get("username") or request.POST.get("username", "")
    return _username_for(login.strip()).lower()


def client_ip(request) -> str:
    """The address django-axes counts failures against.

    Behind one reverse proxy (BEHIND_PROXY=1), REMOTE_ADDR is the proxy's: the client is
    the last X-Forwarded-For entry, the one the proxy appended (earlier entries can be forged).
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
