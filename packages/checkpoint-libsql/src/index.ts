export { DEFAULT_DATABASE_URL, localDatabasePath, openLibsqlClient } from './open-client';
