//! The rules of a class that need no database: who may create and run one,
//! and the marks of a register.

use crate::domain::names::Role;

/// Who may create a class: tutors and admins. (Coordinators report across
/// classes; they do not teach one.)
pub fn may_create(role: Role) -> bool {
    matches!(role, Role::Tutor | Role::Admin)
}

/// Who may see and run a class: its tutor, coordinators and admins. Other
/// tutors may not: a tutor sees only their own classes.
pub fn may_manage(role: Role, account_id: i32, tutor_id: i32) -> bool {
    match role {
        Role::Coordinator | Role::Admin => true,
        Role::Tutor => account_id == tutor_id,
        Role::Learner => false,
    }
}

/// Whether a learner came to a live session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attendance {
    Present,
    Late,
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::Present, Attendance::Late, Attendance::Absent];

    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Late => "late",
            Attendance::Absent => "absent",
        }
    }

    pub fn parse(text: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.as_str() == text)
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tutors_and_admins_create_classes() {
        assert!(may_create(Role::Tutor));
        assert!(may_create(Role::Admin));
        assert!(!may_create(Role::Coordinator));
        assert!(!may_create(Role::Learner));
    }

    #[test]
    fn a_tutor_runs_only_their_own_class() {
        assert!(may_manage(Role::Tutor, 7, 7));
        assert!(!may_manage(Role::Tutor, 8, 7));
        assert!(may_manage(Role::Coordinator, 8, 7));
        assert!(!may_manage(Role::Learner, 7, 7));
    }

    #[test]
    fn a_register_mark_reads_back_as_written() {
        for mark in Attendance::ALL {
            assert_eq!(Attendance::parse(mark.as_str()), Some(mark));
        }
        assert_eq!(Attendance::parse("here"), None);
    }
}
