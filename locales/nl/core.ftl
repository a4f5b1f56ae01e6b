# Gedeeld door elke pagina: opmaak, navigatie, datums, foutpagina's.

app-name = HUD
skip-to-content = Naar de inhoud
nav-label = Hoofdnavigatie
nav-toggle = Navigatie in-/uitklappen
breadcrumb-label = Kruimelpad
nav-admin = Beheer
nav-language = Taal
color-mode = Kleurmodus
color-mode-auto = Automatisch (zoals je apparaat)
color-mode-light = Licht
color-mode-dark = Donker
nav-profile = Profiel
nav-preferences = Voorkeuren
nav-security = Beveiliging
nav-logout = Uitloggen
nav-login = Inloggen
nav-signup = Registreren
close = Sluiten
save = Opslaan
cancel = Annuleren
edit = Bewerken
pagination = Pagina's
pagination-previous = Vorige
pagination-next = Volgende
footer-tagline = HUD — webpagina's, woordwolken en zoeken
footer-api = API
footer-timezone = Tijden in { $zone }

# chrono-opmaakpatronen: %-d dag, %B naam van de maand, %Y jaar, %H:%M tijd, %Z afkorting van de tijdzone.
datetime-format = %-d %B %Y, %H:%M %Z
date-format = %-d %B %Y
first-day-of-month = 1
# Labels van de tijdas van grafieken, naar de afstand tussen de streepjes (%S seconden, %b korte naam van de maand).
axis-seconds-format = %H:%M:%S
axis-minutes-format = %H:%M
axis-days-format = %-d %b
axis-months-format = %b %Y
axis-years-format = %Y

error-home = Terug naar de startpagina
error-csrf = Het formulier is verlopen of vanaf een andere site verstuurd. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-rate-limited = { $minutes ->
    [one] Te veel pogingen. Wacht een minuut en probeer het dan opnieuw.
   *[other] Te veel pogingen. Wacht { $minutes } minuten en probeer het dan opnieuw.
}
error-400-title = Ongeldig verzoek
error-400-detail = Het verzoek kon niet worden begrepen.
error-401-title = Niet ingelogd
error-401-detail = Log in: een geldig token of een geldige sessie is vereist.
error-403-title = Geen toegang
error-403-detail = Je hebt geen toestemming om deze pagina te bekijken.
error-404-title = Pagina niet gevonden
error-404-detail = De pagina die je zoekt bestaat niet of is verplaatst.
error-405-title = Methode niet toegestaan
error-405-detail = Dit adres accepteert dit soort verzoeken niet.
error-408-title = Time-out van verzoek
error-408-detail = Het verzoek duurde te lang. Probeer het opnieuw.
error-413-title = Te groot
error-413-detail = Wat je hebt verstuurd, is groter dan toegestaan.
error-415-title = Inhoudstype niet ondersteund
error-415-detail = De inhoud van het verzoek heeft een indeling die dit adres niet accepteert.
error-422-title = Ongeldige invoer
error-422-detail = Een deel van de gegevens die je hebt verstuurd, is ongeldig.
error-429-title = Te veel verzoeken
error-429-detail = Je verstuurt te snel verzoeken. Wacht even en probeer het dan opnieuw.
error-4xx-title = Verzoek mislukt
error-4xx-detail = Het verzoek kon niet worden voltooid.
error-500-title = Er ging iets mis
error-500-detail = Er is aan onze kant een onverwachte fout opgetreden. De fout is vastgelegd; probeer het later opnieuw.
error-503-title = Tijdelijk niet beschikbaar
error-503-detail = De dienst is tijdelijk niet beschikbaar. Probeer het zo meteen opnieuw.
api-json-syntax = De inhoud is geen geldige JSON (regel { $line }, kolom { $column }).
api-body-unreadable = De inhoud van het verzoek kon niet worden gelezen.
api-field-missing = Dit veld is verplicht.
api-field-invalid = Deze waarde heeft het verkeerde type of is hier niet toegestaan.
api-body-not-object = De inhoud moet een JSON-object zijn.
api-text-nul = Tekst mag het NUL-teken niet bevatten.

## Uploaded images (avatars, captchas)
image-empty = Kies een afbeeldingsbestand om te uploaden.
image-too-large = De afbeelding is groter dan { $max } MB.
image-unsupported = Dit bestandstype wordt niet ondersteund. Gebruik PNG, JPEG, WebP of GIF.
image-too-many-pixels = De afbeelding is te groot: maximaal { $max } pixels breed en hoog.
image-too-many-megapixels = De afbeelding heeft te veel pixels: maximaal { $max } megapixel. Upload een kleinere afbeelding.
image-corrupt = De afbeelding kon niet worden gelezen. Mogelijk is het bestand beschadigd.
upload-failed = De upload is niet volledig aangekomen. Probeer het opnieuw.
