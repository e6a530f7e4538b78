"""Creating accounts from a CSV file, from the page and the command line: a report per line, each
line its own unit, hostile files refused whole and clearly."""

from __future__ import annotations

import html

import pytest

from tests.accounts.conftest import csrf_from, login
from tests.accounts.sql import query
from virage.cli import main

URL = "/administration/comptes/import"


def upload(client, content: bytes, name: str = "comptes.csv"):
    page = client.get(URL)
    return client.post(
        URL,
        data={"_csrf_token": csrf_from(page.text)},
        files={"file": (name, content, "text/csv")},
    )


def usernames(world) -> set[str]:
    return {u for (u,) in query(world.settings.db_path, "SELECT username FROM users")}


def test_report_per_line_and_bad_lines_do_not_stop_the_others(client, world):
    login(client, "director_a")
    content = (
        "\ufeffidentifiant;nom;courriel;profession;rpps;structure;rôle\n"
        "julie.roux;Julie Roux;julie@example.org;Infirmière;;SSIAD A;Infirmier·e\n"
        "nurse_a;Doublon;;;;SSIAD A;nurse\n"
        "paul.b;Paul B;;;;EHPAD B;nurse\n"
        'evil;"=HYPERLINK(""http://x"";""clic"")";;;;SSIAD A;nurse\n'
        "sans.role;Sans Rôle;;;;SSIAD A;chef\n"
        "marc.l;<script>alert(1)</script>;;;;SSIAD A;aide-soignant\n"
        "\n"
        "anne.v;Anne V;;Aide à domicile;;" + str(world.structures["a"]) + ";Aide à domicile\n"
    ).encode()
    r = upload(client, content)
    assert r.status_code == 200
    text = html.unescape(r.text)
    assert "3 comptes créés, 4 lignes refusées" in text
    assert "Les lignes refusées n'ont rien créé" in text
    assert "déjà pris" in text and "hors de votre direction" in text and "formule" in text
    assert "Rôle « chef » inconnu" in text
    assert "<script>alert(1)</script>" not in r.text  # shown escaped, never run
    assert r.text.count("/invitation/") == 3
    assert {"julie.roux", "marc.l", "anne.v"} <= usernames(world)
    assert not {"paul.b", "evil", "sans.role"} & usernames(world)
    rows = query(
        world.settings.db_path,
        "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.username = ?",
        ["anne.v"],
    )
    assert rows == [("home_help",)]
    # One invitation each, nothing half-created for the refused lines.
    assert query(world.settings.db_path, "SELECT count(*) FROM account_links")[0][0] == 3


def test_comma_separated_without_bom(client, world):
    login(client, "admin")
    r = upload(client, b"Identifiant,Nom,Structure,Role\nx.comma,X Comma,EHPAD B,secretariat\n")
    assert "1 compte créé, 0 ligne refusée" in html.unescape(r.text)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("identifiant;nom;structure;rôle\néloïse;É;1;nurse\n".encode("latin-1"), "UTF-8"),
        (b"identifiant;nom;structure;r\xc3\xb4le\x00\n", "pas un fichier texte"),
        (b"", "vide"),
        (b"nom;structure\nx;1\n", "il manque : identifiant, rôle"),
        (("identifiant;nom;structure;rôle\n" + "a.b;A B;1;nurse\n" * 10_000).encode(), "lignes"),
        (b"identifiant;nom;structure;role\n" + b"x" * 1_200_000, "trop gros"),
    ],
    ids=["latin-1", "nul", "empty", "columns", "10000-lines", "too-big"],
)
def test_hostile_files_are_refused_whole(client, world, content, message):
    login(client, "admin")
    before = usernames(world)
    r = upload(client, content)
    assert r.status_code == 400 and message in html.unescape(r.text)
    assert usernames(world) == before


def test_ten_megabytes_are_refused(client, world):
    login(client, "admin")
    before = usernames(world)
    r = upload(client, b"identifiant;nom;structure;role\n" + b"y" * 10 * 1024 * 1024)
    assert r.status_code in (400, 413)
    assert usernames(world) == before


def test_the_nurse_cannot_import(client, world):
    login(client, "nurse_a")
    page = client.get(URL)
    assert page.status_code == 403
    r = client.post(
        URL,
        data={"_csrf_token": csrf_from(client.get("/moi").text)},
        files={
            "file": ("a.csv", b"identifiant;nom;structure;role\nq.q;Q;1;director\n", "text/csv")
        },
    )
    assert r.status_code == 403
    assert "q.q" not in usernames(world)


def test_command_line(world, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    monkeypatch.setenv("VIRAGE_PUBLIC_URL", "https://virage.example.org")
    assert (
        main(
            [
                "users",
                "invite",
                "--username",
                "cli.nurse",
                "--name",
                "Cli Nurse",
                "--structure",
                "SSIAD A",
                "--role",
                "nurse",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "https://virage.example.org/invitation/" in out
    assert main(["users", "list", "--structure", "SSIAD A"]) == 0
    out = capsys.readouterr().out
    assert "cli.nurse" in out and "invitation en attente" in out and "nurse_b" not in out
    assert (
        main(
            ["users", "add-role", "cli.nurse", "--structure", "EHPAD B", "--role", "care_assistant"]
        )
        == 0
    )
    assert (
        main(["users", "add-role", "cli.nurse", "--structure", "EHPAD B", "--role", "nurse"]) == 0
    )
    assert main(["users", "remove-role", "cli.nurse", "--structure", "EHPAD B"]) == 0
    assert main(["users", "reset-link", "nurse_a"]) == 0
    assert "/mot-de-passe/" in capsys.readouterr().out
    assert main(["users", "deactivate", "nurse_a"]) == 0
    assert "1 jeton révoqué" in capsys.readouterr().out
    assert main(["users", "deactivate", "nurse_a"]) == 1
    assert "déjà désactivé" in capsys.readouterr().err
    assert main(["users", "list", "--inactive"]) == 0
    assert "nurse_a" in capsys.readouterr().out
    assert main(["users", "reactivate", "nurse_a"]) == 0
    assert main(["users", "deactivate", "admin"]) == 1
    err = capsys.readouterr().err
    assert "dernier compte actif" in err and "Traceback" not in err
    assert main(["users", "deactivate", "personne"]) == 1
    assert "introuvable" in capsys.readouterr().err
    csv_file = tmp_path / "c.csv"
    csv_file.write_bytes(
        b"identifiant;nom;structure;role\ncsv.one;Csv One;1;nurse\nbad line;X;1;nurse\n"
    )
    assert main(["users", "import", str(csv_file)]) == 0
    out = capsys.readouterr().out
    assert "ligne 2 : csv.one créé — https://virage.example.org/invitation/" in out
    assert "ligne 3 : bad line refusé" in out and "1 compte créé, 1 ligne refusée" in out
    assert main(["users", "import", str(tmp_path / "absent.csv")]) == 1
    actions = {
        a
        for (a,) in query(
            world.settings.db_path,
            "SELECT action FROM audit_log WHERE actor_label = 'ligne de commande'",
        )
    }
    assert {
        "accounts.invited",
        "accounts.deactivated",
        "accounts.reactivated",
        "accounts.membership.added",
        "accounts.membership.role",
        "accounts.membership.removed",
        "accounts.reset_link",
        "accounts.import",
    } <= actions
