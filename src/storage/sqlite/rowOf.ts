/**
 * A record's table row, derived from its model so the two cannot drift apart. Each model has one column map,
 * written `{ field: 'column', … } as const satisfies ColumnsOf<Model>`: the compiler refuses it when a field
 * of the model has no column, or a column names no field. `RowOf` then gives the row's type from the model
 * and that map, so a mapping function that forgets a column, or a store that reads one the model lacks,
 * fails to compile as well.
 */
export type ColumnsOf<Model> = { readonly [K in keyof Model]-?: string };

/**
 * How one field is stored: lists and objects as JSON text, booleans as 0/1, an absent optional value as
 * NULL. A string union is read back as plain `string` (the code validates it) unless the field is listed as
 * `Checked`: then a CHECK constraint in the schema keeps the column to those values.
 */
type Stored<T, Checked extends boolean> = T extends object ? string : T extends boolean ? number : T extends string ? (Checked extends true ? T : string) : T;

export type RowOf<Model, Columns extends ColumnsOf<Model>, Checked extends keyof Model = never> = {
  -readonly [K in keyof Model as Columns[K]]-?: undefined extends Model[K]
    ? Stored<Exclude<Model[K], undefined>, K extends Checked ? true : false> | null
    : Stored<Model[K], K extends Checked ? true : false>;
};

/** The columns of a map, in the model's field order (for INSERT column lists). */
export function columnsOf(columns: Readonly<Record<string, string>>): string[] {
  return Object.values(columns);
}

/** `INSERT INTO table (a, b) VALUES (@a, @b)` over every column of the map but `except`, named parameters. */
export function insertRowSql(table: string, columns: Readonly<Record<string, string>>, except: readonly string[] = []): string {
  const names = columnsOf(columns).filter((c) => !except.includes(c));
  return `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((c) => `@${c}`).join(', ')})`;
}
