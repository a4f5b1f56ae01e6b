# Delas av alla sidor: layout, navigering, datum, felsidor.

app-name = HUD
skip-to-content = Hoppa till innehållet
nav-label = Huvudnavigering
nav-toggle = Visa/dölj navigering
breadcrumb-label = Brödsmulor
nav-admin = Admin
nav-language = Språk
color-mode = Färgläge
color-mode-auto = Automatiskt (som enheten)
color-mode-light = Ljust
color-mode-dark = Mörkt
nav-profile = Profil
nav-preferences = Inställningar
nav-security = Säkerhet
nav-logout = Logga ut
nav-login = Logga in
nav-signup = Skapa konto
close = Stäng
save = Spara
cancel = Avbryt
edit = Redigera
pagination = Sidor
pagination-previous = Föregående
pagination-next = Nästa
footer-tagline = HUD — webbsidor, ordmoln och sökning
footer-api = API
footer-timezone = Tider i { $zone }

# chrono-formatmönster: %-d dag, %B månadens namn, %Y år, %H:%M tid, %Z tidszonens förkortning.
datetime-format = %-d %B %Y kl. %H:%M %Z
date-format = %-d %B %Y
first-day-of-month = 1
# Etiketter på diagrammens tidsaxel, efter avståndet mellan strecken (%S sekunder, %b månadens korta namn).
axis-seconds-format = %H:%M:%S
axis-minutes-format = %H:%M
axis-days-format = %-d %b
axis-months-format = %b %Y
axis-years-format = %Y

error-home = Tillbaka till startsidan
error-csrf = Formuläret har gått ut eller skickades från en annan webbplats. Gå tillbaka, ladda om sidan och försök igen.
error-rate-limited = { $minutes ->
    [one] För många försök. Vänta en minut och försök igen.
   *[other] För många försök. Vänta { $minutes } minuter och försök igen.
}
error-400-title = Felaktig begäran
error-400-detail = Begäran kunde inte tolkas.
error-401-title = Inte inloggad
error-401-detail = Logga in: en giltig token eller session krävs.
error-403-title = Åtkomst nekad
error-403-detail = Du har inte behörighet att se den här sidan.
error-404-title = Sidan hittades inte
error-404-detail = Sidan du letar efter finns inte eller har flyttats.
error-405-title = Metoden tillåts inte
error-405-detail = Den här adressen tar inte emot den typen av begäran.
error-408-title = Tidsgränsen överskreds
error-408-detail = Begäran tog för lång tid. Försök igen.
error-413-title = För stor
error-413-detail = Det du skickade är större än vad som tillåts.
error-415-title = Innehållstypen stöds inte
error-415-detail = Begärans innehåll har ett format som den här adressen inte tar emot.
error-422-title = Ogiltiga uppgifter
error-422-detail = En del av uppgifterna du skickade är ogiltiga.
error-429-title = För många begäranden
error-429-detail = Du skickar begäranden för snabbt. Vänta en stund och försök igen.
error-4xx-title = Begäran misslyckades
error-4xx-detail = Begäran kunde inte slutföras.
error-500-title = Något gick fel
error-500-detail = Ett oväntat fel uppstod hos oss. Felet har loggats; försök igen senare.
error-503-title = Tillfälligt otillgänglig
error-503-detail = Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.
api-json-syntax = Innehållet är inte giltig JSON (rad { $line }, kolumn { $column }).
api-body-unreadable = Begärans innehåll kunde inte läsas.
api-field-missing = Det här fältet är obligatoriskt.
api-field-invalid = Värdet har fel typ eller är inte tillåtet här.
api-body-not-object = Innehållet måste vara ett JSON-objekt.
api-text-nul = Text får inte innehålla NUL-tecknet.

## Uploaded images (avatars, captchas)
image-empty = Välj en bildfil att ladda upp.
image-too-large = Bilden är större än { $max } MB.
image-unsupported = Filtypen stöds inte. Använd PNG, JPEG, WebP eller GIF.
image-too-many-pixels = Bilden är för stor: högst { $max } pixlar bred och hög.
image-too-many-megapixels = Bilden har för många pixlar: högst { $max } megapixlar. Ladda upp en mindre bild.
image-corrupt = Bilden kunde inte läsas. Den kan vara skadad.
upload-failed = Uppladdningen kom inte fram helt. Försök igen.
