//! `images:` entries against rendered images: which entry made an image what it is, and which
//! of its values a finding is about.

use imglint_core::Span;

use super::kustomization::ImageEntry;

/// The span of the value of `entry` that a finding (`code`) about `rendered` is about, when
/// the entry matches one of `names` (the image's name as written or as rendered) and made the
/// image as rendered: a later patch may have replaced what it set. Registry findings go to
/// `newName`, the others to `newTag` or `digest`.
pub fn value_that_set(
    entry: &ImageEntry,
    names: &[String],
    rendered: &str,
    code: &str,
) -> Option<Span> {
    let matches = |name: Option<&(String, Span)>| {
        name.is_some_and(|(name, _)| names.iter().any(|n| n == name))
    };
    if !(matches(entry.name.as_ref()) || matches(entry.new_name.as_ref())) {
        return None;
    }
    let (name, tag, digest) = parts(rendered);
    let agrees = |set: Option<&(String, Span)>, now: Option<&str>| {
        set.is_none_or(|(value, _)| Some(value.as_str()) == now)
    };
    if !(agrees(entry.new_name.as_ref(), Some(&name))
        && agrees(entry.new_tag.as_ref(), tag)
        && agrees(entry.digest.as_ref(), digest))
    {
        return None;
    }
    let (new_name, new_tag, digest) = (
        entry.new_name.as_ref(),
        entry.new_tag.as_ref(),
        entry.digest.as_ref(),
    );
    let order = if is_about_the_name(code) {
        [new_name, new_tag, digest]
    } else {
        [new_tag, digest, new_name]
    };
    order.into_iter().flatten().next().map(|(_, span)| *span)
}

/// An image's name without its tag and digest (what `images:` entries match).
pub fn name(image: &str) -> String {
    parts(image).0
}

/// An image's name, tag and digest, split as kustomize's image transformer splits them.
fn parts(image: &str) -> (String, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    match rest.rfind(':') {
        Some(colon) if !rest[colon..].contains('/') => {
            (rest[..colon].to_owned(), Some(&rest[colon + 1..]), digest)
        }
        _ => (rest.to_owned(), None, digest),
    }
}

/// Findings about where an image comes from (its registry or name), not its version.
fn is_about_the_name(code: &str) -> bool {
    matches!(code, "IMG106" | "IMG305" | "IMG306" | "IMG307")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_drop_tag_and_digest_but_not_a_port() {
        assert_eq!(name("nginx"), "nginx");
        assert_eq!(name("nginx:latest"), "nginx");
        assert_eq!(name("registry:5000/app:1@sha256:ab"), "registry:5000/app");
        assert_eq!(name("registry:5000/app"), "registry:5000/app");
    }

    #[test]
    fn an_entry_a_patch_overrode_is_not_the_source() {
        let text = "newTag: latest";
        let entry = ImageEntry {
            name: Some(("nginx".into(), Span::new(0, 0))),
            new_tag: Some(("latest".into(), Span::new(8, text.len()))),
            ..ImageEntry::default()
        };
        let names = ["nginx".to_owned()];
        assert_eq!(
            value_that_set(&entry, &names, "nginx:latest", "IMG103"),
            Some(Span::new(8, 14))
        );
        assert_eq!(value_that_set(&entry, &names, "nginx:1.27", "IMG103"), None);
        assert_eq!(
            value_that_set(&entry, &["other".to_owned()], "nginx:latest", "IMG103"),
            None
        );
    }
}
