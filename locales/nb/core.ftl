# Felles for alle sider: oppsett, navigasjon, datoer, feilsider.

app-name = HUD
skip-to-content = Hopp til innholdet
nav-label = Hovednavigasjon
nav-toggle = Vis/skjul navigasjon
breadcrumb-label = Brødsmulesti
nav-admin = Admin
nav-language = Språk
color-mode = Fargemodus
color-mode-auto = Automatisk (som enheten)
color-mode-light = Lys
color-mode-dark = Mørk
nav-profile = Profil
nav-preferences = Innstillinger
nav-security = Sikkerhet
nav-logout = Logg ut
nav-login = Logg inn
nav-signup = Registrer deg
close = Lukk
save = Lagre
cancel = Avbryt
edit = Rediger
pagination = Sider
pagination-previous = Forrige
pagination-next = Neste
footer-tagline = HUD — nettsider, ordskyer og søk
footer-api = API
footer-timezone = Tider i { $zone }

# chrono-formatmønstre: %-d dag, %B månedsnavn, %Y år, %H:%M klokkeslett, %Z forkortelse for tidssone.
datetime-format = %-d. %B %Y kl. %H:%M %Z
date-format = %-d. %B %Y
first-day-of-month = 1
# Etiketter på diagrammenes tidsakse, etter avstanden mellom strekene (%S sekunder, %b kort månedsnavn).
axis-seconds-format = %H:%M:%S
axis-minutes-format = %H:%M
axis-days-format = %-d. %b
axis-months-format = %b %Y
axis-years-format = %Y

error-home = Tilbake til forsiden
error-csrf = Skjemaet er utløpt eller ble sendt fra et annet nettsted. Gå tilbake, last inn siden på nytt og prøv igjen.
error-rate-limited = { $minutes ->
    [one] For mange forsøk. Vent et minutt og prøv igjen.
   *[other] For mange forsøk. Vent { $minutes } minutter og prøv igjen.
}
error-400-title = Ugyldig forespørsel
error-400-detail = Forespørselen kunne ikke tolkes.
error-401-title = Ikke logget inn
error-401-detail = Logg inn: et gyldig token eller en gyldig økt kreves.
error-403-title = Ingen tilgang
error-403-detail = Du har ikke tilgang til denne siden.
error-404-title = Fant ikke siden
error-404-detail = Siden du leter etter, finnes ikke eller er flyttet.
error-405-title = Metoden er ikke tillatt
error-405-detail = Denne adressen godtar ikke den typen forespørsel.
error-408-title = Tidsavbrudd
error-408-detail = Forespørselen tok for lang tid. Prøv igjen.
error-413-title = For stor
error-413-detail = Det du sendte, er større enn tillatt.
error-415-title = Innholdstypen støttes ikke
error-415-detail = Innholdet i forespørselen har et format som denne adressen ikke godtar.
error-422-title = Ugyldige data
error-422-detail = Noe av det du sendte, er ikke gyldig.
error-429-title = For mange forespørsler
error-429-detail = Du sender forespørsler for raskt. Vent litt og prøv igjen.
error-4xx-title = Forespørselen mislyktes
error-4xx-detail = Forespørselen kunne ikke fullføres.
error-500-title = Noe gikk galt
error-500-detail = Det oppstod en uventet feil hos oss. Feilen er logget; prøv igjen senere.
error-503-title = Midlertidig utilgjengelig
error-503-detail = Tjenesten er midlertidig utilgjengelig. Prøv igjen om et øyeblikk.
api-json-syntax = Innholdet er ikke gyldig JSON (linje { $line }, kolonne { $column }).
api-body-unreadable = Innholdet i forespørselen kunne ikke leses.
api-field-missing = Dette feltet er påkrevd.
api-field-invalid = Verdien har feil type eller er ikke tillatt her.
api-body-not-object = Innholdet må være et JSON-objekt.
api-text-nul = Tekst kan ikke inneholde NUL-tegnet.

## Uploaded images (avatars, captchas)
image-empty = Velg en bildefil å laste opp.
image-too-large = Bildet er større enn { $max } MB.
image-unsupported = Denne filtypen støttes ikke. Bruk PNG, JPEG, WebP eller GIF.
image-too-many-pixels = Bildet er for stort: maks { $max } piksler bredt og høyt.
image-too-many-megapixels = Bildet har for mange piksler: maks { $max } megapiksler. Last opp et mindre bilde.
image-corrupt = Bildet kunne ikke leses. Det kan være skadet.
upload-failed = Opplastingen kom ikke helt fram. Prøv igjen.
