import type { StaffStores } from '../../../staff/staffStores';
import type { SqliteDatabase } from '../openSqliteDatabase';
import { SqliteApiTokenStore } from './SqliteApiTokenStore';
import { SqliteAuditLog } from './SqliteAuditLog';
import { SqliteLinkTokenStore } from './SqliteLinkTokenStore';
import { SqliteOrganisationReplyStore } from './SqliteOrganisationReplyStore';
import { SqliteOrganisationStore } from './SqliteOrganisationStore';
import { SqliteStaffAccountStore } from './SqliteStaffAccountStore';
import { SqliteStaffSessionStore } from './SqliteStaffSessionStore';

/** The staff aggregates in the embedded database (tables from migration 4; organisation replies from 8). */
export function createSqliteStaffStores(db: SqliteDatabase): StaffStores {
  return {
    organisations: new SqliteOrganisationStore(db),
    accounts: new SqliteStaffAccountStore(db),
    sessions: new SqliteStaffSessionStore(db),
    linkTokens: new SqliteLinkTokenStore(db),
    apiTokens: new SqliteApiTokenStore(db),
    audit: new SqliteAuditLog(db),
    replies: new SqliteOrganisationReplyStore(db),
  };
}
