import { LEGACY_TABLES } from '../../legacy-stash';
import { Adoption } from '../adoption';

/** The temp tables the steps make (goal tree, activity roots, recovered definitions). */
const TEMP_TABLES = ['_g', '_gt', '_troot', '_groot', '_adroot', '_rav', '_ra', '_rmv', '_rm', '_rsv', '_rs'];

export async function dropLegacyTables(a: Adoption): Promise<void> {
  for (const t of [...LEGACY_TABLES].reverse()) {
    if (a.has(t)) await a.sql(`DROP TABLE ${a.L(t)}`);
  }
  for (const t of TEMP_TABLES) await a.sql(`DROP TABLE IF EXISTS temp.${t}`);
}
