import { DomainError } from '../common/domain-error.js';

export const OVERVIEW_ERROR_CODES = ['invalid_range'] as const;
export type OverviewErrorCode = (typeof OVERVIEW_ERROR_CODES)[number];

const STATUS = { invalid_range: 400 } as const satisfies Record<OverviewErrorCode, number>;

export class OverviewError extends DomainError<OverviewErrorCode> {
  constructor(code: OverviewErrorCode, message: string) {
    super(code, STATUS[code], message);
  }
}
