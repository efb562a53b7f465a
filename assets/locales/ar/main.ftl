# Presto interface strings: Arabic.
# Keep sentences short and plain. Numbers use Western digits, like the placeholders.

skip-to-content = انتقل إلى المحتوى
nav-label = القائمة الرئيسية
nav-courses = الدورات
nav-progress = تقدّمي
nav-admin = الإدارة
nav-sign-in = تسجيل الدخول
nav-sign-out = تسجيل الخروج
language-label = اللغة:
listen = استمع

home-title = الدورات
home-intro = تعلّم الإنجليزية للعمل. اختر دورة تناسب عملك.
home-register = أنشئ حسابًا
home-no-courses = لا توجد دورات بعد.

sector-hospitality = الضيافة والطعام
sector-care = الرعاية الصحية والاجتماعية
sector-childcare = رعاية الأطفال
sector-construction = البناء
sector-warehousing = المستودعات
sector-english = اللغة الإنجليزية
sector-other = دورات أخرى

course-level = مستوى الإنجليزية { $level }
course-hours = { $hours ->
    [zero] { $hours } ساعة
    [one] ساعة واحدة
    [two] ساعتان
    [few] { $hours } ساعات
    [many] { $hours } ساعة
   *[other] { $hours } ساعة
}
course-start = ابدأ هذه الدورة
course-continue = تابع من حيث توقّفت
course-complete = اكتملت الدورة
course-requires = أنهِ هذه الدورة أولًا:
course-sign-in-to-start = سجّل الدخول لتبدأ

kind-lesson = درس
kind-quiz = اختبار

progress-label = تقدّمك
progress-percent = تمّ إنجاز { $percent }%
progress-hello = مرحبًا،
progress-lessons = الدروس المنجزة: { $done } من { $total }
progress-none = لم تبدأ أي دورة بعد.

lesson-position = { $position } من { $total }
lesson-done = تمّ
lesson-mark-done = أنهيت هذا الدرس
lesson-mark-done-next = أنهيت الدرس: الدرس التالي
pager-label = الدروس
pager-previous = السابق
pager-next = التالي
callout-note = ملاحظة
callout-tip = نصيحة
callout-important = مهم
callout-warning = تحذير
callout-caution = انتبه

quiz-pass-mark = تنجح إذا حصلت على { $mark }% أو أكثر.
quiz-best-score = أفضل نتيجة لك: { $score }%
quiz-passed = ناجح
quiz-attempts-left = { $count ->
    [0] لم تبقَ لك أي محاولة.
    [one] بقيت لك محاولة واحدة.
    [two] بقيت لك محاولتان.
    [few] بقيت لك { $count } محاولات.
    [many] بقيت لك { $count } محاولة.
   *[other] بقيت لك { $count } محاولة.
}
quiz-no-attempts = استخدمت كل محاولاتك في هذا الاختبار. اطلب المساعدة من معلّمك.
quiz-choose-all = اختر كل الإجابات الصحيحة.
quiz-gap-label = الفراغ { $number }
quiz-number-label = إجابتك (رقم)
quiz-number-help = اكتب رقمًا، مثل 2.5 أو 2,5.
quiz-number-help-unit = اكتب رقمًا، مثل 2.5 أو 2,5. يمكنك كتابة الوحدة بعده أو تركها.
quiz-match = اختر الجواب المناسب لكل واحد.
quiz-order = رتّب هذه: رقم 1 هو الأول.
quiz-choose = اختر…
quiz-show-hint = أظهر تلميحًا
quiz-submit = تحقّق من إجاباتي
quiz-wrong-last-time = لم تكن الإجابة صحيحة في المرة السابقة. غيّر إجابتك.
quiz-again = إجاباتك من المرة السابقة هنا. غيّر الإجابات التي عليها ✗ ثم تحقّق مرة أخرى.
quiz-unanswered = { $count ->
    [one] السؤال { $numbers } بلا إجابة حتى الآن.
   *[other] الأسئلة { $numbers } بلا إجابة حتى الآن.
}
quiz-unanswered-choice = أجب عنها في الأسفل، أو تحقّق من إجاباتك الآن. السؤال الذي بلا إجابة يُحسب خطأ.
quiz-submit-anyway = تحقّق من إجاباتي الآن
# Between the items of a list in running text ("Questions 2, 3").
list-separator = ،{" "}

result-title = نتيجتك
result-score = النتيجة: { $score }%
result-right = الإجابات الصحيحة: { $right } من { $total }
result-passed = نجحت. أحسنت!
result-failed = لم تنجح بعد. تحتاج إلى { $mark }%. اقرأ الملاحظات وحاول مرة أخرى.
result-retry = حاول مرة أخرى
result-back-to-course = العودة إلى الدورة
result-correct = صحيح
result-incorrect = غير صحيح
result-unanswered = لا توجد إجابة
result-you-chose = اخترت:
result-your-answer = إجابتك:
result-right-answer = الإجابة الصحيحة:
result-number-wrong-unit = هذه وحدة خاطئة. الإجابة بوحدة:
result-number-no-unit = اكتب الرقم فقط، بدون كلمة بعده.
result-not-a-number = هذا ليس رقمًا. اكتب أرقامًا، مثل 5 أو 2,5.

login-title = تسجيل الدخول
login-submit = تسجيل الدخول
login-wrong = اسم المستخدم أو كلمة المرور غير صحيحة. حاول مرة أخرى من فضلك.
login-no-account = ليس لديك حساب بعد؟

register-title = أنشئ حسابًا
register-submit = أنشئ حسابي
register-taken = اسم المستخدم هذا مأخوذ. اختر اسمًا آخر من فضلك.
setup-title = أنشئ حساب المدير
setup-intro = هذا الرابط يعمل مرة واحدة فقط. يستطيع المدير إضافة المعلّمين والمنسّقين.
setup-submit = أنشئ حساب المدير

field-full-name = اسمك الكامل
field-username = اسم المستخدم
field-username-help = من 3 إلى 32 حرفًا إنجليزيًا (من a إلى z) أو رقمًا. تكتبه لتسجيل الدخول.
field-email = البريد الإلكتروني (يمكنك تركه فارغًا)
field-password = كلمة المرور
field-password-help = 8 أحرف على الأقل.

error-username = يحتاج اسم المستخدم إلى 3 حتى 32 رمزًا: أحرف (من a إلى z) أو أرقام أو نقاط (.) أو شرطات (-) أو شرطات سفلية (_).
error-username-reserved = أسماء المستخدمين التي تبدأ بـ "erased-" محجوزة للحسابات الممحوة. يرجى اختيار اسم آخر.
error-full-name = اكتب اسمك الكامل من فضلك.
error-password-short = تحتاج كلمة المرور إلى 8 أحرف على الأقل.
error-password-long = يمكن أن تكون كلمة المرور 200 حرف على الأكثر.
error-email = عنوان البريد الإلكتروني هذا لا يبدو صحيحًا.

error-go-home = اذهب إلى الصفحة الرئيسية
error-not-found = الصفحة غير موجودة
error-not-found-detail = لا نجد هذه الصفحة. تأكّد من العنوان، أو ابدأ من الصفحة الرئيسية.
error-forbidden = غير مسموح
error-forbidden-detail = حسابك لا يستطيع فتح هذه الصفحة.
error-too-many = محاولات كثيرة جدًا
error-too-many-detail = انتظر قليلًا من فضلك، ثم حاول مرة أخرى.
error-too-large = الحجم كبير جدًا
error-too-large-detail = ما أرسلته كبير جدًا. أرسل أقل من فضلك.
error-bad-request = هناك شيء غير صحيح
error-bad-request-detail = لم نستطع قراءة ما أرسلته. ارجع وحاول مرة أخرى.
error-internal = عذرًا، حدث خطأ
error-internal-detail = الخطأ منّا، وليس منك. لم يضِع شيء مما فعلته. حاول مرة أخرى بعد دقيقة من فضلك.
error-unavailable = Presto مشغول للحظة
error-unavailable-detail = ما أرسلته الآن لم يُحفظ. حاول مرة أخرى بعد لحظة من فضلك.

admin-registration = إنشاء الحسابات من قِبل المتعلّمين
admin-registration-open = يستطيع المتعلّمون إنشاء حساباتهم بأنفسهم.
admin-registration-closed = فقط المعلّمون والمديرون يستطيعون إنشاء الحسابات.
admin-registration-close = امنع المتعلّمين من إنشاء الحسابات
admin-registration-reopen = اسمح للمتعلّمين بإنشاء الحسابات
admin-courses = الدورات والحسابات
admin-courses-count = { $count ->
    [zero] لا توجد دورات منشورة.
    [one] دورة واحدة منشورة.
    [two] دورتان منشورتان.
    [few] { $count } دورات منشورة.
    [many] { $count } دورة منشورة.
   *[other] { $count } دورة منشورة.
}
admin-add-users = لإضافة معلّم أو منسّق أو مدير، شغّل هذا الأمر:
error-role = يجب أن يكون الدور learner أو tutor أو coordinator أو admin.

nav-certificates = شهاداتي
nav-manage-certificates = الشهادات
certificates-title = شهاداتي
certificates-none = ليس لديك شهادات بعد. أكمل دورة لتحصل على شهادة.
course-certificate-link = شاهد شهادتك
certificate-number = رقم الشهادة
certificate-issued = تاريخ الإصدار
certificate-valid-until = صالحة حتى
certificate-download-pdf = تنزيل الشهادة (PDF)
certificate-download-credential = تنزيل ملف الشهادة للتطبيقات ومواقع العمل
certificate-share-link = رابط للتحقق من هذه الشهادة
certificate-share-help = أعطِ هذا الرابط لصاحب العمل. يستطيع أن يرى أن شهادتك حقيقية.
certificate-copy = انسخ الرابط
certificate-copied = تم نسخ الرابط
certificate-name = الاسم
certificate-title-label = الشهادة
certificate-course = الدورة
certificate-details = التفاصيل
certificate-organisation = صادرة عن
certificate-revoked-on = أُلغيت في
certificate-status-valid = هذه الشهادة صالحة.
certificate-status-expired = انتهت صلاحية هذه الشهادة.
certificate-status-revoked = أُلغيت هذه الشهادة.
certificate-revoked-reason = السبب:
certificate-expired-on = كانت صالحة حتى
certificate-revoke = إلغاء هذه الشهادة
certificate-revoke-reason = لماذا تُلغى؟
certificate-revoke-help = كل من يتحقق من الشهادة سيرى هذا السبب.
certificate-revoke-reason-missing = من فضلك اكتب سبب إلغاء الشهادة.
certificate-revoke-reason-long = يمكن أن يكون السبب 500 حرف على الأكثر.
certificate-id-length = رقم الشهادة فيه 9 حروف وأرقام، مثل K7MX-3QPA-W.
certificate-id-character = رقم الشهادة فيه فقط الحروف والأرقام المطبوعة على الشهادة. من فضلك تحقق منه.
certificate-id-check = في رقم الشهادة هذا خطأ. من فضلك تحقق من كل حرف.
verify-title = التحقق من شهادة
verify-intro = اكتب الرقم المطبوع تحت رمز QR على الشهادة.
verify-number-help = مثلاً K7MX-3QPA-W. الحروف الصغيرة والكبيرة كلاهما يعمل.
verify-submit = تحقق
verify-another = تحقق من شهادة أخرى
verify-not-found = لم نجد الشهادة
verify-not-found-detail = لا توجد شهادة بهذا الرقم:
verify-credential-help = للبرامج التي تتحقق من الشهادات الرقمية (Open Badges 3.0):
verify-credential-link = الشهادة الموقّعة
manage-certificates-title = الشهادات
manage-certificates-search = رقم الشهادة أو اسم المتعلم
manage-certificates-find = ابحث
manage-certificates-none = لم نجد شهادات.

nav-classes = الصفوف
classes-title = الصفوف
classes-none = لا توجد صفوف بعد.
class-new = إنشاء صف جديد
class-join = الانضمام إلى صف
class-code = رمز الصف
class-members-count = عدد المتعلمين: { $count }
class-name = اسم الصف
class-sector = المجال
class-courses = الدورات
class-create = أنشئ الصف
class-code-help = أعطِ المتعلمين هذا الرمز. يكتبونه في صفحة "الانضمام إلى صف".
class-progress = شاهد تقدّم الصف
class-course-gone = غير منشورة الآن
class-no-courses = لا توجد دورات بعد.
class-sessions = الجلسات المباشرة
class-minutes = { $minutes } دقيقة
class-session-join = ادخل الجلسة
class-register = سجل الحضور
class-session-delete = احذف هذه الجلسة
class-no-sessions = لا توجد جلسات مباشرة مخطط لها.
class-session-add = خطّط لجلسة مباشرة
class-session-title = موضوع الجلسة
class-session-date = التاريخ
class-session-time = وقت البدء
class-session-duration = المدة بالدقائق
class-session-link = رابط الاجتماع (Zoom أو Teams أو Meet أو غيرها)
class-members = المتعلمون
class-import = أضف متعلمين من جدول بيانات
class-reset-password = كلمة سر جديدة
class-no-members = لا يوجد متعلمون بعد.
class-add-learner = أضف متعلماً
class-learner-name = الاسم الكامل
class-learner-name-help = اترك هذا فارغاً لإضافة متعلم لديه حساب من قبل.
class-import-help = الصق الصفوف من جدول البيانات: اسم المستخدم، الاسم الكامل، اللغة (en أو ar أو fa أو uk) والبريد الإلكتروني (يمكن تركه فارغاً). لا بأس بصف أول فيه هذه العناوين.
class-import-paste = المتعلمون (واحد في كل سطر)
class-import-submit = أضف هؤلاء المتعلمين
class-import-empty = الصق متعلماً واحداً على الأقل.
cards-title = بطاقات الدخول
cards-problems = لم تتم إضافة هذه الأسطر:
cards-line = السطر { $line }:
cards-once = اطبع هذه البطاقات أو انسخها الآن. لن تظهر كلمات السر مرة أخرى.
cards-site = الموقع
class-register-saved = تم حفظ السجل.
class-register-save = احفظ السجل
class-register-everyone = الباقون حاضرون
class-register-everyone-help = يحفظ العلامات أعلاه، ثم يجعل كل من ليس له علامة حاضرًا. العلامات المحفوظة تبقى كما هي.
attendance-present = حاضر
attendance-late = متأخر
attendance-absent = غائب
class-join-help = يعطيك المعلم الرمز. مثلاً K7MX-3QPA.
class-join-submit = انضم
class-join-unknown = لا يوجد صف بهذا الرمز. تحقق منه مع معلمك.
home-next-session = جلستك المباشرة القادمة
class-error-name = من فضلك اكتب اسم الصف (من 1 إلى 100 حرف).
class-error-sector = من فضلك اختر المجال.
class-error-course = هذه الدورة غير منشورة:
class-error-no-learner = لا يوجد متعلم بهذا الاسم. لإنشاء حساب جديد اكتب الاسم الكامل للمتعلم أيضاً.
class-error-date = من فضلك اكتب التاريخ هكذا 2026-12-01.
class-error-time = من فضلك اكتب وقت بدء مثل 10:00 موجود في ذلك اليوم.
class-error-link = يجب أن يكون رابط الاجتماع عنوان ويب يبدأ بـ https://.
class-error-session-title = من فضلك اكتب موضوع الجلسة (من 1 إلى 100 حرف).
class-error-duration = يجب أن تكون المدة بين 5 و 600 دقيقة.

# service: reports
reports-forbidden = التقارير وبيانات المتعلمين للمنسقين والمسؤولين فقط.
reports-no-learner = لا يوجد متعلم رقمه { $id }.
reports-already-erased = بيانات هذا المتعلم ممسوحة من قبل.

# service: accounts
account-registration-closed = التسجيل مغلق. اطلب حسابًا من مدرّبك أو من مدير الموقع.
account-setup-link-unknown = رابط الإعداد هذا لا يعمل: استُخدم من قبل، أو للموقع مدير بالفعل.
account-reset-link-unknown = رابط كلمة المرور هذا لا يعمل: استُخدم من قبل، أو انتهت مدته.
account-unknown-language = لغة غير معروفة: { $code }
account-admins-only = المدير وحده يستطيع فعل هذا.

# service: learning
learning-no-course = لا توجد دورة باسم "{ $slug }".
learning-no-lesson = لا يوجد درس "{ $id }" في "{ $slug }".
learning-no-attempt = لا توجد لك محاولة رقم { $attempt } في هذا الاختبار.
learning-enrol-first = سجّل في الدورة أولًا: POST /api/v1/courses/{ $slug }/enrol
learning-prerequisite = أنهِ الدورة "{ $slug }" أولًا: /api/v1/courses/{ $slug }
learning-quiz-not-by-hand = يكتمل الاختبار عندما تنجح فيه: أرسل محاولاتك بدلًا من ذلك.
learning-not-a-quiz = "{ $id }" درس وليس اختبارًا.
learning-attempt-key = يجب أن يكون ترويسة Idempotency-Key من 1 إلى { $max } حرفًا.
learning-no-attempts-left = لقد استخدمت كل محاولاتك في هذا الاختبار ({ $max }).

# service: classes
class-error-course-slug = هذه الدورة غير منشورة: { $slug }
class-error-no-class = لا يوجد صف كهذا.
class-error-not-yours = لا يفعل هذا إلا معلم الصف والمنسقون والمديرون.
class-error-create-role = لا ينشئ الصفوف إلا المعلمون والمديرون.
class-error-not-in-class = أنت لست في هذا الصف.
class-error-join-role = لا ينضم إلى الصفوف إلا المتعلمون.
class-error-code = رمز الصف 8 حروف وأرقام، مثل K7MX-3QPA.
class-error-learner-not-member = هذا المتعلم ليس في هذا الصف.
class-error-staff-password = هنا تُصنع كلمات مرور المتعلمين فقط.
class-error-no-session = لا توجد جلسة كهذه في هذا الصف.
class-error-mark = يجب أن تكون العلامة حاضر أو متأخر أو غائب (وليس "{ $mark }").
class-error-not-member = المتعلم { $id } ليس في هذا الصف: سجل الحضور لمتعلمي الصف فقط.
class-error-username-taken = اسم المستخدم "{ $name }" مأخوذ. لإضافة المتعلم صاحبه، اكتب اسم المستخدم وحده، دون الاسم الكامل.
class-progress-error-forbidden = لا يرى تقدم الصف إلا معلم الصف والمنسقون والمديرون.
invitation-error-role = لا يُدعى إلى الصفوف إلا المتعلمون.
invitation-error-none = لا توجد دعوة مفتوحة إلى هذا الصف.

# service: certificates
certificate-not-found = لا توجد شهادة بالرقم { $number }.
certificate-revoke-forbidden = المنسّقون والمديرون فقط يلغون الشهادات.
certificate-search-forbidden = المنسّقون والمديرون فقط يبحثون عن الشهادات.
certificate-download-forbidden = لا يحمّل هذه الشهادة إلا المتعلّم ومعلّموه والمنسّقون والمديرون.
