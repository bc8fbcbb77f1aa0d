//! `metadata.annotations["imglint.dev/ignore"]`: the findings an object opts out of.
//!
//! The value lists codes or prefixes (`IMG103`, `IMG3`, `ALL`) separated by commas or blanks;
//! a reason may follow after ` -- `. Findings of the object that a selector matches are not
//! reported but counted; a selector that matches nothing is itself reported (IMG003), as ruff
//! reports an unused `noqa`.

use crate::config::RuleSelector;
use crate::manifest::model::TextValue;
use crate::rules::RuleMeta;
use crate::source::Span;

/// One selector as written.
#[derive(Clone, Debug)]
pub struct Selector {
    /// The text, e.g. `IMG103`.
    pub text: Box<str>,
    /// `None` when the text names no rule.
    pub selector: Option<RuleSelector>,
    /// Where it is written (the whole annotation value when its text is not verbatim).
    pub span: Span,
    /// Whether it suppressed a finding.
    pub used: bool,
}

/// A parsed annotation.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub selectors: Vec<Selector>,
    /// The annotation value as a whole.
    pub span: Span,
}

impl Suppression {
    pub fn parse(value: &TextValue) -> Self {
        let codes = value.value.split(" -- ").next().unwrap_or_default();
        // A reason separator with nothing after it: `IMG103 --`.
        let codes = codes.strip_suffix(" --").unwrap_or(codes);
        let codes = if codes.trim() == "--" { "" } else { codes };
        let mut selectors = Vec::new();
        // Separators may be multi-byte (NBSP, ideographic space): offsets come from the text.
        let mut pieces = Vec::new();
        let mut start = 0;
        for (at, c) in codes.char_indices() {
            if c == ',' || c.is_whitespace() {
                pieces.push((start, &codes[start..at]));
                start = at + c.len_utf8();
            }
        }
        pieces.push((start, &codes[start..]));
        for (start, piece) in pieces {
            if piece.is_empty() {
                continue;
            }
            selectors.push(Selector {
                text: piece.into(),
                selector: RuleSelector::parse(piece).ok(),
                span: value
                    .inner_span(start, start + piece.len())
                    .unwrap_or(value.span),
                used: false,
            });
        }
        Self {
            selectors,
            span: value.span,
        }
    }

    /// Whether this annotation takes out findings of `rule`; the selectors that do are marked
    /// used.
    pub(crate) fn suppresses(&mut self, rule: &RuleMeta) -> bool {
        let mut suppressed = false;
        for selector in &mut self.selectors {
            if selector.selector.as_ref().is_some_and(|s| s.matches(rule)) {
                selector.used = true;
                suppressed = true;
            }
        }
        suppressed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> TextValue {
        TextValue {
            value: text.into(),
            span: Span::new(100, 100 + text.len()),
            verbatim_at: Some(100),
        }
    }

    #[test]
    fn codes_prefixes_and_a_reason() {
        let parsed = Suppression::parse(&value("IMG103, img2 IMG999 -- pinned by the release job"));
        let texts: Vec<&str> = parsed.selectors.iter().map(|s| &*s.text).collect();
        assert_eq!(texts, ["IMG103", "img2", "IMG999"]);
        assert!(
            parsed.selectors[1].selector.is_some(),
            "prefixes are case-insensitive"
        );
        assert!(parsed.selectors[2].selector.is_none());
        assert_eq!(parsed.selectors[1].span, Span::new(108, 112));
    }

    #[test]
    fn a_reason_alone_lists_nothing() {
        assert!(
            Suppression::parse(&value(" -- because"))
                .selectors
                .is_empty()
        );
    }
}
