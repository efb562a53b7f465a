# Forgotten passwords: Dari.

password-forgot-link = رمز خود را فراموش کرده‌اید؟
password-forgot-title = رمز خود را فراموش کرده‌اید؟
password-forgot-intro = نام کاربر یا آدرس ایمیل خود را بنویسید. ما یک لینک به ایمیل حساب شما می‌فرستیم.
password-forgot-field = نام کاربر یا آدرس ایمیل
password-forgot-submit = برایم لینک بفرستید
password-forgot-empty = لطفاً نام کاربر یا آدرس ایمیل خود را بنویسید.
password-sent-title = ایمیل خود را ببینید
password-sent = اگر این حساب آدرس ایمیل داشته باشد، ما به آن یک لینک فرستادیم. لینک برای 1 ساعت کار می‌کند. پوشهٔ اسپم را هم ببینید.
password-no-email = حساب شما ایمیل ندارد؟ از استاد خود کمک بخواهید.
password-reset-title = یک رمز نو انتخاب کنید
password-reset-for = برای حساب: { $username }
password-new = رمز نو
password-again = رمز نو، یک بار دیگر
password-reset-submit = رمز نو را ذخیره کن
password-mismatch = دو رمز یکسان نیستند. لطفاً دوباره بنویسید.
password-changed-title = رمز شما تغییر کرد
password-changed = حالا می‌توانید با رمز نو داخل شوید.
password-link-bad-title = این لینک کار نمی‌کند
password-link-bad = لینک کهنه است یا قبلاً استفاده شده. هر لینک فقط یک بار و برای 1 ساعت کار می‌کند.
password-ask-again = یک لینک نو بخواهید
