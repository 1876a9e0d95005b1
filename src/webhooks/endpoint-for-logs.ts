/**
 * A webhook endpoint as a log line may show it: scheme, host and port, with `/…` where a path or
 * query was left out. Those may carry a secret (many receivers take a token in the URL); the admin
 * API and page show the whole URL to the admin, who configured it.
 */
export function endpointForLogs(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return '(not a URL)';
  }
  const rest = url.pathname !== '/' || url.search !== '' || url.hash !== '';
  return `${url.protocol}//${url.host}${rest ? '/…' : ''}`;
}
