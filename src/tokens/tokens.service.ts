import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { Environment } from '../config/environment.js';
import { batchCalls } from '../database/batch-calls.js';
import { PreparedSql } from '../database/prepared-sql.service.js';
import { ConfirmationToken } from './confirmation-token.entity.js';
import { generateToken, hashToken } from './token-crypto.js';

export type TokenLookup =
  | { state: 'unknown' }
  | { state: 'expired' | 'valid'; userId: string };

@Injectable()
export class TokensService {
  constructor(
    @InjectRepository(ConfirmationToken) private readonly tokens: Repository<ConfirmationToken>,
    private readonly env: Environment,
    private readonly sql: PreparedSql,
  ) {}

  /** Creates a token for the user and returns its plaintext, which is never stored. */
  async issue(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = generateToken();
    const expiresAt = new Date(Date.now() + this.env.CONFIRMATION_TTL_SECONDS * 1000);
    await this.insert({ userId, tokenHash: hashToken(token), expiresAt });
    return { token, expiresAt };
  }

  // One statement for the tokens the worker's concurrent jobs issue at the same moment.
  private readonly insert = batchCalls<{ userId: string; tokenHash: Buffer; expiresAt: Date }, void>(async (tokens) => {
    await this.sql.query(
      'tokens.insert',
      `INSERT INTO confirmation_tokens (user_id, token_hash, expires_at)
       SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::timestamptz[])`,
      [tokens.map((t) => t.userId), tokens.map((t) => t.tokenHash), tokens.map((t) => t.expiresAt)],
    );
    return tokens.map(() => undefined);
  });

  async lookup(token: string): Promise<TokenLookup> {
    const found = await this.tokens.findOne({
      select: { userId: true, expiresAt: true },
      where: { tokenHash: hashToken(token) },
    });
    if (!found) return { state: 'unknown' };
    const state = found.expiresAt.getTime() <= Date.now() ? 'expired' : 'valid';
    return { state, userId: found.userId };
  }

  /** Marks every open token of the user as used: after confirmation no link has anything left to do. */
  async useAll(userId: string): Promise<void> {
    await this.tokens.update({ userId, usedAt: IsNull() }, { usedAt: () => 'now()' });
  }
}
