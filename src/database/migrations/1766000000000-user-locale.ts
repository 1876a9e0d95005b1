import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The language each user reads pages and emails in: chosen at sign-up (the page's language, or the
 * API's `locale` / Accept-Language), changed on /account or by PATCH /api/me. Users from before
 * got English, so they keep it.
 */
export class UserLocale1766000000000 implements MigrationInterface {
  name = 'UserLocale1766000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN locale`);
  }
}
