# A learner's home language (for vocabulary translations), their name in
# their own script, and a course's glossary.

account-home-language = Home language
account-own-script-name = Name in your own script
account-profile-title = Your languages and name
account-profile-submit = Save
account-profile-saved = Saved.
account-unknown-home-language = There are no translations into "{ $code }" here. Choose one of: { $codes }. Or leave it empty to use the interface language.
account-unknown-interface-language = Unknown interface language: "{ $code }". Choose one of: { $codes }.
error-own-script-name = The name in your own script can have at most 100 characters.
field-own-script-name = Your name in your own script (you can leave this empty)
field-own-script-name-help = For example: ⁨أحمد حسن⁩. Your certificate shows it after your full name.
field-home-language = Your home language
field-home-language-help = New words in lessons are translated into this language.
field-home-language-same = { $language }, like the site

glossary-title = Words of this course
glossary-link = All the words of this course
glossary-count = { $count ->
    [one] 1 word.
   *[other] { $count } words.
}
glossary-translated = Translations in { $language }.
glossary-change-language = Change your home language
glossary-order = Order of the words
glossary-course-order = As in the course
glossary-az = A to Z
glossary-empty = This course has no words to learn yet.

class-import-languages = In the language column, en, ar, fa or uk is the language of the site for that learner. Another language that the courses are translated into (for example ti for Tigrinya) is the learner's home language: their new words are translated into it. With a first row of titles you can also add the columns "home language" and "name in own script".
