# Captchaer: skjemadelen, administrasjonssidene.

captcha-prompt-text = Skriv tegnene i bildet.
captcha-prompt-digits = Skriv bare sifrene i bildet.
captcha-prompt-letters = Skriv bare bokstavene i bildet.
captcha-prompt-last-four-reversed = Skriv de fire siste bokstavene i bildet, baklengs.
captcha-prompt-blue = Skriv tegnene som er tegnet i blått.
captcha-prompt-circled = Skriv tegnene inni sirkelen.
captcha-prompt-upper-line = Skriv tegnene på den øverste linjen.
captcha-prompt-lower-line = Skriv tegnene på den nederste linjen.
captcha-prompt-blue-letters-reversed = Skriv de blå bokstavene i motsatt rekkefølge.
captcha-alt = Captchabilde. { $prompt } En lydversjon er lenket ved siden av.
captcha-new = Ny captcha
captcha-listen = Lytt til tegnene
captcha-help = Mellomrom spiller ingen rolle; store og små bokstaver teller bare når spørsmålet sier det.
captcha-passed = Du har besvart captchaen. Du trenger ikke å gjøre det igjen.
captcha-missing = Svar på captchaen.
captcha-wrong = Svaret var feil. Prøv denne nye captchaen.
captcha-expired = Captchaen er utløpt eller allerede brukt. Svar på den nye.
captcha-too-many = For mange captchaforsøk. Prøv igjen om { $minutes ->
    [one] ett minutt
   *[other] { $minutes } minutter
}.

admin-captcha = Captchaer
captcha-challenges = Spørsmål
captcha-challenge = Spørsmål
captcha-challenge-add = Legg til et spørsmål
captcha-challenge-saved = Spørsmålet er lagret.
captcha-prompt = Spørsmål
captcha-prompts = Spørsmålet på hvert språk
captcha-rule = Svarregel
captcha-status = Status
captcha-builtin = innebygd
captcha-builtin-note = Dette er et innebygd spørsmål: teksten oversettes med programmet. Du kan endre svarregelen eller ta spørsmålet ut av bruk.
captcha-active = i bruk
captcha-retired = ute av bruk
captcha-edit = Rediger
captcha-retire = Ta ut av bruk
captcha-activate = Bruk igjen
captcha-save = Lagre
captcha-cancel = Avbryt
captcha-scope = Del av bildet
captcha-scope-help = Genererte bilder setter tegnene på to linjer, tegner noen i blått og ringer inn tre naboer; opplastede bilder får bare spørsmål om hele bildet.
captcha-scope-all = hele bildet
captcha-scope-blue = tegnet i blått
captcha-scope-circled = inni sirkelen
captcha-scope-upper-line = på den øverste linjen
captcha-scope-lower-line = på den nederste linjen
captcha-chars = Tegn som teller
captcha-chars-all = alle tegn
captcha-chars-letters = bokstaver
captcha-chars-digits = sifre
captcha-chars-uppercase = store bokstaver
captcha-chars-lowercase = små bokstaver
captcha-take = Hvilke av dem
captcha-take-option-all = alle
captcha-take-option-first = de første …
captcha-take-option-last = de siste …
captcha-take-count = Hvor mange
captcha-take-all = alle
captcha-take-first = de { $count } første
captcha-take-last = de { $count } siste
captcha-reverse = baklengs
captcha-case-sensitive = store og små bokstaver må stemme
captcha-case-insensitive = store og små bokstaver spiller ingen rolle
captcha-choose-option = Velg ett av alternativene.
captcha-count-range = Skriv inn et tall fra 1 til { $max }.
captcha-prompt-too-long = Høyst { $max } tegn.
captcha-previews = Forventede svar for de nyeste bildene
captcha-preview-unfit = Dette bildet passer ikke til spørsmålet og vises ikke med det.
captcha-images = Bilder
captcha-generate-count = Lag nye bilder
captcha-generate = Lag
captcha-generated = { $count ->
    [one] Ett nytt bilde er laget.
   *[other] { $count } nye bilder er laget.
}
captcha-count-invalid = Skriv inn et tall fra 1 til { $max }.
captcha-upload-text = Tegnene i bildet
captcha-upload-image = Bildefil (PNG, JPEG, WebP eller GIF, høyst 1 MB)
captcha-upload = Last opp
captcha-uploaded = Bildet er lagt til.
captcha-uploaded-badge = lastet opp
captcha-text-invalid = Skriv tegnene som vises, høyst { $max }.
captcha-text-saved = Tegnene i bildet er rettet.
