# Captcha's: het formulieronderdeel, de beheerpagina's.

captcha-prompt-text = Typ de tekens in de afbeelding.
captcha-prompt-digits = Typ alleen de cijfers in de afbeelding.
captcha-prompt-letters = Typ alleen de letters in de afbeelding.
captcha-prompt-last-four-reversed = Typ de laatste vier letters in de afbeelding, in omgekeerde volgorde.
captcha-prompt-blue = Typ de tekens die in het blauw staan.
captcha-prompt-circled = Typ de tekens binnen de cirkel.
captcha-prompt-upper-line = Typ de tekens op de bovenste regel.
captcha-prompt-lower-line = Typ de tekens op de onderste regel.
captcha-prompt-blue-letters-reversed = Typ de blauwe letters in omgekeerde volgorde.
captcha-alt = Captcha-afbeelding. { $prompt } Ernaast staat een link naar een geluidsversie.
captcha-new = Nieuwe captcha
captcha-listen = Beluister de tekens
captcha-help = Spaties tellen niet mee; hoofdletters of kleine letters tellen alleen als de vraag dat zegt.
captcha-passed = Je hebt de captcha beantwoord. Je hoeft dat niet nog eens te doen.
captcha-missing = Beantwoord de captcha.
captcha-wrong = Dat antwoord was niet goed. Probeer deze nieuwe captcha.
captcha-expired = Deze captcha is verlopen of al gebruikt. Beantwoord de nieuwe.
captcha-too-many = Te veel captcha-pogingen. Probeer het over { $minutes ->
    [one] een minuut
   *[other] { $minutes } minuten
} opnieuw.

admin-captcha = Captcha's
captcha-challenges = Vragen
captcha-challenge = Vraag
captcha-challenge-add = Vraag toevoegen
captcha-challenge-saved = De vraag is opgeslagen.
captcha-prompt = Vraag
captcha-prompts = Vraag in elke taal
captcha-rule = Antwoordregel
captcha-status = Status
captcha-builtin = ingebouwd
captcha-builtin-note = Dit is een ingebouwde vraag: de tekst wordt met de applicatie vertaald. Je kunt de antwoordregel wijzigen of de vraag buiten gebruik stellen.
captcha-active = in gebruik
captcha-retired = buiten gebruik
captcha-edit = Bewerken
captcha-retire = Buiten gebruik stellen
captcha-activate = Weer gebruiken
captcha-save = Opslaan
captcha-cancel = Annuleren
captcha-scope = Deel van de afbeelding
captcha-scope-help = Gegenereerde afbeeldingen zetten hun tekens op twee regels, tekenen er enkele in het blauw en omcirkelen drie buren; geüploade afbeeldingen krijgen alleen vragen over de hele afbeelding.
captcha-scope-all = de hele afbeelding
captcha-scope-blue = in het blauw
captcha-scope-circled = binnen de cirkel
captcha-scope-upper-line = op de bovenste regel
captcha-scope-lower-line = op de onderste regel
captcha-chars = Tekens die tellen
captcha-chars-all = alle tekens
captcha-chars-letters = letters
captcha-chars-digits = cijfers
captcha-chars-uppercase = hoofdletters
captcha-chars-lowercase = kleine letters
captcha-take = Welke ervan
captcha-take-option-all = alle
captcha-take-option-first = de eerste…
captcha-take-option-last = de laatste…
captcha-take-count = Hoeveel
captcha-take-all = alle
captcha-take-first = de eerste { $count }
captcha-take-last = de laatste { $count }
captcha-reverse = in omgekeerde volgorde
captcha-case-sensitive = hoofdletters en kleine letters moeten kloppen
captcha-case-insensitive = hoofdletters maken niet uit
captcha-choose-option = Kies een van de mogelijkheden.
captcha-count-range = Vul een getal van 1 tot en met { $max } in.
captcha-prompt-too-long = Hoogstens { $max } tekens.
captcha-previews = Verwachte antwoorden bij recente afbeeldingen
captcha-preview-unfit = Deze afbeelding past niet bij deze vraag en wordt er niet mee getoond.
captcha-images = Afbeeldingen
captcha-generate-count = Nieuwe afbeeldingen maken
captcha-generate = Maken
captcha-generated = { $count ->
    [one] Er is één nieuwe afbeelding gemaakt.
   *[other] Er zijn { $count } nieuwe afbeeldingen gemaakt.
}
captcha-count-invalid = Vul een getal van 1 tot en met { $max } in.
captcha-upload-text = Tekens in de afbeelding
captcha-upload-image = Afbeeldingsbestand (PNG, JPEG, WebP of GIF, hoogstens 1 MB)
captcha-upload = Uploaden
captcha-uploaded = De afbeelding is toegevoegd.
captcha-uploaded-badge = geüpload
captcha-text-invalid = Typ de getoonde tekens, hoogstens { $max }.
captcha-text-saved = De tekens van de afbeelding zijn verbeterd.
