import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SafeDataSource } from './data-source';

/** Hands Nest the DataSource that main.ts (or a test) created and migrated. */
@Module({})
export class DatabaseModule {
  static forRoot(dataSource: SafeDataSource): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: async () => (dataSource.isInitialized ? dataSource : dataSource.initialize()),
        }),
      ],
    };
  }
}
