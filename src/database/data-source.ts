import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../config/load-config.js';
import { databaseOptions } from './database-options.js';

/** For the TypeORM CLI: `npx typeorm migration:show -d dist/database/data-source.js`. */
export default new DataSource(databaseOptions(loadConfigOrExit().DATABASE_URL));
