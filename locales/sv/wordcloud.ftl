# Ordmoln: sidor, moln, genomsökningar.

nav-pages = Sidor
pages-card-title = Ordmoln
pages-card-text = Registrera webbsidor; HUD läser dem några gånger om dagen och visar vad de handlar om och hur det förändras.
pages-title = Sidor
pages-empty = Inga sidor än.
page-add = Lägg till en sida
page-add-login = Logga in för att lägga till en sida
page-add-submit = Lägg till sidan
page-added = Sidan har lagts till. Den första genomsökningen är på väg.
page-exists = Sidan är redan registrerad (sida { $id }).
page-quota-reached = Du har registrerat { $max } sidor, det högsta antalet för ett konto. Ta bort en av dina för att lägga till en ny.
page-delete = Ta bort den här sidan
page-delete-title = Ta bort ”{ $page }”?
page-delete-consequences = { $crawls ->
    [0] Den har inte genomsökts än. Den försvinner ur listan för alla. Det går inte att ångra.
    [one] Dess sparade genomsökning och alla moln, trender och jämförelser som gjorts av den tas bort för alla, och sidan försvinner ur sökresultaten. Det går inte att ångra.
   *[other] Dess { $crawls } sparade genomsökningar och alla moln, trender och jämförelser som gjorts av dem tas bort för alla, och sidan försvinner ur sökresultaten. Det går inte att ångra.
}
page-delete-submit = Ta bort sidan
page-deleted = ”{ $page }” har tagits bort, med sina genomsökningar.
page-inactive = pausad
page-never-crawled = Inte genomsökt än.
field-url = Adress (URL)
field-page-title = Rubrik (valfri)
field-page-title-help = Visas i stället för sidans egen rubrik.
page-title-too-long = Högst { $max } tecken.
page-title-invalid = Rubriken innehåller tecken som inte kan visas.
page-url-invalid = Det här är ingen webbadress. Exempel: https://example.org/nyheter
page-url-scheme = Bara http- och https-adresser kan genomsökas.
page-url-credentials = Adresser med användarnamn eller lösenord kan inte registreras.
page-url-too-long = Adressen är längre än { $max } tecken.

cloud-title = Ordmoln för { $page }
cloud-word-count = { $word }: { $count ->
    [one] en gång
   *[other] { $count } gånger
}
cloud-at = Ord vid en tidpunkt
cloud-from = Eller från dag
cloud-to = till dag
cloud-show = Visa
cloud-time-help = Tiderna är i din tidszon. Lämna allt tomt för den senaste genomsökningen.
cloud-aggregate = { $crawls ->
    [one] En genomsökning
   *[other] Summan av { $crawls } genomsökningar
}
cloud-crawled-at = Genomsökt { $time }
cloud-show-raw = Visa utan ignoreringslistor
cloud-raw = Utan ignoreringslistor
cloud-show-filtered = Visa med ignoreringslistor
cloud-left-out = { $count ->
    [one] Ett ovanligt ord fick inte plats i molnet; tabellen visar det.
   *[other] { $count } ovanliga ord fick inte plats i molnet; tabellen visar dem.
}
cloud-download-svg = Ladda ned SVG
cloud-download-png = Ladda ned PNG
cloud-no-words = Den här genomsökningen hittade inga ord att visa.
cloud-no-crawl = Ingen lyckad genomsökning under perioden än.
cloud-never-crawled = Inte genomsökt än: HUD söker igenom sidan inom kort, och då visas dess moln här.
cloud-table = Alla antal som tabell
cloud-word = Ord
cloud-count = Antal
cloud-bad-scale = Okänd skala; kvadratrotsskalan används.
cloud-bad-vertical = Andelen lodräta ord måste vara en procentsats från 0 till 100.
cloud-bad-words = Antalet ord måste vara från { $min } till { $max }.
cloud-bad-raw = Ange raw som 1 (antalen före ignoreringslistorna) eller 0.
when-invalid-time = Det här är inget datum med tid (till exempel 2025-12-25 15:00); den senaste genomsökningen visas.
when-invalid-date = Det här är inget datum (till exempel 2025-12-25); den senaste genomsökningen visas.
when-range-reversed = Perioden slutar innan den börjar och innehåller därför inga genomsökningar.
when-range-clamped = Perioden är längre än { $max } dagar: bara genomsökningarna under dess senaste { $max } dagar räknas.

crawl-history = Genomsökningar
crawl-time = Tid
crawl-outcome = Resultat
crawl-words = Ord
outcome-ok = läst
outcome-not_modified = oförändrad
outcome-http_error = serverfel
outcome-timeout = tidsgräns överskriden
outcome-too_large = för stor
outcome-not_html = ingen webbsida
outcome-blocked = inte tillåten
outcome-unreachable = onåbar

ignore-too-many = Högst { $max } ord per lista.
ignore-word-too-long = Ord på högst { $max } tecken.
ignore-word-invalid = Ett ord per post: högst { $max } tecken, utan mellanslag, kommatecken eller styrtecken.

admin-pages = Sidor
admin-ignore-lists = Ignoreringslistor
admin-recrawl = Genomsök nu
admin-page-active = Genomsök sidan enligt schemat
admin-page-saved = Sidan har sparats.
admin-crawl-queued = En genomsökning har köats.
admin-crawl-pending = En genomsökning av sidan är redan köad eller pågår.
ignore-none = Inga ignoreringslistor än.
ignore-add = Ny ignoreringslista
ignore-edit = Redigera ignoreringslistan
ignore-delete = Ta bort
ignore-name = Namn
ignore-words = Ord
ignore-words-help = Skilj orden åt med mellanslag, kommatecken eller radbrytningar; stora och små bokstäver spelar ingen roll.
ignore-word-count = { $count ->
    [one] ett ord
   *[other] { $count } ord
}
ignore-saved = Ignoreringslistan har sparats; molnen för dess sidor har ändrats.
ignore-deleted = Ignoreringslistan har tagits bort.
ignore-name-invalid = Ett namn på högst { $max } tecken.
ignore-name-taken = En annan ignoreringslista har redan det namnet.

api-limit-range = Ange ett tal från 1 till { $max }.
api-cursor-invalid = Ange markören från Link-huvudet i föregående svar (ett sid-id).
api-trend-too-many = Ange högst { $max } ord.

compare-title = Jämför moln
compare-side-a = Vänster
compare-side-b = Höger
compare-page = Sida
compare-help = Samma sida vid två tidpunkter (lördag och söndag), eller två sidor.
compare-shared = Ord som båda har:
compare-link = Jämför
compare-changes = Vad som ändrades från vänster till höger
compare-gained = Nytt till höger
compare-lost = Borta till höger
compare-rises = Största ökningarna
compare-falls = Största minskningarna
compare-no-change = Inget här.

trend-title = Ordtrender
trend-words = Ord (åtskilda med kommatecken; högst åtta)
trend-too-many = Bara de första { $max } orden visas.
trend-point = { $word }: { $count } den { $time }
trend-span = { $crawls } genomsökningar från { $from } till { $to }
trend-one-crawl = Bara en genomsökning hittills: linjerna börjar när sidan genomsöks igen.
trend-no-crawls = Inte genomsökt än: linjerna börjar när sidan har genomsökts.
