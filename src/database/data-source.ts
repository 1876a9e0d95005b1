import { DataSource } from 'typeorm';
import { loadSettingsOrExit } from '../config/load-config.js';
import { DatabaseSettings } from './database.settings.js';
import { databaseOptions } from './database-options.js';

/** For the TypeORM CLI: `npx typeorm migration:show -d dist/database/data-source.js`. */
export default new DataSource(databaseOptions(loadSettingsOrExit(DatabaseSettings).DATABASE_URL));
