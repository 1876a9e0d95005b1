import type { DatabaseService } from '../../database/database.service.js';
import { statement } from '../../database/statement.js';
import { TOKEN_PURPOSES, type TokenPurpose } from '../token-purposes.js';

const COUNT = statement('tokens.test.count', `SELECT count(*)::int AS count FROM tokens WHERE $1::text IS NULL OR purpose = $1`);
const EXPIRE = statement(
  'tokens.test.expire',
  `UPDATE tokens SET expires_at = now() - interval '1 second' WHERE expires_at > now() AND ($1::text IS NULL OR purpose = $1)`,
);
const LET_TIME_PASS = statement(
  'tokens.test.let-time-pass',
  `UPDATE tokens SET expires_at = expires_at - make_interval(secs => $1) WHERE $2::text IS NULL OR purpose = $2`,
);
const USE_UP_ATTEMPTS = statement('tokens.test.use-up-attempts', `UPDATE tokens SET attempts = $2 WHERE purpose = $1 AND used_at IS NULL`);

/**
 * For tests only (never registered in a module): the tokens table as no API shows it. Built from
 * the app's DatabaseService: `new TokensTestApi(app.get(DatabaseService))`.
 */
export class TokensTestApi {
  constructor(private readonly db: DatabaseService) {}

  /** Tokens stored (of one purpose), used and expired ones included. */
  async count(purpose?: TokenPurpose): Promise<number> {
    return (await this.db.query<{ count: number }>(COUNT, [purpose ?? null]))[0].count;
  }

  /** As if the time of every link and code (of one purpose) had run out: the shortest lifetime is too long to wait for. */
  async expireEveryLink(purpose?: TokenPurpose): Promise<void> {
    await this.db.query(EXPIRE, [purpose ?? null]);
  }

  /** As if `seconds` had passed for the links and codes (of one purpose): their expiry comes that much sooner. */
  async letTimePass(seconds: number, purpose?: TokenPurpose): Promise<void> {
    await this.db.query(LET_TIME_PASS, [seconds, purpose ?? null]);
  }

  /** As if every open code of the purpose had been guessed wrong as often as it allows. */
  async useUpAttempts(purpose: TokenPurpose): Promise<void> {
    const { maxAttempts } = TOKEN_PURPOSES[purpose] as { maxAttempts?: number };
    if (maxAttempts === undefined) throw new Error(`Tokens of purpose ${purpose} have no attempt limit`);
    await this.db.query(USE_UP_ATTEMPTS, [purpose, maxAttempts]);
  }
}
