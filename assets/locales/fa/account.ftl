# The "Your account" page: who is signed in, and signing out everywhere.

nav-account = حساب شما
account-title = حساب شما
account-name = نام
account-username = نام کاربر
account-everywhere-title = در تلیفون‌ها یا کمپیوترهای دیگر داخل شده‌اید؟
account-devices = { $count ->
    [one] شما در 1 تلیفون یا کمپیوتر داخل هستید: همین یکی.
   *[other] شما در { $count } تلیفون یا کمپیوتر داخل هستید، همین یکی هم شامل است.
}
account-everywhere-why = آیا در تلیفون یا کمپیوتری داخل شدید که دیگران هم از آن استفاده می‌کنند، یا یکی را گم کردید؟ از همه دستگاه‌ها بیرون شوید. برنامه‌هایی که از حساب شما استفاده می‌کنند هم بیرون می‌شوند. بعد با رمز خود دوباره داخل شوید.
account-sign-out-everywhere = بیرون شدن از همه دستگاه‌ها

account-password-title = رمز عبور خود را تغییر دهید
account-password-current = رمز عبور فعلی
account-password-submit = رمز عبور جدید را ذخیره کن
account-password-others = از گوشی‌ها و رایانه‌های دیگر خارج می‌شوید، از برنامه‌ها هم. این دستگاه وارد می‌ماند.
account-password-changed = رمز عبور شما تغییر کرد. دفعه بعد با رمز عبور جدید وارد شوید.
account-password-wrong = رمز عبور فعلی درست نیست. لطفاً دوباره بنویسید.
