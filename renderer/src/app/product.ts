/** Shown before app.info answers, and if it never does. */
export const FALLBACK_PRODUCT_NAME = 'Calendar Sync Migration Console';

export function documentTitle(pageTitle: string, productName: string): string {
  return `${pageTitle} · ${productName}`;
}
