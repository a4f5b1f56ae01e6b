# Woordwolken: pagina's, wolken, crawls.

nav-pages = Pagina's
pages-card-title = Woordwolken
pages-card-text = Registreer webpagina's; HUD leest ze een paar keer per dag en laat zien waar ze over gaan en hoe dat verandert.
pages-title = Pagina's
pages-empty = Nog geen pagina's.
page-add = Pagina toevoegen
page-add-login = Log in om een pagina toe te voegen
page-add-submit = Pagina toevoegen
page-added = De pagina is toegevoegd. De eerste crawl komt eraan.
page-exists = Deze pagina is al geregistreerd (pagina { $id }).
page-quota-reached = Je hebt { $max } pagina’s geregistreerd, het maximum voor één account. Verwijder een van je pagina’s om een nieuwe toe te voegen.
page-delete = Deze pagina verwijderen
page-delete-title = “{ $page }” verwijderen?
page-delete-consequences = { $crawls ->
    [0] Ze is nog niet gecrawld. Ze verdwijnt voor iedereen uit de lijst. Dit kan niet ongedaan worden gemaakt.
    [one] Haar opgeslagen crawl en alle wolken, trends en vergelijkingen die daaruit zijn gemaakt, worden voor iedereen verwijderd, en ze verdwijnt uit de zoekresultaten. Dit kan niet ongedaan worden gemaakt.
   *[other] Haar { $crawls } opgeslagen crawls en alle wolken, trends en vergelijkingen die daaruit zijn gemaakt, worden voor iedereen verwijderd, en ze verdwijnt uit de zoekresultaten. Dit kan niet ongedaan worden gemaakt.
}
page-delete-submit = Pagina verwijderen
page-deleted = “{ $page }” is verwijderd, met haar crawls.
page-inactive = gepauzeerd
page-never-crawled = Nog niet gecrawld.
field-url = Adres (URL)
field-page-title = Titel (optioneel)
field-page-title-help = Wordt getoond in plaats van de eigen titel van de pagina.
page-title-too-long = Hoogstens { $max } tekens.
page-title-invalid = De titel bevat tekens die niet getoond kunnen worden.
page-url-invalid = Dit is geen webadres. Voorbeeld: https://example.org/nieuws
page-url-scheme = Alleen http- en https-adressen kunnen gecrawld worden.
page-url-credentials = Adressen met een gebruikersnaam of wachtwoord kunnen niet geregistreerd worden.
page-url-too-long = Het adres is langer dan { $max } tekens.

cloud-title = Woordwolk van { $page }
cloud-word-count = { $word }: { $count ->
    [one] één keer
   *[other] { $count } keer
}
cloud-at = Woorden op een tijdstip
cloud-from = Of van dag
cloud-to = tot dag
cloud-show = Tonen
cloud-time-help = Tijden zijn in je tijdzone. Laat alles leeg voor de laatste crawl.
cloud-aggregate = { $crawls ->
    [one] Eén crawl
   *[other] Som van { $crawls } crawls
}
cloud-crawled-at = Gecrawld op { $time }
cloud-show-raw = Tonen zonder negeerlijsten
cloud-raw = Zonder negeerlijsten
cloud-show-filtered = Tonen met negeerlijsten
cloud-left-out = { $count ->
    [one] Eén zeldzaam woord paste niet in de wolk; de tabel toont het.
   *[other] { $count } zeldzame woorden pasten niet in de wolk; de tabel toont ze.
}
cloud-download-svg = SVG downloaden
cloud-download-png = PNG downloaden
cloud-no-words = Deze crawl vond geen woorden om te tonen.
cloud-no-crawl = Nog geen geslaagde crawl in deze periode.
cloud-never-crawled = Nog niet gecrawld: HUD crawlt de pagina binnenkort, en dan verschijnt hier haar wolk.
cloud-table = Alle aantallen als tabel
cloud-word = Woord
cloud-count = Aantal
cloud-bad-scale = Onbekende schaal; de wortelschaal wordt gebruikt.
cloud-bad-vertical = Het aandeel verticale woorden moet een percentage van 0 tot 100 zijn.
cloud-bad-words = Het aantal woorden moet tussen { $min } en { $max } liggen.
cloud-bad-raw = Geef raw als 1 (de tellingen vóór de negeerlijsten) of 0.
when-invalid-time = Dit is geen datum en tijd (bijvoorbeeld 2025-12-25 15:00); de laatste crawl wordt getoond.
when-invalid-date = Dit is geen datum (bijvoorbeeld 2025-12-25); de laatste crawl wordt getoond.
when-range-reversed = De periode eindigt voordat ze begint en bevat dus geen crawls.
when-range-clamped = De periode is langer dan { $max } dagen: alleen de crawls van de laatste { $max } dagen ervan worden geteld.

crawl-history = Crawls
crawl-time = Tijd
crawl-outcome = Resultaat
crawl-words = Woorden
outcome-ok = gelezen
outcome-not_modified = ongewijzigd
outcome-http_error = serverfout
outcome-timeout = time-out
outcome-too_large = te groot
outcome-not_html = geen webpagina
outcome-blocked = niet toegestaan
outcome-unreachable = onbereikbaar

ignore-too-many = Hoogstens { $max } woorden per lijst.
ignore-word-too-long = Woorden van hoogstens { $max } tekens.
ignore-word-invalid = Eén woord per item: hoogstens { $max } tekens, zonder spaties, komma’s of stuurtekens.

admin-pages = Pagina's
admin-ignore-lists = Negeerlijsten
admin-recrawl = Nu crawlen
admin-page-active = Deze pagina volgens schema crawlen
admin-page-saved = De pagina is opgeslagen.
admin-crawl-queued = Er staat een crawl in de wachtrij.
admin-crawl-pending = Er staat al een crawl van deze pagina in de wachtrij of hij loopt al.
ignore-none = Nog geen negeerlijsten.
ignore-add = Nieuwe negeerlijst
ignore-edit = Negeerlijst bewerken
ignore-delete = Verwijderen
ignore-name = Naam
ignore-words = Woorden
ignore-words-help = Scheid woorden met spaties, komma's of nieuwe regels; hoofdletters maken niet uit.
ignore-word-count = { $count ->
    [one] één woord
   *[other] { $count } woorden
}
ignore-saved = De negeerlijst is opgeslagen; de wolken van de bijbehorende pagina's zijn veranderd.
ignore-deleted = De negeerlijst is verwijderd.
ignore-name-invalid = Een naam van hoogstens { $max } tekens.
ignore-name-taken = Een andere negeerlijst heeft deze naam al.

api-limit-range = Geef een getal van 1 tot en met { $max }.
api-cursor-invalid = Geef de cursor uit de Link-header van het vorige antwoord (een pagina-id).
api-trend-too-many = Geef hoogstens { $max } woorden.

compare-title = Wolken vergelijken
compare-side-a = Links
compare-side-b = Rechts
compare-page = Pagina
compare-help = Dezelfde pagina op twee tijdstippen (zaterdag en zondag), of twee pagina's.
compare-shared = Woorden die beide hebben:
compare-link = Vergelijken
compare-changes = Wat er veranderde van links naar rechts
compare-gained = Nieuw rechts
compare-lost = Verdwenen rechts
compare-rises = Grootste stijgers
compare-falls = Grootste dalers
compare-no-change = Niets hier.

trend-title = Woordtrends
trend-words = Woorden (gescheiden door komma's; hoogstens acht)
trend-too-many = Alleen de eerste { $max } woorden worden getoond.
trend-point = { $word }: { $count } op { $time }
trend-span = { $crawls } crawls van { $from } tot { $to }
trend-one-crawl = Nog maar één crawl: de lijnen beginnen zodra de pagina opnieuw is gecrawld.
trend-no-crawls = Nog niet gecrawld: de lijnen beginnen zodra de pagina is gecrawld.
