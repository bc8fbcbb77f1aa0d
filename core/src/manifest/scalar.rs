//! YAML 1.1 plain-scalar resolution, as go-yaml v2 (`resolve.go`, vendored by
//! `sigs.k8s.io/yaml`) does it when kubectl turns a manifest into JSON.
//!
//! This is why `image: 1.10` is a number (and the API server rejects it), why `name: no` is a
//! boolean, and why `imagePullPolicy:` with nothing after it is null (so the default applies).

use super::tree::ScalarKind;

/// The kind go-yaml v2 gives an untagged plain scalar.
pub fn resolve_plain(text: &str) -> ScalarKind {
    let Some(&first) = text.as_bytes().first() else {
        return ScalarKind::Null;
    };
    match text {
        "~" | "null" | "Null" | "NULL" => return ScalarKind::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "n"
        | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return ScalarKind::Bool;
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => return ScalarKind::Float,
        _ => {}
    }
    match first {
        b'.' if is_dot_float(text) => ScalarKind::Float,
        b'0'..=b'9' | b'+' | b'-' => resolve_number_like(text),
        _ => ScalarKind::String,
    }
}

/// Scalars starting with a digit or a sign: timestamp, integer, float, or string.
fn resolve_number_like(text: &str) -> ScalarKind {
    if is_timestamp(text) {
        return ScalarKind::Timestamp;
    }
    let plain: std::borrow::Cow<'_, str> = if text.contains('_') {
        text.replace('_', "").into()
    } else {
        text.into()
    };
    if is_go_integer(&plain) {
        ScalarKind::Int
    } else if is_yaml_style_float(&plain) {
        ScalarKind::Float
    } else {
        ScalarKind::String
    }
}

/// `strconv.ParseInt(s, 0, 64)` syntax (range aside: upstream falls back to `big.Int`, which
/// accepts the same literals), plus go-yaml's own `-0b…`.
fn is_go_integer(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let all = |rest: &str, f: fn(&u8) -> bool| !rest.is_empty() && rest.as_bytes().iter().all(f);
    if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        return all(rest, u8::is_ascii_hexdigit);
    }
    if let Some(rest) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        return all(rest, |b| (b'0'..=b'7').contains(b));
    }
    if let Some(rest) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        return all(rest, |b| matches!(b, b'0' | b'1'));
    }
    if let Some(rest) = digits.strip_prefix('0') {
        return rest.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    all(digits, u8::is_ascii_digit)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = 0;
    if b.first() == Some(&b'.') {
        let n = digits(1);
        if n == 0 {
            return false;
        }
        i = 1 + n;
    } else {
        let n = digits(0);
        if n == 0 {
            return false;
        }
        i += n;
        if b.get(i) == Some(&b'.') {
            i += 1 + digits(i + 1);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return false;
        }
        i += n;
    }
    i == b.len()
}

/// `strconv.ParseFloat` on a scalar starting with `.`: `.5`, `.5e-3`.
fn is_dot_float(s: &str) -> bool {
    is_yaml_style_float(s)
}

/// go-yaml v2 `parseTimestamp`: `YYYY-M-D`, optionally with a time (`T`/`t` with a zone, or a
/// space without one).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut i = 5;
    let number = |max_len: usize, i: &mut usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && *i - start < max_len && b[*i].is_ascii_digit() {
            *i += 1;
        }
        (start < *i).then(|| s[start..*i].parse().ok()).flatten()
    };
    let Some(month) = number(2, &mut i) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = number(2, &mut i) else {
        return false;
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zone_required = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    for (n, separator) in [(2, Some(b':')), (2, Some(b':')), (2, None)] {
        if number(n, &mut i).is_none() {
            return false;
        }
        if let Some(separator) = separator {
            if b.get(i) != Some(&separator) {
                return false;
            }
            i += 1;
        }
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if number(9, &mut i).is_none() {
            return false;
        }
    }
    if !zone_required {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let zone = &s[i + 1..];
            zone.len() == 5
                && zone.as_bytes()[2] == b':'
                && zone.bytes().filter(u8::is_ascii_digit).count() == 4
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_scalars() {
        for (text, kind) in [
            ("", ScalarKind::Null),
            ("~", ScalarKind::Null),
            ("NULL", ScalarKind::Null),
            ("yes", ScalarKind::Bool),
            ("Off", ScalarKind::Bool),
            ("y", ScalarKind::Bool),
            ("nginx", ScalarKind::String),
            ("1.10", ScalarKind::Float),
            ("1.", ScalarKind::Float),
            (".5", ScalarKind::Float),
            ("1e3", ScalarKind::Float),
            ("123", ScalarKind::Int),
            ("-0x1F", ScalarKind::Int),
            ("0o17", ScalarKind::Int),
            ("0b101", ScalarKind::Int),
            ("1_000", ScalarKind::Int),
            ("0777", ScalarKind::Int),
            ("09", ScalarKind::Float),
            ("99999999999999999999999", ScalarKind::Int),
            ("2001-12-14", ScalarKind::Timestamp),
            ("2001-12-14T21:59:43.10Z", ScalarKind::Timestamp),
            ("2001-12-14 21:59:43", ScalarKind::Timestamp),
            ("2001-13-14", ScalarKind::String),
            ("1.2.3", ScalarKind::String),
            ("8080/tcp", ScalarKind::String),
            ("+", ScalarKind::String),
            ("-", ScalarKind::String),
            (".", ScalarKind::String),
            ("Always", ScalarKind::String),
            ("<<", ScalarKind::String),
        ] {
            assert_eq!(resolve_plain(text), kind, "{text:?}");
        }
    }
}
