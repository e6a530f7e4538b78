"""A worker writes first, from the bridged inbox, to a professional chosen in the directory: the
message leaves by SMTP from the inbox's address and lands in the doctor's real mailbox at the
MSSanté address the directory gives (read back over IMAPS)."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

# The integration tests' application, database and bridged inbox (fixtures), and their doctor.
from test_integration import client, db, doctor, inbox  # noqa: F401

from tests.accounts.conftest import bearer
from virage.sdk import directory


def test_a_message_to_the_directorys_doctor_reaches_her_mailbox(
    client,  # noqa: F811
    db,  # noqa: F811
    world,
    mail,
    inbox,  # noqa: F811
):
    pid = directory.save_professional(db, doctor(mail.doctor_address), [], [])
    db.commit()
    r = client.post(
        f"/api/v1/boites/{inbox}/ecrire-externe",
        json={
            "professional_id": pid,
            "subject": "Compte rendu de sortie",
            "body": "Pouvez-vous nous envoyer le compte rendu de Mme Durand ?",
        },
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["sent_out"] is True
    (raw,) = mail.mailbox(mail.doctor_address)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert mail.inbox_address in message["From"] and message["To"] == mail.doctor_address
    assert message["Subject"] == "Compte rendu de sortie" and message["In-Reply-To"] is None
    assert message.get_content().strip().startswith("Pouvez-vous nous envoyer")
    item = client.get(f"/api/v1/boites/elements/{r.json()['id']}", headers=bearer(world, "nurse_a"))
    assert item.json()["outcome"].startswith("Envoyé à Anne Lefort")
