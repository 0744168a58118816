// A self-contained HTML page: inline CSS and inline SVG charts, no scripts and no
// external resources, so the file can be mailed, archived or opened offline.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Section {
  title: string;
  /** Trusted HTML (built by the report from escaped parts). */
  html: string;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.meta { color: #555; } .meta code { color: #222; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid #ddd; padding: .25rem .6rem; text-align: right; } th:first-child, td:first-child { text-align: left; }
th { background: #f5f5f5; } .plots { display: flex; flex-wrap: wrap; gap: 1rem; }
figure.plot { margin: 0; } figure.plot figcaption { color: #555; font-size: .9rem; }
pre { background: #f7f7f7; padding: .75rem; overflow-x: auto; } .warn { color: #a40; font-weight: 600; }
`;

export function page(title: string, subtitle: string, sections: Section[]): string {
  const body = sections.map((s) => `<section>\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${subtitle}</p>
${body}
</body>
</html>
`;
}

/** An HTML table; cells are escaped. */
export function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${trs}\n</tbody>\n</table>`;
}

/** Inline SVG charts, each in a figure with its caption and a link to its .svg file. */
export function figures(plots: Array<{ title: string; svg: string; file: string }>): string {
  const items = plots.map(
    (p) =>
      `<figure class="plot" data-plot="${escapeHtml(p.file)}">\n${p.svg}\n<figcaption>${escapeHtml(p.title)} · <a href="${escapeHtml(p.file)}">${escapeHtml(p.file)}</a></figcaption>\n</figure>`,
  );
  return `<div class="plots">\n${items.join('\n')}\n</div>`;
}
