/**
 * The palette's query as the roster search takes it: "Last, First" (as the Users table shows names)
 * becomes "Last First", whose words must each occur in a name, the email or start the id.
 */
export function paletteQuery(text: string): string {
  return text.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Ctrl+K (Cmd+K on macOS), without other modifiers. */
export function isPaletteShortcut(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}
