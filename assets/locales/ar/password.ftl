# Forgotten passwords: Arabic.

password-forgot-link = هل نسيت كلمة المرور؟
password-forgot-title = هل نسيت كلمة المرور؟
password-forgot-intro = اكتب اسم المستخدم أو عنوان بريدك الإلكتروني. نرسل رابطًا إلى البريد الإلكتروني المسجّل في حسابك.
password-forgot-field = اسم المستخدم أو البريد الإلكتروني
password-forgot-submit = أرسل لي رابطًا
password-forgot-empty = اكتب اسم المستخدم أو عنوان بريدك الإلكتروني من فضلك.
password-sent-title = افحص بريدك الإلكتروني
password-sent = إذا كان لهذا الحساب عنوان بريد إلكتروني، فقد أرسلنا إليه رابطًا. يعمل الرابط لمدة ساعة واحدة. انظر في مجلد الرسائل غير المرغوب فيها أيضًا.
password-no-email = ليس في حسابك عنوان بريد إلكتروني؟ اطلب المساعدة من معلّمك.
password-reset-title = اختر كلمة مرور جديدة
password-reset-for = للحساب: { $username }
password-new = كلمة المرور الجديدة
password-again = كلمة المرور الجديدة مرة أخرى
password-reset-submit = احفظ كلمة المرور الجديدة
password-mismatch = كلمتا المرور غير متطابقتين. اكتبهما مرة أخرى من فضلك.
password-changed-title = تم تغيير كلمة المرور
password-changed = يمكنك الآن تسجيل الدخول بكلمة المرور الجديدة.
password-link-bad-title = هذا الرابط لا يعمل
password-link-bad = الرابط قديم جدًا، أو استُخدم من قبل. يعمل الرابط مرة واحدة، لمدة ساعة واحدة.
password-ask-again = اطلب رابطًا جديدًا
