/** Bull Board's UI uses inline styles and Google Fonts; its scripts stay same-origin only. */
export const QUEUE_BOARD_PATH = '/admin/queues';

export const queueBoardCspDirectives = {
  styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
  fontSrc: ["'self'", 'https://fonts.gstatic.com'],
};
