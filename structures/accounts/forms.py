"""The login and password-reset forms, worded for partners."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from ..models import User
from .backends import lockout_username
from .lockout import login_retry_at, minutes_label

MAX_LOGIN_LENGTH = 254  # an e-mail address at most; a username is 150


class SlowedLoginMixin:
    """Refuse, without checking the password, a username that must wait (see lockout.py),
    or longer than any account's: Django's form only sets the field's maxlength, and the
    lockout would store the whole text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(MAX_LOGIN_LENGTH))

    def clean(self):
        login = self.cleaned_data.get("username")
        if login:
            username = lockout_username(self.request, {"username": login})
            retry_at = login_retry_at(username=username)
            if retry_at is not None:
                raise ValidationError(
                    "Trop d'essais de mot de passe erronés pour cet identifiant, depuis "
                    "plusieurs postes : par sécurité, les essais sont espacés. Réessayez "
                    f"dans {minutes_label(retry_at)}. Vous pouvez aussi choisir un nouveau "
                    "mot de passe avec le lien « Mot de passe oublié ? », ce qui lève "
                    "aussitôt cette attente.",
                    code="slowed_down",
                )
        return super().clean()


class LoginForm(SlowedLoginMixin, AuthenticationForm):
    """Django's login form, worded as the login page explains it.

    The backend accepts a username or an e-mail address (the address in any case), so the
    label says so and the error does not claim that the whole login is case-sensitive.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Identifiant ou mot de passe incorrect. Vérifiez-les et réessayez "
            "(le mot de passe distingue les majuscules des minuscules)."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Identifiant ou adresse courriel"


class AdminLoginForm(SlowedLoginMixin, AdminAuthenticationForm):
    """The administration's login form, slowed down the same way as the site's."""


class AccountPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for an invited account that has no password yet.

    Django skips accounts without a usable password; here every account logs in with a
    password, so an invited person who lost the invitation can still ask for a link.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)
