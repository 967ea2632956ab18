/**
 * Escapes text for HTML and SVG, in element content and in quoted attribute values alike. Every string of a
 * report goes through it: vault names, CNAMEs, server messages and proxy values come from outside.
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
