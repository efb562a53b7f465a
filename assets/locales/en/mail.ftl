# Emails: English (the source for every other language).
# Plain words, short sentences: many readers are learning English (A1 to B1).

mail-hello = Hello { $name },
mail-footer = This email is from { $organisation }. You get it because you have an account with us.

mail-certificate-subject = Your certificate: { $course }
mail-certificate-done = Well done! You finished the course "{ $course }".
mail-certificate-attached = Your certificate is in this email, as a PDF file. You can print it, or show it to an employer.
mail-certificate-number = Certificate number: { $id }
mail-certificate-check = An employer can check your certificate on this page:
mail-certificate-check-button = Check the certificate

mail-reset-subject = Choose a new password
mail-reset-asked = Someone asked to change the password of your account "{ $username }".
mail-reset-link = To choose a new password, open this link. It works one time, for 1 hour.
mail-reset-button = Choose a new password
mail-reset-not-you = Did you not ask for this? Then do nothing. Your password stays the same.
