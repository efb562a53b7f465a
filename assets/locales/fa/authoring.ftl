# متن‌های رابط Presto برای استادانی که کورس می‌نویسند: دری.

nav-authoring = نوشتن کورس‌ها

authoring-title = نوشتن کورس‌ها
authoring-intro = یک بخش را اینجا ویرایش کنید، یا یک کورس کامل را به شکل فایل zip بار کنید. Presto اول کورس را مثل presto check بررسی می‌کند. کورس را فقط وقتی نشر می‌کند که هیچ خطایی نداشته باشد.
authoring-upload-new = بار کردن کورس نو
authoring-upload-version = بار کردن نسخهٔ نو
authoring-published-version = نشر شده: نسخهٔ { $version }
authoring-not-published = نشر نشده
authoring-modules = بخش‌ها
authoring-edit = ویرایش
authoring-not-editable = برای ویرایش این بخش در اینجا، نام فایل را فقط با حرف، عدد و خط تیره بنویسید.
authoring-not-on-disk = این کورس در پوشهٔ کورس‌ها نیست. برای ویرایش آن در اینجا، آن را به شکل فایل zip بار کنید.
authoring-no-courses = هنوز کورسی نیست. یک کورس را به شکل فایل zip بار کنید.

upload-title = بار کردن کورس
upload-title-version = بار کردن نسخهٔ نو از
upload-file = فایل zip
upload-file-help = یک فایل zip با پوشهٔ یک کورس.
upload-submit = بررسی و نشر
upload-rules-title = در فایل zip چه باید باشد
upload-rule-folder = پوشهٔ یک کورس: course.toml در بالای فایل zip، یا در داخل یک پوشه.
upload-rule-size = حد اکثر { $zip } مگابایت، و بعد از باز کردن حد اکثر { $unpacked } مگابایت.
upload-rule-files = حد اکثر { $files } فایل. بدون لینک (میان‌بر)، و بدون مسیری که از پوشه بیرون برود.
upload-rule-used = Presto فایل course.toml، فایل‌های بخش‌ها (.md) و پوشهٔ media را نگه می‌دارد. فایل‌های دیگر را کنار می‌گذارد.
upload-rule-replace = کورس عوض می‌شود و نسخهٔ نو می‌گیرد. پیشرفت شاگردان از بین نمی‌رود.
upload-rule-new = کورس دیگری نباید همین نام پوشه را داشته باشد. برای تازه کردن یک کورس، در فهرست کورس‌ها «بار کردن نسخهٔ نو» را بزنید.
upload-rule-check = اگر کورس خطا داشته باشد، هیچ چیزی ذخیره یا نشر نمی‌شود. هر مشکل را همان طور می‌بینید که presto check نشان می‌دهد.
upload-published = نشر شد: نسخهٔ { $version }. شاگردان حالا آن را می‌بینند.
upload-unchanged = چیزی تغییر نکرد: این همان نسخهٔ { $version } است.
upload-open-course = باز کردن کورس
upload-back = برگشت به فهرست کورس‌ها
upload-left-out = Presto از این فایل‌ها استفاده نمی‌کند، پس کنار گذاشته شدند:
upload-has-errors = کورس خطا دارد، پس هیچ چیزی ذخیره یا نشر نشد. مشکلات پایین را درست کنید و فایل zip را دوباره بار کنید.
upload-no-file = یک فایل zip برای بار کردن انتخاب کنید.
upload-bad-form = فایل بار شده خوانده نشد. فایل را دوباره انتخاب کنید و باز کوشش کنید.
upload-slug-taken = یک کورس به نام { $slug } از قبل هست. برای عوض کردن آن، «بار کردن نسخهٔ نو» را کنار آن در فهرست کورس‌ها بزنید. برای کورس نو، نام دیگری به پوشه بدهید.
upload-wrong-course = در این فایل zip کورس { $found } است، نه { $expected }. فایل zip درست را بار کنید، یا آن را به شکل کورس نو بار کنید.

zip-not-a-zip = این فایل، فایل zip نیست. از پوشهٔ کورس یک فایل zip بسازید و آن را بار کنید.
zip-too-big = فایل zip خیلی بزرگ است: حد اکثر { $limit } مگابایت. عکس‌ها و فایل‌های صدا را کوچک‌تر کنید، یا کورس را تقسیم کنید.
zip-too-big-unpacked = فایل zip بعد از باز کردن خیلی بزرگ است: یک کورس حد اکثر { $limit } مگابایت بوده می‌تواند.
zip-too-many-files = فایل zip فایل‌های خیلی زیاد دارد: حد اکثر { $limit }.
zip-unsafe-path = یک فایل در zip مسیری دارد که از پوشه بیرون می‌رود: { $path }. فایل zip را دوباره از پوشهٔ کورس بسازید.
zip-symlink = در فایل zip یک لینک (میان‌بر) است: { $path }. لینک اجازه نیست. به جای آن، فایل اصلی را در پوشه بگذارید.
zip-outside-course = در فایل zip یک فایل بیرون از پوشهٔ کورس است: { $path }. در فایل zip فقط پوشهٔ یک کورس باشد و چیزی کنار آن نباشد.
zip-no-course = در فایل zip فایل course.toml نیست. course.toml را در بالای فایل zip بگذارید، یا فایل zip را از خود پوشهٔ کورس بسازید.
zip-unreadable = یک فایل در zip باز نمی‌شود ({ $path }): { $reason }.

editor-title = ویرایش
editor-course = کورس:
editor-text = متن بخش (markdown)
editor-help = Presto متن را در وقت نوشتن بررسی می‌کند. «نشر» بخش را ذخیره و کورس را نشر می‌کند، ولی فقط وقتی که خطا نداشته باشد.
editor-check = بررسی و پیش‌نمایش
editor-publish = نشر
editor-checking = در حال بررسی…
editor-check-failed = بررسی کار نکرد. دکمهٔ «بررسی و پیش‌نمایش» را بزنید.
editor-published = نشر شد: نسخهٔ { $version }. شاگردان حالا متن نو را می‌بینند.
editor-has-errors = نشر نشد: کورس خطا دارد. خطاها را درست کنید و دوباره نشر کنید.
editor-changed = نشر نشد: بعد از اینکه شما این بخش را باز کردید، کس دیگری آن را تغییر داد. متن شما هنوز پایین است. آن را کاپی کنید، بخش را دوباره باز کنید و تغییرات خود را آنجا بدهید.
editor-open-again = بخش را دوباره باز کنید (در یک تب نو)
editor-too-large = این بخش برای ویرایش در مرورگر خیلی بزرگ است. آن را به بخش‌های کوچک‌تر تقسیم کنید.

check-title = بررسی
check-counts = { $errors } خطا، { $warnings } هشدار.
check-ready = آمادهٔ نشر است.
check-not-ready = آمادهٔ نشر نیست: اول خطاها را درست کنید.
check-error = خطا
check-warning = هشدار
check-where = سطر { $line }، ستون { $column }
check-hint = راه درست کردن:
preview-title = پیش‌نمایش
preview-help = شاگردان بخش را این طور می‌بینند.
preview-none = هنوز چیزی برای نشان دادن نیست: بخش به یک عنوان # و درس‌های ## نیاز دارد.
