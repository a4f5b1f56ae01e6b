search-card-title = Zoeken
search-card-text = Vind de pagina's waarvan de woorden bij je zoekopdracht passen — met ruimte voor typefouten, OR, NOT, woordbegin en een periode — nieuwste eerst of op relevantie.
search-title = Zoeken
search-label = Doorzoek de gecrawlde pagina's
search-placeholder = Pagina's doorzoeken…
search-submit = Zoeken
search-help = Alle woorden moeten voorkomen. Gebruik OR als een van beide genoeg is, -woord of NOT woord om uit te sluiten, haakjes om te groeperen en woord* om op het begin van een woord te zoeken. Kleine typefouten zijn geen probleem.
search-from = Van
search-to = Tot en met
search-time-help = Dagen worden in je tijdzone gerekend.
search-sort = Volgorde
search-sort-newest = Nieuwste eerst
search-sort-relevance = Meest relevante eerst
search-lang = Taal
search-lang-any = alle, bijv. nl
search-count = { $count ->
    [one] Eén pagina gevonden.
   *[other] { $count } pagina's gevonden.
}
search-none = Geen enkele pagina komt overeen. Probeer minder woorden, OR of een ruimere periode.
search-did-you-mean = Bedoelde je:
search-crawled = gecrawld op { $time }
search-cloud = woordwolk
search-error-empty = Typ iets om naar te zoeken.
search-error-too-long = Een zoekopdracht mag hoogstens { $max } tekens lang zijn.
search-error-unbalanced = De haakjes kloppen niet: elk ( heeft een ) nodig.
search-error-dangling-operator = OR heeft aan beide kanten een woord nodig, NOT een woord erachter.
search-error-too-deep = Haakjes mogen hoogstens { $max } niveaus diep genest zijn.
search-error-only-negations = Geef aan waarnaar je zoekt, niet alleen wat je wilt uitsluiten: voeg een woord toe zonder - of NOT.
search-error-no-words = De zoekopdracht bevat geen doorzoekbare woorden (heel gewone woorden zoals “het” en getallen worden niet geïndexeerd; woorden moeten minstens drie letters hebben).
search-date-invalid = Dit is geen datum (bijvoorbeeld 2025-12-25).
search-window-reversed = De periode eindigt voordat ze begint.
search-sort-invalid = Sorteer op nieuwste of op relevantie.
search-page-invalid = Pagina's lopen van 1 tot en met { $max }.
search-lang-invalid = Geef een taal op als code van twee letters, zoals en of nl.
