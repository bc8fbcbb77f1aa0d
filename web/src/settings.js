// The settings a user can change, as the lint options of the wasm module (`LintOptions` in
// index.d.ts). Empty fields mean "as the CLI would do without the flag".

export const DEFAULT_SETTINGS = Object.freeze({ tenancy: 'single', namespace: '', select: '', ignore: '', config: '' });

/** `settings` completed with defaults, keeping only known keys of the right type. */
export function normalizeSettings(settings) {
  const result = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    if (typeof settings?.[key] === 'string') result[key] = settings[key];
  }
  if (result.tenancy !== 'multi') result.tenancy = 'single';
  return result;
}

/** The options of `lint(text, options)` for these settings. */
export function lintOptions(settings, file) {
  const options = { file, tenancy: settings.tenancy };
  if (settings.namespace.trim()) options.namespace = settings.namespace.trim();
  if (settings.select.trim()) options.select = settings.select.trim();
  if (settings.ignore.trim()) options.ignore = settings.ignore.trim();
  if (settings.config.trim()) options.config = settings.config;
  return options;
}

/** Binds the settings form and toolbar fields; `onChange(settings)` after every edit. */
export function bindSettings(elements, onChange) {
  const read = () =>
    normalizeSettings({
      tenancy: elements.tenancy.value,
      namespace: elements.namespace.value,
      select: elements.select.value,
      ignore: elements.ignore.value,
      config: elements.config.value,
    });
  for (const element of Object.values(elements)) {
    element.addEventListener(element.tagName === 'SELECT' ? 'change' : 'input', () => onChange(read()));
  }
  return {
    read,
    write(settings) {
      for (const [key, element] of Object.entries(elements)) element.value = settings[key];
    },
  };
}
