# Shared by every page: layout, navigation, dates, error pages.

app-name = HUD
skip-to-content = Skip to content
nav-label = Main navigation
nav-toggle = Toggle navigation
breadcrumb-label = Breadcrumb
nav-admin = Admin
nav-language = Language
color-mode = Colour mode
color-mode-auto = Auto (as your device)
color-mode-light = Light
color-mode-dark = Dark
nav-profile = Profile
nav-preferences = Preferences
nav-security = Security
nav-logout = Log out
nav-login = Log in
nav-signup = Sign up
close = Close
save = Save
cancel = Cancel
edit = Edit
pagination = Pages
pagination-previous = Previous
pagination-next = Next
footer-tagline = HUD — web pages, word clouds and search
footer-api = API
footer-timezone = Times in { $zone }

# chrono format patterns: %-d day, %B month name, %Y year, %H:%M time, %Z zone abbreviation.
datetime-format = %-d %B %Y, %H:%M %Z
date-format = %-d %B %Y
# The first day of a month as dates write it (French: 1er; "1" where it is simply the number).
first-day-of-month = 1
# Time axis labels of charts, by the spacing of their ticks (%S seconds, %b short month name).
axis-seconds-format = %H:%M:%S
axis-minutes-format = %H:%M
axis-days-format = %-d %b
axis-months-format = %b %Y
axis-years-format = %Y

error-home = Back to the home page
error-csrf = The form expired or was sent from another site. Go back, reload the page and try again.
error-rate-limited = { $minutes ->
    [one] Too many attempts. Please wait a minute and try again.
   *[other] Too many attempts. Please wait { $minutes } minutes and try again.
}
error-400-title = Bad request
error-400-detail = The request could not be understood.
error-401-title = Not signed in
error-401-detail = Please sign in: a valid token or session is required.
error-403-title = Access denied
error-403-detail = You are not allowed to see this page.
error-404-title = Page not found
error-404-detail = The page you are looking for does not exist or has moved.
error-405-title = Method not allowed
error-405-detail = This address does not accept that kind of request.
error-408-title = Request timed out
error-408-detail = The request took too long. Please try again.
error-413-title = Too large
error-413-detail = What you sent is larger than allowed.
error-415-title = Unsupported content type
error-415-detail = The request body is not in a format this address accepts.
error-422-title = Invalid input
error-422-detail = Some of the data you sent is not valid.
error-429-title = Too many requests
error-429-detail = You are sending requests too quickly. Please wait a little and try again.
error-4xx-title = Request failed
error-4xx-detail = The request could not be completed.
error-500-title = Something went wrong
error-500-detail = An unexpected error occurred on our side. It has been logged; please try again later.
error-503-title = Temporarily unavailable
error-503-detail = The service is temporarily unavailable. Please try again in a moment.
api-json-syntax = The body is not valid JSON (line { $line }, column { $column }).
api-body-unreadable = The request body could not be read.
api-field-missing = This field is required.
api-field-invalid = This value has the wrong type or is not allowed here.
api-body-not-object = The body must be a JSON object.
api-text-nul = Text may not contain the NUL character.

## Uploaded images (avatars, captchas)
image-empty = Choose an image file to upload.
image-too-large = The image is larger than { $max } MB.
image-unsupported = This file type is not supported. Use PNG, JPEG, WebP or GIF.
image-too-many-pixels = The image is too large: at most { $max } pixels wide and high.
image-too-many-megapixels = The image has too many pixels: at most { $max } megapixels. Please upload a smaller picture.
image-corrupt = The image could not be read. It may be damaged.
upload-failed = The upload did not arrive completely. Please try again.
