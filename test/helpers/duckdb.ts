import { DuckDBInstance } from "@duckdb/node-api";

/** Rows and column types of a query through DuckDB. */
export async function duck(sql: string): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const desc = await c.runAndReadAll(`DESCRIBE ${sql}`);
  const types: Record<string, string> = {};
  for (const r of desc.getRowObjects()) types[String(r.column_name)] = String(r.column_type);
  const res = await c.runAndReadAll(sql);
  const rows = res.getRowObjects() as Record<string, unknown>[];
  c.closeSync();
  return { rows, types };
}
