//! A hand-written statement with its values, for the queries sea-orm's
//! builder cannot say the same way on both databases (date arithmetic,
//! upserts that add to a row). [`Sql`] numbers the placeholders for each.

use sea_orm::{DbBackend, Statement, Value};

use crate::reports::Filter;

/// A statement being written, with its values in order.
pub(crate) struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub(crate) fn new(backend: DbBackend) -> Sql {
        Sql {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// `column` within the filter's dates (and not null).
    pub(crate) fn in_range(&mut self, column: &str, filter: &Filter) -> &mut Sql {
        self.push(&format!("{column} IS NOT NULL"));
        if let Some(start) = filter.starts() {
            self.push(&format!(" AND {column} >= ")).bind(start);
        }
        if let Some(end) = filter.ends() {
            self.push(&format!(" AND {column} < ")).bind(end);
        }
        self
    }

    /// A date column (outcomes) within the filter's days.
    pub(crate) fn date_in_range(&mut self, column: &str, filter: &Filter) -> &mut Sql {
        self.push(&format!("{column} IS NOT NULL"));
        if let Some(from) = filter.from {
            self.push(&format!(" AND {column} >= ")).bind(from);
        }
        if let Some(to) = filter.to {
            self.push(&format!(" AND {column} <= ")).bind(to);
        }
        self
    }

    /// The sector part of the filter, for a row joined to its course as `c`.
    pub(crate) fn in_sector(&mut self, filter: &Filter) -> &mut Sql {
        if let Some(sector) = &filter.sector {
            self.push(" AND c.sector = ").bind(sector.as_str());
        }
        self
    }

    /// The sector and class parts of the filter, for a row with these
    /// user and course columns (and the course's sector as `c.sector`).
    pub(crate) fn scope(&mut self, user: &str, course: &str, filter: &Filter) -> &mut Sql {
        self.in_sector(filter);
        if let Some(class) = filter.class_id {
            self.push(&format!(
                " AND {user} IN (SELECT user_id FROM class_members WHERE class_id = "
            ))
            .bind(class)
            .push(&format!(
                ") AND {course} IN (SELECT course_slug FROM class_courses WHERE class_id = "
            ))
            .bind(class)
            .push(")");
        }
        self
    }

    /// `YYYY-MM` of a timestamp column.
    pub(crate) fn month_of(&self, column: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"),
            // Stored as RFC 3339 text: the month is the first 7 characters.
            _ => format!("substr({column}, 1, 7)"),
        }
    }

    pub(crate) fn month_of_date(&self, column: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
            _ => format!("substr({column}, 1, 7)"),
        }
    }

    /// Days from `start` to `end` as a real number.
    pub(crate) fn days_between(&self, start: &str, end: &str) -> String {
        match self.backend {
            DbBackend::Postgres => {
                format!(
                    "(CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision) / 86400.0)"
                )
            }
            _ => format!("(julianday({end}) - julianday({start}))"),
        }
    }

    pub(crate) fn statement(&self) -> Statement {
        Statement::from_sql_and_values(self.backend, &self.text, self.values.clone())
    }
}
