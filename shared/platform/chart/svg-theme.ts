import { escapeXml } from './svg-scale';

/** One palette for every chart so the photos look like one product. */
export const CHART_THEME = {
  background: '#ffffff',
  text: '#1f2933',
  muted: '#6b7785',
  grid: '#e4e8ee',
  accent: '#2f6fed',
  series: ['#2f6fed', '#f5a524', '#17a673', '#e5484d', '#8e4ec6', '#12a4c4', '#d6409f', '#7a8699', '#b08d57'],
} as const;

export interface TextStyle {
  readonly size: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly weight?: 'normal' | 'bold';
  readonly fill?: string;
}

/** A text node; the content is escaped, so token symbols can never break the document. */
export function svgText(x: number, y: number, content: string, style: TextStyle): string {
  const anchor = style.anchor ?? 'start';
  const weight = style.weight ?? 'normal';
  return `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="${style.size}" font-weight="${weight}" text-anchor="${anchor}" fill="${style.fill ?? CHART_THEME.text}">${escapeXml(content)}</text>`;
}

export function svgDocument(width: number, height: number, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${CHART_THEME.background}"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}
