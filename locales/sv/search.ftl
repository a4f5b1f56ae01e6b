search-card-title = Sök
search-card-text = Hitta sidorna vars ord matchar din sökning — med tolerans för stavfel, OR, NOT, prefix och ett datumintervall — nyaste först eller efter relevans.
search-title = Sök
search-label = Sök bland de genomsökta sidorna
search-placeholder = Sök bland sidor…
search-submit = Sök
search-help = Alla ord måste förekomma. Använd OR när det räcker med ett av orden, -ord eller NOT ord för att utesluta, parenteser för att gruppera och ord* för att söka på ordets början. Små stavfel gör inget.
search-from = Från
search-to = Till och med
search-time-help = Dagarna räknas i din tidszon.
search-sort = Sortering
search-sort-newest = Nyaste först
search-sort-relevance = Mest relevanta först
search-lang = Språk
search-lang-any = alla, t.ex. nl
search-count = { $count ->
    [one] En sida hittades.
   *[other] { $count } sidor hittades.
}
search-none = Ingen sida matchar. Prova färre ord, OR eller ett större datumintervall.
search-did-you-mean = Menade du:
search-crawled = genomsökt { $time }
search-cloud = ordmoln
search-error-empty = Skriv något att söka efter.
search-error-too-long = En sökning får vara högst { $max } tecken lång.
search-error-unbalanced = Parenteserna stämmer inte: varje ( behöver en ).
search-error-dangling-operator = OR behöver ett ord på var sida, NOT ett ord efter sig.
search-error-too-deep = Parenteser får vara nästlade i högst { $max } nivåer.
search-error-only-negations = Ange vad du söker efter, inte bara vad som ska uteslutas: lägg till ett ord utan - eller NOT.
search-error-no-words = Sökningen innehåller inga sökbara ord (mycket vanliga ord som ”och” och tal indexeras inte; ord måste ha minst tre bokstäver).
search-date-invalid = Det här är inget datum (till exempel 2025-12-25).
search-window-reversed = Perioden slutar innan den börjar.
search-sort-invalid = Sortera efter nyaste eller relevans.
search-page-invalid = Sidorna går från 1 till { $max }.
search-lang-invalid = Ange ett språk som en kod på två bokstäver, till exempel en eller nl.
