//! The pieces of Go's standard library the kubelet's credential keyring relies on, with Go's
//! semantics and error texts: `net/url.Parse` (for `https://` URLs), `net.SplitHostPort`,
//! `path/filepath.Match` (Unix), and `encoding/base64` decoding.

/// What `url.Parse("https://" + s)` keeps that the keyring uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    /// `Host`: host and port as written (IPv6 in brackets), percent-decoded.
    pub(crate) host: String,
    /// `Path`, percent-decoded.
    pub(crate) path: String,
}

/// Why `url.Parse` refused a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlError {
    /// Go's message, byte for byte: it quotes the key, so it is config content.
    pub message: String,
    /// The same reason without any of the input: safe to show for a Secret's key.
    pub reason: &'static str,
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A reason without the input, and Go's message with it.
type Reason = (&'static str, String);

/// `url.Parse(raw)` for a raw URL that starts with `https://` or `http://`.
pub(crate) fn parse_url(raw: &str) -> Result<Url, UrlError> {
    let fail = |(reason, detail): Reason| {
        Err(UrlError {
            message: format!("parse {raw:?}: {detail}"),
            reason,
        })
    };
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return fail((
            "invalid control character",
            "net/url: invalid control character in URL".to_owned(),
        ));
    }
    let without_fragment = raw.split_once('#').map_or(raw, |(before, _)| before);
    let rest = without_fragment
        .strip_prefix("https:")
        .or_else(|| without_fragment.strip_prefix("http:"))
        .unwrap_or(without_fragment);
    // A single trailing `?` is an empty query; otherwise the query starts at the first `?`.
    let rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        &rest[..rest.len() - 1]
    } else {
        rest.split_once('?').map_or(rest, |(before, _)| before)
    };
    let Some(rest) = rest.strip_prefix("//") else {
        return Ok(Url {
            host: String::new(),
            path: match unescape_path(rest) {
                Ok(path) => path,
                Err(reason) => return fail(reason),
            },
        });
    };
    let (authority, path) = rest
        .find('/')
        .map_or((rest, ""), |slash| rest.split_at(slash));
    let host = match authority.rfind('@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let host = match parse_host(host) {
        Ok(host) => host,
        Err(reason) => return fail(reason),
    };
    match unescape_path(path) {
        Ok(path) => Ok(Url { host, path }),
        Err(reason) => fail(reason),
    }
}

/// `parseHost`: brackets must close, a port must be digits, and some bytes may not appear.
fn parse_host(host: &str) -> Result<String, Reason> {
    let valid_optional_port = |port: &str| {
        port.is_empty()
            || port
                .strip_prefix(':')
                .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
    };
    if host.starts_with('[') {
        let Some(close) = host.rfind(']') else {
            return Err(("missing ']' in host", "missing ']' in host".to_owned()));
        };
        let port = &host[close + 1..];
        if !valid_optional_port(port) {
            return Err((
                "invalid port after host",
                format!("invalid port {port:?} after host"),
            ));
        }
    } else if let Some(colon) = host.rfind(':') {
        let port = &host[colon..];
        if !valid_optional_port(port) {
            return Err((
                "invalid port after host",
                format!("invalid port {port:?} after host"),
            ));
        }
    }
    unescape(host, true)
}

fn unescape_path(path: &str) -> Result<String, Reason> {
    unescape(path, false)
}

/// `unescape` in host or path mode: `%XX` sequences decoded; in a host, bytes that would need
/// escaping are an error.
fn unescape(s: &str, host: bool) -> Result<String, Reason> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                let Some(byte) = hex else {
                    let escape = s.get(i..(i + 3).min(s.len())).unwrap_or("%");
                    return Err((
                        "invalid URL escape",
                        format!("invalid URL escape {escape:?}"),
                    ));
                };
                out.push(byte);
                i += 3;
            }
            b if host && b < 0x80 && host_byte_needs_escape(b) => {
                return Err((
                    "invalid character in host name",
                    format!(
                        "invalid character {:?} in host name",
                        (b as char).to_string()
                    ),
                ));
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `shouldEscape(c, encodeHost)`.
fn host_byte_needs_escape(b: u8) -> bool {
    !(b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_'
                | b'.'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        ))
}

/// `net.SplitHostPort`, returning `None` where Go returns an error.
pub(crate) fn split_host_port(hostport: &str) -> Option<(&str, &str)> {
    let colon = hostport.rfind(':')?;
    let (host, from) = if hostport.starts_with('[') {
        let close = hostport.find(']')?;
        if close + 1 != colon {
            return None;
        }
        (&hostport[1..close], (1, close + 1))
    } else {
        let host = &hostport[..colon];
        if host.contains(':') {
            return None;
        }
        (host, (0, 0))
    };
    if hostport[from.0..].contains('[') || hostport[from.1..].contains(']') {
        return None;
    }
    Some((host, &hostport[colon + 1..]))
}

/// `filepath.ErrBadPattern`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BadPattern;

/// `path/filepath.Match` on Unix: `*` any run of non-`/`, `?` one non-`/` character, `[…]`
/// classes with ranges and `^` negation, `\` escapes.
pub(crate) fn filepath_match(mut pattern: &str, mut name: &str) -> Result<bool, BadPattern> {
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains('/'));
        }
        let (t, ok, err) = match_chunk(chunk, name);
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        err?;
        if star {
            let mut i = 0;
            while i < name.len() && name.as_bytes()[i] != b'/' {
                // Go steps through bytes; stepping through characters never slices inside one
                // (a panic on `&str`) and is the same on ASCII, which image hosts are.
                let next = i + name[i..].chars().next().map_or(1, char::len_utf8);
                let (t, ok, err) = match_chunk(chunk, &name[next..]);
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i = next;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                err?;
                i = next;
            }
        }
        // Before failing, check that the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, "").2?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(mut pattern: &str) -> (bool, &str, &str) {
    let mut star = false;
    while let Some(rest) = pattern.strip_prefix('*') {
        pattern = rest;
        star = true;
    }
    let bytes = pattern.as_bytes();
    let mut in_range = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if i + 1 < bytes.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// `matchChunk`: the rest of `s` after `chunk` matched its start, whether it did, and a bad
/// pattern error (reported even after a mismatch, as Go does).
fn match_chunk<'s>(mut chunk: &str, mut s: &'s str) -> (&'s str, bool, Result<(), BadPattern>) {
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        let first = chunk.as_bytes()[0];
        match first {
            b'[' => {
                let mut r = None;
                if !failed {
                    let c = s.chars().next().unwrap_or('\u{fffd}');
                    r = Some(c);
                    s = &s[c.len_utf8()..];
                }
                chunk = &chunk[1..];
                let negated = chunk.starts_with('^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.starts_with(']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = match get_escaped(chunk) {
                        Ok(v) => v,
                        Err(e) => return ("", false, Err(e)),
                    };
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.starts_with('-') {
                        match get_escaped(&chunk[1..]) {
                            Ok((h, rest)) => {
                                hi = h;
                                chunk = rest;
                            }
                            Err(e) => return ("", false, Err(e)),
                        }
                    }
                    if r.is_some_and(|r| lo <= r && r <= hi) {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    let c = s.chars().next().unwrap_or('/');
                    if c == '/' {
                        failed = true;
                    }
                    s = &s[c.len_utf8().min(s.len())..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if first == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return ("", false, Err(BadPattern));
                    }
                }
                // Go compares a byte at a time. Whole characters compare the same (UTF-8 is
                // prefix-free) without slicing inside one, which panicked on a non-ASCII
                // registry key such as `é.example.com` (fuzz_regressions: docker_config).
                let c = chunk.chars().next().unwrap_or_default();
                if !failed {
                    match s.strip_prefix(c) {
                        Some(rest) => s = rest,
                        None => failed = true,
                    }
                }
                chunk = &chunk[c.len_utf8()..];
            }
        }
    }
    if failed {
        ("", false, Ok(()))
    } else {
        (s, true, Ok(()))
    }
}

fn get_escaped(chunk: &str) -> Result<(char, &str), BadPattern> {
    if chunk.is_empty() || chunk.starts_with('-') || chunk.starts_with(']') {
        return Err(BadPattern);
    }
    let chunk = match chunk.strip_prefix('\\') {
        Some("") => return Err(BadPattern),
        Some(rest) => rest,
        None => chunk,
    };
    let c = chunk.chars().next().ok_or(BadPattern)?;
    let rest = &chunk[c.len_utf8()..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((c, rest))
}

/// `encoding/base64` with `StdEncoding` (`padded`) or `RawStdEncoding`: `\r` and `\n` are
/// skipped anywhere; errors are Go's `illegal base64 data at input byte N`.
pub(crate) fn base64_decode(src: &[u8], padded: bool) -> Result<Vec<u8>, String> {
    let corrupt = |at: usize| Err(format!("illegal base64 data at input byte {at}"));
    let value = |b: u8| -> Option<u32> {
        match b {
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::with_capacity(src.len() / 4 * 3 + 3);
    let mut si = 0;
    while si < src.len() {
        let mut quantum = [0u32; 4];
        let mut len = 4;
        let mut j = 0;
        let mut done = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                if j == 1 || padded {
                    return corrupt(si - j);
                }
                len = j;
                break;
            }
            let b = src[si];
            si += 1;
            if let Some(v) = value(b) {
                quantum[j] = v;
                j += 1;
                continue;
            }
            if b == b'\n' || b == b'\r' {
                continue;
            }
            if !padded || b != b'=' {
                return corrupt(si - 1);
            }
            // Padding: only after two or three characters.
            match j {
                0 | 1 => return corrupt(si - 1),
                2 => {
                    while si < src.len() && matches!(src[si], b'\n' | b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return corrupt(src.len());
                    }
                    if src[si] != b'=' {
                        return corrupt(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && matches!(src[si], b'\n' | b'\r') {
                si += 1;
            }
            if si < src.len() {
                return corrupt(si);
            }
            len = j;
            done = true;
            break;
        }
        let v = (quantum[0] << 18) | (quantum[1] << 12) | (quantum[2] << 6) | quantum[3];
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if done {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("https://quay.io/v1/org").unwrap(),
            Url {
                host: "quay.io".into(),
                path: "/v1/org".into()
            }
        );
        assert_eq!(parse_url("https://a.b:5000").unwrap().host, "a.b:5000");
        assert_eq!(
            parse_url("https://[::1]:5000/x").unwrap().host,
            "[::1]:5000"
        );
        assert!(
            parse_url("https://[::1")
                .unwrap_err()
                .message
                .contains("missing ']' in host")
        );
        let port = parse_url("https://myuser:s3cret").unwrap_err();
        assert_eq!(
            port.message,
            "parse \"https://myuser:s3cret\": invalid port \":s3cret\" after host"
        );
        assert_eq!(
            port.reason, "invalid port after host",
            "the reason quotes nothing"
        );
        assert_eq!(parse_url("https://?uay.io").unwrap().host, "");
        assert!(
            parse_url("https://a b/")
                .unwrap_err()
                .message
                .contains("invalid character")
        );
    }

    #[test]
    fn host_ports() {
        assert_eq!(split_host_port("a.b:5000"), Some(("a.b", "5000")));
        assert_eq!(split_host_port("[::1]:5000"), Some(("::1", "5000")));
        assert_eq!(split_host_port("a.b"), None);
        assert_eq!(split_host_port("[::1]"), None);
    }

    #[test]
    fn globs() {
        let m = |p, n| filepath_match(p, n);
        assert_eq!(m("*.io", "quay.io"), Ok(true));
        assert_eq!(m("*", "quay"), Ok(true));
        assert_eq!(m("k*", "quay"), Ok(false));
        assert_eq!(m("[pq]uay", "quay"), Ok(true));
        assert_eq!(m("[^q]uay", "quay"), Ok(false));
        assert_eq!(m("a?c", "abc"), Ok(true));
        assert_eq!(m("[", "a"), Err(BadPattern));
        assert_eq!(m("*x[", "abc"), Err(BadPattern));
        assert_eq!(m("\\*", "*"), Ok(true));
    }

    #[test]
    fn base64_decodes_padded_text() {
        assert_eq!(base64_decode(b"Zm9vOmJhcg==", true).unwrap(), b"foo:bar");
        assert_eq!(base64_decode(b"YWI=", true).unwrap(), b"ab");
        assert_eq!(
            base64_decode(b"YW55IGJ5dGVzIAD/", true).unwrap(),
            b"any bytes \x00\xff"
        );
    }

    #[test]
    fn base64_like_go() {
        assert_eq!(base64_decode(b"Zm9vOmJhcg==", true).unwrap(), b"foo:bar");
        assert_eq!(base64_decode(b"Zm9vOmJhcg", false).unwrap(), b"foo:bar");
        assert_eq!(
            base64_decode(b"Zm9vOm\nJhcg==\n", true).unwrap(),
            b"foo:bar"
        );
        assert_eq!(
            base64_decode(b"pants", false).unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            base64_decode(b"Zm9vOmJhcg== ", true).unwrap_err(),
            "illegal base64 data at input byte 12"
        );
        assert_eq!(
            base64_decode(b"Zm9vOmJhcg=", true).unwrap_err(),
            "illegal base64 data at input byte 11"
        );
        assert_eq!(
            base64_decode(b"Zm9vOmJhcg=\n", true).unwrap_err(),
            "illegal base64 data at input byte 12"
        );
        assert_eq!(
            base64_decode(b"Zm9v OmJhcg==", true).unwrap_err(),
            "illegal base64 data at input byte 4"
        );
    }
}
