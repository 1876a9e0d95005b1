/**
 * The fonts and colours of every email, read by the layout's partials as `{{@theme.<name>}}`.
 * Restyle here; test/unit/email-theme.spec.ts checks each pair below against WCAG AA.
 */
export const EMAIL_THEME = {
  // Unquoted family names: the value goes into a double-quoted style attribute as it is.
  font: '-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif',
  codeFont: 'Menlo,Consolas,monospace',
  pageBackground: '#f4f5f7',
  cardBackground: '#ffffff',
  text: '#1f2933',
  mutedText: '#52606d',
  link: '#1a56db',
  buttonBackground: '#1a56db',
  buttonText: '#ffffff',
  footerText: '#616e7c',
} as const;

export type ThemeColour = {
  [Name in keyof typeof EMAIL_THEME]: (typeof EMAIL_THEME)[Name] extends `#${string}` ? Name : never;
}[keyof typeof EMAIL_THEME];

/** Every text colour of the layout with the background it stands on. */
export const TEXT_ON_BACKGROUND: ReadonlyArray<{ text: ThemeColour; background: ThemeColour }> = [
  { text: 'text', background: 'cardBackground' },
  { text: 'mutedText', background: 'cardBackground' },
  { text: 'link', background: 'cardBackground' },
  { text: 'buttonText', background: 'buttonBackground' },
  { text: 'footerText', background: 'pageBackground' },
];
