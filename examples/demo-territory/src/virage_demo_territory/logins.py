"""The demo logins: one list for the start-up banner and the README's table.

``./scripts/demo`` prints :func:`banner` (stored with the demo database, printed again when the
database is kept); the table « Identifiants de démonstration » of the repository's README shows
the same rows, and a test (``tests/test_logins.py``) fails when the two drift apart or when an
account of the demo is missing from them.
"""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "demo-virage-2026"


@dataclass(frozen=True)
class Login:
    usernames: tuple[str, ...]
    role: str
    structure: str
    joiner: str = ", "  # « , » two people of one role; « / » one each of the roles listed

    def readme_row(self) -> str:
        users = self.joiner.join(f"`{u}`" for u in self.usernames)
        return f"| {users} | {self.role} | {self.structure} |"

    def banner_line(self) -> str:
        users = self.joiner.join(self.usernames)
        return f"  {users:<40} {self.role} — {self.structure}"


LOGINS: tuple[Login, ...] = (
    Login(("admin.reseau",), "administration du réseau", "—"),
    Login(("claire.direction",), "direction", "SSIAD du Val-de-Loue, SAAD Aide et Présence"),
    Login(("dpo.reseau",), "délégué à la protection des données", "SSIAD, SAAD, EHPAD"),
    Login(("ines.coordination",), "coordination (IDEC)", "SSIAD"),
    Login(("nadia.nuit", "paul.infirmier"), "infirmier·e", "SSIAD"),
    Login(("sophie.matin", "lucas.as"), "aide-soignant·e", "SSIAD"),
    Login(("lea.secretariat",), "secrétariat", "SSIAD, service social"),
    Login(("marie.saad", "karim.aide"), "coordination / aide à domicile", "SAAD", " / "),
    Login(
        ("julie.social", "hugo.social"), "travailleur·se social·e", "service social départemental"
    ),
    Login(
        ("odile.ehpad", "thomas.idec", "amina.ide"),
        "direction / coordination / infirmière",
        "EHPAD Les Tilleuls",
        " / ",
    ),
    Login(
        ("sarah.sortie",),
        "assistante sociale hospitalière",
        "centre hospitalier (équipe de sortie)",
    ),
    Login(
        ("dr.morel",),
        "médecin gériatre (volets médicaux d'orientation)",
        "centre hospitalier (équipe de sortie)",
    ),
    Login(("marc.glycines",), "coordination", "EHPAD Les Glycines (répond aux orientations)"),
    Login(("helene.teleconsult",), "médecin téléconsultant", "EHPAD Les Tilleuls"),
    Login(("sylvie.accueil",), "secrétariat d'accueil", "EHPAD Les Tilleuls"),
)


def usernames() -> list[str]:
    return [u for login in LOGINS for u in login.usernames]


def banner(present: set[str] | None = None) -> list[str]:
    """The banner's lines; with ``present``, only the logins whose accounts exist (a plugin not
    loaded creates none)."""
    rows = [
        login for login in LOGINS if present is None or any(u in present for u in login.usernames)
    ]
    return [
        "",
        f"Territoire fictif « Val-de-Loue » — comptes de démonstration (mot de passe commun : "
        f"{PASSWORD}) :",
        *(login.banner_line() for login in rows),
    ]
