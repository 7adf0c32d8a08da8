import { CopyOptions, CopyRefused } from '../../database/dialects/copy';

const USAGE = 'Usage: npm run db:copy -- --from <sqlite file> --to postgres://user@host:5432/db [--batch-size 500]';

/** db:copy's arguments: --from, --to and --batch-size, each as `--flag value` or `--flag=value`. */
export function parseArgs(argv: string[]): CopyOptions {
  const opts: Partial<CopyOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--from') opts.from = value();
    else if (flag === '--to') opts.to = value();
    else if (flag === '--batch-size') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new CopyRefused('--batch-size must be a positive integer.');
      opts.batchSize = n;
    } else throw new CopyRefused(`Unknown argument ${JSON.stringify(argv[i])}.`);
  }
  if (!opts.from || !opts.to) throw new CopyRefused(USAGE);
  return opts as CopyOptions;
}
