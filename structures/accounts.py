"""Partner accounts: the invitation to choose a password, and the password reset."""

from django.contrib.auth.forms import PasswordResetForm

from .models import User


class AccountPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for an invited account that has no password yet.

    Django skips accounts without a usable password; here every account logs in with a
    password, so an invited person who lost the invitation can still ask for a link.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


def account_invite(*, user: User, request) -> None:
    """E-mail the account a one-time link to choose its password (Django's reset machinery)."""
    form = AccountPasswordResetForm({"email": user.email})
    form.is_valid()
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name="registration/account_invite_subject.txt",
        email_template_name="registration/account_invite_email.txt",
    )
