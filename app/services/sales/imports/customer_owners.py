"""Who owns an imported customer: the importing salesperson, or for a sales manager the
department's salesperson a row names in its 负责人 column (by name or user name)."""

from flask_babel import gettext as _

from app.extensions import db
from app.models import Role, User
from app.services.customers import operations as service
from app.services.customers import owners
from app.services.imports.fields import fold


class Owners:
    """Resolves and checks owners once per file (the answers are cached)."""

    def __init__(self, actor):
        self.actor = actor
        self._directory: dict[str, list[User]] | None = None
        self._users: dict[int, User] = {}
        self._refusals: dict[tuple, str | None] = {}

    def resolve(self, text: str | None) -> tuple[User | None, str | None]:
        """(owner named by the row or None for the default, problem with the name or None)."""
        if not text:
            return None, None
        if self.actor.role != Role.MANAGER:
            if fold(text) in (fold(self.actor.full_name), fold(self.actor.username)):
                return None, None
            return None, _("您只能导入由自己负责的客户：请删除「负责人」列或填写您本人。")
        matches = self.directory().get(fold(text), [])
        if len(matches) == 1:
            return matches[0], None
        if not matches:
            return None, _("负责人「%(name)s」不是本部门在职的销售人员。", name=text[:40])
        return None, _("本部门有多位名为「%(name)s」的销售人员，请填写用户名。", name=text[:40])

    def directory(self) -> dict[str, list[User]]:
        """{folded name or user name: salespeople} of the manager's department."""
        if self._directory is None:
            self._directory = {}
            for user in owners.sales_owners(self.actor.department_id):
                for key in {fold(user.full_name), fold(user.username)}:
                    self._directory.setdefault(key, []).append(user)
        return self._directory

    def user(self, user_id: int) -> User:
        if user_id not in self._users:
            self._users[user_id] = db.session.get(User, user_id)
        return self._users[user_id]

    def refusal(self, owner_id: int, level) -> str | None:
        """Why the owner may not hold a customer of `level` (services.customers' rule), or None."""
        key = (owner_id, level)
        if key not in self._refusals:
            try:
                service._check_owner(self.user(owner_id), level)
                self._refusals[key] = None
            except service.Refused as error:
                self._refusals[key] = error.message
        return self._refusals[key]
