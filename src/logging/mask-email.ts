/** For logs: "ada.lovelace@example.com" → "a***@e***.com". Full addresses never reach a log line. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot >= 0 ? domain.slice(dot) : '';
  return `${email.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}
