# Presto interface strings: Dari (Afghan Persian).
# Keep sentences short and plain. Numbers use Western digits, like the placeholders.

skip-to-content = رفتن به محتوا
nav-label = مینوی اصلی
nav-courses = کورس‌ها
nav-progress = پیشرفت من
nav-admin = مدیریت
nav-sign-in = داخل شدن
nav-sign-out = بیرون شدن
language-label = زبان:
listen = گوش کنید

home-title = کورس‌ها
home-intro = انگلیسی را برای کار یاد بگیرید. یک کورس مناسب کار خود را انتخاب کنید.
home-register = حساب بسازید
home-no-courses = هنوز هیچ کورسی نیست.

sector-hospitality = هوتل‌داری و غذا
sector-care = صحت و مراقبت اجتماعی
sector-childcare = مراقبت از اطفال
sector-construction = ساختمان‌سازی
sector-warehousing = گدام‌داری
sector-english = انگلیسی
sector-other = کورس‌های دیگر

course-level = سطح انگلیسی { $level }
course-hours = { $hours } ساعت
course-start = این کورس را شروع کنید
course-continue = از جایی که ماندید، ادامه دهید
course-complete = کورس تمام شد
course-requires = اول این کورس را تمام کنید:
course-sign-in-to-start = برای شروع، داخل شوید

kind-lesson = درس
kind-quiz = امتحان

progress-label = پیشرفت شما
progress-percent = { $percent }% تمام شد
progress-hello = سلام،
progress-lessons = { $done } از { $total } درس تمام شد
progress-none = شما هنوز هیچ کورسی را شروع نکرده‌اید.

lesson-position = { $position } از { $total }
lesson-done = تمام شد
lesson-mark-done = این درس را تمام کردم
lesson-mark-done-next = تمام کردم: درس بعدی
pager-label = درس‌ها
pager-previous = قبلی
pager-next = بعدی
callout-note = یادداشت
callout-tip = نکته
callout-important = مهم
callout-warning = هشدار
callout-caution = احتیاط

quiz-pass-mark = اگر { $mark }% یا بیشتر بگیرید، کامیاب می‌شوید.
quiz-best-score = بهترین نمرهٔ شما: { $score }%
quiz-passed = کامیاب
quiz-attempts-left = { $count ->
    [0] دیگر هیچ فرصتی ندارید.
    [one] یک فرصت دیگر دارید.
   *[other] { $count } فرصت دیگر دارید.
}
quiz-no-attempts = شما همهٔ فرصت‌های خود را برای این امتحان استفاده کردید. از استاد خود کمک بخواهید.
quiz-choose-all = همهٔ جواب‌های درست را انتخاب کنید.
quiz-gap-label = جای خالی { $number }
quiz-number-label = جواب شما (یک عدد)
quiz-number-help = یک عدد بنویسید، مثل 2.5 یا 2,5.
quiz-number-help-unit = یک عدد بنویسید، مثل 2.5 یا 2,5. می‌توانید واحد را بعد از آن بنویسید یا ننویسید.
quiz-match = برای هر کدام، جواب مناسب را انتخاب کنید.
quiz-order = این‌ها را به ترتیب بگذارید: 1 اولی است.
quiz-choose = انتخاب کنید…
quiz-show-hint = رهنمایی را ببینید
quiz-submit = جواب‌هایم را بررسی کنید
quiz-wrong-last-time = دفعهٔ قبل درست نبود. جواب‌تان را تغییر دهید.
quiz-again = جواب‌های دفعهٔ قبل شما اینجاست. جواب‌هایی را که ✗ دارند تغییر دهید و دوباره بررسی کنید.
quiz-unanswered = { $count ->
    [one] سؤال { $numbers } هنوز جواب ندارد.
   *[other] سؤال‌های { $numbers } هنوز جواب ندارند.
}
quiz-unanswered-choice = در پایین جواب بدهید، یا همین حالا جواب‌هایتان را بررسی کنید. سؤال بدون جواب غلط حساب می‌شود.
quiz-submit-anyway = همین حالا جواب‌هایم را بررسی کنید
# Between the items of a list in running text ("Questions 2, 3").
list-separator = ،{" "}

result-title = نتیجهٔ شما
result-score = نمره: { $score }%
result-right = { $right } از { $total } درست
result-passed = شما کامیاب شدید. شاباش!
result-failed = هنوز کامیاب نشده‌اید. به { $mark }% ضرورت دارید. توضیحات را بخوانید و دوباره کوشش کنید.
result-retry = دوباره کوشش کنید
result-back-to-course = برگشت به کورس
result-correct = درست
result-incorrect = غلط
result-unanswered = بدون جواب
result-you-chose = شما انتخاب کردید:
result-your-answer = جواب شما:
result-right-answer = جواب درست:
result-number-wrong-unit = این واحد غلط است. جواب به این واحد است:
result-number-no-unit = فقط عدد را بنویسید، بدون کلمه بعد از آن.
result-not-a-number = این عدد نیست. با رقم بنویسید، مثل 5 یا 2,5.

login-title = داخل شدن
login-submit = داخل شدن
login-wrong = نام کاربر یا رمز غلط است. لطفاً دوباره کوشش کنید.
login-no-account = هنوز حساب ندارید؟

register-title = حساب بسازید
register-submit = حسابم را بساز
register-taken = این نام کاربر قبلاً گرفته شده. لطفاً نام دیگری انتخاب کنید.
setup-title = ساختن حساب مدیر
setup-intro = این لینک فقط یک بار کار می‌کند. مدیر می‌تواند استادان و هماهنگ‌کننده‌ها را اضافه کند.
setup-submit = ساختن حساب مدیر

field-full-name = نام کامل شما
field-username = نام کاربر
field-username-help = 3 تا 32 حرف انگلیسی (a تا z) یا عدد. برای داخل شدن، آن را می‌نویسید.
field-email = ایمیل (می‌توانید خالی بگذارید)
field-password = رمز
field-password-help = حداقل 8 حرف.

error-username = نام کاربر باید 3 تا 32 حرف باشد: حروف انگلیسی (a تا z)، عدد، نقطه (.)، خط تیره (-) یا زیرخط (_).
error-username-reserved = نام‌های کاربری که با "erased-" شروع می‌شوند برای حساب‌های پاک‌شده نگه داشته شده‌اند. لطفاً نام دیگری انتخاب کنید.
error-full-name = لطفاً نام کامل خود را بنویسید.
error-password-short = رمز باید حداقل 8 حرف باشد.
error-password-long = رمز نمی‌تواند بیشتر از 200 حرف باشد.
error-email = این آدرس ایمیل درست معلوم نمی‌شود.

error-go-home = رفتن به صفحهٔ اصلی
error-not-found = صفحه پیدا نشد
error-not-found-detail = این صفحه را پیدا کرده نمی‌توانیم. آدرس را بررسی کنید، یا از صفحهٔ اصلی شروع کنید.
error-forbidden = اجازه نیست
error-forbidden-detail = حساب شما این صفحه را باز کرده نمی‌تواند.
error-too-many = کوشش‌های بسیار زیاد
error-too-many-detail = لطفاً کمی صبر کنید و دوباره کوشش کنید.
error-too-large = بسیار زیاد است
error-too-large-detail = چیزی که فرستادید بسیار بزرگ است. لطفاً کمتر بفرستید.
error-bad-request = چیزی درست نیست
error-bad-request-detail = چیزی را که فرستادید، خوانده نتوانستیم. برگردید و دوباره کوشش کنید.
error-internal = معذرت می‌خواهیم، مشکلی پیش آمد
error-internal-detail = این اشتباه ما است، نه شما. هیچ چیزی که انجام دادید از بین نرفته. لطفاً بعد از یک دقیقه دوباره کوشش کنید.
error-unavailable = Presto برای لحظه‌ای مصروف است
error-unavailable-detail = چیزی که همین حالا فرستادید ذخیره نشد. لطفاً بعد از چند لحظه دوباره کوشش کنید.

admin-registration = ساختن حساب توسط خود شاگردان
admin-registration-open = شاگردان می‌توانند خودشان حساب بسازند.
admin-registration-closed = فقط استادان و مدیران می‌توانند حساب بسازند.
admin-registration-close = شاگردان دیگر حساب نسازند
admin-registration-reopen = اجازه بدهید شاگردان حساب بسازند
admin-courses = کورس‌ها و حساب‌ها
admin-courses-count = { $count } کورس نشر شده است.
admin-add-users = برای اضافه کردن استاد، هماهنگ‌کننده یا مدیر، این را اجرا کنید:
error-role = نقش باید learner، tutor، coordinator یا admin باشد.

nav-certificates = سرتفیکت‌های من
nav-manage-certificates = سرتفیکت‌ها
certificates-title = سرتفیکت‌های من
certificates-none = شما هنوز سرتفیکت ندارید. یک کورس را تمام کنید تا سرتفیکت بگیرید.
course-certificate-link = سرتفیکت خود را ببینید
certificate-number = شماره سرتفیکت
certificate-issued = تاریخ صدور
certificate-valid-until = معتبر تا
certificate-download-pdf = دانلود سرتفیکت (PDF)
certificate-download-credential = دانلود فایل سرتفیکت برای اپلیکیشن‌ها و سایت‌های کاریابی
certificate-share-link = لینک برای بررسی این سرتفیکت
certificate-share-help = این لینک را به کارفرما بدهید. او می‌تواند ببیند که سرتفیکت شما واقعی است.
certificate-copy = لینک را کاپی کنید
certificate-copied = لینک کاپی شد
certificate-name = نام
certificate-title-label = سرتفیکت
certificate-course = کورس
certificate-details = جزئیات
certificate-organisation = صادر شده توسط
certificate-revoked-on = لغو شده در
certificate-status-valid = این سرتفیکت معتبر است.
certificate-status-expired = اعتبار این سرتفیکت تمام شده است.
certificate-status-revoked = این سرتفیکت لغو شده است.
certificate-revoked-reason = دلیل:
certificate-expired-on = معتبر بود تا
certificate-revoke = لغو این سرتفیکت
certificate-revoke-reason = چرا لغو می‌شود؟
certificate-revoke-help = هر کسی که سرتفیکت را بررسی کند این دلیل را می‌بیند.
certificate-revoke-reason-missing = لطفاً بنویسید چرا سرتفیکت لغو می‌شود.
certificate-revoke-reason-long = دلیل حداکثر ۵۰۰ حرف می‌تواند باشد.
certificate-id-length = شماره سرتفیکت ۹ حرف و عدد دارد، مانند K7MX-3QPA-W.
certificate-id-character = شماره سرتفیکت فقط حروف و اعدادی را دارد که روی سرتفیکت چاپ شده است. لطفاً آن را بررسی کنید.
certificate-id-check = این شماره سرتفیکت یک اشتباه دارد. لطفاً هر حرف را بررسی کنید.
verify-title = بررسی سرتفیکت
verify-intro = شماره‌ای را که زیر کد QR روی سرتفیکت چاپ شده بنویسید.
verify-number-help = مثلاً K7MX-3QPA-W. حروف کوچک و بزرگ هر دو کار می‌کنند.
verify-submit = بررسی
verify-another = بررسی سرتفیکت دیگر
verify-not-found = سرتفیکت پیدا نشد
verify-not-found-detail = هیچ سرتفیکتی این شماره را ندارد:
verify-credential-help = برای برنامه‌هایی که سرتفیکت‌های دیجیتال را بررسی می‌کنند (Open Badges 3.0):
verify-credential-link = سرتفیکت امضا شده
manage-certificates-title = سرتفیکت‌ها
manage-certificates-search = شماره سرتفیکت یا نام شاگرد
manage-certificates-find = جستجو
manage-certificates-none = هیچ سرتفیکتی پیدا نشد.

nav-classes = صنف‌ها
classes-title = صنف‌ها
classes-none = هنوز صنفی نیست.
class-new = ساختن صنف نو
class-join = پیوستن به صنف
class-code = کود صنف
class-members-count = { $count } شاگرد
class-name = نام صنف
class-sector = بخش
class-courses = کورس‌ها
class-create = صنف را بسازید
class-code-help = این کود را به شاگردان بدهید. آن‌ها آن را در صفحه «پیوستن به صنف» می‌نویسند.
class-progress = پیشرفت صنف را ببینید
class-course-gone = حالا نشر نشده
class-no-courses = هنوز کورسی نیست.
class-sessions = جلسه‌های زنده
class-minutes = { $minutes } دقیقه
class-session-join = به جلسه بپیوندید
class-register = حاضری
class-session-delete = این جلسه را حذف کنید
class-no-sessions = هیچ جلسه زنده‌ای پلان نشده.
class-session-add = یک جلسه زنده پلان کنید
class-session-title = موضوع جلسه
class-session-date = تاریخ
class-session-time = وقت شروع
class-session-duration = مدت به دقیقه
class-session-link = لینک جلسه (Zoom، Teams، Meet یا دیگر)
class-members = شاگردان
class-import = شاگردان را از یک جدول اضافه کنید
class-reset-password = رمز نو
class-no-members = هنوز شاگردی نیست.
class-add-learner = یک شاگرد اضافه کنید
class-learner-name = نام کامل
class-learner-name-help = برای اضافه کردن شاگردی که حساب دارد، این را خالی بگذارید.
class-import-help = سطرهای جدول خود را اینجا بچسبانید: نام کاربری، نام کامل، زبان (en، ar، fa یا uk) و ایمیل (ایمیل را می‌توانید خالی بگذارید). سطر اول با این عنوان‌ها هم درست است.
class-import-paste = شاگردان (هر کدام در یک سطر)
class-import-submit = این شاگردان را اضافه کنید
class-import-empty = اقلاً یک شاگرد را بچسبانید.
cards-title = کارت‌های ورود
cards-problems = این سطرها اضافه نشدند:
cards-line = سطر { $line }:
cards-once = این کارت‌ها را حالا چاپ یا کاپی کنید. رمزها دوباره نشان داده نمی‌شوند.
cards-site = ویب‌سایت
class-register-saved = حاضری ذخیره شد.
class-register-save = حاضری را ذخیره کنید
class-register-everyone = بقیه حاضرند
class-register-everyone-help = علامت‌های بالا را ذخیره می‌کند، بعد هر کس بدون علامت را حاضر می‌زند. علامت‌های ذخیره‌شده همان‌طور می‌مانند.
attendance-present = حاضر
attendance-late = با تأخیر
attendance-absent = غیرحاضر
class-join-help = معلم شما کود را به شما می‌دهد. مثلاً K7MX-3QPA.
class-join-submit = بپیوندید
class-join-unknown = هیچ صنفی این کود را ندارد. آن را با معلم خود بررسی کنید.
home-next-session = جلسه زنده بعدی شما
class-error-name = لطفاً نام صنف را بنویسید (۱ تا ۱۰۰ حرف).
class-error-sector = لطفاً یک بخش را انتخاب کنید.
class-error-course = این کورس نشر نشده:
class-error-no-learner = هیچ شاگردی این نام کاربری را ندارد. برای ساختن حساب نو، نام کامل شاگرد را هم بنویسید.
class-error-date = لطفاً تاریخ را مانند 2026-12-01 بنویسید.
class-error-time = لطفاً وقت شروع را مانند 10:00 بنویسید که در آن روز وجود داشته باشد.
class-error-link = لینک جلسه باید یک آدرس ویب باشد که با https:// شروع شود.
class-error-session-title = لطفاً بنویسید جلسه درباره چیست (۱ تا ۱۰۰ حرف).
class-error-duration = مدت باید بین ۵ و ۶۰۰ دقیقه باشد.

# service: reports
reports-forbidden = تنها هماهنگ‌کننده‌ها و مدیران گزارش‌ها و معلومات شاگردان را می‌بینند.
reports-no-learner = شاگردی با نمبر { $id } نیست.
reports-already-erased = معلومات این شاگرد پیش از این پاک شده است.

# service: accounts
account-registration-closed = ثبت نام بسته است. از استاد خود یا مدیر سایت یک حساب بخواهید.
account-setup-link-unknown = این لینک راه اندازی کار نمی کند: قبلاً استفاده شده، یا سایت مدیر دارد.
account-reset-link-unknown = این لینک رمز عبور کار نمی کند: قبلاً استفاده شده، یا وقت آن گذشته است.
account-unknown-language = زبان ناشناخته: { $code }
account-admins-only = فقط مدیر می تواند این کار را بکند.

# service: learning
learning-no-course = کورسی به نام "{ $slug }" وجود ندارد.
learning-no-lesson = درسی به نام "{ $id }" در "{ $slug }" وجود ندارد.
learning-no-attempt = شما تلاش شماره { $attempt } در این آزمون ندارید.
learning-enrol-first = اول در کورس ثبت نام کنید: POST /api/v1/courses/{ $slug }/enrol
learning-prerequisite = اول کورس "{ $slug }" را تمام کنید: /api/v1/courses/{ $slug }
learning-quiz-not-by-hand = آزمون وقتی تمام می شود که در آن کامیاب شوید: به جای آن، تلاش های خود را بفرستید.
learning-not-a-quiz = "{ $id }" یک درس است، نه آزمون.
learning-attempt-key = سرخط Idempotency-Key باید از 1 تا { $max } حرف باشد.
learning-no-attempts-left = شما همه { $max } تلاش خود را در این آزمون استفاده کرده اید.

# service: classes
class-error-course-slug = این کورس نشر نشده: { $slug }
class-error-no-class = چنین صنفی وجود ندارد.
class-error-not-yours = فقط معلم صنف، هماهنگ‌کننده‌ها و مدیران می‌توانند این کار را بکنند.
class-error-create-role = فقط معلمان و مدیران صنف می‌سازند.
class-error-not-in-class = شما در این صنف نیستید.
class-error-join-role = فقط شاگردان به صنف‌ها می‌پیوندند.
class-error-code = کود صنف ۸ حرف و عدد دارد، مثل K7MX-3QPA.
class-error-learner-not-member = این شاگرد در این صنف نیست.
class-error-staff-password = اینجا فقط رمز شاگردان ساخته می‌شود.
class-error-no-session = این صنف چنین جلسه‌ای ندارد.
class-error-mark = نشانه باید حاضر، دیر یا غایب باشد (نه "{ $mark }").
class-error-not-member = شاگرد { $id } در این صنف نیست: فقط شاگردان صنف در دفتر حاضری هستند.
class-error-username-taken = نام کاربری "{ $name }" گرفته شده است. برای افزودن شاگردی که آن را دارد، فقط نام کاربری را بدهید، بدون نام کامل.
class-progress-error-forbidden = فقط معلم صنف، هماهنگ‌کننده‌ها و مدیران پیشرفت صنف را می‌بینند.
invitation-error-role = فقط شاگردان به صنف‌ها دعوت می‌شوند.
invitation-error-none = دعوت بازی به این صنف وجود ندارد.

# service: certificates
certificate-not-found = هیچ سرتفیکتی شماره { $number } را ندارد.
certificate-revoke-forbidden = فقط هماهنگ‌کننده‌ها و مدیران سرتفیکت‌ها را لغو می‌کنند.
certificate-search-forbidden = فقط هماهنگ‌کننده‌ها و مدیران سرتفیکت‌ها را جستجو می‌کنند.
certificate-download-forbidden = فقط خود شاگرد، استادانش، هماهنگ‌کننده‌ها و مدیران می‌توانند این سرتفیکت را دانلود کنند.
