# Emails: Arabic.
# Keep sentences short and plain. Numbers use Western digits, like the placeholders.

mail-hello = مرحبًا { $name }،
mail-footer = هذه الرسالة من { $organisation }. تصلك لأن لديك حسابًا لدينا.

mail-certificate-subject = شهادتك: { $course }
mail-certificate-done = أحسنت! أنهيت دورة "{ $course }".
mail-certificate-attached = شهادتك مرفقة بهذه الرسالة كملف PDF. يمكنك طباعتها أو عرضها على صاحب العمل.
mail-certificate-number = رقم الشهادة: { $id }
mail-certificate-check = يستطيع صاحب العمل التحقق من شهادتك في هذه الصفحة:
mail-certificate-check-button = تحقّق من الشهادة

mail-reset-subject = اختر كلمة مرور جديدة
mail-reset-asked = طلب شخص ما تغيير كلمة المرور لحسابك "{ $username }".
mail-reset-link = لاختيار كلمة مرور جديدة، افتح هذا الرابط. يعمل الرابط مرة واحدة، لمدة ساعة واحدة.
mail-reset-button = اختر كلمة مرور جديدة
mail-reset-not-you = لم تطلب ذلك؟ إذن لا تفعل شيئًا. تبقى كلمة المرور كما هي.
