# The "Your account" page: who is signed in, and signing out everywhere.

nav-account = Your account
account-title = Your account
account-name = Name
account-username = Username
account-everywhere-title = Signed in on other phones or computers?
account-devices = { $count ->
    [one] You are signed in on 1 phone or computer: this one.
   *[other] You are signed in on { $count } phones or computers, this one too.
}
account-everywhere-why = Did you sign in on a phone or computer that other people use, or lose one? Sign out on all devices. Apps that use your account are signed out too. Then sign in again with your password.
account-sign-out-everywhere = Sign out on all devices

account-password-title = Change your password
account-password-current = Your password now
account-password-submit = Save my new password
account-password-others = Other phones and computers are signed out. Apps too. This one stays signed in.
account-password-changed = Your password is changed. Use the new password next time you sign in.
account-password-wrong = Your password now is not right. Please type it again.
