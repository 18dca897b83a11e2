// The tshark a test checks against, or null when it is not installed (such tests skip).
import { execFileSync } from 'node:child_process';

function tsharkPath(): string | null {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'pipe' });
    return 'tshark';
  } catch {
    return null;
  }
}

export const TSHARK = tsharkPath();
