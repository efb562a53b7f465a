# The "Your account" page: who is signed in, and signing out everywhere.

nav-account = Ваш обліковий запис
account-title = Ваш обліковий запис
account-name = Ім’я
account-username = Ім’я користувача
account-everywhere-title = Ви входили на інших телефонах чи комп’ютерах?
account-devices = { $count ->
    [one] Ви увійшли на { $count } телефоні чи комп’ютері, разом із цим.
    [few] Ви увійшли на { $count } телефонах чи комп’ютерах, разом із цим.
    [many] Ви увійшли на { $count } телефонах чи комп’ютерах, разом із цим.
   *[other] Ви увійшли на { $count } телефонах чи комп’ютерах, разом із цим.
}
account-everywhere-why = Ви входили на телефоні чи комп’ютері, яким користуються інші люди, або загубили пристрій? Вийдіть на всіх пристроях. Застосунки, що користуються вашим обліковим записом, теж вийдуть. Потім увійдіть знову зі своїм паролем.
account-sign-out-everywhere = Вийти на всіх пристроях

account-password-title = Змінити пароль
account-password-current = Ваш теперішній пароль
account-password-submit = Зберегти новий пароль
account-password-others = На інших телефонах і комп'ютерах ви вийдете з акаунта. У застосунках теж. На цьому пристрої ви залишитеся.
account-password-changed = Пароль змінено. Наступного разу входьте з новим паролем.
account-password-wrong = Теперішній пароль неправильний. Будь ласка, введіть його ще раз.
