# A class kept up over a term: spreadsheet imports, login cards printed
# again, renaming, courses, archiving, taking a learner out.

class-import-paste-help = Copy the cells straight from Excel, LibreOffice or Google Sheets and paste them here. Cells separated by tabs, commas or semicolons all work.
class-import-file = Or choose a file (.csv or .xlsx)
class-import-file-help = The first sheet is read. At most { $limit } MB. A file replaces what is in the box above.
class-import-file-kind = This file is not a spreadsheet Presto can read. Choose a .csv or .xlsx file, or copy the cells and paste them in the box.
class-import-file-too-big = This file is too big. One import takes at most 500 learners: split the list into smaller files.
class-import-file-encoding = This file's letters cannot be read. In Excel, save it as "CSV UTF-8", or copy the cells and paste them in the box.
class-import-file-broken = This .xlsx file cannot be opened. Open it in your spreadsheet, save it again, or copy the cells and paste them in the box.

cards-none-title = No new cards
cards-none = No learner was added, so there are no cards to print.
cards-reprint-title = Login cards to print again
cards-reprint-help = These cards have no password: a password is shown only once, when it is made. A learner who has lost theirs needs a new password.
cards-print = Print the cards
cards-print-hint = To print the cards, use your browser's Print.
cards-ask-tutor = Ask your tutor for a new password.
cards-problems-again = They are in the box below. Fix them and send them again. The other learners are added.
cards-fix-heading = Fix the lines and send them again

class-edit = Change the class
class-edit-title = Change the class
class-edit-courses-help = Learners in the class start each course you add. A course you take off stays in their progress.
class-edit-save = Save the changes
class-edit-saved = The changes are saved.
class-print-cards = Print login cards
class-print-card = Print card
class-remove = Take out of class

class-archive-heading = End of term
class-archive-help = Archive the class when it is over. It leaves the class lists and learners' home pages, and its code stops working. Its progress and reports stay, and you can bring it back.
class-archive = Archive this class
class-restore-heading = This class is archived
class-restore-help = Bring it back to put it on the class lists again. Its code works again.
class-restore = Bring the class back
class-archived-note = This class is archived. It is not on the class lists, and its code does not work.
class-archived-title = Archived classes
class-archived-help = Classes that are over. Their progress and reports are kept.
class-archived-none = No archived classes.

class-remove-confirm-title = Take { $name } out of { $class }?
class-remove-confirm-warning = { $name } leaves the class and its live sessions. Their progress, certificates and attendance are kept. To bring them back, add or invite them again.
class-remove-confirm-button = Yes, take them out
class-archived-no-new = This class is archived, so nobody new can join it. Bring the class back first.
