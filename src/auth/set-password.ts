import { DataSource } from 'typeorm';
import { CliError, runCli, singleArgument } from '../config/cli';
import { RequestContext } from '../context/request-context';
import { normalizeEmail } from './auth.dto';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordService } from './password.service';
import { replacePassword } from './replace-password';
import { User } from './user.entity';

/**
 * npm run user:set-password -- <email>
 * Gives an account a new password, read from the terminal (asked twice, not echoed) or from
 * the first line of stdin; never from the command line, where `ps` and shell history would
 * keep it. This is how an account the legacy adoption created without a password
 * (LEGACY_OWNER_EMAIL) first logs in, and how an operator resets a forgotten one.
 */
export interface PasswordSet {
  /** The account's email, normalized as login normalizes it. */
  email: string;
  isActive: boolean;
  /** Logins (refresh-token families) that the new password ended. */
  endedLogins: number;
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  return undefined;
}

export async function setPassword(ds: DataSource, rawEmail: string, password: string): Promise<PasswordSet> {
  const problem = passwordProblem(password);
  if (problem) throw new CliError(problem);
  const email = normalizeEmail(rawEmail) as string;
  const user = await ds.getRepository(User).findOne({ where: { email }, select: { id: true, isActive: true } });
  if (!user) throw new CliError(`No account with the email ${email}.`);
  const passwordHash = await new PasswordService().hash(password);
  const cli = RequestContext.anonymous('user:set-password');
  const { endedLogins } = await ds.transaction((m) => replacePassword(cli.withManager(m), user.id, passwordHash, null));
  return { email, isActive: user.isActive, endedLogins };
}

/** The new password: asked twice on a terminal, else the first line of stdin. */
export async function readNewPassword(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += chunk;
    return text.split(/\r?\n/)[0];
  }
  const first = await askHidden(input, 'New password: ');
  const second = await askHidden(input, 'Repeat it: ');
  if (first !== second) throw new CliError('The two passwords differ; nothing was changed.');
  return first;
}

function askHidden(input: NodeJS.ReadStream, prompt: string): Promise<string> {
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chars: string) => {
      for (const ch of chars) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new CliError('Cancelled; nothing was changed.'));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}

if (require.main === module) {
  const email = singleArgument('npm run user:set-password -- <email>   (the password is read from the terminal or stdin)');
  if (email) {
    void runCli('user:set-password', async (ds) => {
      const password = await readNewPassword();
      const result = await setPassword(ds, email, password);
      const ended = result.endedLogins ? ` ${result.endedLogins} login(s) made with the old password were ended.` : '';
      console.log(`${result.email} has a new password.${ended}`);
      if (!result.isActive) {
        console.log('The account is disabled: it cannot log in until an administrator enables it (PATCH /api/admin/users/<userId> {"isActive": true}).');
      }
    });
  }
}
