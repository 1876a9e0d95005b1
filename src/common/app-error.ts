/** Domain failures carry a code; the exception filter maps codes to HTTP statuses in one place. */
export enum ErrorCode {
  MalformedToken = 'malformed_token',
  UnknownToken = 'unknown_token',
  ExpiredToken = 'expired_token',
}

export const STATUS_FOR_CODE: Record<ErrorCode, number> = {
  [ErrorCode.MalformedToken]: 400,
  [ErrorCode.UnknownToken]: 404,
  [ErrorCode.ExpiredToken]: 410,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
