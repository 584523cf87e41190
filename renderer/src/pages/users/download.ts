/**
 * Saves text as a file through a Blob URL and a link with a `download` attribute: works in the
 * browser host and in Electron (whose will-download default saves to the Downloads folder), needs
 * no Node, and stays within the CSP (no navigation away from the app).
 */
export function downloadText(
  filename: string,
  text: string,
  type = 'text/csv;charset=utf-8',
  doc: Document = document,
): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = safeFilename(filename);
  link.rel = 'noopener';
  link.hidden = true;
  doc.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The click starts the download synchronously; revoke on the next turn to be safe in every engine.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/** A name any file system accepts: no path separators or reserved characters, never empty. */
export function safeFilename(name: string): string {
  const cleaned = name
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
    .replace(/^\.+/, '')
    .trim();
  return cleaned === '' ? 'users.csv' : cleaned.slice(0, 200);
}
