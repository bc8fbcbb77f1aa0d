//! Byte classes of the scanner (go-yaml's `yamlprivateh.go`).
//!
//! The text is UTF-8, so the scanner looks at bytes: every character it treats specially is
//! ASCII except the line breaks NEL (U+0085), LS (U+2028) and PS (U+2029). Past the end of the
//! text it reads `0`, as go-yaml's reader appends a NUL there (`is_z`); a NUL inside the text
//! never reaches the scanner, the reader refuses control characters first.

/// A space or a tab.
pub(super) const fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t')
}

/// The characters of anchors, directive names and tag handles: `[0-9A-Za-z_-]`.
pub(super) const fn is_alpha(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-')
}

pub(super) const fn hex_value(byte: u8) -> Option<u32> {
    match byte {
        b'0'..=b'9' => Some((byte - b'0') as u32),
        b'a'..=b'f' => Some((byte - b'a' + 10) as u32),
        b'A'..=b'F' => Some((byte - b'A' + 10) as u32),
        _ => None,
    }
}

/// The characters a tag URI may hold (`yaml_parser_scan_tag_uri`); `%` starts an escape.
pub(super) const fn is_uri(byte: u8) -> bool {
    is_alpha(byte)
        || matches!(
            byte,
            b';' | b'/'
                | b'?'
                | b':'
                | b'@'
                | b'&'
                | b'='
                | b'+'
                | b'$'
                | b','
                | b'.'
                | b'!'
                | b'~'
                | b'*'
                | b'\''
                | b'('
                | b')'
                | b'['
                | b']'
                | b'%'
        )
}

/// The length of the line break at `at` (CR, LF, NEL, LS or PS; a CR LF pair counts as its CR
/// here), or 0.
pub(super) fn break_len(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(b'\r' | b'\n') => 1,
        Some(0xc2) if bytes.get(at + 1) == Some(&0x85) => 2,
        Some(0xe2)
            if bytes.get(at + 1) == Some(&0x80)
                && matches!(bytes.get(at + 2), Some(0xa8 | 0xa9)) =>
        {
            3
        }
        _ => 0,
    }
}

/// The width of the UTF-8 sequence a leading byte starts (`width`), 0 for a trailing byte.
pub(super) const fn utf8_width(byte: u8) -> usize {
    match byte {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 0,
    }
}

/// The number of characters in `bytes` (UTF-8 leading bytes).
pub(super) fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Bytes that may end a run of characters: the first bytes of line breaks (NEL and LS/PS
/// start with C2 and E2), the end of the text (0), and `extra`.
const fn run_stoppers(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let breaks = [b'\r', b'\n', 0xc2, 0xe2, 0];
    let mut i = 0;
    while i < breaks.len() {
        table[breaks[i] as usize] = true;
        i += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

/// Where the rest of a line (a comment) ends.
pub(super) static LINE_STOP: [bool; 256] = run_stoppers(b"");

/// The indicators, which cannot start a plain scalar (but `-`, `?` and `:` before a non-blank).
pub(super) static INDICATOR: [bool; 256] = {
    let mut table = [false; 256];
    let indicators = b"-?:,[]{}#&*!|>'\"%@`";
    let mut i = 0;
    while i < indicators.len() {
        table[indicators[i] as usize] = true;
        i += 1;
    }
    table
};

/// Where a run of plain-scalar characters may end in the block context (`: `).
pub(super) static PLAIN_BLOCK_STOP: [bool; 256] = run_stoppers(b" \t:");
/// In the flow context, also at `,?[]{}`.
pub(super) static PLAIN_FLOW_STOP: [bool; 256] = run_stoppers(b" \t:,?[]{}");
/// In a single-quoted scalar: the quote.
pub(super) static SINGLE_QUOTED_STOP: [bool; 256] = run_stoppers(b" \t'");
/// In a double-quoted scalar: the quote and escapes.
pub(super) static DOUBLE_QUOTED_STOP: [bool; 256] = run_stoppers(b" \t\"\\");
