# زبان مادری آموزنده (برای ترجمهٔ واژه‌ها)، نامش به خط زبان خودش، و فهرست واژه‌های دوره.

account-home-language = زبان مادری
account-own-script-name = نام به خط زبان خودتان
account-profile-title = زبان‌ها و نام شما
account-profile-submit = ذخیره
account-profile-saved = ذخیره شد.
account-unknown-home-language = اینجا ترجمه‌ای به "{ $code }" نیست. یکی از این‌ها را انتخاب کنید: { $codes }. یا خالی بگذارید تا زبان برنامه به کار رود.
account-unknown-interface-language = زبان برنامه ناشناخته است: "{ $code }". یکی از این‌ها را انتخاب کنید: { $codes }.
error-own-script-name = نام شما به خط زبان خودتان حداکثر ۱۰۰ حرف می‌تواند باشد.
field-own-script-name = نام شما به خط زبان خودتان (می‌توانید خالی بگذارید)
field-own-script-name-help = مثلاً: احمد حسن. تصدیق‌نامهٔ شما آن را بعد از نام کامل شما نشان می‌دهد.
field-home-language = زبان مادری شما
field-home-language-help = واژه‌های نو در درس‌ها به این زبان ترجمه می‌شوند.
field-home-language-same = { $language }، مانند زبان سایت

glossary-title = واژه‌های این دوره
glossary-link = همهٔ واژه‌های این دوره
glossary-count = { $count ->
    [one] ۱ واژه.
   *[other] { $count } واژه.
}
glossary-translated = ترجمه به { $language }.
glossary-change-language = زبان مادری خود را تغییر دهید
glossary-order = ترتیب واژه‌ها
glossary-course-order = مانند دوره
glossary-az = از A تا Z
glossary-empty = این دوره هنوز واژه‌ای برای یادگیری ندارد.

class-import-languages = در ستون زبان، en یا ar یا fa یا uk زبان سایت برای آن آموزنده است. زبان دیگری که دوره‌ها به آن ترجمه شده‌اند (مثلاً ti برای تیگرینیا) زبان مادری آموزنده است: واژه‌های نوی او به آن ترجمه می‌شوند. با یک ردیف اول از عنوان‌ها می‌توانید ستون‌های "home language" و "name in own script" را هم اضافه کنید.
