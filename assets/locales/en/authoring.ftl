# Presto interface strings for tutors who write courses: English (the
# source for every other language). Plain words: tutors are teachers, not
# programmers.

nav-authoring = Write courses

authoring-title = Write courses
authoring-intro = Edit a module here, or upload a whole course as a zip file. Presto checks the course first, like presto check. It publishes the course only when it has no errors.
authoring-upload-new = Upload a new course
authoring-upload-version = Upload a new version
authoring-published-version = Published: version { $version }
authoring-not-published = Not published
authoring-modules = Modules
authoring-edit = Edit
authoring-not-editable = To edit this module here, rename the file with only letters, numbers and hyphens.
authoring-not-on-disk = This course is not in the courses folder. Upload it as a zip file to edit it here.
authoring-no-courses = There are no courses yet. Upload one as a zip file.

upload-title = Upload a course
upload-title-version = Upload a new version of
upload-file = Zip file
upload-file-help = A zip file of one course folder.
upload-submit = Check and publish
upload-rules-title = What the zip file must hold
upload-rule-folder = One course folder: course.toml at the top of the zip file, or inside one folder.
upload-rule-size = At most { $zip } MB, and at most { $unpacked } MB when unpacked.
upload-rule-files = At most { $files } files. No links (shortcuts), and no paths that lead out of the folder.
upload-rule-used = Presto keeps course.toml, the module files (.md) and the media folder. It leaves out other files.
upload-rule-replace = The course is replaced and gets a new version. Learners keep their progress.
upload-rule-new = No other course may have the same folder name. To update a course, use "Upload a new version" in the list of courses.
upload-rule-check = If the course has errors, nothing is saved or published. You see every problem, like presto check shows it.
upload-published = Published: version { $version }. Learners see it now.
upload-unchanged = Nothing changed: this is the same as version { $version }.
upload-open-course = Open the course
upload-back = Back to the list of courses
upload-left-out = Presto does not use these files, so they were left out:
upload-has-errors = The course has errors, so nothing was saved or published. Fix the problems below and upload the zip file again.
upload-no-file = Choose a zip file to upload.
upload-bad-form = The upload could not be read. Choose the file again and try again.
upload-slug-taken = There is already a course called { $slug }. To replace it, use "Upload a new version" next to it in the list of courses. For a new course, give the folder another name.
upload-wrong-course = This zip file holds the course { $found }, not { $expected }. Upload the right zip file, or upload it as a new course.

zip-not-a-zip = This file is not a zip file. Make a zip file of the course folder and upload that.
zip-too-big = The zip file is too big: it can be at most { $limit } MB. Make pictures and sound files smaller, or split the course.
zip-too-big-unpacked = Unpacked, the zip file is too big: a course can be at most { $limit } MB.
zip-too-many-files = The zip file has too many files: it can have at most { $limit }.
zip-unsafe-path = A file in the zip has a path that leads out of the folder: { $path }. Make the zip file again from the course folder.
zip-symlink = The zip file has a link (shortcut): { $path }. Links are not allowed. Put the real file in the folder instead.
zip-outside-course = The zip file has a file outside the course folder: { $path }. A zip file holds one course folder and nothing next to it.
zip-no-course = The zip file has no course.toml. Put course.toml at the top of the zip file, or make the zip file from the course folder itself.
zip-unreadable = A file in the zip cannot be unpacked ({ $path }): { $reason }.

editor-title = Edit
editor-course = Course:
editor-text = Module text (markdown)
editor-help = Presto checks the text while you type. "Publish" saves the module and publishes the course, but only when it has no errors.
editor-check = Check and preview
editor-publish = Publish
editor-checking = Checking…
editor-check-failed = The check did not work. Use the "Check and preview" button.
editor-published = Published: version { $version }. Learners see the new text now.
editor-has-errors = Not published: the course has errors. Fix them and publish again.
editor-changed = Not published: someone changed this module after you opened it. Your text is still below. Copy it, open the module again, and make your changes there.
editor-open-again = Open the module again (in a new tab)
editor-too-large = This module is too large to edit in the browser. Split it into smaller modules.

check-title = Check
check-counts = { $errors ->
    [one] 1 error
   *[other] { $errors } errors
}, { $warnings ->
    [one] 1 warning.
   *[other] { $warnings } warnings.
}
check-ready = Ready to publish.
check-not-ready = Not ready to publish: fix the errors first.
check-error = Error
check-warning = Warning
check-where = Line { $line }, column { $column }
check-hint = How to fix it:
preview-title = Preview
preview-help = This is how learners will see the module.
preview-none = Nothing to show yet: the module needs a # title and ## lessons.

authoring-owner = Owner:
authoring-co-author = Co-author:
authoring-no-owner = No owner yet: only admins can change this course.
authoring-not-yours-help = Only the course's owner, its co-authors and admins can change this course.
authoring-people = Who can change it
authoring-versions = { $count ->
    [one] Previous versions (1)
   *[other] Previous versions ({ $count })
}
authoring-not-yours = You cannot change the course { $slug }. Only its owner, its co-authors and admins can. Ask the owner to add you as a co-author.
authoring-admins-only = Only admins can do this.

authors-title = Who can change this course
authors-intro = The owner and the co-authors can upload new versions and edit modules. Admins can too. The owner and admins choose the co-authors.
authors-who = Owner and co-authors
authors-remove = Remove
authors-add-title = Add a co-author
authors-username = Username
authors-add-help = A tutor or an admin who may change this course too.
authors-add = Add co-author
authors-owner-title = Choose the owner
authors-owner-help = A tutor or an admin. The owner before them can no longer change the course, unless you add them as a co-author.
authors-owner-set-button = Make them the owner
authors-added = The co-author was added.
authors-removed = The co-author was removed.
authors-owner-set = The owner was changed.
authors-not-yours = Only the owner of { $slug } and admins can choose who may change it.
authors-no-such-person = There is nobody with the username { $username }.
authors-cannot-author = { $username } cannot write courses: only tutors and admins can.
authors-is-owner = { $username } is the owner of { $slug } already.
authors-already = { $username } is a co-author of { $slug } already.

versions-title = Previous versions
versions-intro = When a new version replaces a course, Presto keeps the one before. You can put one back: it is published as a new version, and the one learners see now is kept too. Learners keep their progress.
versions-kept = Previous version { $number }
versions-replaced = Replaced on { $when }
versions-restore = Restore
versions-none = No previous versions are kept for this course yet.
versions-restored = Restored: it is published as version { $version }. Learners see it now.
versions-restore-title = Restore a previous version
versions-restore-help = Learners will see this version at once, as a new version of the course. The version they see now is kept, so you can restore it again. Learners keep their progress.
versions-restore-confirm = Yes, restore version { $number }
versions-cancel = Cancel
versions-confirm-first = Open the previous version and confirm there that you want to restore it.
versions-has-errors = This version has errors now, so it was not restored. It may need a course it no longer finds. Fix the problems below, or restore another version.
