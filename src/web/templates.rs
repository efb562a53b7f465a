//! One Tera instance, built at start-up from the templates compiled into the
//! binary. A broken template is a start-up error that names the file.

use super::i18n::TeraTranslate;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// Every page template, by name.
const TEMPLATES: &[(&str, &str)] = templates![
    "layout.html",
    "error.html",
    "home.html",
    "course.html",
    "lesson.html",
    "quiz.html",
    "attempt.html",
    "login.html",
    "register.html",
    "setup.html",
    "progress.html",
    "admin.html",
    "macros.html",
];

pub fn build() -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())?;
    tera.autoescape_on(vec![".html"]);
    tera.register_function("t", TeraTranslate);
    Ok(tera)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_parses() {
        if let Err(e) = super::build() {
            panic!("{e:?}");
        }
    }
}
