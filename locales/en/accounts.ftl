# Accounts & preferences.

accounts-card-title = Your account
accounts-card-text =
    { $signed_in ->
        [yes] Choose your language and timezone, upload an avatar, and manage your API tokens.
       *[no] Sign up or log in, choose your language and timezone, and upload an avatar.
    }

field-username = Username
field-email = E-mail address
field-password = Password
field-password2 = Password (again)
field-login = Username or e-mail address
field-required = This field is required.

signup-title = Create an account
signup-submit = Sign up
signup-have-account = Already have an account?
signup-welcome = Welcome! Your account has been created and you are logged in.
password-hint = At least { $min } characters. Avoid common passwords.

login-title = Log in
login-submit = Log in
login-no-account = No account yet?
login-failed = The username or password is wrong.

username-too-long = The username can have at most { $max } characters.
username-invalid = The username cannot contain control characters.
username-no-at = The username cannot contain “@”. Your e-mail address goes in its own field, and you can log in with either.
username-taken = This username is already taken.
email-invalid = Enter a valid e-mail address.
email-taken = An account with this e-mail address already exists.
password-too-short = The password must have at least { $min } characters.
password-too-long = The password can have at most { $max } characters.
password-too-common = This password is too common. Choose one that is harder to guess.
password-like-username = The password is too similar to the username or e-mail address.
password-mismatch = The two passwords differ.
password-current-wrong = The current password is wrong.
password-change-title = Change password
password-change-intro = When you change your password, you are logged out everywhere else and all your API tokens are revoked.
password-current = Current password
password-new = New password
password-new2 = New password again
password-change-submit = Change password
password-changed = Your password has been changed. Other sessions ended: { $sessions }; API tokens revoked: { $tokens }.
email-change-title = Change e-mail address
email-now = Your address now: { $email }
email-new = New e-mail address
email-change-submit = Change e-mail address
email-changed = Your e-mail address is now { $email }.
security-account-heading = Your account
account-data-title = Your data
account-export-title = Download your data
account-export-intro = One JSON file with your profile and preferences, your API tokens (without their secrets), the pages you added and your prognoses with the values you entered.
account-export-submit = Download (JSON)
account-delete-title = Delete your account
account-delete-intro = Your account, its sessions, API tokens, preferences and avatar are deleted at once, everywhere. This cannot be undone.
account-delete-pages = { $who ->
    [admin] { $count ->
        [one] The page they added stays for everyone, without their name.
       *[other] The { $count } pages they added stay for everyone, without their name.
    }
   *[owner] { $count ->
        [one] The page you added stays for everyone, without your name.
       *[other] The { $count } pages you added stay for everyone, without your name.
    }
}
account-delete-prognoses = { $who ->
    [admin] { $count ->
        [one] Their prognosis is deleted.
       *[other] Their { $count } prognoses are deleted.
    }
   *[owner] { $count ->
        [one] Your prognosis is deleted.
       *[other] Your { $count } prognoses are deleted.
    }
}
account-delete-submit = Delete my account for good
account-deleted = Your account has been deleted.
account-delete-last-admin = You are the only administrator. Make someone else an administrator first.

profile-title = Profile
profile-language = Language
profile-timezone = Timezone
profile-member-since = Member since
profile-last-login = Last login

preferences-title = Preferences
preferences-language = Language
preferences-language-auto = Automatic (from your browser)
preferences-timezone = Timezone
preferences-timezone-placeholder = e.g. Europe/Amsterdam
preferences-timezone-help = Start typing to search all timezones. Leave empty for UTC.
preferences-saved = Your preferences have been saved.
language-unknown = Choose one of the offered languages.
timezone-unknown = This is not a known timezone. Choose one from the list, such as Europe/Paris.

avatar-title = Avatar
avatar-alt = Avatar
avatar-choose = Choose an image
avatar-help = PNG, JPEG, WebP or GIF, at most 2 MB. It is cropped to a square.
avatar-upload = Upload
avatar-remove = Remove avatar
avatar-saved = Your new avatar has been saved.
avatar-rate-limited = You have changed your avatar too often. Please try again in { $minutes } minutes.
avatar-removed = Your avatar has been removed.

admin-users = Users
admin-users-role = Role
admin-users-admin = Administrator

# The security page: API tokens and sessions.
security-title = Security
security-tokens-heading = API tokens
security-tokens-intro = Tokens let apps and scripts use the API as you. Revoke any you no longer use, or that may have leaked.
security-token-created = Your new token is shown only this once: copy it now.
security-tokens-none = You have no API tokens.
security-token-name = Name
security-token-unnamed = (no name)
security-token-created-at = Created
security-token-scope = Access
security-scope-read = Read only
security-scope-full = Full access
security-token-last-used = Last used
security-token-never-used = Never
security-token-expires = Expires
security-token-revoke = Revoke
security-tokens-revoke-all = Revoke all tokens
security-token-new-heading = New token
security-token-days = Valid for (days)
security-token-days-help = { $max ->
    [one] At most one day.
   *[other] At most { $max } days.
}
security-token-create = Create token
security-token-revoked = The token was revoked.
security-token-unknown = That token does not exist (any more).
security-tokens-revoked = { $count ->
    [one] One token was revoked.
   *[other] { $count } tokens were revoked.
}
security-sessions-heading = Sessions
security-sessions-count = { $count ->
    [one] You are logged in in one place (here).
   *[other] You are logged in in { $count } places, this one included.
}
security-keep-current = Stay logged in here
security-revoke-tokens-too = Also revoke all API tokens
security-logout-everywhere = Log out everywhere
security-logged-out-everywhere = Logged out everywhere: { $sessions } sessions ended, { $tokens } tokens revoked.
token-name-invalid = Use at most 100 characters and no control characters.
token-scope-invalid = Choose read only or full access.
token-days-invalid = Enter a number of days of at least 1.

# Admin user management.
login-disabled = This account has been disabled. An administrator can enable it again.
admin-users-search = Username or e-mail address contains
admin-users-search-submit = Search
admin-users-none = No account matches.
admin-users-actions = Actions
admin-users-disabled = Disabled
admin-users-promote = Make administrator
admin-users-demote = Remove administrator rights
admin-users-disable = Disable
admin-users-enable = Enable
admin-users-delete = Delete…
admin-user-promoted = { $username } is now an administrator.
admin-user-demoted = { $username } is no longer an administrator.
admin-user-disabled = { $username } is disabled: logged out everywhere, API tokens revoked.
admin-user-enabled = { $username } can log in again.
admin-user-deleted = The account of { $username } has been deleted.
admin-user-not-found = That account does not exist (any more).
admin-user-last-admin = This is the only administrator who can log in. Make someone else an administrator first.
admin-user-bad-action = That action is not understood.
admin-user-delete-title = Delete an account
admin-user-delete-intro = The account, its sessions, API tokens, preferences and avatar are deleted at once, everywhere. This cannot be undone.
admin-user-delete-submit = Delete this account for good
admin-user-delete-cancel = Cancel

# Password reset by e-mail.
reset-forgot-link = Forgot your password?
reset-title = Reset your password
reset-intro = Enter the e-mail address of your account, and we will send you a link to choose a new password.
reset-submit = Send the link
reset-sent = If an account has the address { $email }, a link to choose a new password is on its way to it. It works once, for { $minutes } minutes.
reset-no-mail = This HUD cannot send mail. An administrator can help: they find the link in the server's log.
reset-back-to-login = Back to logging in
reset-email-invalid = Enter the e-mail address of your account, such as ann@example.org.
reset-new-title = Choose a new password
reset-new-submit = Save the new password
reset-link-invalid = This link does not work (any more): it has expired or was already used. Ask for a new one.
reset-ask-again = Ask for a new link
reset-done = Your new password is saved, and you were logged out everywhere. Log in with it.
reset-mail-subject = Reset your HUD password
reset-mail-greeting = Hello { $username },
reset-mail-body = someone (hopefully you) asked to reset the password of your HUD account. To choose a new password, open this link:
reset-mail-action = Choose a new password
reset-mail-expiry = The link works once, for { $minutes } minutes.
reset-mail-ignore = If you did not ask for this, ignore this mail: your password stays as it is.
