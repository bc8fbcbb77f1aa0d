//! A kube-apiserver command line from a manifest, judged for AlwaysPullImages: whether the
//! plugin runs, and which written flag explains it.

use super::plugins::{ALWAYS_PULL_IMAGES, AdmissionFlags, Flag};
use crate::manifest::model::TextValue;
use crate::source::Span;

/// Why AlwaysPullImages does or does not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Enabled,
    /// No admission plugin flag: the defaults, which do not include it.
    Defaults,
    /// `--enable-admission-plugins` without it.
    NotEnabled,
    /// `--disable-admission-plugins` lists it.
    Disabled,
    /// `--admission-control` (which lists every plugin that runs) without it.
    NotInLegacyList,
    /// kube-apiserver refuses the flags and does not start.
    Refused(Vec<String>),
}

/// The verdict and the span that explains it (the deciding flag, else the command).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiServerAdmission {
    pub verdict: Verdict,
    pub span: Span,
    /// For [`Verdict::NotEnabled`] with a verbatim flag value: the edit that appends
    /// `AlwaysPullImages` to the last `--enable-admission-plugins` list.
    pub append: Option<Append>,
}

/// Text to put at `span` (empty to insert) so that a plugin list ends with `AlwaysPullImages`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Append {
    pub span: Span,
    pub replacement: String,
}

impl ApiServerAdmission {
    /// Judges a command line (`command` then `args`).
    pub fn of(command: &[TextValue]) -> Self {
        let words: Vec<&str> = command.iter().map(|w| &*w.value).collect();
        let flag_span = |wanted: Flag, mention: bool| {
            command.iter().enumerate().rev().find_map(|(i, word)| {
                match Flag::of_argument(&word.value) {
                    Some((flag, value)) if flag == wanted => {
                        let (value_text, span) = match value {
                            Some(v) => (v, word.span),
                            None => command
                                .get(i + 1)
                                .map_or(("", word.span), |next| (&*next.value, next.span)),
                        };
                        (!mention || value_text.contains(ALWAYS_PULL_IMAGES)).then_some(span)
                    }
                    _ => None,
                }
            })
        };
        let command_span = command.first().map_or_else(Span::default, |w| w.span);
        let flags = match AdmissionFlags::from_arguments(words.iter().copied()) {
            Ok(flags) => flags,
            Err(error) => {
                let span = [Flag::Enable, Flag::Disable, Flag::Legacy]
                    .into_iter()
                    .find_map(|f| flag_span(f, false))
                    .unwrap_or(command_span);
                return Self {
                    verdict: Verdict::Refused(vec![error]),
                    span,
                    append: None,
                };
            }
        };
        let errors = flags.errors();
        if !errors.is_empty() {
            let span = [Flag::Enable, Flag::Disable, Flag::Legacy]
                .into_iter()
                .find_map(|f| flag_span(f, true))
                .or_else(|| {
                    [Flag::Enable, Flag::Disable, Flag::Legacy]
                        .into_iter()
                        .find_map(|f| flag_span(f, false))
                })
                .unwrap_or(command_span);
            return Self {
                verdict: Verdict::Refused(errors),
                span,
                append: None,
            };
        }
        if flags.always_pull_images() {
            let span = flag_span(Flag::Legacy, true)
                .or_else(|| flag_span(Flag::Enable, true))
                .unwrap_or(command_span);
            return Self {
                verdict: Verdict::Enabled,
                span,
                append: None,
            };
        }
        let (verdict, span) = if flags.legacy.is_some() {
            (Verdict::NotInLegacyList, flag_span(Flag::Legacy, false))
        } else if flags
            .disable
            .iter()
            .flatten()
            .any(|name| name == ALWAYS_PULL_IMAGES)
        {
            (Verdict::Disabled, flag_span(Flag::Disable, true))
        } else if flags.enable.is_some() {
            (Verdict::NotEnabled, flag_span(Flag::Enable, false))
        } else {
            (Verdict::Defaults, None)
        };
        let append = (verdict == Verdict::NotEnabled)
            .then(|| append_plugin(command))
            .flatten();
        Self {
            verdict,
            span: span.unwrap_or(command_span),
            append,
        }
    }

    pub fn always_pull_images(&self) -> bool {
        self.verdict == Verdict::Enabled
    }
}

/// How to append `AlwaysPullImages` to the last `--enable-admission-plugins` value, when it
/// is verbatim in the file. Inside quotes, the text goes before the closing quote. A plain
/// word is ambiguous: in a flow list (`[kube-apiserver, --enable-admission-plugins=A]`) a
/// comma would end it and start a new item, in a block list it would not, and the model does
/// not say which. A plain word that already holds a comma can only be in a block list, so the
/// text is appended; any other plain word is replaced whole by the new value double-quoted,
/// which reads the same in both.
fn append_plugin(command: &[TextValue]) -> Option<Append> {
    let (i, value) =
        command.iter().enumerate().rev().find_map(|(i, word)| {
            match Flag::of_argument(&word.value) {
                Some((Flag::Enable, value)) => Some((i, value)),
                _ => None,
            }
        })?;
    let (word, value) = match value {
        Some(value) => (&command[i], value),
        None => {
            let next = command.get(i + 1)?;
            (next, &*next.value)
        }
    };
    let at = word.verbatim_at?;
    let end = at + u32::try_from(word.value.len()).ok()?;
    let addition = if value.is_empty() || value.ends_with(',') {
        ALWAYS_PULL_IMAGES.to_owned()
    } else {
        format!(",{ALWAYS_PULL_IMAGES}")
    };
    let plain = at == word.span.start;
    if plain && !word.value.contains(',') {
        let whole = format!("{}{addition}", word.value);
        return Some(Append {
            span: word.span,
            replacement: serde_json::to_string(&whole).ok()?,
        });
    }
    Some(Append {
        span: Span::new(end as usize, end as usize),
        replacement: addition,
    })
}
