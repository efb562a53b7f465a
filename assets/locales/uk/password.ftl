# Forgotten passwords: Ukrainian.

password-forgot-link = Забули пароль?
password-forgot-title = Забули пароль?
password-forgot-intro = Напишіть ім’я користувача або адресу електронної пошти. Ми надішлемо посилання на пошту вашого акаунта.
password-forgot-field = Ім’я користувача або електронна пошта
password-forgot-submit = Надіслати посилання
password-forgot-empty = Напишіть, будь ласка, ім’я користувача або адресу електронної пошти.
password-sent-title = Перевірте пошту
password-sent = Якщо в цього акаунта є адреса електронної пошти, ми надіслали на неї посилання. Посилання працює 1 годину. Перевірте також папку «Спам».
password-no-email = У вашому акаунті немає електронної пошти? Попросіть допомоги у викладача.
password-reset-title = Виберіть новий пароль
password-reset-for = Для акаунта: { $username }
password-new = Новий пароль
password-again = Новий пароль ще раз
password-reset-submit = Зберегти новий пароль
password-mismatch = Паролі не однакові. Введіть їх ще раз, будь ласка.
password-changed-title = Пароль змінено
password-changed = Тепер ви можете увійти з новим паролем.
password-link-bad-title = Це посилання не працює
password-link-bad = Посилання застаріле або вже використане. Посилання працює один раз, протягом 1 години.
password-ask-again = Попросити нове посилання
