# Emails: Ukrainian.
# Keep sentences short and plain.

mail-hello = Вітаємо, { $name }!
mail-footer = Цей лист від { $organisation }. Ви отримали його, бо маєте у нас акаунт.

mail-certificate-subject = Ваш сертифікат: { $course }
mail-certificate-done = Чудова робота! Ви завершили курс «{ $course }».
mail-certificate-attached = Ваш сертифікат додано до цього листа як файл PDF. Ви можете його надрукувати або показати роботодавцю.
mail-certificate-number = Номер сертифіката: { $id }
mail-certificate-check = Роботодавець може перевірити ваш сертифікат на цій сторінці:
mail-certificate-check-button = Перевірити сертифікат

mail-reset-subject = Виберіть новий пароль
mail-reset-asked = Хтось попросив змінити пароль вашого акаунта «{ $username }».
mail-reset-link = Щоб вибрати новий пароль, відкрийте це посилання. Воно працює один раз, протягом 1 години.
mail-reset-button = Вибрати новий пароль
mail-reset-not-you = Ви про це не просили? Тоді нічого не робіть. Ваш пароль залишиться тим самим.
