# Captchas: the form component, the admin pages.

captcha-prompt-text = Type the characters in the picture.
captcha-prompt-digits = Type only the digits in the picture.
captcha-prompt-letters = Type only the letters in the picture.
captcha-prompt-last-four-reversed = Type the last four letters in the picture, in reverse order.
captcha-prompt-blue = Type the characters drawn in blue.
captcha-prompt-circled = Type the characters inside the circle.
captcha-prompt-upper-line = Type the characters on the upper line.
captcha-prompt-lower-line = Type the characters on the lower line.
captcha-prompt-blue-letters-reversed = Type the blue letters in reverse order.
captcha-alt = Captcha picture. { $prompt } An audio version is linked next to it.
captcha-new = New captcha
captcha-listen = Listen to the characters
captcha-help = Spaces do not matter; upper or lower case only matters when the question says so.
captcha-passed = You have answered the captcha. You do not need to answer it again.
captcha-missing = Please answer the captcha.
captcha-wrong = That answer was not right. Please try this new captcha.
captcha-expired = This captcha has expired or was already used. Please answer the new one.
captcha-too-many = Too many captcha attempts. Please try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.

admin-captcha = Captchas
captcha-challenges = Challenges
captcha-challenge = Challenge
captcha-challenge-add = Add a challenge
captcha-challenge-saved = The challenge has been saved.
captcha-prompt = Question
captcha-prompts = Question in each language
captcha-rule = Answer rule
captcha-status = Status
captcha-builtin = built-in
captcha-builtin-note = This is a built-in challenge: its question is translated with the application. You can change its answer rule or retire it.
captcha-active = in use
captcha-retired = retired
captcha-edit = Edit
captcha-retire = Retire
captcha-activate = Use again
captcha-save = Save
captcha-cancel = Cancel
captcha-scope = Part of the picture
captcha-scope-help = Generated images set their characters on two lines, draw some in blue and circle three neighbours; uploaded images carry only challenges about the whole picture.
captcha-scope-all = the whole picture
captcha-scope-blue = drawn in blue
captcha-scope-circled = inside the circle
captcha-scope-upper-line = on the upper line
captcha-scope-lower-line = on the lower line
captcha-chars = Characters that count
captcha-chars-all = all characters
captcha-chars-letters = letters
captcha-chars-digits = digits
captcha-chars-uppercase = capital letters
captcha-chars-lowercase = small letters
captcha-take = Which of them
captcha-take-option-all = all
captcha-take-option-first = the first…
captcha-take-option-last = the last…
captcha-take-count = How many
captcha-take-all = all
captcha-take-first = the first { $count }
captcha-take-last = the last { $count }
captcha-reverse = in reverse order
captcha-case-sensitive = upper and lower case must match
captcha-case-insensitive = case does not matter
captcha-choose-option = Choose one of the options.
captcha-count-range = Enter a number from 1 to { $max }.
captcha-prompt-too-long = At most { $max } characters.
captcha-previews = Expected answers for recent images
captcha-preview-unfit = This image cannot carry this challenge; it is not shown with it.
captcha-images = Images
captcha-generate-count = Generate new images
captcha-generate = Generate
captcha-generated = { $count ->
    [one] One new image has been generated.
   *[other] { $count } new images have been generated.
}
captcha-count-invalid = Enter a number from 1 to { $max }.
captcha-upload-text = Characters shown in the image
captcha-upload-image = Image file (PNG, JPEG, WebP or GIF, at most 1 MB)
captcha-upload = Upload
captcha-uploaded = The image has been added.
captcha-uploaded-badge = uploaded
captcha-text-invalid = Type the characters shown, at most { $max }.
captcha-text-saved = The characters of the image have been corrected.
