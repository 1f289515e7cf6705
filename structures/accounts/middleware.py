"""Count each account once a month among its structure's active accounts (usage.py)."""

from ..usage import account_count_active


class ActiveAccountsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:  # a comparison of two dates, except once a month
            account_count_active(user=user)
        return self.get_response(request)
