/**
 * The fields a browser would send for one form of a server-rendered page (the POST form whose `action` is given):
 * inputs (checkboxes and radios only when checked), textareas and each select's chosen option, HTML entities
 * decoded. Enough for the staff pages' plain forms; not a general HTML parser.
 */
export function formFields(page: string, action: string): Record<string, string | string[]> {
  const start = page.search(new RegExp(`<form[^>]*method="post"[^>]*action="${action.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"[^>]*>`));
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const before = fields[name];
    fields[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  };
  const attr = (tag: string, name: string) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return m ? decode(m[1] ?? '') : undefined;
  };
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    if (!name) continue;
    const type = attr(tag, 'type') ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    add(name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : ''));
  }
  for (const [, open = '', body = ''] of form.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/g)) {
    const name = attr(open, 'name');
    if (name) add(name, decode(body));
  }
  for (const [, open = '', body = ''] of form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const name = attr(open, 'name');
    const chosen = /<option\b[^>]*\sselected\b[^>]*>/.exec(body)?.[0] ?? /<option\b[^>]*>/.exec(body)?.[0];
    if (name && chosen) add(name, attr(chosen, 'value') ?? '');
  }
  return fields;
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');
}
