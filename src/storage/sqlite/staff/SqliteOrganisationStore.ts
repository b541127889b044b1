import type { Organisation } from '../../../staff/staffModel';
import type { OrganisationStore } from '../../../staff/staffStores';
import type { SqliteDatabase } from '../openSqliteDatabase';
import { ORGANISATION_COLUMNS, fromOrganisationRow, toOrganisationRow, type OrganisationRow } from './staffRows';
import { insertRowSql } from '../rowOf';

export class SqliteOrganisationStore implements OrganisationStore {
  private readonly insertRow;
  private readonly updateRow;
  private readonly selectOne;
  private readonly selectAll;

  constructor(db: SqliteDatabase) {
    this.insertRow = db.prepare<[OrganisationRow]>(insertRowSql('staff_organisation', ORGANISATION_COLUMNS));
    this.updateRow = db.prepare<[Omit<OrganisationRow, 'created_at'>]>(
      'UPDATE staff_organisation SET name = @name, areas = @areas, topics = @topics, time_zone = @time_zone, opening_hours = @opening_hours WHERE id = @id',
    );
    this.selectOne = db.prepare<[string], OrganisationRow>('SELECT * FROM staff_organisation WHERE id = ?');
    this.selectAll = db.prepare<[], OrganisationRow>('SELECT * FROM staff_organisation ORDER BY name, id');
  }

  async create(organisation: Organisation): Promise<void> {
    this.insertRow.run(toOrganisationRow(organisation));
  }

  async update(id: string, changes: Pick<Organisation, 'name' | 'areas' | 'topics' | 'timeZone' | 'openingHours'>): Promise<void> {
    const { created_at: _unused, ...row } = toOrganisationRow({ id, createdAt: 0, ...changes });
    this.updateRow.run(row);
  }

  async get(id: string): Promise<Organisation | undefined> {
    const row = this.selectOne.get(id);
    return row && fromOrganisationRow(row);
  }

  async list(): Promise<Organisation[]> {
    return this.selectAll.all().map(fromOrganisationRow);
  }
}
