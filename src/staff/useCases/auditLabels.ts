import type { StaffStores } from '../staffStores';
import type { AuditEvent, Organisation } from '../staffModel';

export interface AuditLabels {
  readonly actorLabel: (actor: string | undefined) => string;
  readonly targetLabel: (event: AuditEvent) => string;
  readonly organisationLabel: (id: string | undefined) => string;
  readonly organisations: Organisation[];
}

/** Names for ids in the log (people, organisations, tokens), looked up once per page or export. */
export async function auditLabels(stores: StaffStores): Promise<AuditLabels> {
  const staff = new Map((await stores.accounts.list()).map((s) => [s.id, s] as const));
  const organisations = new Map((await stores.organisations.list()).map((o) => [o.id, o] as const));
  const tokens = new Map((await stores.apiTokens.list()).map((tk) => [tk.id, tk] as const));
  const actorLabel = (actor: string | undefined): string => {
    if (!actor) return '';
    if (actor.startsWith('token:')) return tokens.get(actor.slice(6))?.name ?? '';
    return staff.get(actor)?.email ?? '';
  };
  const targetLabel = (event: AuditEvent): string => {
    if (!event.targetId) return '';
    if (event.targetType === 'staff') return staff.get(event.targetId)?.email ?? '';
    if (event.targetType === 'organisation') return organisations.get(event.targetId)?.name ?? '';
    if (event.targetType === 'token') return tokens.get(event.targetId)?.name ?? '';
    return '';
  };
  const organisationLabel = (id: string | undefined) => (id ? (organisations.get(id)?.name ?? '') : '');
  return { actorLabel, targetLabel, organisationLabel, organisations: [...organisations.values()] };
}
