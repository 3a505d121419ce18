//! The display name of a sequence: `_part_N` is shown as ` Part N`.

/// Replaces every `_part_<digits>` with ` Part <digits>`.
pub fn display_sequence_name(raw: &str) -> String {
    const MARK: &str = "_part_";
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find(MARK) {
        let after = &rest[at + MARK.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(" Part ");
        } else {
            out.push_str(MARK);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::display_sequence_name as name;

    #[test]
    fn parts_are_spelled_out() {
        assert_eq!(name("river_walk_part_2"), "river_walk Part 2");
        assert_eq!(name("Coast Ride_part_12"), "Coast Ride Part 12");
        assert_eq!(name("a_part_1_part_3"), "a Part 1 Part 3");
    }

    #[test]
    fn other_names_are_left_alone() {
        assert_eq!(name("Docs Sequence Example"), "Docs Sequence Example");
        assert_eq!(name("counterpart_time"), "counterpart_time");
        assert_eq!(name("x_part_"), "x_part_");
        assert_eq!(name("x_part_b"), "x_part_b");
    }
}
