# Ordskyer: sider, skyer, gjennomsøkinger.

nav-pages = Sider
pages-card-title = Ordskyer
pages-card-text = Registrer nettsider; HUD leser dem noen ganger om dagen og viser hva de handler om, og hvordan det endrer seg.
pages-title = Sider
pages-empty = Ingen sider ennå.
page-add = Legg til en side
page-add-login = Logg inn for å legge til en side
page-add-submit = Legg til siden
page-added = Siden er lagt til. Den første gjennomsøkingen er på vei.
page-exists = Siden er allerede registrert (side { $id }).
page-quota-reached = Du har registrert { $max } sider, det meste én konto kan ha. Slett en av dine for å legge til en ny.
page-delete = Slett denne siden
page-delete-title = Slette «{ $page }»?
page-delete-consequences = { $crawls ->
    [0] Den er ikke gjennomsøkt ennå. Den forsvinner fra listen for alle. Dette kan ikke angres.
    [one] Den lagrede gjennomsøkingen og alle skyer, trender og sammenligninger laget av den slettes for alle, og siden forsvinner fra søkeresultatene. Dette kan ikke angres.
   *[other] De { $crawls } lagrede gjennomsøkingene og alle skyer, trender og sammenligninger laget av dem slettes for alle, og siden forsvinner fra søkeresultatene. Dette kan ikke angres.
}
page-delete-submit = Slett siden
page-deleted = «{ $page }» er slettet, sammen med gjennomsøkingene.
page-inactive = satt på pause
page-never-crawled = Ikke gjennomsøkt ennå.
field-url = Adresse (URL)
field-page-title = Tittel (valgfri)
field-page-title-help = Vises i stedet for sidens egen tittel.
page-title-too-long = Høyst { $max } tegn.
page-title-invalid = Tittelen inneholder tegn som ikke kan vises.
page-url-invalid = Dette er ikke en nettadresse. Eksempel: https://example.org/nyheter
page-url-scheme = Bare http- og https-adresser kan gjennomsøkes.
page-url-credentials = Adresser med brukernavn eller passord kan ikke registreres.
page-url-too-long = Adressen er lengre enn { $max } tegn.

cloud-title = Ordsky for { $page }
cloud-word-count = { $word }: { $count ->
    [one] én gang
   *[other] { $count } ganger
}
cloud-at = Ord på et tidspunkt
cloud-from = Eller fra dag
cloud-to = til dag
cloud-show = Vis
cloud-time-help = Tidene er i din tidssone. La alt stå tomt for den siste gjennomsøkingen.
cloud-aggregate = { $crawls ->
    [one] Én gjennomsøking
   *[other] Summen av { $crawls } gjennomsøkinger
}
cloud-crawled-at = Gjennomsøkt { $time }
cloud-show-raw = Vis uten ignoreringslister
cloud-raw = Uten ignoreringslister
cloud-show-filtered = Vis med ignoreringslister
cloud-left-out = { $count ->
    [one] Ett sjeldent ord fikk ikke plass i skyen; tabellen viser det.
   *[other] { $count } sjeldne ord fikk ikke plass i skyen; tabellen viser dem.
}
cloud-download-svg = Last ned SVG
cloud-download-png = Last ned PNG
cloud-no-words = Denne gjennomsøkingen fant ingen ord å vise.
cloud-no-crawl = Ingen vellykket gjennomsøking i perioden ennå.
cloud-never-crawled = Ikke gjennomsøkt ennå: HUD gjennomsøker siden snart, og da vises skyen her.
cloud-table = Alle antall som tabell
cloud-word = Ord
cloud-count = Antall
cloud-bad-scale = Ukjent skala; kvadratrotskalaen brukes.
cloud-bad-vertical = Andelen loddrette ord må være en prosentandel fra 0 til 100.
cloud-bad-words = Antall ord må være fra { $min } til { $max }.
cloud-bad-raw = Oppgi raw som 1 (antallene før ignoreringslistene) eller 0.
when-invalid-time = Dette er ikke en dato med klokkeslett (for eksempel 2025-12-25 15:00); den siste gjennomsøkingen vises.
when-invalid-date = Dette er ikke en dato (for eksempel 2025-12-25); den siste gjennomsøkingen vises.
when-range-reversed = Perioden slutter før den begynner, og inneholder derfor ingen gjennomsøkinger.
when-range-clamped = Perioden er lengre enn { $max } dager: bare gjennomsøkingene i dens siste { $max } dager telles.

crawl-history = Gjennomsøkinger
crawl-time = Tid
crawl-outcome = Resultat
crawl-words = Ord
outcome-ok = lest
outcome-not_modified = uendret
outcome-http_error = serverfeil
outcome-timeout = tidsavbrudd
outcome-too_large = for stor
outcome-not_html = ikke en nettside
outcome-blocked = ikke tillatt
outcome-unreachable = utilgjengelig

ignore-too-many = Høyst { $max } ord per liste.
ignore-word-too-long = Ord på høyst { $max } tegn.
ignore-word-invalid = Ett ord per element: høyst { $max } tegn, uten mellomrom, komma eller kontrolltegn.

admin-pages = Sider
admin-ignore-lists = Ignoreringslister
admin-recrawl = Gjennomsøk nå
admin-page-active = Gjennomsøk siden etter planen
admin-page-saved = Siden er lagret.
admin-crawl-queued = En gjennomsøking er satt i kø.
admin-crawl-pending = En gjennomsøking av siden står allerede i kø eller pågår.
ignore-none = Ingen ignoreringslister ennå.
ignore-add = Ny ignoreringsliste
ignore-edit = Rediger ignoreringslisten
ignore-delete = Slett
ignore-name = Navn
ignore-words = Ord
ignore-words-help = Skill ordene med mellomrom, komma eller linjeskift; store og små bokstaver spiller ingen rolle.
ignore-word-count = { $count ->
    [one] ett ord
   *[other] { $count } ord
}
ignore-saved = Ignoreringslisten er lagret; skyene til sidene dens er endret.
ignore-deleted = Ignoreringslisten er slettet.
ignore-name-invalid = Et navn på høyst { $max } tegn.
ignore-name-taken = En annen ignoreringsliste har allerede dette navnet.

api-limit-range = Oppgi et tall fra 1 til { $max }.
api-cursor-invalid = Oppgi markøren fra Link-hodet i forrige svar (en side-ID).
api-trend-too-many = Oppgi høyst { $max } ord.

compare-title = Sammenlign skyer
compare-side-a = Venstre
compare-side-b = Høyre
compare-page = Side
compare-help = Den samme siden på to tidspunkter (lørdag og søndag), eller to sider.
compare-shared = Ord begge har:
compare-link = Sammenlign
compare-changes = Hva som endret seg fra venstre til høyre
compare-gained = Nytt til høyre
compare-lost = Borte til høyre
compare-rises = Største økninger
compare-falls = Største nedganger
compare-no-change = Ingenting her.

trend-title = Ordtrender
trend-words = Ord (skilt med komma; høyst åtte)
trend-too-many = Bare de første { $max } ordene vises.
trend-point = { $word }: { $count } den { $time }
trend-span = { $crawls } gjennomsøkinger fra { $from } til { $to }
trend-one-crawl = Bare én gjennomsøking så langt: linjene begynner når siden gjennomsøkes igjen.
trend-no-crawls = Ikke gjennomsøkt ennå: linjene begynner når siden er gjennomsøkt.
