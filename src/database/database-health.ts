import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pendingMigrationNames } from './safe-migrations';

/** Whether the database can serve: it answers in time, and no migration is pending. */
@Injectable()
export class DatabaseHealth {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Why the database cannot serve, or undefined when it can. */
  async notReady(timeoutMs = 3000): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
    } catch (err) {
      return `database: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      clearTimeout(timer);
    }
    const pending = await pendingMigrationNames(this.dataSource);
    return pending.length > 0 ? `pending migrations: ${pending.join(', ')}` : undefined;
  }
}
