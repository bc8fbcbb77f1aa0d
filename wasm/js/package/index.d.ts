// Types of @imglint/imglint. The shapes are the documented contracts of `imglint lint --format
// json`, `imglint image --format json` and `imglint rules --format json`.

export type Severity = 'error' | 'warning' | 'info';

/** 1-based; columns count Unicode scalar values; `end_column` is one past the last character. */
export interface Range {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
}

export interface ObjectRef {
  apiVersion: string | null;
  kind: string;
  /** The effective namespace (written, else the default); null outside objects. */
  namespace: string | null;
  name: string | null;
}

export interface Label extends Range {
  file: string;
  message: string;
}

export interface Edit extends Range {
  replacement: string;
}

export interface Fix {
  description: string;
  edits: Edit[];
}

export interface Diagnostic extends Range {
  /** `IMG103` */
  code: string;
  /** `latest-tag` */
  rule: string;
  severity: Severity;
  message: string;
  help: string | null;
  file: string;
  object: ObjectRef | null;
  /** The container (or image volume); null for object-level findings. */
  container: string | null;
  /** The field, e.g. `spec.template.spec.containers[0].image`. */
  path: string | null;
  labels: Label[];
  fix: Fix | null;
}

export interface Summary {
  files: number;
  documents: number;
  objects: number;
  containers: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Findings taken out by `imglint.dev/ignore` annotations. */
  suppressed: number;
}

export interface Report {
  version: 1;
  /** Sorted by file, line, column, code. */
  diagnostics: Diagnostic[];
  summary: Summary;
  errors: { file: string; message: string }[];
}

/** The content of an `.imglint.yaml`. */
export interface Config {
  tenancy?: 'single' | 'multi';
  default_namespace?: string;
  secrets?: 'partial' | 'complete';
  allowed_registries?: string[];
  /** Registries or repository prefixes (`gcr.io/acme`) that are public or node-authenticated. */
  trusted_registries?: string[];
  /** Moved registries, old prefix to new (IMG107): `{'registry.old.example.com': 'registry.example.com'}`. */
  deprecated_registries?: Record<string, string>;
  /** By code or prefix: `{IMG104: 'warning', IMG3: 'off'}`. */
  rules?: Record<string, Severity | 'off'>;
}

export interface LintOptions {
  /** The name findings carry; default `<stdin>`. */
  file?: string;
  /** Namespace of objects without one (wins over `config`). */
  namespace?: string;
  tenancy?: 'single' | 'multi';
  /** The config file, as an object or as its YAML text. */
  config?: Config | string;
  /** Codes or prefixes to run (`'IMG103,IMG2'`, `['ALL']`); also enables default-off rules. */
  select?: string | string[];
  /** Codes or prefixes never to run, over `config` and `select` (as `--ignore`); empty changes nothing. */
  ignore?: string | string[];
}

export type ReferenceErrorKind =
  | 'invalid_reference_format'
  | 'repository_name_must_be_lowercase'
  | 'repository_name_empty'
  | 'name_too_long'
  | 'not_canonical'
  | 'hex_identifier'
  | 'digest_invalid_format'
  | 'digest_invalid_length'
  | 'digest_unsupported';

export interface ImageInfo {
  input: string;
  valid: boolean;
  error: null | {
    kind: ReferenceErrorKind;
    /** Upstream's message, byte for byte. */
    message: string;
    /** Byte offset of the first offending character. */
    offset: number;
    hint: string;
  };
  domain: string | null;
  path: string | null;
  tag: string | null;
  digest: string | null;
  familiar: string | null;
  /** Fully qualified, `:latest` added when neither tag nor digest is given. */
  normalized: string | null;
  implicit_tag: boolean | null;
  implicit_registry: boolean | null;
  default_pull_policy: 'Always' | 'IfNotPresent';
}

export interface Rule {
  code: string;
  name: string;
  category: 'input' | 'images' | 'pull-policy' | 'registries' | 'tenancy';
  severity: Severity;
  enabled_by_default: boolean;
  fixable: boolean;
  summary: string;
  /** The rule's doc comment, Markdown. */
  documentation: string;
  url: string;
}

/** Lints manifest text (YAML or JSON, any number of documents). Throws an `Error` for bad options. */
export function lint(text: string, options?: LintOptions): Report;
/** Parses an image reference as Kubernetes does. */
export function parseImage(reference: string): ImageInfo;
/** The rule catalogue. */
export function rules(): Rule[];
export const version: string;
