import type { Shape } from './shape';

export interface TableCount {
  table: string;
  /** Where the rows went, when not a table of the same name (practice_sessions -> goals). */
  target: string;
  before: number;
  kept: number;
  quarantined: number;
}

export interface Recovered {
  table: string;
  id: string;
  name: string;
  why: string;
}

export interface Repair {
  table: string;
  id: string;
  what: string;
}

export interface AdoptionReport {
  shape: Shape;
  counts: TableCount[];
  /** Rows the adoption added so that legacy rows keep their references (counted apart). */
  recovered: Recovered[];
  /** Changes made to kept rows: renamed duplicates, cleared dangling references. */
  repairs: Repair[];
  quarantined: { table: string; id: string | null; reason: string }[];
  owner: { email: string; created: boolean; placeholder: boolean; roots: number };
  nullRootIds: { table: string; count: number }[];
  indexCount: number;
  seconds: number;
  steps: { step: string; seconds: number }[];
}

export interface AdoptionOutput {
  /** Report lines; defaults to stdout. */
  log: (line: string) => void;
  /** Progress; defaults to stderr, with a percentage rewritten in place on a terminal. */
  progress: (percent: number, step: string) => void;
}

function defaultProgress(): AdoptionOutput['progress'] {
  const tty = Boolean(process.stderr.isTTY);
  let last = -1;
  return (percent, step) => {
    const p = Math.floor(percent);
    if (tty) {
      const width = 30;
      const filled = Math.round((p / 100) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(p).padStart(3)}% ${step.padEnd(40).slice(0, 40)}`);
      if (p >= 100) process.stderr.write('\n');
    } else if (p !== last) {
      process.stderr.write(`adopt: ${p}% ${step}\n`);
    }
    last = p;
  };
}

/** The caller's log and progress (AdoptionOptions), each defaulting to the console. */
export function adoptionOutput(o: Partial<AdoptionOutput> = {}): AdoptionOutput {
  return { log: o.log ?? ((l) => console.log(l)), progress: o.progress ?? defaultProgress() };
}

const LIST_LIMIT = 50;

export function printReport(r: AdoptionReport, log: (line: string) => void): void {
  const line = (s = '') => log(s);
  line('');
  line('Flask-era database adoption: verification results');
  line(`Detected shape: ${r.shape.number} (${r.shape.description})` + (r.shape.legacyIndexes !== undefined ? `; ${r.shape.legacyIndexes} legacy indexes` : ''));
  line('');
  line(`  ${'table'.padEnd(24)} ${'before'.padStart(8)} ${'after'.padStart(8)} ${'quarantined'.padStart(11)}  check`);
  for (const c of r.counts) {
    const target = c.target === c.table ? '' : ` -> ${c.target}`;
    const ok = c.kept + c.quarantined === c.before ? 'ok' : 'MISMATCH';
    line(`  ${(c.table + target).padEnd(24)} ${String(c.before).padStart(8)} ${String(c.kept).padStart(8)} ${String(c.quarantined).padStart(11)}  ${ok}`);
  }
  const byTable = new Map<string, number>();
  for (const x of r.recovered) byTable.set(x.table, (byTable.get(x.table) ?? 0) + 1);
  line(`  (after = legacy rows kept; before = after + quarantined)`);
  line('');
  line(`Recovered rows added: ${r.recovered.length}` + (byTable.size ? ` (${[...byTable].map(([t, n]) => `${t} ${n}`).join(', ')})` : ''));
  for (const x of r.recovered.slice(0, LIST_LIMIT)) line(`  + ${x.table} ${x.id} "${x.name}": ${x.why}`);
  if (r.recovered.length > LIST_LIMIT) line(`  ... and ${r.recovered.length - LIST_LIMIT} more`);
  line(`Repairs of kept rows: ${r.repairs.length}`);
  for (const x of r.repairs.slice(0, LIST_LIMIT)) line(`  ~ ${x.table} ${x.id}: ${x.what}`);
  if (r.repairs.length > LIST_LIMIT) line(`  ... and ${r.repairs.length - LIST_LIMIT} more`);
  line(`Quarantined rows (table legacy_quarantine): ${r.quarantined.length}`);
  for (const x of r.quarantined.slice(0, LIST_LIMIT)) line(`  ! ${x.table} ${x.id ?? '(no id)'}: ${x.reason}`);
  if (r.quarantined.length > LIST_LIMIT) line(`  ... and ${r.quarantined.length - LIST_LIMIT} more`);
  line('');
  line('NULL root_id check:');
  for (const n of r.nullRootIds) line(`  ${n.count === 0 ? 'ok' : 'FAIL'} ${n.table}: ${n.count} NULL root_ids`);
  line(`Indexes: ${r.indexCount}`);
  line('integrity_check and foreign_key_check: run by the migration runner over the whole database before it commits;');
  line('  the "Applied: ... integrity_check ok, foreign_key_check ok." line below is their verdict (any problem rolls everything back).');
  line('');
  const o = r.owner;
  if (o.placeholder) {
    line(`Owner: the ${o.roots} legacy root(s) belong to the disabled placeholder account ${o.email} (no password; nobody can log in as it).`);
  } else if (o.created) {
    line(`Owner: the ${o.roots} legacy root(s) belong to ${o.email}, created now without a password (none is ever set by default).`);
    line(`  To log in as it and see the data: npm run user:set-password -- ${o.email}   (on the server; it asks for the password),`);
    line('  then start the service on this database: POST /api/auth/login, then GET /api/roots.');
  } else {
    line(`Owner: the ${o.roots} legacy root(s) now belong to the existing account ${o.email}: log in as it (POST /api/auth/login) and list them (GET /api/roots).`);
  }
  if (o.placeholder) {
    line('  To see the data, start the service on this database, then:');
    line('  1. register your account:          POST /api/auth/register {"email", "password"}');
    line('  2. make it an administrator:       npm run admin:grant -- <your email>   (on the server)');
    line('  3. list the legacy roots:          GET /api/admin/roots');
    line('  4. move each one to your account:  POST /api/admin/roots/<rootId>/transfer {"email": "<your email>"}');
    line('  5. log in and read them:           POST /api/auth/login, then GET /api/roots');
  }
  line(`Steps: ${r.steps.map((s) => `${s.step} ${s.seconds.toFixed(1)} s`).join(', ')}`);
  line(`Adoption finished in ${r.seconds.toFixed(2)} s, inside the migration transaction (nothing is kept if anything fails).`);
}
