# تقدّم الصف: ما يراه المعلّم عن صفّه (templates/class_progress.html).

class-progress-title = تقدّم الصف
class-progress-learners = { $count ->
    [zero] لا يوجد متعلّمون
    [one] متعلّم واحد
    [two] متعلّمان
    [few] { $count } متعلّمين
   *[other] { $count } متعلّمًا
}
class-progress-no-learners = لم ينضمّ أحد إلى هذا الصف بعد.
class-progress-no-courses = ليس في هذا الصف دورات بعد.

class-progress-help-heading = من يحتاج إلى مساعدة
class-progress-help-nobody = لا أحد يحتاج إلى مساعدة الآن.
class-progress-help-failed = رسب في هذا الاختبار { $failures } مرات ولم ينجح فيه بعد:
class-progress-help-inactive = لم يفعل شيئًا منذ { $days } أيام
class-progress-help-rules = يحتاج المتعلّم إلى مساعدة إذا رسب في الاختبار نفسه مرتين ولم ينجح فيه، أو لم يفعل شيئًا في دورات الصف لمدة { $days } أيام. المتعلّم الذي لم يبدأ بعد نحسب له من يوم انضمامه.
class-progress-flag-failed = متعثّر في اختبار
class-progress-flag-inactive = غير نشط منذ { $days } أيام

class-progress-unpublished = هذه الدورة لم تعد منشورة، لذلك نعرض فقط من أكملها.
class-progress-not-complete = لم يُكملها
class-progress-legend-done = تمّ
class-progress-legend-passed = ناجح، مع أفضل نتيجة
class-progress-legend-failed = لم ينجح بعد، مع عدد المحاولات
class-progress-legend-not-started = لم يبدأ
class-progress-status-passed = ناجح، أفضل نتيجة { $best }%
class-progress-status-failed = لم ينجح حتى الآن، بعد { $attempts } محاولات
class-progress-columns = ماذا تعني أرقام الأعمدة
class-progress-grid-caption = دروس واختبارات كل متعلّم. اسحب إلى الجانب لترى كل شيء.
class-progress-learner = المتعلّم
class-progress-done-column = الدورة
class-progress-percent = { $percent }%
class-progress-complete = مكتملة
class-progress-not-enrolled = غير مسجّل

class-progress-questions-heading = أسئلة
class-progress-questions-none = لم يجرّب أحد هذا الاختبار بعد.
class-progress-questions-how = كم متعلّمًا أجاب عن كل سؤال إجابة صحيحة في محاولته الأولى، قبل أن يُظهر له الاختبار الإجابات (جرّبه { $learners }). الأسئلة الأصعب أولًا.
class-progress-question-share = { $right } من { $of } أجابوا صحيحًا ({ $percent }%)
class-progress-question-untried = لم يُجب أحد عن هذا السؤال بعد.
class-progress-mostly-wrong = أخطأ فيه معظمهم
