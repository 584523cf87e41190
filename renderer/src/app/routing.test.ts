import { describe, expect, it } from 'vitest';
import { matchRoute, pathFromHash, shortcutIndex } from './routing.ts';

const pages = [
  { id: 'dashboard', path: '/dashboard' as const },
  { id: 'users', path: '/users' as const },
];

describe('pathFromHash', () => {
  it.each([
    ['#/users', '/users'],
    ['#/users/', '/users'],
    ['#/Users', '/users'],
    ['#/users?tab=2', '/users'],
    ['#/', '/'],
    ['', ''],
    ['#main-content', ''],
  ])('%s → %s', (hash, path) => {
    expect(pathFromHash(hash)).toBe(path);
  });
});

describe('matchRoute', () => {
  it('sends the empty route to the first page as a redirect', () => {
    expect(matchRoute('', pages)).toEqual({ kind: 'redirect', page: pages[0] });
    expect(matchRoute('/', pages)).toEqual({ kind: 'redirect', page: pages[0] });
  });

  it('finds a known page', () => {
    expect(matchRoute('/users', pages)).toEqual({ kind: 'page', page: pages[1] });
  });

  it('reports an unknown page instead of guessing', () => {
    expect(matchRoute('/user', pages)).toEqual({ kind: 'not-found', path: '/user' });
  });
});

describe('shortcutIndex', () => {
  const key = (
    code: string,
    mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {},
  ) => ({
    code,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    ...mods,
  });

  it('maps Alt+1..9 (top row and keypad) to page positions', () => {
    expect(shortcutIndex(key('Digit1', { altKey: true }))).toBe(0);
    expect(shortcutIndex(key('Digit6', { altKey: true }))).toBe(5);
    expect(shortcutIndex(key('Numpad9', { altKey: true }))).toBe(8);
  });

  it('ignores other keys and other modifier combinations', () => {
    expect(shortcutIndex(key('Digit1'))).toBeNull();
    expect(shortcutIndex(key('Digit0', { altKey: true }))).toBeNull();
    expect(shortcutIndex(key('KeyA', { altKey: true }))).toBeNull();
    expect(shortcutIndex(key('Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(shortcutIndex(key('Digit1', { altKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutIndex(key('Digit1', { altKey: true, metaKey: true }))).toBeNull();
  });
});
