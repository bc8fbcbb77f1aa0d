//! The control plane: containers that run kube-apiserver (their admission plugin flags, the
//! only reason the reader knows them) and KubeletConfiguration files.

use super::reader::Reader;
use crate::admission::plugins::Flag;
use crate::manifest::model::{Field, KubeletConfiguration, Spanned, TextValue};
use crate::manifest::tree::{NodeId, ScalarKind};

impl<'t> Reader<'t, '_> {
    pub(super) fn kubelet_configuration(&mut self, root: NodeId) -> KubeletConfiguration {
        let [policy, gates] = self.fields(
            root,
            ["imagePullCredentialsVerificationPolicy", "featureGates"],
        );
        let verification_policy = self
            .text(policy, "imagePullCredentialsVerificationPolicy")
            .filter(|p| !p.value.is_empty());
        let ensure_secret_pulled_images = self
            .mapping(gates, "featureGates")
            .and_then(|gates| self.fields(gates, ["KubeletEnsureSecretPulledImages"])[0])
            .and_then(|gate| match self.tree.scalar(gate) {
                Some(s) if s.kind == ScalarKind::Bool => {
                    let on = matches!(&*s.text, "true" | "True" | "TRUE" | "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON");
                    Some(Spanned { value: on, span: self.tree.span(gate) })
                }
                _ => {
                    let found = self.tree.node(gate).describe();
                    self.error(self.tree.span(gate), format!("`featureGates.KubeletEnsureSecretPulledImages` must be a boolean, found {found}"), None);
                    None
                }
            });
        KubeletConfiguration {
            verification_policy,
            ensure_secret_pulled_images,
        }
    }

    /// `command` then `args` of a container that runs kube-apiserver (its first word names it,
    /// its image is kube-apiserver's, or it sets admission plugin flags); `None` otherwise. A
    /// shell command (`sh -c "kube-apiserver --flag=…"`) is split into words.
    pub(super) fn kube_apiserver_command(
        &mut self,
        command: Option<NodeId>,
        args: Option<NodeId>,
        image: &Field<TextValue>,
    ) -> Option<Vec<TextValue>> {
        let mut words = Vec::new();
        for (node, field) in [(command, "command"), (args, "args")] {
            let Some(list) = self.list(node, field) else {
                continue;
            };
            for (index, &item) in self.tree.items(list).iter().enumerate() {
                // The item's name is only built for an error message.
                let word = if self.tree.str(item).is_some() {
                    self.text(Some(item), field)
                } else {
                    self.text(Some(item), &format!("{field}[{index}]"))
                };
                let Some(word) = word else {
                    continue;
                };
                if word.value.contains(char::is_whitespace) && word.value.contains("kube-apiserver")
                {
                    words.extend(split_words(&word));
                } else {
                    words.push(word);
                }
            }
        }
        let runs_it = words
            .iter()
            .any(|w| w.value.rsplit('/').next() == Some("kube-apiserver"))
            || words.iter().any(|w| Flag::of_argument(&w.value).is_some())
            || image.value().is_some_and(|image| {
                // The last path component, without tag or digest (`reg:5000/kube-apiserver:v1`).
                let last = image.value.rsplit('/').next().unwrap_or_default();
                last.split(['@', ':']).next() == Some("kube-apiserver")
            });
        runs_it.then_some(words)
    }
}

/// Splits a shell command (`sh -c "…"`) into words as a POSIX shell does: blanks and the
/// control operators `;`, `&`, `|` separate words; single quotes keep everything, double quotes
/// keep everything but `\\` escapes of `$`, `` ` ``, `"`, `\\` and newline; a backslash outside
/// quotes keeps the next character. A word keeps its span; it is verbatim (offsets map into
/// the file) only when it has no quotes or escapes and the value itself is verbatim.
fn split_words(value: &TextValue) -> Vec<TextValue> {
    let text = &*value.value;
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, first)) = chars.peek() {
        if first.is_whitespace() || matches!(first, ';' | '&' | '|') {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut plain = true;
        let mut end = start;
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() || matches!(c, ';' | '&' | '|') {
                break;
            }
            chars.next();
            end = at + c.len_utf8();
            match c {
                '\'' => {
                    plain = false;
                    for (at, c) in chars.by_ref() {
                        end = at + c.len_utf8();
                        if c == '\'' {
                            break;
                        }
                        word.push(c);
                    }
                }
                '"' => {
                    plain = false;
                    while let Some((at, c)) = chars.next() {
                        end = at + c.len_utf8();
                        match c {
                            '"' => break,
                            '\\' => match chars.peek() {
                                Some(&(at, next @ ('$' | '`' | '"' | '\\' | '\n'))) => {
                                    chars.next();
                                    end = at + next.len_utf8();
                                    if next != '\n' {
                                        word.push(next);
                                    }
                                }
                                _ => word.push('\\'),
                            },
                            c => word.push(c),
                        }
                    }
                }
                '\\' => {
                    plain = false;
                    if let Some((at, next)) = chars.next() {
                        end = at + next.len_utf8();
                        if next != '\n' {
                            word.push(next);
                        }
                    }
                }
                c => word.push(c),
            }
        }
        let verbatim = plain.then(|| value.inner_span(start, end)).flatten();
        words.push(TextValue {
            value: word.into(),
            span: verbatim
                .or_else(|| value.inner_span(start, end))
                .unwrap_or(value.span),
            verbatim_at: verbatim.map(|span| span.start),
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn shell_words_follow_posix_quoting() {
        let value = TextValue {
            value: r#"exec kube-apiserver --a="x,y" --b='p q' c\ d;--e=1 "" --f=\"z\""#.into(),
            span: Span::new(10, 80),
            verbatim_at: Some(10),
        };
        let words = split_words(&value);
        let texts: Vec<&str> = words.iter().map(|w| &*w.value).collect();
        assert_eq!(
            texts,
            [
                "exec",
                "kube-apiserver",
                "--a=x,y",
                "--b=p q",
                "c d",
                "--e=1",
                "",
                "--f=\"z\""
            ]
        );
        assert_eq!(words[1].verbatim_at, Some(15));
        assert_eq!(words[1].span, Span::new(15, 29));
        assert_eq!(words[2].verbatim_at, None, "quoted: offsets do not map");
        assert_eq!(words[2].span, Span::new(30, 39));
    }
}
