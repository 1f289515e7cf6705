"""The login and password-reset forms, worded for partners."""

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from ..models import User


class LoginForm(AuthenticationForm):
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


class AccountPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for an invited account that has no password yet.

    Django skips accounts without a usable password; here every account logs in with a
    password, so an invited person who lost the invitation can still ask for a link.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)
