process.env.DB_ENGINE = 'postgres';
delete process.env.DATABASE_URL;
delete process.env.DATABASE_PATH;
process.env.APP_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL || 'silent';
