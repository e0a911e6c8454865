// Light or dark: the OS preference by default, or the user's choice, remembered on this device.
import { useEffect, useState } from 'react';

export const THEMES = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
const KEY = 'gradcam-studio.theme.v1';

export function storedTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return THEMES.includes(t as Theme) ? (t as Theme) : 'auto';
  } catch {
    return 'auto';
  }
}

/** Sets the theme on the document (CSS reads `data-theme`; none = follow the OS). */
export function applyTheme(theme: Theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function ThemeSelect() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  useEffect(() => {
    applyTheme(theme);
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // storage refused (private mode): the choice lasts this visit
    }
  }, [theme]);
  return (
    <label className="theme">
      Theme{' '}
      <select data-testid="theme-select" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
        <option value="auto">as the system</option>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
    </label>
  );
}
