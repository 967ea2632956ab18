/** The weight (q) the Accept header gives a media type, by its most specific matching range; 0 when none matches. */
function weight(accept: string, type: string): { q: number; specificity: number } {
  const [major] = type.split('/');
  let best = { q: 0, specificity: -1 };
  for (const range of accept.split(',')) {
    const [media = '', ...params] = range.trim().toLowerCase().split(';');
    const specificity = media === type ? 2 : media === `${major}/*` ? 1 : media === '*/*' ? 0 : -1;
    if (specificity < 0 || specificity < best.specificity) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    best = { q: Number.isFinite(q) ? q : 0, specificity };
  }
  return best;
}

/**
 * True when the request asks for HTML before JSON: a browser (`text/html,...,*\/*;q=0.8`) does, `curl` (`*\/*`),
 * clients without an Accept header and `application/json` do not. JSON stays the default: it is the contract.
 */
export function prefersHtml(accept: string | null | undefined): boolean {
  if (!accept) return false;
  const html = weight(accept, 'text/html');
  const json = weight(accept, 'application/json');
  return html.q > 0 && html.specificity === 2 && (html.q > json.q || (html.q === json.q && json.specificity < 2));
}
