# Forgotten passwords: asking for a link, choosing a new password.

password-forgot-link = Forgot your password?
password-forgot-title = Forgot your password?
password-forgot-intro = Write your username or your email address. We send a link to the email address on your account.
password-forgot-field = Username or email address
password-forgot-submit = Send me a link
password-forgot-empty = Please write your username or your email address.
password-sent-title = Check your email
password-sent = If this account has an email address, we sent a link to it. The link works for 1 hour. Look in your spam folder too.
password-no-email = No email address on your account? Ask your tutor for help.
password-reset-title = Choose a new password
password-reset-for = For the account: { $username }
password-new = New password
password-again = New password again
password-reset-submit = Save my new password
password-mismatch = The two passwords are not the same. Please type them again.
password-changed-title = Your password is changed
password-changed = You can sign in with your new password now.
password-link-bad-title = This link does not work
password-link-bad = The link is too old, or it was used already. A link works one time, for 1 hour.
password-ask-again = Ask for a new link
