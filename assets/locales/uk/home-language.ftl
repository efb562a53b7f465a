# Рідна мова учня (для перекладів слів), ім'я його власним письмом і словник курсу.

account-home-language = Рідна мова
account-own-script-name = Ім'я вашим письмом
account-profile-title = Ваші мови та ім'я
account-profile-submit = Зберегти
account-profile-saved = Збережено.
account-unknown-home-language = Тут немає перекладів мовою "{ $code }". Виберіть одну з: { $codes }. Або залиште порожнім, щоб була мова інтерфейсу.
account-unknown-interface-language = Невідома мова інтерфейсу: "{ $code }". Виберіть одну з: { $codes }.
error-own-script-name = Ім'я вашим письмом може мати щонайбільше 100 символів.
field-own-script-name = Ваше ім'я вашим письмом (можна залишити порожнім)
field-own-script-name-help = Наприклад: ⁨أحمد حسن⁩. Сертифікат показує його після вашого повного імені.
field-home-language = Ваша рідна мова
field-home-language-help = Нові слова в уроках перекладено цією мовою.
field-home-language-same = { $language }, як мова сайту

glossary-title = Слова цього курсу
glossary-link = Усі слова цього курсу
glossary-count = { $count ->
    [one] { $count } слово.
    [few] { $count } слова.
   *[other] { $count } слів.
}
glossary-translated = Переклади мовою: { $language }.
glossary-change-language = Змінити рідну мову
glossary-order = Порядок слів
glossary-course-order = Як у курсі
glossary-az = Від A до Z
glossary-empty = У цьому курсі ще немає слів для вивчення.

class-import-languages = У стовпці мови en, ar, fa або uk — це мова сайту для цього учня. Інша мова, якою перекладено курси (наприклад, ti для тигринья), — рідна мова учня: нові слова перекладено нею. З першим рядком заголовків можна також додати стовпці "home language" і "name in own script".
