# Presto interface strings: Ukrainian.
# Keep sentences short and plain.

skip-to-content = Перейти до вмісту
nav-label = Головне меню
nav-courses = Курси
nav-progress = Мій прогрес
nav-admin = Адміністрування
nav-sign-in = Увійти
nav-sign-out = Вийти
language-label = Мова:
listen = Слухати

home-title = Курси
home-intro = Вивчайте англійську для роботи. Виберіть курс для своєї професії.
home-register = Створити акаунт
home-no-courses = Курсів поки немає.

sector-hospitality = Готельно-ресторанна справа
sector-care = Охорона здоров’я та соціальна допомога
sector-childcare = Догляд за дітьми
sector-construction = Будівництво
sector-warehousing = Складська робота
sector-english = Англійська мова
sector-other = Інші курси

course-level = Рівень англійської { $level }
course-hours = { $hours ->
    [one] { $hours } година
    [few] { $hours } години
    [many] { $hours } годин
   *[other] { $hours } години
}
course-start = Почати цей курс
course-continue = Продовжити з того місця, де ви зупинилися
course-complete = Курс завершено
course-requires = Спочатку завершіть цей курс:
course-sign-in-to-start = Увійдіть, щоб почати

kind-lesson = Урок
kind-quiz = Тест

progress-label = Ваш прогрес
progress-percent = Виконано { $percent }%
progress-hello = Вітаємо,
progress-lessons = Уроків пройдено: { $done } з { $total }
progress-none = Ви ще не почали жодного курсу.

lesson-position = { $position } з { $total }
lesson-done = Пройдено
lesson-mark-done = Позначити урок як пройдений
lesson-mark-done-next = Я завершив(-ла) урок: до наступного
pager-label = Уроки
pager-previous = Попередній
pager-next = Наступний
callout-note = Примітка
callout-tip = Порада
callout-important = Важливо
callout-warning = Попередження
callout-caution = Обережно

quiz-pass-mark = Щоб скласти тест, потрібно { $mark }% або більше.
quiz-best-score = Ваш найкращий результат: { $score }%
quiz-passed = Складено
quiz-attempts-left = { $count ->
    [0] У вас більше немає спроб.
    [one] У вас залишилася { $count } спроба.
    [few] У вас залишилося { $count } спроби.
    [many] У вас залишилося { $count } спроб.
   *[other] У вас залишилося { $count } спроби.
}
quiz-no-attempts = Ви використали всі спроби для цього тесту. Попросіть допомоги у викладача.
quiz-choose-all = Виберіть усі правильні відповіді.
quiz-gap-label = Пропуск { $number }
quiz-number-label = Ваша відповідь (число)
quiz-number-help = Напишіть число, наприклад 2.5 або 2,5.
quiz-number-help-unit = Напишіть число, наприклад 2.5 або 2,5. Одиницю можна дописати після числа або не писати.
quiz-match = Виберіть правильну пару для кожного.
quiz-order = Розставте по порядку: 1 — перше.
quiz-choose = Виберіть…
quiz-show-hint = Показати підказку
quiz-submit = Перевірити мої відповіді
quiz-wrong-last-time = Минулого разу відповідь була неправильна. Змініть її.
quiz-again = Тут ваші відповіді з минулого разу. Змініть ті, що позначені ✗, і перевірте знову.
quiz-unanswered = { $count ->
    [one] Питання { $numbers } ще без відповіді.
   *[other] Питання { $numbers } ще без відповіді.
}
quiz-unanswered-choice = Дайте відповідь нижче або перевірте відповіді зараз. Питання без відповіді зараховується як неправильне.
quiz-submit-anyway = Перевірити мої відповіді зараз
# Between the items of a list in running text ("Questions 2, 3").
list-separator = ,{" "}

result-title = Ваш результат
result-score = Результат: { $score }%
result-right = Правильно: { $right } з { $total }
result-passed = Ви склали тест. Чудова робота!
result-failed = Поки не складено. Потрібно { $mark }%. Прочитайте пояснення і спробуйте ще раз.
result-retry = Спробувати ще раз
result-back-to-course = Назад до курсу
result-correct = Правильно
result-incorrect = Неправильно
result-unanswered = Немає відповіді
result-you-chose = Ваш вибір:
result-your-answer = Ваша відповідь:
result-right-answer = Правильна відповідь:
result-number-wrong-unit = Це не та одиниця. Відповідь має бути в:
result-number-no-unit = Напишіть лише число, без слова після нього.
result-not-a-number = Це не число. Напишіть цифрами, наприклад 5 або 2,5.

login-title = Вхід
login-submit = Увійти
login-wrong = Неправильне ім’я користувача або пароль. Спробуйте ще раз.
login-no-account = Ще немає акаунта?

register-title = Створити акаунт
register-submit = Створити мій акаунт
register-taken = Це ім’я користувача вже зайняте. Виберіть інше, будь ласка.
setup-title = Створити акаунт адміністратора
setup-intro = Це посилання працює лише один раз. Адміністратор може додавати викладачів і координаторів.
setup-submit = Створити акаунт адміністратора

field-full-name = Ваше ім’я та прізвище
field-username = Ім’я користувача
field-username-help = Від 3 до 32 латинських літер (a–z) або цифр. Ви вводите його, щоб увійти.
field-email = Електронна пошта (можна не заповнювати)
field-password = Пароль
field-password-help = Щонайменше 8 символів.

error-username = Ім’я користувача має містити від 3 до 32 символів: латинські літери (a–z), цифри, крапки (.), дефіси (-) або підкреслення (_).
error-username-reserved = Імена користувачів, що починаються з "erased-", зарезервовані для стертих облікових записів. Будь ласка, виберіть інше.
error-full-name = Будь ласка, напишіть ваше ім’я та прізвище.
error-password-short = Пароль має містити щонайменше 8 символів.
error-password-long = Пароль може містити не більше 200 символів.
error-email = Ця адреса електронної пошти виглядає неправильно.

error-go-home = На головну сторінку
error-not-found = Сторінку не знайдено
error-not-found-detail = Ми не можемо знайти цю сторінку. Перевірте адресу або почніть з головної сторінки.
error-forbidden = Доступ заборонено
error-forbidden-detail = Ваш акаунт не може відкрити цю сторінку.
error-too-many = Забагато спроб
error-too-many-detail = Зачекайте трохи і спробуйте ще раз.
error-too-large = Забагато даних
error-too-large-detail = Ви надіслали забагато. Будь ласка, надішліть менше.
error-bad-request = Щось не так
error-bad-request-detail = Ми не змогли прочитати те, що ви надіслали. Поверніться назад і спробуйте ще раз.
error-internal = Вибачте, щось пішло не так
error-internal-detail = Це наша помилка, не ваша. Нічого з того, що ви зробили, не втрачено. Спробуйте ще раз за хвилину.
error-unavailable = Presto зараз зайнятий
error-unavailable-detail = Те, що ви щойно надіслали, не збережено. Спробуйте ще раз за хвилину.

admin-registration = Самостійна реєстрація учнів
admin-registration-open = Учні можуть самі створювати акаунти.
admin-registration-closed = Лише викладачі та адміністратори можуть створювати акаунти.
admin-registration-close = Заборонити учням створювати акаунти
admin-registration-reopen = Дозволити учням створювати акаунти
admin-courses = Курси та акаунти
admin-courses-count = { $count ->
    [one] Опубліковано { $count } курс.
    [few] Опубліковано { $count } курси.
    [many] Опубліковано { $count } курсів.
   *[other] Опубліковано { $count } курсу.
}
admin-add-users = Щоб додати викладача, координатора або адміністратора, виконайте команду:
error-role = Роль має бути: learner, tutor, coordinator або admin.

nav-certificates = Мої сертифікати
nav-manage-certificates = Сертифікати
certificates-title = Мої сертифікати
certificates-none = У вас ще немає сертифікатів. Завершіть курс, щоб отримати сертифікат.
course-certificate-link = Подивитися ваш сертифікат
certificate-number = Номер сертифіката
certificate-issued = Дата видачі
certificate-valid-until = Дійсний до
certificate-download-pdf = Завантажити сертифікат (PDF)
certificate-download-credential = Завантажити файл сертифіката для застосунків і сайтів з роботою
certificate-share-link = Посилання для перевірки цього сертифіката
certificate-share-help = Дайте це посилання роботодавцю. Він побачить, що ваш сертифікат справжній.
certificate-copy = Скопіювати посилання
certificate-copied = Посилання скопійовано
certificate-name = Ім'я
certificate-title-label = Сертифікат
certificate-course = Курс
certificate-details = Подробиці
certificate-organisation = Видав
certificate-revoked-on = Відкликано
certificate-status-valid = Цей сертифікат дійсний.
certificate-status-expired = Термін дії цього сертифіката закінчився.
certificate-status-revoked = Цей сертифікат відкликано.
certificate-revoked-reason = Причина:
certificate-expired-on = Він був дійсний до
certificate-revoke = Відкликати цей сертифікат
certificate-revoke-reason = Чому його відкликають?
certificate-revoke-help = Кожен, хто перевіряє сертифікат, побачить цю причину.
certificate-revoke-reason-missing = Будь ласка, напишіть, чому сертифікат відкликано.
certificate-revoke-reason-long = Причина може мати щонайбільше 500 символів.
certificate-id-length = Номер сертифіката має 9 літер і цифр, наприклад K7MX-3QPA-W.
certificate-id-character = Номер сертифіката має лише ті літери й цифри, що надруковані на сертифікаті. Будь ласка, перевірте його.
certificate-id-check = У цьому номері сертифіката є помилка. Будь ласка, перевірте кожну літеру.
verify-title = Перевірити сертифікат
verify-intro = Введіть номер, надрукований під QR-кодом на сертифікаті.
verify-number-help = Наприклад K7MX-3QPA-W. Малі й великі літери однаково підходять.
verify-submit = Перевірити
verify-another = Перевірити інший сертифікат
verify-not-found = Сертифікат не знайдено
verify-not-found-detail = Немає сертифіката з таким номером:
verify-credential-help = Для програм, що перевіряють цифрові сертифікати (Open Badges 3.0):
verify-credential-link = підписаний сертифікат
manage-certificates-title = Сертифікати
manage-certificates-search = Номер сертифіката або ім'я учня
manage-certificates-find = Знайти
manage-certificates-none = Сертифікатів не знайдено.

nav-classes = Класи
classes-title = Класи
classes-none = Класів ще немає.
class-new = Створити новий клас
class-join = Приєднатися до класу
class-code = Код класу
class-members-count = Учнів: { $count }
class-name = Назва класу
class-sector = Галузь
class-courses = Курси
class-create = Створити клас
class-code-help = Дайте учням цей код. Вони вводять його на сторінці «Приєднатися до класу».
class-progress = Подивитися прогрес класу
class-course-gone = зараз не опубліковано
class-no-courses = Курсів ще немає.
class-sessions = Заняття наживо
class-minutes = { $minutes } хв
class-session-join = Приєднатися до заняття
class-register = Журнал відвідування
class-session-delete = Видалити це заняття
class-no-sessions = Занять наживо не заплановано.
class-session-add = Запланувати заняття наживо
class-session-title = Тема заняття
class-session-date = Дата
class-session-time = Час початку
class-session-duration = Тривалість у хвилинах
class-session-link = Посилання на зустріч (Zoom, Teams, Meet чи інше)
class-members = Учні
class-import = Додати учнів з таблиці
class-reset-password = Новий пароль
class-no-members = Учнів ще немає.
class-add-learner = Додати учня
class-learner-name = Повне ім'я
class-learner-name-help = Залиште порожнім, щоб додати учня, який вже має обліковий запис.
class-import-help = Вставте рядки з вашої таблиці: ім'я користувача, повне ім'я, мова (en, ar, fa або uk) та електронна пошта (її можна залишити порожньою). Перший рядок із цими назвами теж підходить.
class-import-paste = Учні (по одному в рядку)
class-import-submit = Додати цих учнів
class-import-empty = Вставте хоча б одного учня.
cards-title = Картки для входу
cards-problems = Ці рядки не додано:
cards-line = Рядок { $line }:
cards-once = Роздрукуйте або скопіюйте ці картки зараз. Паролі більше не покажуться.
cards-site = Сайт
class-register-saved = Журнал збережено.
class-register-save = Зберегти журнал
class-register-everyone = Усі інші присутні
class-register-everyone-help = Зберігає позначки вище, а потім позначає присутніми всіх без позначки. Збережені позначки залишаються.
attendance-present = Присутній
attendance-late = Запізнився
attendance-absent = Відсутній
class-join-help = Код дає ваш викладач. Наприклад K7MX-3QPA.
class-join-submit = Приєднатися
class-join-unknown = Немає класу з таким кодом. Перевірте його з викладачем.
home-next-session = Ваше наступне заняття наживо
class-error-name = Будь ласка, напишіть назву класу (від 1 до 100 символів).
class-error-sector = Будь ласка, виберіть галузь.
class-error-course = Цей курс не опубліковано:
class-error-no-learner = Немає учня з таким ім'ям користувача. Щоб створити новий обліковий запис, напишіть також повне ім'я учня.
class-error-date = Будь ласка, вкажіть дату так: 2026-12-01.
class-error-time = Будь ласка, вкажіть час початку, наприклад 10:00, який існує того дня.
class-error-link = Посилання на зустріч має бути веб-адресою, що починається з https://.
class-error-session-title = Будь ласка, напишіть тему заняття (від 1 до 100 символів).
class-error-duration = Тривалість має бути від 5 до 600 хвилин.

# service: reports
reports-forbidden = Звіти й дані учнів бачать лише координатори та адміністратори.
reports-no-learner = Учня з номером { $id } немає.
reports-already-erased = Дані цього учня вже стерто.

# service: accounts
account-registration-closed = Реєстрацію закрито. Попросіть обліковий запис у викладача або адміністратора сайту.
account-setup-link-unknown = Це посилання для налаштування не працює: ним уже скористалися, або на сайті вже є адміністратор.
account-reset-link-unknown = Це посилання для пароля не працює: ним уже скористалися, або воно застаріло.
account-unknown-language = Невідома мова: { $code }
account-admins-only = Це може зробити лише адміністратор.

# service: learning
learning-no-course = Курсу «{ $slug }» немає.
learning-no-lesson = У «{ $slug }» немає уроку «{ $id }».
learning-no-attempt = У вас немає спроби { $attempt } у цьому тесті.
learning-enrol-first = Спершу запишіться: POST /api/v1/courses/{ $slug }/enrol
learning-prerequisite = Спершу завершіть курс «{ $slug }»: /api/v1/courses/{ $slug }
learning-quiz-not-by-hand = Тест зараховано, коли ви його складете: надсилайте спроби.
learning-not-a-quiz = «{ $id }» — це урок, а не тест.
learning-attempt-key = Заголовок Idempotency-Key має містити від 1 до { $max } символів.
learning-no-attempts-left = Ви використали всі спроби в цьому тесті ({ $max }).

# service: classes
class-error-course-slug = Цей курс не опубліковано: { $slug }
class-error-no-class = Такого класу немає.
class-error-not-yours = Це можуть робити лише викладач класу, координатори та адміністратори.
class-error-create-role = Класи створюють лише викладачі та адміністратори.
class-error-not-in-class = Ви не в цьому класі.
class-error-join-role = До класів приєднуються лише учні.
class-error-code = Код класу має 8 літер і цифр, наприклад K7MX-3QPA.
class-error-learner-not-member = Цього учня немає в цьому класі.
class-error-staff-password = Тут створюють паролі лише для учнів.
class-error-no-session = У цьому класі немає такого заняття.
class-error-mark = Позначка має бути present, late або absent (не "{ $mark }").
class-error-not-member = Учня { $id } немає в цьому класі: у журналі лише учні класу.
class-error-username-taken = Ім'я користувача "{ $name }" зайняте. Щоб додати учня, якому воно належить, вкажіть лише ім'я користувача, без повного імені.
class-progress-error-forbidden = Поступ класу бачать лише викладач класу, координатори та адміністратори.
invitation-error-role = До класів запрошують лише учнів.
invitation-error-none = Немає відкритого запрошення до цього класу.

# service: certificates
certificate-not-found = Немає сертифіката з номером { $number }.
certificate-revoke-forbidden = Відкликати сертифікати можуть лише координатори й адміністратори.
certificate-search-forbidden = Шукати сертифікати можуть лише координатори й адміністратори.
certificate-download-forbidden = Завантажити цей сертифікат можуть лише сам учень, його викладачі, координатори й адміністратори.
