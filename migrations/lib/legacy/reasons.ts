import { Adoption } from './adoption';
import { boolBad, intBad, jsonBad, q, tsBad } from './values';

/** [condition, reason]: a row of alias s for which the condition holds goes to quarantine with the reason. */
export type Reason = [string, string];

/** The same check on each column that this file's table has. */
const forColumns =
  (bad: (x: string) => string, why: (col: string) => string) =>
  (a: Adoption, table: string, cols: string[]): Reason[] =>
    cols.filter((c) => a.has(table, c)).map((c) => [bad(`s.${q(c)}`), why(c)]);

export const tsReasons = forColumns(tsBad, (c) => `'${c} is not a readable timestamp: ' || quote(s.${q(c)})`);
export const jsonReasons = forColumns(jsonBad, (c) => `'${c} is not valid JSON'`);
export const boolReasons = forColumns(boolBad, (c) => `'${c} is not a boolean: ' || quote(s.${q(c)})`);
export const intReasons = forColumns(intBad, (c) => `'${c} is not an integer: ' || quote(s.${q(c)})`);

/** id NULL, and duplicate ids when the legacy table did not enforce them. */
export async function idReasons(a: Adoption, table: string): Promise<Reason[]> {
  const info: { name: string; pk: number }[] = await a.sql(`PRAGMA table_info(${a.L(table)})`);
  const pkCols = info.filter((c) => c.pk > 0).map((c) => c.name);
  const reasons: Reason[] = [[`s.id IS NULL`, `'id is NULL'`]];
  if (!(pkCols.length === 1 && pkCols[0] === 'id')) {
    reasons.push([`s.rowid <> (SELECT min(d.rowid) FROM ${a.L(table)} d WHERE d.id = s.id)`, `'duplicate id (an earlier row has it)'`]);
  }
  return reasons;
}

/** The first reason that holds, or NULL: the row is kept. */
export function caseOf(reasons: Reason[]): string {
  return `(CASE ${reasons.map(([c, r]) => `WHEN ${c} THEN ${r}`).join(' ')} END)`;
}
