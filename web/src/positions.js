// imglint reports 1-based lines and columns that count Unicode scalar values (the CLI's JSON);
// CodeMirror addresses a document by UTF-16 code units. This converts one to the other against
// the exact document that was linted.

const SURROGATE = /[\uD800-\uDFFF]/;

/** The document offset of a 1-based `line` and `column` (in characters), clamped to the line. */
export function offsetAt(doc, line, column) {
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const { from, text } = doc.line(line);
  const chars = Math.max(0, column - 1);
  // Almost every line is free of astral characters: then characters and code units agree.
  if (!SURROGATE.test(text)) return from + Math.min(chars, text.length);
  let units = 0;
  for (let seen = 0; seen < chars && units < text.length; seen += 1) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff && units + 1 < text.length ? 2 : 1;
  }
  return from + units;
}

/** The `{from, to}` of a report range (`line`, `column`, `end_line`, `end_column`). */
export function rangeOf(doc, range) {
  const from = offsetAt(doc, range.line, range.column);
  const to = offsetAt(doc, range.end_line ?? range.line, range.end_column ?? range.column);
  return { from, to: Math.max(from, to) };
}
