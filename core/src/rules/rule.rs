//! What a rule is: the hooks the engine calls ([`Rule`]) and the macro that declares a rule's
//! type with its metadata (`declare_rule!`). Apart from the registry (`rules/mod.rs`), so
//! that a rule's file imports this and never the list of every rule.

use crate::rule_meta::{RuleMeta, Severity};
use crate::rules::context::{Context, ImageCheck, ObjectCheck};

/// A rule's metadata, written by `declare_rule!` (a rule never writes it by hand).
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

/// A rule: metadata plus the hooks it implements. Hooks it does not implement cost nothing.
pub trait Rule: Declared + Send + Sync {
    /// Called for every image a pod pulls (containers of all kinds, image volumes).
    fn check_image(&self, _image: &ImageCheck<'_>, _ctx: &mut Context<'_>) {}

    /// Called for every object.
    fn check_object(&self, _object: &ObjectCheck<'_>, _ctx: &mut Context<'_>) {}
}

impl dyn Rule {
    /// Runs the image hook: what the rule reports carries its metadata and `severity`.
    pub fn run_on_image(&self, severity: Severity, image: &ImageCheck<'_>, ctx: &mut Context<'_>) {
        ctx.reporting_as(self.meta(), severity);
        self.check_image(image, ctx);
    }

    /// Runs the object hook: what the rule reports carries its metadata and `severity`.
    pub fn run_on_object(
        &self,
        severity: Severity,
        object: &ObjectCheck<'_>,
        ctx: &mut Context<'_>,
    ) {
        ctx.reporting_as(self.meta(), severity);
        self.check_object(object, ctx);
    }
}

/// Declares a rule's type, its [`RuleMeta`] (as `META`) and its [`Declared`] implementation,
/// capturing the doc comment as its documentation (after clippy's `declare_clippy_lint!`).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            category: $category:ident,
            severity: $severity:ident,
            default: $default:ident,
            fix: $fix:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Clone, Copy, Debug, Default)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::rule_meta::RuleMeta = $crate::rule_meta::RuleMeta {
                code: $code,
                name: $rule_name,
                category: $crate::rule_meta::Category::$category,
                severity: $crate::rule_meta::Severity::$severity,
                enabled_by_default: declare_rule!(@default $default),
                fixable: $fix,
                docs: concat!($($doc, "\n"),+),
                source: concat!(file!(), "#L", line!()),
            };
        }

        impl $crate::rules::rule::Declared for $name {
            fn meta(&self) -> &'static $crate::rule_meta::RuleMeta {
                &Self::META
            }
        }
    };
    (@default on) => { true };
    (@default off) => { false };
}
pub(crate) use declare_rule;
