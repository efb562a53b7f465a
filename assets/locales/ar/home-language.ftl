# لغة المتعلّم الأم (لترجمة المفردات)، واسمه بحروف لغته، ومسرد كلمات الدورة.

account-home-language = اللغة الأم
account-own-script-name = الاسم بحروف لغتك
account-profile-title = لغاتك واسمك
account-profile-submit = حفظ
account-profile-saved = تم الحفظ.
account-unknown-home-language = لا توجد هنا ترجمات إلى "{ $code }". اختر واحدة من: { $codes }. أو اتركها فارغة لتُستخدم لغة الواجهة.
account-unknown-interface-language = لغة واجهة غير معروفة: "{ $code }". اختر واحدة من: { $codes }.
error-own-script-name = يمكن أن يكون اسمك بحروف لغتك 100 حرف على الأكثر.
field-own-script-name = اسمك بحروف لغتك (يمكنك تركه فارغًا)
field-own-script-name-help = مثلًا: أحمد حسن. تعرضه شهادتك بعد اسمك الكامل.
field-home-language = لغتك الأم
field-home-language-help = تُترجَم الكلمات الجديدة في الدروس إلى هذه اللغة.
field-home-language-same = { $language }، مثل لغة الموقع

glossary-title = كلمات هذه الدورة
glossary-link = كل كلمات هذه الدورة
glossary-count = { $count ->
    [zero] لا توجد كلمات.
    [one] كلمة واحدة.
    [two] كلمتان.
    [few] { $count } كلمات.
   *[other] { $count } كلمة.
}
glossary-translated = الترجمة إلى { $language }.
glossary-change-language = غيّر لغتك الأم
glossary-order = ترتيب الكلمات
glossary-course-order = كما في الدورة
glossary-az = من A إلى Z
glossary-empty = لا توجد في هذه الدورة كلمات للتعلّم بعد.

class-import-languages = في عمود اللغة، en أو ar أو fa أو uk هي لغة الموقع لهذا المتعلّم. ولغة أخرى تُترجَم إليها الدورات (مثلًا ti للتغرينية) هي لغة المتعلّم الأم: تُترجَم كلماته الجديدة إليها. ومع صفّ أول من العناوين يمكنك أيضًا إضافة العمودين "home language" و"name in own script".
