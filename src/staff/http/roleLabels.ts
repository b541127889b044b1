import type { Role } from '../staffModel';

/** Text keys of role names (literal, so the translation check sees every one in use). */
export const ROLE_LABEL_KEYS: Readonly<Record<Role, string>> = {
  caseworker: 'staff:roles.caseworker',
  supervisor: 'staff:roles.supervisor',
  directory_editor: 'staff:roles.directory_editor',
  admin: 'staff:roles.admin',
};
