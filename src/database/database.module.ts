import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountData } from './account-data';
import { SafeDataSource } from './data-source';
import { IdempotencyStore } from './idempotency-store';
import { UnitOfWork } from './unit-of-work';

/** Hands Nest the DataSource that main.ts (or a test) created and migrated, and the units of work on it. */
@Module({})
export class DatabaseModule {
  static forRoot(dataSource: SafeDataSource): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [UnitOfWork, AccountData, IdempotencyStore],
      exports: [UnitOfWork, AccountData, IdempotencyStore],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: async () => (dataSource.isInitialized ? dataSource : dataSource.initialize()),
        }),
      ],
    };
  }
}
