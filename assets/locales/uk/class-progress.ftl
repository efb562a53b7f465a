# Поступ групи: що викладач бачить про свою групу (templates/class_progress.html).

class-progress-title = Поступ групи
class-progress-learners = { $count ->
    [one] { $count } учень
    [few] { $count } учні
   *[other] { $count } учнів
}
class-progress-no-learners = До цієї групи ще ніхто не приєднався.
class-progress-no-courses = У цій групі ще немає курсів.

class-progress-help-heading = Кому потрібна допомога
class-progress-help-nobody = Зараз допомога нікому не потрібна.
class-progress-help-failed = Не склав цей тест { $failures } рази і ще не склав його:
class-progress-help-inactive = Нічого не робив { $days } днів
class-progress-help-rules = Учневі потрібна допомога, якщо він двічі не склав той самий тест і так і не склав його, або нічого не робив у курсах групи { $days } днів. Для учня, який ще не почав, рахуємо від дня, коли він приєднався.
class-progress-flag-failed = Застряг на тесті
class-progress-flag-inactive = Неактивний { $days } днів

class-progress-unpublished = Цей курс більше не опубліковано, тому показано лише, хто його завершив.
class-progress-not-complete = не завершено
class-progress-legend-done = Зроблено
class-progress-legend-passed = Складено, з найкращим результатом
class-progress-legend-failed = Ще не складено, з кількістю спроб
class-progress-legend-not-started = Не почато
class-progress-status-passed = Складено, найкращий результат { $best }%
class-progress-status-failed = Ще не складено після { $attempts } спроб
class-progress-columns = Що означають номери стовпців
class-progress-grid-caption = Уроки й тести кожного учня. Гортайте вбік, щоб побачити все.
class-progress-learner = Учень
class-progress-done-column = Курс
class-progress-percent = { $percent }%
class-progress-complete = Завершено
class-progress-not-enrolled = Не записаний

class-progress-questions-heading = Питання тесту
class-progress-questions-none = Цей тест ще ніхто не проходив.
class-progress-questions-how = Скільки учнів правильно відповіли на кожне питання з першої спроби, до того як тест показав відповіді (спробували { $learners }). Найважчі питання спочатку.
class-progress-question-share = { $right } з { $of } учнів відповіли правильно ({ $percent }%)
class-progress-question-untried = На це питання ще ніхто не відповів.
class-progress-mostly-wrong = Більшість помилилися
