//! YAML 1.1 plain-scalar resolution, as go-yaml v2 (`resolve.go`, vendored by
//! `sigs.k8s.io/yaml`) does it when kubectl turns a manifest into JSON.
//!
//! This is why `image: 1.10` is a number (and the API server rejects it), why `name: no` is a
//! boolean, and why `imagePullPolicy:` with nothing after it is null (so the default applies).

use std::borrow::Cow;

use super::tree::ScalarKind;

/// How a scalar was written, as far as decoding cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarTag<'a> {
    /// Plain and untagged: resolved by its text (`yes` is a boolean).
    Plain,
    /// Quoted or block, untagged: always a string.
    Quoted,
    /// An explicit tag, long (`tag:yaml.org,2002:int`) or short (`!!int`), or a local one
    /// (`!x`). The non-specific `!` counts as a local tag.
    Explicit(&'a str),
}

/// What go-yaml v2 decodes a scalar into when the target is `interface{}`, as
/// `sigs.k8s.io/yaml` asks it to, and so what kubectl's JSON holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub kind: ScalarKind,
    /// A float that JSON cannot carry (`.inf`, `.nan`): `json.Marshal` fails on it, so kubectl
    /// refuses the document when it is a value (as a key it is spelled `.inf`).
    pub non_finite: bool,
    /// The text after decoding, when it differs from the written text (`!!binary`).
    pub text: Option<String>,
}

impl Decoded {
    const fn of(kind: ScalarKind) -> Self {
        Self {
            kind,
            non_finite: false,
            text: None,
        }
    }
}

/// go-yaml v2 `decoder.scalar` into `interface{}` (`decode.go`, `resolve.go`): untagged quoted
/// scalars are strings; plain ones are resolved by their text; an explicit core tag must agree
/// with what the text resolves to (`!!int yes` fails with go-yaml's own message); timestamps
/// stay strings, for backward compatibility, as go-yaml v2 does for `interface{}` targets.
pub fn decode(tag: ScalarTag<'_>, text: &str) -> Result<Decoded, String> {
    let tag = match tag {
        ScalarTag::Quoted => return Ok(Decoded::of(ScalarKind::String)),
        ScalarTag::Plain => None,
        ScalarTag::Explicit(tag) => {
            let name = tag
                .strip_prefix("tag:yaml.org,2002:")
                .or_else(|| tag.strip_prefix("!!"));
            match name {
                Some("str") => return Ok(Decoded::of(ScalarKind::String)),
                Some("binary") => return decode_binary(text),
                Some(core @ ("bool" | "int" | "float" | "null" | "timestamp")) => Some(core),
                // Not resolvable (`!x`, `!!map` on a scalar): the text, as a string.
                _ => return Ok(Decoded::of(ScalarKind::String)),
            }
        }
    };
    let timestamps = tag.is_none() || tag == Some("timestamp");
    let resolved = resolve(text);
    let timestamp = timestamps && resolved.kind == ScalarKind::String && is_timestamp(text);
    let Some(tag) = tag else {
        return Ok(resolved);
    };
    let found = match resolved.kind {
        _ if timestamp => "timestamp",
        ScalarKind::Null => "null",
        ScalarKind::Bool => "bool",
        // go-yaml turns an `int` into a float for `!!float`, but not a `uint64`.
        ScalarKind::Int
            if tag == "float"
                && !matches!(
                    go_integer_value(&text.replace('_', "")),
                    Some(GoInteger::Uint(_))
                ) =>
        {
            return Ok(Decoded::of(ScalarKind::Float));
        }
        ScalarKind::Int => "int",
        ScalarKind::Float => "float",
        ScalarKind::String => "str",
    };
    if found == tag {
        Ok(resolved)
    } else {
        // go-yaml quotes the value (`cannot decode !!str `x` as a !!int`); imglint does not,
        // since it may be a Secret's.
        Err(format!(
            "cannot decode !!{found} as a !!{tag}: the tag does not fit the value"
        ))
    }
}

/// `!!binary`: standard base64 (line breaks ignored, as Go's decoder does), decoded to the
/// string of its bytes; invalid UTF-8 becomes U+FFFD, byte by byte, when kubectl writes it
/// as JSON.
fn decode_binary(text: &str) -> Result<Decoded, String> {
    let invalid = || "!!binary value contains invalid base64 data".to_owned();
    let bytes = crate::keyring::go::base64_decode(text.as_bytes(), true).map_err(|_| invalid())?;
    Ok(Decoded {
        kind: ScalarKind::String,
        non_finite: false,
        text: Some(crate::source::go_lossy_utf8(&bytes)),
    })
}

/// go-yaml v2 `resolve`: the map of special words, then by the first character (`resolveTable`)
/// integers and floats; anything else is a string. Timestamps are strings too (decoded into
/// `interface{}`, go-yaml v2 keeps their text), and no text starting with `YYYY-` could be a
/// number, so whether one is a timestamp matters only under an explicit `!!timestamp`.
fn resolve(text: &str) -> Decoded {
    let Some(&first) = text.as_bytes().first() else {
        return Decoded::of(ScalarKind::Null);
    };
    match text {
        "~" | "null" | "Null" | "NULL" => return Decoded::of(ScalarKind::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "n"
        | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Decoded::of(ScalarKind::Bool);
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => {
            return Decoded {
                kind: ScalarKind::Float,
                non_finite: true,
                text: None,
            };
        }
        _ => {}
    }
    let kind = match first {
        // `strconv.ParseFloat` as it is, which for text starting with a dot is the YAML float
        // syntax; out of range (`.5e999`) is an error, so a string.
        b'.' if is_yaml_style_float(text) && go_parse_float(text).is_some() => ScalarKind::Float,
        b'0'..=b'9' | b'+' | b'-' => resolve_number_like(text),
        _ => ScalarKind::String,
    };
    Decoded::of(kind)
}

/// Scalars starting with a digit or a sign: integer, float, or string.
fn resolve_number_like(text: &str) -> ScalarKind {
    let plain: Cow<'_, str> = if text.contains('_') {
        text.replace('_', "").into()
    } else {
        text.into()
    };
    if is_go_integer(&plain) && go_integer_fits(&plain) {
        ScalarKind::Int
    } else if is_yaml_style_float(&plain) && go_parse_float(&plain).is_some() {
        ScalarKind::Float
    } else if is_binary_literal(&plain) {
        ScalarKind::Int
    } else {
        ScalarKind::String
    }
}

/// `strconv.ParseFloat(s, 64)` on text of the YAML float syntax: `None` when Go reports
/// `ErrRange` (the value overflows to infinity).
fn go_parse_float(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Whether `ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` accepts the value (the syntax is
/// checked by [`is_go_integer`]): past 64 bits go-yaml tries a float instead.
fn go_integer_fits(s: &str) -> bool {
    go_integer_value(s).is_some()
}

/// The value of an integer literal in `ParseInt`/`ParseUint` base-0 syntax: `Err(())` past
/// 64 bits, `Ok(Left)` for an `int64`, `Ok(Right)` for a `uint64` beyond it.
pub(crate) fn go_integer_value(s: &str) -> Option<GoInteger> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, body) = if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, rest)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if negative {
        // ParseUint refuses a sign, so a negative value must fit an int64.
        (magnitude <= 1 << 63).then(|| GoInteger::Int((magnitude as i64).wrapping_neg()))
    } else if magnitude <= i64::MAX as u64 {
        Some(GoInteger::Int(magnitude as i64))
    } else {
        Some(GoInteger::Uint(magnitude))
    }
}

/// An integer as go-yaml v2 decodes it: `int` (64 bits here) or, past `int64`, `uint64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GoInteger {
    Int(i64),
    Uint(u64),
}

/// go-yaml's own `0b…`/`-0b…` fallback, reached only for literals `ParseInt` refused.
fn is_binary_literal(s: &str) -> bool {
    let body = s.strip_prefix("0b").or_else(|| s.strip_prefix("-0b"));
    body.is_some_and(|b| {
        !b.is_empty() && b.len() <= 64 && b.bytes().all(|c| matches!(c, b'0' | b'1'))
    })
}

/// How `sigs.k8s.io/yaml` spells a mapping key in JSON, when the key is not a string: booleans
/// as `true`/`false`, integers in decimal, floats as Go's `FormatFloat(f, 'g', -1, 32)`. Keys
/// that cannot be spelled (null, and integers past `int64`) are an error, as there.
pub fn json_key(decoded: &Decoded, text: &str) -> Result<Option<String>, String> {
    let unsupported = |type_name: &str| Err(format!("unsupported map key of type: {type_name}"));
    match decoded.kind {
        ScalarKind::String => Ok(decoded.text.clone()),
        ScalarKind::Null => unsupported("<nil>"),
        ScalarKind::Bool => Ok(Some(
            matches!(
                text,
                "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON"
            )
            .to_string(),
        )),
        ScalarKind::Int => {
            let plain = text.replace('_', "");
            match go_integer_value(&plain) {
                Some(GoInteger::Int(value)) => Ok(Some(value.to_string())),
                Some(GoInteger::Uint(_)) => unsupported("uint64"),
                // go-yaml's `0b` fallback, or a `!!float`-tagged integer read as an int.
                None => Ok(plain
                    .strip_prefix("-0b")
                    .map(|b| i64::from_str_radix(b, 2).map(|v| -v))
                    .or_else(|| plain.strip_prefix("0b").map(|b| i64::from_str_radix(b, 2)))
                    .and_then(Result::ok)
                    .map(|v| v.to_string())),
            }
        }
        ScalarKind::Float => {
            let plain = text.replace('_', "");
            let value = match text {
                ".nan" | ".NaN" | ".NAN" => return Ok(Some(".nan".to_owned())),
                ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
                    return Ok(Some(".inf".to_owned()));
                }
                "-.inf" | "-.Inf" | "-.INF" => return Ok(Some("-.inf".to_owned())),
                _ => match go_integer_value(&plain) {
                    Some(GoInteger::Int(v)) => v as f64,
                    Some(GoInteger::Uint(v)) => v as f64,
                    None => plain.parse::<f64>().unwrap_or(0.0),
                },
            };
            Ok(Some(format_float_g32(value)))
        }
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest digits that read back as the same
/// float32, in `%e` form when the exponent is below -4 or at least 6.
fn format_float_g32(value: f64) -> String {
    let f = value as f32;
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    // Rust's `{:e}` prints the shortest round-trip digits: `1.2345e6`.
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digit_count = digits.len() as i32;
    let point = exponent + 1; // digits before the decimal point
    // Go decides with precision 6 for the shortest form.
    let eprec = 6;
    let sign = if negative { "-" } else { "" };
    if exponent < -4 || exponent >= eprec {
        let (head, tail) = digits.split_at(1);
        let tail = if tail.is_empty() {
            String::new()
        } else {
            format!(".{tail}")
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{head}{tail}e{exponent_sign}{:02}", exponent.abs())
    } else if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
    } else if point >= digit_count {
        format!(
            "{sign}{digits}{}",
            "0".repeat((point - digit_count) as usize)
        )
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{sign}{int}.{frac}")
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
            ("99999999999999999999999", ScalarKind::Float),
            // Timestamps decode to their text in `interface{}` (kubectl sees a string).
            ("2001-12-14", ScalarKind::String),
            ("2001-12-14T21:59:43.10Z", ScalarKind::String),
            ("2001-12-14 21:59:43", ScalarKind::String),
            // Past 64 bits an integer is a float; past float64, a string.
            ("18446744073709551615", ScalarKind::Int),
            ("18446744073709551616", ScalarKind::Float),
            ("-9223372036854775809", ScalarKind::Float),
            ("1e400", ScalarKind::String),
            (".5e400", ScalarKind::String),
            ("0x_1F", ScalarKind::Int),
            ("0X1f", ScalarKind::Int),
            ("08", ScalarKind::Float),
            ("0x", ScalarKind::String),
            ("0b", ScalarKind::String),
            ("+.5", ScalarKind::Float),
            ("._5", ScalarKind::String),
            ("=", ScalarKind::String),
            ("2001-13-14", ScalarKind::String),
            ("1.2.3", ScalarKind::String),
            ("8080/tcp", ScalarKind::String),
            ("+", ScalarKind::String),
            ("-", ScalarKind::String),
            (".", ScalarKind::String),
            ("Always", ScalarKind::String),
            ("<<", ScalarKind::String),
        ] {
            assert_eq!(
                decode(ScalarTag::Plain, text).unwrap().kind,
                kind,
                "{text:?}"
            );
        }
    }

    #[test]
    fn explicit_tags_decode_like_go_yaml() {
        let tag = ScalarTag::Explicit;
        let kind = |t, text| decode(t, text).map(|d| d.kind);
        assert_eq!(kind(tag("!!str"), "yes"), Ok(ScalarKind::String));
        assert_eq!(kind(ScalarTag::Quoted, "yes"), Ok(ScalarKind::String));
        assert_eq!(kind(tag("!!int"), "0x1F"), Ok(ScalarKind::Int));
        assert_eq!(
            kind(tag("tag:yaml.org,2002:bool"), "on"),
            Ok(ScalarKind::Bool)
        );
        assert_eq!(kind(tag("!!float"), "12"), Ok(ScalarKind::Float));
        assert_eq!(kind(tag("!!null"), ""), Ok(ScalarKind::Null));
        assert_eq!(
            kind(tag("!!timestamp"), "2024-01-01"),
            Ok(ScalarKind::String)
        );
        assert_eq!(kind(tag("!local"), "12"), Ok(ScalarKind::String));
        assert_eq!(kind(tag("!"), "12"), Ok(ScalarKind::String));
        // kubectl's verdicts, as seen from `kubectl annotate --local` (its messages quote the
        // value, imglint's do not).
        for (t, text, found) in [
            ("!!bool", "<<", "!!str"),
            ("!!int", "yes", "!!bool"),
            // Under a tag other than `!!timestamp`, timestamps are not tried.
            ("!!float", "2001-12-14t21:59:43.10-05:00", "!!str"),
            ("!!bool", "12:30:00", "!!str"),
            ("!!timestamp", "=", "!!str"),
            ("!!null", "0", "!!int"),
            ("!!float", "9223372036854775808", "!!int"),
        ] {
            let message = format!("cannot decode {found} as a {t}: the tag does not fit the value");
            assert_eq!(kind(tag(t), text), Err(message), "{t} {text}");
        }
        let binary = decode(tag("!!binary"), "aGk=\n").unwrap();
        assert_eq!(binary.text.as_deref(), Some("hi"));
        assert_eq!(
            decode(tag("!!binary"), "yes"),
            Err("!!binary value contains invalid base64 data".to_owned())
        );
        assert!(decode(ScalarTag::Plain, ".inf").unwrap().non_finite);
        assert!(decode(ScalarTag::Plain, "-.Inf").unwrap().non_finite);
        assert!(!decode(ScalarTag::Plain, "1e3").unwrap().non_finite);
    }

    #[test]
    fn keys_are_spelled_as_sigs_k8s_io_yaml_spells_them() {
        let key = |text: &str| {
            let decoded = decode(ScalarTag::Plain, text).unwrap();
            json_key(&decoded, text).map(|k| k.unwrap_or_else(|| text.to_owned()))
        };
        for (text, spelled) in [
            ("image", "image"),
            ("yes", "true"),
            ("Y", "true"),
            ("off", "false"),
            ("0o17", "15"),
            ("0x1F", "31"),
            ("1_000", "1000"),
            ("-0b101", "-5"),
            ("1.5", "1.5"),
            ("0.1", "0.1"),
            ("1e3", "1000"),
            ("123456", "123456"),
            ("1234567", "1234567"),
            ("1234567.0", "1.234567e+06"),
            ("1e21", "1e+21"),
            ("0.0001", "0.0001"),
            ("0.00001", "1e-05"),
            ("3.14159265358979", "3.1415927"),
            ("18446744073709551616", "1.8446744e+19"),
            ("-0.0", "-0"),
            (".inf", ".inf"),
            ("-.Inf", "-.inf"),
            (".NaN", ".nan"),
            ("2024-01-01", "2024-01-01"),
        ] {
            assert_eq!(key(text), Ok(spelled.to_owned()), "{text}");
        }
        assert_eq!(
            key("~"),
            Err("unsupported map key of type: <nil>".to_owned())
        );
        assert_eq!(
            key(""),
            Err("unsupported map key of type: <nil>".to_owned())
        );
        assert_eq!(
            key("18446744073709551615"),
            Err("unsupported map key of type: uint64".to_owned())
        );
    }
}
