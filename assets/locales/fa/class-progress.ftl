# پیشرفت صنف: آنچه استاد در بارهٔ صنف خود می‌بیند (templates/class_progress.html).

class-progress-title = پیشرفت صنف
class-progress-learners = { $count ->
    [one] ۱ شاگرد
   *[other] { $count } شاگرد
}
class-progress-no-learners = هنوز کسی به این صنف نپیوسته است.
class-progress-no-courses = این صنف هنوز کورس ندارد.

class-progress-help-heading = چه کسی به کمک نیاز دارد
class-progress-help-nobody = فعلاً کسی به کمک نیاز ندارد.
class-progress-help-failed = در این امتحان { $failures } بار ناکام شده و هنوز کامیاب نشده است:
class-progress-help-inactive = { $days } روز است که هیچ کاری نکرده است
class-progress-help-rules = شاگرد وقتی به کمک نیاز دارد که در یک امتحان دو بار ناکام شود و کامیاب نشود، یا { $days } روز در کورس‌های صنف هیچ کاری نکند. برای شاگردی که هنوز شروع نکرده، از روز پیوستنش حساب می‌کنیم.
class-progress-flag-failed = در یک امتحان گیر مانده
class-progress-flag-inactive = { $days } روز غیرفعال

class-progress-unpublished = این کورس دیگر نشر نمی‌شود، پس فقط نشان می‌دهیم چه کسی آن را تمام کرده است.
class-progress-not-complete = تمام نکرده
class-progress-legend-done = انجام شد
class-progress-legend-passed = کامیاب، با بهترین نمره
class-progress-legend-failed = هنوز کامیاب نشده، با تعداد کوشش‌ها
class-progress-legend-not-started = شروع نکرده
class-progress-status-passed = کامیاب، بهترین نمره { $best }%
class-progress-status-failed = بعد از { $attempts } کوشش هنوز کامیاب نشده
class-progress-columns = شماره‌های ستون‌ها چه معنی دارند
class-progress-grid-caption = درس‌ها و امتحان‌های هر شاگرد. برای دیدن همه، به پهلو بکشید.
class-progress-learner = شاگرد
class-progress-done-column = کورس
class-progress-percent = { $percent }%
class-progress-complete = تمام شد
class-progress-not-enrolled = ثبت نام نکرده

class-progress-questions-heading = سوال‌های
class-progress-questions-none = هنوز کسی این امتحان را امتحان نکرده است.
class-progress-questions-how = چند شاگرد در کوشش اول، پیش از آنکه امتحان جواب‌ها را نشان دهد، به هر سوال جواب درست دادند ({ $learners } نفر کوشش کردند). سخت‌ترین سوال‌ها اول می‌آیند.
class-progress-question-share = { $right } از { $of } شاگرد درست جواب دادند ({ $percent }%)
class-progress-question-untried = هنوز کسی به این سوال جواب نداده است.
class-progress-mostly-wrong = بیشترشان اشتباه کردند
