/** The theme picker of the page's top bars (explorer, start page, shared page, lessons): system, light or dark. */
import { setTheme, useTheme, type ThemeChoice } from './theme';

export function ThemePicker() {
  const theme = useTheme();
  return (
    <select
      className="themepick" value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}
      aria-label="Theme" title="Colours: as the system says, light or dark (remembered)" data-testid="theme"
    >
      <option value="system">◐ Auto</option>
      <option value="light">☀ Light</option>
      <option value="dark">☾ Dark</option>
    </select>
  );
}
