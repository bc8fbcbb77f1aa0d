// The Markdown of the rules' doc comments, as HTML: headings, paragraphs, fenced code, lists,
// inline code, emphasis and links, which is all the docs use. Everything is escaped first, so
// nothing in a doc can inject markup; links keep only http(s) and relative targets.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** `text` as HTML with its backtick spans as `<code>` and nothing else read (diagnostic messages). */
export function codeSpans(text) {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('');
}

function inline(text) {
  // Code spans first, so nothing inside them is read as emphasis or links.
  return text
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.length > 1 && part.startsWith('`') && part.endsWith('`')) {
        return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      }
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (match, label, href) =>
          /^(https?:|\.{0,2}\/|#)/.test(href) || !/^[a-z]+:/i.test(href)
            ? `<a href="${href}" target="_blank" rel="noopener noreferrer">${label}</a>`
            : label,
        );
    })
    .join('');
}

/**
 * Renders `markdown` to HTML. `headingOffset` shifts heading levels (`## What it does` becomes
 * an `h3` under the page's `h2`). Fenced blocks are returned too, so the page can offer them.
 */
export function renderMarkdown(markdown, { headingOffset = 0 } = {}) {
  const html = [];
  const blocks = [];
  let paragraph = [];
  let list = null;
  const flushParagraph = () => {
    if (paragraph.length) html.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) html.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    list = null;
  };
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    const fence = line.match(/^```\s*([\w-]*)\s*$/);
    if (fence) {
      flushParagraph();
      flushList();
      const code = [];
      for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]); i += 1) code.push(lines[i]);
      const text = code.join('\n');
      blocks.push({ language: fence[1], text });
      html.push(`<pre data-block="${blocks.length - 1}"><code>${escapeHtml(text)}</code></pre>`);
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      flushParagraph();
      flushList();
      const level = Math.min(6, heading[1].length + headingOffset);
      html.push(`<h${level}>${inline(heading[2])}</h${level}>`);
      continue;
    }
    const item = line.match(/^\s*[-*]\s+(.*)$/);
    if (item) {
      flushParagraph();
      list ??= [];
      list.push(item[1]);
      continue;
    }
    if (line.trim() === '') {
      flushParagraph();
      flushList();
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`;
      continue;
    }
    flushList();
    paragraph.push(line.trim());
  }
  flushParagraph();
  flushList();
  return { html: html.join('\n'), blocks };
}
