"""The words of the feedback form, of the poster and of the e-mail of a private reply,
in Romanian and English (gettext, like the rest of the site) and in Hungarian (kept
here).

Why Hungarian is not a language of the site: adding "hu" to LANGUAGES would offer it in
the language switcher of every page, where nothing else is translated, and the lead
merges only the Romanian and English catalogues. So the form (and the poster) has its own
choice of language, `?lang=hu`: its words come from `HUNGARIAN`, the rest of the page
stays in the reader's site language, and the form's section is marked `lang="hu"`.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

FORM_LANGUAGES = (("ro", "Română"), ("en", "English"), ("hu", "Magyar"))
FORM_LANGUAGE_CODES = tuple(code for code, _name in FORM_LANGUAGES)

TEXTS = {
    "title": _("Tell us how you were served"),
    "intro": _("It takes less than a minute. You need no account, and we do not keep who you are."),
    "language": _("Language of the form"),
    "service": _("Service"),
    "institution": _("Institution"),
    "satisfaction": _("Overall, how satisfied are you with this service?"),
    "very_dissatisfied": _("Very dissatisfied"),
    "dissatisfied": _("Dissatisfied"),
    "neutral": _("Neither satisfied nor dissatisfied"),
    "satisfied": _("Satisfied"),
    "very_satisfied": _("Very satisfied"),
    "indicators": _("How would you rate… (optional)"),
    "access": _("access to the service (getting there, opening hours, finding the right place)"),
    "clarity": _("the clarity of the procedure and of the information you were given"),
    "courtesy": _("the courtesy and competence of the staff"),
    "timeliness": _("the time it took"),
    "very_poor": _("Very poor"),
    "poor": _("Poor"),
    "fair": _("Fair"),
    "good": _("Good"),
    "very_good": _("Very good"),
    "solved": _("Was your matter solved?"),
    "yes": _("Yes"),
    "partly": _("Partly"),
    "no": _("No"),
    "comment": _("Comment (optional)"),
    "comment_help": _(
        "Do not write personal data (names, personal numeric code, address). A moderator "
        "reads every comment before it is published."
    ),
    "email": _("Your e-mail address, if you want an answer (optional)"),
    "email_help": _("Used only to send you the institution's answer, then erased."),
    "honeypot": _("Leave this field empty"),
    "send": _("Send"),
    "required": _("This field is required."),
    "invalid_choice": _("Select a valid choice."),
    "invalid_email": _("Enter a valid email address."),
    "too_long": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
    "errors": _("Please correct the errors below."),
    "thanks": _("Thank you! Your answer was recorded."),
    "thanks_comment": _("Your comment will be public once a moderator has read it."),
    "see_index": _("See the satisfaction index of this service"),
    "too_many": _("You have sent many answers in a short time. Please try again in an hour."),
    "inactive": _("This service does not accept feedback any more."),
    "poster_title": _("How were you served?"),
    "poster_scan": _("Scan the code with your phone's camera, or type the address:"),
    "poster_promise": _("Less than a minute, no account, anonymous."),
    "poster_why": _("Your answer helps the institution serve people better."),
    # The e-mail of a private reply, in the language the person answered in.
    "email_subject": _("The answer of %(name)s to your feedback"),
    "email_hello": _("Hello,"),
    "email_intro": _(
        "You gave feedback on “%(service)s” and left your e-mail address for an answer. "
        "This is the answer of %(name)s:"
    ),
    "email_erased": _(
        "Your e-mail address was used only to send you this answer and is now erased."
    ),
    "email_run_by": _("CONECT is run by the General Secretariat of the Government of Romania."),
}

HUNGARIAN = {
    "title": "Mondja el, hogyan szolgálták ki",
    "intro": (
        "Kevesebb mint egy percet vesz igénybe. Nincs szükség fiókra, és nem tároljuk, "
        "hogy Ön kicsoda."
    ),
    "language": "Az űrlap nyelve",
    "service": "Szolgáltatás",
    "institution": "Intézmény",
    "satisfaction": "Összességében mennyire elégedett ezzel a szolgáltatással?",
    "very_dissatisfied": "Nagyon elégedetlen",
    "dissatisfied": "Elégedetlen",
    "neutral": "Se nem elégedett, se nem elégedetlen",
    "satisfied": "Elégedett",
    "very_satisfied": "Nagyon elégedett",
    "indicators": "Hogyan értékeli… (nem kötelező)",
    "access": (
        "a szolgáltatás elérhetőségét (odajutás, nyitvatartás, a megfelelő hely megtalálása)"
    ),
    "clarity": "az eljárás és a kapott tájékoztatás érthetőségét",
    "courtesy": "a személyzet udvariasságát és szakértelmét",
    "timeliness": "az ügyintézés idejét",
    "very_poor": "Nagyon rossz",
    "poor": "Rossz",
    "fair": "Elfogadható",
    "good": "Jó",
    "very_good": "Nagyon jó",
    "solved": "Megoldódott az ügye?",
    "yes": "Igen",
    "partly": "Részben",
    "no": "Nem",
    "comment": "Megjegyzés (nem kötelező)",
    "comment_help": (
        "Ne írjon személyes adatokat (nevek, személyi szám, cím). Minden megjegyzést "
        "moderátor olvas el, mielőtt nyilvánossá válik."
    ),
    "email": "E-mail-címe, ha választ szeretne (nem kötelező)",
    "email_help": "Csak az intézmény válaszának elküldésére használjuk, utána töröljük.",
    "honeypot": "Hagyja üresen ezt a mezőt",
    "send": "Küldés",
    "required": "Ez a mező kötelező.",
    "invalid_choice": "Válasszon egy érvényes lehetőséget.",
    "invalid_email": "Adjon meg egy érvényes e-mail-címet.",
    "too_long": "Legfeljebb %(limit_value)d karaktert írjon (most %(show_value)d).",
    "errors": "Kérjük, javítsa az alábbi hibákat.",
    "thanks": "Köszönjük! Válaszát rögzítettük.",
    "thanks_comment": "Megjegyzése azután lesz nyilvános, hogy egy moderátor elolvasta.",
    "see_index": "Nézze meg a szolgáltatás elégedettségi indexét",
    "too_many": ("Rövid idő alatt sok választ küldött. Kérjük, próbálja újra egy óra múlva."),
    "inactive": "Ez a szolgáltatás már nem fogad visszajelzést.",
    "poster_title": "Hogyan szolgálták ki?",
    "poster_scan": "Olvassa be a kódot a telefonja kamerájával, vagy írja be a címet:",
    "poster_promise": "Kevesebb mint egy perc, fiók nélkül, névtelenül.",
    "poster_why": "Válasza segít az intézménynek jobban szolgálni az embereket.",
    "email_subject": "%(name)s válasza az Ön visszajelzésére",
    "email_hello": "Tisztelt Címzett!",
    "email_intro": (
        "Ön visszajelzést adott a(z) „%(service)s” szolgáltatásról, és megadta e-mail-címét "
        "a válaszhoz. %(name)s válasza:"
    ),
    "email_erased": (
        "E-mail-címét csak ennek a válasznak az elküldésére használtuk, és most töröltük."
    ),
    "email_run_by": "A CONECT platformot Románia Kormányának Főtitkársága működteti.",
}


def form_language(value: str | None, default: str = "ro") -> str:
    """The form's language for `?lang=` (the site's language otherwise)."""
    if value in FORM_LANGUAGE_CODES:
        return value
    return default if default in FORM_LANGUAGE_CODES else "ro"


def texts(language: str) -> dict[str, str]:
    """Every word of the form and poster in `language`: Hungarian from this module, else
    Romanian or English from the site's catalogue, whatever language is active."""
    if language == "hu":
        return dict(HUNGARIAN)
    with translation.override(language):
        return {key: str(value) for key, value in TEXTS.items()}
