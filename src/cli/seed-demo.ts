import { loadConfig } from '../config/env';
import { seedDemo } from './lib/demo-fractal';
import { runCli } from './lib/run-cli';

/**
 * npm run seed:demo
 * Creates the demo account with a full fractal, through the API's own services, and prints how
 * to log in. Refuses, changing nothing, when the demo account exists already.
 */
void runCli('seed:demo', async (ds) => {
  const config = loadConfig();
  const demo = await seedDemo(config, ds);
  const api = `http://${process.env.HOST || '127.0.0.1'}:${config.port}`;
  console.log(`Demo account created: ${demo.email}, password ${demo.password}`);
  console.log(`Its root ${demo.rootId}: a goal tree, grouped activities, a template, a week of sessions and one in progress (${demo.sessions} sessions).`);
  console.log('Log in (with npm start running):');
  console.log(`  curl -s -X POST ${api}/api/auth/login -H 'content-type: application/json' -d '{"email":"${demo.email}","password":"${demo.password}"}'`);
  console.log(`  then: curl -s ${api}/api/roots/${demo.rootId}/goals -H "authorization: Bearer <accessToken>"`);
});
