search-card-title = Søk
search-card-text = Finn sidene der ordene samsvarer med søket ditt — med toleranse for skrivefeil, OR, NOT, prefikser og et datoområde — nyeste først eller etter relevans.
search-title = Søk
search-label = Søk i de gjennomsøkte sidene
search-placeholder = Søk i sider …
search-submit = Søk
search-help = Alle ordene må forekomme. Bruk OR når ett av ordene holder, -ord eller NOT ord for å utelukke, parenteser for å gruppere og ord* for å søke på begynnelsen av et ord. Små skrivefeil gjør ingenting.
search-from = Fra
search-to = Til og med
search-time-help = Dagene regnes i din tidssone.
search-sort = Sortering
search-sort-newest = Nyeste først
search-sort-relevance = Mest relevante først
search-lang = Språk
search-lang-any = alle, f.eks. nl
search-count = { $count ->
    [one] Én side funnet.
   *[other] { $count } sider funnet.
}
search-none = Ingen sider passer til søket. Prøv færre ord, OR eller et større datoområde.
search-did-you-mean = Mente du:
search-crawled = gjennomsøkt { $time }
search-cloud = ordsky
search-error-empty = Skriv noe å søke etter.
search-error-too-long = Et søk kan være på høyst { $max } tegn.
search-error-unbalanced = Parentesene stemmer ikke: hver ( trenger en ).
search-error-dangling-operator = OR trenger et ord på hver side, NOT et ord etter seg.
search-error-too-deep = Parenteser kan være nøstet i høyst { $max } nivåer.
search-error-only-negations = Oppgi hva du søker etter, ikke bare hva som skal utelukkes: legg til et ord uten - eller NOT.
search-error-no-words = Søket inneholder ingen søkbare ord (svært vanlige ord som «og» og tall indekseres ikke; ord må ha minst tre bokstaver).
search-date-invalid = Dette er ikke en dato (for eksempel 2025-12-25).
search-window-reversed = Perioden slutter før den begynner.
search-sort-invalid = Sorter etter nyeste eller relevans.
search-page-invalid = Sidene går fra 1 til { $max }.
search-lang-invalid = Oppgi et språk som en kode på to bokstaver, for eksempel en eller nl.
