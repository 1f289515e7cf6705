"""Invite a new account to choose its password, by e-mail."""

from ..models import User
from .forms import AccountPasswordResetForm


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
