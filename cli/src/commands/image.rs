//! `imglint image REF...`: parse references and explain them.

use std::io::{self, Write};

use imglint_core::diagnostic::bounded_text;
use imglint_core::image_info::invalid_image_consequence;
use imglint_core::reference::{self, ImageReference};
use imglint_core::source::LineIndex;
use imglint_core::{ImageInfo, PullPolicy};
use miette::{LabeledSpan, NamedSource, SourceSpan};

use super::Outcome;
use crate::args::{ImageArgs, ImageFormat};
use crate::render::Style;
use crate::render::escape::escape;
use crate::render::frame::{Frame, FrameText};

pub fn run(args: &ImageArgs, out: &mut impl Write, style: Style) -> io::Result<Outcome> {
    // Each reference is parsed once, whatever the format.
    let all_valid = match args.format {
        ImageFormat::Json => {
            let infos: Vec<ImageInfo> = args.references.iter().map(|r| ImageInfo::of(r)).collect();
            // Serialising plain data cannot fail.
            let json = serde_json::to_string_pretty(&infos).unwrap_or_default();
            writeln!(out, "{}", imglint_core::json::log_safe_json(&json))?;
            infos.iter().all(|info| info.valid)
        }
        ImageFormat::Human => {
            let mut all_valid = true;
            for (index, input) in args.references.iter().enumerate() {
                if index > 0 {
                    writeln!(out)?;
                }
                match reference::parse_normalized(input) {
                    Ok(image) => write_explanation(out, &image)?,
                    Err(error) => {
                        all_valid = false;
                        out.write_all(invalid_frame(&error).render(style).as_bytes())?;
                    }
                }
            }
            all_valid
        }
    };
    Ok(if all_valid {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// An aligned explanation of what Kubernetes does with the reference.
fn write_explanation(out: &mut impl Write, image: &ImageReference<'_>) -> io::Result<()> {
    let registry = if image.registry_is_implicit() {
        format!("{} (implicit: Docker Hub)", image.domain())
    } else if image.domain().is_empty() {
        "none (the first component is read as part of the path)".to_owned()
    } else {
        image.domain().to_owned()
    };
    let repository = if image.has_implied_library_prefix() {
        format!("{} (official image: `library/` is implied)", image.path())
    } else {
        image.path().into_owned()
    };
    let tag = match (image.tag(), image.digest()) {
        (Some(tag), _) => tag.to_owned(),
        (None, None) => "latest (implicit)".to_owned(),
        (None, Some(_)) => "none".to_owned(),
    };
    let digest = image
        .digest()
        .unwrap_or("none (the tag can move to another image)");
    let policy = image.default_pull_policy();
    let why = match (policy, image.tag(), image.digest()) {
        (PullPolicy::Always, None, None) => "no tag: the runtime pulls `:latest`",
        (PullPolicy::Always, Some(_), Some(_)) => {
            "the tag is `latest`; the digest decides what runs"
        }
        (PullPolicy::Always, ..) => "the tag is `latest`",
        (_, None, Some(_)) => "pinned by digest",
        _ => "the tag is not `latest`",
    };
    writeln!(out, "{}", image.input())?;
    writeln!(out, "  registry    {registry}")?;
    writeln!(out, "  repository  {repository}")?;
    writeln!(out, "  tag         {tag}")?;
    writeln!(out, "  digest      {digest}")?;
    writeln!(out, "  pulls       {}", image.normalized())?;
    writeln!(out, "  policy      {policy} by default ({why})")?;
    Ok(())
}

fn invalid_frame(error: &reference::ReferenceError<'_>) -> Frame {
    let input = error.input();
    let offset = error.offset();
    // Cover the offending character. When the input ends too early there is none: miette draws
    // no label on an empty span, so the frame gets one trailing space to point at.
    let (source, len) = match input[offset..].chars().next() {
        Some(c) => (input.to_owned(), c.len_utf8()),
        None => (format!("{input} "), 1),
    };
    let mut labels = vec![LabeledSpan::new_with_span(
        Some(error.hint().to_string()),
        SourceSpan::new(offset.into(), len),
    )];
    // A long reference is cut around the offending character, in the frame and the message.
    let text = FrameText::excerpt(&source, &LineIndex::new(&source), &mut labels);
    Frame {
        // The error quotes parts of the input too (`repository name (library/Nginx) must be
        // lowercase`).
        message: escape(&bounded_text(format!(
            "invalid image reference `{input}`: {error}"
        )))
        .into_owned(),
        source: Some(NamedSource::new("image", text)),
        labels,
        help: Some(invalid_image_consequence(error).to_owned()),
        ..Frame::error(String::new())
    }
}
