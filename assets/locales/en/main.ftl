# Presto interface strings: English (the source for every other language).
# Keep sentences short and plain: many learners read English at A1 to B1.

skip-to-content = Skip to content
nav-label = Main menu
nav-courses = Courses
nav-progress = My progress
nav-admin = Admin
nav-sign-in = Sign in
nav-sign-out = Sign out
language-label = Language:
listen = Listen

home-title = Courses
home-intro = Learn English for work. Choose a course for your job.
home-register = Make an account
home-no-courses = There are no courses yet.

sector-hospitality = Hospitality and food
sector-care = Health and social care
sector-childcare = Childcare
sector-construction = Construction
sector-warehousing = Warehousing
sector-english = English
sector-other = Other courses

course-level = English level { $level }
course-hours = { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
}
course-start = Start this course
course-continue = Continue where you left off
course-complete = Course complete
course-requires = Finish this course first:
course-sign-in-to-start = Sign in to start

kind-lesson = Lesson
kind-quiz = Quiz

progress-label = Your progress
progress-percent = { $percent }% done
progress-hello = Hello,
progress-lessons = { $done } of { $total } lessons done
progress-none = You have not started a course yet.

lesson-position = { $position } of { $total }
lesson-done = Done
lesson-mark-done = I have finished this lesson
lesson-mark-done-next = I have finished: next lesson
pager-label = Lessons
pager-previous = Previous
pager-next = Next
callout-note = Note
callout-tip = Tip
callout-important = Important
callout-warning = Warning
callout-caution = Caution

quiz-pass-mark = You pass with { $mark }% or more.
quiz-best-score = Your best score: { $score }%
quiz-passed = Passed
quiz-attempts-left = { $count ->
    [0] You have no tries left.
    [one] You have 1 try left.
   *[other] You have { $count } tries left.
}
quiz-no-attempts = You have used all your tries at this quiz. Ask your tutor for help.
quiz-choose-all = Choose all the right answers.
quiz-gap-label = Gap { $number }
quiz-number-label = Your answer (a number)
quiz-number-help = Write a number, like 2.5 or 2,5.
quiz-number-help-unit = Write a number, like 2.5 or 2,5. You can write the unit after it or leave it out.
quiz-match = Choose the right match for each one.
quiz-order = Put these in order: 1 is first.
quiz-choose = Choose…
quiz-show-hint = Show a hint
quiz-submit = Check my answers
quiz-wrong-last-time = Not right last time. Change your answer.
quiz-again = Your answers from last time are here. Change the ones marked ✗, then check again.
quiz-unanswered = { $count ->
    [one] Question { $numbers } has no answer yet.
   *[other] Questions { $numbers } have no answer yet.
}
quiz-unanswered-choice = Answer it below, or check your answers now. A question with no answer counts as wrong.
quiz-submit-anyway = Check my answers now
# Between the items of a list in running text ("Questions 2, 3").
list-separator = ,{" "}

result-title = Your result
result-score = Score: { $score }%
result-right = { $right } of { $total } right
result-passed = You passed. Well done!
result-failed = Not passed yet. You need { $mark }%. Read the feedback and try again.
result-retry = Try again
result-back-to-course = Back to the course
result-correct = Right
result-incorrect = Not right
result-unanswered = No answer
result-you-chose = You chose:
result-your-answer = Your answer:
result-right-answer = The right answer:
result-number-wrong-unit = This is the wrong unit. The answer is in:
result-number-no-unit = Write only the number, without a word after it.
result-not-a-number = This is not a number. Write digits, like 5 or 2,5.

login-title = Sign in
login-submit = Sign in
login-wrong = The username or password is wrong. Please try again.
login-no-account = No account yet?

register-title = Make an account
register-submit = Make my account
register-taken = This username is taken. Please choose another.
setup-title = Make the admin account
setup-intro = This link works once. The admin can add tutors and coordinators.
setup-submit = Make the admin account

field-full-name = Your full name
field-username = Username
field-username-help = 3 to 32 letters (a to z) or numbers. You type it to sign in.
field-email = Email (you can leave this empty)
field-password = Password
field-password-help = At least 8 characters.

error-username = A username needs 3 to 32 letters (a to z), numbers, dots, dashes or underscores.
error-username-reserved = Usernames that start with "erased-" are kept for erased accounts. Please choose another.
error-full-name = Please write your full name.
error-password-short = A password needs at least 8 characters.
error-password-long = A password can have at most 200 characters.
error-email = That email address does not look right.

error-go-home = Go to the home page
error-not-found = Page not found
error-not-found-detail = We cannot find this page. Check the address, or start from the home page.
error-forbidden = Not allowed
error-forbidden-detail = Your account cannot open this page.
error-too-many = Too many tries
error-too-many-detail = Please wait a little and try again.
error-too-large = Too much to send
error-too-large-detail = What you sent is too big. Please send less.
error-bad-request = Something is not right
error-bad-request-detail = We could not read what you sent. Go back and try again.
error-internal = Sorry, something went wrong
error-internal-detail = It is our fault, not yours. Nothing you did is lost. Please try again in a minute.
error-unavailable = Presto is busy for a moment
error-unavailable-detail = What you just sent was not saved. Please try again in a moment.

admin-registration = Learners making their own accounts
admin-registration-open = Learners can make their own accounts.
admin-registration-closed = Only tutors and admins can make accounts.
admin-registration-close = Stop learners making accounts
admin-registration-reopen = Let learners make accounts
admin-courses = Courses and accounts
admin-courses-count = { $count } courses published.
admin-add-users = To add a tutor, coordinator or admin, run:
error-role = The role must be learner, tutor, coordinator or admin.

nav-certificates = My certificates
nav-manage-certificates = Certificates
certificates-title = My certificates
certificates-none = You have no certificates yet. Finish a course to get one.
course-certificate-link = See your certificate
certificate-number = Certificate number
certificate-issued = Date of issue
certificate-valid-until = Valid until
certificate-download-pdf = Download the certificate (PDF)
certificate-download-credential = Download the certificate file for apps and job websites
certificate-share-link = Link to check this certificate
certificate-share-help = Give this link to an employer. They can see that your certificate is real.
certificate-copy = Copy the link
certificate-copied = Link copied
certificate-name = Name
certificate-title-label = Certificate
certificate-course = Course
certificate-details = Details
certificate-organisation = Issued by
certificate-revoked-on = Revoked on
certificate-status-valid = This certificate is valid.
certificate-status-expired = This certificate has expired.
certificate-status-revoked = This certificate was revoked.
certificate-revoked-reason = Reason:
certificate-expired-on = It was valid until
certificate-revoke = Revoke this certificate
certificate-revoke-reason = Why is it revoked?
certificate-revoke-help = Everyone who checks the certificate will see this reason.
certificate-revoke-reason-missing = Please write why the certificate is revoked.
certificate-revoke-reason-long = The reason can have at most 500 characters.
certificate-id-length = A certificate number has 9 letters and numbers, like K7MX-3QPA-W.
certificate-id-character = A certificate number has only the letters and numbers printed on the certificate. Please check it.
certificate-id-check = This certificate number has a mistake in it. Please check each letter.
verify-title = Check a certificate
verify-intro = Type the number printed under the QR code on the certificate.
verify-number-help = For example K7MX-3QPA-W. Small or capital letters both work.
verify-submit = Check
verify-another = Check another certificate
verify-not-found = Certificate not found
verify-not-found-detail = No certificate has this number:
verify-credential-help = For software that checks digital credentials (Open Badges 3.0):
verify-credential-link = the signed credential
manage-certificates-title = Certificates
manage-certificates-search = Certificate number or learner's name
manage-certificates-find = Find
manage-certificates-none = No certificates found.

nav-classes = Classes
classes-title = Classes
classes-none = No classes yet.
class-new = Make a new class
class-join = Join a class
class-code = Class code
class-members-count = { $count } learners
class-name = Class name
class-sector = Sector
class-courses = Courses
class-create = Make the class
class-code-help = Give learners this code. They type it on the "Join a class" page.
class-progress = See the class's progress
class-course-gone = not published now
class-no-courses = No courses yet.
class-sessions = Live sessions
class-minutes = { $minutes } minutes
class-session-join = Join the session
class-register = Attendance register
class-session-delete = Delete this session
class-no-sessions = No live sessions planned.
class-session-add = Plan a live session
class-session-title = What the session is about
class-session-date = Date
class-session-time = Start time
class-session-duration = Length in minutes
class-session-link = Meeting link (Zoom, Teams, Meet or other)
class-members = Learners
class-import = Add learners from a spreadsheet
class-reset-password = New password
class-no-members = No learners yet.
class-add-learner = Add a learner
class-learner-name = Full name
class-learner-name-help = Leave this empty to add a learner who already has an account.
class-import-help = Paste the rows from your spreadsheet: username, full name, language (en, ar, fa or uk) and email (you can leave email empty). A first row with these titles is fine.
class-import-paste = Learners (one per line)
class-import-submit = Add these learners
class-import-empty = Paste at least one learner.
cards-title = Login cards
cards-problems = These lines were not added:
cards-line = Line { $line }:
cards-once = Print or copy these cards now. The passwords are not shown again.
cards-site = Website
class-register-saved = The register is saved.
class-register-save = Save the register
class-register-everyone = Everyone else present
class-register-everyone-help = Saves the marks above, then marks everyone without a mark as present. Marks already saved stay.
attendance-present = Present
attendance-late = Late
attendance-absent = Absent
class-join-help = Your tutor gives you the code. For example K7MX-3QPA.
class-join-submit = Join
class-join-unknown = No class has this code. Check it with your tutor.
home-next-session = Your next live session
class-error-name = Please write a class name (1 to 100 characters).
class-error-sector = Please choose a sector.
class-error-course = This course is not published:
class-error-no-learner = No learner has this username. To make a new account, write the learner's full name too.
class-error-date = Please give the date like 2026-12-01.
class-error-time = Please give a start time like 10:00 that exists on that day.
class-error-link = The meeting link must be a web address starting with https://.
class-error-session-title = Please say what the session is about (1 to 100 characters).
class-error-duration = The length must be between 5 and 600 minutes.

# service: reports
reports-forbidden = Only coordinators and admins see reports and learners' data.
reports-no-learner = There is no learner { $id }.
reports-already-erased = This learner is already erased.

# service: accounts
account-registration-closed = Registration is closed. Ask your tutor or the site's admin for an account.
account-setup-link-unknown = This set-up link does not work: it was used already, or the site has an admin.
account-reset-link-unknown = This password link does not work: it was used already, or it is too old.
account-unknown-language = Unknown language: { $code }
account-admins-only = Only an admin can do this.

# service: learning
learning-no-course = There is no course "{ $slug }".
learning-no-lesson = There is no lesson "{ $id }" in "{ $slug }".
learning-no-attempt = There is no attempt { $attempt } of yours at this quiz.
learning-enrol-first = Enrol first: POST /api/v1/courses/{ $slug }/enrol
learning-prerequisite = Finish the course "{ $slug }" first: /api/v1/courses/{ $slug }
learning-quiz-not-by-hand = A quiz is done when it is passed: POST its attempts instead.
learning-not-a-quiz = "{ $id }" is a lesson, not a quiz.
learning-attempt-key = The Idempotency-Key header must be 1 to { $max } characters.
learning-no-attempts-left = You have used all { $max } attempts at this quiz.

# service: classes
class-error-course-slug = This course is not published: { $slug }
class-error-no-class = There is no such class.
class-error-not-yours = Only the class's tutor, coordinators and admins may do this.
class-error-create-role = Only tutors and admins make classes.
class-error-not-in-class = You are not in this class.
class-error-join-role = Only learners join classes.
class-error-code = A class code has 8 letters and numbers, like K7MX-3QPA.
class-error-learner-not-member = This learner is not in this class.
class-error-staff-password = Only a learner's password is made here.
class-error-no-session = This class has no such session.
class-error-mark = A mark must be present, late or absent (not "{ $mark }").
class-error-not-member = Learner { $id } is not in this class: only its learners are on its register.
class-error-username-taken = The username "{ $name }" is taken. To add the learner who has it, give the username alone, without a full name.
class-progress-error-forbidden = Only the class's tutor, coordinators and admins see a class's progress.
invitation-error-role = Only learners are invited to classes.
invitation-error-none = There is no open invitation to this class.

# service: certificates
certificate-not-found = No certificate has the number { $number }.
certificate-revoke-forbidden = Only coordinators and admins revoke certificates.
certificate-search-forbidden = Only coordinators and admins find certificates.
certificate-download-forbidden = Only the learner, their tutors, coordinators and admins may download this certificate.
