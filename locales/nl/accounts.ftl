# Accounts en voorkeuren.

accounts-card-title = Je account
accounts-card-text =
    { $signed_in ->
        [yes] Kies je taal en tijdzone, upload een avatar en beheer je API-tokens.
       *[no] Registreer of log in, kies je taal en tijdzone, en upload een avatar.
    }

field-username = Gebruikersnaam
field-email = E-mailadres
field-password = Wachtwoord
field-password2 = Wachtwoord (herhalen)
field-login = Gebruikersnaam of e-mailadres
field-required = Dit veld is verplicht.

signup-title = Account aanmaken
signup-submit = Registreren
signup-have-account = Heb je al een account?
signup-welcome = Welkom! Je account is aangemaakt en je bent ingelogd.
password-hint = Minimaal { $min } tekens. Vermijd veelgebruikte wachtwoorden.

login-title = Inloggen
login-submit = Inloggen
login-no-account = Nog geen account?
login-failed = De gebruikersnaam of het wachtwoord is onjuist.

username-too-long = De gebruikersnaam mag maximaal { $max } tekens bevatten.
username-invalid = De gebruikersnaam mag geen stuurtekens bevatten.
username-no-at = De gebruikersnaam mag geen ‘@’ bevatten. Je e-mailadres vul je in het eigen veld in; je kunt met allebei inloggen.
username-taken = Deze gebruikersnaam is al in gebruik.
email-invalid = Voer een geldig e-mailadres in.
email-taken = Er bestaat al een account met dit e-mailadres.
password-too-short = Het wachtwoord moet minimaal { $min } tekens bevatten.
password-too-long = Het wachtwoord mag maximaal { $max } tekens bevatten.
password-too-common = Dit wachtwoord komt te vaak voor. Kies een wachtwoord dat moeilijker te raden is.
password-like-username = Het wachtwoord lijkt te veel op de gebruikersnaam of het e-mailadres.
password-mismatch = De twee wachtwoorden komen niet overeen.
password-current-wrong = Het huidige wachtwoord klopt niet.
password-change-title = Wachtwoord wijzigen
password-change-intro = Als je je wachtwoord wijzigt, word je overal elders uitgelogd en worden al je API-tokens ingetrokken.
password-current = Huidig wachtwoord
password-new = Nieuw wachtwoord
password-new2 = Herhaal het nieuwe wachtwoord
password-change-submit = Wachtwoord wijzigen
password-changed = Je wachtwoord is gewijzigd. Andere sessies beëindigd: { $sessions }; API-tokens ingetrokken: { $tokens }.
email-change-title = E-mailadres wijzigen
email-now = Je huidige adres: { $email }
email-new = Nieuw e-mailadres
email-change-submit = E-mailadres wijzigen
email-changed = Je e-mailadres is nu { $email }.
security-account-heading = Je account
account-data-title = Je gegevens
account-export-title = Je gegevens downloaden
account-export-intro = Eén JSON-bestand met je profiel en voorkeuren, je API-tokens (zonder geheimen), de pagina's die je hebt toegevoegd en je prognoses met de ingevoerde waarden.
account-export-submit = Downloaden (JSON)
account-delete-title = Je account verwijderen
account-delete-intro = Je account, de sessies, API-tokens, voorkeuren en avatar worden meteen overal verwijderd. Dit kan niet ongedaan worden gemaakt.
account-delete-pages = { $who ->
    [admin] { $count ->
        [one] De pagina die deze gebruiker heeft toegevoegd, blijft voor iedereen bestaan, zonder naam.
       *[other] De { $count } pagina's die deze gebruiker heeft toegevoegd, blijven voor iedereen bestaan, zonder naam.
    }
   *[owner] { $count ->
        [one] De pagina die je hebt toegevoegd, blijft voor iedereen bestaan, zonder je naam.
       *[other] De { $count } pagina's die je hebt toegevoegd, blijven voor iedereen bestaan, zonder je naam.
    }
}
account-delete-prognoses = { $who ->
    [admin] { $count ->
        [one] De prognose van deze gebruiker wordt verwijderd.
       *[other] De { $count } prognoses van deze gebruiker worden verwijderd.
    }
   *[owner] { $count ->
        [one] Je prognose wordt verwijderd.
       *[other] Je { $count } prognoses worden verwijderd.
    }
}
account-delete-submit = Mijn account definitief verwijderen
account-deleted = Je account is verwijderd.
account-delete-last-admin = Je bent de enige beheerder. Maak eerst iemand anders beheerder.

profile-title = Profiel
profile-language = Taal
profile-timezone = Tijdzone
profile-member-since = Lid sinds
profile-last-login = Laatst ingelogd

preferences-title = Voorkeuren
preferences-language = Taal
preferences-language-auto = Automatisch (volgens je browser)
preferences-timezone = Tijdzone
preferences-timezone-placeholder = bijv. Europe/Amsterdam
preferences-timezone-help = Begin te typen om alle tijdzones te doorzoeken. Laat leeg voor UTC.
preferences-saved = Je voorkeuren zijn opgeslagen.
language-unknown = Kies een van de aangeboden talen.
timezone-unknown = Dit is geen bekende tijdzone. Kies er een uit de lijst, zoals Europe/Paris.

avatar-title = Avatar
avatar-alt = Avatar
avatar-choose = Kies een afbeelding
avatar-help = PNG, JPEG, WebP of GIF, maximaal 2 MB. De afbeelding wordt vierkant bijgesneden.
avatar-upload = Uploaden
avatar-remove = Avatar verwijderen
avatar-saved = Je nieuwe avatar is opgeslagen.
avatar-rate-limited = Je hebt je avatar te vaak gewijzigd. Probeer het over { $minutes } minuten opnieuw.
avatar-removed = Je avatar is verwijderd.

admin-users = Gebruikers
admin-users-role = Rol
admin-users-admin = Beheerder

# De beveiligingspagina: API-tokens en sessies.
security-title = Beveiliging
security-tokens-heading = API-tokens
security-tokens-intro = Met tokens gebruiken apps en scripts de API namens jou. Trek tokens in die je niet meer gebruikt of die uitgelekt kunnen zijn.
security-token-created = Je nieuwe token wordt alleen nu getoond: kopieer hem meteen.
security-tokens-none = Je hebt geen API-tokens.
security-token-name = Naam
security-token-unnamed = (geen naam)
security-token-created-at = Aangemaakt
security-token-scope = Toegang
security-scope-read = Alleen lezen
security-scope-full = Volledige toegang
security-token-last-used = Laatst gebruikt
security-token-never-used = Nooit
security-token-expires = Verloopt
security-token-revoke = Intrekken
security-tokens-revoke-all = Alle tokens intrekken
security-token-new-heading = Nieuwe token
security-token-days = Geldig (dagen)
security-token-days-help = { $max ->
    [one] Hoogstens één dag.
   *[other] Hoogstens { $max } dagen.
}
security-token-create = Token aanmaken
security-token-revoked = De token is ingetrokken.
security-token-unknown = Die token bestaat niet (meer).
security-tokens-revoked = { $count ->
    [one] Eén token is ingetrokken.
   *[other] { $count } tokens zijn ingetrokken.
}
security-sessions-heading = Sessies
security-sessions-count = { $count ->
    [one] Je bent op één plek ingelogd (hier).
   *[other] Je bent op { $count } plekken ingelogd, deze meegerekend.
}
security-keep-current = Hier ingelogd blijven
security-revoke-tokens-too = Ook alle API-tokens intrekken
security-logout-everywhere = Overal uitloggen
security-logged-out-everywhere = Overal uitgelogd: { $sessions } sessies beëindigd, { $tokens } tokens ingetrokken.
token-name-invalid = Gebruik hoogstens 100 tekens en geen stuurtekens.
token-scope-invalid = Kies alleen lezen of volledige toegang.
token-days-invalid = Vul een aantal dagen van minstens 1 in.

# Admin user management.
login-disabled = Dit account is uitgeschakeld. Een beheerder kan het weer inschakelen.
admin-users-search = Gebruikersnaam of e-mailadres bevat
admin-users-search-submit = Zoeken
admin-users-none = Geen enkel account komt overeen.
admin-users-actions = Acties
admin-users-disabled = Uitgeschakeld
admin-users-promote = Beheerder maken
admin-users-demote = Beheerdersrechten intrekken
admin-users-disable = Uitschakelen
admin-users-enable = Inschakelen
admin-users-delete = Verwijderen…
admin-user-promoted = { $username } is nu beheerder.
admin-user-demoted = { $username } is geen beheerder meer.
admin-user-disabled = { $username } is uitgeschakeld: overal uitgelogd, API-tokens ingetrokken.
admin-user-enabled = { $username } kan weer inloggen.
admin-user-deleted = Het account van { $username } is verwijderd.
admin-user-not-found = Dat account bestaat niet (meer).
admin-user-last-admin = Dit is de enige beheerder die kan inloggen. Maak eerst iemand anders beheerder.
admin-user-bad-action = Die actie wordt niet begrepen.
admin-user-delete-title = Een account verwijderen
admin-user-delete-intro = Het account, de sessies, API-tokens, voorkeuren en avatar worden meteen overal verwijderd. Dit kan niet ongedaan worden gemaakt.
admin-user-delete-submit = Dit account definitief verwijderen
admin-user-delete-cancel = Annuleren

# Password reset by e-mail.
reset-forgot-link = Wachtwoord vergeten?
reset-title = Je wachtwoord opnieuw instellen
reset-intro = Vul het e-mailadres van je account in. We sturen je een link om een nieuw wachtwoord te kiezen.
reset-submit = Link versturen
reset-sent = Als er een account met het adres { $email } bestaat, is er een link onderweg om een nieuw wachtwoord te kiezen. De link werkt één keer, { $minutes } minuten lang.
reset-no-mail = Deze HUD kan geen e-mail versturen. Een beheerder kan helpen: die vindt de link in het logboek van de server.
reset-back-to-login = Terug naar inloggen
reset-email-invalid = Vul het e-mailadres van je account in, bijvoorbeeld anna@voorbeeld.nl.
reset-new-title = Kies een nieuw wachtwoord
reset-new-submit = Nieuw wachtwoord opslaan
reset-link-invalid = Deze link werkt niet (meer): hij is verlopen of al gebruikt. Vraag een nieuwe aan.
reset-ask-again = Nieuwe link aanvragen
reset-done = Je nieuwe wachtwoord is opgeslagen en je bent overal uitgelogd. Log ermee in.
reset-mail-subject = Je HUD-wachtwoord opnieuw instellen
reset-mail-greeting = Hallo { $username },
reset-mail-body = iemand (hopelijk jij) heeft gevraagd het wachtwoord van je HUD-account opnieuw in te stellen. Open deze link om een nieuw wachtwoord te kiezen:
reset-mail-action = Nieuw wachtwoord kiezen
reset-mail-expiry = De link werkt één keer, { $minutes } minuten lang.
reset-mail-ignore = Heb je hier niet om gevraagd? Dan kun je deze e-mail negeren: je wachtwoord blijft zoals het is.
