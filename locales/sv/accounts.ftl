# Konton och inställningar.

accounts-card-title = Ditt konto
accounts-card-text = Skapa ett konto eller logga in, välj språk och tidszon och ladda upp en profilbild.

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
