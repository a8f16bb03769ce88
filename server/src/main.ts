#!/usr/bin/env node
// First: V8 settings must be in place before the rest of the server allocates anything.
import './core/gc-tuning.js';

import { parseArgs } from 'node:util';

import { SYSTEM_ACTOR } from './core/actor.js';
import { PasswordHasher } from './core/auth/passwords.js';
import { isRole } from './core/auth/roles.js';
import { ConfigError, loadConfig } from './core/config.js';
import { migrate, openDatabase } from './core/database/database.js';
import { HttpError } from './core/errors.js';
import { AuditLog } from './modules/audit/audit-log.js';
import { AuditRepository } from './modules/audit/repository.js';
import { AuthRepository } from './modules/auth/repository.js';
import { UsersRepository } from './modules/users/repository.js';
import { UsersService } from './modules/users/service.js';
import { startOdin } from './server.js';

const USAGE = `Usage: odin <command>

  serve                              start ODIN (default)
  migrate                            apply database migrations and exit
  admin create --username U --password P [--email E] [--role admin|operator|viewer]
  admin reset-password --username U --password P

Configuration comes from environment variables (ODIN_PORT, ODIN_DATA_DIR, DATABASE_URL, ...); see README.md.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command = 'serve', sub] = positionals;
  if (values.help || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();

  if (command === 'serve') {
    const odin = await startOdin(config);
    odin.app.log.info(`ODIN listening on ${odin.url} (data in ${config.dataDir})`);
    const stop = async (signal: string) => {
      odin.app.log.info({ signal }, 'shutting down');
      await odin.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    return -1;
  }

  const database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { applied } = await migrate(database);
    if (command === 'migrate') {
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
      return 0;
    }
    if (command === 'admin' && (sub === 'create' || sub === 'reset-password')) {
      if (!values.username || !values.password) {
        console.error('--username and --password are required');
        return 2;
      }
      const audit = new AuditLog(new AuditRepository(database.db));
      const users = new UsersService(
        new UsersRepository(database.db),
        new PasswordHasher(config.bcryptRounds),
        audit,
        new AuthRepository(database.db),
      );
      if (sub === 'create') {
        const role = values.role ?? 'admin';
        if (!isRole(role)) {
          console.error('--role must be admin, operator or viewer');
          return 2;
        }
        const user = await users.create(
          { username: values.username, email: values.email ?? null, password: values.password, role },
          SYSTEM_ACTOR,
        );
        console.log(`Created ${user.role} "${user.username}" (id ${user.id})`);
      } else {
        await users.setPassword(values.username, values.password);
        console.log(`Password reset for "${values.username}"; the account is enabled`);
      }
      return 0;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof HttpError)
      console.error(error instanceof HttpError ? error.detail : error.message);
    else console.error(error);
    process.exit(1);
  },
);
