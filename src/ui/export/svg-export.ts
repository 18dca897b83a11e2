/**
 * The ladders on screen as one standalone SVG: a clone of each <svg class="ladder"> with every
 * element's computed style written onto it (so colours, fonts and dashes survive without the
 * page's stylesheet and its CSS variables, in any viewer), placed side by side under a one-line
 * caption each. The other theme is rendered by overriding the theme variables on the live SVG for
 * the moment of reading (synchronous, nothing is painted in between). PNG draws that SVG on a
 * canvas at 2x.
 */
export type ExportTheme = 'current' | 'light' | 'dark';

const SVG_NS = 'http://www.w3.org/2000/svg';
// What the stylesheet sets on ladder elements; everything else stays as attributes.
const PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin',
  'paint-order', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant-numeric', 'visibility',
];
const GAP = 16;
const CAPTION = 24;

/** The stylesheets' dark theme rule (ui/theme.ts sets data-theme on <html>). */
const DARK_ROOT = /^:root\[data-theme=["']?dark["']?\]$/;

/** The theme variables (--bg, --arrow-rst, ...) the stylesheets give :root, light or dark. */
export function themeVariables(theme: 'light' | 'dark'): Map<string, string> {
  const base = new Map<string, string>();
  const dark = new Map<string, string>();
  const take = (rule: CSSStyleRule, into: Map<string, string>) => {
    for (let i = 0; i < rule.style.length; i++) {
      const name = rule.style[i];
      if (name.startsWith('--')) into.set(name, rule.style.getPropertyValue(name).trim());
    }
  };
  for (const sheet of Array.from(document.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // a cross-origin sheet; ours are same-origin
    }
    for (const rule of Array.from(rules)) {
      if (!(rule instanceof CSSStyleRule)) continue;
      const sel = rule.selectorText.replace(/\s+/g, '');
      if (sel === ':root') take(rule, base);
      else if (DARK_ROOT.test(sel)) take(rule, dark);
    }
  }
  if (theme === 'dark') for (const [k, v] of dark) base.set(k, v);
  return base;
}

function inlineStyles(live: Element, clone: Element): void {
  const cs = getComputedStyle(live);
  const style = (clone as SVGElement).style;
  if (cs.display === 'none') {
    style.setProperty('display', 'none');
    return;
  }
  for (const p of PROPS) {
    const v = cs.getPropertyValue(p);
    if (v) style.setProperty(p, v);
  }
  // Presentation attributes holding var(--x) (marker fills) would mean nothing outside the page.
  for (const attr of Array.from(clone.attributes)) if (attr.value.includes('var(')) clone.removeAttribute(attr.name);
  const a = live.children;
  const b = clone.children;
  for (let i = 0; i < a.length && i < b.length; i++) inlineStyles(a[i], b[i]);
}

export interface LadderCaption {
  text: string;
}

export interface SvgExport {
  text: string;
  width: number;
  height: number;
}

/** One standalone SVG of `svgs` side by side, with `captions[i]` above ladder i. */
export function exportLaddersSvg(svgs: SVGSVGElement[], captions: string[], theme: ExportTheme): SvgExport {
  const overrides = theme === 'current' ? null : themeVariables(theme);
  const root = svgs[0]?.closest('.ladders') ?? document.documentElement;
  const holders = svgs.map((s) => s.parentElement ?? s);
  // Read under the wanted theme: the variables set inline on each ladder's holder win over :root.
  if (overrides) for (const h of holders) for (const [k, v] of overrides) (h as HTMLElement).style.setProperty(k, v);
  // The keyboard/pointer highlight is a moment, not part of the picture.
  const current = svgs.flatMap((s) => Array.from(s.querySelectorAll('.arrow.current')));
  current.forEach((el) => el.classList.remove('current'));
  try {
    const bg = overrides?.get('--bg') ?? (getComputedStyle(root).getPropertyValue('--bg').trim() || '#ffffff');
    const fg = getComputedStyle(svgs[0] ?? root).getPropertyValue('--fg').trim() || '#000000';
    const fontFamily = getComputedStyle(svgs[0] ?? root).fontFamily;
    const widths = svgs.map((s) => s.width.baseVal.value);
    const heights = svgs.map((s) => s.height.baseVal.value);
    const width = Math.ceil(widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, svgs.length - 1));
    const height = Math.ceil(Math.max(0, ...heights) + CAPTION);
    const out = document.createElementNS(SVG_NS, 'svg');
    out.setAttribute('xmlns', SVG_NS);
    out.setAttribute('width', String(width));
    out.setAttribute('height', String(height));
    out.setAttribute('viewBox', `0 0 ${width} ${height}`);
    out.setAttribute('role', 'img');
    out.setAttribute('aria-label', captions.join('; '));
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = `Teardown ladder${svgs.length > 1 ? 's' : ''}: ${captions.join('; ')}`;
    out.append(title);
    const back = document.createElementNS(SVG_NS, 'rect');
    back.setAttribute('width', '100%');
    back.setAttribute('height', '100%');
    back.setAttribute('fill', bg);
    out.append(back);
    let x = 0;
    svgs.forEach((live, i) => {
      const clone = live.cloneNode(true) as SVGSVGElement;
      inlineStyles(live, clone);
      // Interaction attributes mean nothing in a file.
      for (const el of [clone, ...Array.from(clone.querySelectorAll('*'))]) {
        el.removeAttribute('tabindex');
        if (el.getAttribute('role') === 'button') el.setAttribute('role', 'img');
      }
      // Marker ids must stay unique when ladders from two screens meet in one file.
      clone.querySelectorAll('marker').forEach((m) => m.setAttribute('id', `${m.id}-x${i}`));
      clone.querySelectorAll('[marker-end]').forEach((el) => el.setAttribute('marker-end', el.getAttribute('marker-end')!.replace(/\)$/, `-x${i})`)));
      clone.setAttribute('x', String(x));
      clone.setAttribute('y', String(CAPTION));
      const cap = document.createElementNS(SVG_NS, 'text');
      cap.setAttribute('x', String(x + 6));
      cap.setAttribute('y', '16');
      cap.style.setProperty('font-family', fontFamily);
      cap.style.setProperty('font-size', '13px');
      cap.style.setProperty('font-weight', '600');
      cap.style.setProperty('fill', overrides?.get('--fg') ?? fg);
      cap.textContent = captions[i] ?? '';
      out.append(cap, clone);
      x += widths[i] + GAP;
    });
    return { text: '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(out), width, height };
  } finally {
    current.forEach((el) => el.classList.add('current'));
    if (overrides) for (const h of holders) for (const k of overrides.keys()) (h as HTMLElement).style.removeProperty(k);
  }
}

/** Draws the SVG onto a canvas at `scale` and returns a PNG. */
export async function svgToPng(svg: SvgExport, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg.text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((ok, fail) => {
      img.onload = () => ok();
      img.onerror = () => fail(new Error('the browser could not draw the SVG'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(svg.width * scale);
    canvas.height = Math.ceil(svg.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas in this browser');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
