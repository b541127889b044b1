import fs from 'node:fs';
import path from 'node:path';
import { DialogFile, ROOT_NODE_ID, type DialogGraph, type DialogNode } from './dialogFile';

export type LoadDialogsResult = { ok: true; graph: DialogGraph } | { ok: false; errors: string[] };

/** Parses raw dialog files (name → parsed JSON) into one graph; reports every schema problem by file and node. */
export function buildDialogGraph(files: ReadonlyArray<{ name: string; content: unknown }>): LoadDialogsResult {
  const errors: string[] = [];
  const nodes = new Map<string, DialogNode>();
  const versions: string[] = [];
  for (const { name, content } of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const parsed = DialogFile.safeParse(content);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(`${name}: ${describePath(content, issue.path)}: ${issue.message}`);
      continue;
    }
    versions.push(`${parsed.data.area}@${parsed.data.version}`);
    for (const node of parsed.data.nodes) {
      const existing = nodes.get(node.id);
      if (existing) errors.push(`${name}: node "${node.id}": duplicate id (also in ${existing.file})`);
      else nodes.set(node.id, { ...node, file: name });
    }
    if (!parsed.data.nodes.some((n) => n.id === parsed.data.entry)) errors.push(`${name}: entry "${parsed.data.entry}" is not a node of this file`);
  }
  if (errors.length === 0 && !nodes.has(ROOT_NODE_ID)) errors.push(`dialogs: no "${ROOT_NODE_ID}" node (the main menu)`);
  if (errors.length) return { ok: false, errors };
  return { ok: true, graph: { rootId: ROOT_NODE_ID, version: versions.join(','), nodes } };
}

/** Reads every `*.json` in the folder; a file that is not JSON is reported by name. */
export function loadDialogFiles(dir: string): LoadDialogsResult {
  const files: { name: string; content: unknown }[] = [];
  const errors: string[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    try {
      files.push({ name, content: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) });
    } catch (err) {
      errors.push(`${name}: not valid JSON: ${(err as Error).message}`);
    }
  }
  if (errors.length) return { ok: false, errors };
  return buildDialogGraph(files);
}

/** "nodes[3].choices[1].next" → 'node "health.doctor" choices[1].next' so the message names the node. */
function describePath(content: unknown, issuePath: ReadonlyArray<PropertyKey>): string {
  if (issuePath[0] === 'nodes' && typeof issuePath[1] === 'number') {
    const node = (content as { nodes?: { id?: unknown }[] }).nodes?.[issuePath[1]];
    const id = typeof node?.id === 'string' ? `node "${node.id}"` : `nodes[${issuePath[1]}]`;
    const rest = issuePath.slice(2).map(String).join('.');
    return rest ? `${id} ${rest}` : id;
  }
  return issuePath.map(String).join('.') || 'file';
}
