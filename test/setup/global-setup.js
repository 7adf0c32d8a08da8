// Checks PostgreSQL once for the whole run; workers inherit the verdict through the environment.
const { Client } = require('pg');

module.exports = async function globalSetup() {
  const url = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.PG_AVAILABLE = '1';
  } catch (err) {
    process.env.PG_AVAILABLE = '0';
    if (process.env.REQUIRE_PG === '1') {
      throw new Error(`REQUIRE_PG=1 but PostgreSQL is unreachable at ${url}: ${err.message}`);
    }
    console.log(`\nPostgreSQL unreachable at ${url} (${err.message}): the PostgreSQL suites are skipped.`);
  } finally {
    await client.end().catch(() => undefined);
  }
};
