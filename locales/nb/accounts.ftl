# Kontoer og innstillinger.

accounts-card-title = Kontoen din
accounts-card-text =
    { $signed_in ->
        [yes] Velg språk og tidssone, last opp et profilbilde og administrer API-nøklene dine.
       *[no] Registrer deg eller logg inn, velg språk og tidssone, og last opp et profilbilde.
    }

field-username = Brukernavn
field-email = E-postadresse
field-password = Passord
field-password2 = Passord (igjen)
field-login = Brukernavn eller e-postadresse
field-required = Dette feltet må fylles ut.

signup-title = Opprett en konto
signup-submit = Registrer deg
signup-have-account = Har du allerede en konto?
signup-welcome = Velkommen! Kontoen din er opprettet, og du er logget inn.
password-hint = Minst { $min } tegn. Unngå vanlige passord.

login-title = Logg inn
login-submit = Logg inn
login-no-account = Har du ikke konto ennå?
login-failed = Brukernavnet eller passordet er feil.

username-too-long = Brukernavnet kan ikke ha mer enn { $max } tegn.
username-invalid = Brukernavnet kan ikke inneholde kontrolltegn.
username-no-at = Brukernavnet kan ikke inneholde «@». E-postadressen har et eget felt, og du kan logge inn med begge.
username-taken = Dette brukernavnet er allerede tatt.
email-invalid = Skriv inn en gyldig e-postadresse.
email-taken = Det finnes allerede en konto med denne e-postadressen.
password-too-short = Passordet må ha minst { $min } tegn.
password-too-long = Passordet kan ikke ha mer enn { $max } tegn.
password-too-common = Dette passordet er for vanlig. Velg et som er vanskeligere å gjette.
password-like-username = Passordet ligner for mye på brukernavnet eller e-postadressen.
password-mismatch = Passordene er ikke like.
password-current-wrong = Det nåværende passordet er feil.
password-change-title = Bytt passord
password-change-intro = Når du bytter passord, blir du logget ut alle andre steder, og alle API-tokenene dine trekkes tilbake.
password-current = Nåværende passord
password-new = Nytt passord
password-new2 = Gjenta det nye passordet
password-change-submit = Bytt passord
password-changed = Passordet ditt er byttet. Andre økter avsluttet: { $sessions }; API-tokener trukket tilbake: { $tokens }.
email-change-title = Bytt e-postadresse
email-now = Adressen din nå: { $email }
email-new = Ny e-postadresse
email-change-submit = Bytt e-postadresse
email-changed = E-postadressen din er nå { $email }.
security-account-heading = Kontoen din
account-data-title = Dataene dine
account-export-title = Last ned dataene dine
account-export-intro = Én JSON-fil med profilen og innstillingene dine, API-tokenene dine (uten hemmelighetene), sidene du har lagt til og prognosene dine med verdiene du skrev inn.
account-export-submit = Last ned (JSON)
account-delete-title = Slett kontoen din
account-delete-intro = Kontoen din, øktene, API-tokenene, innstillingene og avataren slettes med en gang, overalt. Dette kan ikke angres.
account-delete-pages = { $who ->
    [admin] { $count ->
        [one] Siden brukeren la til, blir værende for alle, uten navn.
       *[other] De { $count } sidene brukeren la til, blir værende for alle, uten navn.
    }
   *[owner] { $count ->
        [one] Siden du la til, blir værende for alle, uten navnet ditt.
       *[other] De { $count } sidene du la til, blir værende for alle, uten navnet ditt.
    }
}
account-delete-prognoses = { $who ->
    [admin] { $count ->
        [one] Brukerens prognose slettes.
       *[other] Brukerens { $count } prognoser slettes.
    }
   *[owner] { $count ->
        [one] Prognosen din slettes.
       *[other] De { $count } prognosene dine slettes.
    }
}
account-delete-submit = Slett kontoen min for godt
account-deleted = Kontoen din er slettet.
account-delete-last-admin = Du er den eneste administratoren. Gjør noen andre til administrator først.

profile-title = Profil
profile-language = Språk
profile-timezone = Tidssone
profile-member-since = Medlem siden
profile-last-login = Siste innlogging

preferences-title = Innstillinger
preferences-language = Språk
preferences-language-auto = Automatisk (fra nettleseren din)
preferences-timezone = Tidssone
preferences-timezone-placeholder = f.eks. Europe/Oslo
preferences-timezone-help = Begynn å skrive for å søke blant alle tidssoner. La feltet stå tomt for UTC.
preferences-saved = Innstillingene dine er lagret.
language-unknown = Velg et av de tilgjengelige språkene.
timezone-unknown = Dette er ikke en kjent tidssone. Velg en fra listen, for eksempel Europe/Paris.

avatar-title = Profilbilde
avatar-alt = Profilbilde
avatar-choose = Velg et bilde
avatar-help = PNG, JPEG, WebP eller GIF, maks 2 MB. Bildet beskjæres til et kvadrat.
avatar-upload = Last opp
avatar-remove = Fjern profilbildet
avatar-saved = Det nye profilbildet ditt er lagret.
avatar-rate-limited = Du har byttet profilbilde for mange ganger. Prøv igjen om { $minutes } minutter.
avatar-removed = Profilbildet ditt er fjernet.

admin-users = Brukere
admin-users-role = Rolle
admin-users-admin = Administrator

# Sikkerhetssiden: API-tokener og økter.
security-title = Sikkerhet
security-tokens-heading = API-tokener
security-tokens-intro = Med tokener kan apper og skript bruke API-et som deg. Trekk tilbake dem du ikke lenger bruker, eller som kan ha lekket.
security-token-created = Den nye tokenen din vises bare denne ene gangen: kopier den nå.
security-tokens-none = Du har ingen API-tokener.
security-token-name = Navn
security-token-unnamed = (uten navn)
security-token-created-at = Opprettet
security-token-scope = Tilgang
security-scope-read = Bare lesing
security-scope-full = Full tilgang
security-token-last-used = Sist brukt
security-token-never-used = Aldri
security-token-expires = Utløper
security-token-revoke = Trekk tilbake
security-tokens-revoke-all = Trekk tilbake alle tokener
security-token-new-heading = Ny token
security-token-days = Gyldig (dager)
security-token-days-help = { $max ->
    [one] Høyst én dag.
   *[other] Høyst { $max } dager.
}
security-token-create = Opprett token
security-token-revoked = Tokenen er trukket tilbake.
security-token-unknown = Den tokenen finnes ikke (lenger).
security-tokens-revoked = { $count ->
    [one] Én token er trukket tilbake.
   *[other] { $count } tokener er trukket tilbake.
}
security-sessions-heading = Økter
security-sessions-count = { $count ->
    [one] Du er logget inn på ett sted (her).
   *[other] Du er logget inn på { $count } steder, medregnet dette.
}
security-keep-current = Forbli innlogget her
security-revoke-tokens-too = Trekk også tilbake alle API-tokener
security-logout-everywhere = Logg ut overalt
security-logged-out-everywhere = Logget ut overalt: { $sessions } økter avsluttet, { $tokens } tokener trukket tilbake.
token-name-invalid = Bruk høyst 100 tegn og ingen kontrolltegn.
token-scope-invalid = Velg bare lesing eller full tilgang.
token-days-invalid = Skriv inn et antall dager, minst 1.

# Admin user management.
login-disabled = Denne kontoen er deaktivert. En administrator kan aktivere den igjen.
admin-users-search = Brukernavn eller e-postadresse inneholder
admin-users-search-submit = Søk
admin-users-none = Ingen kontoer passer.
admin-users-actions = Handlinger
admin-users-disabled = Deaktivert
admin-users-promote = Gjør til administrator
admin-users-demote = Fjern administratorrettigheter
admin-users-disable = Deaktiver
admin-users-enable = Aktiver
admin-users-delete = Slett…
admin-user-promoted = { $username } er nå administrator.
admin-user-demoted = { $username } er ikke lenger administrator.
admin-user-disabled = { $username } er deaktivert: logget ut overalt, API-tokener tilbakekalt.
admin-user-enabled = { $username } kan logge inn igjen.
admin-user-deleted = Kontoen til { $username } er slettet.
admin-user-not-found = Den kontoen finnes ikke (lenger).
admin-user-last-admin = Dette er den eneste administratoren som kan logge inn. Gjør noen andre til administrator først.
admin-user-bad-action = Den handlingen forstås ikke.
admin-user-delete-title = Slett en konto
admin-user-delete-intro = Kontoen, øktene, API-tokenene, innstillingene og avataren slettes med en gang, overalt. Dette kan ikke angres.
admin-user-delete-submit = Slett denne kontoen for godt
admin-user-delete-cancel = Avbryt

# Password reset by e-mail.
reset-forgot-link = Glemt passordet?
reset-title = Tilbakestill passordet ditt
reset-intro = Skriv inn e-postadressen til kontoen din, så sender vi deg en lenke der du kan velge et nytt passord.
reset-submit = Send lenken
reset-sent = Hvis det finnes en konto med adressen { $email }, er en lenke for å velge nytt passord på vei dit. Den virker én gang, i { $minutes } minutter.
reset-no-mail = Denne HUD-installasjonen kan ikke sende e-post. En administrator kan hjelpe: lenken står i serverens logg.
reset-back-to-login = Tilbake til innlogging
reset-email-invalid = Skriv inn e-postadressen til kontoen din, for eksempel kari@eksempel.no.
reset-new-title = Velg et nytt passord
reset-new-submit = Lagre det nye passordet
reset-link-invalid = Denne lenken virker ikke (lenger): den er utløpt eller allerede brukt. Be om en ny.
reset-ask-again = Be om en ny lenke
reset-done = Det nye passordet ditt er lagret, og du er logget ut overalt. Logg inn med det.
reset-mail-subject = Tilbakestill HUD-passordet ditt
reset-mail-greeting = Hei { $username }!
reset-mail-body = Noen (forhåpentligvis du) har bedt om å tilbakestille passordet til HUD-kontoen din. Åpne denne lenken for å velge et nytt passord:
reset-mail-action = Velg et nytt passord
reset-mail-expiry = Lenken virker én gang, i { $minutes } minutter.
reset-mail-ignore = Hvis du ikke ba om dette, kan du se bort fra denne e-posten: passordet ditt forblir som det er.
