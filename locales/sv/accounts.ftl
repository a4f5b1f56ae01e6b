# Konton och inställningar.

accounts-card-title = Ditt konto
accounts-card-text =
    { $signed_in ->
        [yes] Välj språk och tidszon, ladda upp en profilbild och hantera dina API-nycklar.
       *[no] Skapa ett konto eller logga in, välj språk och tidszon och ladda upp en profilbild.
    }

field-username = Användarnamn
field-email = E-postadress
field-password = Lösenord
field-password2 = Lösenord (igen)
field-login = Användarnamn eller e-postadress
field-required = Det här fältet är obligatoriskt.

signup-title = Skapa ett konto
signup-submit = Skapa konto
signup-have-account = Har du redan ett konto?
signup-welcome = Välkommen! Ditt konto har skapats och du är inloggad.
password-hint = Minst { $min } tecken. Undvik vanliga lösenord.

login-title = Logga in
login-submit = Logga in
login-no-account = Har du inget konto än?
login-failed = Användarnamnet eller lösenordet är fel.

username-too-long = Användarnamnet får vara högst { $max } tecken långt.
username-invalid = Användarnamnet får inte innehålla styrtecken.
username-no-at = Användarnamnet får inte innehålla ”@”. E-postadressen har ett eget fält, och du kan logga in med vilken som helst av dem.
username-taken = Användarnamnet är redan upptaget.
email-invalid = Ange en giltig e-postadress.
email-taken = Det finns redan ett konto med den här e-postadressen.
password-too-short = Lösenordet måste vara minst { $min } tecken långt.
password-too-long = Lösenordet får vara högst { $max } tecken långt.
password-too-common = Lösenordet är för vanligt. Välj ett som är svårare att gissa.
password-like-username = Lösenordet liknar användarnamnet eller e-postadressen för mycket.
password-mismatch = Lösenorden stämmer inte överens.
password-current-wrong = Det nuvarande lösenordet är fel.
password-change-title = Byt lösenord
password-change-intro = När du byter lösenord loggas du ut överallt annars och alla dina API-token återkallas.
password-current = Nuvarande lösenord
password-new = Nytt lösenord
password-new2 = Upprepa det nya lösenordet
password-change-submit = Byt lösenord
password-changed = Ditt lösenord har bytts. Andra sessioner avslutade: { $sessions }; API-token återkallade: { $tokens }.
email-change-title = Byt e-postadress
email-now = Din nuvarande adress: { $email }
email-new = Ny e-postadress
email-change-submit = Byt e-postadress
email-changed = Din e-postadress är nu { $email }.
security-account-heading = Ditt konto
account-data-title = Dina uppgifter
account-export-title = Ladda ned dina uppgifter
account-export-intro = En JSON-fil med din profil och dina inställningar, dina API-token (utan hemligheterna), sidorna du har lagt till och dina prognoser med värdena du angav.
account-export-submit = Ladda ned (JSON)
account-delete-title = Ta bort ditt konto
account-delete-intro = Ditt konto, dess sessioner, API-token, inställningar och avatar tas bort direkt, överallt. Det går inte att ångra.
account-delete-pages = { $who ->
    [admin] { $count ->
        [one] Sidan användaren lade till finns kvar för alla, utan namn.
       *[other] De { $count } sidorna användaren lade till finns kvar för alla, utan namn.
    }
   *[owner] { $count ->
        [one] Sidan du lade till finns kvar för alla, utan ditt namn.
       *[other] De { $count } sidorna du lade till finns kvar för alla, utan ditt namn.
    }
}
account-delete-prognoses = { $who ->
    [admin] { $count ->
        [one] Användarens prognos tas bort.
       *[other] Användarens { $count } prognoser tas bort.
    }
   *[owner] { $count ->
        [one] Din prognos tas bort.
       *[other] Dina { $count } prognoser tas bort.
    }
}
account-delete-submit = Ta bort mitt konto för gott
account-deleted = Ditt konto har tagits bort.
account-delete-last-admin = Du är den enda administratören. Gör någon annan till administratör först.

profile-title = Profil
profile-language = Språk
profile-timezone = Tidszon
profile-member-since = Medlem sedan
profile-last-login = Senaste inloggning

preferences-title = Inställningar
preferences-language = Språk
preferences-language-auto = Automatiskt (från din webbläsare)
preferences-timezone = Tidszon
preferences-timezone-placeholder = t.ex. Europe/Stockholm
preferences-timezone-help = Börja skriva för att söka bland alla tidszoner. Lämna tomt för UTC.
preferences-saved = Dina inställningar har sparats.
language-unknown = Välj ett av de tillgängliga språken.
timezone-unknown = Det här är ingen känd tidszon. Välj en i listan, till exempel Europe/Paris.

avatar-title = Profilbild
avatar-alt = Profilbild
avatar-choose = Välj en bild
avatar-help = PNG, JPEG, WebP eller GIF, högst 2 MB. Bilden beskärs till en kvadrat.
avatar-upload = Ladda upp
avatar-remove = Ta bort profilbild
avatar-saved = Din nya profilbild har sparats.
avatar-rate-limited = Du har bytt profilbild för många gånger. Försök igen om { $minutes } minuter.
avatar-removed = Din profilbild har tagits bort.

admin-users = Användare
admin-users-role = Roll
admin-users-admin = Administratör

# Säkerhetssidan: API-token och sessioner.
security-title = Säkerhet
security-tokens-heading = API-token
security-tokens-intro = Med token kan appar och skript använda API:t som du. Återkalla de som du inte längre använder eller som kan ha läckt.
security-token-created = Din nya token visas bara den här gången: kopiera den nu.
security-tokens-none = Du har inga API-token.
security-token-name = Namn
security-token-unnamed = (inget namn)
security-token-created-at = Skapad
security-token-scope = Åtkomst
security-scope-read = Endast läsning
security-scope-full = Full åtkomst
security-token-last-used = Senast använd
security-token-never-used = Aldrig
security-token-expires = Upphör
security-token-revoke = Återkalla
security-tokens-revoke-all = Återkalla alla token
security-token-new-heading = Ny token
security-token-days = Giltig (dagar)
security-token-days-help = { $max ->
    [one] Högst en dag.
   *[other] Högst { $max } dagar.
}
security-token-create = Skapa token
security-token-revoked = Token har återkallats.
security-token-unknown = Den token finns inte (längre).
security-tokens-revoked = { $count ->
    [one] En token har återkallats.
   *[other] { $count } token har återkallats.
}
security-sessions-heading = Sessioner
security-sessions-count = { $count ->
    [one] Du är inloggad på ett ställe (här).
   *[other] Du är inloggad på { $count } ställen, det här inräknat.
}
security-keep-current = Förbli inloggad här
security-revoke-tokens-too = Återkalla även alla API-token
security-logout-everywhere = Logga ut överallt
security-logged-out-everywhere = Utloggad överallt: { $sessions } sessioner avslutade, { $tokens } token återkallade.
token-name-invalid = Använd högst 100 tecken och inga styrtecken.
token-scope-invalid = Välj endast läsning eller full åtkomst.
token-days-invalid = Ange ett antal dagar, minst 1.

# Admin user management.
login-disabled = Det här kontot har inaktiverats. En administratör kan aktivera det igen.
admin-users-search = Användarnamn eller e-postadress innehåller
admin-users-search-submit = Sök
admin-users-none = Inget konto matchar.
admin-users-actions = Åtgärder
admin-users-disabled = Inaktiverat
admin-users-promote = Gör till administratör
admin-users-demote = Ta bort administratörsrättigheter
admin-users-disable = Inaktivera
admin-users-enable = Aktivera
admin-users-delete = Ta bort…
admin-user-promoted = { $username } är nu administratör.
admin-user-demoted = { $username } är inte längre administratör.
admin-user-disabled = { $username } är inaktiverat: utloggat överallt, API-token återkallade.
admin-user-enabled = { $username } kan logga in igen.
admin-user-deleted = Kontot för { $username } har tagits bort.
admin-user-not-found = Det kontot finns inte (längre).
admin-user-last-admin = Det här är den enda administratören som kan logga in. Gör någon annan till administratör först.
admin-user-bad-action = Den åtgärden förstås inte.
admin-user-delete-title = Ta bort ett konto
admin-user-delete-intro = Kontot, dess sessioner, API-token, inställningar och avatar tas bort direkt, överallt. Det går inte att ångra.
admin-user-delete-submit = Ta bort kontot för gott
admin-user-delete-cancel = Avbryt

# Password reset by e-mail.
reset-forgot-link = Glömt lösenordet?
reset-title = Återställ ditt lösenord
reset-intro = Ange e-postadressen till ditt konto, så skickar vi en länk där du kan välja ett nytt lösenord.
reset-submit = Skicka länken
reset-sent = Om det finns ett konto med adressen { $email } är en länk för att välja ett nytt lösenord på väg dit. Den fungerar en gång, i { $minutes } minuter.
reset-no-mail = Den här HUD-installationen kan inte skicka e-post. En administratör kan hjälpa till: länken finns i serverns logg.
reset-back-to-login = Tillbaka till inloggningen
reset-email-invalid = Ange e-postadressen till ditt konto, till exempel anna@exempel.se.
reset-new-title = Välj ett nytt lösenord
reset-new-submit = Spara det nya lösenordet
reset-link-invalid = Den här länken fungerar inte (längre): den har gått ut eller redan använts. Be om en ny.
reset-ask-again = Be om en ny länk
reset-done = Ditt nya lösenord är sparat och du har loggats ut överallt. Logga in med det.
reset-mail-subject = Återställ ditt HUD-lösenord
reset-mail-greeting = Hej { $username }!
reset-mail-body = Någon (förhoppningsvis du) har bett om att återställa lösenordet till ditt HUD-konto. Öppna den här länken för att välja ett nytt lösenord:
reset-mail-action = Välj ett nytt lösenord
reset-mail-expiry = Länken fungerar en gång, i { $minutes } minuter.
reset-mail-ignore = Om du inte bad om detta kan du strunta i det här meddelandet: ditt lösenord förblir som det är.
