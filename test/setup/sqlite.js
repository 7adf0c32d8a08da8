process.env.DB_ENGINE = 'sqlite';
delete process.env.DATABASE_URL;
process.env.APP_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL || 'silent';
