"""The network's nomenclature on the command line; errors on one line, in French."""

from __future__ import annotations

from virage.cli import main


def test_targets_and_templates(world, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["transmissions", "targets", "list"]) == 0
    out = capsys.readouterr().out
    assert "chute" in out and "Vie quotidienne" in out
    assert (
        main(
            [
                "transmissions",
                "targets",
                "add",
                "plaie_chir",
                "Plaie chirurgicale",
                "--category",
                "soins",
            ]
        )
        == 0
    )
    assert "Cible ajoutée" in capsys.readouterr().out
    assert (
        main(["transmissions", "targets", "add", "plaie_chir", "Doublon", "--category", "soins"])
        == 1
    )
    assert "existe déjà" in capsys.readouterr().err
    assert main(["transmissions", "targets", "add", "Plaie chir!", "X", "--category", "soins"]) == 1
    assert (
        main(
            ["transmissions", "templates", "add", "plaie_chir", "Pansement", "--data", "Aspect : …"]
        )
        == 0
    )
    assert main(["transmissions", "templates", "add", "inconnue", "X", "--data", "…"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Traceback" not in err
    assert main(["transmissions", "targets", "retire", "plaie_chir"]) == 0
    assert "retirée des choix" in capsys.readouterr().out
    main(["transmissions", "targets", "list"])
    assert "plaie_chir" not in capsys.readouterr().out
    main(["transmissions", "targets", "list", "--all"])
    assert "[retirée]" in capsys.readouterr().out
    assert main(["transmissions", "targets", "restore", "plaie_chir"]) == 0
    assert main(["transmissions", "targets", "retire", "nexistepas"]) == 1
