# Emails: Dari.
# Keep sentences short and plain. Numbers use Western digits, like the placeholders.

mail-hello = سلام { $name }،
mail-footer = این ایمیل از طرف { $organisation } است. چون نزد ما حساب دارید، آن را می‌گیرید.

mail-certificate-subject = تصدیق‌نامهٔ شما: { $course }
mail-certificate-done = شاباش! شما کورس "{ $course }" را تمام کردید.
mail-certificate-attached = تصدیق‌نامهٔ شما به شکل فایل PDF همراه این ایمیل است. می‌توانید آن را چاپ کنید یا به کارفرما نشان دهید.
mail-certificate-number = نمبر تصدیق‌نامه: { $id }
mail-certificate-check = کارفرما می‌تواند تصدیق‌نامهٔ شما را در این صفحه بررسی کند:
mail-certificate-check-button = بررسی تصدیق‌نامه

mail-reset-subject = یک رمز نو انتخاب کنید
mail-reset-asked = کسی خواسته است رمز حساب شما "{ $username }" را تغییر دهد.
mail-reset-link = برای انتخاب رمز نو، این لینک را باز کنید. لینک فقط یک بار و برای 1 ساعت کار می‌کند.
mail-reset-button = انتخاب رمز نو
mail-reset-not-you = شما این را نخواسته‌اید؟ پس کاری نکنید. رمز شما همان‌طور می‌ماند.
