# Captchor: formulärdelen, administrationssidorna.

captcha-prompt-text = Skriv tecknen i bilden.
captcha-prompt-digits = Skriv bara siffrorna i bilden.
captcha-prompt-letters = Skriv bara bokstäverna i bilden.
captcha-prompt-last-four-reversed = Skriv de fyra sista bokstäverna i bilden, baklänges.
captcha-prompt-blue = Skriv tecknen som är ritade i blått.
captcha-prompt-circled = Skriv tecknen inuti cirkeln.
captcha-prompt-upper-line = Skriv tecknen på den övre raden.
captcha-prompt-lower-line = Skriv tecknen på den nedre raden.
captcha-prompt-blue-letters-reversed = Skriv de blå bokstäverna i omvänd ordning.
captcha-alt = Captchabild. { $prompt } En ljudversion finns länkad bredvid.
captcha-new = Ny captcha
captcha-listen = Lyssna på tecknen
captcha-help = Mellanslag spelar ingen roll; stora och små bokstäver spelar bara roll när frågan säger det.
captcha-passed = Du har besvarat captchan. Du behöver inte göra det igen.
captcha-missing = Besvara captchan.
captcha-wrong = Svaret var fel. Försök med den här nya captchan.
captcha-expired = Captchan har gått ut eller redan använts. Besvara den nya.
captcha-too-many = För många captchaförsök. Försök igen om { $minutes ->
    [one] en minut
   *[other] { $minutes } minuter
}.

admin-captcha = Captchor
captcha-challenges = Frågor
captcha-challenge = Fråga
captcha-challenge-add = Lägg till en fråga
captcha-challenge-saved = Frågan har sparats.
captcha-prompt = Fråga
captcha-prompts = Frågan på varje språk
captcha-rule = Svarsregel
captcha-status = Status
captcha-builtin = inbyggd
captcha-builtin-note = Det här är en inbyggd fråga: texten översätts med programmet. Du kan ändra svarsregeln eller ta frågan ur bruk.
captcha-active = används
captcha-retired = ur bruk
captcha-edit = Redigera
captcha-retire = Ta ur bruk
captcha-activate = Använd igen
captcha-save = Spara
captcha-cancel = Avbryt
captcha-scope = Del av bilden
captcha-scope-help = Genererade bilder sätter tecknen på två rader, ritar några i blått och ringar in tre grannar; uppladdade bilder får bara frågor om hela bilden.
captcha-scope-all = hela bilden
captcha-scope-blue = ritade i blått
captcha-scope-circled = inuti cirkeln
captcha-scope-upper-line = på den övre raden
captcha-scope-lower-line = på den nedre raden
captcha-chars = Tecken som räknas
captcha-chars-all = alla tecken
captcha-chars-letters = bokstäver
captcha-chars-digits = siffror
captcha-chars-uppercase = versaler
captcha-chars-lowercase = gemener
captcha-take = Vilka av dem
captcha-take-option-all = alla
captcha-take-option-first = de första…
captcha-take-option-last = de sista…
captcha-take-count = Hur många
captcha-take-all = alla
captcha-take-first = de { $count } första
captcha-take-last = de { $count } sista
captcha-reverse = baklänges
captcha-case-sensitive = stora och små bokstäver måste stämma
captcha-case-insensitive = stora och små bokstäver spelar ingen roll
captcha-choose-option = Välj ett av alternativen.
captcha-count-range = Ange ett tal från 1 till { $max }.
captcha-prompt-too-long = Högst { $max } tecken.
captcha-previews = Förväntade svar för de senaste bilderna
captcha-preview-unfit = Den här bilden passar inte frågan och visas inte med den.
captcha-images = Bilder
captcha-generate-count = Skapa nya bilder
captcha-generate = Skapa
captcha-generated = { $count ->
    [one] En ny bild har skapats.
   *[other] { $count } nya bilder har skapats.
}
captcha-count-invalid = Ange ett tal från 1 till { $max }.
captcha-upload-text = Tecknen i bilden
captcha-upload-image = Bildfil (PNG, JPEG, WebP eller GIF, högst 1 MB)
captcha-upload = Ladda upp
captcha-uploaded = Bilden har lagts till.
captcha-uploaded-badge = uppladdad
captcha-text-invalid = Skriv tecknen som visas, högst { $max }.
captcha-text-saved = Bildens tecken har rättats.
