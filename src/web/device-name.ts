import Bowser from 'bowser';

const MAX_USER_AGENT_LENGTH = 512;

/**
 * A session's browser as a person names it ("Firefox on Linux"), from its User-Agent header,
 * through bowser (MIT, maintained); an empty or unknown one says so.
 */
export function describeDevice(userAgent: string | undefined, t: (key: string, params?: Record<string, unknown>) => string): string {
  if (!userAgent) return t('i18n.device.unknown');
  const parsed = Bowser.parse(userAgent.slice(0, MAX_USER_AGENT_LENGTH));
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  if (!browser && !os) return t('i18n.device.unknown');
  if (!browser || !os) return (browser ?? os)!;
  return t('i18n.device.browserOnOs', { browser, os });
}
