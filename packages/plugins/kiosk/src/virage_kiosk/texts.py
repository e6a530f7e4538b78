"""What the kiosk says, in plain language (FALC: short sentences, one idea each), in French and
English. The structure may replace the welcome sentence from its settings."""

from __future__ import annotations

LANGS = ("fr", "en")

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Accueil",
        "welcome": "Bonjour. Bienvenue.",
        "question": "Avez-vous un rendez-vous ?",
        "yes": "Oui, j'ai une convocation",
        "no": "Non, je n'ai pas de rendez-vous",
        "other_lang": "English",
        "scan": "Montrez le code carré de votre convocation au lecteur.",
        "scan_label": "Code de la convocation",
        "scan_help": "Le lecteur écrit le code tout seul. Puis appuyez sur « Valider ».",
        "no_paper": "Je n'ai pas le papier : taper mon code",
        "code": "Quel est le code écrit sur votre convocation ?",
        "code_label": "Code (6 lettres et chiffres)",
        "birth": "Quelle est votre date de naissance ?",
        "day": "Jour",
        "month": "Mois",
        "year": "Année",
        "services": "Pour quoi venez-vous ?",
        "ok": "Valider",
        "back": "Retour au début",
        "ticket": "Votre numéro",
        "go": "Allez à",
        "floor": "Étage",
        "room": "Salle",
        "wait": "Attendez. On va appeler votre numéro. Regardez l'écran.",
        "keep": "Retenez votre numéro. Cet écran va s'effacer.",
        "closed": "L'accueil est fermé.",
        "hours": "Ouvert de {opens} à {closes}.",
        "offline": "Présentez-vous à l'accueil.",
        "offline_more": "La borne ne marche pas pour le moment. Une personne va vous aider.",
        "no_service": "Aucun service n'est proposé ici. Présentez-vous à l'accueil.",
        "screen": "Numéros appelés",
        "screen_empty": "Aucun numéro appelé pour le moment.",
        "desk": "Guichet",
    },
    "en": {
        "title": "Reception",
        "welcome": "Hello. Welcome.",
        "question": "Do you have an appointment?",
        "yes": "Yes, I have a letter",
        "no": "No, I have no appointment",
        "other_lang": "Français",
        "scan": "Show the square code of your letter to the reader.",
        "scan_label": "Letter code",
        "scan_help": "The reader types the code. Then press « OK ».",
        "no_paper": "I do not have the letter: type my code",
        "code": "What is the code on your letter?",
        "code_label": "Code (6 letters and numbers)",
        "birth": "What is your date of birth?",
        "day": "Day",
        "month": "Month",
        "year": "Year",
        "services": "Why are you here?",
        "ok": "OK",
        "back": "Back to start",
        "ticket": "Your number",
        "go": "Go to",
        "floor": "Floor",
        "room": "Room",
        "wait": "Please wait. We will call your number. Look at the screen.",
        "keep": "Remember your number. This screen will clear.",
        "closed": "Reception is closed.",
        "hours": "Open from {opens} to {closes}.",
        "offline": "Please go to the reception desk.",
        "offline_more": "The kiosk is not working right now. Someone will help you.",
        "no_service": "No service is offered here. Please go to the reception desk.",
        "screen": "Numbers called",
        "screen_empty": "No number called yet.",
        "desk": "Desk",
    },
}

#: The kiosk's refusals in English, by their French message; any other: go to the desk.
ENGLISH_ERRORS: dict[str, str] = {
    "Nous ne trouvons pas ce rendez-vous aujourd'hui. Présentez-vous à l'accueil.": (
        "We cannot find this appointment today. Please go to the reception desk."
    ),
    "Trop d'essais sur cette borne. Présentez-vous à l'accueil, on va vous aider.": (
        "Too many tries on this kiosk. Please go to the reception desk: we will help you."
    ),
    "L'accueil est fermé. Revenez aux heures d'ouverture.": (
        "Reception is closed. Please come back during opening hours."
    ),
    "Choisissez un service dans la liste.": "Please choose a service in the list.",
    "Écrivez le code de votre convocation.": "Please type the code of your letter.",
    "Date de naissance : écrivez le jour, le mois et l'année en chiffres.": (
        "Date of birth: type the day, the month and the year in numbers."
    ),
}
ENGLISH_FALLBACK = "Please go to the reception desk."


def lang_of(value: str | None) -> str:
    return value if value in LANGS else "fr"


def texts(lang: str) -> dict[str, str]:
    return TEXTS[lang_of(lang)]
