# نصوص واجهة Presto للمعلمين الذين يكتبون الدورات: العربية.

nav-authoring = كتابة الدورات

authoring-title = كتابة الدورات
authoring-intro = عدّل وحدة هنا، أو ارفع دورة كاملة كملف zip. يفحص Presto الدورة أولاً، مثل presto check. ولا ينشرها إلا إذا لم يكن فيها أخطاء.
authoring-upload-new = رفع دورة جديدة
authoring-upload-version = رفع نسخة جديدة
authoring-published-version = منشورة: النسخة { $version }
authoring-not-published = غير منشورة
authoring-modules = الوحدات
authoring-edit = تعديل
authoring-not-editable = لتعديل هذه الوحدة هنا، غيّر اسم الملف ليكون فيه أحرف وأرقام وشرطات فقط.
authoring-not-on-disk = هذه الدورة ليست في مجلد الدورات. ارفعها كملف zip لتعديلها هنا.
authoring-no-courses = لا توجد دورات بعد. ارفع دورة كملف zip.

upload-title = رفع دورة
upload-title-version = رفع نسخة جديدة من
upload-file = ملف zip
upload-file-help = ملف zip فيه مجلد دورة واحدة.
upload-submit = افحص وانشر
upload-rules-title = ما يجب أن يحتويه ملف zip
upload-rule-folder = مجلد دورة واحد: ملف course.toml في أعلى ملف zip، أو داخل مجلد واحد.
upload-rule-size = { $zip } ميغابايت على الأكثر، و{ $unpacked } ميغابايت على الأكثر بعد فك الضغط.
upload-rule-files = { $files } ملف على الأكثر. لا روابط (اختصارات)، ولا مسارات تخرج من المجلد.
upload-rule-used = يحتفظ Presto بملف course.toml وملفات الوحدات (.md) ومجلد media. ويترك الملفات الأخرى.
upload-rule-replace = تُستبدل الدورة وتأخذ نسخة جديدة. يحتفظ المتعلمون بتقدمهم.
upload-rule-new = لا يجوز أن يكون لدورة أخرى اسم المجلد نفسه. لتحديث دورة، استخدم «رفع نسخة جديدة» في قائمة الدورات.
upload-rule-check = إذا كانت في الدورة أخطاء، فلا يُحفظ شيء ولا يُنشر. وترى كل مشكلة كما يعرضها presto check.
upload-published = نُشرت: النسخة { $version }. يراها المتعلمون الآن.
upload-unchanged = لم يتغير شيء: هذه هي النسخة { $version } نفسها.
upload-open-course = افتح الدورة
upload-back = العودة إلى قائمة الدورات
upload-left-out = لا يستخدم Presto هذه الملفات، لذلك تُركت:
upload-has-errors = في الدورة أخطاء، لذلك لم يُحفظ شيء ولم يُنشر. أصلح المشكلات أدناه وارفع ملف zip مرة أخرى.
upload-no-file = اختر ملف zip لرفعه.
upload-bad-form = تعذرت قراءة الملف المرفوع. اختر الملف مرة أخرى وحاول من جديد.
upload-slug-taken = توجد دورة اسمها { $slug } من قبل. لاستبدالها، استخدم «رفع نسخة جديدة» بجانبها في قائمة الدورات. لدورة جديدة، أعطِ المجلد اسماً آخر.
upload-wrong-course = ملف zip هذا فيه الدورة { $found }، وليس { $expected }. ارفع ملف zip الصحيح، أو ارفعه كدورة جديدة.

zip-not-a-zip = هذا الملف ليس ملف zip. اصنع ملف zip من مجلد الدورة وارفعه.
zip-too-big = ملف zip كبير جداً: الحد الأقصى { $limit } ميغابايت. صغّر الصور وملفات الصوت، أو قسّم الدورة.
zip-too-big-unpacked = ملف zip كبير جداً بعد فك الضغط: الحد الأقصى للدورة { $limit } ميغابايت.
zip-too-many-files = في ملف zip ملفات كثيرة جداً: الحد الأقصى { $limit }.
zip-unsafe-path = في ملف zip ملف مساره يخرج من المجلد: { $path }. اصنع ملف zip من جديد من مجلد الدورة.
zip-symlink = في ملف zip رابط (اختصار): { $path }. الروابط غير مسموحة. ضع الملف الحقيقي في المجلد بدلاً منه.
zip-outside-course = في ملف zip ملف خارج مجلد الدورة: { $path }. ملف zip فيه مجلد دورة واحد فقط ولا شيء بجانبه.
zip-no-course = ليس في ملف zip ملف course.toml. ضع course.toml في أعلى ملف zip، أو اصنع ملف zip من مجلد الدورة نفسه.
zip-unreadable = لا يمكن فك ضغط ملف في zip ({ $path }): { $reason }.

editor-title = تعديل
editor-course = الدورة:
editor-text = نص الوحدة (markdown)
editor-help = يفحص Presto النص أثناء الكتابة. زر «نشر» يحفظ الوحدة وينشر الدورة، ولكن فقط إذا لم يكن فيها أخطاء.
editor-check = افحص واعرض
editor-publish = نشر
editor-checking = جارٍ الفحص…
editor-check-failed = لم ينجح الفحص. استخدم زر «افحص واعرض».
editor-published = نُشرت: النسخة { $version }. يرى المتعلمون النص الجديد الآن.
editor-has-errors = لم تُنشر: في الدورة أخطاء. أصلحها وانشر مرة أخرى.
editor-changed = لم تُنشر: غيّر شخص آخر هذه الوحدة بعد أن فتحتها. نصك ما زال في الأسفل. انسخه، وافتح الوحدة من جديد، وأجرِ تغييراتك هناك.
editor-open-again = افتح الوحدة من جديد (في علامة تبويب جديدة)
editor-too-large = هذه الوحدة كبيرة جداً للتعديل في المتصفح. قسّمها إلى وحدات أصغر.

check-title = الفحص
check-counts = { $errors ->
    [zero] لا أخطاء
    [one] خطأ واحد
    [two] خطآن
    [few] { $errors } أخطاء
   *[other] { $errors } خطأ
}، { $warnings ->
    [zero] لا تحذيرات.
    [one] تحذير واحد.
    [two] تحذيران.
    [few] { $warnings } تحذيرات.
   *[other] { $warnings } تحذير.
}
check-ready = جاهزة للنشر.
check-not-ready = ليست جاهزة للنشر: أصلح الأخطاء أولاً.
check-error = خطأ
check-warning = تحذير
check-where = السطر { $line }، العمود { $column }
check-hint = طريقة الإصلاح:
preview-title = معاينة
preview-help = هكذا سيرى المتعلمون الوحدة.
preview-none = لا شيء للعرض بعد: تحتاج الوحدة إلى عنوان # ودروس ##.

authoring-owner = المالك:
authoring-co-author = مؤلف مشارك:
authoring-no-owner = لا مالك بعد: المسؤولون فقط يمكنهم تغيير هذه الدورة.
authoring-not-yours-help = مالك الدورة ومؤلفوها المشاركون والمسؤولون فقط يمكنهم تغيير هذه الدورة.
authoring-people = من يمكنه تغييرها
authoring-versions = النسخ السابقة ({ $count })
authoring-not-yours = لا يمكنك تغيير الدورة { $slug }. مالكها ومؤلفوها المشاركون والمسؤولون فقط يمكنهم ذلك. اطلب من المالك أن يضيفك مؤلفًا مشاركًا.
authoring-admins-only = المسؤولون فقط يمكنهم فعل هذا.

authors-title = من يمكنه تغيير هذه الدورة
authors-intro = يمكن للمالك والمؤلفين المشاركين رفع نسخ جديدة وتعديل الوحدات. ويمكن للمسؤولين ذلك أيضًا. المالك والمسؤولون يختارون المؤلفين المشاركين.
authors-who = المالك والمؤلفون المشاركون
authors-remove = إزالة
authors-add-title = إضافة مؤلف مشارك
authors-username = اسم المستخدم
authors-add-help = مدرّس أو مسؤول يمكنه تغيير هذه الدورة أيضًا.
authors-add = إضافة مؤلف مشارك
authors-owner-title = اختيار المالك
authors-owner-help = مدرّس أو مسؤول. المالك السابق لن يستطيع تغيير الدورة بعد ذلك، إلا إذا أضفته مؤلفًا مشاركًا.
authors-owner-set-button = اجعله المالك
authors-added = تمت إضافة المؤلف المشارك.
authors-removed = تمت إزالة المؤلف المشارك.
authors-owner-set = تم تغيير المالك.
authors-not-yours = مالك { $slug } والمسؤولون فقط يمكنهم اختيار من يغيّرها.
authors-no-such-person = لا يوجد أحد باسم المستخدم { $username }.
authors-cannot-author = لا يمكن لـ { $username } كتابة الدورات: المدرّسون والمسؤولون فقط يمكنهم ذلك.
authors-is-owner = { $username } هو مالك { $slug } بالفعل.
authors-already = { $username } مؤلف مشارك في { $slug } بالفعل.

versions-title = النسخ السابقة
versions-intro = عندما تحل نسخة جديدة محل دورة، يحتفظ Presto بالنسخة السابقة. يمكنك إعادة إحداها: تُنشر كنسخة جديدة، ويُحتفظ أيضًا بالنسخة التي يراها المتعلمون الآن. يحتفظ المتعلمون بتقدمهم.
versions-kept = النسخة السابقة { $number }
versions-replaced = استُبدلت في { $when }
versions-restore = استعادة
versions-none = لا توجد نسخ سابقة محفوظة لهذه الدورة بعد.
versions-restored = تمت الاستعادة: نُشرت كنسخة { $version }. يراها المتعلمون الآن.
versions-restore-title = استعادة نسخة سابقة
versions-restore-help = سيرى المتعلمون هذه النسخة فورًا، كنسخة جديدة من الدورة. يُحتفظ بالنسخة التي يرونها الآن، فيمكنك استعادتها مرة أخرى. يحتفظ المتعلمون بتقدمهم.
versions-restore-confirm = نعم، استعد النسخة { $number }
versions-cancel = إلغاء
versions-confirm-first = افتح النسخة السابقة وأكّد هناك أنك تريد استعادتها.
versions-has-errors = في هذه النسخة أخطاء الآن، لذلك لم تُستعد. ربما تحتاج دورة لم تعد تجدها. أصلح المشكلات أدناه، أو استعد نسخة أخرى.
