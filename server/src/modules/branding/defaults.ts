export interface Branding {
  app_name: string;
  app_subtitle: string;
  primary_color: string;
  accent_color: string;
  sidebar_bg: string;
  sidebar_border: string;
  sidebar_text: string;
  sidebar_active_bg: string;
  sidebar_active_text: string;
  content_bg: string;
  card_bg: string;
  card_border: string;
  text_primary: string;
  text_secondary: string;
  text_muted: string;
  input_bg: string;
  input_border: string;
  font_display: string;
  font_body: string;
  font_mono: string;
  logo_url: string | null;
  favicon_url: string | null;
  footer_text: string;
  support_url: string;
}

export const DEFAULT_BRANDING: Branding = {
  app_name: 'O.D.I.N.',
  app_subtitle: 'Print Farm Manager',
  primary_color: '#f59e0b',
  accent_color: '#3b82f6',
  sidebar_bg: '#0f172a',
  sidebar_border: '#1e293b',
  sidebar_text: '#cbd5e1',
  sidebar_active_bg: '#1e293b',
  sidebar_active_text: '#f59e0b',
  content_bg: '#020617',
  card_bg: '#0f172a',
  card_border: '#1e293b',
  text_primary: '#f8fafc',
  text_secondary: '#cbd5e1',
  text_muted: '#64748b',
  input_bg: '#1e293b',
  input_border: '#334155',
  font_display: 'Inter',
  font_body: 'Inter',
  font_mono: 'JetBrains Mono',
  logo_url: null,
  favicon_url: null,
  footer_text: '',
  support_url: '',
};

export const COLOR_FIELDS = [
  'primary_color',
  'accent_color',
  'sidebar_bg',
  'sidebar_border',
  'sidebar_text',
  'sidebar_active_bg',
  'sidebar_active_text',
  'content_bg',
  'card_bg',
  'card_border',
  'text_primary',
  'text_secondary',
  'text_muted',
  'input_bg',
  'input_border',
] as const satisfies readonly (keyof Branding)[];
