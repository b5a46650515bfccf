"""Strings that Django or allauth shows but whose translation they lack: Django's Bokmål misses
one (its Danish one exists), and allauth has no Nynorsk at all. Naming them here puts them in
locale/, which takes precedence over Django's and allauth's own catalogues."""

from django.utils.translation import gettext_noop

MISSING_IN_DJANGOS_BOKMAL = [
    gettext_noop("- Select an option -"),  # the empty choice of every select box
]

# What allauth says on Bro's sign-in, password, two-factor and connected-account pages.
MISSING_IN_ALLAUTHS_NYNORSK = [
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("Incorrect code."),
    gettext_noop("Incorrect password."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("Please type your current password."),
    gettext_noop("The new value must be different from the current one."),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Password"),
    gettext_noop("Remember Me"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Password (again)"),
    gettext_noop("Code"),
    gettext_noop("Authenticator code"),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop("Your account has no password set up."),
    gettext_noop("You cannot disconnect your last remaining third-party account."),
    gettext_noop("The third-party account is already connected to a different account."),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    gettext_noop("The third-party account has been connected."),
    gettext_noop("The third-party account has been disconnected."),
    gettext_noop("This account is currently inactive."),
]
