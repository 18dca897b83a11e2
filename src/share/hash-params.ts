/**
 * The page's URL fragment, read tolerantly: unknown keys are ignored, bad values are reported and
 * skipped, nothing throws. Keys:
 *   s=1.<...>          a share link (link-codec.ts)
 *   capture=<URL>      load a capture published on a static host (http/https, with CORS)
 *   example=<id>       load a built-in example
 *   lesson=<id>        open a built-in lesson;   lesson-url=<URL>  a lesson file published elsewhere
 *   compare=<id>       with a lesson: your connection to put beside it;   large=1  large type
 * Every page component reads the fragment through here (never decodeURIComponent on its own: "%ZZ" throws).
 */
export interface HashParams {
  share?: string;
  captureUrls: string[];
  example?: string;
  lesson?: string;
  lessonUrl?: string;
  /** A connection id of the loaded analysis (digits; a lesson link's "your close"). */
  compare?: string;
  large?: boolean;
  problems: string[];
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

function httpUrl(raw: string, base: string | undefined, problems: string[], what: string): string | undefined {
  try {
    const url = base ? new URL(raw, base) : new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
    problems.push(`${what}: only http and https addresses can be loaded, not ${url.protocol}`);
  } catch {
    problems.push(`${what}: "${raw.slice(0, 80)}" is not an address`);
  }
  return undefined;
}

/** `base` resolves relative URLs (the page's own address). */
export function parseHashParams(hash: string, base?: string): HashParams {
  const out: HashParams = { captureUrls: [], problems: [] };
  const text = hash.replace(/^#/, '');
  if (!text) return out;
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    let value: string;
    try {
      value = key === 's' ? part.slice(eq + 1) : decodeURIComponent(part.slice(eq + 1));
    } catch {
      out.problems.push(`the value of "${key}" is not valid percent-encoding`);
      continue;
    }
    switch (key) {
      case 's':
        out.share = part; // the codec reads "s=..." itself
        break;
      case 'capture': {
        const url = httpUrl(value, base, out.problems, 'capture');
        if (url) out.captureUrls.push(url);
        break;
      }
      case 'example':
      case 'lesson':
        if (ID.test(value)) out[key] = value;
        else out.problems.push(`${key}: "${value.slice(0, 40)}" is not a known name`);
        break;
      case 'compare':
        if (/^\d{1,10}$/.test(value)) out.compare = value;
        else out.problems.push(`compare: "${value.slice(0, 40)}" is not a connection number`);
        break;
      case 'large':
        out.large = value === '1';
        break;
      case 'lesson-url': {
        const url = httpUrl(value, base, out.problems, 'lesson-url');
        if (url) out.lessonUrl = url;
        break;
      }
      default:
        break; // unknown keys are ignored (a newer version may add some)
    }
  }
  return out;
}
