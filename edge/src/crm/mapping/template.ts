// The template language of field mappings: literal text with `{{object.name}}` variables, and
// nothing else (no expressions, no filters, no eval). Parsing is strict so that a mistake is
// found when the mapping is saved, not when a call is synced.

export type TemplatePart = { text: string } | { variable: string };

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; problem: string };

const VARIABLE_NAME = /^[a-z]+\.[a-z_]+$/;

/** Splits a template into text and variables; `{{`, `}}` and the name between must be well formed. */
export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    const close = rest.indexOf('}}');
    if (open === -1) {
      if (close !== -1) return { ok: false, problem: `"}}" without an opening "{{" in "${excerpt(rest, close)}"` };
      parts.push({ text: rest });
      break;
    }
    if (close !== -1 && close < open) {
      return { ok: false, problem: `"}}" without an opening "{{" in "${excerpt(rest, close)}"` };
    }
    if (open > 0) parts.push({ text: rest.slice(0, open) });
    const end = rest.indexOf('}}', open + 2);
    if (end === -1) return { ok: false, problem: `"{{" is never closed in "${excerpt(rest, open)}"` };
    const inner = rest.slice(open + 2, end);
    if (inner.includes('{{')) return { ok: false, problem: `"{{" inside a variable in "${excerpt(rest, open)}"` };
    const name = inner.trim();
    if (!name) return { ok: false, problem: 'empty variable "{{}}"' };
    if (!VARIABLE_NAME.test(name)) {
      return { ok: false, problem: `malformed variable "{{${inner}}}": variables look like {{analysis.intent}}` };
    }
    parts.push({ variable: name });
    rest = rest.slice(end + 2);
  }
  return { ok: true, parts };
}

/** The variables a template uses, in order, or why it cannot be read. */
export function templateVariables(
  template: string,
): { ok: true; variables: string[] } | { ok: false; problem: string } {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return parsed;
  return { ok: true, variables: parsed.parts.flatMap((p) => ('variable' in p ? [p.variable] : [])) };
}

/**
 * Fills a parsed template. A missing value is empty text; the result is trimmed, so a template
 * whose variables are all missing renders as "" and the caller can leave the property out.
 */
export function renderTemplate(parts: TemplatePart[], values: Readonly<Record<string, string | null>>): string {
  return parts
    .map((p) => ('text' in p ? p.text : (values[p.variable] ?? '')))
    .join('')
    .trim();
}

const excerpt = (s: string, at: number) => {
  const from = Math.max(0, at - 10);
  return `${from > 0 ? '…' : ''}${s.slice(from, at + 20)}${at + 20 < s.length ? '…' : ''}`;
};
