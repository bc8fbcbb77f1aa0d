//! One kustomization file, read for what imglint needs of it: the paths it includes (to find
//! roots and leave their files out of the plain lint), its `images:` entries and inline
//! patches with their positions (to report findings where they are written), and the values
//! of its `secretGenerator`s (masked in code frames, scrubbed out of kustomize's messages).

use std::path::{Path, PathBuf};

use imglint_core::Span;
use imglint_core::manifest::{DocumentResult, NodeId, Tree, parse_documents};

/// The names kustomize looks for in a directory, in its order (`konfig.RecognizedKustomizationFileNames`).
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The kustomization file of `dir`, if it has one.
pub fn file_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// An `images:` entry: what it matches and the values it sets, each with its span.
#[derive(Clone, Debug, Default)]
pub struct ImageEntry {
    pub name: Option<(String, Span)>,
    pub new_name: Option<(String, Span)>,
    pub new_tag: Option<(String, Span)>,
    pub digest: Option<(String, Span)>,
}

/// A generator entry (`secretGenerator`, `configMapGenerator`): its name and where it is.
#[derive(Clone, Debug)]
pub struct GeneratorEntry {
    pub name: String,
    pub span: Span,
}

/// What imglint reads of a kustomization file.
#[derive(Debug, Default)]
pub struct Kustomization {
    /// The file's text as read.
    pub text: String,
    /// `resources`, `bases` and `components` entries, as written (paths or URLs).
    pub references: Vec<String>,
    /// Other files it reads: patches, generator sources, CRDs, configurations, replacements.
    pub files: Vec<String>,
    pub images: Vec<ImageEntry>,
    /// Inline patches (`patches[].patch`, `patchesStrategicMerge` texts): their spans in `text`.
    pub inline_patches: Vec<Span>,
    /// Patch files (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`).
    pub patch_files: Vec<String>,
    pub generators: Vec<GeneratorEntry>,
    /// Spans of `secretGenerator` literal values: masked wherever the file is shown.
    pub secret_spans: Vec<Span>,
    /// `secretGenerator` literal texts, and the files (`files`, `envs`, `env`) whose contents
    /// are secret: what kustomize's messages must never show.
    pub secret_literals: Vec<String>,
    pub secret_files: Vec<String>,
}

impl Kustomization {
    /// Reads the text of a kustomization file; what it cannot make sense of is left out (kustomize
    /// itself reports a malformed kustomization when it renders it).
    pub fn parse(text: String) -> Self {
        let mut kustomization = Self::default();
        {
            let documents = parse_documents(&text);
            if let Some(DocumentResult::Document(tree)) = documents.first() {
                kustomization.read(tree);
            }
        }
        kustomization.text = text;
        kustomization
    }

    /// The text with every `secretGenerator` literal value masked (byte for byte, so positions
    /// stay): what code frames of this file show.
    pub fn masked_text(&self) -> String {
        let mut bytes = self.text.clone().into_bytes();
        for span in &self.secret_spans {
            let range = span.start as usize..(span.end as usize).min(bytes.len());
            for byte in &mut bytes[range] {
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b'*';
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Whether a reference is remote (kustomize fetches it: git or HTTP).
    pub fn is_remote(reference: &str) -> bool {
        reference.contains("://")
            || reference.starts_with("git@")
            || reference.starts_with("github.com/")
            || reference.starts_with("gitlab.com/")
            || reference.starts_with("bitbucket.org/")
    }

    fn read(&mut self, tree: &Tree<'_>) {
        let root = tree.root();
        let strings = |id: NodeId| -> Vec<String> {
            tree.items(id)
                .iter()
                .filter_map(|&item| tree.str(item).map(str::to_owned))
                .collect()
        };
        for &(key, value) in tree.entries(root) {
            match tree.key(key).unwrap_or_default() {
                "resources" | "bases" | "components" => self.references.extend(strings(value)),
                "crds" | "configurations" | "transformers" | "generators" | "validators" => {
                    self.files.extend(strings(value));
                }
                "patchesStrategicMerge" => {
                    for &item in tree.items(value) {
                        match tree.str(item) {
                            // A path, or a patch written inline (it holds a line break).
                            Some(text) if !text.contains('\n') => {
                                self.patch_files.push(text.to_owned());
                            }
                            Some(_) => self.inline_patches.push(tree.span(item)),
                            None => {}
                        }
                    }
                }
                "patches" | "patchesJson6902" | "replacements" => {
                    for &item in tree.items(value) {
                        if let Some(path) = tree.get(item, "path").and_then(|p| tree.str(p)) {
                            self.patch_files.push(path.to_owned());
                        }
                        if let Some(patch) = tree.get(item, "patch") {
                            self.inline_patches.push(tree.span(patch));
                        }
                    }
                }
                "images" => {
                    for &item in tree.items(value) {
                        let field = |name: &str| {
                            let id = tree.get(item, name)?;
                            let text = tree.scalar(id)?.text.to_string();
                            Some((text, tree.span(id)))
                        };
                        self.images.push(ImageEntry {
                            name: field("name"),
                            new_name: field("newName"),
                            new_tag: field("newTag"),
                            digest: field("digest"),
                        });
                    }
                }
                generator @ ("secretGenerator" | "configMapGenerator") => {
                    let secret = generator == "secretGenerator";
                    for &item in tree.items(value) {
                        if let Some(name) = tree.get(item, "name")
                            && let Some(text) = tree.str(name)
                        {
                            self.generators.push(GeneratorEntry {
                                name: text.to_owned(),
                                span: tree.span(name),
                            });
                        }
                        self.read_generator_sources(tree, item, secret);
                    }
                }
                _ => {}
            }
        }
    }

    fn read_generator_sources(&mut self, tree: &Tree<'_>, item: NodeId, secret: bool) {
        for key in ["files", "envs"] {
            for &file in tree.get(item, key).map_or(&[][..], |id| tree.items(id)) {
                if let Some(entry) = tree.str(file) {
                    // `files` entries may be `key=path`.
                    let path = entry.split_once('=').map_or(entry, |(_, path)| path);
                    self.files.push(path.to_owned());
                    if secret {
                        self.secret_files.push(path.to_owned());
                    }
                }
            }
        }
        if let Some(env) = tree.get(item, "env").and_then(|id| tree.str(id)) {
            self.files.push(env.to_owned());
            if secret {
                self.secret_files.push(env.to_owned());
            }
        }
        if secret {
            for &literal in tree
                .get(item, "literals")
                .map_or(&[][..], |id| tree.items(id))
            {
                self.secret_spans.push(tree.span(literal));
                if let Some(text) = tree.scalar(literal) {
                    self.secret_literals.push(text.text.to_string());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_references_images_patches_and_generators() {
        let text = "resources:\n- ../base\n- https://github.com/x/y//z?ref=v1\ncomponents: [../comp]\nimages:\n- name: nginx\n  newTag: latest\npatches:\n- path: patch.yaml\n- patch: |\n    kind: Deployment\nsecretGenerator:\n- name: creds\n  literals:\n  - password=hunter2\n  envs: [secret.env]\n";
        let k = Kustomization::parse(text.to_owned());
        assert_eq!(
            k.references,
            ["../base", "https://github.com/x/y//z?ref=v1", "../comp"]
        );
        assert!(Kustomization::is_remote(&k.references[1]));
        assert!(!Kustomization::is_remote(&k.references[0]));
        let tag = k.images[0].new_tag.as_ref().unwrap();
        assert_eq!(tag.0, "latest");
        assert_eq!(tag.1.slice(text), "latest");
        assert_eq!(k.patch_files, ["patch.yaml"]);
        assert_eq!(k.inline_patches.len(), 1);
        assert_eq!(k.generators[0].name, "creds");
        assert_eq!(k.secret_files, ["secret.env"]);
        assert_eq!(k.secret_literals, ["password=hunter2"]);
        let masked = k.masked_text();
        assert!(!masked.contains("hunter2"), "{masked}");
        assert_eq!(masked.len(), text.len());
    }
}
