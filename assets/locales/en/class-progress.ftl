# Class progress: the tutor's view of a class (templates/class_progress.html).

class-progress-title = Class progress
class-progress-learners = { $count ->
    [one] 1 learner
   *[other] { $count } learners
}
class-progress-no-learners = Nobody has joined this class yet.
class-progress-no-courses = This class has no courses yet.

class-progress-help-heading = Who needs help
class-progress-help-nobody = Nobody needs help right now.
class-progress-help-failed = Failed this quiz { $failures } times and has not passed it yet:
class-progress-help-inactive = Has done nothing for { $days } days
class-progress-help-rules = A learner needs help when they fail the same quiz twice without passing it, or do nothing in the class's courses for { $days } days. A learner who has not started yet is counted from the day they joined.
class-progress-flag-failed = Stuck on a quiz
class-progress-flag-inactive = Inactive { $days } days

class-progress-unpublished = This course is no longer published, so only who completed it is shown.
class-progress-not-complete = not completed
class-progress-legend-done = Done
class-progress-legend-passed = Passed, with the best score
class-progress-legend-failed = Not passed yet, with the number of tries
class-progress-legend-not-started = Not started
class-progress-status-passed = Passed, best score { $best }%
class-progress-status-failed = Not passed yet after { $attempts } tries
class-progress-columns = What the column numbers mean
class-progress-grid-caption = Each learner's lessons and quizzes. Swipe sideways to see them all.
class-progress-learner = Learner
class-progress-done-column = Course
class-progress-percent = { $percent }%
class-progress-complete = Complete
class-progress-not-enrolled = Not enrolled

class-progress-questions-heading = Questions in
class-progress-questions-none = Nobody has tried this quiz yet.
class-progress-questions-how = How many learners got each question right on their first try, before the quiz showed them the answers ({ $learners } tried it). The hardest questions come first.
class-progress-question-share = { $right } of { $of } learners right ({ $percent }%)
class-progress-question-untried = Nobody has answered this question yet.
class-progress-mostly-wrong = Most got this wrong
