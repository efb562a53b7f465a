# The "Your account" page: who is signed in, and signing out everywhere.

nav-account = حسابك
account-title = حسابك
account-name = الاسم
account-username = اسم المستخدم
account-everywhere-title = هل سجّلت الدخول على هواتف أو حواسيب أخرى؟
account-devices = { $count ->
    [one] أنت مسجّل الدخول على هاتف أو حاسوب واحد: هذا الجهاز.
    [two] أنت مسجّل الدخول على جهازين، وهذا الجهاز منهما.
    [few] أنت مسجّل الدخول على { $count } أجهزة، وهذا الجهاز منها.
   *[other] أنت مسجّل الدخول على { $count } جهازًا، وهذا الجهاز منها.
}
account-everywhere-why = هل سجّلت الدخول على هاتف أو حاسوب يستخدمه أشخاص آخرون، أو أضعت جهازًا؟ سجّل الخروج من كل الأجهزة. تُسجَّل التطبيقات التي تستخدم حسابك خارجًا أيضًا. ثم سجّل الدخول من جديد بكلمة المرور.
account-sign-out-everywhere = تسجيل الخروج من كل الأجهزة

account-password-title = غيّر كلمة المرور
account-password-current = كلمة المرور الآن
account-password-submit = احفظ كلمة المرور الجديدة
account-password-others = سنخرجك من الهواتف والحواسيب الأخرى، ومن التطبيقات أيضًا. هذا الجهاز يبقى مسجّلًا.
account-password-changed = تم تغيير كلمة المرور. استعمل كلمة المرور الجديدة في المرة القادمة.
account-password-wrong = كلمة المرور الآن غير صحيحة. اكتبها مرة أخرى من فضلك.
